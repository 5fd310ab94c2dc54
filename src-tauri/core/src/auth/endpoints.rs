//! Each provider's OAuth endpoints on a host, the scopes Codebind asks for, and its quirks.
//! Sources: ../shared/reference/providers.md (GitHub authorizing-oauth-apps, GitLab oauth2.md,
//! Bitbucket oauth-2, Gitee oauth_doc, Gitea oauth2-provider).

use crate::model::ProviderKind;
use crate::providers::Host;

#[derive(Debug, Clone, PartialEq)]
pub struct Endpoints {
    pub authorize: String,
    pub token: String,
    /// RFC 8628 device authorization endpoint, where the provider has one.
    pub device: Option<String>,
    /// RFC 7009 revocation endpoint, where the provider has one.
    pub revoke: Option<String>,
    /// Least privilege for identity, repositories and build-trigger webhooks.
    pub scopes: Vec<&'static str>,
    /// The client authenticates with HTTP Basic (Bitbucket) instead of form fields.
    pub basic_auth: bool,
    /// The token endpoint demands the client secret even with PKCE.
    pub secret_required: bool,
    /// Whether a loopback redirect with any port is accepted.
    pub loopback: bool,
}

pub fn endpoints(kind: ProviderKind, host: &Host) -> Option<Endpoints> {
    let h = |p: &str| host.join(p);
    Some(match kind {
        ProviderKind::Github => Endpoints {
            authorize: h("/login/oauth/authorize"),
            token: h("/login/oauth/access_token"),
            device: Some(h("/login/device/code")),
            revoke: None,
            scopes: vec!["repo", "read:org", "admin:repo_hook"],
            basic_auth: false,
            secret_required: true,
            loopback: true,
        },
        ProviderKind::Gitlab => Endpoints {
            authorize: h("/oauth/authorize"),
            token: h("/oauth/token"),
            device: Some(h("/oauth/authorize_device")),
            revoke: Some(h("/oauth/revoke")),
            scopes: vec!["api"],
            basic_auth: false,
            secret_required: false,
            loopback: true,
        },
        ProviderKind::Bitbucket => {
            let base = if host.hostname() == "bitbucket.org" { "https://bitbucket.org".to_owned() } else { host.as_str().to_owned() };
            Endpoints {
                authorize: format!("{base}/site/oauth2/authorize"),
                token: format!("{base}/site/oauth2/access_token"),
                device: None,
                revoke: None,
                // Fixed by the consumer's permission checkboxes; nothing is sent.
                scopes: vec![],
                basic_auth: true,
                secret_required: true,
                loopback: false,
            }
        }
        ProviderKind::Gitee => Endpoints {
            authorize: h("/oauth/authorize"),
            token: h("/oauth/token"),
            device: None,
            revoke: None,
            scopes: vec!["user_info", "projects", "groups", "hook"],
            basic_auth: false,
            secret_required: true,
            loopback: false,
        },
        ProviderKind::Gitea => Endpoints {
            authorize: h("/login/oauth/authorize"),
            token: h("/login/oauth/access_token"),
            device: None,
            revoke: None,
            scopes: vec!["read:user", "read:organization", "write:repository"],
            basic_auth: false,
            secret_required: false,
            loopback: true,
        },
        // Codeup binds with personal access tokens (the seeds); its OAuth is unconfirmed.
        ProviderKind::Codeup => return None,
    })
}
