//! Build rules and the webhooks they need.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::history::{insert_event, NewEvent};
use super::{sql_error, Store};
use crate::error::{Error, Result};
use crate::model::{BuildRule, SourceType, Webhook};

/// One atomic change to the rules and webhook records: a rule saved (inserted or updated) or
/// deleted, a webhook record dropped and/or added, and the history events that tell of it.
#[derive(Default)]
pub struct RuleWrite<'a> {
    pub save: Option<&'a BuildRule>,
    pub delete: Option<&'a str>,
    pub drop_hook: Option<&'a str>,
    pub add_hook: Option<&'a Webhook>,
    pub events: Vec<NewEvent>,
}

const RULE_COLUMNS: &str = "id, binding_id, repo, source_type, source, is_regex, dockerfile, context, image, tag_template, trigger_url, enabled, created_at, updated_at";
const HOOK_COLUMNS: &str = "id, binding_id, repo, provider_hook_id, url, events, secret_key, created_at";

fn read_rule(r: &Row<'_>) -> rusqlite::Result<BuildRule> {
    Ok(BuildRule {
        id: r.get(0)?,
        binding_id: r.get(1)?,
        repo: r.get(2)?,
        source_type: if r.get::<_, String>(3)? == "tag" { SourceType::Tag } else { SourceType::Branch },
        source: r.get(4)?,
        is_regex: r.get::<_, i64>(5)? != 0,
        dockerfile: r.get(6)?,
        context: r.get(7)?,
        image: r.get(8)?,
        tag_template: r.get(9)?,
        trigger_url: r.get(10)?,
        enabled: r.get::<_, i64>(11)? != 0,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

fn read_hook(r: &Row<'_>) -> rusqlite::Result<Webhook> {
    let events: String = r.get(5)?;
    Ok(Webhook {
        id: r.get(0)?,
        binding_id: r.get(1)?,
        repo: r.get(2)?,
        provider_hook_id: r.get(3)?,
        url: r.get(4)?,
        events: serde_json::from_str(&events).unwrap_or_default(),
        secret_key: r.get(6)?,
        created_at: r.get(7)?,
    })
}

impl Store {
    pub fn rules(&self, binding_id: Option<&str>) -> Result<Vec<BuildRule>> {
        let conn = self.conn();
        let (sql, args): (String, Vec<Value>) = match binding_id {
            Some(b) => (format!("SELECT {RULE_COLUMNS} FROM build_rules WHERE binding_id = ? ORDER BY repo, created_at"), vec![Value::Text(b.to_owned())]),
            None => (format!("SELECT {RULE_COLUMNS} FROM build_rules ORDER BY binding_id, repo, created_at"), vec![]),
        };
        let mut stmt = conn.prepare_cached(&sql).map_err(sql_error)?;
        let rows = stmt.query_map(params_from_iter(args), read_rule).map_err(sql_error)?;
        rows.map(|r| r.map_err(sql_error)).collect()
    }

    pub fn rule(&self, id: &str) -> Result<Option<BuildRule>> {
        let conn = self.conn();
        conn.query_row(&format!("SELECT {RULE_COLUMNS} FROM build_rules WHERE id = ?1"), [id], read_rule).optional().map_err(sql_error)
    }

    /// Applies one change to rules and webhook records, with its history events, atomically.
    pub fn write_rules(&self, w: RuleWrite<'_>) -> Result<()> {
        self.write(|tx| {
            if let Some(rule) = w.save {
                tx.execute(
                    &format!(
                        "INSERT INTO build_rules ({RULE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                         ON CONFLICT (id) DO UPDATE SET source_type = excluded.source_type, source = excluded.source,
                           is_regex = excluded.is_regex, dockerfile = excluded.dockerfile, context = excluded.context,
                           image = excluded.image, tag_template = excluded.tag_template, trigger_url = excluded.trigger_url,
                           enabled = excluded.enabled, updated_at = excluded.updated_at"
                    ),
                    params![
                        rule.id,
                        rule.binding_id,
                        rule.repo,
                        match rule.source_type { SourceType::Branch => "branch", SourceType::Tag => "tag" },
                        rule.source,
                        rule.is_regex as i64,
                        rule.dockerfile,
                        rule.context,
                        rule.image,
                        rule.tag_template,
                        rule.trigger_url,
                        rule.enabled as i64,
                        rule.created_at,
                        rule.updated_at
                    ],
                )
                .map_err(sql_error)?;
            }
            if let Some(id) = w.delete {
                if tx.execute("DELETE FROM build_rules WHERE id = ?1", [id]).map_err(sql_error)? == 0 {
                    return Err(Error::not_found(format!("no build rule with id {id}")));
                }
            }
            if let Some(h) = w.drop_hook {
                tx.execute("DELETE FROM webhooks WHERE id = ?1", [h]).map_err(sql_error)?;
            }
            if let Some(h) = w.add_hook {
                insert_hook(tx, h)?;
            }
            w.events.iter().try_for_each(|e| insert_event(tx, e))
        })
    }

    pub fn webhooks(&self, binding_id: &str) -> Result<Vec<Webhook>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!("SELECT {HOOK_COLUMNS} FROM webhooks WHERE binding_id = ?1 ORDER BY repo")).map_err(sql_error)?;
        let rows = stmt.query_map([binding_id], read_hook).map_err(sql_error)?;
        rows.map(|r| r.map_err(sql_error)).collect()
    }

    pub fn webhook_for(&self, binding_id: &str, repo: &str) -> Result<Option<Webhook>> {
        let conn = self.conn();
        conn.query_row(&format!("SELECT {HOOK_COLUMNS} FROM webhooks WHERE binding_id = ?1 AND repo = ?2"), [binding_id, repo], read_hook)
            .optional()
            .map_err(sql_error)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        let conn = self.conn();
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(sql_error)
    }

    pub fn set_setting(&self, key: &str, value: Option<&str>) -> Result<()> {
        self.write(|tx| {
            match value {
                Some(v) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, v],
                ),
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key]),
            }
            .map_err(sql_error)?;
            Ok(())
        })
    }
}

fn insert_hook(tx: &rusqlite::Transaction<'_>, h: &Webhook) -> Result<()> {
    let events = serde_json::to_string(&h.events).map_err(|e| Error::storage(e.to_string()))?;
    tx.execute(
        &format!("INSERT INTO webhooks ({HOOK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![h.id, h.binding_id, h.repo, h.provider_hook_id, h.url, events, h.secret_key, h.created_at],
    )
    .map_err(sql_error)?;
    Ok(())
}
