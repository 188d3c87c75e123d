//! Sending a [`Request`]: auth, idempotency, rate limiting, retries, timeouts and error decoding.

use super::auth::AuthPlacement;
use super::config::{EngineConfig, RateLimit};
use super::error::{ApiError, Error, Result, header_request_id};
use super::request::{Body, MultipartField, Request};
use super::response::Response;
use super::retry::{is_retryable_status, server_requested_delay};
use bytes::{Bytes, BytesMut};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderValue, USER_AGENT};
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
    fixed_headers: Arc<reqwest::header::HeaderMap>,
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
        let fixed_headers = Arc::new(fixed_headers(&config)?);
        Ok(Self {
            http,
            config: Arc::new(config),
            limiter,
            fixed_headers,
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

    async fn run<T, F, Fut>(&self, req: Request, body: F) -> Result<Response<T>>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let policy = &self.config.retry;
        let max_retries = req.options.max_retries.unwrap_or(policy.max_retries);
        let started = Instant::now();
        let deadline = req.options.deadline.map(|d| started + d);
        // One key per logical request, reused by every attempt.
        let idempotency_key = req.idempotent.then(|| {
            req.options
                .idempotency_key
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
        });
        // POST and PATCH are only safe to repeat when the server can recognise the replay.
        let method_is_safe =
            req.method != reqwest::Method::POST && req.method != reqwest::Method::PATCH;
        let may_retry = (method_is_safe || idempotency_key.is_some()) && req.is_replayable();
        let mut backoff = policy.backoff();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "api_request",
                method = %req.method,
                path = req.path_template,
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let outcome = self
                .attempt(&req, idempotency_key.as_deref(), deadline, &body)
                .instrument(span.clone())
                .await;
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
            if !(may_retry && attempt <= max_retries && error.is_retryable()) {
                return Err(error);
            }
            let delay = match server_delay {
                Some(d) if d > policy.max_retry_after => return Err(error),
                Some(d) => d,
                None => backoff.next().unwrap_or(policy.max_delay),
            };
            if deadline.is_some_and(|end| Instant::now() + delay >= end) {
                return Err(error);
            }
            tracing::debug!(parent: &span, ?delay, error = %error, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt<T, F, Fut>(
        &self,
        req: &Request,
        idempotency_key: Option<&str>,
        deadline: Option<Instant>,
        success_body: &F,
    ) -> Attempt<T>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        let mut timeout = req.options.timeout.unwrap_or(self.config.timeout);
        if let Some(end) = deadline {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Attempt::Failed {
                    error: Error::Timeout("the request deadline passed".into()),
                    server_delay: None,
                };
            }
            timeout = timeout.min(left);
        }
        let builder = match self.build(req, idempotency_key, timeout) {
            Ok(b) => b,
            Err(error) => {
                return Attempt::Failed {
                    error,
                    server_delay: None,
                };
            }
        };
        let resp = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                return Attempt::Failed {
                    error: Error::from_reqwest(e),
                    server_delay: None,
                };
            }
        };
        let status = resp.status();
        let headers = resp.headers().clone();
        let request_id = header_request_id(&headers);
        if status.is_success() {
            return match success_body(resp).await {
                Ok(body) => Attempt::Done(Response::new(status, headers, request_id, body)),
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

    fn build(
        &self,
        req: &Request,
        idempotency_key: Option<&str>,
        timeout: Duration,
    ) -> Result<reqwest::RequestBuilder> {
        let config = &self.config;
        let base = config.base_url.as_str().trim_end_matches('/');
        let mut url = url::Url::parse(&format!("{base}{}", req.path)).map_err(|e| {
            Error::Config(format!(
                "cannot build a URL for `{}`: {e}",
                req.path_template
            ))
        })?;
        let key_in_query =
            matches!(config.auth, AuthPlacement::Query(_)) && config.api_key.is_some();
        if !req.query.is_empty() || !config.default_query.is_empty() || key_in_query {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in req.query.iter().chain(config.default_query.iter()) {
                pairs.append_pair(k, v);
            }
            if let (Some(key), AuthPlacement::Query(name)) = (&config.api_key, &config.auth) {
                pairs.append_pair(name, key.expose());
            }
        }
        let mut builder = self.http.request(req.method.clone(), url).timeout(timeout);
        let mut headers = req.headers.clone();
        for (name, value) in self.fixed_headers.iter() {
            headers.insert(name, value.clone());
        }
        if let Some(key) = idempotency_key {
            let name =
                reqwest::header::HeaderName::from_bytes(config.idempotency_header.as_bytes())
                    .map_err(|_| Error::Config("invalid idempotency header name".into()))?;
            let value = HeaderValue::from_str(key).map_err(|_| Error::InvalidRequest {
                param: config.idempotency_header.clone(),
                message: "the idempotency key is not a valid header value".into(),
            })?;
            headers.insert(name, value);
        }
        if !req.cookies.is_empty() {
            let joined: Vec<String> = req
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if let Ok(v) = HeaderValue::from_str(&joined.join("; ")) {
                headers.insert(COOKIE, v);
            }
        }
        match &req.body {
            Body::Empty => {}
            Body::Bytes { data, content_type } => {
                if let Ok(v) = HeaderValue::from_str(content_type) {
                    headers.insert(CONTENT_TYPE, v);
                }
                builder = builder.body(data.clone());
            }
            Body::Multipart(fields) => {
                let mut form = reqwest::multipart::Form::new();
                for (name, field) in fields {
                    form = match field {
                        MultipartField::Text(t) => form.text(name.clone(), t.clone()),
                        MultipartField::Json(t) => {
                            let part = reqwest::multipart::Part::text(t.clone())
                                .mime_str("application/json")
                                .map_err(Error::from_reqwest)?;
                            form.part(name.clone(), part)
                        }
                        MultipartField::File(p) => {
                            let part = p.to_reqwest().ok_or_else(|| Error::InvalidRequest {
                                param: name.clone(),
                                message: "a streamed part can only be sent once".into(),
                            })?;
                            form.part(name.clone(), part)
                        }
                    };
                }
                builder = builder.multipart(form);
            }
        }
        Ok(builder.headers(headers))
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

/// The User-Agent and the key's header (marked sensitive), built once per engine.
fn fixed_headers(config: &EngineConfig) -> Result<reqwest::header::HeaderMap> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        USER_AGENT,
        HeaderValue::from_str(&config.user_agent)
            .unwrap_or(HeaderValue::from_static("openapi-client")),
    );
    let Some(key) = &config.api_key else {
        return Ok(headers);
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
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
            headers.insert(name, value);
        }
        AuthPlacement::Query(_) => {}
    }
    Ok(headers)
}
