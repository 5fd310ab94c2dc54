//! `codebind history`

use codebind_core::model::{EventKind, HistoryQuery};
use codebind_core::usecases::{ExportFilter, ExportFormat};
use codebind_core::{Core, Error};

use crate::args::HistoryArgs;
use crate::output;

pub fn run(core: &Core, args: &HistoryArgs) -> Result<(), Error> {
    let kind = match &args.kind {
        Some(k) => Some(EventKind::parse(k).ok_or_else(|| {
            Error::invalid_input(format!("unknown event kind {k:?}; see `codebind history --help`"))
        })?),
        None => None,
    };
    if let (Some(format), Some(path)) = (&args.export, &args.output) {
        let format = match format.as_str() {
            "csv" => ExportFormat::Csv,
            "json" => ExportFormat::Json,
            other => return Err(Error::invalid_input(format!("cannot export as {other:?}; use csv or json"))),
        };
        let filter = ExportFilter { binding_id: args.binding.clone(), kind, from: args.from.clone(), to: args.to.clone() };
        let report = core.export_history(&filter, format, path)?;
        if args.json {
            return output::json(&report);
        }
        println!("Exported {} events to {} ({} bytes).", report.events, report.path, report.bytes);
        return Ok(());
    }
    let page = core.history(&HistoryQuery {
        binding_id: args.binding.clone(),
        kind,
        before: args.before,
        limit: Some(args.limit),
    })?;
    if args.json {
        return output::json(&page.events);
    }
    if page.events.is_empty() {
        println!("No history yet.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .events
        .iter()
        .map(|e| vec![e.id.to_string(), e.at.clone(), e.kind.as_str().to_owned(), e.binding_id.clone(), e.detail.to_string()])
        .collect();
    output::table(&["EVENT", "AT", "KIND", "BINDING", "DETAIL"], &rows);
    if let Some(before) = page.next_before {
        println!("(more: codebind history --before {before})");
    }
    Ok(())
}
