//! The standalone simulator's control port, for end-to-end tests that drive the real app and
//! cannot call [`SimHandle`] methods: read a repository's webhooks as the provider stores them
//! (with their secrets, so a test can check signatures), simulate a `git push`, and read or set
//! the commit a ref points at. Loopback only; not part of any provider's API.
//!
//! - `GET  /hooks?provider=P&repo=R`          → `[Hook]`
//! - `POST /push?provider=P&repo=R&ref=REF`   → `[{hook_id, url, event, status, error}]`
//! - `GET  /head?provider=P&repo=R&ref=REF`   → `{"sha": …}` (404 when the ref is unknown)
//! - `POST /head?provider=P&repo=R&ref=REF&sha=SHA` → sets it

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::provider::Provider;
use crate::server::SimHandle;

type Params = Query<HashMap<String, String>>;

fn need<'a>(q: &'a HashMap<String, String>, name: &str) -> Result<&'a str, Response> {
    q.get(name).map(String::as_str).ok_or_else(|| (StatusCode::BAD_REQUEST, format!("{name} is missing")).into_response())
}

fn provider(q: &HashMap<String, String>) -> Result<Provider, Response> {
    let name = need(q, "provider")?;
    Provider::parse(name).ok_or_else(|| (StatusCode::BAD_REQUEST, format!("no provider {name}")).into_response())
}

async fn hooks(State(sim): State<Arc<SimHandle>>, Query(q): Params) -> Response {
    match (provider(&q), need(&q, "repo")) {
        (Ok(p), Ok(repo)) => Json(sim.hooks(p, repo)).into_response(),
        (Err(e), _) | (_, Err(e)) => e,
    }
}

async fn push(State(sim): State<Arc<SimHandle>>, Query(q): Params) -> Response {
    let (p, repo, git_ref) = match (provider(&q), need(&q, "repo"), need(&q, "ref")) {
        (Ok(p), Ok(r), Ok(g)) => (p, r.to_owned(), g.to_owned()),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return e,
    };
    let out: Vec<_> = sim
        .push(p, &repo, &git_ref)
        .await
        .into_iter()
        .map(|d| json!({"hook_id": d.hook_id, "url": d.url, "event": d.event, "status": d.status, "error": d.error}))
        .collect();
    Json(out).into_response()
}

async fn head(State(sim): State<Arc<SimHandle>>, Query(q): Params) -> Response {
    match (provider(&q), need(&q, "repo"), need(&q, "ref")) {
        (Ok(p), Ok(repo), Ok(r)) => match sim.head(p, repo, r) {
            Some(sha) => Json(json!({ "sha": sha })).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => e,
    }
}

async fn set_head(State(sim): State<Arc<SimHandle>>, Query(q): Params) -> Response {
    match (provider(&q), need(&q, "repo"), need(&q, "ref"), need(&q, "sha")) {
        (Ok(p), Ok(repo), Ok(r), Ok(sha)) if sim.set_ref(p, repo, r, Some(sha)) => StatusCode::NO_CONTENT.into_response(),
        (Ok(_), Ok(_), Ok(_), Ok(_)) => StatusCode::NOT_FOUND.into_response(),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => e,
    }
}

/// Serves the control port on 127.0.0.1 (an ephemeral port); returns its address.
pub async fn serve(sim: Arc<SimHandle>) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let app = Router::new()
        .route("/hooks", get(hooks))
        .route("/push", axum::routing::post(push))
        .route("/head", get(head).post(set_head))
        .with_state(sim);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((addr, task))
}
