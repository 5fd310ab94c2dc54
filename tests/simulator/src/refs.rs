//! Branches, tags and the commits they point at, shared by the providers' ref endpoints
//! ("which commit is `main` / `v1.0` now?"):
//!
//! | | endpoint | the SHA is in |
//! |---|---|---|
//! | GitHub | `GET /repos/{o}/{r}/commits/{ref}` (`heads/B`, `tags/T`, bare name, SHA) | `sha` |
//! | GitLab | `GET /projects/:id/repository/branches/:branch`, `…/tags/:tag_name` | `commit.id` |
//! | Bitbucket | `GET /repositories/{ws}/{slug}/refs[/branches\|/tags][?q=name="x"]`, `…/refs/branches/{name}`, `…/refs/tags/{name}` | `target.hash` |
//! | Gitee | `GET /repos/{o}/{r}/branches/{branch}`, `GET /repos/{o}/{r}/tags` | `commit.sha` |
//! | Codeup | `GET /codeup/organizations/{org}/repositories/{id}/commits?refName=…` | `[0].id` |
//! | Gitea | `GET /repos/{o}/{r}/branches/{branch}`, `GET /repos/{o}/{r}/tags/{tag}` | `commit.id` / `commit.sha` |
//!
//! The data is [`Repo::refs`] (full ref → SHA); the default branch always exists (see
//! [`Repo::head`]). [`SimHandle::push`] moves a ref, [`SimHandle::set_ref`] creates, moves
//! or deletes one. Tags are lightweight (the tag points straight at the commit), so GitLab's
//! `target` and Gitea's tag `id` equal the commit SHA. Commit details that the world does
//! not hold are derived: the author is the repository's pusher (see `hooks`), the date is
//! the repository's `updated_at`, the message `Initial commit` for the default branch's
//! synthesized head and `Update {ref name}` otherwise (as in push payloads).

use crate::provider::{AsProvider, Provider};
use crate::server::SimHandle;
use crate::world::{ProviderWorld, Repo, User};
use chrono::{DateTime, Utc};

/// Branch or tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Branch,
    Tag,
}

/// A branch or tag and the commit it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRef {
    pub kind: RefKind,
    /// `main`, `feature/x`, `v1.0.0`.
    pub name: String,
    /// 40 lowercase hex digits.
    pub sha: String,
}

impl GitRef {
    /// `refs/heads/main` / `refs/tags/v1`.
    pub fn full(&self) -> String {
        match self.kind {
            RefKind::Branch => format!("refs/heads/{}", self.name),
            RefKind::Tag => format!("refs/tags/{}", self.name),
        }
    }
}

/// `main` → (`refs/heads/main`, `main`, false); `refs/tags/v1` → (`refs/tags/v1`, `v1`, true).
pub(crate) fn parse_ref(r: &str) -> (String, String, bool) {
    let r = r.trim();
    if let Some(t) = r.strip_prefix("refs/tags/") {
        (r.to_string(), t.to_string(), true)
    } else if let Some(b) = r.strip_prefix("refs/heads/") {
        (r.to_string(), b.to_string(), false)
    } else {
        (format!("refs/heads/{r}"), r.to_string(), false)
    }
}

