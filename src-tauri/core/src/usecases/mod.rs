//! The verbs of Codebind: the only place where store, vault and providers meet.
//! The Tauri commands and the CLI are thin shells over these.

mod bind;
mod bindings;
mod browse;
mod context;
mod export;
mod history;
mod hosts;
mod hooks;
mod oauth;
mod record;
mod refresh_candidates;
mod rule_edit;
mod rule_input;
mod rules;
mod status;
mod toggle;
mod trigger;
mod unbind;
mod vault_probe;
mod verify;

pub use context::Core;
pub use export::{free_export_path, ExportFilter, ExportFormat, ExportReport};
pub use oauth::{oauth_revoke_page, DeviceSignIn, OAuthAppView, OAuthFinished, OAuthStarted, Redirect};
pub use record::VerifiedAccount;
pub use hooks::HookSync;
pub use hosts::{HostEntry, HostUpdate};
pub use rule_edit::{RuleEdit, RuleSaved};
pub use rule_input::REGEX_CHARS;
pub use rules::{webhook_permission, NewRule, RuleAdded, RuleRemoved};
pub use status::next_status;
pub use verify::CONCURRENT_VERIFICATIONS;

#[cfg(test)]
pub(crate) mod test_support {
    use crate::model::{AuthMethod, Binding, BindingStatus, ProviderKind};

    pub fn binding(kind: ProviderKind, host: &str) -> Binding {
        Binding {
            id: "b".into(),
            provider: kind,
            host: host.into(),
            account_id: "1".into(),
            login: "u".into(),
            display_name: None,
            avatar_url: None,
            auth_method: AuthMethod::Token,
            username: None,
            organization: None,
            scopes: vec![],
            scopes_reported: true,
            expires_at: None,
            status: BindingStatus::Active,
            disabled: false,
            created_at: crate::time::now(),
            updated_at: crate::time::now(),
            last_verified_at: None,
            vault_key: "binding/b/access".into(),
        }
    }
}
