//! OAuth apps the user entered in Settings (client ids; secrets live in the keychain).

use rusqlite::OptionalExtension;

use super::{sql_error, Store};
use crate::error::Result;
use crate::model::ProviderKind;
use crate::time::now;

impl Store {
    /// (client id, has a secret in the keychain)
    pub fn oauth_app(&self, provider: ProviderKind, host: &str) -> Result<Option<(String, bool)>> {
        let conn = self.conn();
        conn.query_row(
            "SELECT client_id, has_secret FROM oauth_apps WHERE provider = ?1 AND host = ?2",
            rusqlite::params![provider.as_str(), host],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? != 0)),
        )
        .optional()
        .map_err(sql_error)
    }

    pub fn set_oauth_app(&self, provider: ProviderKind, host: &str, client_id: &str, has_secret: bool) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO oauth_apps (provider, host, client_id, has_secret, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (provider, host) DO UPDATE SET client_id = excluded.client_id, has_secret = excluded.has_secret, updated_at = excluded.updated_at",
                rusqlite::params![provider.as_str(), host, client_id, has_secret as i64, now()],
            )
            .map_err(sql_error)?;
            Ok(())
        })
    }
}
