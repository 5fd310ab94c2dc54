//! `codebind rules add|list|remove`, `codebind hooks list`, `codebind trigger`

use codebind_core::model::SourceType;
use codebind_core::usecases::NewRule;
use codebind_core::{Core, Error};

use crate::args::{IdArgs, RulesVerb, TriggerArgs};
use crate::output;

pub async fn run(core: &Core, verb: RulesVerb) -> Result<(), Error> {
    match verb {
        RulesVerb::Add(a) => {
            let (source_type, source) = match (a.branch, a.tag) {
                (Some(b), None) => (SourceType::Branch, b),
                (None, Some(t)) => (SourceType::Tag, t),
                _ => return Err(Error::invalid_input("give exactly one of --branch or --tag")),
            };
            let trigger_auth = if a.trigger_auth_stdin { Some(read_header_value()?) } else { None };
            let added = core
                .add_rule(NewRule { binding_id: a.binding_id, repo: a.repo, source_type, source, dockerfile: a.dockerfile, context: a.context, image: a.image, trigger_url: a.trigger_url, trigger_auth })
                .await?;
            if a.json {
                return output::json(&added);
            }
            println!("Added rule {} on {}.", added.rule.id, added.rule.repo);
            if added.hook_created {
                println!("Created the webhook {} → {}", added.hook.provider_hook_id, added.hook.url);
            }
            Ok(())
        }
        RulesVerb::List(a) => {
            let rules = core.rules(a.binding_id.as_deref())?;
            if a.json {
                return output::json(&rules);
            }
            let rows: Vec<Vec<String>> = rules
                .iter()
                .map(|r| {
                    let src = format!("{}:{}", if r.source_type == SourceType::Tag { "tag" } else { "branch" }, r.source);
                    let on = if r.enabled { "on" } else { "off" };
                    vec![r.id.clone(), r.repo.clone(), src, r.dockerfile.clone(), format!("{}:{}", r.image, r.tag_template), on.to_owned()]
                })
                .collect();
            output::table(&["RULE", "REPOSITORY", "SOURCE", "DOCKERFILE", "IMAGE", "ENABLED"], &rows);
            Ok(())
        }
        RulesVerb::Remove(a) => {
            let removed = core.remove_rule(&a.rule_id).await?;
            if a.json {
                return output::json(&removed);
            }
            println!("Removed rule {}.", removed.rule_id);
            if let Some(h) = &removed.hook {
                match (&h.removed, &h.manual_url) {
                    (true, _) => println!("Removed the webhook on {}.", h.repo),
                    (false, Some(url)) => println!("Could not remove the webhook on {}: remove it at {url}", h.repo),
                    (false, None) => println!("Could not remove the webhook on {}.", h.repo),
                }
            }
            Ok(())
        }
        RulesVerb::Edit(a) => super::rule_change::edit(core, a).await,
        RulesVerb::Enable(a) => super::rule_change::enable(core, &a, true).await,
        RulesVerb::Disable(a) => super::rule_change::enable(core, &a, false).await,
    }
}

/// An `Authorization` header value from standard input (never from the command line, where
/// other users can see it).
pub fn read_header_value() -> Result<String, Error> {
    let mut v = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(std::io::stdin(), 16 * 1024), &mut v)
        .map_err(|e| Error::invalid_input(format!("cannot read the header value from standard input: {e}")))?;
    Ok(v)
}

pub async fn hooks(core: &Core, args: &IdArgs) -> Result<(), Error> {
    let hooks = core.hooks(&args.id).await?;
    if args.json {
        return output::json(&hooks);
    }
    let rows: Vec<Vec<String>> = hooks
        .iter()
        .map(|h| {
            let state = match (&h.present, &h.error) {
                (_, Some(e)) => format!("unknown ({})", e.code.as_str()),
                (Some(true), _) if h.drift.is_empty() => "ok".to_owned(),
                (Some(true), _) => format!("drift: {}", h.drift.join("; ")),
                (Some(false), _) => "missing at the provider".to_owned(),
                (None, None) => "unknown".to_owned(),
            };
            vec![h.hook.repo.clone(), h.hook.provider_hook_id.clone(), h.hook.url.clone(), state]
        })
        .collect();
    output::table(&["REPOSITORY", "HOOK", "URL", "STATE"], &rows);
    Ok(())
}

pub async fn trigger(core: &Core, args: &TriggerArgs) -> Result<(), Error> {
    let report = core.trigger(&args.rule_id, args.git_ref.as_deref()).await?;
    if args.json {
        output::json(&report)?;
    } else {
        println!("Sent a signed push event for {} ({}) to {}: {}", report.git_ref, report.image_tag, report.url, match report.status {
            Some(s) => format!("HTTP {s}"),
            None => "no answer".to_owned(),
        });
    }
    if report.delivered {
        Ok(())
    } else {
        Err(Error::new(codebind_core::ErrorCode::ProviderError, report.message.unwrap_or_else(|| "the build service did not accept the event".to_owned())))
    }
}
