//! The PostPress layer over the generic engine: default base URL, environment variables, key
//! prefixes and rate-limit tiers. Everything else lives in [`crate::engine`].

use crate::engine::{
    ApiClient, ApiKey, AuthPlacement, Decoding, Engine, EngineConfig, Error, RateLimit, Result,
    RetryPolicy,
};
use std::time::Duration;

/// The public endpoint; dashboards may show a workspace-specific one.
pub const DEFAULT_BASE_URL: &str = "https://api.postpress.ai/v1";
/// Environment variable holding the API key.
pub const API_KEY_ENV: &str = "POSTPRESS_API_KEY";
/// Environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "POSTPRESS_BASE_URL";

/// Which environment a key acts on, told by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `pp_live_…`: real accounts.
    Live,
    /// `pp_test_…`: the sandbox.
    Test,
    /// Any other prefix; accepted as is.
    Unknown,
}

impl Mode {
    fn of(key: &ApiKey) -> Self {
        if key.has_prefix("pp_live_") {
            Mode::Live
        } else if key.has_prefix("pp_test_") {
            Mode::Test
        } else {
            Mode::Unknown
        }
    }
}

/// How the key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthScheme {
    /// `Authorization: Bearer <key>` (the default).
    #[default]
    Bearer,
    /// `X-API-KEY: <key>`.
    XApiKey,
}

/// PostPress key tiers, for the optional client-side rate limiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// 60 requests per minute.
    Starter,
    /// 300 requests per minute.
    Scale,
    /// No limit.
    Enterprise,
}

impl From<Tier> for RateLimit {
    fn from(tier: Tier) -> Self {
        match tier {
            Tier::Starter => RateLimit::PerMinute(60),
            Tier::Scale => RateLimit::PerMinute(300),
            Tier::Enterprise => RateLimit::Unmetered,
        }
    }
}

/// A PostPress API client. Cheap to clone; clones share connections and the rate limiter.
#[derive(Debug, Clone)]
pub struct Client {
    engine: Engine,
    mode: Mode,
}

/// Generated operations send through the client's engine.
impl ApiClient for Client {
    fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl Client {
    /// A client from `POSTPRESS_API_KEY` and, when set, `POSTPRESS_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::builder().from_env().build()
    }

    /// A client with default settings for `api_key`.
    pub fn new(api_key: impl Into<String>) -> Result<Self> {
        Self::builder().api_key(api_key).build()
    }

    /// A builder for every setting.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Live, test or unknown, from the key's prefix.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.engine.config().base_url.as_str()
    }

    /// The client `mock::MockServer::client` hands out: a test key, the server's base URL,
    /// and the default retry count with millisecond backoff, so retries are tested quickly.
    #[cfg(feature = "mock")]
    pub(crate) fn for_mock(base_url: &str) -> Result<Self> {
        Self::builder()
            .api_key("pp_test_mock")
            .base_url(base_url)
            .retry_policy(crate::engine::mock::quick_retries())
            .build()
    }
}

/// Settings for a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    auth: AuthScheme,
    port: Option<u16>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    rate_limit: Option<RateLimit>,
    max_response_bytes: Option<usize>,
    decoding: Decoding,
    http: Option<crate::engine::reqwest::Client>,
    env_error: Option<String>,
}

impl ClientBuilder {
    /// Reads `POSTPRESS_API_KEY` and `POSTPRESS_BASE_URL` (settings made later still win).
    pub fn from_env(mut self) -> Self {
        match std::env::var(API_KEY_ENV) {
            Ok(key) => self.api_key = Some(key),
            Err(_) => self.env_error = Some(format!("{API_KEY_ENV} is not set")),
        }
        if let Ok(url) = std::env::var(BASE_URL_ENV)
            && !url.trim().is_empty()
        {
            self.base_url = Some(url);
        }
        self
    }

