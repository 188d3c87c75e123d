//! Sending a [`Request`]: idempotency, rate limiting, retries by method semantics, the call's
//! deadline, and error decoding.

use super::auth::AuthPlacement;
use super::config::{EngineConfig, RateLimit};
use super::error::{ApiError, Error, Result, header_request_id};
use super::prepared::{FixedHeaders, PreparedRequest};
use super::request::Request;
use super::response::Response;
use super::retry::{is_retryable_status, server_requested_delay};
use bytes::{Bytes, BytesMut};
use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The shared, cheap-to-clone core of a client.
#[derive(Clone)]
pub struct Engine {
    http: reqwest::Client,
    config: Arc<EngineConfig>,
    limiter: Option<Arc<DefaultDirectRateLimiter>>,
    /// Headers every request carries, validated once when the engine is built.
    fixed: Arc<FixedHeaders>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("base_url", &self.config.base_url.as_str())
            .field("auth", &self.config.auth)
            .field("api_key", &self.config.api_key)
            .field("retry", &self.config.retry)
            .field("rate_limit", &self.config.rate_limit)
            .finish()
    }
}

/// What one attempt produced, before the retry decision.
enum Attempt<T> {
    Done(Response<T>),
    Failed {
        error: Error,
        server_delay: Option<Duration>,
    },
}

