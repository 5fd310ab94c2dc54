//! The webhook lifecycle behind build rules: a repository has Codebind's push/tag-push webhook
//! exactly while at least one enabled rule needs it, pointing at the rules' trigger URL and signed
//! with a secret kept in the keychain. Created, moved, repaired, checked for drift and removed here.

use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::context::Prepared;
use super::rules::webhook_permission;
use super::Core;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Binding, BuildRule, EventKind, HookRemoval, Webhook, WebhookState};
use crate::providers::{self, Host};
use crate::store::{NewEvent, RuleWrite};
use crate::time::now;
use crate::vault::Secret;

/// How many webhooks `hooks` checks at the provider at once.
const CONCURRENT_HOOK_CHECKS: usize = 8;

/// What happened to a repository's webhook when its rules changed or it was repaired.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct HookSync {
    /// The repository's webhook afterwards (none when no enabled rule needs one).
    pub hook: Option<Webhook>,
    /// A new webhook was created at the provider.
    pub created: bool,
    /// The webhook that was removed (or could not be, with a link to do it by hand).
    pub removal: Option<HookRemoval>,
}

/// The remote side of a webhook change, done; the records are written by the caller together
/// with its rule change, so both land or neither does.
pub(crate) struct HookPlan {
    pub sync: HookSync,
    pub drop_hook: Option<String>,
    pub add_hook: Option<Webhook>,
    pub events: Vec<NewEvent>,
    /// Secrets of webhooks that are gone, deleted once the records are written.
    pub stale_secrets: Vec<String>,
}

impl HookPlan {
    fn unchanged(hook: Option<Webhook>) -> HookPlan {
        HookPlan { sync: HookSync { hook, created: false, removal: None }, drop_hook: None, add_hook: None, events: vec![], stale_secrets: vec![] }
    }

    /// Nothing to do at the provider.
    pub fn keep() -> HookPlan {
        HookPlan::unchanged(None)
    }

    /// The record changes, to add to a `RuleWrite`.
    pub fn write<'a>(&'a self, mut w: RuleWrite<'a>) -> RuleWrite<'a> {
        w.drop_hook = self.drop_hook.as_deref();
        w.add_hook = self.add_hook.as_ref();
        w.events.extend(self.events.iter().cloned());
        w
    }
}

fn removed_event(hook: &Webhook) -> NewEvent {
    NewEvent::new(&hook.binding_id, EventKind::HookRemoved, json!({ "repo": hook.repo, "provider_hook_id": hook.provider_hook_id }))
}

fn random_secret() -> Secret {
    Secret::new(format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()))
}

impl Core {
    /// The trigger URL a rule sends to: its own, or the one from Settings.
    pub(crate) fn effective_url(&self, rule: &BuildRule) -> Result<String> {
        match &rule.trigger_url {
            Some(u) => Ok(u.clone()),
            None => self.trigger_url()?.ok_or_else(|| Error::invalid_input("set the build service's trigger URL in Settings, or give one for this rule")),
        }
    }

    /// The URL the repository's webhook must point at when `rules` are its rules (none when no
    /// rule is enabled). Enabled rules on one repository share its webhook, so they must agree.
    pub(crate) fn desired_url(&self, rules: &[&BuildRule]) -> Result<Option<String>> {
        let mut url: Option<String> = None;
        for r in rules.iter().filter(|r| r.enabled) {
            let u = self.effective_url(r)?;
            match &url {
                Some(existing) if *existing != u => {
                    return Err(Error::invalid_input(format!(
                        "the rules on {} share one webhook and must send to one trigger URL ({existing} and {u} differ); give them the same trigger URL",
                        r.repo
                    )))
                }
                _ => url = Some(u),
            }
        }
        Ok(url)
    }

