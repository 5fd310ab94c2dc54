//! Editing, disabling, enabling and repairing build rules, at the library level against the
//! simulator's hook APIs, per provider. The repository's webhook follows its enabled rules: it
//! stays put when an edit leaves the trigger URL alone, moves (new hook, new secret, old one gone)
//! when the URL changes, goes with the last enabled rule and comes back with the first; "repair"
//! re-creates one deleted at the provider. Every change is in the history; bad input and a refused
//! provider change nothing.

mod hooks_env;

use codebind_core::model::{EventKind, ProviderKind, SourceType};
use codebind_core::usecases::{RuleEdit, RuleSaved};
use codebind_core::vault::Vault;
use codebind_core::ErrorCode;
use codebind_tests::receiver::{verify, Receiver};
use hooks_env::{case, env};

fn edit_of(saved: &codebind_core::model::BuildRule) -> RuleEdit {
    RuleEdit {
        rule_id: saved.id.clone(),
        source_type: saved.source_type,
        source: saved.source.clone(),
        dockerfile: saved.dockerfile.clone(),
        context: Some(saved.context.clone()),
        image: format!("{}:{}", saved.image, saved.tag_template),
        trigger_url: saved.trigger_url.clone(),
        trigger_auth: None,
        clear_trigger_auth: false,
    }
}

