//! A decoded response together with its status and headers.

use super::error::{Result, decode_json};
use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful response: status, headers, request id and the body as `T`.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        body: T,
    ) -> Self {
        Self {
            status,
            headers,
            request_id,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the server sent, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The body, consuming the response.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Converts the body, keeping status and headers.
    pub fn try_map<U>(self, f: impl FnOnce(T) -> Result<U>) -> Result<Response<U>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body: f(self.body)?,
        })
    }
}

impl Response<Bytes> {
    /// Decodes the body as JSON into `U`; a mismatch names the failing JSON path.
    pub fn json<U: serde::de::DeserializeOwned>(self) -> Result<Response<U>> {
        let (status, id) = (self.status, self.request_id.clone());
        self.try_map(|body| decode_json(status, &body, id))
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(self) -> Result<Response<String>> {
        self.try_map(|body| Ok(String::from_utf8_lossy(&body).into_owned()))
    }

    /// Drops the body (for `204` and other empty answers).
    pub fn empty(self) -> Result<Response<()>> {
        self.try_map(|_| Ok(()))
    }
}
