//! Where Codebind keeps its files.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// Overrides the data directory (tests, portable use).
pub const DATA_DIR_ENV: &str = "CODEBIND_DATA_DIR";
/// The app's identifier; also the name of its folder in the platform's app-data dir.
pub const APP_ID: &str = "dev.codebind.app";

/// `$CODEBIND_DATA_DIR`, else the platform's app-data dir (`~/.local/share/dev.codebind.app`,
/// `~/Library/Application Support/dev.codebind.app`, `%APPDATA%\dev.codebind.app`).
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|d| d.join(APP_ID))
        .ok_or_else(|| Error::storage("cannot find the platform's app-data directory; set CODEBIND_DATA_DIR"))
}
