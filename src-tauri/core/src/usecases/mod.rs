//! The verbs of Codebind: the only place where store, vault and providers meet.
//! The Tauri commands and the CLI are thin shells over these.

mod bindings;
mod context;
mod history;
mod record;

pub use context::Core;
pub use record::VerifiedAccount;
