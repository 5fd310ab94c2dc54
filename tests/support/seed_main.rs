//! Seeds a data dir with realistic bindings and history, for the end-to-end suite, benchmarks and
//! manual exploration. It writes the store only: seeded bindings have no token in any keychain.
//!
//! `codebind-seed --data-dir DIR [--bindings N] [--events-per-binding M]`

use codebind_tests::seed::{seed, SeedPlan};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut plan = SeedPlan::default();
    let mut dir = None;
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{a} needs a value")));
        match a.as_str() {
            "--data-dir" => dir = Some(value()),
            "--bindings" => plan.bindings = value().parse().unwrap_or_else(|_| usage("--bindings takes a number")),
            "--events-per-binding" => {
                plan.events_per_binding = value().parse().unwrap_or_else(|_| usage("--events-per-binding takes a number"))
            }
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let dir = dir.unwrap_or_else(|| usage("--data-dir is required"));
    match seed(std::path::Path::new(&dir), &plan) {
        Ok(ids) => println!("{}", serde_json::json!({ "data_dir": dir, "binding_ids": ids })),
        Err(e) => {
            eprintln!("codebind-seed: error [{}]: {}", e.code.as_str(), e.message);
            std::process::exit(1);
        }
    }
}

fn usage(why: &str) -> ! {
    eprintln!("codebind-seed: {why}\nusage: codebind-seed --data-dir DIR [--bindings N] [--events-per-binding M]");
    std::process::exit(2)
}