    /// The API key (`pp_live_…` or `pp_test_…`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self.env_error = None;
        self
    }

    /// The base URL from your dashboard; a path prefix is kept and trailing slashes ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends the key as `Authorization: Bearer` (default) or in `X-API-KEY`.
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.auth = scheme;
        self
    }

    /// Sends `port=<n>` on every request, for networks that block custom ports.
    pub fn port_query(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Retries after the first attempt (default 2; 0 disables retries).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// The whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Per-attempt timeout (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Connect timeout (default 10 s; ignored with [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Waits client-side instead of drawing 429s: a [`Tier`] or a custom [`RateLimit`].
    pub fn rate_limit(mut self, limit: impl Into<RateLimit>) -> Self {
        self.rate_limit = Some(limit.into());
        self
    }

    /// The largest response body read into memory (default 64 MiB); a larger one is
    /// [`Error::BodyTooLarge`], found without reading past the limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// How answers that depart from their documented types decode. [`Decoding::Lenient`]
    /// (the default) repairs a value with one clear reading (`"12"` for a number, a date-time
    /// without an offset), leaves out what has none at the nearest optional field or list item,
    /// and records each ([`Response::departures`](crate::Response::departures), a `tracing`
    /// warning, an [`Error::Item`] in `items()`); [`Decoding::Strict`] fails the call at the
    /// first departure instead, for tests and CI.
    pub fn decoding(mut self, decoding: Decoding) -> Self {
        self.decoding = decoding;
        self
    }

    /// Uses your own HTTP client (proxies, TLS settings, ...).
    pub fn http_client(mut self, http: crate::engine::reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let raw_key = match (self.api_key, self.env_error) {
            (Some(k), _) => k,
            (None, Some(e)) => return Err(Error::Config(e)),
            (None, None) => return Err(Error::Config("no API key was given".into())),
        };
        let key = ApiKey::new(raw_key)?;
        let mode = Mode::of(&key);
        let base = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = parse_base_url(&base)?;
        if mode == Mode::Live && base_url.scheme() == "http" && !is_loopback(&base_url) {
            return Err(Error::Config(format!(
                "refusing to send a live key over plain http to {}",
                base_url.host_str().unwrap_or_default()
            )));
        }
        let mut config = EngineConfig::new(
            base_url,
            concat!("postpress-sdk/", env!("CARGO_PKG_VERSION")),
        );
        config.api_key = Some(key);
        config.auth = match self.auth {
            AuthScheme::Bearer => AuthPlacement::Bearer,
            AuthScheme::XApiKey => AuthPlacement::Header("X-API-KEY".into()),
        };
        if let Some(port) = self.port {
            config.default_query.push(("port".into(), port.to_string()));
        }
        config.retry = self.retry;
        if let Some(t) = self.timeout {
            config.timeout = t;
        }
        if let Some(t) = self.connect_timeout {
            config.connect_timeout = t;
        }
        if let Some(r) = self.rate_limit {
            config.rate_limit = r;
        }
        if let Some(limit) = self.max_response_bytes {
            config.max_body_bytes = limit;
        }
        config.decoding = self.decoding;
        Ok(Client {
            engine: Engine::new(config, self.http)?,
            mode,
        })
    }
}

/// Parses a base URL, dropping trailing slashes so paths join cleanly.
pub(crate) fn parse_base_url(text: &str) -> Result<crate::engine::Url> {
    let trimmed = text.trim().trim_end_matches('/');
    let url = crate::engine::Url::parse(trimmed)
        .map_err(|e| Error::Config(format!("invalid base URL `{trimmed}`: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "the base URL must be http or https, not `{}`",
            url.scheme()
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(
            "the base URL may not carry a query or fragment".into(),
        ));
    }
    Ok(url)
}

fn is_loopback(url: &crate::engine::Url) -> bool {
    match url.host() {
        Some(crate::engine::url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(crate::engine::url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(crate::engine::url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The error codes of the document's error answers, as [`Error::code`] and
/// [`ApiError::error_code`](crate::ApiError::error_code) read them: the generated root's
/// `ErrorCode` (the document's own enum, re-exported, or one whose every code is `Unknown`
/// when the document declares none), so this layer compiles against whatever document the
/// surface is regenerated from.
pub use crate::generated::ErrorCode;
