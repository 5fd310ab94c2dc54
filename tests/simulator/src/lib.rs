#![recursion_limit = "512"]
//! A local stand-in for the code hosts Codebind binds accounts on: GitHub (+ GHES),
//! GitLab, Bitbucket Cloud, Gitee, Alibaba Cloud Codeup (Yunxiao OpenAPI) and
//! Gitea/Forgejo. Each provider gets its own 127.0.0.1 listener so it behaves like a
//! separate host; paths, headers, status codes, pagination and JSON follow the providers'
//! documentation (see README.md for the source of each shape).
//!
//! ```no_run
//! # async fn demo() {
//! use codebind_simulator::{Simulator, World, Provider, Fault};
//! let sim = Simulator::start(World::demo()).await;
//! let api = sim.api_url(Provider::Gitlab); // http://127.0.0.1:PORT/api/v4
//! sim.set_fault("github", Fault::Unauthorized);
//! # let _ = api; sim.shutdown().await;
//! # }
//! ```
//!
//! Layout: `server` (listeners, request path, [`SimHandle`]), `world` (data model),
//! `demo` ([`World::demo`]), `faults`, `record` (request log), `paginate`, `auth`,
//! `http`, one module per provider, and `oauth` (authorize/consent, token, refresh, device
//! grant and revocation endpoints, which the provider modules route to before bearer
//! authentication), and `hooks` (each provider's repository-webhook API, which the provider
//! modules route to after authentication, and [`SimHandle::push`], which delivers signed push
//! events to the hooks), and `refs` (branches, tags and their commits: the lookup behind each
//! provider's "which commit is this branch/tag at" endpoint, [`SimHandle::set_ref`] and
//! [`SimHandle::head`]).

pub mod auth;
pub mod bitbucket;
pub mod codeup;
pub mod control;
pub mod demo;
pub mod faults;
pub mod gitea;
pub mod gitee;
pub mod github;
pub mod gitlab;
pub mod hooks;
pub mod http;
pub mod oauth;
pub mod paginate;
pub mod provider;
pub mod record;
pub mod refs;
pub mod server;
pub mod world;

pub use faults::{Fault, FaultRule};
pub use hooks::{Delivery, Hook};
pub use provider::{AsProvider, Provider};
pub use record::RecordedRequest;
pub use server::{SimHandle, Simulator};
pub use world::{
    Member, OAuthApp, Org, ProviderWorld, Repo, RepoSet, Settings, Token, TokenKind, User, World,
};
