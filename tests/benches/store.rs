//! Store benchmark for the dashboard's first paint: 200 bindings and 1,000,000 history events in a
//! real SQLite file. The dashboard needs `list_bindings`, `app_info` and the first page of history;
//! history is always paged through an index, never loaded whole. Goal: the store's share of the
//! 300 ms first-paint budget stays far below it.
//!
//! Run: `cargo bench -p codebind-tests --bench store`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use codebind_core::model::{EventKind, HistoryQuery};
use codebind_core::store::NewEvent;
use codebind_core::vault::MemoryVault;
use codebind_core::Core;
use codebind_core::usecases::{ExportFilter, ExportFormat};
use codebind_tests::seed::{seed, SeedPlan};

const BINDINGS: usize = 200;
const EVENTS: usize = 1_000_000;

fn median(mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..15).map(|_| f()).collect();
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let ids = seed(dir.path(), &SeedPlan { bindings: BINDINGS, events_per_binding: 0 }).unwrap();
    let core = Core::open(dir.path(), Arc::new(MemoryVault::new())).unwrap();
    let t = Instant::now();
    let kinds = [EventKind::Verified, EventKind::TokenRefreshed, EventKind::VerificationFailed];
    for chunk in 0..(EVENTS / 100_000) {
        core.store()
            .append_events((0..100_000).map(|i| {
                let n = chunk * 100_000 + i;
                NewEvent::new(&ids[n % ids.len()], kinds[n % kinds.len()], serde_json::json!({ "n": n }))
            }))
            .unwrap();
    }
    println!("bench: seeded {BINDINGS} bindings and {} events in {:.1} s", core.store().count_events().unwrap(), t.elapsed().as_secs_f64());

    // A fresh open, as when the window shows.
    drop(core);
    let t = Instant::now();
    let core = Core::open(dir.path(), Arc::new(MemoryVault::new())).unwrap();
    let open = t.elapsed();
    let list = median(|| {
        let t = Instant::now();
        assert_eq!(core.list_bindings().unwrap().len(), BINDINGS);
        t.elapsed()
    });
    let info = median(|| {
        let t = Instant::now();
        assert_eq!(core.app_info().providers.len(), 6);
        t.elapsed()
    });
    let first_page = median(|| {
        let t = Instant::now();
        assert_eq!(core.history(&HistoryQuery { limit: Some(100), ..Default::default() }).unwrap().events.len(), 100);
        t.elapsed()
    });
    let deep_page = median(|| {
        let t = Instant::now();
        core.history(&HistoryQuery { before: Some(500_000), limit: Some(100), ..Default::default() }).unwrap();
        t.elapsed()
    });
    let by_binding = median(|| {
        let t = Instant::now();
        core.history(&HistoryQuery { binding_id: Some(ids[7].clone()), limit: Some(100), ..Default::default() }).unwrap();
        t.elapsed()
    });
    let by_kind = median(|| {
        let t = Instant::now();
        core.history(&HistoryQuery { kind: Some(EventKind::Bound), limit: Some(100), ..Default::default() }).unwrap();
        t.elapsed()
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("bench: open store (migrations checked)         {:>8.2} ms", ms(open));
    println!("bench: list 200 bindings                       {:>8.2} ms", ms(list));
    println!("bench: app_info                                {:>8.2} ms", ms(info));
    println!("bench: history, newest 100 of 1,000,000        {:>8.2} ms", ms(first_page));
    println!("bench: history, 100 from the middle            {:>8.2} ms", ms(deep_page));
    println!("bench: history of one binding, newest 100      {:>8.2} ms", ms(by_binding));
    println!("bench: history of one kind (rare), newest 100  {:>8.2} ms", ms(by_kind));
    let dashboard = open + list + info + first_page;
    println!("bench: dashboard data (open + list + info + history page) {:.2} ms (budget 300 ms for the whole first paint)", ms(dashboard));
    if dashboard > Duration::from_millis(100) {
        eprintln!("bench: the store alone takes more than a third of the first-paint budget");
        std::process::exit(1);
    }

    // Exporting the whole history streams it: time, size, and whether memory grew.
    let peak_before = peak_rss_kib();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let dest = dir.path().join(format!("all.{}", format.extension()));
        let t = Instant::now();
        let report = core.export_history(&ExportFilter::default(), format, &dest).unwrap();
        assert_eq!(report.events as usize, EVENTS + BINDINGS, "every event");
        println!(
            "bench: export {} events to {:<4}             {:>8.0} ms, {:.0} MB",
            report.events,
            format.extension(),
            ms(t.elapsed()),
            report.bytes as f64 / 1e6
        );
    }
    if let (Some(before), Some(after)) = (peak_before, peak_rss_kib()) {
        println!("bench: peak RSS before the exports {:.0} MiB, after {:.0} MiB", before as f64 / 1024.0, after as f64 / 1024.0);
    }
}

/// The process's peak resident set (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}
