//! Integration tests: a real HTTP client (reqwest) against a running simulator.
//! One module per provider, plus faults, the handle's API and concurrency.

mod common;

mod bitbucket;
mod codeup;
mod concurrency;
mod faults;
mod gitea;
mod gitee;
mod github;
mod gitlab;
mod handle;
mod hooks;
mod refs;
