//! Repository webhooks: each provider's hooks API (create, list, get, edit, delete) and the
//! push events a hook receives, signed the provider's way.
//!
//! | | API | delivery signature |
//! |---|---|---|
//! | GitHub | `/repos/{owner}/{repo}/hooks[/{id}]` | `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(body)>` (+ SHA-1 `X-Hub-Signature`) |
//! | GitLab | `/projects/:id/hooks[/:hook_id]` (:id numeric or URL-encoded path) | `X-Gitlab-Token: <secret>` |
//! | Bitbucket | `/repositories/{workspace}/{repo_slug}/hooks[/{uid}]` | `X-Hub-Signature: sha256=<hex>` |
//! | Gitee | `/repos/{owner}/{repo}/hooks[/{id}]` (form) | `X-Gitee-Token: Base64(HMAC-SHA256(secret, ts + "\n" + secret))` + `X-Gitee-Timestamp` (or the password) |
//! | Codeup | `/codeup/organizations/{orgId}/repositories/{repositoryId}/webhooks[/{hookId}]` | `X-Codeup-Token: <secret>` |
//! | Gitea | `/repos/{owner}/{repo}/hooks[/{id}]` | `X-Gitea-Signature: <hex HMAC-SHA256(body)>` (+ Gogs/GitHub-style copies) |
//!
//! Sources: providers.md §1.5, §2.5, §3, §4, §5, §6 and what each names (GitHub
//! `rest-api-description` `repos/*-webhook` and the `webhooks` section; GitLab
//! `doc/api/project_webhooks.md`, `doc/user/project/integrations/webhook_events.md`; Bitbucket
//! `swagger.v3.json` `webhook_subscription`; Gitee swagger `Hook`; Yunxiao CreateWebHook /
//! ListWebHooks; Gitea swagger `CreateHookOption`/`Hook`). See README.md "Webhooks".
//!
//! Hooks live in the world ([`ProviderWorld::hooks`], one list per provider, each naming its
//! repository by id). Handlers only read the world; creating, editing and deleting go through
//! [`Change`] as a server effect. [`SimHandle::push`] moves the pushed ref to a new commit
//! ([`Repo::refs`], which the ref endpoints in `refs` read), delivers a push event to every
//! active hook of a repository with a real HTTP POST and reports what each receiver answered.

pub(crate) mod bitbucket;
pub(crate) mod codeup;
pub(crate) mod gitea;
pub(crate) mod gitee;
pub(crate) mod github;
pub(crate) mod gitlab;

use crate::http::SimRequest;
use crate::provider::{AsProvider, Provider};
use crate::server::{Effect, Env, SimHandle};
use crate::world::{ProviderWorld, Repo, User, World};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Digest;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A repository webhook as the provider stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Hook {
    /// Numeric id (assigned when 0). Bitbucket addresses hooks by `uuid` instead.
    pub id: u64,
    /// Bitbucket's `{uuid}`; assigned for Bitbucket hooks when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// The repository's id ([`Repo::id`]).
    pub repo_id: u64,
    pub url: String,
    /// The signing secret / token / password; never returned by the APIs that hide it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Event names in the provider's own words: GitHub/Gitea `push`, Bitbucket `repo:push`,
    /// GitLab/Gitee `push_events`, `tag_push_events`, Codeup `pushEvents`, `tagPushEvents`, ...
    pub events: Vec<String>,
    pub active: bool,
    /// GitHub/Gitea `json` or `form`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Gitee: 0 = password in `X-Gitee-Token`, 1 = signature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption_type: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// GitLab `push_events_branch_filter`, Gitea `branch_filter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_filter: Option<String>,
    /// TLS verification of the receiver (GitHub `insecure_ssl` = "0").
    pub ssl_verify: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// Login of the account that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
}