impl Engine {
    /// An engine over `http`, or over a client built from the config's timeouts when `None`.
    pub fn new(config: EngineConfig, http: Option<reqwest::Client>) -> Result<Self> {
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                // A redirect to another host must not carry the key; reqwest drops
                // `Authorization` on cross-host redirects but not custom headers, so
                // redirects are not followed at all.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let limiter = quota(config.rate_limit).map(|q| Arc::new(RateLimiter::direct(q)));
        let fixed = Arc::new(fixed_headers(&config)?);
        Ok(Self {
            http,
            config: Arc::new(config),
            limiter,
            fixed,
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Sends `req`, retrying per policy, and returns the successful response with its body
    /// read into memory (up to the configured limit).
    pub async fn execute(&self, req: Request) -> Result<Response<Bytes>> {
        let limit = self.config.max_body_bytes;
        self.run(req, move |resp| read_body(resp, limit)).await
    }

    /// Sends `req`, retrying per policy until a successful status arrives, and returns the
    /// body as a stream of chunks, read as the caller polls it (downloads of any size). The
    /// per-request timeout still bounds the whole transfer; raise it for long downloads.
    pub async fn execute_stream(&self, req: Request) -> Result<Response<ByteStream>> {
        self.run(req, |resp| async move { Ok(ByteStream::new(resp)) })
            .await
    }

    async fn run<T, F, Fut>(&self, mut req: Request, body: F) -> Result<Response<T>>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let policy = &self.config.retry;
        let max_retries = req.options.max_retries.unwrap_or(policy.max_retries);
        let deadline = req.options.deadline.map(Deadline::starting_now);
        // One key per logical request, reused by every attempt.
        let idempotency_key = req.idempotent.then(|| {
            req.options
                .idempotency_key
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
        });
        // Everything the caller gave is checked here, before any wait and before anything is
        // sent; every attempt then reuses the URL and headers built once.
        let mut prepared = PreparedRequest::new(
            &self.config,
            &self.fixed,
            &mut req,
            idempotency_key.as_deref(),
        )?;
        // POST and PATCH are only safe to repeat when the server can recognise the replay;
        // every other method is idempotent by definition.
        let method_is_safe = !matches!(req.method, Method::POST | Method::PATCH);
        let may_retry = (method_is_safe || idempotency_key.is_some()) && prepared.is_replayable();
        let per_attempt = req.options.timeout.unwrap_or(self.config.timeout);
        let mut backoff = None;
        let mut last: Option<Error> = None;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Err(why) = self.wait_for_rate_limit(deadline, attempt).await {
                return Err(Error::deadline(why, last));
            }
            let (timeout, capped) = match deadline {
                None => (per_attempt, false),
                Some(d) => match d.left() {
                    Duration::ZERO => {
                        let why = format!("{d} passed before attempt {attempt}");
                        return Err(Error::deadline(why, last));
                    }
                    left => (per_attempt.min(left), left < per_attempt),
                },
            };
            let request = prepared.attempt(&self.http, timeout)?;
            let span = tracing::debug_span!(
                "api_request",
                method = %req.method,
                path = req.path_template,
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let outcome = self.attempt(request, &body).instrument(span.clone()).await;
            let (error, server_delay) = match outcome {
                Attempt::Done(resp) => {
                    span.record("status", resp.status().as_u16());
                    if let Some(id) = resp.request_id() {
                        span.record("request_id", id);
                    }
                    return Ok(resp);
                }
                Attempt::Failed {
                    error,
                    server_delay,
                } => (error, server_delay),
            };
            if let Some(status) = error.status() {
                span.record("status", status.as_u16());
            }
            if let (true, Some(d)) = (capped && error.is_timeout(), deadline) {
                // The attempt cut short says less than the answer before it (a 429 or 503
                // that led to this attempt): that answer stays readable through the error.
                let (why, cause) = match last.take().filter(|l| l.as_api().is_some()) {
                    Some(earlier) => (
                        format!(
                            "{d} passed during attempt {attempt}, after attempt {} was answered {}",
                            attempt - 1,
                            earlier.status().map_or_else(String::new, |s| s.to_string())
                        ),
                        earlier,
                    ),
                    None => (format!("{d} passed during attempt {attempt}"), error),
                };
                return Err(Error::deadline(why, Some(cause)));
            }
            if !(may_retry && attempt <= max_retries && error.is_retryable()) {
                return Err(error);
            }
            let delay = match server_delay {
                Some(d) if d > policy.max_retry_after => return Err(error),
                Some(d) => d,
                None => backoff
                    .get_or_insert_with(|| policy.backoff())
                    .next()
                    .unwrap_or(policy.max_delay),
            };
            if let Some(d) = deadline.filter(|d| d.would_pass(delay)) {
                let why = cut_wait(&error, server_delay.is_some(), delay, d, attempt);
                return Err(Error::deadline(why, Some(error)));
            }
            tracing::debug!(parent: &span, ?delay, error = %error, "retrying");
            last = Some(error);
            tokio::time::sleep(delay).await;
        }
    }

    /// Waits for a token of the client-side rate limiter, unless the wait would pass the
    /// deadline: then says so at once instead of waiting.
    async fn wait_for_rate_limit(
        &self,
        deadline: Option<Deadline>,
        attempt: u32,
    ) -> std::result::Result<(), String> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        loop {
            let Err(not_until) = limiter.check() else {
                return Ok(());
            };
            let wait = not_until.wait_time_from(limiter.clock().now());
            if let Some(d) = deadline.filter(|d| d.would_pass(wait)) {
                return Err(format!(
                    "{d} would pass during the {} wait for the client-side rate limit before attempt {attempt}",
                    human(wait)
                ));
            }
            // Other callers may take the token first; then the loop waits again.
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt<T, F, Fut>(&self, request: reqwest::Request, success_body: &F) -> Attempt<T>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let mut resp = match self.http.execute(request).await {
            Ok(r) => r,
            Err(e) => {
                return Attempt::Failed {
                    error: Error::from_reqwest(e),
                    server_delay: None,
                };
            }
        };
        let status = resp.status();
        // Reading the body does not need the headers: take them rather than copy them.
        let headers = std::mem::take(resp.headers_mut());
        let request_id = header_request_id(&headers);
        if status.is_success() {
            return match success_body(resp).await {
                Ok(body) => Attempt::Done(Response::new(
                    status,
                    headers,
                    request_id,
                    body,
                    self.config.decoding,
                )),
                Err(error) => Attempt::Failed {
                    error,
                    server_delay: None,
                },
            };
        }
        let body = match read_body(resp, self.config.max_body_bytes).await {
            Ok(b) => b,
            Err(error) => {
                return Attempt::Failed {
                    error,
                    server_delay: None,
                };
            }
        };
        let server_delay = if is_retryable_status(status) {
            server_requested_delay(&headers)
        } else {
            None
        };
        let error = Error::Api(Box::new(ApiError::from_response(status, headers, body)));
        Attempt::Failed {
            error,
            server_delay,
        }
    }
}

/// The end of a call's time budget, remembered with the budget itself for error messages.
#[derive(Clone, Copy)]
struct Deadline {
    end: Instant,
    budget: Duration,
}

impl Deadline {
    fn starting_now(budget: Duration) -> Self {
        Self {
            end: Instant::now() + budget,
            budget,
        }
    }

    fn left(&self) -> Duration {
        self.end.saturating_duration_since(Instant::now())
    }

    /// Whether waiting `wait` from now would reach or pass the end.
    fn would_pass(&self, wait: Duration) -> bool {
        Instant::now() + wait >= self.end
    }
}

impl std::fmt::Display for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the call's {} deadline", human(self.budget))
    }
}

