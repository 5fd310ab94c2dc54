//! One file per verb; each parses nothing and decides nothing, it calls a use case and prints.

pub mod history;
pub mod status;
