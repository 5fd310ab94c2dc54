//! Codebind's domain: everything but the shells. This crate never depends on tauri or clap.
//!
//! - `model`: plain data (bindings, events, providers) that crosses IPC and the CLI.
//! - `error`: the one `{code, message}` error.
//! - `store`: SQLite (the only user of rusqlite). `vault`: the OS keychain (the only user of keyring).
//! - `providers`: the code hosts. `usecases`: the verbs, where the parts meet.

pub mod auth;
pub mod error;
pub mod model;
pub mod net;
pub mod paths;
pub mod providers;
pub mod store;
pub mod time;
pub mod usecases;
pub mod vault;

pub use error::{Error, ErrorCode, Result};
pub use usecases::{Core, VerifiedAccount};

#[cfg(test)]
mod bindings_ts;
