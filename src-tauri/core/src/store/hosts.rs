//! Per-host connection settings.

use rusqlite::OptionalExtension;

use super::{sql_error, Store};
use crate::error::Result;
use crate::time::now;

impl Store {
    /// The custom CA bundle path for a host, if one is set.
    pub fn ca_bundle(&self, host: &str) -> Result<Option<String>> {
        let conn = self.conn();
        conn.query_row("SELECT ca_bundle FROM host_settings WHERE host = ?1", [host], |r| r.get::<_, Option<String>>(0))
            .optional()
            .map(Option::flatten)
            .map_err(sql_error)
    }

    /// Sets (or clears, with `None`) the CA bundle for a host.
    pub fn set_ca_bundle(&self, host: &str, path: Option<&str>) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO host_settings (host, ca_bundle, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (host) DO UPDATE SET ca_bundle = excluded.ca_bundle, updated_at = excluded.updated_at",
                rusqlite::params![host, path, now()],
            )
            .map_err(sql_error)?;
            Ok(())
        })
    }
}
