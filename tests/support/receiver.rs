//! A stand-in for the build service's trigger URL: a small HTTP/1.1 server on 127.0.0.1 that
//! records every request it gets, and [`verify`], which checks a delivery's signature the way
//! each provider documents it. Written independently of codebind-core's `delivery.rs` (and of
//! the simulator), so a test that verifies with it checks the app and the simulator against the
//! documentation rather than against themselves.
//!
//! ```no_run
//! # async fn demo() {
//! use codebind_tests::receiver::{verify, Receiver};
//! let rx = Receiver::start().await;
//! // ... point a webhook or "Build now" at rx.url() ...
//! let got = rx.wait_for(1, std::time::Duration::from_secs(5)).await;
//! assert!(verify(codebind_core::model::ProviderKind::Github, "secret", &got[0]));
//! # }
//! ```

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use codebind_core::model::ProviderKind;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// One request the receiver got.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub method: String,
    /// The request target as sent (path and query).
    pub path: String,
    /// Header names in lowercase, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    /// The body as JSON; a form body's `payload` field is unwrapped (GitHub/Gitea "form" hooks).
    pub fn json(&self) -> Option<serde_json::Value> {
        if let Ok(v) = serde_json::from_slice(&self.body) {
            return Some(v);
        }
        url::form_urlencoded::parse(&self.body).find(|(k, _)| k == "payload").and_then(|(_, v)| serde_json::from_str(&v).ok())
    }
}

struct State {
    got: Mutex<Vec<Received>>,
    status: AtomicU16,
    arrived: Notify,
}

/// The receiving end. Stops when dropped.
pub struct Receiver {
    addr: std::net::SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Listens on 127.0.0.1 with an ephemeral port and answers every request with 200 (see
    /// [`set_status`](Self::set_status)).
    pub async fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State { got: Mutex::new(Vec::new()), status: AtomicU16::new(200), arrived: Notify::new() });
        let s = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, s).await;
                });
            }
        });
        Receiver { addr, state, task }
    }

    /// `http://127.0.0.1:PORT/build/trigger`
    pub fn url(&self) -> String {
        format!("http://{}/build/trigger", self.addr)
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<Received> {
        self.state.got.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn len(&self) -> usize {
        self.state.got.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&self) {
        self.state.got.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The status later requests are answered with (200 at first).
    pub fn set_status(&self, status: u16) {
        self.state.status.store(status, Ordering::SeqCst);
    }

    /// Waits until at least `n` requests arrived (or `timeout` passed); returns them all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.state.arrived.notified();
            if self.len() >= n {
                break;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                break;
            }
        }
        self.requests()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads requests off one connection (keep-alive) until it closes.
async fn serve(stream: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).await? == 0 {
                return Ok(());
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let chunked = get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let body = if chunked {
            read_chunked(&mut reader).await?
        } else {
            let len: usize = get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
            let mut body = vec![0; len];
            reader.read_exact(&mut body).await?;
            body
        };
        let close = get("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        state.got.lock().unwrap_or_else(|e| e.into_inner()).push(Received { method, path, headers, body });
        state.arrived.notify_waiters();
        let status = state.status.load(Ordering::SeqCst);
        let text = if (200..300).contains(&status) { "accepted" } else { "refused" };
        let resp = format!(
            "HTTP/1.1 {status} {}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n{}\r\n{text}",
            if (200..300).contains(&status) { "OK" } else { "Error" },
            text.len(),
            if close { "connection: close\r\n" } else { "" }
        );
        write.write_all(resp.as_bytes()).await?;
        write.flush().await?;
        if close {
            return Ok(());
        }
    }
}

async fn read_chunked<R: AsyncBufReadExt + Unpin>(reader: &mut R) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).await?;
        let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        if n == 0 {
            // Trailers until the empty line.
            loop {
                let mut t = String::new();
                if reader.read_line(&mut t).await? == 0 || t.trim_end().is_empty() {
                    return Ok(body);
                }
            }
        }
        let mut chunk = vec![0; n + 2];
        reader.read_exact(&mut chunk).await?;
        chunk.truncate(n);
        body.extend_from_slice(&chunk);
    }
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Constant-time comparison of two ASCII strings.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `req` carries a valid signature (or token) for `secret`, checked the way the
/// provider's documentation tells a receiver to:
///
/// - GitHub: `X-Hub-Signature-256` = `sha256=` + hex HMAC-SHA256(secret, raw body)
///   (docs.github.com "Validating webhook deliveries");
/// - Bitbucket Cloud: `X-Hub-Signature` = `sha256=` + hex HMAC-SHA256(secret, raw body);
/// - Gitea/Forgejo: `X-Gitea-Signature` = hex HMAC-SHA256(secret, body), no prefix;
/// - GitLab: `X-Gitlab-Token` equals the secret; Codeup: `X-Codeup-Token` equals the secret;
/// - Gitee (signing-key mode): `X-Gitee-Token` = Base64(HMAC-SHA256(secret,
///   `X-Gitee-Timestamp` + "\n" + secret)).
///
/// Event headers are checked too (`X-GitHub-Event: push`, `X-Event-Key: repo:push`, ...), so a
/// correctly signed request of the wrong kind fails.
pub fn verify(provider: ProviderKind, secret: &str, req: &Received) -> bool {
    let key = secret.as_bytes();
    let h = |n: &str| req.header(n).unwrap_or("");
    match provider {
        ProviderKind::Github => {
            h("x-github-event") == "push" && same(h("x-hub-signature-256"), &format!("sha256={}", hex(&hmac_sha256(key, &req.body))))
        }
        ProviderKind::Bitbucket => {
            h("x-event-key") == "repo:push" && same(h("x-hub-signature"), &format!("sha256={}", hex(&hmac_sha256(key, &req.body))))
        }
        ProviderKind::Gitea => h("x-gitea-event") == "push" && same(h("x-gitea-signature"), &hex(&hmac_sha256(key, &req.body))),
        ProviderKind::Gitlab => matches!(h("x-gitlab-event"), "Push Hook" | "Tag Push Hook") && same(h("x-gitlab-token"), secret),
        ProviderKind::Codeup => matches!(h("x-codeup-event"), "Push Hook" | "Tag Push Hook") && same(h("x-codeup-token"), secret),
        ProviderKind::Gitee => {
            let ts = h("x-gitee-timestamp");
            if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            let sign = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(key, format!("{ts}\n{secret}").as_bytes()));
            matches!(h("x-gitee-event"), "Push Hook" | "Tag Push Hook") && same(h("x-gitee-token"), &sign)
        }
    }
}

