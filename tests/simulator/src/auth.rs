//! Credential parsing and token lookup shared by the providers. Each provider decides
//! which of these forms it accepts and how it words its errors.

use crate::http::SimRequest;
use crate::world::{ProviderWorld, Token, User};
use base64::Engine;
use chrono::{DateTime, Utc};

/// What the `Authorization` header carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cred {
    /// `Bearer <t>`
    Bearer(String),
    /// `token <t>` (GitHub, Gitea)
    Token(String),
    /// `Basic base64(user:pass)`
    Basic(String, String),
    /// Anything else (unknown scheme or undecodable Basic).
    Malformed,
}

/// Parses `Authorization`; schemes are case-insensitive.
pub fn authorization(req: &SimRequest) -> Option<Cred> {
    let raw = req.header("authorization")?.trim();
    let (scheme, rest) = raw.split_once(' ').unwrap_or((raw, ""));
    let rest = rest.trim();
    match scheme.to_ascii_lowercase().as_str() {
        "bearer" if !rest.is_empty() => Some(Cred::Bearer(rest.to_string())),
        "token" if !rest.is_empty() => Some(Cred::Token(rest.to_string())),
        "basic" => Some(
            parse_basic(rest)
                .map(|(u, p)| Cred::Basic(u, p))
                .unwrap_or(Cred::Malformed),
        ),
        _ => Some(Cred::Malformed),
    }
}

/// Decodes `base64(user:pass)`.
pub fn parse_basic(b64: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (u, p) = text.split_once(':')?;
    Some((u.to_string(), p.to_string()))
}

/// The result of looking a secret up in a provider's token table.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    Valid(&'a Token, &'a User),
    /// Not a known token (or its user is missing).
    Unknown,
    Expired(&'a Token, &'a User),
    Revoked(&'a Token, &'a User),
}

pub fn lookup<'a>(pw: &'a ProviderWorld, secret: &str, now: DateTime<Utc>) -> Lookup<'a> {
    let Some(t) = pw.token(secret) else {
        return Lookup::Unknown;
    };
    let Some(u) = pw.user(&t.user) else {
        return Lookup::Unknown;
    };
    if t.revoked {
        Lookup::Revoked(t, u)
    } else if t.is_expired(now) {
        Lookup::Expired(t, u)
    } else {
        Lookup::Valid(t, u)
    }
}

/// A valid, authenticated caller.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub token: &'a Token,
    pub user: &'a User,
}

/// Joins scopes the way GitHub and Bitbucket print them in `X-OAuth-Scopes`.
pub fn scope_header(scopes: &[String]) -> String {
    scopes.join(", ")
}
