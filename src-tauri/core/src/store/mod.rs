//! The local SQLite store: bindings and their history. The only module that touches rusqlite.
//! No column ever holds a token or other secret; those live in the vault.

mod bindings;
mod history;
mod hosts;
mod migrations;
mod oauth_apps;
mod rules;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

pub use history::NewEvent;
pub use rules::RuleWrite;

/// File name of the database inside the data dir.
pub const DATABASE_FILE: &str = "codebind.sqlite3";

/// An open store. Cheap to share behind an `Arc`; calls are serialised on one connection.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) `<data_dir>/codebind.sqlite3` and migrates it to the latest version.
    pub fn open_in(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            Error::storage(format!("cannot create the data directory {}: {e}", data_dir.display()))
        })?;
        Self::open(&data_dir.join(DATABASE_FILE))
    }

    /// Opens the database file at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        let mut conn = Connection::open(path)
            .map_err(|e| Error::storage(format!("cannot open {}: {e}", path.display())))?;
        configure(&conn)?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn: Mutex::new(conn), path: path.to_path_buf() })
    }

    /// An in-memory store, for unit tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory().map_err(sql_error)?;
        configure(&conn)?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn: Mutex::new(conn), path: PathBuf::from(":memory:") })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (every write is a transaction).
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5)).map_err(sql_error)?;
    // journal_mode returns a row; WAL is not available for in-memory databases (it stays "memory").
    let _mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(sql_error)?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        .map_err(sql_error)?;
    Ok(())
}

pub(crate) fn sql_error(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(ref f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::new(crate::error::ErrorCode::Conflict, format!("the store refused a write: {e}"))
        }
        other => Error::storage(format!("database error: {other}")),
    }
}

#[cfg(test)]
mod tests;
