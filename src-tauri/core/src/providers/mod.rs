//! The code hosts Codebind binds. One module per provider behind one trait (see the providers issue);
//! for now the catalog the Code Sources page shows.

mod catalog;

pub use catalog::{catalog, info};
