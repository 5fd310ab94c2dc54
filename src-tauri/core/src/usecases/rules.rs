//! Build rules and their webhooks: a rule says which branch or tag of a repository builds which
//! Dockerfile into which image; each repository with a rule gets one push/tag-push webhook that
//! points at the build service, signed with a secret kept in the keychain. Codebind removes what it
//! created.

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::Core;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{BuildRule, EventKind, HookRemoval, ProviderKind, SourceType, Webhook, WebhookState};
use crate::providers::{self, Host};
use crate::store::NewEvent;
use crate::time::now;
use crate::vault::Secret;

/// Settings keys.
pub const TRIGGER_URL_SETTING: &str = "trigger_url";

/// What the user asks for when adding a rule.
#[derive(Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewRule {
    pub binding_id: String,
    pub repo: String,
    pub source_type: SourceType,
    pub source: String,
    pub dockerfile: String,
    pub context: Option<String>,
    /// `REPO[:TAG-TEMPLATE]`
    pub image: String,
    pub trigger_url: Option<String>,
    /// The value of an `Authorization` header for this rule's trigger URL (kept in the keychain).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub trigger_auth: Option<String>,
}

impl std::fmt::Debug for NewRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRule")
            .field("binding_id", &self.binding_id)
            .field("repo", &self.repo)
            .field("source", &self.source)
            .field("image", &self.image)
            .field("trigger_url", &self.trigger_url)
            .field("trigger_auth", &self.trigger_auth.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The keychain key of the global trigger `Authorization` header.
pub const TRIGGER_AUTH_KEY: &str = "settings/trigger-auth";

/// The keychain key of one rule's trigger `Authorization` header.
pub fn rule_auth_key(rule_id: &str) -> String {
    format!("rule/{rule_id}/trigger-auth")
}

/// A rule and the webhook its repository has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RuleAdded {
    pub rule: BuildRule,
    pub hook: Webhook,
    /// Whether this rule created the webhook (false: the repository already had Codebind's hook).
    pub hook_created: bool,
}

/// What removing a rule did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RuleRemoved {
    pub rule_id: String,
    /// Set when the rule was the last one on its repository and its webhook was removed (or not).
    pub hook: Option<HookRemoval>,
}

const PLACEHOLDERS: [&str; 4] = ["{branch}", "{tag}", "{sha}", "{sha7}"];

/// The scope or permission a provider needs for webhooks, named as the user must tick it.
pub fn webhook_permission(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Github => "admin:repo_hook (or repo), and admin rights on the repository",
        ProviderKind::Gitlab => "api, and at least the Maintainer role on the project",
        ProviderKind::Bitbucket => "webhook (OAuth) or read:webhook:bitbucket + write:webhook:bitbucket + delete:webhook:bitbucket (API token), and admin rights on the repository",
        ProviderKind::Gitee => "hook",
        ProviderKind::Codeup => "Code Management / Webhook: read/write",
        ProviderKind::Gitea => "write:repository, and admin rights on the repository",
    }
}

fn split_image(image: &str, source_type: SourceType) -> Result<(String, String)> {
    let image = image.trim();
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    let (repo, template) = match image[last_slash..].find(':') {
        Some(i) => (&image[..last_slash + i], image[last_slash + i + 1..].to_owned()),
        None => (image, match source_type { SourceType::Branch => "{branch}".to_owned(), SourceType::Tag => "{tag}".to_owned() }),
    };
    if repo.is_empty() || repo.chars().any(|c| c.is_whitespace() || c.is_uppercase()) {
        return Err(Error::invalid_input(format!("{image:?} is not an image repository (lowercase, e.g. registry.example.com/team/app[:{{branch}}])")));
    }
    let mut rest = template.clone();
    for p in PLACEHOLDERS {
        rest = rest.replace(p, "");
    }
    if template.is_empty() || rest.contains('{') || rest.contains('}') || !rest.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(Error::invalid_input(format!("the tag template {template:?} may use {} and letters, digits, '.', '_' and '-'", PLACEHOLDERS.join(", "))));
    }
    Ok((repo.to_owned(), template))
}

