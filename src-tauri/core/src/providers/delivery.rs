//! Push events in each provider's own format, signed with its own scheme, for "Build now":
//! GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(body)>`; Bitbucket `X-Hub-Signature:
//! sha256=<hex>`; Gitea `X-Gitea-Signature: <hex>`; GitLab `X-Gitlab-Token` and Codeup
//! `X-Codeup-Token` carry the secret; Gitee `X-Gitee-Token = Base64(HMAC-SHA256(secret,
//! timestamp + "\n" + secret))` with `X-Gitee-Timestamp`.

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::model::{ProviderKind, SourceType};
use crate::vault::Secret;

/// What a push was.
pub struct Push<'a> {
    pub repo: &'a str,
    pub clone_url: &'a str,
    pub web_url: &'a str,
    pub kind: SourceType,
    /// The branch or tag name (not the full ref).
    pub name: &'a str,
    /// The commit, when known; 40 zeros otherwise.
    pub sha: &'a str,
    pub pusher: &'a str,
}

pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The body and headers of a signed push event as `kind` would deliver it.
pub fn signed_push(kind: ProviderKind, p: &Push<'_>, secret: &Secret, now_ms: i64) -> (Vec<u8>, Vec<(String, String)>) {
    let full_ref = match p.kind {
        SourceType::Branch => format!("refs/heads/{}", p.name),
        SourceType::Tag => format!("refs/tags/{}", p.name),
    };
    let zeros = "0000000000000000000000000000000000000000";
    let body = match kind {
        ProviderKind::Github | ProviderKind::Gitea => json!({
            "ref": full_ref, "before": zeros, "after": p.sha, "created": false, "deleted": false,
            "repository": { "full_name": p.repo, "clone_url": p.clone_url, "html_url": p.web_url },
            "pusher": { "name": p.pusher }, "sender": { "login": p.pusher }, "head_commit": { "id": p.sha }, "commits": []
        }),
        ProviderKind::Gitlab | ProviderKind::Codeup => json!({
            "object_kind": if p.kind == SourceType::Tag { "tag_push" } else { "push" },
            "event_name": if p.kind == SourceType::Tag { "tag_push" } else { "push" },
            "ref": full_ref, "before": zeros, "after": p.sha, "checkout_sha": p.sha, "user_username": p.pusher,
            "project": { "path_with_namespace": p.repo, "git_http_url": p.clone_url, "web_url": p.web_url },
            "repository": { "git_http_url": p.clone_url, "homepage": p.web_url },
            "commits": [], "total_commits_count": 0
        }),
        ProviderKind::Bitbucket => json!({
            "push": { "changes": [ { "new": { "type": if p.kind == SourceType::Tag { "tag" } else { "branch" }, "name": p.name, "target": { "hash": p.sha } } } ] },
            "repository": { "full_name": p.repo, "links": { "html": { "href": p.web_url } } },
            "actor": { "nickname": p.pusher }
        }),
        ProviderKind::Gitee => json!({
            "hook_name": if p.kind == SourceType::Tag { "tag_push_hooks" } else { "push_hooks" },
            "ref": full_ref, "before": zeros, "after": p.sha,
            "repository": { "full_name": p.repo, "clone_url": p.clone_url, "html_url": p.web_url },
            "pusher": { "name": p.pusher }, "commits": []
        }),
    };
    let body = serde_json::to_vec(&body).unwrap_or_default();
    let key = secret.expose().as_bytes();
    let event = |h: &str, v: &str| (h.to_owned(), v.to_owned());
    let mut headers = vec![event("content-type", "application/json")];
    match kind {
        ProviderKind::Github => {
            headers.push(event("x-github-event", "push"));
            headers.push(event("x-github-delivery", &uuid::Uuid::new_v4().to_string()));
            headers.push(event("x-hub-signature-256", &format!("sha256={}", hex(&hmac_sha256(key, &body)))));
        }
        ProviderKind::Gitea => {
            headers.push(event("x-gitea-event", "push"));
            headers.push(event("x-gitea-delivery", &uuid::Uuid::new_v4().to_string()));
            headers.push(event("x-gitea-signature", &hex(&hmac_sha256(key, &body))));
        }
        ProviderKind::Bitbucket => {
            headers.push(event("x-event-key", "repo:push"));
            headers.push(event("x-hub-signature", &format!("sha256={}", hex(&hmac_sha256(key, &body)))));
        }
        ProviderKind::Gitlab => {
            headers.push(event("x-gitlab-event", if p.kind == SourceType::Tag { "Tag Push Hook" } else { "Push Hook" }));
            headers.push(event("x-gitlab-token", secret.expose()));
        }
        ProviderKind::Codeup => {
            headers.push(event("x-codeup-event", if p.kind == SourceType::Tag { "Tag Push Hook" } else { "Push Hook" }));
            headers.push(event("x-codeup-token", secret.expose()));
        }
        ProviderKind::Gitee => {
            let ts = now_ms.to_string();
            let sign = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(key, format!("{ts}\n{}", secret.expose()).as_bytes()));
            headers.push(event("x-gitee-event", if p.kind == SourceType::Tag { "Tag Push Hook" } else { "Push Hook" }));
            headers.push(event("x-gitee-timestamp", &ts));
            headers.push(event("x-gitee-token", &sign));
        }
    }
    (body, headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_signature_matches_the_documented_example() {
        // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody",
        // payload "Hello, World!" → 757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17
        let sig = hex(&hmac_sha256(b"It's a Secret to Everybody", b"Hello, World!"));
        assert_eq!(sig, "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    #[test]
    fn each_provider_signs_its_own_way() {
        let p = Push { repo: "acme/api", clone_url: "https://x/acme/api.git", web_url: "https://x/acme/api", kind: SourceType::Branch, name: "main", sha: "abc", pusher: "bot" };
        let secret = Secret::new("s3cret");
        let h = |k: ProviderKind| signed_push(k, &p, &secret, 1700000000000);
        let (body, headers) = h(ProviderKind::Github);
        let get = |hs: &Vec<(String, String)>, n: &str| hs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        assert_eq!(get(&headers, "x-hub-signature-256").unwrap(), format!("sha256={}", hex(&hmac_sha256(b"s3cret", &body))));
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["ref"], "refs/heads/main");
        assert_eq!(get(&h(ProviderKind::Gitlab).1, "x-gitlab-token").unwrap(), "s3cret");
        let (_, gitee) = h(ProviderKind::Gitee);
        let expected = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(b"s3cret", b"1700000000000\ns3cret"));
        assert_eq!(get(&gitee, "x-gitee-token").unwrap(), expected);
        let (gbody, gitea) = h(ProviderKind::Gitea);
        assert_eq!(get(&gitea, "x-gitea-signature").unwrap(), hex(&hmac_sha256(b"s3cret", &gbody)));
    }
}
