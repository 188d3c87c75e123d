//! # postpress-sdk
//!
//! A typed async client for the [PostPress API](https://www.postpress.ai/docs/quickstart).
//!
//! ```no_run
//! # async fn run() -> postpress_sdk::Result<()> {
//! use futures_util::TryStreamExt;
//! let client = postpress_sdk::Client::from_env()?;
//! let mut accounts = std::pin::pin!(client.accounts().list().limit(250).items());
//! while let Some(account) = accounts.try_next().await? {
//!     println!("{account:?}");
//! }
//! # Ok(()) }
//! ```
//!
//! - **Auth**: `Client::from_env()` reads `POSTPRESS_API_KEY` (and `POSTPRESS_BASE_URL`); the key
//!   goes in `Authorization: Bearer` or, with [`AuthScheme::XApiKey`], in `X-API-KEY`. It is
//!   never printed by `Debug`, `Display` or errors. [`Client::mode`] tells live from test keys.
//! - **Retries**: 2 by default (per client and per request), on connection errors, timeouts,
//!   408, 429 and 5xx, with jittered exponential backoff from 0.5 s to 8 s; `Retry-After` and
//!   `retry-after-ms` are honoured up to 60 s.
//! - **Idempotency**: every POST and PATCH carries an `Idempotency-Key`, generated once per
//!   request and reused on retries (override with `.idempotency_key(..)`).
//! - **Errors**: one [`Error`] type; API errors carry status, code, message, request id, headers
//!   and body; `is_retryable()` and `request_id()` work on every error.
//! - **Pagination**: `.pages()` and `.items()` streams on list operations.
//! - **Rate limits**: opt in with `ClientBuilder::rate_limit(Tier::Starter)`.

mod client;
pub mod engine;
#[rustfmt::skip]
mod generated;

pub use client::{
    API_KEY_ENV, AuthScheme, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL, Mode, Tier,
};
pub use engine::{ApiError, Error, Part, RateLimit, Response, Result, RetryPolicy};
pub use generated::*;
