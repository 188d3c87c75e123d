//! One import for the common case: `use postpress_sdk::prelude::*;`.
//!
//! Brings the client, the error and result types, and the stream extension traits that
//! `.pages()` and `.items()` are consumed with, so a caller needs no `futures` crate of its own.

/// `client.engine()`, for code that sends a hand-built `engine::Request`.
pub use crate::engine::ApiClient as _;
pub use crate::engine::{Error, Result};
pub use crate::{Client, ClientBuilder};
pub use futures_util::{StreamExt as _, TryStreamExt as _};
