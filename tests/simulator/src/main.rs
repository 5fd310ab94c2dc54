//! `codebind-simulator [--world FILE] [--latency-ms N] [--port-base N]`
//!
//! Starts every provider on 127.0.0.1, prints one JSON line with each provider's base URL,
//! API URL and tokens, and the `control` URL (see `control.rs`, for end-to-end tests), then
//! serves until Ctrl-C.

use codebind_simulator::{Provider, Simulator, World};
use serde_json::json;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = concat!(
    "usage: codebind-simulator [--world FILE] [--latency-ms N] [--port-base N]\n",
    "  --world FILE     load the world from JSON (default: the built-in demo world)\n",
    "  --latency-ms N   add N ms to every response\n",
    "  --port-base N    listen on N..N+5 (github, gitlab, bitbucket, gitee, codeup, gitea) instead of ephemeral ports",
);

struct Args {
    world: Option<String>,
    latency_ms: u64,
    port_base: Option<u16>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        world: None,
        latency_ms: 0,
        port_base: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--world" => args.world = Some(it.next().ok_or("--world needs a file")?),
            "--latency-ms" => {
                let v = it.next().ok_or("--latency-ms needs a number")?;
                args.latency_ms = v
                    .parse()
                    .map_err(|_| format!("--latency-ms: not a number: {v}"))?;
            }
            "--port-base" => {
                let v = it.next().ok_or("--port-base needs a number")?;
                let n: u16 = v
                    .parse()
                    .map_err(|_| format!("--port-base: not a port: {v}"))?;
                if n > u16::MAX - 6 {
                    return Err("--port-base too high".to_string());
                }
                args.port_base = Some(n);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("codebind-simulator: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let world = match &args.world {
        None => World::demo(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| World::from_json(&t).map_err(|e| e.to_string()))
        {
            Ok(w) => w,
            Err(e) => {
                eprintln!("codebind-simulator: cannot load {path}: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let mut ports = BTreeMap::new();
    if let Some(base) = args.port_base {
        for (i, p) in Provider::ALL.into_iter().enumerate() {
            ports.insert(p, base + i as u16);
        }
    }
    let sim = match Simulator::try_start_on(world, "127.0.0.1", &ports).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("codebind-simulator: cannot listen: {e}");
            return ExitCode::from(1);
        }
    };
    sim.set_latency(Duration::from_millis(args.latency_ms));
    let sim = std::sync::Arc::new(sim);
    let (control, control_task) = match codebind_simulator::control::serve(sim.clone()).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("codebind-simulator: cannot listen for control: {e}");
            return ExitCode::from(1);
        }
    };

    let world = sim.world();
    let mut providers = serde_json::Map::new();
    for p in Provider::ALL {
        let tokens: Vec<_> = world
            .provider(p)
            .tokens
            .iter()
            .map(|t| json!({"value": t.value, "user": t.user, "kind": t.kind, "scopes": t.scopes}))
            .collect();
        // OAuth apps (client id, secret if any, callbacks) for signing in against the simulator.
        let apps: Vec<_> = world
            .provider(p)
            .apps
            .iter()
            .map(|a| json!({"client_id": a.client_id, "client_secret": a.client_secret, "redirect_uris": a.redirect_uris}))
            .collect();
        providers.insert(
            p.as_str().to_string(),
            json!({"base_url": sim.base_url(p), "api_url": sim.api_url(p), "tokens": tokens, "apps": apps}),
        );
    }
    println!("{}", json!({ "providers": providers, "control": format!("http://{control}") }));

    let _ = tokio::signal::ctrl_c().await;
    control_task.abort();
    let _ = control_task.await;
    if let Ok(sim) = std::sync::Arc::try_unwrap(sim) {
        sim.shutdown().await;
    }
    ExitCode::SUCCESS
}
