//! The command line's grammar.

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "codebind",
    version,
    about = "Bind code-hosting accounts for container image builds, and keep them healthy.",
    long_about = "Bind code-hosting accounts for container image builds, and keep them healthy.\n\n\
                  Uses the same store and keychain as the Codebind app. Set CODEBIND_DATA_DIR to use another data directory."
)]
pub struct Cli {
    #[command(subcommand)]
    pub verb: Verb,
}

#[derive(Subcommand, Debug)]
pub enum Verb {
    /// List the bound accounts with their status, scopes and expiry.
    Status(StatusArgs),
    /// Show the history of bindings, newest first.
    History(HistoryArgs),
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Print JSON (an array of bindings) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Print JSON (an array of events) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only this binding's events.
    #[arg(long, value_name = "ID")]
    pub binding: Option<String>,
    /// Only events of this kind (bound, verified, verification_failed, disabled, enabled,
    /// re_authorized, token_refreshed, unbound, revoked).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// At most this many events (1-1000).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Only events older than this event id (to page further back).
    #[arg(long, value_name = "EVENT_ID")]
    pub before: Option<i64>,
}