impl Default for Hook {
    fn default() -> Hook {
        Hook {
            id: 0,
            uuid: None,
            repo_id: 0,
            url: String::new(),
            secret: None,
            events: Vec::new(),
            active: true,
            content_type: None,
            encryption_type: None,
            name: None,
            description: None,
            branch_filter: None,
            ssl_verify: true,
            created_at: None,
            updated_at: None,
            creator: None,
        }
    }
}

impl Hook {
    /// The id the provider's API uses: Bitbucket's `{uuid}`, otherwise the number.
    pub fn key(&self) -> String {
        match &self.uuid {
            Some(u) => u.clone(),
            None => self.id.to_string(),
        }
    }

    pub fn has_event(&self, e: &str) -> bool {
        self.events.iter().any(|x| x == e)
    }

    /// Whether a push of a branch (`tag == false`) or tag fires this hook on `p`.
    pub fn fires_on_push(&self, p: Provider, tag: bool) -> bool {
        match p {
            Provider::Github => self.has_event("push") || self.has_event("*"),
            Provider::Gitea => self.has_event("push"),
            Provider::Bitbucket => self.has_event("repo:push"),
            Provider::Gitlab | Provider::Gitee => self.has_event(if tag {
                "tag_push_events"
            } else {
                "push_events"
            }),
            Provider::Codeup => self.has_event(if tag { "tagPushEvents" } else { "pushEvents" }),
        }
    }

    fn created(&self) -> DateTime<Utc> {
        self.created_at.unwrap_or_else(crate::world::base_time)
    }

    fn updated(&self) -> DateTime<Utc> {
        self.updated_at.unwrap_or_else(|| self.created())
    }

    /// Whether `id` (as sent in a path) names this hook; Bitbucket's braces are optional.
    fn matches(&self, id: &str) -> bool {
        match &self.uuid {
            Some(u) => u == id || u.trim_matches(|c| c == '{' || c == '}') == id,
            None => id.parse::<u64>().ok() == Some(self.id),
        }
    }
}

/// A change to the hooks of the provider that handled the request.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Add(Hook),
    /// Replaces the hook with the same id.
    Update(Hook),
    Remove(u64),
}

/// Applies a [`Change`] (called by the server after the response is built).
pub fn apply(world: &mut World, p: Provider, change: Change) {
    let pw = world.provider_mut(p);
    match change {
        Change::Add(h) => {
            if !pw.hooks.iter().any(|x| x.id == h.id) {
                pw.hooks.push(h);
            }
        }
        Change::Update(h) => {
            if let Some(x) = pw.hooks.iter_mut().find(|x| x.id == h.id) {
                *x = h;
            }
        }
        Change::Remove(id) => pw.hooks.retain(|x| x.id != id),
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A hook id no hook of `pw` has (unique across simulators in the process).
fn new_id(pw: &ProviderWorld) -> u64 {
    let max = pw.hooks.iter().map(|h| h.id).max().unwrap_or(0);
    NEXT_ID.fetch_max(max + 1, Ordering::SeqCst);
    NEXT_ID.fetch_add(1, Ordering::SeqCst)
}

/// Assigns ids (and Bitbucket uuids) to hooks that have none. Called by world normalization.
pub(crate) fn normalize(pw: &mut ProviderWorld, p: Provider) {
    for i in 0..pw.hooks.len() {
        if pw.hooks[i].id == 0 {
            pw.hooks[i].id = new_id(pw);
        }
        if p == Provider::Bitbucket && pw.hooks[i].uuid.is_none() {
            pw.hooks[i].uuid = Some(crate::world::uuid_for(pw.hooks[i].id ^ 0x4b00_0000));
        }
    }
}

/// A new hook for `repo` with a fresh id (uuid on Bitbucket), created now by `creator`.
fn fresh(env: &Env, p: Provider, repo: &Repo, creator: &str) -> Hook {
    let id = new_id(env.pw);
    Hook {
        id,
        uuid: (p == Provider::Bitbucket).then(|| format!("{{{}}}", uuid::Uuid::new_v4())),
        repo_id: repo.id,
        created_at: Some(env.now),
        updated_at: Some(env.now),
        creator: Some(creator.to_string()),
        ..Hook::default()
    }
}

fn hooks_of<'a>(env: &'a Env, repo: &Repo) -> Vec<&'a Hook> {
    let mut v: Vec<&Hook> = env
        .pw
        .hooks
        .iter()
        .filter(|h| h.repo_id == repo.id)
        .collect();
    v.sort_by_key(|h| h.id);
    v
}