/// Why the deadline ended the call before the wait after attempt `attempt` (which failed
/// with `error`): the answer that asked for the wait, or the failure the backoff follows.
fn cut_wait(error: &Error, asked: bool, wait: Duration, d: Deadline, attempt: u32) -> String {
    let next = attempt + 1;
    let wait = human(wait);
    match (error.as_api(), asked) {
        (Some(api), true) => format!(
            "the server answered {} and asked to wait {wait} (Retry-After), which passes {d}; attempt {next} was not made",
            api.status
        ),
        (Some(api), false) => format!(
            "the server answered {}, and the {wait} backoff before attempt {next} passes {d}",
            api.status
        ),
        (None, _) => format!(
            "attempt {attempt} failed ({error}), and the {wait} backoff before attempt {next} passes {d}"
        ),
    }
}

/// A duration for people: `250 ms`, `30 s`, `1.5 s`.
fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        let secs = format!("{:.3}", d.as_secs_f64());
        format!("{} s", secs.trim_end_matches('0'))
    }
}

/// Reads a body chunk by chunk, refusing to hold more than `limit` bytes.
async fn read_body(mut resp: reqwest::Response, limit: usize) -> Result<Bytes> {
    if resp.content_length().is_some_and(|len| len > limit as u64) {
        return Err(Error::BodyTooLarge { limit });
    }
    // A declared length within the limit is enforced by the HTTP layer itself: take the body
    // in one piece, without copying chunks into a buffer of our own.
    if resp.content_length().is_some() {
        return resp.bytes().await.map_err(Error::from_reqwest);
    }
    let mut buf = BytesMut::new();
    while let Some(chunk) = resp.chunk().await.map_err(Error::from_reqwest)? {
        if buf.len() + chunk.len() > limit {
            return Err(Error::BodyTooLarge { limit });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

fn quota(limit: RateLimit) -> Option<Quota> {
    match limit {
        RateLimit::Unmetered => None,
        RateLimit::PerMinute(n) => NonZeroU32::new(n).map(Quota::per_minute),
        RateLimit::PerSecond(n) => NonZeroU32::new(n).map(Quota::per_second),
    }
}

/// A response body read chunk by chunk as it is polled: for downloads that should not be held
/// in memory whole. Dropping it closes the connection.
pub struct ByteStream {
    inner: std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Bytes>> + Send>>,
}

impl ByteStream {
    fn new(resp: reqwest::Response) -> Self {
        let stream = futures_util::stream::unfold(resp, |mut resp| async move {
            match resp.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), resp)),
                Ok(None) => None,
                Err(e) => Some((Err(Error::from_reqwest(e)), resp)),
            }
        });
        Self {
            inner: Box::pin(stream),
        }
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ByteStream")
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The User-Agent, the key's header (marked sensitive) and the idempotency header's name,
/// built and checked once per engine.
fn fixed_headers(config: &EngineConfig) -> Result<FixedHeaders> {
    let mut headers = reqwest::header::HeaderMap::new();
    let agent = HeaderValue::from_str(&config.user_agent).map_err(|_| {
        Error::Config(format!(
            "the user agent {:?} is not a valid header value",
            config.user_agent
        ))
    })?;
    headers.insert(USER_AGENT, agent);
    let idempotency =
        HeaderName::from_bytes(config.idempotency_header.as_bytes()).map_err(|_| {
            Error::Config(format!(
                "`{}` is not a valid idempotency header name",
                config.idempotency_header
            ))
        })?;
    let fixed = |headers| {
        Ok(FixedHeaders {
            headers,
            idempotency,
        })
    };
    let Some(key) = &config.api_key else {
        return fixed(headers);
    };
    let invalid = || Error::Config("the API key is not a valid header value".into());
    match &config.auth {
        AuthPlacement::Bearer => {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
                .map_err(|_| invalid())?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        AuthPlacement::Header(name) => {
            let mut value = HeaderValue::from_str(key.expose()).map_err(|_| invalid())?;
            value.set_sensitive(true);
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
            headers.insert(name, value);
        }
        AuthPlacement::Query(_) => {}
    }
    fixed(headers)
}
