//! How a request carries its credential. Each provider documents its own way.

use url::Url;

use crate::vault::Secret;

#[derive(Clone)]
pub enum Auth {
    None,
    /// `Authorization: Bearer <t>` (GitHub, GitLab OAuth, Bitbucket access tokens, Gitea).
    Bearer(Secret),
    /// A named header carrying the token as is (GitLab `PRIVATE-TOKEN`, Codeup `x-yunxiao-token`).
    Header(&'static str, Secret),
    /// HTTP Basic (Bitbucket API tokens: the account email and the token).
    Basic(String, Secret),
    /// A query parameter (Gitee v5 `access_token`). Redacted in every log line.
    Query(&'static str, Secret),
}

impl Auth {
    pub(super) fn apply(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Auth::None | Auth::Query(..) => req,
            Auth::Bearer(t) => req.bearer_auth(t.expose()),
            Auth::Header(name, t) => req.header(*name, t.expose()),
            Auth::Basic(user, t) => req.basic_auth(user, Some(t.expose())),
        }
    }

    pub(super) fn apply_to_url(&self, mut url: Url) -> Url {
        if let Auth::Query(name, t) = self {
            let kept: Vec<(String, String)> =
                url.query_pairs().filter(|(k, _)| k != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            url.query_pairs_mut().clear().extend_pairs(kept).append_pair(name, t.expose());
        }
        url
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::Bearer(_) => f.write_str("Auth::Bearer(<redacted>)"),
            Auth::Header(n, _) => write!(f, "Auth::Header({n}, <redacted>)"),
            Auth::Basic(u, _) => write!(f, "Auth::Basic({u}, <redacted>)"),
            Auth::Query(n, _) => write!(f, "Auth::Query({n}, <redacted>)"),
        }
    }
}
