//! A request as the stub server received it, with readers for what tests assert on: the
//! operation it was routed to, path and query parameters, headers and the decoded body.

use super::multipart::{self, MultipartForm};
use super::route::Operation;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use std::fmt;

/// One request the stub server received, matched or not.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    /// The query string as sent, still percent-encoded (empty without one).
    pub(crate) raw_query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) operation: Option<&'static Operation>,
    pub(crate) path_params: Vec<(String, String)>,
    /// Why validation refused the request, when it did.
    pub(crate) refusal: Option<String>,
}

/// A recorded body that could not be read as the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    /// What went wrong, naming the operation and, for JSON, the path that failed.
    pub message: String,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BodyError {}

impl RecordedRequest {
    /// Why the mock refused this request (it does not fit the document), naming the
    /// operation, the parameter or part, and the rule; `None` for a request it accepted.
    pub fn refusal(&self) -> Option<&str> {
        self.refusal.as_deref()
    }

    /// The HTTP method (`GET`).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path as sent, still percent-encoded (`/accounts/acc%201`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The documented operation the method and path belong to, if any.
    pub fn operation(&self) -> Option<&'static Operation> {
        self.operation
    }

    /// A path parameter of the operation's template, percent-decoded (`id` of
    /// `/accounts/{id}`).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        pair(&self.path_params, name)
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query(&self, name: &str) -> Option<&str> {
        pair(&self.query, name)
    }

    /// Every query parameter, decoded, in the order sent.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// A header as text; `None` when absent or not visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Idempotency-Key` header: the same on every retry of one call.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.header("idempotency-key")
    }

    /// The `Authorization` header as sent (`Bearer <key>`).
    pub fn authorization(&self) -> Option<&str> {
        self.header("authorization")
    }

    /// The body as sent.
    pub fn raw_body(&self) -> &Bytes {
        &self.body
    }

    /// The body decoded from JSON; the error names the JSON path that failed.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, BodyError> {
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(de).map_err(|e| BodyError {
            message: format!(
                "the body of {} is not the expected JSON at `{}`: {}",
                self.describe(),
                e.path(),
                e.inner()
            ),
        })
    }

    /// The body decoded from `application/x-www-form-urlencoded` into `T`.
    pub fn form<T: DeserializeOwned>(&self) -> Result<T, BodyError> {
        let pairs: serde_json::Map<String, serde_json::Value> =
            url::form_urlencoded::parse(&self.body)
                .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
                .collect();
        serde_json::from_value(serde_json::Value::Object(pairs)).map_err(|e| BodyError {
            message: format!("the form body of {} does not decode: {e}", self.describe()),
        })
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<&str, BodyError> {
        std::str::from_utf8(&self.body).map_err(|e| BodyError {
            message: format!("the body of {} is not UTF-8: {e}", self.describe()),
        })
    }

    /// The body as `multipart/form-data`, its parts in the order sent.
    pub fn multipart(&self) -> Result<MultipartForm, BodyError> {
        let content_type = self.header("content-type").unwrap_or_default();
        multipart::parse(content_type, &self.body).map_err(|m| BodyError {
            message: format!("the multipart body of {}: {m}", self.describe()),
        })
    }

    /// `GET /accounts/acc_1 (operation listAccounts)`, for messages.
    pub(crate) fn describe(&self) -> String {
        match self.operation {
            Some(op) => format!("{} {} ({})", self.method, self.path, op),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

fn pair<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
