//! The one `async` body every generated request builder's `send` shares.
//!
//! A builder's `send` is a plain function returning this future: an `async fn` per builder
//! would make the compiler build and check a state machine for every operation of every
//! generated crate, most of a large crate's operation code.

use super::{Engine, Request, Response, Result};
use bytes::Bytes;

/// How a builder turns the raw answer into its typed response.
pub type Decode<T> = fn(Response<Bytes>) -> Result<Response<T>>;

/// Sends `req` through `engine` and decodes the answer: a builder's `send_with_response`.
#[doc(hidden)]
pub async fn send_with_response<T>(
    engine: Engine,
    req: Result<Request>,
    decode: Decode<T>,
) -> Result<Response<T>> {
    let raw = engine.execute(req?).await?;
    decode(raw)
}

/// [`send_with_response`] without the status and headers: a builder's `send`.
#[doc(hidden)]
pub async fn send<T>(engine: Engine, req: Result<Request>, decode: Decode<T>) -> Result<T> {
    Ok(send_with_response(engine, req, decode).await?.into_body())
}
