//! The strict parser for OAuth redirects, shared by the `codebind://` deep link and the loopback
//! listener. Anything that is not exactly a callback we asked for is rejected before any state is
//! looked at, and nothing in a rejection message repeats the code or state.

use url::Url;

use crate::error::{Error, ErrorCode, Result};

/// The deep-link redirect URI registered with providers.
pub const DEEP_LINK_REDIRECT: &str = "codebind://oauth/callback";
/// Longest callback URL accepted (providers' codes and states are far shorter).
pub const MAX_URL_LEN: usize = 4096;
/// Longest code or state accepted.
const MAX_VALUE_LEN: usize = 1024;

/// Where a callback is expected to arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `codebind://oauth/callback`
    DeepLink,
    /// `http://127.0.0.1:<port>/callback`
    Loopback(u16),
}

/// A syntactically valid callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Code { code: String, state: String },
    /// The provider reported an error (`error=access_denied` when the user said no).
    Denied { error: String, description: Option<String>, state: String },
}

impl Callback {
    pub fn state(&self) -> &str {
        match self {
            Callback::Code { state, .. } | Callback::Denied { state, .. } => state,
        }
    }
}

fn reject(why: &str) -> Error {
    Error::new(ErrorCode::InvalidInput, format!("rejected an OAuth callback: {why}"))
}

/// Parses raw bytes (a command-line argument may not be UTF-8).
pub fn parse_bytes(raw: &[u8], expect: Expect) -> Result<Callback> {
    let s = std::str::from_utf8(raw).map_err(|_| reject("not valid UTF-8"))?;
    parse(s, expect)
}

pub fn parse(raw: &str, expect: Expect) -> Result<Callback> {
    if raw.len() > MAX_URL_LEN {
        return Err(reject("too long"));
    }
    if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(reject("contains spaces or control characters"));
    }
    let url = Url::parse(raw).map_err(|_| reject("not a URL"))?;
    match expect {
        Expect::DeepLink => {
            if url.scheme() != "codebind" || url.host_str() != Some("oauth") || url.path() != "/callback" || url.port().is_some() {
                return Err(reject("not codebind://oauth/callback"));
            }
        }
        Expect::Loopback(port) => {
            if url.scheme() != "http" || url.host_str() != Some("127.0.0.1") || url.port() != Some(port) || url.path() != "/callback" {
                return Err(reject("not this app's loopback callback"));
            }
        }
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(reject("unexpected user info or fragment"));
    }
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for (k, v) in url.query_pairs() {
        let slot = match k.as_ref() {
            "code" => &mut code,
            "state" => &mut state,
            "error" => &mut error,
            "error_description" => &mut description,
            // RFC 9207 issuer and error_uri carry nothing we act on.
            "iss" | "error_uri" => continue,
            _ => return Err(reject("unexpected parameter")),
        };
        if slot.is_some() {
            return Err(reject("a parameter appears twice"));
        }
        if v.len() > MAX_VALUE_LEN || v.is_empty() && k != "error_description" {
            return Err(reject("a parameter is empty or too long"));
        }
        // RFC 6749 VSCHAR: printable ASCII.
        if k != "error_description" && !v.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
            return Err(reject("a parameter has characters outside printable ASCII"));
        }
        *slot = Some(v.into_owned());
    }
    let state = state.ok_or_else(|| reject("no state"))?;
    match (code, error) {
        (Some(code), None) => Ok(Callback::Code { code, state }),
        (None, Some(error)) => Ok(Callback::Denied { error, description: description.map(|d| d.chars().take(300).collect()), state }),
        (Some(_), Some(_)) => Err(reject("both a code and an error")),
        (None, None) => Err(reject("no code")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_callbacks() {
        assert_eq!(
            parse("codebind://oauth/callback?code=abc123&state=S-1_x.y~z", Expect::DeepLink).unwrap(),
            Callback::Code { code: "abc123".into(), state: "S-1_x.y~z".into() }
        );
        assert_eq!(
            parse("http://127.0.0.1:49152/callback?state=s&code=c&iss=https%3A%2F%2Fgitlab.com", Expect::Loopback(49152)).unwrap(),
            Callback::Code { code: "c".into(), state: "s".into() }
        );
        let denied = parse("codebind://oauth/callback?error=access_denied&error_description=The+user+denied&state=s", Expect::DeepLink).unwrap();
        assert!(matches!(denied, Callback::Denied { ref error, .. } if error == "access_denied"));
    }

    #[test]
    fn rejects_everything_else() {
        let long = format!("codebind://oauth/callback?code={}&state=s", "a".repeat(5000));
        for bad in [
            "codebind://oauth/callback?state=s",
            "codebind://oauth/callback?code=c",
            "codebind://oauth/callback?code=c&code=d&state=s",
            "codebind://oauth/callback?code=c&state=s&state=t",
            "codebind://oauth/callback?code=c&state=s&extra=1",
            "codebind://oauth/callback?code=&state=s",
            "codebind://oauth/callback?code=c&error=x&state=s",
            "codebind://evil/callback?code=c&state=s",
            "codebind://oauth/other?code=c&state=s",
            "codebind://oauth/callback/?code=c&state=s",
            "codebind://oauth:8080/callback?code=c&state=s",
            "codebind://u:p@oauth/callback?code=c&state=s",
            "codebind://oauth/callback?code=c&state=s#frag",
            "javascript:alert(1)//codebind://oauth/callback?code=c&state=s",
            "http://127.0.0.1:1/callback?code=c&state=s",
            "codebind://oauth/callback?code=%00&state=s",
            "codebind://oauth/callback?code=c%C3%A9&state=s",
            "codebind://oauth/callback?code=c d&state=s",
            "",
            long.as_str(),
        ] {
            assert!(parse(bad, Expect::DeepLink).is_err(), "{bad:?}");
        }
        assert!(parse("http://127.0.0.1:5000/callback?code=c&state=s", Expect::Loopback(5001)).is_err());
        assert!(parse("http://localhost:5000/callback?code=c&state=s", Expect::Loopback(5000)).is_err());
        assert!(parse_bytes(b"codebind://oauth/callback?code=\xff&state=s", Expect::DeepLink).is_err());
    }

    #[test]
    fn rejections_never_echo_the_secret_values() {
        let e = parse("codebind://oauth/callback?code=SECRETCODE&state=SECRETSTATE&x=1", Expect::DeepLink).unwrap_err();
        assert!(!e.message.contains("SECRET"), "{}", e.message);
    }
}
