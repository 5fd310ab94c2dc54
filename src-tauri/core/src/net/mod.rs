//! The one HTTP layer every provider uses (reqwest with rustls). Only this module builds clients.
//!
//! - Timeouts (connect 10 s, whole request 20 s) and a `Codebind/<version>` user agent.
//! - Proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (reqwest reads them), a per-host CA bundle
//!   added to the trusted roots; TLS verification is never turned off.
//! - Redirects are followed by hand (at most 5) so that credentials are dropped whenever the
//!   origin changes, including custom headers such as PRIVATE-TOKEN and x-yunxiao-token.
//! - Idempotent requests are retried (at most 3 attempts, with backoff) on network errors, timeouts,
//!   502/503/504, and 429 with a short Retry-After. Nothing else is retried.
//! - With CODEBIND_LOG_HTTP=1, each request is logged to stderr with every secret redacted.

mod auth;
mod redact;
mod response;

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use url::Url;

pub use auth::Auth;
pub use redact::redact_url;
pub use response::{parse_link_header, ApiResponse};

use crate::error::{Error, ErrorCode, Result};

pub const USER_AGENT: &str = concat!("Codebind/", env!("CARGO_PKG_VERSION"), " (+https://codebind.dev)");
const MAX_REDIRECTS: usize = 5;
const MAX_ATTEMPTS: u32 = 3;
/// A Retry-After longer than this is not waited for: the caller gets `rate_limited` with the time.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

/// A request body.
enum Body {
    Json(serde_json::Value),
    Form(String),
    /// Bytes whose content type is among the headers.
    Raw(Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// PEM bundle of extra root certificates (a private or self-signed CA) for this host.
    pub ca_bundle: Option<std::path::PathBuf>,
    /// How to reach this host: the system's proxy settings, directly, or through a proxy.
    pub proxy: ProxyChoice,
    pub backoff: Duration,
}

/// How requests reach a host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxyChoice {
    /// HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment.
    #[default]
    System,
    /// No proxy, whatever the environment says.
    Direct,
    /// Through this proxy (an http:// or https:// URL without credentials).
    Via(String),
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            ca_bundle: None,
            proxy: ProxyChoice::System,
            backoff: Duration::from_millis(250),
        }
    }
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    options: HttpOptions,
    log: bool,
}

