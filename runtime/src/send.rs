//! The one `async` body every generated request builder's `send` shares.
//!
//! A builder's `send` is a plain function returning this future: an `async fn` per builder
//! would make the compiler build and check a state machine for every operation of every
//! generated crate, most of a large crate's operation code.
//!
//! The builder's decode step comes in as a closure of its own type, not as a `fn` pointer: a
//! closure turned into a pointer is compiled with the library whether or not anyone sends
//! the request, and with it the decoding of every response type; a closure called from this
//! generic body is compiled only where a program awaits it.

use super::{Engine, Request, Response, Result};
use bytes::Bytes;

/// Sends `req` through `engine` and decodes the answer: a builder's `send_with_response`.
#[doc(hidden)]
pub async fn send_with_response<T, D>(
    engine: Engine,
    req: Result<Request>,
    decode: D,
) -> Result<Response<T>>
where
    D: FnOnce(Response<Bytes>) -> Result<Response<T>>,
{
    let raw = engine.execute(req?).await?;
    decode(raw)
}

/// [`send_with_response`] without the status and headers: a builder's `send`.
#[doc(hidden)]
pub async fn send<T, D>(engine: Engine, req: Result<Request>, decode: D) -> Result<T>
where
    D: FnOnce(Response<Bytes>) -> Result<Response<T>>,
{
    Ok(send_with_response(engine, req, decode).await?.into_body())
}