    /// Creates Codebind's webhook on a repository; the secret goes to the keychain first.
    async fn create_hook(&self, b: &Binding, p: &Prepared, repo: &str, url: &str) -> Result<Webhook> {
        let id = uuid::Uuid::new_v4().to_string();
        let secret_key = format!("webhook/{id}/secret");
        self.vault.put(&secret_key, &random_secret())?;
        let secret = self.vault.get(&secret_key)?.ok_or_else(|| Error::keychain_unavailable("the keychain did not keep the webhook's secret"))?;
        match p.provider.create_hook(&p.session(), repo, url, &secret).await {
            Ok(remote) => Ok(Webhook {
                id,
                binding_id: b.id.clone(),
                repo: repo.to_owned(),
                provider_hook_id: remote.id,
                url: url.to_owned(),
                events: vec!["push".into(), "tag_push".into()],
                created_at: now(),
                secret_key,
            }),
            Err(e) => {
                let _ = self.vault.delete(&secret_key);
                Err(match e.code {
                    ErrorCode::InsufficientScope | ErrorCode::ProviderForbidden | ErrorCode::NotFound => Error::new(
                        ErrorCode::InsufficientScope,
                        format!("{} refused to create the webhook on {repo} ({}); the token needs {}", b.provider.display_name(), e.message, webhook_permission(b.provider)),
                    ),
                    _ => e,
                })
            }
        }
    }

    /// Brings a repository's webhook in line with `url` (the rules' trigger URL, or none): creates
    /// it, moves it to a new URL, or removes it. With `force`, the webhook is replaced even when the
    /// record looks right (repair of a hook that was deleted or edited at the provider).
    /// A failure to create or move changes nothing and is an error; a failure to remove is reported
    /// in the plan with a link to remove it by hand, and the record is kept.
    pub(crate) async fn plan_hook(&self, b: &Binding, repo: &str, url: Option<&str>, force: bool) -> Result<HookPlan> {
        let recorded = self.store.webhook_for(&b.id, repo)?;
        match (url, recorded) {
            (None, None) => Ok(HookPlan::unchanged(None)),
            (Some(u), Some(h)) if h.url == u && !force => Ok(HookPlan::unchanged(Some(h))),
            (None, Some(h)) => {
                let removal = self.remove_webhook(&h).await;
                let removed = removal.removed;
                Ok(HookPlan {
                    sync: HookSync { hook: (!removed).then(|| h.clone()), created: false, removal: Some(removal) },
                    drop_hook: removed.then(|| h.id.clone()),
                    add_hook: None,
                    events: if removed { vec![removed_event(&h)] } else { vec![] },
                    stale_secrets: if removed { vec![h.secret_key.clone()] } else { vec![] },
                })
            }
            (Some(u), old) => {
                let p = self.prepare(&b.id)?;
                let hook = self.create_hook(b, &p, repo, u).await?;
                let mut events = vec![NewEvent::new(&b.id, EventKind::HookCreated, json!({ "repo": repo, "provider_hook_id": hook.provider_hook_id, "url": u }))];
                let mut removal = None;
                if let Some(old) = &old {
                    let r = self.remove_webhook(old).await;
                    if !r.removed {
                        // Keep the old one on record rather than lose track of it; undo the new one.
                        let _ = p.provider.delete_hook(&p.session(), repo, &hook.provider_hook_id).await;
                        let _ = self.vault.delete(&hook.secret_key);
                        let e = r.error.unwrap_or_else(|| Error::new(ErrorCode::Network, "the old webhook could not be removed"));
                        return Err(Error::new(e.code, format!("the webhook on {repo} could not be replaced: {}", e.message)));
                    }
                    events.insert(0, removed_event(old));
                    removal = Some(r);
                }
                Ok(HookPlan {
                    sync: HookSync { hook: Some(hook.clone()), created: true, removal },
                    drop_hook: old.as_ref().map(|h| h.id.clone()),
                    stale_secrets: old.map(|h| h.secret_key).into_iter().collect(),
                    add_hook: Some(hook),
                    events,
                })
            }
        }
    }

