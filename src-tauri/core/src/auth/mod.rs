//! OAuth sign-in: in the user's own browser (RFC 8252), returning through `codebind://oauth/callback`
//! or a loopback redirect, or with the device grant. Pure parts (callback parsing, pending attempts)
//! are separate from the network parts (client, device, loopback).

pub mod apps;
pub mod callback;
pub mod client;
pub mod device;
pub mod endpoints;
pub mod loopback;
pub mod pending;