fn find_hook<'a>(env: &'a Env, repo: &Repo, id: &str) -> Option<&'a Hook> {
    env.pw
        .hooks
        .iter()
        .find(|h| h.repo_id == repo.id && h.matches(id))
}

fn add(env: &Env, h: Hook) {
    env.effect(Effect::Hooks(Change::Add(h)));
}

fn update(env: &Env, h: Hook) {
    env.effect(Effect::Hooks(Change::Update(h)));
}

fn remove(env: &Env, h: &Hook) {
    env.effect(Effect::Hooks(Change::Remove(h.id)));
}

// ---- request bodies --------------------------------------------------------------------

/// The request's parameters as one JSON object: a form body's fields (as strings) or a JSON
/// object body, then query parameters that the body does not set (GitLab and Gitee read both).
/// `Err(())` for a body that is neither.
fn params(req: &SimRequest) -> Result<Map<String, Value>, ()> {
    let is_form = req
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let mut m = if req.body.iter().all(|b| b.is_ascii_whitespace()) {
        Map::new()
    } else if is_form {
        req.form()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect()
    } else {
        match req.json() {
            Some(Value::Object(m)) => m,
            _ => return Err(()),
        }
    };
    for (k, v) in &req.query {
        m.entry(k.clone())
            .or_insert_with(|| Value::String(v.clone()));
    }
    Ok(m)
}