fn check_relative(what: &str, path: &str) -> Result<String> {
    let p = path.trim();
    if p.is_empty() || p.starts_with('/') || p.contains('\\') || p.split('/').any(|seg| seg == "..") {
        return Err(Error::invalid_input(format!("the {what} must be a path inside the repository, not {path:?}")));
    }
    Ok(p.to_owned())
}

fn check_trigger_url(url: &str) -> Result<String> {
    let u = url::Url::parse(url.trim()).map_err(|_| Error::new(ErrorCode::InvalidUrl, format!("{url:?} is not a trigger URL")))?;
    match u.scheme() {
        "https" => Ok(u.to_string()),
        "http" if Host::parse(url).is_ok_and(|h| h.is_loopback()) => Ok(u.to_string()),
        _ => Err(Error::new(ErrorCode::InsecureHttp, "the trigger URL must use https (http only for loopback)")),
    }
}

fn random_secret() -> Secret {
    Secret::new(format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()))
}

impl Core {
    pub fn set_trigger_url(&self, url: Option<&str>) -> Result<()> {
        let url = url.map(check_trigger_url).transpose()?;
        self.store.set_setting(TRIGGER_URL_SETTING, url.as_deref())
    }

    pub fn trigger_url(&self) -> Result<Option<String>> {
        self.store.setting(TRIGGER_URL_SETTING)
    }

