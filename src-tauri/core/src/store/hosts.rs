//! Per-host connection settings: a CA bundle to trust and how to reach the host (proxy).

use rusqlite::{OptionalExtension, Row};

use super::{sql_error, Store};
use crate::error::Result;
use crate::model::HostSettings;
use crate::time::now;

fn read(r: &Row<'_>) -> rusqlite::Result<HostSettings> {
    Ok(HostSettings { host: r.get(0)?, ca_bundle: r.get(1)?, proxy: r.get(2)?, updated_at: r.get(3)? })
}

impl Store {
    /// The custom CA bundle path for a host, if one is set.
    pub fn ca_bundle(&self, host: &str) -> Result<Option<String>> {
        Ok(self.host_settings(host)?.and_then(|s| s.ca_bundle))
    }

    pub fn host_settings(&self, host: &str) -> Result<Option<HostSettings>> {
        let conn = self.conn();
        conn.query_row("SELECT host, ca_bundle, proxy, updated_at FROM host_settings WHERE host = ?1", [host], read).optional().map_err(sql_error)
    }

    pub fn all_host_settings(&self) -> Result<Vec<HostSettings>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT host, ca_bundle, proxy, updated_at FROM host_settings ORDER BY host").map_err(sql_error)?;
        let rows = stmt.query_map([], read).map_err(sql_error)?;
        rows.map(|r| r.map_err(sql_error)).collect()
    }

    /// Sets (or clears, with `None`) the CA bundle for a host.
    pub fn set_ca_bundle(&self, host: &str, path: Option<&str>) -> Result<()> {
        let proxy = self.host_settings(host)?.and_then(|s| s.proxy);
        self.save_host_settings(host, path, proxy.as_deref())
    }

    /// Saves a host's settings; a host with neither a CA bundle nor a proxy has no row.
    pub fn save_host_settings(&self, host: &str, ca_bundle: Option<&str>, proxy: Option<&str>) -> Result<()> {
        self.write(|tx| {
            if ca_bundle.is_none() && proxy.is_none() {
                tx.execute("DELETE FROM host_settings WHERE host = ?1", [host]).map_err(sql_error)?;
                return Ok(());
            }
            tx.execute(
                "INSERT INTO host_settings (host, ca_bundle, proxy, updated_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (host) DO UPDATE SET ca_bundle = excluded.ca_bundle, proxy = excluded.proxy, updated_at = excluded.updated_at",
                rusqlite::params![host, ca_bundle, proxy, now()],
            )
            .map_err(sql_error)?;
            Ok(())
        })
    }
}
