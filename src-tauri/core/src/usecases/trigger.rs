//! "Build now": send the build service a signed push event for a rule's ref, in the provider's own
//! format, the way the webhook would. Works for any repository with a rule, including GitLab
//! subgroup projects (which cloud builders can only build on demand). The delivery is logged.

use serde_json::json;

use super::Core;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{EventKind, SourceType, TriggerReport};
use crate::providers::delivery::{signed_push, Push};
use crate::providers::Host;
use crate::store::NewEvent;

impl Core {
    pub async fn trigger(&self, rule_id: &str, git_ref: Option<&str>) -> Result<TriggerReport> {
        let rule = self.store.rule(rule_id)?.ok_or_else(|| Error::not_found(format!("no build rule with id {rule_id}")))?;
        if !rule.enabled {
            return Err(Error::invalid_input("this build rule is disabled; enable it to build"));
        }
        let b = self.binding(&rule.binding_id)?;
        let name = match git_ref.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => r.trim_start_matches("refs/heads/").trim_start_matches("refs/tags/").to_owned(),
            None if !rule.is_regex => rule.source.clone(),
            None => return Err(Error::invalid_input("this rule matches a pattern; say which branch or tag to build (--ref)")),
        };
        if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid_input("the ref has spaces or control characters"));
        }
        let hook = self.store.webhook_for(&b.id, &rule.repo)?.ok_or_else(|| Error::not_found(format!("{} has no Codebind webhook; remove the rule and add it again", rule.repo)))?;
        let secret = self.vault.get(&hook.secret_key)?.ok_or_else(|| Error::keychain_unavailable("the webhook's secret is missing from the keychain"))?;
        let url = match &rule.trigger_url {
            Some(u) => u.clone(),
            None => self.trigger_url()?.ok_or_else(|| Error::invalid_input("set the build service's trigger URL in Settings"))?,
        };
        let host = Host::parse(&b.host)?;
        let sha = self.head_commit(&b.id, &rule.repo, rule.source_type, &name).await?;
        let web_url = host.join(&format!("/{}", rule.repo));
        let clone_url = format!("{web_url}.git");
        let tag = rule
            .tag_template
            .replace("{branch}", if rule.source_type == SourceType::Branch { &name } else { "" })
            .replace("{tag}", if rule.source_type == SourceType::Tag { &name } else { "" })
            .replace("{sha7}", &sha[..7])
            .replace("{sha}", &sha)
            .replace('/', "-");
        let push = Push { repo: &rule.repo, clone_url: &clone_url, web_url: &web_url, kind: rule.source_type, name: &name, sha: &sha, pusher: &b.login };
        let (body, mut headers) = signed_push(b.provider, &push, &secret, chrono::Utc::now().timestamp_millis());
        let image_ref = format!("{}:{tag}", rule.image);
        headers.push(("x-codebind-rule".into(), rule.id.clone()));
        headers.push(("x-codebind-image".into(), image_ref.clone()));
        headers.push(("x-codebind-dockerfile".into(), rule.dockerfile.clone()));
        headers.push(("x-codebind-context".into(), rule.context.clone()));
        let auth = match self.vault.get(&super::rules::rule_auth_key(&rule.id))? {
            Some(a) => Some(a),
            None => self.vault.get(super::rules::TRIGGER_AUTH_KEY)?,
        };
        if let Some(a) = &auth {
            headers.push(("authorization".into(), a.expose().to_owned()));
        }
        let header_refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let result = self.http_for(&Host::parse(&url).unwrap_or(host), None)?.post_bytes(&url, &header_refs, body).await;
        let (status, delivered, message) = match &result {
            Ok(r) => (Some(r.status), r.is_success(), (!r.is_success()).then(|| format!("the build service answered HTTP {}", r.status))),
            Err(e) => (None, false, Some(e.message.clone())),
        };
        let report = TriggerReport { rule_id: rule.id.clone(), git_ref: name, sha: sha.clone(), image_tag: image_ref, url: url.clone(), status, delivered, message };
        self.store.append_event(NewEvent::new(&b.id, EventKind::BuildTriggered, json!({ "rule_id": rule.id, "repo": rule.repo, "ref": report.git_ref, "sha": sha, "image": report.image_tag, "status": status, "delivered": delivered })))?;
        if let Err(e) = result {
            return Err(Error::new(ErrorCode::Network, format!("the build service could not be reached: {}", e.message)));
        }
        Ok(report)
    }

    /// The commit a branch or tag points at now, asked of the provider.
    async fn head_commit(&self, binding_id: &str, repo: &str, kind: SourceType, name: &str) -> Result<String> {
        let p = self.prepare(binding_id)?;
        let what = if kind == SourceType::Tag { "tag" } else { "branch" };
        p.provider.head_commit(&p.session(), repo, kind, name).await.map_err(|e| match e.code {
            ErrorCode::NotFound | ErrorCode::InvalidInput => Error::not_found(format!("{repo} has no {what} {name:?} (or the token cannot see it)")),
            _ => e,
        })
    }
}
