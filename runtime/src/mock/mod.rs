//! The generic half of the `mock` feature: a stub server on loopback that answers each
//! request from the first stub that fits it, records every request, and reports in
//! `verify` the stubs that were not called as expected and the requests no stub matched.
//!
//! Nothing here knows an API: generated code (`mock` beside the resource groups) describes
//! the document's operations to it and builds typed stubs over [`StubHandle`] and [`Stub`].
//!
//! Given the document itself ([`StubServer::start_with_document`], as every generated
//! `MockServer` is), the server is a validating mock: each request is checked against its
//! operation (parameters by their style, JSON bodies against their schema, form and
//! multipart bodies field by field by the OpenAPI encoding rules) before any stub answers,
//! and one that does not fit is answered 400 with the error envelope, code
//! `mock_invalid_request`, and a message naming the operation, the parameter or part and the
//! rule; it is recorded ([`StubServer::refused`]) and fails `check`/`verify` and the drop
//! check. [`StubServer::validate_requests`] turns this off.

mod contract;
mod example;
mod json_schema;
mod macros;
mod multipart;
mod recorded;
mod registry;
mod reply;
mod route;
mod server;
mod shape;
mod stub;
mod validate;

#[doc(hidden)]
pub use macros::{group_stubs, operation_stub};
pub use multipart::{FormPart, MultipartForm};
pub use recorded::{BodyError, RecordedRequest};
pub use registry::VerifyError;
pub use reply::Reply;
pub use route::Operation;
pub use server::StubServer;
pub use stub::{OperationStub, Stub, StubHandle};

/// The retry policy of a client made for a mock: the default number of retries and cap on
/// `Retry-After`, with backoff of a few milliseconds, so a test of retries runs fast.
pub fn quick_retries() -> super::RetryPolicy {
    super::RetryPolicy {
        initial_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(20),
        ..super::RetryPolicy::default()
    }
}
