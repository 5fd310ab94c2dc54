//! Bind with a personal access token: validate, ask the provider who the token belongs to, then
//! keep the token in the keychain and the identity in the store. Bad input changes nothing.

use super::{Core, VerifiedAccount};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{AuthMethod, Binding, BindRequest, BindingStatus, ProviderKind};
use crate::providers::{self, scopes, Host, Session};
use crate::vault::Secret;

impl Core {
    pub async fn bind_with_token(&self, req: BindRequest) -> Result<Binding> {
        let token = Secret::new(req.token.trim());
        if token.is_empty() {
            return Err(Error::invalid_input("the token is empty"));
        }
        if token.expose().chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid_input("the token contains spaces or control characters; paste it again"));
        }
        let host = match req.host.as_deref().map(str::trim).filter(|h| !h.is_empty()) {
            Some(h) => Host::parse(h)?,
            None => Host::default_for(req.provider).ok_or_else(|| {
                Error::new(ErrorCode::InvalidUrl, format!("{} needs the host URL of your instance", req.provider.display_name()))
            })?,
        };
        let username = clean(req.username);
        if req.provider == ProviderKind::Bitbucket && username.is_none() && token.expose().starts_with("ATATT") {
            return Err(Error::invalid_input("a Bitbucket API token goes with your Atlassian account email; enter it as the user name"));
        }
        let organization = clean(req.organization);
        let ca_bundle = clean(req.ca_bundle);
        let http = self.http_for(&host, ca_bundle.as_deref())?;
        let session = Session {
            http: &http,
            host: &host,
            token: &token,
            username: username.as_deref(),
            organization: organization.as_deref(),
        };
        let id = providers::provider(req.provider).whoami(&session).await?;
        if id.login.is_empty() || id.account_id.is_empty() {
            return Err(Error::new(ErrorCode::ProviderError, format!("{} did not say who the token belongs to", req.provider.display_name())));
        }
        if req.provider == ProviderKind::Gitlab {
            if let Some(u) = &username {
                if !u.eq_ignore_ascii_case(&id.login) {
                    return Err(Error::invalid_input(format!("the token belongs to {}, not {u}", id.login)));
                }
            }
        }
        let status = match &id.scopes {
            Some(s) if !scopes::covers_repositories(req.provider, s) => BindingStatus::InsufficientScopes,
            _ => BindingStatus::Active,
        };
        let binding = self.record_binding(
            VerifiedAccount {
                provider: req.provider,
                host: host.as_str().to_owned(),
                account_id: id.account_id,
                login: id.login,
                display_name: id.display_name,
                avatar_url: id.avatar_url,
                auth_method: AuthMethod::Token,
                username,
                organization: id.organization,
                scopes: id.scopes,
                expires_at: id.expires_at,
                status,
            },
            &token,
        )?;
        if let Some(ca) = &ca_bundle {
            self.store.set_ca_bundle(host.as_str(), Some(ca))?;
        }
        Ok(binding)
    }
}

fn clean(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}
