//! The six simulated code hosts and the API prefix each one serves under.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A simulated code host. Each one listens on its own 127.0.0.1 port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Github,
    Gitlab,
    Bitbucket,
    Gitee,
    Codeup,
    Gitea,
}

impl Provider {
    pub const ALL: [Provider; 6] = [
        Provider::Github,
        Provider::Gitlab,
        Provider::Bitbucket,
        Provider::Gitee,
        Provider::Codeup,
        Provider::Gitea,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Github => "github",
            Provider::Gitlab => "gitlab",
            Provider::Bitbucket => "bitbucket",
            Provider::Gitee => "gitee",
            Provider::Codeup => "codeup",
            Provider::Gitea => "gitea",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The path prefix the app appends to a host URL to reach the REST API
    /// (GitHub Enterprise Server `/api/v3`, GitLab `/api/v4`, Bitbucket `/2.0`,
    /// Gitee `/api/v5`, Codeup (Yunxiao OpenAPI) `/oapi/v1`, Gitea `/api/v1`).
    /// The GitHub listener also answers without the prefix, like api.github.com.
    pub fn api_prefix(self) -> &'static str {
        match self {
            Provider::Github => "/api/v3",
            Provider::Gitlab => "/api/v4",
            Provider::Bitbucket => "/2.0",
            Provider::Gitee => "/api/v5",
            Provider::Codeup => "/oapi/v1",
            Provider::Gitea => "/api/v1",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Anything that names a provider: a [`Provider`] or its name (`"github"`, ...).
pub trait AsProvider {
    /// Panics on an unknown name: this is a test-author mistake, not request input.
    fn provider(&self) -> Provider;
}

impl AsProvider for Provider {
    fn provider(&self) -> Provider {
        *self
    }
}

impl AsProvider for &str {
    fn provider(&self) -> Provider {
        match Provider::parse(self) {
            Some(p) => p,
            None => panic!("unknown provider name {self:?}; expected one of github, gitlab, bitbucket, gitee, codeup, gitea"),
        }
    }
}

impl AsProvider for String {
    fn provider(&self) -> Provider {
        self.as_str().provider()
    }
}
