//! The loopback redirect (RFC 8252 section 7.3): a one-shot listener on 127.0.0.1 with an
//! ephemeral port, for setups where the `codebind://` scheme does not reach the app (WSL, some
//! Linux desktops, organisations that block custom schemes) and for the CLI.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::callback::{parse, Callback, Expect};
use crate::error::{Error, ErrorCode, Result};

pub struct Loopback {
    listener: TcpListener,
    port: u16,
}

const DONE_PAGE: &str = "<!doctype html><meta charset=utf-8><title>Codebind</title>\
<body style=\"font-family:system-ui;margin:3rem\"><h1>Back to Codebind</h1>\
<p>You can close this window and return to Codebind.</p>";

impl Loopback {
    pub async fn bind() -> Result<Loopback> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| Error::new(ErrorCode::Network, format!("cannot listen on 127.0.0.1: {e}")))?;
        let port = listener.local_addr().map_err(|e| Error::new(ErrorCode::Network, e.to_string()))?.port();
        Ok(Loopback { listener, port })
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits for the browser's redirect. Requests for other paths (a favicon) are answered 404 and
    /// waiting goes on; a malformed callback is answered 400 and returned as an error.
    pub async fn wait(self) -> Result<Callback> {
        loop {
            let (mut stream, _) = self.listener.accept().await.map_err(|e| Error::new(ErrorCode::Network, e.to_string()))?;
            let mut buf = vec![0u8; 8192];
            let mut n = 0;
            while n < buf.len() {
                let read = stream.read(&mut buf[n..]).await.unwrap_or(0);
                if read == 0 {
                    break;
                }
                n += read;
                if buf[..n].windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            let head = String::from_utf8_lossy(&buf[..n]);
            let target = head.lines().next().and_then(|l| l.strip_prefix("GET ")).and_then(|l| l.split(' ').next()).unwrap_or("");
            if !target.starts_with("/callback") {
                let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                continue;
            }
            let result = parse(&format!("http://127.0.0.1:{}{target}", self.port), Expect::Loopback(self.port));
            let (status, body) = if result.is_ok() { ("200 OK", DONE_PAGE) } else { ("400 Bad Request", "Codebind rejected this sign-in link.") };
            let resp = format!(
                "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(resp.as_bytes()).await;
            return result;
        }
    }
}
