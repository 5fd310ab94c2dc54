//! Build rules and their webhooks at the library level (codebind-core, MemoryVault), against the
//! simulator's hook APIs, with a loopback receiver standing in for the build service. One
//! simulator, data dir and receiver per test, so tests run in parallel.
//!
//! Per provider: adding a rule creates exactly one push + tag-push webhook pointing at the trigger
//! URL and signed with a secret from the vault; a second rule on the repository reuses it; the
//! drift check sees it present, then drifted, then missing; a simulated push and "Build now" both
//! reach the receiver correctly signed (checked with the receiver's own, independent verifier) in
//! the provider's format with the right ref; removing the last rule removes the hook; unbinding
//! removes every hook, or reports each it could not remove with a manual URL; a token without the
//! webhook scope fails with `insufficient_scope` and leaves nothing behind. Bad input changes
//! nothing.

mod hooks_env;

use codebind_core::model::{EventKind, ProviderKind, SourceType};
use codebind_core::vault::Vault;
use codebind_core::usecases::NewRule;
use codebind_core::ErrorCode;
use codebind_tests::receiver::{pushed_ref, verify};
use hooks_env::{case, env};

/// The whole life of a build rule on one provider.
async fn lifecycle(kind: ProviderKind) {
    let c = case(kind);
    let env = env().await;
    let p = c.sim;
    let b = env.bind(&c, c.token).await;
    env.core.set_trigger_url(Some(&env.rx.url())).unwrap();
    assert_eq!(env.core.trigger_url().unwrap().as_deref(), Some(env.rx.url().as_str()));

    // The first rule creates the webhook.
    let added = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Branch, "main")).await.unwrap_or_else(|e| panic!("{kind:?}: add_rule: [{}] {}", e.code.as_str(), e.message));
    assert!(added.hook_created, "{kind:?}");
    assert_eq!(added.rule.repo, c.repo);
    assert_eq!(added.rule.image, "registry.example.com/team/app");
    assert_eq!(added.rule.tag_template, "{branch}{tag}-{sha7}");
    assert_eq!(added.hook.url, env.rx.url());
    assert_eq!(added.hook.events, ["push", "tag_push"]);
    let secret = env.secret(&added.hook.secret_key);
    assert!(secret.len() >= 32, "a long random secret");
    let at_sim = env.sim.hooks(p, &c.repo);
    assert_eq!(at_sim.len(), 1, "{kind:?}: exactly one hook: {at_sim:?}");
    let hook = &at_sim[0];
    assert_eq!(hook.key(), added.hook.provider_hook_id, "{kind:?}");
    assert_eq!(hook.url, env.rx.url(), "{kind:?}");
    assert!(hook.active, "{kind:?}");
    assert!(hook.fires_on_push(p, false) && hook.fires_on_push(p, true), "{kind:?}: push and tag push: {:?}", hook.events);
    assert_eq!(hook.secret.as_deref(), Some(secret.as_str()), "{kind:?}: signed with the vault's secret");
    if kind == ProviderKind::Gitee {
        assert_eq!(hook.encryption_type, Some(1), "Gitee signs (timestamp scheme)");
    }

    // A second rule on the repository reuses the webhook.
    let tag_rule = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Tag, "v*")).await.unwrap();
    assert!(!tag_rule.hook_created, "{kind:?}");
    assert!(tag_rule.rule.is_regex);
    assert_eq!(tag_rule.hook.id, added.hook.id);
    assert_eq!(env.sim.hooks(p, &c.repo).len(), 1, "{kind:?}: still one hook");
    assert_eq!(env.core.rules(Some(&b.id)).unwrap().len(), 2);

    // Drift check: present and as created.
    let states = env.core.hooks(&b.id).await.unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0].present, Some(true), "{kind:?}: {:?}", states[0].error);
    assert!(states[0].drift.is_empty(), "{kind:?}: {:?}", states[0].drift);
    assert!(states[0].error.is_none());

    // A push reaches the receiver, signed as the provider documents.
    let n = env.rx.len();
    let deliveries = env.sim.push(p, &c.repo, "main").await;
    assert_eq!(deliveries.len(), 1, "{kind:?}");
    assert_eq!(deliveries[0].status, Some(200), "{kind:?}: {:?}", deliveries[0].error);
    let got = env.next(n).await;
    assert!(verify(kind, &secret, &got), "{kind:?}: the simulator's push is correctly signed: {:?}", got.headers);
    assert!(!verify(kind, "not-the-secret", &got), "{kind:?}");
    assert_eq!(pushed_ref(kind, &got), Some(("refs/heads/main".to_owned(), false)), "{kind:?}");
    let n = env.rx.len();
    env.sim.push(p, &c.repo, "refs/tags/v1.2.0").await;
    let got = env.next(n).await;
    assert!(verify(kind, &secret, &got), "{kind:?}: tag push signed");
    assert_eq!(pushed_ref(kind, &got), Some(("refs/tags/v1.2.0".to_owned(), true)), "{kind:?}");

    // "Build now": a signed event in the provider's format, for the rule's ref.
    let n = env.rx.len();
    let report = env.core.trigger(&added.rule.id, None).await.unwrap();
    assert!(report.delivered, "{kind:?}: {:?}", report.message);
    assert_eq!(report.status, Some(200));
    assert_eq!(report.git_ref, "main");
    // The commit is the one the provider says main points at now: the push above.
    let head = env.sim.head(p, &c.repo, "refs/heads/main").expect("main has a head");
    assert_eq!(report.sha, head, "{kind:?}");
    assert_eq!(report.image_tag, format!("registry.example.com/team/app:main-{}", &head[..7]));
    assert_eq!(report.url, env.rx.url());
    let got = env.next(n).await;
    assert!(String::from_utf8_lossy(&got.body).contains(&head), "{kind:?}: the event names the commit");
    assert_eq!(got.method, "POST");
    assert!(verify(kind, &secret, &got), "{kind:?}: Build now is correctly signed: {:?}", got.headers);
    assert_eq!(pushed_ref(kind, &got), Some(("refs/heads/main".to_owned(), false)), "{kind:?}: {}", String::from_utf8_lossy(&got.body));
    assert_eq!(got.header("x-codebind-rule"), Some(added.rule.id.as_str()));
    assert_eq!(got.header("x-codebind-image"), Some(format!("registry.example.com/team/app:main-{}", &head[..7]).as_str()));
    assert_eq!(got.header("x-codebind-dockerfile"), Some("docker/Dockerfile"));
    // A tag rule (a pattern) needs a ref, and builds it as a tag.
    assert_eq!(env.core.trigger(&tag_rule.rule.id, None).await.unwrap_err().code, ErrorCode::InvalidInput);
    // A tag that is not at the provider is refused before anything is sent or logged.
    let logged = env.events(&b.id).len();
    let n = env.rx.len();
    assert_eq!(env.core.trigger(&tag_rule.rule.id, Some("refs/tags/v2.0")).await.unwrap_err().code, ErrorCode::NotFound, "{kind:?}");
    assert_eq!(env.core.trigger(&added.rule.id, Some("no-such-branch")).await.unwrap_err().code, ErrorCode::NotFound, "{kind:?}");
    assert_eq!((env.events(&b.id).len(), env.rx.len()), (logged, n));
    env.sim.set_ref(p, &c.repo, "refs/tags/v2.0", Some("0123456789abcdef0123456789abcdef01234567"));
    let report = env.core.trigger(&tag_rule.rule.id, Some("refs/tags/v2.0")).await.unwrap();
    assert!(report.delivered);
    assert_eq!(report.sha, "0123456789abcdef0123456789abcdef01234567");
    assert_eq!(report.image_tag, "registry.example.com/team/app:v2.0-0123456");
    let got = env.next(n).await;
    assert!(verify(kind, &secret, &got), "{kind:?}");
    assert_eq!(pushed_ref(kind, &got), Some(("refs/tags/v2.0".to_owned(), true)), "{kind:?}");
    // The build service refusing is reported, not hidden.
    env.rx.set_status(500);
    let refused = env.core.trigger(&added.rule.id, Some("main")).await.unwrap();
    assert!(!refused.delivered);
    assert_eq!(refused.status, Some(500));
    assert!(refused.message.unwrap().contains("500"));
    env.rx.set_status(200);
    assert_eq!(env.events(&b.id).iter().filter(|e| **e == EventKind::BuildTriggered).count(), 3, "{kind:?}");

    // Drift: the URL was changed at the provider, then the hook was deleted there.
    assert!(env.sim.set_hook_url(p, &hook.key(), "https://elsewhere.example.com/hook"));
    let states = env.core.hooks(&b.id).await.unwrap();
    assert_eq!(states[0].present, Some(true));
    assert!(states[0].drift.iter().any(|d| d.contains("https://elsewhere.example.com/hook")), "{kind:?}: {:?}", states[0].drift);
    assert!(env.sim.set_hook_url(p, &hook.key(), &env.rx.url()));
    assert!(env.sim.set_hook_active(p, &hook.key(), false));
    let states = env.core.hooks(&b.id).await.unwrap();
    // Gitee's and Codeup's hook APIs have no on/off state to report.
    let reported: &[&str] = if matches!(kind, ProviderKind::Gitee | ProviderKind::Codeup) { &[] } else { &["inactive"] };
    assert_eq!(states[0].drift, reported, "{kind:?}");
    assert!(env.sim.push(p, &c.repo, "main").await.is_empty(), "{kind:?}: an inactive hook gets nothing");
    assert!(env.sim.remove_hook(p, &hook.key()));
    let states = env.core.hooks(&b.id).await.unwrap();
    assert_eq!(states[0].present, Some(false), "{kind:?}");
    assert!(states[0].drift.is_empty());

    // Removing the rules: the first leaves the hook, the last removes it (already gone counts).
    let removed = env.core.remove_rule(&tag_rule.rule.id).await.unwrap();
    assert!(removed.hook.is_none(), "another rule still needs the hook");
    let removed = env.core.remove_rule(&added.rule.id).await.unwrap();
    assert!(removed.hook.as_ref().is_some_and(|h| h.removed), "{kind:?}: {removed:?}");
    assert!(env.vault.get(&added.hook.secret_key).unwrap().is_none(), "the secret left the vault");
    assert!(env.core.hooks(&b.id).await.unwrap().is_empty());

    // On another repository the last rule's removal deletes the hook at the provider.
    let other = env.core.add_rule(env.rule(&b, &c.other_repo, SourceType::Branch, "main")).await.unwrap_or_else(|e| panic!("{kind:?}: {}", e.message));
    assert!(other.hook_created);
    assert_eq!(env.sim.hooks(p, &c.other_repo).len(), 1);
    let removed = env.core.remove_rule(&other.rule.id).await.unwrap();
    let removal = removed.hook.expect("the hook was the rule's");
    assert!(removal.removed && removal.error.is_none() && removal.manual_url.is_none(), "{kind:?}: {removal:?}");
    assert_eq!(removal.provider_hook_id, other.hook.provider_hook_id);
    assert!(env.sim.hooks(p, &c.other_repo).is_empty(), "{kind:?}: deleted at the provider");
    assert!(env.vault.get(&other.hook.secret_key).unwrap().is_none());
    let deletes = env.sim.requests_for(p).into_iter().filter(|r| r.method == "DELETE" && r.path.contains("hooks")).count();
    assert_eq!(deletes, 2, "{kind:?}: one DELETE per removed hook");

    // Unbinding removes every hook and reports each.
    let one = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Branch, "main")).await.unwrap();
    let two = env.core.add_rule(env.rule(&b, &c.other_repo, SourceType::Tag, "release-1")).await.unwrap();
    assert_eq!(env.sim.hooks(p, &c.repo).len() + env.sim.hooks(p, &c.other_repo).len(), 2);
    let report = env.core.unbind(&b.id, false).await.unwrap();
    assert_eq!(report.hooks.len(), 2, "{kind:?}");
    assert!(report.hooks.iter().all(|h| h.removed && h.manual_url.is_none()), "{kind:?}: {:?}", report.hooks);
    let mut ids: Vec<&str> = report.hooks.iter().map(|h| h.provider_hook_id.as_str()).collect();
    ids.sort();
    let mut want = vec![one.hook.provider_hook_id.as_str(), two.hook.provider_hook_id.as_str()];
    want.sort();
    assert_eq!(ids, want);
    assert!(env.sim.hooks(p, &c.repo).is_empty() && env.sim.hooks(p, &c.other_repo).is_empty(), "{kind:?}");
    assert!(env.vault.is_empty(), "{kind:?}: token and hook secrets are gone");
    let kinds = env.events(&b.id);
    assert_eq!(kinds.iter().filter(|k| **k == EventKind::HookCreated).count(), 4, "{kind:?}: {kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == EventKind::HookRemoved).count(), 4, "{kind:?}: {kinds:?}");
    assert_eq!(kinds.last(), Some(&EventKind::Unbound));

    // With the token revoked at the provider, unbind says where to remove the hook by hand.
    let b = env.bind(&c, c.token).await;
    let added = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Branch, "main")).await.unwrap();
    assert!(env.sim.revoke_token(c.token));
    let report = env.core.unbind(&b.id, false).await.unwrap();
    assert!(report.binding_removed);
    assert_eq!(report.hooks.len(), 1);
    let h = &report.hooks[0];
    assert!(!h.removed, "{kind:?}");
    assert_eq!(h.provider_hook_id, added.hook.provider_hook_id);
    assert!(h.error.is_some());
    let manual = h.manual_url.as_deref().unwrap_or_else(|| panic!("{kind:?}: a manual URL"));
    assert!(manual.starts_with("https://") || manual.starts_with(&env.sim.base_url(p)), "{kind:?}: {manual}");
    assert!(manual.contains(c.repo.rsplit('/').next().unwrap()), "{kind:?}: {manual}");
    assert_eq!(env.sim.hooks(p, &c.repo).len(), 1, "{kind:?}: the hook is still there");
}

