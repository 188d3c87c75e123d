//! # postpress-sdk
//!
//! A typed async client for the [PostPress API](https://www.postpress.ai/docs/quickstart):
//! linked social and messaging accounts, posts, profiles, chats, messages, webhooks and
//! calendars. Every operation of the API document is a method; path parameters are its
//! arguments, every other input is a named setter on the request it returns (a required one
//! left unset is an [`Error::InvalidRequest`] before anything is sent), and results are typed.
//!
//! ```no_run
//! # async fn run() -> postpress_sdk::Result<()> {
//! use postpress_sdk::prelude::*;
//! use postpress_sdk::Part;
//! use postpress_sdk::types::{
//!     AddPostReactionRequest, AddPostReactionRequestRequired, CreatePostRequest,
//!     CreatePostRequestRequired,
//! };
//!
//! let client = Client::from_env()?; // POSTPRESS_API_KEY, optional POSTPRESS_BASE_URL
//! let account = client.accounts().get("acc_123").send().await?;
//! let page = client.accounts().list().limit(50).send().await?;
//! let mut all = client.accounts().list().limit(250).items();
//! while let Some(account) = all.try_next().await? {
//!     println!("{:?}", account.id());
//! }
//! let post = CreatePostRequest::new(CreatePostRequestRequired {
//!     account_id: "acc_123".into(),
//!     text: "hello".into(),
//! })
//! .attachments(Part::bytes(vec![0u8; 16]).file_name("a.png").mime("image/png"));
//! let created = client.posts().create(post).send().await?;
//! // Some providers publish asynchronously and answer without an id yet.
//! if let Some(post_id) = &created.post_id {
//!     let read = client.posts().get(post_id).account_id("acc_123").send().await?;
//!     let reaction = AddPostReactionRequest::new(AddPostReactionRequestRequired {
//!         account_id: "acc_123".into(),
//!         post_id: post_id.into(),
//!     })
//!     .comment_id("c_1");
//!     client.posts().add_reaction(reaction).send().await?;
//!     # let _ = read;
//! }
//! # let _ = (account, page); Ok(()) }
//! ```
//!
//! ## Building values
//!
//! Generated structs, enums and unions are `#[non_exhaustive]`, so a field, variant or enum
//! value the API adds later is not a breaking change for your code. A struct is built with
//! `Type::new(required fields)` (each `impl Into<_>`; fields the document fixes to one value
//! are filled in) and a chainable setter per other field, named after it; this holds for
//! response types too, so a test can build the `AccountList` it stubs a call with. Matches
//! on enums and unions need a `_` arm.
//!
//! Constructor arguments cannot be confused. `new` takes the required fields positionally
//! only while no two of them could take the same value: at most three, no two text
//! (`String` and aliases of it), no two numbers (`i32`, `i64` and `f64` all take an `i32`),
//! no two of one generated type or of one list or map type, and no `serde_json::Value`
//! beside another; `Money::new(1200, "eur")` stays positional. Otherwise `new` takes one
//! struct naming them, `{Type}Required`, whose literal names every field:
//! `SendInvitationRequest::new(SendInvitationRequestRequired { provider_id: p.into(),
//! account_id: a.into() })`, `Chat::new(ChatRequired { id, account_id, .. })`. The
//! argument order is pinned by the generator (`specs/names.toml`), so a document that
//! reorders `properties` or `required` reorders nothing; a required field added or removed,
//! or a changed type, is a breaking change the changelog records
//! (`` `X::new`: arguments changed ``). `API.md` shows, for each method, its call and how to
//! build its body. Timestamps (`format: date-time`) are [`engine::Timestamp`] and dates
//! [`engine::Date`] (from `jiff`); a malformed one is an [`Error::Decode`] naming its path.
//!
//! The operations, grouped by resource, are listed in `API.md` beside this crate and in the
//! modules below ([`accounts`], [`posts`], [`chats`], ...); the types are in [`types`].
//!
//! ## Authentication and base URL
//!
//! [`Client::from_env`] reads `POSTPRESS_API_KEY` and, when set, `POSTPRESS_BASE_URL` (your
//! dashboard shows your own). [`Client::builder`] takes both directly. The key travels as
//! `Authorization: Bearer <key>`, or as `X-API-KEY` with [`AuthScheme::XApiKey`]. Its prefix
//! sets [`Client::mode`]: `pp_live_` is [`Mode::Live`], `pp_test_` is [`Mode::Test`]. An empty
//! key, or one with whitespace or control characters, is an [`Error::Config`] when the client
//! is built, and a live key is refused over plain `http` to anything but loopback. The key is
//! never part of any `Debug` or `Display` output, error or log line.
//!
//! Where custom ports are blocked, [`ClientBuilder::port_query`] sends `port=<n>` on every
//! request, pagination included.
//!
//! ```no_run
//! # fn run() -> postpress_sdk::Result<()> {
//! use postpress_sdk::{AuthScheme, Client};
//! let client = Client::builder()
//!     .api_key("pp_test_...")
//!     .base_url("https://eu1.api.postpress.ai/v1/")
//!     .auth_scheme(AuthScheme::XApiKey)
//!     .port_query(443)
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every call returns [`Result`], with one [`Error`] type. An answer with an error status is
//! [`Error::Api`]: status, [`ApiError::error_code`] ([`ErrorCode`]: every code the document
//! declares, such as `not_found`, `rate_limited`, `resource_not_found` and
//! `disconnected_account`, plus `Unknown` for new ones; it is `types::ErrorCode`, the one enum
//! the error bodies use too), message, request id, headers
//! and the raw body. Both the `{"error": {...}}` envelope and the problem-style body are
//! understood. A body that does not match its type is [`Error::Decode`], naming the JSON path
//! that failed and an excerpt of the body, and keeping the whole body ([`Error::raw_body`]). Bad input (a parameter out of range, a header value
//! with a line break, an attachment whose MIME type does not parse) is
//! [`Error::InvalidRequest`] naming the field, before anything is sent: nothing a caller gives
//! is ever silently dropped or replaced. Failures below HTTP are [`Error::Connect`],
//! [`Error::Transport`] and [`Error::Timeout`]; [`Error::transport_fault`] tells a lost
//! connection from a body cut short or a passed deadline, and `source()` leads to the cause.
//!
//! The helpers read without matching: [`Error::code`], [`Error::is_not_found`],
//! [`Error::is_unauthorized`], [`Error::is_rate_limited`], [`Error::retry_after`],
//! [`Error::is_retryable`], [`Error::is_timeout`], [`Error::is_deadline`],
//! [`Error::request_id`] and [`Error::status`].
//!
//! ```no_run
//! # async fn run(client: postpress_sdk::Client) {
//! use postpress_sdk::{Error, ErrorCode};
//! match client.accounts().get("acc_123").send().await {
//!     Ok(account) => println!("{account:?}"),
//!     Err(e) if e.is_not_found() => println!("gone"),
//!     Err(e) if e.is_rate_limited() => println!("wait {:?}", e.retry_after()),
//!     Err(e) if e.code() == Some(ErrorCode::KeyInvalid) => println!("check the key"),
//!     Err(e) => eprintln!("{e} (request id {:?}, retryable: {})", e.request_id(), e.is_retryable()),
//! }
//! # }
//! ```
//!
//! ## Retries, timeouts and idempotency
//!
//! Connection failures, timeouts, 408, 429, 500, 502, 503 and 504 are retried twice by
//! default, with jittered exponential backoff from 0.5 s to 8 s. So is a connection that broke
//! under the request — reset, closed before the answer (a kept-alive connection the server
//! or a load balancer dropped while it sat idle), or a body cut short — for GET, HEAD, PUT,
//! DELETE and OPTIONS, and for POST and PATCH because they carry an idempotency key; a POST
//! or PATCH without one is never sent twice. A `Retry-After` (seconds or HTTP date) or
//! `retry-after-ms` header is honoured up to [`RetryPolicy::max_retry_after`] (60 s); beyond
//! that the error is returned at once. Every POST and PATCH carries an `Idempotency-Key`,
//! generated once per call and identical on each retry, so a retried create can never happen
//! twice; set your own with `.idempotency_key(..)`. Timeouts (connect and per attempt) are
//! [`Error::Timeout`]. A `.deadline(..)` bounds the whole call — rate-limiter waits, backoff,
//! `Retry-After` sleeps and every attempt: when the next wait would pass it, the call fails
//! at once with an [`Error::Timeout`] that says which wait, keeping the last failure as its
//! source. Such an error answers [`Error::is_timeout`] and [`Error::is_deadline`], and, when
//! the attempt before it got an error answer, reads like that answer: a 429 whose
//! `Retry-After` would pass the deadline is still [`Error::is_rate_limited`], with its
//! [`Error::retry_after`], [`Error::status`], [`Error::code`] and [`Error::request_id`]
//! (so is a 503 whose backoff would), and says "timed out: the server answered 429 Too Many
//! Requests and asked to wait 30 s (Retry-After), which passes the call's 10 s deadline; ...".
//! Each of these can be set per client and per request:
//!
//! ```no_run
//! # async fn run(client: postpress_sdk::Client) -> postpress_sdk::Result<()> {
//! use std::time::Duration;
//! let account = client
//!     .accounts()
//!     .get("acc_123")
//!     .max_retries(0)
//!     .timeout(Duration::from_secs(5))
//!     .deadline(Duration::from_secs(20))
//!     .send()
//!     .await?;
//! # let _ = account; Ok(()) }
//! ```
//!
//! The generated key belongs to one call of `send`: a builder cloned and sent again is a new
//! call with a new key, so a retry loop of your own that clones the builder could create
//! twice. Choose the key once, outside the loop, and set it on every attempt:
//!
//! ```no_run
//! # async fn run(client: postpress_sdk::Client) -> postpress_sdk::Result<()> {
//! use postpress_sdk::types::{CreatePostRequest, CreatePostRequestRequired};
//! use std::time::Duration;
//! let post = CreatePostRequest::new(CreatePostRequestRequired {
//!     account_id: "acc_123".into(),
//!     text: "hello".into(),
//! });
//! // One key for the post, whatever the number of attempts: the server applies it once.
//! let key = format!("post-{}", "order-42");
//! let request = client.posts().create(post).idempotency_key(key);
//! let mut attempt = 0;
//! let created = loop {
//!     match request.clone().send().await {
//!         Err(e) if e.is_retryable() && attempt < 5 => {
//!             attempt += 1;
//!             tokio::time::sleep(Duration::from_secs(30)).await;
//!         }
//!         other => break other?,
//!     }
//! };
//! # let _ = created; Ok(()) }
//! ```
//!
//! ## Rate limits
//!
//! Opt in to a client-side token bucket for your key's tier with
//! [`ClientBuilder::rate_limit`] ([`Tier::Starter`] 60/min, [`Tier::Scale`] 300/min,
//! [`Tier::Enterprise`] unmetered, or a [`RateLimit`]); all clones of a client share it, so
//! bursts wait instead of drawing 429s.
//!
//! ## Pagination
//!
//! List operations have `.pages()` and `.items()` streams that follow the API's cursor: lazy
//! (one page in memory), stopped by dropping the stream, keeping every parameter across pages,
//! ending on a null cursor and failing with [`Error::Pagination`] if the server repeats one.
//! Both return an [`engine::Paginated`], which is `Unpin` and `Send`: call `try_next()` or
//! `try_collect()` on it directly (no `pin!`), or move it into a spawned task.
//! A `limit` outside the documented bounds is an [`Error::InvalidRequest`] before anything is
//! sent.
//!
//! ## Answers that depart from the document
//!
//! Real servers send shapes their documents omit. By default the client decodes leniently,
//! one rule at a time, and records every departure; nothing is dropped or defaulted silently:
//!
//! - **Repaired**, where a value has one clear reading: a number or boolean sent as text
//!   (`"12"`, `"true"`), `0`/`1` for a boolean, a number where text is declared (kept as its
//!   text), `5.0` for an integer, a date-time in another common form (`2025-01-01 09:30:00
//!   UTC`), a full date-time where a date is declared (its date), `null` or an empty body for
//!   an object with no required fields (the empty object), `null` for an optional field that
//!   is not nullable (absent). A date-time **without an offset** is read as **UTC**: the
//!   instant is an assumption, and its [`Repair::DateTimeAssumedUtc`] record is how to tell
//!   it from one the server stated.
//! - **Contained**, where it has none: the value is left out at the nearest optional field
//!   (which becomes `None`) or list item (which leaves its list). A required field that is
//!   missing, `null` or unreadable is never defaulted: its object is left out where it is
//!   contained, and when nothing contains it (a field of the answer itself) the call fails
//!   with [`Error::Decode`] naming its path, keeping the whole body.
//! - **Recorded**: [`Response::departures`] (from `send_with_response()`) lists each
//!   [`Departure`]: its JSON pointer in the body as received, the [`Repair`], the raw value, and
//!   where and why the type failed. Each is also a `tracing` warning (target
//!   `openapi_sdkgen_runtime::decode`). In `items()` a list item left out comes as an
//!   [`Error::Item`] in its place (its pointer and raw value: [`Error::left_out_item`]), and
//!   the stream goes on; `pages()` yields it right after its page.
//!
//! [`ClientBuilder::decoding`] with [`Decoding::Strict`] fails instead, at exactly the place
//! lenient decoding records first: for tests and CI, where drift should be loud.
//!
//! ```no_run
//! # async fn run(client: postpress_sdk::Client) -> Result<(), postpress_sdk::Error> {
//! use futures_util::StreamExt;
//! let mut accounts = client.accounts().list().items();
//! while let Some(account) = accounts.next().await {
//!     match account {
//!         Ok(account) => println!("{account:?}"),
//!         // One item that did not decode: the others still come.
//!         Err(e) if e.left_out_item().is_some() => eprintln!("skipped: {e}"),
//!         Err(e) => return Err(e),
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! ## Receiving webhooks
//!
//! A [`WebhookReceiver`] checks the secret header you gave the webhook (compared in constant
//! time), refuses bodies over a size limit, reads JSON or form bodies (sniffed when, as for
//! webhooks created through the API, there is no `Content-Type`) and decodes them into a
//! payload type: `types::WebhookPayload` for any source, or one source's own type (listed
//! under "Callbacks and webhooks" in `API.md`). Events this SDK does not know yet decode as
//! unknown and keep their raw payload (`WebhookNamedEvent::Unknown`). Payloads decode as
//! answers do (see "Answers that depart from the document"): `"chat_id": 123` where text is
//! declared is read as `"123"`, an attendee that is no object leaves its list, and each such
//! departure is listed in [`Delivery::departures`] and logged. With
//! [`WebhookReceiver::decoding`]`(`[`Decoding::Strict`]`)`, or where a departure cannot be
//! contained (a required field), a known event whose fields do not fit its type
//! (`{"event": "message_received", "chat_id": 123}`) is never passed off as unknown:
//! [`WebhookReceiver::parse`] refuses it with [`WebhookError::MalformedEvent`], a
//! [`MalformedEvent`] naming the event property and its value (`event`, `message_received`),
//! the JSON path that failed (`chat_id`), what went wrong and the raw payload.
//! [`WebhookReceiver::parse_lenient`] keeps such a delivery
//! instead, as [`Decoded::Malformed`] beside [`Decoded::Event`], for a handler that would
//! rather log or park it than refuse it (a refused delivery is redelivered). Deliveries are
//! retried, so the same event may arrive more than once: [`Delivery::key`] is equal for every
//! copy of an event.
//!
//! ```no_run
//! # fn run(headers: &postpress_sdk::engine::HeaderMap, body: &[u8]) -> Result<(), postpress_sdk::WebhookError> {
//! use postpress_sdk::{WebhookReceiver, types::{WebhookNamedEvent, WebhookPayload}};
//! let receiver = WebhookReceiver::new("Postpress-Auth", "my-secret")?;
//! let delivery = receiver.parse::<WebhookPayload>(headers, body)?;
//! match delivery.event {
//!     WebhookPayload::AccountStatusEvent(status) => println!("{:?}", status.account_status),
//!     WebhookPayload::WebhookNamedEvent(WebhookNamedEvent::MessagingEvent(m)) => {
//!         println!("{:?} in chat {:?}", m.event, m.chat_id)
//!     }
//!     other => println!("not handled here: {other:?}"),
//! }
//! # Ok(()) }
//! ```
//!
//! The lenient form:
//!
//! ```no_run
//! # fn run(headers: &postpress_sdk::engine::HeaderMap, body: &[u8]) -> Result<(), postpress_sdk::WebhookError> {
//! use postpress_sdk::{Decoded, WebhookReceiver, types::WebhookPayload};
//! let receiver = WebhookReceiver::new("Postpress-Auth", "my-secret")?;
//! let delivery = receiver.parse_lenient::<WebhookPayload>(headers, body)?;
//! match &delivery.event {
//!     Decoded::Event(event) => println!("{event:?}"),
//!     Decoded::Malformed(bad) => {
//!         eprintln!("{} at {}: {} (kept: {})", bad.event, bad.path, bad.message, bad.raw)
//!     }
//!     _ => {}
//! }
//! # Ok(()) }
//! ```
//!
//! `examples/webhook_receiver.rs` is a complete endpoint: it answers at once, processes in the
//! background and skips redeliveries by key.
//!
//! ## Testing your code (`mock` feature)
//!
//! `mock` (enable it in `[dev-dependencies]`) is a typed stub server generated from the
//! document. `mock::MockServer::start` serves on a free loopback port and
//! `mock.client()` is a [`Client`] pointed at it (a test key, quick retry backoff). Stubs mirror
//! the client and take its types: `.returns(..)` answers with the success body (or the response
//! enum, whose variant picks the status), `.fails(status, code, message)` with the API's error
//! envelope, `.fails_with(status, body)` with the documented error type, `.reply(Reply)` with
//! anything. Each of these appends to the stub's sequence of answers; the last repeats.
//! `.times(n)` answers at most `n` calls and expects exactly `n`; `.with_id(..)`-style setters
//! (one per path and query parameter) and `.matching(|call| ..)` narrow what a stub answers;
//! `.pages(..)` serves a list page by page, by cursor. The first stub (in the order made) that
//! fits answers. `stub.calls()` gives the requests it answered, typed: `.body()` decodes the
//! request body, and the recorded request's `idempotency_key()`, `authorization()`,
//! `query(..)` and `path_param(..)` are there through `Deref`. A request no stub fits is answered
//! 501 with a message naming its operation (method, path template, operation id) and listing
//! the stubs, so the client's error says what is missing. `mock.verify()` panics when an
//! expected call did not happen or a request matched no stub; dropping the mock does the same
//! check, so a test that forgets `verify` still fails (turn it off with `verify_on_drop(false)`).
//!
//! The mock validates: before any stub answers, each request is checked against its operation
//! in the document (compiled in from `src/generated/openapi.json`). Path, query and header
//! parameters are read by their `style`/`explode` and checked against their schema (required,
//! type, enum, ranges, lengths, pattern; an undocumented query parameter is fine); a JSON body
//! against its schema (OpenAPI 3.0's `nullable`, boolean exclusive bounds and `readOnly`
//! converted to JSON Schema first); a form or multipart body part by part: a primitive or enum
//! part is sent as `text/plain` and read as its type, an object as `application/json`, a file
//! with any type (unless `encoding.contentType` says otherwise), an array of primitives as the
//! name repeated; a part the schema does not name is an error unless `additionalProperties`
//! allows it. A request that does not fit is answered 400 with code `mock_invalid_request` and
//! a message such as ``operation `ChatsController_startChat` (POST /chats): multipart part
//! `account_id`: sent as application/json, but its schema (string) is sent as text/plain``; it
//! is recorded (`mock.refused()`, `RecordedRequest::refusal`) and fails `verify()`, `check()`
//! and the drop check. `mock.validate_requests(false)` turns validation off.
//! `mock.stub_operation("operationId")` is an untyped stub whose `.returns_example()` answers
//! with the documented success example, and `mock.answer_all_from_examples()` answers every
//! request no stub matches so: together they let a contract test send every operation.
//!
//! A worked example: the function under test lists accounts, and the client retries the 502.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # mod example {
//! use postpress_sdk::mock::{MockServer, Stub};
//! use postpress_sdk::{Client, Result, types::AccountList};
//!
//! /// The code under test: how many accounts are linked.
//! async fn count_accounts(client: &Client) -> Result<usize> {
//!     Ok(client.accounts().list().send().await?.items.len())
//! }
//!
//! # pub async fn run() {
//! let mock = MockServer::start().await.unwrap();
//! let list = mock
//!     .accounts()
//!     .list()
//!     .fails(502, "upstream_error", "the provider did not answer") // first call
//!     .returns(AccountList::new(vec![]))                          // the retry
//!     .times(2);
//! assert_eq!(count_accounts(&mock.client().unwrap()).await.unwrap(), 0);
//! let calls = list.calls();
//! assert_eq!(calls.len(), 2);
//! assert_eq!(calls[0].authorization(), Some("Bearer pp_test_mock"));
//! mock.verify();
//! # }
//! # }
//! # #[cfg(feature = "mock")]
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(example::run());
//! ```
//!
//! ## Logging
//!
//! Each request runs in a `tracing` span `api_request` with the method, the path template,
//! the attempt number, the status and the request id.