    /// Undoes the remote side of a plan whose records could not be written.
    pub(crate) async fn abandon_plan(&self, b: &Binding, plan: &HookPlan) {
        if let (Some(hook), Ok(p)) = (&plan.add_hook, self.prepare(&b.id)) {
            let _ = p.provider.delete_hook(&p.session(), &hook.repo, &hook.provider_hook_id).await;
            let _ = self.vault.delete(&hook.secret_key);
        }
    }

    /// After the records are written: the secrets of removed webhooks go.
    pub(crate) fn finish_plan(&self, plan: HookPlan) -> HookSync {
        for key in &plan.stale_secrets {
            let _ = self.vault.delete(key);
        }
        plan.sync
    }

    /// Re-creates a repository's webhook (after it was deleted or changed at the provider, or the
    /// trigger URL in Settings changed), or removes it when no enabled rule needs it.
    pub async fn repair_hook(&self, binding_id: &str, repo: &str) -> Result<HookSync> {
        let b = self.binding(binding_id)?;
        let rules = self.store.rules(Some(&b.id))?;
        let on_repo: Vec<&BuildRule> = rules.iter().filter(|r| r.repo == repo).collect();
        if on_repo.is_empty() && self.store.webhook_for(&b.id, repo)?.is_none() {
            return Err(Error::not_found(format!("{repo} has no build rule and no Codebind webhook")));
        }
        let url = self.desired_url(&on_repo)?;
        let plan = self.plan_hook(&b, repo, url.as_deref(), true).await?;
        if let Err(e) = self.store.write_rules(plan.write(RuleWrite::default())) {
            self.abandon_plan(&b, &plan).await;
            return Err(e);
        }
        Ok(self.finish_plan(plan))
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

    /// Every webhook Codebind created for a binding, checked against the provider for drift
    /// (including a trigger URL that no longer matches its rules').
    pub async fn hooks(&self, binding_id: &str) -> Result<Vec<WebhookState>> {
        let recorded = self.store.webhooks(binding_id)?;
        let rules = self.store.rules(Some(binding_id))?;
        let prepared = match self.prepare(binding_id) {
            Ok(p) => p,
            Err(e) => return Ok(recorded.into_iter().map(|hook| WebhookState { hook, present: None, drift: vec![], error: Some(e.clone()) }).collect()),
        };
        let s = prepared.session();
        // One provider call per webhook, a few at a time, in the recorded order.
        let checks = recorded.into_iter().map(|hook| {
            let (prepared, s, rules) = (&prepared, &s, &rules);
            async move {
                let on_repo: Vec<&BuildRule> = rules.iter().filter(|r| r.repo == hook.repo).collect();
                let mut drift = Vec::new();
                match self.desired_url(&on_repo) {
                    Ok(Some(u)) if u != hook.url => drift.push(format!("the rules now send to {u}")),
                    Ok(None) => drift.push("no enabled rule needs it".to_owned()),
                    _ => {}
                }
                match prepared.provider.list_hooks(s, &hook.repo).await {
                    Ok(remote) => {
                        let found = remote.iter().find(|r| r.id == hook.provider_hook_id);
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
                        WebhookState { present: Some(found.is_some()), drift, error: None, hook }
                    }
                    Err(e) => WebhookState { hook, present: None, drift, error: Some(e) },
                }
            }
        });
        Ok(stream::iter(checks).buffered(CONCURRENT_HOOK_CHECKS).collect().await)
    }

    /// Removes every webhook of a binding (before unbinding).
    pub(crate) async fn remove_all_webhooks(&self, binding_id: &str) -> Result<Vec<HookRemoval>> {
        let mut out = Vec::new();
        for hook in self.store.webhooks(binding_id)? {
            let r = self.remove_webhook(&hook).await;
            if r.removed {
                self.store.write_rules(RuleWrite { drop_hook: Some(&hook.id), events: vec![removed_event(&hook)], ..Default::default() })?;
            }
            out.push(r);
        }
        Ok(out)
    }
}
