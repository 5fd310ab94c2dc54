//! Random credential values in each provider's format, PKCE (RFC 7636) verification and the
//! providers' redirect-URI matching rules.

use crate::provider::Provider;
use crate::world::OAuthApp;
use base64::Engine;
use sha2::{Digest, Sha256};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";
/// GitHub's user codes look like `WDJB-MJHT`: consonants only, no vowels to spell words.
const USER_CODE: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(n + 16);
    while v.len() < n {
        v.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    v.truncate(n);
    v
}

fn pick(alphabet: &[u8], n: usize) -> String {
    random_bytes(n)
        .into_iter()
        .map(|b| alphabet[b as usize % alphabet.len()] as char)
        .collect()
}

pub fn alnum(n: usize) -> String {
    pick(ALNUM, n)
}

pub fn hex(n: usize) -> String {
    pick(HEX, n)
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWT-shaped value, as Gitea issues (HS512, claims `gnt`, `tt`, `exp`, `iat`); the
/// signature is random.
fn jwt_like(kind: u8, exp: i64) -> String {
    let header = b64url(br#"{"alg":"HS512","typ":"JWT"}"#);
    let now = chrono::Utc::now().timestamp();
    let r = random_bytes(2);
    let grant = u16::from_be_bytes([r[0], r[1]]);
    let claims = format!(r#"{{"gnt":{grant},"tt":{kind},"exp":{exp},"iat":{now}}}"#);
    format!(
        "{header}.{}.{}",
        b64url(claims.as_bytes()),
        b64url(&random_bytes(64))
    )
}

/// A new access token: GitHub `gho_…`, GitLab 64 hex, Bitbucket opaque, Gitee 32 hex,
/// Gitea a JWT.
pub fn access_token(p: Provider, exp: i64) -> String {
    match p {
        Provider::Github => format!("gho_{}", alnum(36)),
        Provider::Gitlab => hex(64),
        Provider::Bitbucket => format!("{}=", alnum(127)),
        Provider::Gitee => hex(32),
        Provider::Gitea => jwt_like(0, exp),
        Provider::Codeup => alnum(40),
    }
}

/// A new refresh token: GitHub `ghr_…`, GitLab/Gitee 64 hex, Bitbucket short opaque, Gitea JWT.
pub fn refresh_token(p: Provider, exp: i64) -> String {
    match p {
        Provider::Github => format!("ghr_{}", alnum(76)),
        Provider::Gitlab | Provider::Gitee => hex(64),
        Provider::Bitbucket => alnum(18),
        Provider::Gitea => jwt_like(1, exp),
        Provider::Codeup => alnum(40),
    }
}

/// A new authorization code: GitHub 20 hex, GitLab/Gitee 64 hex, others opaque.
pub fn auth_code(p: Provider) -> String {
    match p {
        Provider::Github => hex(20),
        Provider::Gitlab | Provider::Gitee => hex(64),
        Provider::Bitbucket => alnum(18),
        Provider::Gitea | Provider::Codeup => alnum(32).to_ascii_lowercase(),
    }
}

/// GitHub: 40 hex characters (documented); GitLab: URL-safe opaque.
pub fn device_code(p: Provider) -> String {
    match p {
        Provider::Github => hex(40),
        _ => alnum(43),
    }
}

/// GitHub: 8 characters with a hyphen in the middle (documented, `WDJB-MJHT`); GitLab:
/// 8 characters without hyphen.
pub fn user_code(p: Provider) -> String {
    let c = pick(USER_CODE, 8);
    match p {
        Provider::Github => format!("{}-{}", &c[..4], &c[4..]),
        _ => c,
    }
}

/// Compares user codes the way people type them: case and hyphens/spaces ignored.
pub fn normalize_user_code(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// RFC 7636 §4.6: `S256` compares BASE64URL(SHA256(verifier)), `plain` the verifier itself.
pub fn pkce_ok(challenge: &str, method: &str, verifier: &str) -> bool {
    match method {
        "S256" => b64url(&Sha256::digest(verifier.as_bytes())) == challenge,
        "plain" => verifier == challenge,
        _ => false,
    }
}

/// The S256 challenge for a verifier (for tests and examples).
pub fn s256(verifier: &str) -> String {
    b64url(&Sha256::digest(verifier.as_bytes()))
}

/// The parts of a URL the matching rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    scheme: String,
    host: String,
    port: Option<String>,
    path: String,
    query: Option<String>,
}

fn parse(url: &str) -> Option<Url> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or("");
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = authority.rsplit('@').next().unwrap_or("");
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        (format!("[{h}]"), after.strip_prefix(':').map(str::to_string))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.to_string())),
            None => (authority.to_string(), None),
        }
    };
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (tail.to_string(), None),
    };
    Some(Url {
        scheme: scheme.to_ascii_lowercase(),
        host: host.to_ascii_lowercase(),
        port: port.filter(|p| !p.is_empty()),
        path: if path.is_empty() { "/".to_string() } else { path },
        query,
    })
}