#[tokio::test]
async fn github_rule_lifecycle() {
    lifecycle(ProviderKind::Github).await;
}

#[tokio::test]
async fn gitlab_rule_lifecycle_on_a_subgroup_project() {
    lifecycle(ProviderKind::Gitlab).await;
}

#[tokio::test]
async fn bitbucket_rule_lifecycle() {
    lifecycle(ProviderKind::Bitbucket).await;
}

#[tokio::test]
async fn gitee_rule_lifecycle() {
    lifecycle(ProviderKind::Gitee).await;
}

#[tokio::test]
async fn codeup_rule_lifecycle() {
    lifecycle(ProviderKind::Codeup).await;
}

#[tokio::test]
async fn gitea_rule_lifecycle() {
    lifecycle(ProviderKind::Gitea).await;
}

#[tokio::test]
async fn a_token_without_the_webhook_scope_stores_nothing() {
    for kind in ProviderKind::ALL {
        let c = case(kind);
        let env = env().await;
        let b = env.bind(&c, c.no_hook_token).await;
        env.core.set_trigger_url(Some(&env.rx.url())).unwrap();
        let err = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Branch, "main")).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InsufficientScope, "{kind:?}: {}", err.message);
        assert!(err.message.contains(c.scope_word), "{kind:?}: {}", err.message);
        assert!(err.message.contains(&c.repo), "{kind:?}: {}", err.message);
        assert!(env.core.rules(None).unwrap().is_empty(), "{kind:?}: no rule");
        assert!(env.core.hooks(&b.id).await.unwrap().is_empty(), "{kind:?}: no webhook recorded");
        assert!(env.sim.hooks(c.sim, &c.repo).is_empty(), "{kind:?}: no webhook at the provider");
        assert_eq!(env.vault.len(), 1, "{kind:?}: only the token, no webhook secret");
        let kinds = env.events(&b.id);
        assert!(!kinds.contains(&EventKind::RuleAdded) && !kinds.contains(&EventKind::HookCreated), "{kind:?}: {kinds:?}");
    }
}