async fn changes(kind: ProviderKind) {
    let c = case(kind);
    let env = env().await;
    let p = c.sim;
    let b = env.bind(&c, c.token).await;
    env.core.set_trigger_url(Some(&env.rx.url())).unwrap();
    let added = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Branch, "main")).await.unwrap_or_else(|e| panic!("{kind:?}: [{}] {}", e.code.as_str(), e.message));
    let first_hook = added.hook.clone();

    // An edit that keeps the trigger URL keeps the webhook.
    let mut edit = edit_of(&added.rule);
    edit.dockerfile = "build/Dockerfile.prod".into();
    edit.image = "registry.example.com/team/api:{branch}-{sha7}".into();
    let saved = env.core.update_rule(edit).await.unwrap();
    assert_eq!((saved.rule.dockerfile.as_str(), saved.rule.image.as_str(), saved.rule.tag_template.as_str()), ("build/Dockerfile.prod", "registry.example.com/team/api", "{branch}-{sha7}"));
    assert!(!saved.hook.created && saved.hook.removal.is_none(), "{kind:?}: {:?}", saved.hook);
    assert_eq!(saved.hook.hook.as_ref().map(|h| h.id.as_str()), Some(first_hook.id.as_str()));
    assert_eq!(env.core.rules(Some(&b.id)).unwrap(), vec![saved.rule.clone()], "the store has the edit");
    let at_sim = env.sim.hooks(p, &c.repo);
    assert_eq!(at_sim.len(), 1);
    assert_eq!(at_sim[0].key(), first_hook.provider_hook_id);
    assert_eq!(env.events(&b.id).last(), Some(&EventKind::RuleChanged));

    // Bad input changes nothing.
    let before = (env.core.rules(Some(&b.id)).unwrap(), env.events(&b.id), env.sim.hooks(p, &c.repo).len());
    for (bad, code) in [
        (RuleEdit { image: "Not An Image".into(), ..edit_of(&saved.rule) }, ErrorCode::InvalidInput),
        (RuleEdit { source: "v[0-".into(), ..edit_of(&saved.rule) }, ErrorCode::InvalidInput),
        (RuleEdit { dockerfile: "../Dockerfile".into(), ..edit_of(&saved.rule) }, ErrorCode::InvalidInput),
        (RuleEdit { trigger_url: Some("http://builds.example.com/x".into()), ..edit_of(&saved.rule) }, ErrorCode::InsecureHttp),
        (RuleEdit { rule_id: "no-such-rule".into(), ..edit_of(&saved.rule) }, ErrorCode::NotFound),
    ] {
        assert_eq!(env.core.update_rule(bad).await.unwrap_err().code, code, "{kind:?}");
    }
    assert_eq!((env.core.rules(Some(&b.id)).unwrap(), env.events(&b.id), env.sim.hooks(p, &c.repo).len()), before, "{kind:?}: nothing changed");

    // Rules on one repository share its webhook, so they must send to one trigger URL.
    let rx2 = Receiver::start().await;
    let conflicting = codebind_core::usecases::NewRule { trigger_url: Some(rx2.url()), ..env.rule(&b, &c.repo, SourceType::Tag, "v1.0") };
    assert_eq!(env.core.add_rule(conflicting).await.unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(env.core.rules(Some(&b.id)).unwrap().len(), 1);

    // A new trigger URL moves the webhook: a new hook with a new secret; the old one is gone.
    let moved: RuleSaved = env.core.update_rule(RuleEdit { trigger_url: Some(rx2.url()), ..edit_of(&saved.rule) }).await.unwrap_or_else(|e| panic!("{kind:?}: {}", e.message));
    assert!(moved.hook.created, "{kind:?}");
    let removal = moved.hook.removal.as_ref().expect("the old hook was removed");
    assert!(removal.removed && removal.provider_hook_id == first_hook.provider_hook_id, "{kind:?}: {removal:?}");
    let new_hook = moved.hook.hook.clone().unwrap();
    assert_eq!(new_hook.url, rx2.url());
    let at_sim = env.sim.hooks(p, &c.repo);
    assert_eq!(at_sim.len(), 1, "{kind:?}: {at_sim:?}");
    assert_eq!((at_sim[0].key(), at_sim[0].url.as_str()), (new_hook.provider_hook_id.clone(), rx2.url().as_str()));
    assert!(env.vault.get(&first_hook.secret_key).unwrap().is_none(), "the old secret left the vault");
    let secret = env.secret(&new_hook.secret_key);
    assert_eq!(at_sim[0].secret.as_deref(), Some(secret.as_str()));
    env.sim.push(p, &c.repo, "main").await;
    let got = rx2.wait_for(1, std::time::Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "{kind:?}: the push went to the new URL");
    assert!(verify(kind, &secret, &got[0]), "{kind:?}: signed with the new secret");
    let newest: Vec<EventKind> = env.events(&b.id).into_iter().rev().take(3).collect();
    assert_eq!(newest, [EventKind::HookCreated, EventKind::HookRemoved, EventKind::RuleChanged], "{kind:?}");

    // Disabling the only rule removes the webhook; Build now refuses; enabling brings it back.
    let off = env.core.set_rule_enabled(&saved.rule.id, false).await.unwrap();
    assert!(!off.rule.enabled);
    assert!(off.hook.removal.as_ref().is_some_and(|r| r.removed), "{kind:?}: {:?}", off.hook);
    assert!(off.hook.hook.is_none());
    assert!(env.sim.hooks(p, &c.repo).is_empty(), "{kind:?}: removed at the provider");
    assert!(env.core.hooks(&b.id).await.unwrap().is_empty());
    assert_eq!(env.core.trigger(&saved.rule.id, None).await.unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(env.events(&b.id).iter().rev().take(2).copied().collect::<Vec<_>>(), [EventKind::HookRemoved, EventKind::RuleDisabled]);
    let on = env.core.set_rule_enabled(&saved.rule.id, true).await.unwrap();
    assert!(on.rule.enabled && on.hook.created, "{kind:?}: {:?}", on.hook);
    assert_eq!(env.sim.hooks(p, &c.repo).len(), 1);
    assert_eq!(env.events(&b.id).iter().rev().take(2).copied().collect::<Vec<_>>(), [EventKind::HookCreated, EventKind::RuleEnabled]);
    // Switching to the state it is in is no change.
    let same = env.core.set_rule_enabled(&saved.rule.id, true).await.unwrap();
    assert!(!same.hook.created && same.hook.removal.is_none());

    // Repair: a webhook deleted at the provider is re-created.
    let hook = on.hook.hook.clone().unwrap();
    assert!(env.sim.remove_hook(p, &hook.provider_hook_id));
    assert_eq!(env.core.hooks(&b.id).await.unwrap()[0].present, Some(false));
    let repaired = env.core.repair_hook(&b.id, &c.repo).await.unwrap();
    assert!(repaired.created, "{kind:?}");
    let states = env.core.hooks(&b.id).await.unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0].present, Some(true), "{kind:?}");
    assert!(states[0].drift.is_empty(), "{kind:?}: {:?}", states[0].drift);
    assert_eq!(env.sim.hooks(p, &c.repo).len(), 1);
    // A new global trigger URL shows as drift on rules without their own URL, and repair moves it.
    env.core.update_rule(RuleEdit { trigger_url: None, ..edit_of(&on.rule) }).await.unwrap();
    let rx3 = Receiver::start().await;
    env.core.set_trigger_url(Some(&rx3.url())).unwrap();
    let states = env.core.hooks(&b.id).await.unwrap();
    assert!(states[0].drift.iter().any(|d| d.contains(&rx3.url())), "{kind:?}: {:?}", states[0].drift);
    env.core.repair_hook(&b.id, &c.repo).await.unwrap();
    assert_eq!(env.sim.hooks(p, &c.repo)[0].url, rx3.url());
    assert!(env.core.hooks(&b.id).await.unwrap()[0].drift.is_empty());

    // With the token revoked: moving the webhook fails and changes nothing; disabling still
    // disables, keeps the hook on record and says where to remove it by hand.
    assert!(env.sim.revoke_token(c.token));
    let rule = env.core.rules(Some(&b.id)).unwrap().remove(0);
    let events = env.events(&b.id);
    assert!(env.core.update_rule(RuleEdit { trigger_url: Some(rx2.url()), ..edit_of(&rule) }).await.is_err());
    assert_eq!(env.core.rules(Some(&b.id)).unwrap(), vec![rule.clone()], "{kind:?}");
    assert_eq!(env.events(&b.id), events);
    let off = env.core.set_rule_enabled(&rule.id, false).await.unwrap();
    assert!(!off.rule.enabled);
    let removal = off.hook.removal.expect("a removal was tried");
    assert!(!removal.removed && removal.manual_url.is_some(), "{kind:?}: {removal:?}");
    assert!(off.hook.hook.is_some(), "still on record");
    assert_eq!(env.sim.hooks(p, &c.repo).len(), 1);
}

#[tokio::test]
async fn github_rule_changes() {
    changes(ProviderKind::Github).await;
}

#[tokio::test]
async fn gitlab_rule_changes_on_a_subgroup_project() {
    changes(ProviderKind::Gitlab).await;
}

#[tokio::test]
async fn bitbucket_rule_changes() {
    changes(ProviderKind::Bitbucket).await;
}

#[tokio::test]
async fn gitee_rule_changes() {
    changes(ProviderKind::Gitee).await;
}

#[tokio::test]
async fn codeup_rule_changes() {
    changes(ProviderKind::Codeup).await;
}

#[tokio::test]
async fn gitea_rule_changes() {
    changes(ProviderKind::Gitea).await;
}
