//! The generic half of the `mock` feature: a stub server on loopback that answers each
//! request from the first stub that fits it, records every request, and reports in
//! `verify` the stubs that were not called as expected and the requests no stub matched.
//!
//! Nothing here knows an API: generated code (`mock` beside the resource groups) describes
//! the document's operations to it and builds typed stubs over [`StubHandle`] and [`Stub`].

mod macros;
mod multipart;
mod recorded;
mod registry;
mod reply;
mod route;
mod server;
mod stub;

#[doc(hidden)]
pub use macros::{group_stubs, operation_stub};
pub use multipart::{FormPart, MultipartForm};
pub use recorded::{BodyError, RecordedRequest};
pub use registry::VerifyError;
pub use reply::Reply;
pub use route::Operation;
pub use server::StubServer;
pub use stub::{Stub, StubHandle};

/// The retry policy of a client made for a mock: the default number of retries and cap on
/// `Retry-After`, with backoff of a few milliseconds, so a test of retries runs fast.
pub fn quick_retries() -> super::RetryPolicy {
    super::RetryPolicy {
        initial_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(20),
        ..super::RetryPolicy::default()
    }
}
