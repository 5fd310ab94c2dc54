//! Redaction of URLs for logs and messages: credentials in the query and userinfo never show.

use url::Url;

const SECRET_PARAMS: [&str; 9] =
    ["access_token", "token", "private_token", "client_secret", "code", "refresh_token", "password", "state", "code_verifier"];

/// The URL with every secret-bearing query value and any userinfo replaced by `<redacted>`.
pub fn redact_url(raw: &str) -> String {
    let Ok(mut url) = Url::parse(raw) else { return "<unparseable url>".to_owned() };
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret = SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s));
                (k.into_owned(), if secret { "<redacted>".to_owned() } else { v.into_owned() })
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string().replace("%3Credacted%3E", "<redacted>")
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn secrets_in_urls_never_show() {
        let r = redact_url("https://gitee.com/api/v5/user?access_token=abc123&page=2");
        assert_eq!(r, "https://gitee.com/api/v5/user?access_token=<redacted>&page=2");
        let r = redact_url("https://u:pw@x.org/cb?code=XYZ&state=S1&private_token=glpat-1");
        assert!(!r.contains("XYZ") && !r.contains("S1") && !r.contains("glpat-1") && !r.contains("pw"), "{r}");
        assert_eq!(redact_url("not a url"), "<unparseable url>");
    }
}
