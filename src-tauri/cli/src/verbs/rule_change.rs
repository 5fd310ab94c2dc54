//! `codebind rules edit|enable|disable`, `codebind hooks repair`

use codebind_core::model::SourceType;
use codebind_core::usecases::{HookSync, RuleEdit};
use codebind_core::{Core, Error};

use crate::args::{HookRepairArgs, RuleEditArgs, RuleIdArgs};
use crate::output;

fn print_sync(sync: &HookSync) {
    if let Some(r) = &sync.removal {
        match (r.removed, &r.manual_url) {
            (true, _) => println!("Removed the webhook {} on {}.", r.provider_hook_id, r.repo),
            (false, Some(url)) => println!("Could not remove the webhook on {}: remove it at {url}", r.repo),
            (false, None) => println!("Could not remove the webhook on {}.", r.repo),
        }
    }
    if let (true, Some(h)) = (sync.created, &sync.hook) {
        println!("Created the webhook {} on {} → {}", h.provider_hook_id, h.repo, h.url);
    }
}

pub async fn edit(core: &Core, a: RuleEditArgs) -> Result<(), Error> {
    let rule = core.store().rule(&a.rule_id)?.ok_or_else(|| Error::not_found(format!("no build rule with id {}", a.rule_id)))?;
    let (source_type, source) = match (a.branch, a.tag) {
        (Some(b), _) => (SourceType::Branch, b),
        (_, Some(t)) => (SourceType::Tag, t),
        _ => (rule.source_type, rule.source.clone()),
    };
    let trigger_url = match (a.trigger_url, a.default_trigger_url) {
        (Some(u), _) => Some(u),
        (None, true) => None,
        (None, false) => rule.trigger_url.clone(),
    };
    let trigger_auth = if a.trigger_auth_stdin { Some(super::rules::read_header_value()?) } else { None };
    let edit = RuleEdit {
        rule_id: rule.id.clone(),
        source_type,
        source,
        dockerfile: a.dockerfile.unwrap_or(rule.dockerfile.clone()),
        context: Some(a.context.unwrap_or(rule.context.clone())),
        image: a.image.unwrap_or_else(|| format!("{}:{}", rule.image, rule.tag_template)),
        trigger_url,
        trigger_auth,
        clear_trigger_auth: a.clear_trigger_auth,
    };
    let saved = core.update_rule(edit).await?;
    if a.json {
        return output::json(&saved);
    }
    println!("Saved rule {} on {}.", saved.rule.id, saved.rule.repo);
    print_sync(&saved.hook);
    Ok(())
}

pub async fn enable(core: &Core, a: &RuleIdArgs, on: bool) -> Result<(), Error> {
    let saved = core.set_rule_enabled(&a.rule_id, on).await?;
    if a.json {
        return output::json(&saved);
    }
    println!("Rule {} on {} is {}.", saved.rule.id, saved.rule.repo, if on { "enabled" } else { "disabled" });
    print_sync(&saved.hook);
    Ok(())
}

pub async fn repair(core: &Core, a: &HookRepairArgs) -> Result<(), Error> {
    let sync = core.repair_hook(&a.binding_id, &a.repo).await?;
    if a.json {
        return output::json(&sync);
    }
    print_sync(&sync);
    if sync.hook.is_none() && sync.removal.is_none() {
        println!("{} needs no webhook.", a.repo);
    }
    Ok(())
}