/// An IP-literal loopback host (`127.0.0.0/8`, `[::1]`), not `localhost`.
fn loopback(host: &str) -> bool {
    if host == "[::1]" {
        return true;
    }
    host.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// GitHub "Redirect URLs": the host (or a subdomain of it) and the port must match and the
/// path must be the callback's path or a subdirectory of it; for a loopback callback
/// registered without port (`http://127.0.0.1/path`) any port is accepted.
fn github_match(reg: &Url, uri: &Url) -> bool {
    if reg.scheme != uri.scheme {
        return false;
    }
    let host_ok = uri.host == reg.host || uri.host.ends_with(&format!(".{}", reg.host));
    let port_ok = uri.port == reg.port || (reg.port.is_none() && loopback(&reg.host));
    let base = reg.path.trim_end_matches('/');
    let path_ok = uri.path == reg.path
        || uri.path.trim_end_matches('/') == base
        || uri.path.starts_with(&format!("{base}/"));
    host_ok && port_ok && path_ok
}

/// Doorkeeper `URIChecker.matches?` (GitLab): equal after dropping the request's query
/// (a registered query must match), ports ignored when both are loopback (RFC 8252 §7.3).
fn doorkeeper_match(reg: &Url, uri: &Url) -> bool {
    if reg.query.is_some() && reg.query != uri.query {
        return false;
    }
    let mut a = reg.clone();
    let mut b = uri.clone();
    a.query = None;
    b.query = None;
    if loopback(&a.host) && loopback(&b.host) {
        a.port = None;
        b.port = None;
    }
    a == b
}

/// Gitea `ContainsRedirectURI`: case-insensitive equality; public clients may use any port
/// on an `http` loopback redirect registered without port (Gitea PR #21293).
fn gitea_match(app: &OAuthApp, reg: &str, uri: &str) -> bool {
    if reg.eq_ignore_ascii_case(uri) {
        return true;
    }
    if app.is_confidential() {
        return false;
    }
    match parse(uri) {
        Some(u) if u.scheme == "http" && u.port.is_some() && loopback(&u.host) => {
            let stripped = uri.replacen(&format!(":{}", u.port.unwrap_or_default()), "", 1);
            reg.eq_ignore_ascii_case(&stripped)
        }
        _ => false,
    }
}

/// Is `uri` an allowed `redirect_uri` for `app` on provider `p`?
pub fn redirect_allowed(p: Provider, app: &OAuthApp, uri: &str) -> bool {
    let Some(u) = parse(uri) else {
        return false;
    };
    // Doorkeeper's `forbid_redirect_uri` in GitLab; browsers would not follow them anyway.
    if matches!(u.scheme.as_str(), "javascript" | "data" | "vbscript") {
        return false;
    }
    app.redirect_uris.iter().any(|reg| match p {
        Provider::Github => parse(reg).is_some_and(|r| github_match(&r, &u)),
        Provider::Gitlab => parse(reg).is_some_and(|r| doorkeeper_match(&r, &u)),
        Provider::Gitea => gitea_match(app, reg, uri),
        // "If you provide a redirect_uri, it must be appended to the same URL configured
        // with the consumer" (Bitbucket Cloud OAuth 2.0 docs): a prefix match.
        Provider::Bitbucket => uri.starts_with(reg.as_str()),
        // One registered 回调地址; compared exactly (unconfirmed).
        Provider::Gitee | Provider::Codeup => reg == uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(uris: &[&str], secret: &str) -> OAuthApp {
        let mut a = OAuthApp::new("id", secret);
        for u in uris {
            a = a.redirect(u);
        }
        a
    }

    #[test]
    fn github_rules_follow_the_docs_examples() {
        let a = app(&["http://example.com/path"], "s");
        let ok = |u| redirect_allowed(Provider::Github, &a, u);
        assert!(ok("http://example.com/path"));
        assert!(ok("http://example.com/path/subdir/other"));
        assert!(ok("http://oauth.example.com/path"));
        assert!(ok("http://oauth.example.com/path/subdir/other"));
        assert!(!ok("http://example.com/bar"));
        assert!(!ok("http://example.com/"));
        assert!(!ok("http://example.com:8080/path"));
        assert!(!ok("http://oauth.example.com:8080/path"));
        assert!(!ok("http://example.org"));
        let l = app(&["http://127.0.0.1/path"], "s");
        assert!(redirect_allowed(Provider::Github, &l, "http://127.0.0.1:1234/path"));
        assert!(!redirect_allowed(Provider::Github, &l, "http://localhost:1234/path"));
    }

    #[test]
    fn loopback_any_port_for_gitlab_and_public_gitea_only() {
        let public = app(&["http://127.0.0.1/callback", "codebind://oauth/callback"], "");
        let conf = app(&["http://127.0.0.1/callback"], "secret");
        for p in [Provider::Gitlab, Provider::Gitea] {
            assert!(redirect_allowed(p, &public, "http://127.0.0.1:49152/callback"));
            assert!(redirect_allowed(p, &public, "codebind://oauth/callback"));
            assert!(!redirect_allowed(p, &public, "codebind://oauth/other"));
            assert!(!redirect_allowed(p, &public, "http://localhost:49152/callback"));
        }
        assert!(redirect_allowed(Provider::Gitlab, &conf, "http://127.0.0.1:5/callback"));
        assert!(!redirect_allowed(Provider::Gitea, &conf, "http://127.0.0.1:5/callback"));
        let bb = app(&["codebind://oauth/callback"], "s");
        assert!(!redirect_allowed(Provider::Gitee, &bb, "http://127.0.0.1:5/callback"));
        assert!(!redirect_allowed(Provider::Bitbucket, &bb, "http://127.0.0.1:5/callback"));
    }

    #[test]
    fn pkce_s256_matches_the_rfc_example() {
        // RFC 7636 Appendix B.
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(s256(v), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(pkce_ok("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", v));
        assert!(!pkce_ok("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", "x"));
        assert!(pkce_ok("abc", "plain", "abc"));
    }

    #[test]
    fn credential_formats() {
        assert!(access_token(Provider::Github, 0).starts_with("gho_"));
        assert_eq!(access_token(Provider::Github, 0).len(), 40);
        assert!(refresh_token(Provider::Github, 0).starts_with("ghr_"));
        assert_eq!(access_token(Provider::Gitlab, 0).len(), 64);
        assert_eq!(access_token(Provider::Gitea, 0).split('.').count(), 3);
        let uc = user_code(Provider::Github);
        assert_eq!(uc.len(), 9);
        assert_eq!(&uc[4..5], "-");
        assert_eq!(normalize_user_code("wdjb-mjht"), "WDJBMJHT");
        assert_eq!(device_code(Provider::Github).len(), 40);
    }
}