/// A boolean parameter: JSON `true`/`false` or `"true"`/`"1"`/`"false"`/`"0"`.
fn flag(m: &Map<String, Value>, key: &str) -> Option<bool> {
    match m.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(n.as_i64() != Some(0)),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A string parameter (numbers are printed).
fn text(m: &Map<String, Value>, key: &str) -> Option<String> {
    match m.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Absent or only whitespace.
fn blank(v: Option<String>) -> bool {
    match v {
        Some(s) => s.trim().is_empty(),
        None => true,
    }
}

/// `http(s)://host...` with a host.
fn is_http_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

/// Sets or clears `name` in `events` by a boolean parameter, keeping the order stable.
fn toggle(events: &mut Vec<String>, name: &str, on: Option<bool>) {
    match on {
        Some(true) if !events.iter().any(|e| e == name) => events.push(name.to_string()),
        Some(false) => events.retain(|e| e != name),
        _ => {}
    }
}

// ---- signatures ------------------------------------------------------------------------

/// HMAC (RFC 2104) over any of the sha2/sha1 digests with a 64-byte block.
fn hmac<D: Digest + Default>(key: &[u8], msg: &[u8]) -> Vec<u8> {
    const BLOCK: usize = 64;
    let mut k = if key.len() > BLOCK {
        D::digest(key).to_vec()
    } else {
        key.to_vec()
    };
    k.resize(BLOCK, 0);
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let mut inner = D::default();
    inner.update(&ipad);
    inner.update(msg);
    let ih = inner.finalize();
    let mut outer = D::default();
    outer.update(&opad);
    outer.update(ih);
    outer.finalize().to_vec()
}

/// Hex HMAC-SHA256.
pub fn hmac_sha256_hex(key: &[u8], msg: &[u8]) -> String {
    hex(&hmac::<sha2::Sha256>(key, msg))
}

/// Hex HMAC-SHA1 (GitHub's legacy `X-Hub-Signature`).
pub fn hmac_sha1_hex(key: &[u8], msg: &[u8]) -> String {
    hex(&hmac::<sha1::Sha1>(key, msg))
}

/// Gitee's signature: `Base64(HMAC-SHA256(secret, timestamp + "\n" + secret))`.
pub fn gitee_sign(secret: &str, timestamp_ms: i64) -> String {
    let msg = format!("{timestamp_ms}\n{secret}");
    base64::engine::general_purpose::STANDARD
        .encode(hmac::<sha2::Sha256>(secret.as_bytes(), msg.as_bytes()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A 40-hex commit id derived from `seed`.
pub(crate) fn fake_sha(seed: &str) -> String {
    let mut h = hex(&sha2::Sha256::digest(seed.as_bytes()));
    h.truncate(40);
    h
}

// ---- push deliveries -------------------------------------------------------------------

/// What a simulated push was, for the payload builders.
pub(crate) struct PushCtx<'a> {
    /// `http://127.0.0.1:PORT` (web URLs).
    pub origin: String,
    /// origin + API prefix.
    pub api: String,
    pub pw: &'a ProviderWorld,
    pub repo: &'a Repo,
    pub pusher: User,
    /// `refs/heads/main` or `refs/tags/v1`.
    pub full_ref: String,
    /// `main` or `v1`.
    pub name: String,
    pub tag: bool,
    pub before: String,
    pub after: String,
    pub now: DateTime<Utc>,
}

impl PushCtx<'_> {
    pub fn web_url(&self) -> String {
        format!("{}/{}", self.origin, self.repo.full_name())
    }

    pub fn clone_url(&self) -> String {
        format!("{}.git", self.web_url())
    }

    pub fn ssh_url(&self) -> String {
        let host = self
            .origin
            .trim_start_matches("http://")
            .rsplit_once(':')
            .map(|(h, _)| h.to_string())
            .unwrap_or_default();
        format!("git@{host}:{}.git", self.repo.full_name())
    }

    pub fn email(&self) -> String {
        self.pusher
            .email
            .clone()
            .unwrap_or_else(|| format!("{}@users.noreply.example.com", self.pusher.login))
    }

    pub fn message(&self) -> String {
        format!("Update {}", self.name)
    }
}

/// One delivery attempt of [`SimHandle::push`].
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The hook's API id ([`Hook::key`]).
    pub hook_id: String,
    pub url: String,
    /// The event header's value (`push`, `Push Hook`, `Tag Push Hook`, `repo:push`, ...).
    pub event: String,
    /// The headers sent, lowercase names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The receiver's HTTP status; None when it could not be reached.
    pub status: Option<u16>,
    pub response: String,
    pub error: Option<String>,
}

impl Delivery {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// A payload ready to send: (hook key, url, event header, headers, body).
struct Prepared {
    key: String,
    url: String,
    event: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The repository `full` (`owner/name`; Codeup also `{organizationId}/name`) in `pw`.
fn repo_by_name<'a>(pw: &'a ProviderWorld, p: Provider, full: &str) -> Option<&'a Repo> {
    repo_index(pw, p, full).map(|i| &pw.repos[i])
}

/// The index in `pw.repos` of the repository named as for [`repo_by_name`].
pub(crate) fn repo_index(pw: &ProviderWorld, p: Provider, full: &str) -> Option<usize> {
    let full = full.trim().trim_matches('/');
    pw.repos.iter().position(|r| {
        r.full_name() == full
            || (p == Provider::Codeup
                && pw
                    .org(&r.owner)
                    .is_some_and(|o| format!("{}/{}", o.codeup_id(), r.name) == full))
    })
}

/// Who pushes: the owning user, else the strongest member of the owning org, else the
/// provider's first user.
pub(crate) fn pusher_of(pw: &ProviderWorld, repo: &Repo) -> User {
    if let Some(u) = pw.user(&repo.owner) {
        return u.clone();
    }
    let owner_org = pw.orgs.iter().find(|o| {
        o.login == repo.owner || o.full_path() == repo.owner || o.codeup_id() == repo.owner
    });
    owner_org
        .and_then(|o| o.members.iter().max_by_key(|m| m.access_level))
        .and_then(|m| pw.user(&m.login))
        .or_else(|| pw.users.first())
        .cloned()
        .unwrap_or_else(|| User::new(1, "ghost"))
}

fn build(p: Provider, ctx: &PushCtx, hook: &Hook) -> Prepared {
    let (event, headers, body) = match p {
        Provider::Github => github::delivery(ctx, hook),
        Provider::Gitlab => gitlab::delivery(ctx, hook),
        Provider::Bitbucket => bitbucket::delivery(ctx, hook),
        Provider::Gitee => gitee::delivery(ctx, hook),
        Provider::Codeup => codeup::delivery(ctx, hook),
        Provider::Gitea => gitea::delivery(ctx, hook),
    };
    Prepared {
        key: hook.key(),
        url: hook.url.clone(),
        event,
        headers,
        body,
    }
}

static PUSHES: AtomicU64 = AtomicU64::new(1);

impl SimHandle {
    /// Simulates `git push` of `git_ref` (`main`, `refs/heads/main`, `refs/tags/v1.0`) to
    /// `repo` (its full name; GitLab the full path, Codeup `{organizationId}/name` or
    /// `org/name`): the ref moves to a new commit (`after`; `before` is its previous head, or
    /// a made-up SHA for a new ref), which the ref endpoints then report (see `refs`), and
    /// every active hook of the repository whose events cover the push gets the
    /// provider's push event, signed with its secret, by HTTP POST. Returns one [`Delivery`]
    /// per hook (empty for an unknown repository or one without hooks).
    pub async fn push(&self, p: impl AsProvider, repo: &str, git_ref: &str) -> Vec<Delivery> {
        let p = p.provider();
        let origin = self.base_url(p);
        let api = self.api_url(p);
        let (full_ref, name, tag) = crate::refs::parse_ref(git_ref);
        let n = PUSHES.fetch_add(1, Ordering::SeqCst);
        let prepared: Vec<Prepared> = {
            let mut world = self.shared.world.write().unwrap_or_else(|e| e.into_inner());
            let pw = world.provider_mut(p);
            let Some(i) = repo_index(pw, p, repo) else {
                return Vec::new();
            };
            let id = pw.repos[i].id;
            let before = pw.repos[i]
                .head(&full_ref)
                .unwrap_or_else(|| fake_sha(&format!("{id}:{full_ref}:{n}")));
            let after = fake_sha(&format!("{id}:{full_ref}:{}", n + 1));
            pw.repos[i].refs.insert(full_ref.clone(), after.clone());
            let pw: &ProviderWorld = pw;
            let r = &pw.repos[i];
            let ctx = PushCtx {
                origin,
                api,
                pw,
                repo: r,
                pusher: pusher_of(pw, r),
                before,
                after,
                full_ref,
                name,
                tag,
                now: Utc::now(),
            };
            let mut hooks: Vec<&Hook> = pw
                .hooks
                .iter()
                .filter(|h| h.repo_id == r.id && h.active && h.fires_on_push(p, tag))
                .collect();
            hooks.sort_by_key(|h| h.id);
            hooks.into_iter().map(|h| build(p, &ctx, h)).collect()
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build();
        let mut out = Vec::new();
        for d in prepared {
            let (status, response, error) = match &client {
                Ok(c) => {
                    let mut rb = c.post(&d.url).body(d.body.clone());
                    for (k, v) in &d.headers {
                        rb = rb.header(k.as_str(), v.as_str());
                    }
                    match rb.send().await {
                        Ok(resp) => {
                            let s = resp.status().as_u16();
                            (Some(s), resp.text().await.unwrap_or_default(), None)
                        }
                        Err(e) => (None, String::new(), Some(e.to_string())),
                    }
                }
                Err(e) => (None, String::new(), Some(e.to_string())),
            };
            out.push(Delivery {
                hook_id: d.key,
                url: d.url,
                event: d.event,
                headers: d.headers,
                body: d.body,
                status,
                response,
                error,
            });
        }
        out
    }

    /// The hooks of `repo` (full name, as for [`push`](Self::push)), oldest first.
    pub fn hooks(&self, p: impl AsProvider, repo: &str) -> Vec<Hook> {
        let p = p.provider();
        let world = self.shared.world.read().unwrap_or_else(|e| e.into_inner());
        let pw = world.provider(p);
        let Some(r) = repo_by_name(pw, p, repo) else {
            return Vec::new();
        };
        let mut v: Vec<Hook> = pw
            .hooks
            .iter()
            .filter(|h| h.repo_id == r.id)
            .cloned()
            .collect();
        v.sort_by_key(|h| h.id);
        v
    }

    /// Adds a hook to `repo` as if someone had created it in the web UI; returns its API id.
    pub fn add_hook(&self, p: impl AsProvider, repo: &str, hook: Hook) -> Option<String> {
        let p = p.provider();
        self.update_world(|w| {
            let pw = w.provider_mut(p);
            let repo_id = repo_by_name(pw, p, repo)?.id;
            let mut h = hook;
            h.repo_id = repo_id;
            h.id = new_id(pw);
            if p == Provider::Bitbucket && h.uuid.is_none() {
                h.uuid = Some(format!("{{{}}}", uuid::Uuid::new_v4()));
            }
            let key = h.key();
            pw.hooks.push(h);
            Some(key)
        })
    }

    /// Edits a hook in place, as a user in the web UI would (drift). Returns whether it existed.
    pub fn edit_hook(&self, p: impl AsProvider, hook_id: &str, f: impl FnOnce(&mut Hook)) -> bool {
        let p = p.provider();
        self.update_world(|w| {
            match w
                .provider_mut(p)
                .hooks
                .iter_mut()
                .find(|h| h.matches(hook_id))
            {
                Some(h) => {
                    f(h);
                    h.updated_at = Some(Utc::now());
                    true
                }
                None => false,
            }
        })
    }

    /// Points a hook somewhere else (drift). Returns whether it existed.
    pub fn set_hook_url(&self, p: impl AsProvider, hook_id: &str, url: &str) -> bool {
        self.edit_hook(p, hook_id, |h| h.url = url.to_string())
    }

    /// Turns a hook on or off (drift). Returns whether it existed.
    pub fn set_hook_active(&self, p: impl AsProvider, hook_id: &str, active: bool) -> bool {
        self.edit_hook(p, hook_id, |h| h.active = active)
    }

    /// Deletes a hook as a user in the web UI would. Returns whether it existed.
    pub fn remove_hook(&self, p: impl AsProvider, hook_id: &str) -> bool {
        let p = p.provider();
        self.update_world(|w| {
            let hooks = &mut w.provider_mut(p).hooks;
            let before = hooks.len();
            hooks.retain(|h| !h.matches(hook_id));
            hooks.len() != before
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_documented_examples() {
        // docs.github.com "Validating webhook deliveries".
        assert_eq!(
            hmac_sha256_hex(b"It's a Secret to Everybody", b"Hello, World!"),
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
        // RFC 2202 test case 2 (HMAC-SHA1).
        assert_eq!(
            hmac_sha1_hex(b"Jefe", b"what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        // A key longer than the block is hashed first (RFC 4231 test case 6).
        assert_eq!(
            hmac_sha256_hex(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn params() {
        assert!(
            is_http_url("http://127.0.0.1:9/x")
                && !is_http_url("ftp://x")
                && !is_http_url("https://")
        );
        let mut ev = vec!["push_events".to_string()];
        toggle(&mut ev, "tag_push_events", Some(true));
        toggle(&mut ev, "push_events", Some(false));
        assert_eq!(ev, ["tag_push_events"]);
    }
}
