//! Build rules and their webhooks: a rule says which branch or tag of a repository builds which
//! Dockerfile into which image; each repository with a rule gets one push/tag-push webhook that
//! points at the build service, signed with a secret kept in the keychain. Codebind removes what it
//! created.

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::hooks::HookPlan;
use super::rule_input::{check_auth, check_repo, check_trigger_url, RuleInput};
use super::Core;
use crate::error::{Error, Result};
use crate::model::{BuildRule, EventKind, HookRemoval, ProviderKind, SourceType, Webhook};
use crate::store::{NewEvent, RuleWrite};
use crate::time::now;

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
        match check_auth(value)? {
            Some(v) => self.vault.put(TRIGGER_AUTH_KEY, &v),
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
        let repo = check_repo(&req.repo)?;
        let fields = RuleInput {
            source_type: req.source_type,
            source: &req.source,
            dockerfile: &req.dockerfile,
            context: req.context.as_deref(),
            image: &req.image,
            trigger_url: req.trigger_url.as_deref(),
        }
        .check()?;
        let trigger_auth = check_auth(req.trigger_auth.as_deref())?;
        let binding = self.binding(&req.binding_id)?;
        self.prepare(&binding.id)?;
        let t = now();
        let rule = BuildRule {
            id: uuid::Uuid::new_v4().to_string(),
            binding_id: binding.id.clone(),
            repo: repo.clone(),
            source_type: fields.source_type,
            source: fields.source,
            is_regex: fields.is_regex,
            dockerfile: fields.dockerfile,
            context: fields.context,
            image: fields.image,
            tag_template: fields.tag_template,
            trigger_url: fields.trigger_url,
            enabled: true,
            created_at: t.clone(),
            updated_at: t,
        };
        let existing = self.store.rules(Some(&binding.id))?;
        let mut on_repo: Vec<&BuildRule> = existing.iter().filter(|r| r.repo == repo).collect();
        on_repo.push(&rule);
        let url = self.desired_url(&on_repo)?;
        if let Some(a) = &trigger_auth {
            self.vault.put(&rule_auth_key(&rule.id), a)?;
        }
        let plan = match self.plan_hook(&binding, &repo, url.as_deref(), false).await {
            Ok(p) => p,
            Err(e) => {
                let _ = self.vault.delete(&rule_auth_key(&rule.id));
                return Err(e);
            }
        };
        let event = NewEvent::new(&binding.id, EventKind::RuleAdded, json!({ "rule_id": rule.id, "repo": repo, "source": rule.source, "image": rule.image }));
        if let Err(e) = self.store.write_rules(plan.write(RuleWrite { save: Some(&rule), events: vec![event], ..Default::default() })) {
            // Do not leave a webhook behind that nothing records.
            self.abandon_plan(&binding, &plan).await;
            let _ = self.vault.delete(&rule_auth_key(&rule.id));
            return Err(e);
        }
        let sync = self.finish_plan(plan);
        let hook = sync.hook.ok_or_else(|| Error::storage("the repository's webhook was not recorded"))?;
        Ok(RuleAdded { rule, hook, hook_created: sync.created })
    }

    /// Removes a rule; its repository's webhook goes too when no other enabled rule needs it.
    pub async fn remove_rule(&self, rule_id: &str) -> Result<RuleRemoved> {
        let rule = self.store.rule(rule_id)?.ok_or_else(|| Error::not_found(format!("no build rule with id {rule_id}")))?;
        let binding = self.binding(&rule.binding_id)?;
        let others_enabled = self.store.rules(Some(&rule.binding_id))?.into_iter().any(|r| r.repo == rule.repo && r.id != rule.id && r.enabled);
        let plan = if others_enabled {
            HookPlan::keep()
        } else {
            self.plan_hook(&binding, &rule.repo, None, false).await?
        };
        let event = NewEvent::new(&rule.binding_id, EventKind::RuleRemoved, json!({ "rule_id": rule.id, "repo": rule.repo }));
        self.store.write_rules(plan.write(RuleWrite { delete: Some(&rule.id), events: vec![event], ..Default::default() }))?;
        let _ = self.vault.delete(&rule_auth_key(&rule.id));
        Ok(RuleRemoved { rule_id: rule.id, hook: self.finish_plan(plan).removal })
    }
}