/// The branch or tag a push event in `provider`'s format is about: (`refs/heads/main` style
/// full ref, whether it is a tag). None when the body is not such an event.
pub fn pushed_ref(provider: ProviderKind, req: &Received) -> Option<(String, bool)> {
    let v = req.json()?;
    match provider {
        ProviderKind::Bitbucket => {
            let new = v.pointer("/push/changes/0/new")?;
            let name = new.get("name")?.as_str()?;
            match new.get("type")?.as_str()? {
                "tag" => Some((format!("refs/tags/{name}"), true)),
                "branch" => Some((format!("refs/heads/{name}"), false)),
                _ => None,
            }
        }
        _ => {
            let r = v.get("ref")?.as_str()?.to_owned();
            let tag = r.starts_with("refs/tags/");
            if let ProviderKind::Gitlab | ProviderKind::Codeup = provider {
                let kind = v.get("object_kind")?.as_str()?;
                if kind != if tag { "tag_push" } else { "push" } {
                    return None;
                }
            }
            if provider == ProviderKind::Gitee && v.get("hook_name")?.as_str()? != if tag { "tag_push_hooks" } else { "push_hooks" } {
                return None;
            }
            Some((r, tag))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(headers: &[(&str, &str)], body: &[u8]) -> Received {
        Received {
            method: "POST".into(),
            path: "/".into(),
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn github_documented_example() {
        // docs.github.com "Validating webhook deliveries".
        let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        let r = req(&[("x-github-event", "push"), ("x-hub-signature-256", sig)], b"Hello, World!");
        assert!(verify(ProviderKind::Github, "It's a Secret to Everybody", &r));
        assert!(!verify(ProviderKind::Github, "another secret", &r));
        assert!(!verify(ProviderKind::Bitbucket, "It's a Secret to Everybody", &r), "Bitbucket uses X-Hub-Signature");
    }

    #[test]
    fn tokens_and_gitee() {
        let gl = req(&[("x-gitlab-event", "Push Hook"), ("x-gitlab-token", "t0k")], b"{}");
        assert!(verify(ProviderKind::Gitlab, "t0k", &gl));
        assert!(!verify(ProviderKind::Gitlab, "t0", &gl));
        let sign = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(b"key", b"1700000000000\nkey"));
        let ge = req(&[("x-gitee-event", "Push Hook"), ("x-gitee-timestamp", "1700000000000"), ("x-gitee-token", &sign)], b"{}");
        assert!(verify(ProviderKind::Gitee, "key", &ge));
        assert!(!verify(ProviderKind::Gitee, "other", &ge));
    }
}
