//! The append-only history of every binding. Entries outlive their binding.

use rusqlite::{params_from_iter, types::Value, Transaction};

use super::{sql_error, Store};
use crate::error::{Error, Result};
use crate::model::{EventKind, HistoryEvent, HistoryPage, HistoryQuery};
use crate::time::now;

/// An event to append; its time is taken when it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub binding_id: String,
    pub kind: EventKind,
    pub detail: serde_json::Value,
}

impl NewEvent {
    pub fn new(binding_id: impl Into<String>, kind: EventKind, detail: serde_json::Value) -> Self {
        NewEvent { binding_id: binding_id.into(), kind, detail }
    }
}

pub const DEFAULT_PAGE: u32 = 100;
pub const MAX_PAGE: u32 = 1000;

impl Store {
    pub fn append_event(&self, event: NewEvent) -> Result<()> {
        self.write(|tx| insert_event(tx, &event))
    }

    /// Appends many events in one transaction (seeding, imports).
    pub fn append_events(&self, events: impl IntoIterator<Item = NewEvent>) -> Result<()> {
        self.write(|tx| events.into_iter().try_for_each(|e| insert_event(tx, &e)))
    }

    /// One page of history, newest first, read through an index: never the whole table.
    pub fn history(&self, query: &HistoryQuery) -> Result<HistoryPage> {
        let limit = query.limit.unwrap_or(DEFAULT_PAGE);
        if limit == 0 || limit > MAX_PAGE {
            return Err(Error::invalid_input(format!("limit must be between 1 and {MAX_PAGE}")));
        }
        let mut sql = String::from("SELECT id, binding_id, at, kind, detail FROM events WHERE 1 = 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(b) = &query.binding_id {
            sql.push_str(" AND binding_id = ?");
            args.push(Value::Text(b.clone()));
        }
        if let Some(k) = query.kind {
            sql.push_str(" AND kind = ?");
            args.push(Value::Text(k.as_str().to_owned()));
        }
        if let Some(before) = query.before {
            sql.push_str(" AND id < ?");
            args.push(Value::Integer(before));
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        args.push(Value::Integer(i64::from(limit) + 1));

        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql).map_err(sql_error)?;
        let rows = stmt
            .query_map(params_from_iter(args), |r| {
                Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
            })
            .map_err(sql_error)?;
        let mut events = Vec::with_capacity(limit as usize + 1);
        for row in rows {
            let (id, binding_id, at, kind, detail) = row.map_err(sql_error)?;
            events.push(HistoryEvent {
                id,
                binding_id,
                at,
                kind: EventKind::parse(&kind)
                    .ok_or_else(|| Error::storage(format!("unknown event kind {kind:?} in the store")))?,
                detail: serde_json::from_str(&detail)
                    .map_err(|e| Error::storage(format!("bad event detail in the store: {e}")))?,
            });
        }
        let next_before = if events.len() > limit as usize {
            events.truncate(limit as usize);
            events.last().map(|e| e.id)
        } else {
            None
        };
        Ok(HistoryPage { events, next_before })
    }

    pub fn count_events(&self) -> Result<u64> {
        let conn = self.conn();
        conn.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(sql_error)
    }
}

pub(super) fn insert_event(tx: &Transaction<'_>, e: &NewEvent) -> Result<()> {
    let detail = serde_json::to_string(&e.detail)
        .map_err(|err| Error::storage(format!("cannot encode event detail: {err}")))?;
    tx.prepare_cached("INSERT INTO events (binding_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)")
        .and_then(|mut s| s.execute(rusqlite::params![e.binding_id, now(), e.kind.as_str(), detail]))
        .map_err(sql_error)?;
    Ok(())
}
