//! Starting the listeners (one per provider on 127.0.0.1:0), the shared state they read,
//! and the request path every request takes: record → latency → fault → provider.

use crate::faults::{self, Fault, FaultRule};
use crate::http::SimRequest;
use crate::provider::{AsProvider, Provider};
use crate::record::{self, RecordedRequest};
use crate::world::{ProviderWorld, World};
use crate::{bitbucket, codeup, gitea, gitee, github, gitlab};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Largest request body read; larger ones get 413.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// State shared by all listeners and the [`SimHandle`].
pub struct Shared {
    pub(crate) world: RwLock<World>,
    faults: Mutex<Vec<FaultRule>>,
    requests: Mutex<Vec<RecordedRequest>>,
    latency: Mutex<Latency>,
    rate: Mutex<RateWindow>,
    /// Pending OAuth authorizations, codes, refresh tokens and device grants.
    pub(crate) oauth: Mutex<crate::oauth::OAuthState>,
}

#[derive(Default)]
struct Latency {
    global: Duration,
    per: HashMap<Provider, Duration>,
}

/// GitHub-style hourly request counting (per provider and account).
struct RateWindow {
    start: DateTime<Utc>,
    counts: HashMap<(Provider, String), u64>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// Counts one request for `key` in the current hour; returns (used, window reset).
    /// With `count == false` only reads the current number.
    pub(crate) fn count_use(
        &self,
        p: Provider,
        key: &str,
        now: DateTime<Utc>,
        count: bool,
    ) -> (u64, DateTime<Utc>) {
        let mut r = lock(&self.rate);
        if now >= r.start + chrono::Duration::hours(1) {
            r.start = now;
            r.counts.clear();
        }
        let n = r.counts.entry((p, key.to_string())).or_insert(0);
        if count {
            *n += 1;
        }
        (*n, r.start + chrono::Duration::hours(1))
    }
}

/// What a provider handler sees: its slice of the world plus the shared state.
/// Handlers hold only a read lock; changes they want go into `effects` and are applied
/// under the write lock after the response is built.
pub struct Env<'a> {
    pub pw: &'a ProviderWorld,
    pub shared: &'a Shared,
    pub now: DateTime<Utc>,
    pub effects: RefCell<Vec<Effect>>,
}

/// A change to the world requested by a handler.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Revoke every token with this value.
    RevokeToken(String),
    /// A change asked for by the OAuth endpoints (e.g. an issued access token).
    Oauth(crate::oauth::Change),
    /// A webhook created, edited or deleted through a provider's hooks API.
    Hooks(crate::hooks::Change),
}

impl Env<'_> {
    pub fn effect(&self, e: Effect) {
        self.effects.borrow_mut().push(e);
    }
}

/// Entry point: `Simulator::start(World::demo()).await`.
pub struct Simulator;

impl Simulator {
    /// Binds one listener per provider on 127.0.0.1 with an ephemeral port and serves
    /// until [`SimHandle::shutdown`] or drop. Panics only if the OS refuses a loopback
    /// port (see [`Simulator::try_start`]).
    pub async fn start(world: World) -> SimHandle {
        match Simulator::try_start(world).await {
            Ok(h) => h,
            Err(e) => panic!("codebind-simulator: cannot bind a loopback port: {e}"),
        }
    }

    pub async fn try_start(world: World) -> std::io::Result<SimHandle> {
        Simulator::try_start_on(world, "127.0.0.1", &BTreeMap::new()).await
    }

    /// Like `try_start`, with fixed ports for some providers (0 or absent = ephemeral).
    pub async fn try_start_on(
        world: World,
        ip: &str,
        ports: &BTreeMap<Provider, u16>,
    ) -> std::io::Result<SimHandle> {
        let mut world = world;
        world.normalize();
        let shared = Arc::new(Shared {
            world: RwLock::new(world),
            faults: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
            latency: Mutex::new(Latency::default()),
            rate: Mutex::new(RateWindow {
                start: Utc::now(),
                counts: HashMap::new(),
            }),
            oauth: Mutex::new(Default::default()),
        });
        let mut addrs = BTreeMap::new();
        let mut stops = Vec::new();
        let mut tasks = Vec::new();
        for p in Provider::ALL {
            let port = ports.get(&p).copied().unwrap_or(0);
            let listener = tokio::net::TcpListener::bind((ip, port)).await?;
            let addr = listener.local_addr()?;
            let ctx = Ctx {
                provider: p,
                shared: shared.clone(),
                origin: format!("http://{addr}"),
            };
            let app = Router::new().fallback(entry).with_state(ctx);
            let (tx, rx) = oneshot::channel::<()>();
            let task = tokio::spawn(async move {
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = rx.await;
                    })
                    .await;
            });
            addrs.insert(p, addr);
            stops.push(tx);
            tasks.push(task);
        }
        Ok(SimHandle {
            shared,
            addrs,
            stops,
            tasks,
        })
    }
}

#[derive(Clone)]
struct Ctx {
    provider: Provider,
    shared: Arc<Shared>,
    origin: String,
}

