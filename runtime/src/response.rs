//! A decoded response together with its status and headers.

use super::decode::decode_json;
use super::departure::{Decoding, Departure};
use super::error::Result;
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
    /// How [`json`](Response::json) decodes (the client's setting).
    decoding: Decoding,
    /// What lenient decoding repaired or left out of the body.
    departures: Vec<Departure>,
}

impl<T> Response<T> {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        body: T,
        decoding: Decoding,
    ) -> Self {
        Self {
            status,
            headers,
            request_id,
            body,
            decoding,
            departures: Vec::new(),
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

    /// Where the body departed from its documented type, and what lenient
    /// [decoding](crate::Decoding) did about each: empty when the body matched. Each was also
    /// logged as a `tracing` warning (target `openapi_sdkgen_runtime::decode`).
    pub fn departures(&self) -> &[Departure] {
        &self.departures
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
            decoding: self.decoding,
            departures: self.departures,
        })
    }
}

impl Response<Bytes> {
    /// Decodes the body as JSON into `U`, as the client's [`Decoding`] says: leniently
    /// (departures repaired or contained, and recorded in [`departures`](Response::departures)),
    /// or strictly. A failure names the JSON path and keeps the whole body.
    pub fn json<U: serde::de::DeserializeOwned>(self) -> Result<Response<U>> {
        let (body, departures) = decode_json(
            self.status,
            &self.body,
            self.request_id.as_deref(),
            self.decoding,
        )?;
        let mut departures_so_far = self.departures;
        departures_so_far.extend(departures);
        Ok(Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            body,
            decoding: self.decoding,
            departures: departures_so_far,
        })
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
