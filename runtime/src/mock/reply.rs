//! What a stub answers: a status, headers and a body, built before any request arrives.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

/// One answer of a stub. Generated stubs build these from typed bodies; build one yourself
/// for a status or body the document does not describe.
#[derive(Debug, Clone)]
pub struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Reply {
    /// An answer with `status` and no body. A status outside 100..=999 becomes 500, so a
    /// typo shows as a failed call rather than a panic.
    pub fn status(status: u16) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// `body` serialized as JSON with `status`. A body that does not serialize (a map with
    /// non-string keys) is answered as a 500 naming the serde error.
    pub fn json(status: u16, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => Self::status(status).body("application/json", bytes),
            Err(e) => Self::error(
                500,
                "mock_body",
                &format!("the stub's body did not serialize: {e}"),
            ),
        }
    }

    /// The error envelope the engine reads (`{"error": {"code", "message", "request_id"}}`),
    /// so the client sees an [`Error::Api`](crate::Error::Api) with this code and
    /// message.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = serde_json::json!({
            "error": { "code": code, "message": message, "request_id": "mock-request" }
        });
        Self::status(status).body("application/json", body.to_string())
    }

    /// Sets the body and its `Content-Type`.
    pub fn body(mut self, content_type: &str, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self.header(CONTENT_TYPE.as_str(), content_type)
    }

    /// Adds a header (e.g. `Retry-After`). A name or value that is not valid in HTTP is
    /// skipped and named in a `x-mock-invalid-header` header instead, so the test sees it.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => {
                let note = HeaderValue::from_str(&name.escape_default().to_string())
                    .unwrap_or_else(|_| HeaderValue::from_static("?"));
                self.headers
                    .append(HeaderName::from_static("x-mock-invalid-header"), note);
            }
        }
        self
    }

    /// The status this reply is sent with.
    pub fn status_code(&self) -> u16 {
        self.status.as_u16()
    }
}