async fn entry(State(ctx): State<Ctx>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b.to_vec(),
        Err(_) => return crate::http::SimResponse::new(413).into_axum(),
    };
    let p = ctx.provider;
    let prefixes: &[&str] = &[p.api_prefix()];
    let sreq = SimRequest::new(
        parts.method,
        parts.uri.path(),
        parts.uri.query(),
        parts.headers,
        body,
        &ctx.origin,
        prefixes,
    );
    lock(&ctx.shared.requests).push(record::record(p, &sreq));

    let delay = {
        let l = lock(&ctx.shared.latency);
        l.global + l.per.get(&p).copied().unwrap_or_default()
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }

    let fault = faults::take(&mut lock(&ctx.shared.faults), p, &sreq);
    if let Some(fault) = fault {
        return respond_fault(p, &fault, &sreq).await.into_axum();
    }

    let (resp, effects) = {
        let world = ctx.shared.world.read().unwrap_or_else(|e| e.into_inner());
        let env = Env {
            pw: world.provider(p),
            shared: &ctx.shared,
            now: Utc::now(),
            effects: RefCell::new(Vec::new()),
        };
        let resp = dispatch(p, &env, &sreq);
        (resp, env.effects.into_inner())
    };
    if !effects.is_empty() {
        let mut world = ctx.shared.world.write().unwrap_or_else(|e| e.into_inner());
        for e in effects {
            match e {
                Effect::RevokeToken(v) => {
                    world.revoke_token(&v);
                }
                Effect::Oauth(c) => crate::oauth::apply(&mut world, p, c),
                Effect::Hooks(c) => crate::hooks::apply(&mut world, p, c),
            }
        }
    }
    resp.into_axum()
}

fn dispatch(p: Provider, env: &Env, req: &SimRequest) -> crate::http::SimResponse {
    match p {
        Provider::Github => github::handle(env, req),
        Provider::Gitlab => gitlab::handle(env, req),
        Provider::Bitbucket => bitbucket::handle(env, req),
        Provider::Gitee => gitee::handle(env, req),
        Provider::Codeup => codeup::handle(env, req),
        Provider::Gitea => gitea::handle(env, req),
    }
}

async fn respond_fault(p: Provider, fault: &Fault, req: &SimRequest) -> crate::http::SimResponse {
    match fault {
        Fault::Timeout { millis } => {
            tokio::time::sleep(Duration::from_millis(*millis)).await;
            crate::http::SimResponse::new(504)
        }
        Fault::HtmlLogin { status } => faults::html_login(*status),
        Fault::MalformedJson => faults::malformed_json(),
        Fault::ServerError { status } if *status != 500 => faults::gateway_page(*status),
        other => match p {
            Provider::Github => github::fault(other, req),
            Provider::Gitlab => gitlab::fault(other, req),
            Provider::Bitbucket => bitbucket::fault(other, req),
            Provider::Gitee => gitee::fault(other, req),
            Provider::Codeup => codeup::fault(other, req),
            Provider::Gitea => gitea::fault(other, req),
        },
    }
}

/// A running simulator. Dropping it stops the listeners.
pub struct SimHandle {
    pub(crate) shared: Arc<Shared>,
    addrs: BTreeMap<Provider, SocketAddr>,
    stops: Vec<oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT` — the provider's "host" URL.
    pub fn base_url(&self, p: impl AsProvider) -> String {
        match self.addrs.get(&p.provider()) {
            Some(a) => format!("http://{a}"),
            None => String::new(),
        }
    }

    /// The REST API base the app derives from the host: `base_url + api_prefix`
    /// (`/api/v3`, `/api/v4`, `/2.0`, `/api/v5`, `/oapi/v1`, `/api/v1`).
    pub fn api_url(&self, p: impl AsProvider) -> String {
        let p = p.provider();
        format!("{}{}", self.base_url(p), p.api_prefix())
    }

    pub fn addr(&self, p: impl AsProvider) -> Option<SocketAddr> {
        self.addrs.get(&p.provider()).copied()
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Requests received by one provider.
    pub fn requests_for(&self, p: impl AsProvider) -> Vec<RecordedRequest> {
        let p = p.provider();
        lock(&self.shared.requests)
            .iter()
            .filter(|r| r.provider == p)
            .cloned()
            .collect()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Every request to `p` gets `fault` until [`clear_faults`](Self::clear_faults).
    pub fn set_fault(&self, p: impl AsProvider, fault: Fault) {
        self.add_fault_rule(FaultRule::new(p.provider(), fault));
    }

    /// Adds a rule (path prefix, count). Earlier rules win.
    pub fn add_fault_rule(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Delay added to every response of every provider.
    pub fn set_latency(&self, d: Duration) {
        lock(&self.shared.latency).global = d;
    }

    /// Extra delay for one provider (added to the global one).
    pub fn set_provider_latency(&self, p: impl AsProvider, d: Duration) {
        lock(&self.shared.latency).per.insert(p.provider(), d);
    }

    /// Marks a token revoked (any provider). Returns whether it existed.
    pub fn revoke_token(&self, token: &str) -> bool {
        self.update_world(|w| w.revoke_token(token))
    }

    /// Makes a token expired as of now. Returns whether it existed.
    pub fn expire_token(&self, token: &str) -> bool {
        self.update_world(|w| w.expire_token(token))
    }

    /// Changes the world while running; the change is normalized afterwards.
    pub fn update_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        let mut w = self.shared.world.write().unwrap_or_else(|e| e.into_inner());
        let r = f(&mut w);
        w.normalize();
        r
    }

    /// A copy of the current world.
    pub fn world(&self) -> World {
        self.shared
            .world
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Stops all listeners, waiting up to a second for in-flight requests.
    pub async fn shutdown(mut self) {
        for s in self.stops.drain(..) {
            let _ = s.send(());
        }
        for t in self.tasks.drain(..) {
            let abort = t.abort_handle();
            if tokio::time::timeout(Duration::from_secs(1), t)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        for s in self.stops.drain(..) {
            let _ = s.send(());
        }
        for t in &self.tasks {
            t.abort();
        }
    }
}
