//! The bindings table: one row per bound account, keyed by (provider, host, account id).

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row, Transaction};

use super::history::{insert_event, NewEvent};
use super::{sql_error, Store};
use crate::error::{Error, Result};
use crate::model::{AuthMethod, Binding, BindingStatus, ProviderKind};

const COLUMNS: &str = "id, provider, host, account_id, login, display_name, avatar_url, auth_method, \
     scopes, expires_at, status, disabled, vault_key, created_at, updated_at, last_verified_at, \
     username, organization, scopes_reported";

impl Store {
    /// Every binding, ordered by provider, host and login.
    pub fn list_bindings(&self) -> Result<Vec<Binding>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM bindings ORDER BY provider, host, login COLLATE NOCASE, id"
            ))
            .map_err(sql_error)?;
        let rows = stmt.query_map([], read_binding).map_err(sql_error)?;
        rows.map(|r| r.map_err(sql_error).and_then(|b| b)).collect()
    }

    pub fn get_binding(&self, id: &str) -> Result<Option<Binding>> {
        let conn = self.conn();
        conn.query_row(&format!("SELECT {COLUMNS} FROM bindings WHERE id = ?1"), [id], read_binding)
            .optional()
            .map_err(sql_error)?
            .transpose()
    }

    /// The binding for this account on this host, if it is bound.
    pub fn find_binding(
        &self,
        provider: ProviderKind,
        host: &str,
        account_id: &str,
    ) -> Result<Option<Binding>> {
        let conn = self.conn();
        conn.query_row(
            &format!(
                "SELECT {COLUMNS} FROM bindings WHERE provider = ?1 AND host = ?2 AND account_id = ?3"
            ),
            params![provider.as_str(), host, account_id],
            read_binding,
        )
        .optional()
        .map_err(sql_error)?
        .transpose()
    }

    /// Inserts a new binding and its first history event in one transaction.
    pub fn insert_binding(&self, binding: &Binding, event: NewEvent) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                &format!(
                    "INSERT INTO bindings ({COLUMNS}) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
                ),
                params_from_iter(binding_params(binding)?),
            )
            .map_err(sql_error)?;
            insert_event(tx, &event)
        })
    }

    /// Overwrites every column of an existing binding (matched by id) and appends the event, atomically.
    pub fn update_binding(&self, binding: &Binding, event: Option<NewEvent>) -> Result<()> {
        self.write(|tx| {
            let changed = tx
                .execute(
                    "UPDATE bindings SET provider = ?2, host = ?3, account_id = ?4, login = ?5, \
                     display_name = ?6, avatar_url = ?7, auth_method = ?8, scopes = ?9, expires_at = ?10, \
                     status = ?11, disabled = ?12, vault_key = ?13, created_at = ?14, updated_at = ?15, \
                     last_verified_at = ?16, username = ?17, organization = ?18, scopes_reported = ?19 \
                     WHERE id = ?1",
                    params_from_iter(binding_params(binding)?),
                )
                .map_err(sql_error)?;
            if changed == 0 {
                return Err(Error::not_found(format!("no binding with id {}", binding.id)));
            }
            match &event {
                Some(e) => insert_event(tx, e),
                None => Ok(()),
            }
        })
    }

    /// Removes a binding and appends the event (usually `unbound`), atomically. History stays.
    pub fn delete_binding(&self, id: &str, event: NewEvent) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute("DELETE FROM bindings WHERE id = ?1", [id]).map_err(sql_error)?;
            if n == 0 {
                return Err(Error::not_found(format!("no binding with id {id}")));
            }
            insert_event(tx, &event)
        })
    }

    pub(super) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(sql_error)?;
        let out = f(&tx)?;
        tx.commit().map_err(sql_error)?;
        Ok(out)
    }
}

fn binding_params(b: &Binding) -> Result<Vec<Value>> {
    let scopes = serde_json::to_string(&b.scopes)
        .map_err(|e| Error::storage(format!("cannot encode scopes: {e}")))?;
    let text = |s: &str| Value::Text(s.to_owned());
    let opt = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
    Ok(vec![
        text(&b.id),
        text(b.provider.as_str()),
        text(&b.host),
        text(&b.account_id),
        text(&b.login),
        opt(&b.display_name),
        opt(&b.avatar_url),
        text(b.auth_method.as_str()),
        Value::Text(scopes),
        opt(&b.expires_at),
        text(b.status.as_str()),
        Value::Integer(b.disabled as i64),
        text(&b.vault_key),
        text(&b.created_at),
        text(&b.updated_at),
        opt(&b.last_verified_at),
        opt(&b.username),
        opt(&b.organization),
        Value::Integer(b.scopes_reported as i64),
    ])
}

/// Reads a row; an unknown enum value (a newer app wrote it) becomes a storage error, not a panic.
fn read_binding(row: &Row<'_>) -> rusqlite::Result<Result<Binding>> {
    let provider: String = row.get(1)?;
    let auth_method: String = row.get(7)?;
    let scopes: String = row.get(8)?;
    let status: String = row.get(10)?;
    let unknown = |what: &str, v: &str| Error::storage(format!("unknown {what} {v:?} in the store"));
    let build = || -> Result<Binding> {
        Ok(Binding {
            id: row.get(0).map_err(sql_error)?,
            provider: ProviderKind::parse(&provider).ok_or_else(|| unknown("provider", &provider))?,
            host: row.get(2).map_err(sql_error)?,
            account_id: row.get(3).map_err(sql_error)?,
            login: row.get(4).map_err(sql_error)?,
            display_name: row.get(5).map_err(sql_error)?,
            avatar_url: row.get(6).map_err(sql_error)?,
            auth_method: AuthMethod::parse(&auth_method)
                .ok_or_else(|| unknown("auth method", &auth_method))?,
            scopes: serde_json::from_str(&scopes)
                .map_err(|e| Error::storage(format!("bad scopes in the store: {e}")))?,
            expires_at: row.get(9).map_err(sql_error)?,
            status: BindingStatus::parse(&status).ok_or_else(|| unknown("status", &status))?,
            disabled: row.get::<_, i64>(11).map_err(sql_error)? != 0,
            vault_key: row.get(12).map_err(sql_error)?,
            created_at: row.get(13).map_err(sql_error)?,
            updated_at: row.get(14).map_err(sql_error)?,
            last_verified_at: row.get(15).map_err(sql_error)?,
            username: row.get(16).map_err(sql_error)?,
            organization: row.get(17).map_err(sql_error)?,
            scopes_reported: row.get::<_, i64>(18).map_err(sql_error)? != 0,
        })
    };
    Ok(build())
}