#[tokio::test]
async fn bad_rules_are_refused_before_anything_is_stored() {
    let c = case(ProviderKind::Gitlab);
    let env = env().await;
    let b = env.bind(&c, c.token).await;
    let ok = || env.rule(&b, &c.repo, SourceType::Branch, "main");

    // No trigger URL anywhere.
    let err = env.core.add_rule(ok()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("trigger URL"), "{}", err.message);
    // Plain http only for loopback, in Settings and per rule.
    let err = env.core.set_trigger_url(Some("http://builds.example.com/hook")).unwrap_err();
    assert_eq!(err.code, ErrorCode::InsecureHttp);
    assert_eq!(env.core.trigger_url().unwrap(), None);
    assert_eq!(env.core.set_trigger_url(Some("not a url")).unwrap_err().code, ErrorCode::InvalidUrl);
    let cases: Vec<(NewRule, ErrorCode, &str)> = vec![
        (NewRule { trigger_url: Some("http://builds.example.com/hook".into()), ..ok() }, ErrorCode::InsecureHttp, "https"),
        (NewRule { trigger_url: Some("ftp://builds.example.com".into()), ..ok() }, ErrorCode::InsecureHttp, "https"),
        (NewRule { image: "Registry.Example.com/App".into(), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::InvalidInput, "image"),
        (NewRule { image: "registry.example.com/app:{nope}".into(), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::InvalidInput, "template"),
        (NewRule { dockerfile: "/Dockerfile".into(), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::InvalidInput, "Dockerfile"),
        (NewRule { dockerfile: "../outside/Dockerfile".into(), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::InvalidInput, "Dockerfile"),
        (NewRule { context: Some("/abs".into()), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::InvalidInput, "context"),
        (NewRule { repo: "no-slash".into(), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::InvalidInput, "repository"),
        (NewRule { source: "two words".into(), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::InvalidInput, "branch"),
        (NewRule { binding_id: "no-such-binding".into(), trigger_url: Some(env.rx.url()), ..ok() }, ErrorCode::NotFound, "no-such-binding"),
    ];
    for (rule, code, word) in cases {
        let what = format!("{rule:?}");
        let err = env.core.add_rule(rule).await.unwrap_err();
        assert_eq!(err.code, code, "{what}: {}", err.message);
        assert!(err.message.contains(word), "{what}: {}", err.message);
    }
    // Nothing was stored and the provider was never asked to create a hook.
    assert!(env.core.rules(None).unwrap().is_empty());
    assert!(env.core.hooks(&b.id).await.unwrap().is_empty());
    assert_eq!(env.vault.len(), 1);
    assert!(env.sim.hooks(c.sim, &c.repo).is_empty());
    assert!(env.sim.requests_for(c.sim).iter().all(|r| !r.path.contains("/hooks")), "no hook request reached the provider");
    assert!(env.rx.is_empty());
    assert_eq!(env.core.trigger("no-such-rule", None).await.unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(env.core.remove_rule("no-such-rule").await.unwrap_err().code, ErrorCode::NotFound);

    // A rule's own https trigger URL overrides the missing setting (the hook points there).
    let added = env
        .core
        .add_rule(NewRule { trigger_url: Some("https://builds.example.com/trigger".into()), ..ok() })
        .await
        .unwrap();
    assert_eq!(env.sim.hooks(c.sim, &c.repo)[0].url, "https://builds.example.com/trigger");
    assert_eq!(added.rule.trigger_url.as_deref(), Some("https://builds.example.com/trigger"));
}

#[tokio::test]
async fn build_now_for_an_unreachable_build_service_is_logged_and_reported() {
    let c = case(ProviderKind::Github);
    let env = env().await;
    let b = env.bind(&c, c.token).await;
    // A loopback port nobody listens on.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/trigger", l.local_addr().unwrap())
    };
    let added = env.core.add_rule(NewRule { trigger_url: Some(dead), ..env.rule(&b, &c.repo, SourceType::Branch, "main") }).await.unwrap();
    let err = env.core.trigger(&added.rule.id, None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Network, "{}", err.message);
    let kinds = env.events(&b.id);
    assert_eq!(kinds.last(), Some(&EventKind::BuildTriggered), "the attempt is in the history: {kinds:?}");
    // The hook's secret is still in the vault for the next attempt.
    assert!(env.vault.get(&added.hook.secret_key).unwrap().is_some());
}

#[tokio::test]
async fn build_now_sends_the_rules_authorization_header_else_the_global_one() {
    let env = env().await;
    let c = case(ProviderKind::Gitlab);
    let b = env.bind(&c, c.token).await;
    env.core.set_trigger_url(Some(&env.rx.url())).unwrap();
    env.core.set_trigger_auth(Some("Bearer global-secret")).unwrap();
    let plain = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Branch, "main")).await.unwrap();
    let with_auth = env
        .core
        .add_rule(NewRule { trigger_auth: Some("Bearer rule-secret".into()), ..env.rule(&b, &c.repo, SourceType::Branch, "release") })
        .await
        .unwrap();
    assert!(!format!("{:?}", env.rule(&b, &c.repo, SourceType::Branch, "x")).contains("secret"));
    assert!(env.sim.set_ref(c.sim, &c.repo, "refs/heads/release", Some("89abcdef0123456789abcdef0123456789abcdef")));
    env.core.trigger(&plain.rule.id, None).await.unwrap();
    env.core.trigger(&with_auth.rule.id, None).await.unwrap();
    let got: Vec<Option<String>> = env.rx.requests().iter().map(|r| r.header("authorization").map(str::to_owned)).collect();
    assert_eq!(got, vec![Some("Bearer global-secret".to_owned()), Some("Bearer rule-secret".to_owned())]);
    // Neither value reaches the database.
    for entry in std::fs::read_dir(env.dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for needle in [&b"global-secret"[..], &b"rule-secret"[..]] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "a trigger header reached the data dir");
        }
    }
    assert!(env.core.has_trigger_auth().unwrap());
    env.core.set_trigger_auth(None).unwrap();
    assert!(!env.core.has_trigger_auth().unwrap());
}

/// The drift check asks the provider about every webhook (a few at a time) and reports each in the
/// order they are recorded: here one was deleted at the provider and one is still there.
#[tokio::test]
async fn the_drift_check_reports_every_webhook_in_order() {
    for kind in [ProviderKind::Github, ProviderKind::Gitlab, ProviderKind::Bitbucket, ProviderKind::Gitee, ProviderKind::Codeup, ProviderKind::Gitea] {
        let c = case(kind);
        let env = env().await;
        let b = env.bind(&c, c.token).await;
        env.core.set_trigger_url(Some(&env.rx.url())).unwrap();
        let first = env.core.add_rule(env.rule(&b, &c.repo, SourceType::Branch, "main")).await.unwrap();
        let second = env.core.add_rule(env.rule(&b, &c.other_repo, SourceType::Branch, "main")).await.unwrap();
        assert!(first.hook_created && second.hook_created, "{kind:?}");
        assert!(env.sim.remove_hook(c.sim, &first.hook.provider_hook_id), "{kind:?}: deleted at the provider");

        let states = env.core.hooks(&b.id).await.unwrap();
        let repos: Vec<&str> = states.iter().map(|s| s.hook.repo.as_str()).collect();
        let recorded: Vec<String> = env.core.store().webhooks(&b.id).unwrap().into_iter().map(|h| h.repo).collect();
        assert_eq!(repos, recorded, "{kind:?}: in the recorded order");
        let state = |repo: &str| states.iter().find(|s| s.hook.repo == repo).unwrap();
        assert_eq!(state(&c.repo).present, Some(false), "{kind:?}: {:?}", state(&c.repo).error);
        assert_eq!(state(&c.other_repo).present, Some(true), "{kind:?}: {:?}", state(&c.other_repo).error);
        assert!(states.iter().all(|s| s.error.is_none() && s.drift.is_empty()), "{kind:?}: {states:?}");
    }
}