/// 40 (SHA-1) or 64 (SHA-256) hex digits.
pub fn is_sha(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The branch `name` of `r`, if it exists.
pub fn branch(r: &Repo, name: &str) -> Option<GitRef> {
    let sha = r.head(&format!("refs/heads/{name}"))?;
    Some(GitRef {
        kind: RefKind::Branch,
        name: name.to_string(),
        sha,
    })
}

/// The tag `name` of `r`, if it exists.
pub fn tag(r: &Repo, name: &str) -> Option<GitRef> {
    let sha = r.head(&format!("refs/tags/{name}"))?;
    Some(GitRef {
        kind: RefKind::Tag,
        name: name.to_string(),
        sha,
    })
}

/// Every branch (the default one included), in `git branch --list` order (bytewise by name).
pub fn branches(r: &Repo) -> Vec<GitRef> {
    let mut names: Vec<&str> = r
        .refs
        .keys()
        .filter_map(|k| k.strip_prefix("refs/heads/"))
        .collect();
    if !names.contains(&r.branch()) {
        names.push(r.branch());
    }
    names.sort_unstable();
    names.into_iter().filter_map(|n| branch(r, n)).collect()
}

/// Every tag, bytewise by name.
pub fn tags(r: &Repo) -> Vec<GitRef> {
    r.refs
        .keys()
        .filter_map(|k| k.strip_prefix("refs/tags/"))
        .filter_map(|n| tag(r, n))
        .collect()
}

/// The first branch, then tag, pointing at `sha` (any case): a commit the simulator knows.
pub fn by_sha(r: &Repo, sha: &str) -> Option<GitRef> {
    let sha = sha.to_ascii_lowercase();
    branches(r)
        .into_iter()
        .chain(tags(r))
        .find(|g| g.sha == sha)
}

/// A `{ref}` as GitHub's `repos/get-commit` and Codeup's `refName` take it: `heads/B`,
/// `tags/T`, `refs/heads/B`, `refs/tags/T`, a bare name (branch first, then tag) or the SHA
/// of a commit some ref points at. Returns the commit SHA.
pub fn resolve(r: &Repo, spec: &str) -> Option<String> {
    let spec = spec.trim().trim_matches('/');
    if spec.is_empty() {
        return None;
    }
    if spec.starts_with("refs/") {
        if let Some(sha) = r.head(spec) {
            return Some(sha);
        }
    }
    if let Some(b) = spec.strip_prefix("heads/").and_then(|n| branch(r, n)) {
        return Some(b.sha);
    }
    if let Some(t) = spec.strip_prefix("tags/").and_then(|n| tag(r, n)) {
        return Some(t.sha);
    }
    if let Some(g) = branch(r, spec).or_else(|| tag(r, spec)) {
        return Some(g.sha);
    }
    if is_sha(spec) {
        return by_sha(r, spec).map(|g| g.sha);
    }
    None
}

/// What the providers print about a commit.
#[derive(Debug, Clone)]
pub struct Commit {
    pub sha: String,
    /// A tree SHA derived from the commit's.
    pub tree: String,
    pub message: String,
    pub author: User,
    pub email: String,
    pub date: DateTime<Utc>,
}

impl Commit {
    /// The first line of the message.
    pub fn title(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }

    /// The first `n` hex digits (GitLab/Codeup `short_id` use 8).
    pub fn short(&self, n: usize) -> &str {
        &self.sha[..n.min(self.sha.len())]
    }
}

/// The details of commit `sha` of `r` (see the module docs for what is derived).
pub fn commit(pw: &ProviderWorld, r: &Repo, sha: &str) -> Commit {
    let sha = sha.to_ascii_lowercase();
    let default_full = format!("refs/heads/{}", r.branch());
    let synthesized = !r.refs.contains_key(&default_full) && default_sha(r) == sha;
    let message = if synthesized {
        "Initial commit".to_string()
    } else {
        match by_sha(r, &sha) {
            Some(g) => format!("Update {}", g.name),
            None => "Update".to_string(),
        }
    };
    let author = crate::hooks::pusher_of(pw, r);
    let email = author
        .email
        .clone()
        .unwrap_or_else(|| format!("{}@users.noreply.example.com", author.login));
    Commit {
        tree: crate::hooks::fake_sha(&format!("tree:{sha}")),
        sha,
        message,
        author,
        email,
        date: r.updated(),
    }
}

/// The SHA the default branch has until something moves it: `fake_sha("{id}:{ref}:0")`.
pub(crate) fn default_sha(r: &Repo) -> String {
    crate::hooks::fake_sha(&format!("{}:refs/heads/{}:0", r.id, r.branch()))
}

/// Natural order (`v9` < `v10`): runs of digits compare as numbers, the rest bytewise.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (x, y) = (chunks(a), chunks(b));
    for ((dx, cx), (dy, cy)) in x.iter().zip(y.iter()) {
        let o = if *dx && *dy {
            let (tx, ty) = (cx.trim_start_matches('0'), cy.trim_start_matches('0'));
            tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
        } else {
            cx.cmp(cy)
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

// ---- Bitbucket's BBQL on ref names -------------------------------------------------------

/// A Bitbucket `q` filter on refs (<https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering>),
/// restricted to the `name` field: `name = "x"`, `!=`, `~` (contains, case-insensitive),
/// `!~`, combined with `AND` / `OR` (AND binds tighter) and parentheses. Strings are
/// double-quoted with `\"` and `\\` escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bbql {
    Cmp { op: BbqlOp, value: String },
    And(Box<Bbql>, Box<Bbql>),
    Or(Box<Bbql>, Box<Bbql>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BbqlOp {
    Eq,
    Ne,
    Contains,
    NotContains,
}

impl Bbql {
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Bbql::Cmp { op, value } => {
                let has = || name.to_lowercase().contains(&value.to_lowercase());
                match op {
                    BbqlOp::Eq => name == value,
                    BbqlOp::Ne => name != value,
                    BbqlOp::Contains => has(),
                    BbqlOp::NotContains => !has(),
                }
            }
            Bbql::And(a, b) => a.matches(name) && b.matches(name),
            Bbql::Or(a, b) => a.matches(name) || b.matches(name),
        }
    }

    /// Parses a `q`; Err names what is wrong.
    pub fn parse(q: &str) -> Result<Bbql, String> {
        let toks = tokenize(q)?;
        let mut p = Parser { toks, at: 0 };
        let e = p.or()?;
        match p.toks.get(p.at) {
            None => Ok(e),
            Some(t) => Err(format!("unexpected {t:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Str(String),
    Op(BbqlOp),
    Open,
    Close,
}

fn tokenize(q: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut it = q.chars().peekable();
    while let Some(&c) = it.peek() {
        match c {
            c if c.is_whitespace() => {
                it.next();
            }
            '(' | ')' => {
                it.next();
                out.push(if c == '(' { Tok::Open } else { Tok::Close });
            }
            '=' | '~' => {
                it.next();
                out.push(Tok::Op(if c == '=' {
                    BbqlOp::Eq
                } else {
                    BbqlOp::Contains
                }));
            }
            '!' => {
                it.next();
                match it.next() {
                    Some('=') => out.push(Tok::Op(BbqlOp::Ne)),
                    Some('~') => out.push(Tok::Op(BbqlOp::NotContains)),
                    _ => return Err("expected != or !~".to_string()),
                }
            }
            '"' => {
                it.next();
                let mut s = String::new();
                loop {
                    match it.next() {
                        None => return Err("unterminated string".to_string()),
                        Some('"') => break,
                        Some('\\') => match it.next() {
                            Some(e @ ('"' | '\\')) => s.push(e),
                            _ => return Err("invalid escape in string".to_string()),
                        },
                        Some(ch) => s.push(ch),
                    }
                }
                out.push(Tok::Str(s));
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '.' => {
                let mut w = String::new();
                while let Some(&ch) = it.peek() {
                    if ch.is_ascii_alphanumeric() || ch == '_' || ch == '.' {
                        w.push(ch);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Word(w));
            }
            other => return Err(format!("unexpected character {other:?}")),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn keyword(&mut self, kw: &str) -> bool {
        if matches!(self.toks.get(self.at), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Bbql, String> {
        let mut e = self.and()?;
        while self.keyword("or") {
            e = Bbql::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Bbql, String> {
        let mut e = self.term()?;
        while self.keyword("and") {
            e = Bbql::And(Box::new(e), Box::new(self.term()?));
        }
        Ok(e)
    }

    fn term(&mut self) -> Result<Bbql, String> {
        match self.next() {
            Some(Tok::Open) => {
                let e = self.or()?;
                match self.next() {
                    Some(Tok::Close) => Ok(e),
                    _ => Err("missing )".to_string()),
                }
            }
            Some(Tok::Word(field)) if field == "name" => match (self.next(), self.next()) {
                (Some(Tok::Op(op)), Some(Tok::Str(value))) => Ok(Bbql::Cmp { op, value }),
                _ => Err("expected an operator and a quoted string after name".to_string()),
            },
            Some(Tok::Word(field)) => Err(format!("invalid field {field:?}")),
            Some(t) => Err(format!("unexpected {t:?}")),
            None => Err("unexpected end of query".to_string()),
        }
    }
}

// ---- SimHandle ---------------------------------------------------------------------------

impl SimHandle {
    /// Points `full_ref` (`refs/heads/x`, `refs/tags/v1`; a bare name means a branch) of
    /// `repo` (full name as for [`push`](Self::push)) at `sha`, creating it if needed, or
    /// deletes it with `None` (the default branch then falls back to its initial SHA).
    /// Returns whether the repository exists.
    pub fn set_ref(
        &self,
        p: impl AsProvider,
        repo: &str,
        full_ref: &str,
        sha: Option<&str>,
    ) -> bool {
        let p: Provider = p.provider();
        let (full_ref, _, _) = parse_ref(full_ref);
        self.update_world(|w| {
            let pw = w.provider_mut(p);
            let Some(i) = crate::hooks::repo_index(pw, p, repo) else {
                return false;
            };
            let refs = &mut pw.repos[i].refs;
            match sha {
                Some(s) => {
                    refs.insert(full_ref, s.trim().to_ascii_lowercase());
                }
                None => {
                    refs.remove(&full_ref);
                }
            }
            true
        })
    }

    /// The commit `full_ref` of `repo` points at now (see [`Repo::head`]); None for an
    /// unknown repository or ref.
    pub fn head(&self, p: impl AsProvider, repo: &str, full_ref: &str) -> Option<String> {
        let p = p.provider();
        let (full_ref, _, _) = parse_ref(full_ref);
        let world = self.shared.world.read().unwrap_or_else(|e| e.into_inner());
        let pw = world.provider(p);
        let i = crate::hooks::repo_index(pw, p, repo)?;
        pw.repos[i].head(&full_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> Repo {
        let mut r = Repo::new(7, "o", "r");
        r.refs.insert("refs/heads/feature/x".into(), "a".repeat(40));
        r.refs.insert("refs/tags/v1".into(), "b".repeat(40));
        r.refs.insert("refs/heads/v1".into(), "c".repeat(40));
        r
    }

    #[test]
    fn parses_refs() {
        assert_eq!(
            parse_ref("main"),
            ("refs/heads/main".into(), "main".into(), false)
        );
        assert_eq!(
            parse_ref("refs/tags/v1.0"),
            ("refs/tags/v1.0".into(), "v1.0".into(), true)
        );
    }

    #[test]
    fn resolves_like_github() {
        let r = repo();
        let main = default_sha(&r);
        assert_eq!(r.head("refs/heads/main"), Some(main.clone()));
        assert_eq!(resolve(&r, "heads/main"), Some(main.clone()));
        assert_eq!(resolve(&r, "main"), Some(main.clone()));
        assert_eq!(resolve(&r, "heads/feature/x"), Some("a".repeat(40)));
        assert_eq!(resolve(&r, "tags/v1"), Some("b".repeat(40)));
        // A bare name is a branch before it is a tag.
        assert_eq!(resolve(&r, "v1"), Some("c".repeat(40)));
        assert_eq!(resolve(&r, "refs/tags/v1"), Some("b".repeat(40)));
        assert_eq!(resolve(&r, &main.to_uppercase()), Some(main));
        assert_eq!(resolve(&r, &"d".repeat(40)), None);
        assert_eq!(resolve(&r, "nope"), None);
        assert_eq!(resolve(&r, "tags/feature/x"), None);
        let names: Vec<String> = branches(&r).into_iter().map(|g| g.name).collect();
        assert_eq!(names, ["feature/x", "main", "v1"]);
        assert_eq!(tags(&r).len(), 1);
    }

    #[test]
    fn natural_order() {
        let mut v = vec!["v10", "v9", "v1.10", "v1.2", "main", "v09"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["main", "v1.2", "v1.10", "v09", "v9", "v10"]);
    }

    #[test]
    fn bbql_names() {
        let q = Bbql::parse(r#"name="feature/x""#).unwrap();
        assert!(q.matches("feature/x") && !q.matches("feature/xy"));
        let q = Bbql::parse(r#"name = "a\"b\\c""#).unwrap();
        assert!(q.matches(r#"a"b\c"#));
        let q = Bbql::parse(r#"(name ~ "FEAT" AND name != "feature/y") or name="main""#).unwrap();
        assert!(q.matches("feature/x") && !q.matches("feature/y") && q.matches("main"));
        for bad in [
            "name=",
            r#"name="x"#,
            r#"slug="x""#,
            r#"name="x" and"#,
            r#"name="\n""#,
            "",
            r#"name="x")"#,
        ] {
            assert!(Bbql::parse(bad).is_err(), "{bad}");
        }
    }
}
