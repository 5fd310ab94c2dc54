//! Editing a build rule and switching it on or off. The repository's webhook follows: it is
//! created when the first rule is enabled, moved when the rules' trigger URL changes, and removed
//! when no enabled rule needs it. A change that the provider refuses changes nothing.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

use super::hooks::HookSync;
use super::rule_input::{check_auth, RuleInput};
use super::rules::rule_auth_key;
use super::Core;
use crate::error::{Error, Result};
use crate::model::{BuildRule, EventKind, SourceType};
use crate::store::{NewEvent, RuleWrite};
use crate::time::now;

/// A rule's new fields (the repository stays; add a rule to build another one).
#[derive(Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RuleEdit {
    pub rule_id: String,
    pub source_type: SourceType,
    pub source: String,
    pub dockerfile: String,
    pub context: Option<String>,
    /// `REPO[:TAG-TEMPLATE]`
    pub image: String,
    /// None: the global trigger URL from Settings.
    pub trigger_url: Option<String>,
    /// A new `Authorization` header for this rule; none keeps the current one.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub trigger_auth: Option<String>,
    /// Drops this rule's own `Authorization` header (the global one applies again).
    #[serde(default)]
    pub clear_trigger_auth: bool,
}

impl std::fmt::Debug for RuleEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleEdit")
            .field("rule_id", &self.rule_id)
            .field("source", &self.source)
            .field("image", &self.image)
            .field("trigger_url", &self.trigger_url)
            .field("trigger_auth", &self.trigger_auth.as_ref().map(|_| "<redacted>"))
            .field("clear_trigger_auth", &self.clear_trigger_auth)
            .finish()
    }
}

/// A rule after a change, and what its repository's webhook went through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RuleSaved {
    pub rule: BuildRule,
    pub hook: HookSync,
}

/// The fields that differ, as `{field: [old, new]}`, for the history.
fn changes(old: &BuildRule, new: &BuildRule) -> Map<String, Value> {
    let (a, b) = (serde_json::to_value(old).unwrap_or_default(), serde_json::to_value(new).unwrap_or_default());
    let mut out = Map::new();
    for key in ["source_type", "source", "dockerfile", "context", "image", "tag_template", "trigger_url", "enabled"] {
        if a.get(key) != b.get(key) {
            out.insert(key.to_owned(), json!([a.get(key), b.get(key)]));
        }
    }
    out
}

impl Core {
    fn rule_or_not_found(&self, rule_id: &str) -> Result<BuildRule> {
        self.store.rule(rule_id)?.ok_or_else(|| Error::not_found(format!("no build rule with id {rule_id}")))
    }

    /// Changes a rule's fields; its repository's webhook moves with its trigger URL.
    pub async fn update_rule(&self, edit: RuleEdit) -> Result<RuleSaved> {
        let old = self.rule_or_not_found(&edit.rule_id)?;
        let fields = RuleInput {
            source_type: edit.source_type,
            source: &edit.source,
            dockerfile: &edit.dockerfile,
            context: edit.context.as_deref(),
            image: &edit.image,
            trigger_url: edit.trigger_url.as_deref(),
        }
        .check()?;
        let auth = check_auth(edit.trigger_auth.as_deref())?;
        let new = BuildRule {
            source_type: fields.source_type,
            source: fields.source,
            is_regex: fields.is_regex,
            dockerfile: fields.dockerfile,
            context: fields.context,
            image: fields.image,
            tag_template: fields.tag_template,
            trigger_url: fields.trigger_url,
            updated_at: now(),
            ..old.clone()
        };
        let mut diff = changes(&old, &new);
        if auth.is_some() || edit.clear_trigger_auth {
            diff.insert("trigger_auth".to_owned(), json!(if auth.is_some() { "set" } else { "removed" }));
        }
        if diff.is_empty() {
            return Ok(RuleSaved { hook: HookSync { hook: self.store.webhook_for(&old.binding_id, &old.repo)?, ..Default::default() }, rule: old });
        }
        let event = NewEvent::new(&old.binding_id, EventKind::RuleChanged, json!({ "rule_id": old.id, "repo": old.repo, "changes": diff }));
        let hook = self.save_rule(&new, event).await?;
        let key = rule_auth_key(&new.id);
        match auth {
            Some(a) => self.vault.put(&key, &a)?,
            None if edit.clear_trigger_auth => self.vault.delete(&key)?,
            None => {}
        }
        Ok(RuleSaved { rule: new, hook })
    }

    /// Switches a rule on or off; the webhook goes with the last enabled rule on its repository
    /// and comes back with the first.
    pub async fn set_rule_enabled(&self, rule_id: &str, enabled: bool) -> Result<RuleSaved> {
        let old = self.rule_or_not_found(rule_id)?;
        if old.enabled == enabled {
            return Ok(RuleSaved { hook: HookSync { hook: self.store.webhook_for(&old.binding_id, &old.repo)?, ..Default::default() }, rule: old });
        }
        let new = BuildRule { enabled, updated_at: now(), ..old.clone() };
        let kind = if enabled { EventKind::RuleEnabled } else { EventKind::RuleDisabled };
        let event = NewEvent::new(&old.binding_id, kind, json!({ "rule_id": old.id, "repo": old.repo }));
        let hook = self.save_rule(&new, event).await?;
        Ok(RuleSaved { rule: new, hook })
    }

    /// Saves a changed rule with the webhook its repository needs now, all or nothing.
    async fn save_rule(&self, rule: &BuildRule, event: NewEvent) -> Result<HookSync> {
        let binding = self.binding(&rule.binding_id)?;
        let all = self.store.rules(Some(&rule.binding_id))?;
        let on_repo: Vec<&BuildRule> = all.iter().filter(|r| r.repo == rule.repo && r.id != rule.id).chain(std::iter::once(rule)).collect();
        let url = self.desired_url(&on_repo)?;
        if url.is_some() {
            // Creating or moving a webhook needs the token; say so before anything changes.
            self.prepare(&binding.id)?;
        }
        let plan = self.plan_hook(&binding, &rule.repo, url.as_deref(), false).await?;
        if let Err(e) = self.store.write_rules(plan.write(RuleWrite { save: Some(rule), events: vec![event], ..Default::default() })) {
            self.abandon_plan(&binding, &plan).await;
            return Err(e);
        }
        Ok(self.finish_plan(plan))
    }
}
