//! The API-independent engine every generated client runs on: request building, transport,
//! retries, idempotency, rate limiting, pagination and error decoding.
//!
//! Nothing in this module knows about PostPress; the PostPress defaults (base URL, environment
//! variables, key prefixes, tiers) live in `client.rs` (the [`Client`](crate::Client) layer). Crates made by
//! `cargo xtask generate` for other APIs use this same module.

mod auth;
mod config;
pub mod double_option;
mod error;
#[doc(hidden)]
pub mod examples;
mod fault;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod multipart;
#[doc(hidden)]
pub mod object;
mod pagination;
mod prepared;
mod query;
mod request;
mod response;
mod retry;
#[doc(hidden)]
pub mod send;
#[doc(hidden)]
pub mod setters;
mod transport;
mod variant;
pub mod webhook;

pub use auth::{ApiKey, AuthPlacement};
pub use config::{EngineConfig, RateLimit, RequestOptions};
pub use error::{ApiError, Error, Result};
pub use fault::{TransportError, TransportFault};
pub use multipart::Part;
#[doc(hidden)]
pub use object::{decode_struct, encode_struct, object};
pub use pagination::{Paginated, builder_pages, items, pages};
pub use query::{FormEncoding, ParamStyle};
pub use request::{RangeValue, Request, check_range, require, required};
pub use response::Response;
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use setters::{
    builder_fns, doc_text, idempotency_key_setter, operation_group, optional_setters, paginated,
    request_builder, request_option_setters, send_fns, shared_accessors, string_enum,
    string_enum_impls, struct_constructor, union_from_variants,
};
pub use transport::{ByteStream, Engine};
#[doc(hidden)]
pub use variant::{
    Claim, decode_claimed, decode_variant, tagged_union, untagged_union, write_union,
};
pub use webhook::{
    Decoded, Delivery, DeliveryFormat, EventKey, MalformedEvent, WebhookError, WebhookReceiver,
};

/// Re-exported so generated code and callers name one version of these crates.
pub use bytes::Bytes;
pub use futures_core::Stream;
/// `jiff`, whose types hold `format: date-time` ([`Timestamp`]) and `format: date` ([`Date`])
/// values, for callers who convert or format them.
pub use jiff;
pub use jiff::{Timestamp, civil::Date};
pub use reqwest::{Method, StatusCode, header::HeaderMap};
pub use url::Url;
