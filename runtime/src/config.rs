//! Client-wide and per-request settings.

use super::auth::{ApiKey, AuthPlacement};
use super::departure::Decoding;
use super::retry::RetryPolicy;
use std::time::Duration;

/// A client-side request budget, enforced with a token bucket shared by every clone of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// No client-side limit.
    Unmetered,
    /// At most this many requests per minute; bursts up to the same number wait for tokens.
    PerMinute(u32),
    /// At most this many requests per second.
    PerSecond(u32),
}

/// Everything an [`Engine`](super::Engine) needs; built by an API-specific client builder.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Base URL including any path prefix, without a trailing slash.
    pub base_url: url::Url,
    /// The key, if the API needs one.
    pub api_key: Option<ApiKey>,
    /// Where the key goes.
    pub auth: AuthPlacement,
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// Query parameters added to every request (e.g. a port override).
    pub default_query: Vec<(String, String)>,
    /// Retry policy for every request unless overridden.
    pub retry: RetryPolicy,
    /// Total time for one attempt (connect, send, read).
    pub timeout: Duration,
    /// Connect timeout (only applied when the engine builds its own HTTP client).
    pub connect_timeout: Duration,
    /// Optional client-side rate limit.
    pub rate_limit: RateLimit,
    /// Largest response body read into memory.
    pub max_body_bytes: usize,
    /// The header that carries idempotency keys.
    pub idempotency_header: String,
    /// How answers that depart from their documented types decode: leniently (the default;
    /// repaired or contained, and recorded) or strictly.
    pub decoding: Decoding,
}

impl EngineConfig {
    /// Defaults for `base_url`: Bearer auth, 2 retries, 60 s timeout, 10 s connect timeout.
    pub fn new(base_url: url::Url, user_agent: impl Into<String>) -> Self {
        Self {
            base_url,
            api_key: None,
            auth: AuthPlacement::Bearer,
            user_agent: user_agent.into(),
            default_query: Vec::new(),
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            rate_limit: RateLimit::Unmetered,
            max_body_bytes: 64 * 1024 * 1024,
            idempotency_header: "Idempotency-Key".into(),
            decoding: Decoding::Lenient,
        }
    }
}

/// Per-request overrides, set through the request builders (`.max_retries(..)`, `.timeout(..)`).
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Overrides the client's retry count.
    pub max_retries: Option<u32>,
    /// Overrides the client's per-attempt timeout.
    pub timeout: Option<Duration>,
    /// Bounds all attempts together, sleeps included.
    pub deadline: Option<Duration>,
    /// Uses this idempotency key instead of a generated one.
    pub idempotency_key: Option<String>,
}