impl Http {
    pub fn new(options: HttpOptions) -> Result<Http> {
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .use_rustls_tls();
        if let Some(path) = &options.ca_bundle {
            for cert in load_ca_bundle(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        builder = match &options.proxy {
            ProxyChoice::System => builder,
            ProxyChoice::Direct => builder.no_proxy(),
            ProxyChoice::Via(url) => builder.proxy(reqwest::Proxy::all(url).map_err(|e| Error::invalid_input(format!("{url} is not a proxy URL: {e}")))?),
        };
        let client = builder
            .build()
            .map_err(|e| Error::new(ErrorCode::Internal, format!("cannot build the HTTP client: {e}")))?;
        let log = std::env::var_os("CODEBIND_LOG_HTTP").is_some_and(|v| v == "1");
        Ok(Http { client, options, log })
    }

    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    pub async fn get(&self, url: &str, auth: &Auth, headers: &[(&str, &str)]) -> Result<ApiResponse> {
        self.send(Method::GET, url, auth, headers, None).await
    }

    /// Sends a request and returns the response whatever its status; errors are transport failures
    /// only (after retries). Providers classify statuses.
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        auth: &Auth,
        headers: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> Result<ApiResponse> {
        let body = body.map(|b| Body::Json(b.clone()));
        self.send_body(method, url, auth, headers, body.as_ref()).await
    }

    /// POSTs raw bytes with the given headers (webhook-style deliveries). Not retried.
    pub async fn post_bytes(&self, url: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Result<ApiResponse> {
        self.send_body(Method::POST, url, &Auth::None, headers, Some(&Body::Raw(body))).await
    }

    /// POSTs `application/x-www-form-urlencoded` fields (OAuth token and device endpoints).
    pub async fn post_form(&self, url: &str, auth: &Auth, headers: &[(&str, &str)], form: &[(&str, &str)]) -> Result<ApiResponse> {
        let encoded = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        self.send_body(Method::POST, url, auth, headers, Some(&Body::Form(encoded))).await
    }

    /// Sends a request built by the oauth2 crate through this layer (redirect, proxy and CA rules
    /// apply). Its errors are transport failures only.
    pub fn send_http(&self, req: oauth2::HttpRequest) -> futures::future::BoxFuture<'_, Result<oauth2::HttpResponse>> {
        Box::pin(self.send_http_inner(req))
    }

    async fn send_http_inner(&self, req: oauth2::HttpRequest) -> Result<oauth2::HttpResponse> {
        let (parts, body) = req.into_parts();
        let headers: Vec<(String, String)> =
            parts.headers.iter().filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned()))).collect();
        let header_refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let method = Method::from_bytes(parts.method.as_str().as_bytes()).unwrap_or(Method::POST);
        let body = (!body.is_empty()).then_some(Body::Raw(body));
        let r = self.send_body(method, &parts.uri.to_string(), &Auth::None, &header_refs, body.as_ref()).await?;
        let mut builder = oauth2::http::Response::builder().status(r.status);
        for (k, v) in r.headers.iter() {
            builder = builder.header(k.as_str(), v.as_bytes());
        }
        builder.body(r.body).map_err(|e| Error::new(ErrorCode::Internal, format!("bad response: {e}")))
    }

    async fn send_body(
        &self,
        method: Method,
        url: &str,
        auth: &Auth,
        headers: &[(&str, &str)],
        body: Option<&Body>,
    ) -> Result<ApiResponse> {
        let retryable = matches!(method, Method::GET | Method::HEAD | Method::DELETE | Method::PUT);
        let mut attempt = 1;
        loop {
            let result = self.send_following_redirects(method.clone(), url, auth, headers, body).await;
            let wait = match &result {
                Err(e) if e.code == ErrorCode::Network => Some(self.backoff(attempt)),
                Ok(r) if matches!(r.status, 502..=504) => Some(self.backoff(attempt)),
                Ok(r) if r.status == 429 => r.retry_after().filter(|d| *d <= MAX_RETRY_WAIT).or(None),
                _ => None,
            };
            match wait {
                Some(d) if retryable && attempt < MAX_ATTEMPTS => {
                    tokio::time::sleep(d).await;
                    attempt += 1;
                }
                _ => return result,
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        // 250 ms, 500 ms, ... with up to 20% jitter so that parallel verifications do not align.
        let base = self.options.backoff * 2u32.pow(attempt - 1);
        let jitter = (uuid::Uuid::new_v4().as_u128() % 20) as u32;
        base + base * jitter / 100
    }

    async fn send_following_redirects(
        &self,
        method: Method,
        url: &str,
        auth: &Auth,
        headers: &[(&str, &str)],
        body: Option<&Body>,
    ) -> Result<ApiResponse> {
        let mut current = Url::parse(url)
            .map_err(|e| Error::new(ErrorCode::InvalidUrl, format!("bad request URL {}: {e}", redact_url(url))))?;
        let origin = current.origin();
        let mut method = method;
        for _ in 0..=MAX_REDIRECTS {
            let same_origin = current.origin() == origin;
            let auth_now = if same_origin { auth } else { &Auth::None };
            let started = Instant::now();
            let mut req = self.client.request(method.clone(), auth_now.apply_to_url(current.clone()));
            req = auth_now.apply(req);
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            req = match body {
                Some(Body::Json(b)) => req.json(b),
                Some(Body::Form(f)) => req.header("content-type", "application/x-www-form-urlencoded").body(f.clone()),
                Some(Body::Raw(b)) => req.body(b.clone()),
                None => req,
            };
            let resp = req.send().await;
            let resp = match resp {
                Ok(r) => r,
                Err(e) => {
                    self.trace(&method, current.as_str(), None, started);
                    return Err(transport_error(&current, &e));
                }
            };
            let status = resp.status();
            self.trace(&method, current.as_str(), Some(status), started);
            if status.is_redirection() {
                if let Some(loc) = resp.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()) {
                    current = current.join(loc).map_err(|e| {
                        Error::new(ErrorCode::ProviderError, format!("bad redirect from {}: {e}", redact_url(current.as_str())))
                    })?;
                    if status == StatusCode::SEE_OTHER {
                        method = Method::GET;
                    }
                    continue;
                }
            }
            return ApiResponse::read(resp, &current).await;
        }
        Err(Error::new(ErrorCode::ProviderError, format!("too many redirects from {}", redact_url(url))))
    }

    fn trace(&self, method: &Method, url: &str, status: Option<StatusCode>, started: Instant) {
        if self.log {
            let status = status.map_or("failed".to_owned(), |s| s.as_u16().to_string());
            eprintln!("codebind http: {method} {} -> {status} ({} ms)", redact_url(url), started.elapsed().as_millis());
        }
    }
}

fn transport_error(url: &Url, e: &reqwest::Error) -> Error {
    let host = url.host_str().unwrap_or("the host");
    let why = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        // The source chain says why (refused, DNS, TLS): show it without the URL.
        let mut cause = String::new();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            cause = s.to_string();
            src = s.source();
        }
        format!("could not connect ({cause})")
    } else {
        "the connection failed".to_owned()
    };
    Error::new(ErrorCode::Network, format!("{host}: {why}"))
}

/// Checks that a file is a PEM bundle holding at least one certificate.
pub fn check_ca_bundle(path: &Path) -> Result<()> {
    load_ca_bundle(path).map(|_| ())
}

fn load_ca_bundle(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path).map_err(|e| {
        Error::invalid_input(format!("cannot read the CA bundle {}: {e}", path.display()))
    })?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| Error::invalid_input(format!("{} is not a PEM CA bundle: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(Error::invalid_input(format!("{} holds no certificate", path.display())));
    }
    Ok(certs)
}
