//! Exporting the history to a CSV or JSON file, streamed page by page from SQLite (never the whole
//! table in memory), written to a temporary file and renamed into place, so a failed export leaves
//! no half-written file. Columns: id, at, kind, binding_id, provider, host, login, detail (JSON).
//! The history holds no secrets, so neither does an export.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::Core;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Binding, EventKind, HistoryEvent, HistoryQuery};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// Which events to export: by binding, kind and time (RFC 3339, `from` inclusive, `to` exclusive).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ExportFilter {
    pub binding_id: Option<String>,
    pub kind: Option<EventKind>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Where an export went and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportReport {
    pub path: String,
    #[ts(type = "number")]
    pub events: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

const COLUMNS: [&str; 8] = ["id", "at", "kind", "binding_id", "provider", "host", "login", "detail"];
const PAGE: u32 = 1000;

fn instant(what: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| DateTime::parse_from_rfc3339(v).map(|t| t.with_timezone(&Utc)).map_err(|_| Error::invalid_input(format!("{what} {v:?} is not an RFC 3339 time"))))
        .transpose()
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn row(e: &HistoryEvent, b: Option<&Binding>) -> Value {
    json!({
        "id": e.id,
        "at": e.at,
        "kind": e.kind.as_str(),
        "binding_id": e.binding_id,
        "provider": b.map(|b| b.provider.as_str()),
        "host": b.map(|b| b.host.as_str()),
        "login": b.map(|b| b.login.as_str()),
        "detail": e.detail,
    })
}

fn csv_line(v: &Value) -> String {
    let fields: Vec<String> = COLUMNS
        .iter()
        .map(|c| match &v[*c] {
            Value::Null => String::new(),
            Value::String(s) => csv_field(s),
            Value::Number(n) => n.to_string(),
            other => csv_field(&other.to_string()),
        })
        .collect();
    fields.join(",") + "\r\n"
}

/// `codebind-history-2026-11-22.csv` in `dir`, or `…-2.csv`, `…-3.csv` when taken.
pub fn free_export_path(dir: &Path, format: ExportFormat, today: &str) -> PathBuf {
    let ext = format.extension();
    let mut path = dir.join(format!("codebind-history-{today}.{ext}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("codebind-history-{today}-{n}.{ext}"));
        n += 1;
    }
    path
}

impl Core {
    /// Writes the matching history to `dest` (replacing it), newest first.
    pub fn export_history(&self, filter: &ExportFilter, format: ExportFormat, dest: &Path) -> Result<ExportReport> {
        let from = instant("from", filter.from.as_deref())?;
        let to = instant("to", filter.to.as_deref())?;
        let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(Error::invalid_input(format!("{} is not a folder", dir.display())));
        }
        let bindings: HashMap<String, Binding> = self.store.list_bindings()?.into_iter().map(|b| (b.id.clone(), b)).collect();
        let tmp = dest.with_extension(format!("{}.part", format.extension()));
        let io = |e: std::io::Error| Error::new(ErrorCode::Storage, format!("cannot write {}: {e}", tmp.display()));
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut out = BufWriter::new(file);
        let result = (|| -> Result<u64> {
            match format {
                // The byte order mark lets spreadsheet apps read UTF-8 (李伟, 王芳…) correctly.
                ExportFormat::Csv => write!(out, "\u{feff}{}\r\n", COLUMNS.join(",")).map_err(io)?,
                ExportFormat::Json => out.write_all(b"[").map_err(io)?,
            }
            let mut query = HistoryQuery { binding_id: filter.binding_id.clone(), kind: filter.kind, before: None, limit: Some(PAGE) };
            let mut count = 0u64;
            'pages: loop {
                let page = self.store.history(&query)?;
                for e in &page.events {
                    let at = DateTime::parse_from_rfc3339(&e.at).map(|t| t.with_timezone(&Utc)).ok();
                    if let (Some(to), Some(at)) = (to, at) {
                        if at >= to {
                            continue;
                        }
                    }
                    if let (Some(from), Some(at)) = (from, at) {
                        if at < from {
                            break 'pages;
                        }
                    }
                    let v = row(e, bindings.get(&e.binding_id));
                    match format {
                        ExportFormat::Csv => out.write_all(csv_line(&v).as_bytes()).map_err(io)?,
                        ExportFormat::Json => {
                            out.write_all(if count == 0 { b"\n  " } else { b",\n  " }).map_err(io)?;
                            serde_json::to_writer(&mut out, &v).map_err(|e| io(e.into()))?;
                        }
                    }
                    count += 1;
                }
                match page.next_before {
                    Some(before) => query.before = Some(before),
                    None => break,
                }
            }
            if format == ExportFormat::Json {
                out.write_all(if count == 0 { b"]\n" } else { b"\n]\n" }).map_err(io)?;
            }
            out.flush().map_err(io)?;
            out.get_ref().sync_all().map_err(io)?;
            Ok(count)
        })();
        let count = match result {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        drop(out);
        std::fs::rename(&tmp, dest).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::new(ErrorCode::Storage, format!("cannot move the export to {}: {e}", dest.display()))
        })?;
        let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        Ok(ExportReport { path: dest.display().to_string(), events: count, bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_follow_rfc_4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn export_names_do_not_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let first = free_export_path(dir.path(), ExportFormat::Csv, "2026-11-22");
        assert!(first.ends_with("codebind-history-2026-11-22.csv"));
        std::fs::write(&first, "x").unwrap();
        assert!(free_export_path(dir.path(), ExportFormat::Csv, "2026-11-22").ends_with("codebind-history-2026-11-22-2.csv"));
        assert!(free_export_path(dir.path(), ExportFormat::Json, "2026-11-22").ends_with("codebind-history-2026-11-22.json"));
    }
}