    /// Sets (or clears) the `Authorization` header sent with every trigger; kept in the keychain.
    pub fn set_trigger_auth(&self, value: Option<&str>) -> Result<()> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) if v.chars().any(|c| c.is_control()) => Err(Error::invalid_input("the header value has control characters")),
            Some(v) => self.vault.put(TRIGGER_AUTH_KEY, &Secret::new(v)),
            None => self.vault.delete(TRIGGER_AUTH_KEY),
        }
    }

    /// Whether a global trigger `Authorization` header is set (never the value).
    pub fn has_trigger_auth(&self) -> Result<bool> {
        Ok(self.vault.get(TRIGGER_AUTH_KEY)?.is_some())
    }

    pub fn rules(&self, binding_id: Option<&str>) -> Result<Vec<BuildRule>> {
        if let Some(b) = binding_id {
            self.binding(b)?;
        }
        self.store.rules(binding_id)
    }

    /// Adds a rule; the repository gets Codebind's webhook unless it already has it.
    pub async fn add_rule(&self, req: NewRule) -> Result<RuleAdded> {
        let repo = req.repo.trim().trim_matches('/').to_owned();
        if repo.is_empty() || !repo.contains('/') {
            return Err(Error::invalid_input("the repository is its full name, e.g. owner/name or group/subgroup/project"));
        }
        let source = req.source.trim().to_owned();
        if source.is_empty() || source.chars().any(char::is_whitespace) {
            return Err(Error::invalid_input("the branch or tag is empty or has spaces"));
        }
        let is_regex = source.chars().any(|c| "*?[]()|^$+\\".contains(c));
        let dockerfile = check_relative("Dockerfile path", &req.dockerfile)?;
        let context = check_relative("build context", req.context.as_deref().unwrap_or("."))?;
        let (image, tag_template) = split_image(&req.image, req.source_type)?;
        let rule_url = req.trigger_url.as_deref().map(check_trigger_url).transpose()?;
        let url = match &rule_url {
            Some(u) => u.clone(),
            None => self.trigger_url()?.ok_or_else(|| Error::invalid_input("set the build service's trigger URL in Settings, or give one for this rule"))?,
        };
        let trigger_auth = req.trigger_auth.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(Secret::new);
        if trigger_auth.as_ref().is_some_and(|v| v.expose().chars().any(|c| c.is_control())) {
            return Err(Error::invalid_input("the header value has control characters"));
        }
        let prepared = self.prepare(&req.binding_id)?;
        let s = prepared.session();
        let binding = self.binding(&req.binding_id)?;
        let t = now();
        let rule = BuildRule {
            id: uuid::Uuid::new_v4().to_string(),
            binding_id: binding.id.clone(),
            repo: repo.clone(),
            source_type: req.source_type,
            source,
            is_regex,
            dockerfile,
            context,
            image,
            tag_template,
            trigger_url: rule_url,
            enabled: true,
            created_at: t.clone(),
            updated_at: t.clone(),
        };
        if let Some(a) = &trigger_auth {
            self.vault.put(&rule_auth_key(&rule.id), a)?;
        }
        let rule_event = NewEvent::new(&binding.id, EventKind::RuleAdded, json!({ "rule_id": rule.id, "repo": repo, "source": rule.source, "image": rule.image }));
        if let Some(hook) = self.store.webhook_for(&binding.id, &repo)? {
            self.store.insert_rule(&rule, None, &[rule_event])?;
            return Ok(RuleAdded { rule, hook, hook_created: false });
        }
        let hook_id = uuid::Uuid::new_v4().to_string();
        let secret_key = format!("webhook/{hook_id}/secret");
        let secret = random_secret();
        self.vault.put(&secret_key, &secret)?;
        let remote = match prepared.provider.create_hook(&s, &repo, &url, &secret).await {
            Ok(h) => h,
            Err(e) => {
                let _ = self.vault.delete(&secret_key);
                let _ = self.vault.delete(&rule_auth_key(&rule.id));
                return Err(match e.code {
                    ErrorCode::InsufficientScope | ErrorCode::ProviderForbidden | ErrorCode::NotFound => Error::new(
                        ErrorCode::InsufficientScope,
                        format!("{} refused to create the webhook on {repo} ({}); the token needs {}", binding.provider.display_name(), e.message, webhook_permission(binding.provider)),
                    ),
                    _ => e,
                });
            }
        };
        let hook = Webhook {
            id: hook_id,
            binding_id: binding.id.clone(),
            repo: repo.clone(),
            provider_hook_id: remote.id.clone(),
            url: url.clone(),
            events: vec!["push".into(), "tag_push".into()],
            created_at: t,
            secret_key: secret_key.clone(),
        };
        let hook_event = NewEvent::new(&binding.id, EventKind::HookCreated, json!({ "repo": repo, "provider_hook_id": remote.id, "url": url }));
        if let Err(e) = self.store.insert_rule(&rule, Some(&hook), &[rule_event, hook_event]) {
            // Do not leave a webhook behind that nothing records.
            let _ = prepared.provider.delete_hook(&s, &repo, &remote.id).await;
            let _ = self.vault.delete(&secret_key);
            let _ = self.vault.delete(&rule_auth_key(&rule.id));
            return Err(e);
        }
        Ok(RuleAdded { rule, hook, hook_created: true })
    }

    /// Removes a rule; its repository's webhook goes too when no other rule needs it.
    pub async fn remove_rule(&self, rule_id: &str) -> Result<RuleRemoved> {
        let rule = self.store.rule(rule_id)?.ok_or_else(|| Error::not_found(format!("no build rule with id {rule_id}")))?;
        let others = self.store.rules(Some(&rule.binding_id))?.into_iter().filter(|r| r.repo == rule.repo && r.id != rule.id).count();
        let event = NewEvent::new(&rule.binding_id, EventKind::RuleRemoved, json!({ "rule_id": rule.id, "repo": rule.repo }));
        let hook = if others == 0 { self.store.webhook_for(&rule.binding_id, &rule.repo)? } else { None };
        let Some(hook) = hook else {
            self.store.delete_rule(&rule.id, None, &[event])?;
            let _ = self.vault.delete(&rule_auth_key(&rule.id));
            return Ok(RuleRemoved { rule_id: rule.id, hook: None });
        };
        let removal = self.remove_webhook(&hook).await;
        let mut events = vec![event];
        if removal.removed {
            events.push(NewEvent::new(&rule.binding_id, EventKind::HookRemoved, json!({ "repo": hook.repo, "provider_hook_id": hook.provider_hook_id })));
        }
        self.store.delete_rule(&rule.id, removal.removed.then_some(hook.id.as_str()), &events)?;
        let _ = self.vault.delete(&rule_auth_key(&rule.id));
        Ok(RuleRemoved { rule_id: rule.id, hook: Some(removal) })
    }

    /// Removes a webhook at the provider and its secret; says where to do it by hand otherwise.
    pub(crate) async fn remove_webhook(&self, hook: &Webhook) -> HookRemoval {
        let binding = self.binding(&hook.binding_id);
        let manual_url = binding.as_ref().ok().and_then(|b| Host::parse(&b.host).ok().map(|h| providers::provider(b.provider).hooks_page(&h, &hook.repo)));
        let result = match self.prepare(&hook.binding_id) {
            Ok(p) => p.provider.delete_hook(&p.session(), &hook.repo, &hook.provider_hook_id).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                let _ = self.vault.delete(&hook.secret_key);
                HookRemoval { repo: hook.repo.clone(), provider_hook_id: hook.provider_hook_id.clone(), removed: true, manual_url: None, error: None }
            }
            Err(e) => HookRemoval { repo: hook.repo.clone(), provider_hook_id: hook.provider_hook_id.clone(), removed: false, manual_url, error: Some(e) },
        }
    }

    /// Every webhook Codebind created for a binding, checked against the provider for drift.
    pub async fn hooks(&self, binding_id: &str) -> Result<Vec<WebhookState>> {
        let recorded = self.store.webhooks(binding_id)?;
        let prepared = match self.prepare(binding_id) {
            Ok(p) => p,
            Err(e) => return Ok(recorded.into_iter().map(|hook| WebhookState { hook, present: None, drift: vec![], error: Some(e.clone()) }).collect()),
        };
        let s = prepared.session();
        let mut out = Vec::new();
        for hook in recorded {
            match prepared.provider.list_hooks(&s, &hook.repo).await {
                Ok(remote) => {
                    let found = remote.iter().find(|r| r.id == hook.provider_hook_id);
                    let mut drift = Vec::new();
                    if let Some(r) = found {
                        if r.url != hook.url {
                            drift.push(format!("URL is {} (expected {})", r.url, hook.url));
                        }
                        for e in &hook.events {
                            if !r.events.contains(e) {
                                drift.push(format!("event {e} is off"));
                            }
                        }
                        if !r.active {
                            drift.push("inactive".to_owned());
                        }
                    }
                    out.push(WebhookState { present: Some(found.is_some()), drift, error: None, hook });
                }
                Err(e) => out.push(WebhookState { hook, present: None, drift: vec![], error: Some(e) }),
            }
        }
        Ok(out)
    }

    /// Removes every webhook of a binding (before unbinding).
    pub(crate) async fn remove_all_webhooks(&self, binding_id: &str) -> Result<Vec<HookRemoval>> {
        let mut out = Vec::new();
        for hook in self.store.webhooks(binding_id)? {
            let r = self.remove_webhook(&hook).await;
            if r.removed {
                self.store.delete_webhook(&hook.id, NewEvent::new(binding_id, EventKind::HookRemoved, json!({ "repo": hook.repo, "provider_hook_id": hook.provider_hook_id })))?;
            }
            out.push(r);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_and_templates() {
        assert_eq!(split_image("registry.example.com/team/app", SourceType::Branch).unwrap(), ("registry.example.com/team/app".into(), "{branch}".into()));
        assert_eq!(split_image("localhost:5000/app:{branch}-{sha7}", SourceType::Branch).unwrap(), ("localhost:5000/app".into(), "{branch}-{sha7}".into()));
        assert_eq!(split_image("app:{tag}", SourceType::Tag).unwrap(), ("app".into(), "{tag}".into()));
        for bad in ["", "App", "app:{nope}", "app:a b", "app:"] {
            assert!(split_image(bad, SourceType::Branch).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn paths_stay_inside_the_repository() {
        assert_eq!(check_relative("x", "docker/Dockerfile").unwrap(), "docker/Dockerfile");
        for bad in ["", "/etc/passwd", "../x", "a/../../b", "a\\b"] {
            assert!(check_relative("x", bad).is_err(), "{bad:?}");
        }
        assert!(check_trigger_url("http://builds.example.com/hook").is_err());
        assert!(check_trigger_url("https://builds.example.com/hook").is_ok());
        assert!(check_trigger_url("http://127.0.0.1:9000/hook").is_ok());
    }
}