//!
//! ## Cargo features
//!
//! - `rustls-tls` (default): TLS through rustls, no system library needed.
//! - `native-tls`: TLS through the platform's library instead; use it with
//!   `default-features = false, features = ["native-tls"]`.
//! - `mock`: the typed stub server above (`mock::MockServer`), for tests; off by default.
//!
//! The engine under the client (transport, retries, pagination, errors, webhooks, the mock
//! server) is the generator's runtime crate, `openapi-sdkgen-runtime`, re-exported as
//! [`engine`].

#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
#[rustfmt::skip]
mod generated;
pub mod prelude;

pub use client::{
    API_KEY_ENV, AuthScheme, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL, ErrorCode,
    Mode, Tier,
};
pub use engine::{
    ApiError, Decoded, Decoding, Delivery, DeliveryFormat, Departure, Error, EventKey,
    MalformedEvent, Part, RateLimit, Repair, Response, Result, RetryPolicy, TransportError,
    TransportFault, WebhookError, WebhookReceiver,
};
pub use generated::*;
/// The generator's runtime (`openapi-sdkgen-runtime`): the API-independent engine this client
/// runs on, with the types it shares ([`Timestamp`](engine::Timestamp),
/// [`Date`](engine::Date), [`HeaderMap`](engine::HeaderMap), ...).
pub use openapi_sdkgen_runtime as engine;

// The READMEs' examples are compiled as doctests, so a snippet a user copies builds.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadme;
