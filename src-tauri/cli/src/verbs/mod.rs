//! One file per verb; each parses nothing and decides nothing, it calls a use case and prints.

pub mod bind;
pub mod browse;
pub mod history;
pub mod hosts;
pub mod rule_change;
pub mod rules;
pub mod status;
pub mod toggle;
pub mod unbind;
pub mod verify;
