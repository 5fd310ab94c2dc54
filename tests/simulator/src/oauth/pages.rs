//! The HTML a browser sees during sign-in: the consent page (buttons `#authorize` and
//! `#deny`), error pages for requests that must not redirect (unknown client, unregistered
//! redirect URI), and the device-verification page (input `user_code`, buttons `#approve`
//! and `#deny`). Plain, script-free HTML so tests and headless browsers can drive it.

use crate::http::SimResponse;
use crate::provider::Provider;

const HTML: &str = "text/html; charset=utf-8";

/// Escapes text for HTML element content and double-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn site(p: Provider) -> &'static str {
    match p {
        Provider::Github => "GitHub",
        Provider::Gitlab => "GitLab",
        Provider::Bitbucket => "Bitbucket",
        Provider::Gitee => "Gitee",
        Provider::Codeup => "Codeup",
        Provider::Gitea => "Gitea",
    }
}

fn page(status: u16, p: Provider, title: &str, body: &str) -> SimResponse {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} · {s} (simulated)</title></head>\n\
         <body data-provider=\"{p}\">\n<h1>{t}</h1>\n{body}\n</body></html>\n",
        t = esc(title),
        s = site(p),
        p = p.as_str(),
    );
    SimResponse::text(status, HTML, &html)
        .header("cache-control", "no-store")
        .header("x-frame-options", "deny")
}

/// An error the user sees instead of being redirected (RFC 6749 §4.1.2.1: never redirect to
/// an unverified URI).
pub fn error(p: Provider, status: u16, error: &str, description: &str) -> SimResponse {
    let body = format!(
        "<p id=\"error\" data-error=\"{e}\">{d}</p>",
        e = esc(error),
        d = esc(description)
    );
    page(status, p, "Authorization error", &body)
}

/// The consent page: who asks, for what, and the two buttons.
pub struct Consent<'a> {
    pub action: &'a str,
    pub request_id: &'a str,
    pub app_name: &'a str,
    pub client_id: &'a str,
    pub user: &'a str,
    pub scopes: &'a [String],
    pub redirect_uri: &'a str,
}

pub fn consent(p: Provider, c: &Consent) -> SimResponse {
    let scopes: String = c
        .scopes
        .iter()
        .map(|s| format!("<li class=\"scope\">{}</li>", esc(s)))
        .collect();
    let body = format!(
        "<p>Signed in as <strong id=\"user\">{user}</strong>.</p>\n\
         <p><strong id=\"app\">{app}</strong> (<code id=\"client-id\">{cid}</code>) wants to access your {site} account.</p>\n\
         <ul id=\"scopes\">{scopes}</ul>\n\
         <p>You will be sent to <code id=\"redirect-uri\">{redir}</code>.</p>\n\
         <form method=\"post\" action=\"{action}\">\n\
         <input type=\"hidden\" name=\"request_id\" value=\"{rid}\">\n\
         <button type=\"submit\" id=\"authorize\" name=\"decision\" value=\"approve\">Authorize {app}</button>\n\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Cancel</button>\n\
         </form>",
        user = esc(c.user),
        app = esc(c.app_name),
        cid = esc(c.client_id),
        site = site(p),
        redir = esc(c.redirect_uri),
        action = esc(c.action),
        rid = esc(c.request_id),
    );
    page(200, p, &format!("Authorize {}", c.app_name), &body)
}

/// The device-verification page (GitHub `/login/device`, GitLab `/oauth/device`).
pub fn device_form(p: Provider, action: &str, prefill: &str, message: Option<&str>) -> SimResponse {
    let msg = message
        .map(|m| format!("<p id=\"message\">{}</p>\n", esc(m)))
        .unwrap_or_default();
    let body = format!(
        "{msg}<form method=\"post\" action=\"{action}\">\n\
         <label for=\"user_code\">Enter the code displayed on your device</label>\n\
         <input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"{code}\" autocomplete=\"off\">\n\
         <button type=\"submit\" id=\"approve\" name=\"decision\" value=\"approve\">Authorize</button>\n\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Cancel</button>\n\
         </form>",
        action = esc(action),
        code = esc(prefill),
    );
    page(
        if message.is_some() { 404 } else { 200 },
        p,
        "Device activation",
        &body,
    )
}

/// After the device decision.
pub fn device_done(p: Provider, approved: bool, app_name: &str) -> SimResponse {
    let (title, text) = if approved {
        (
            "Congratulations, you're all set!",
            format!("Your device is now connected to {}.", app_name),
        )
    } else {
        (
            "Access denied",
            format!("{} was not given access to your account.", app_name),
        )
    };
    let body = format!(
        "<p id=\"result\" data-approved=\"{approved}\">{}</p>",
        esc(&text)
    );
    page(200, p, title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn consent_page_has_both_buttons() {
        let r = consent(
            Provider::Gitlab,
            &Consent {
                action: "/oauth/authorize",
                request_id: "r1",
                app_name: "<App>",
                client_id: "c",
                user: "alice",
                scopes: &["api".to_string()],
                redirect_uri: "codebind://oauth/callback",
            },
        );
        let html = String::from_utf8(r.body).unwrap_or_default();
        assert!(html.contains("id=\"authorize\""));
        assert!(html.contains("id=\"deny\""));
        assert!(html.contains("name=\"request_id\" value=\"r1\""));
        assert!(html.contains("&lt;App&gt;"));
        assert!(!html.contains("<App>"));
    }
}
