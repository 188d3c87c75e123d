//! The one error type of a generated client.

use super::departure::Departure;
use super::fault::{TransportError, TransportFault};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Result alias used across the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest excerpt of a body kept in decode errors.
const EXCERPT_LIMIT: usize = 512;

/// Everything that can go wrong when calling the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (bad key, bad base URL, ...).
    Config(String),
    /// The request was refused before it was sent (a bad parameter value).
    InvalidRequest {
        /// The parameter at fault.
        param: String,
        /// What is wrong with it.
        message: String,
    },
    /// The API answered with a non-success status.
    Api(Box<ApiError>),
    /// An attempt ran out of time, or the call's deadline passed (or the next wait would
    /// pass it); [`TransportError::fault`] tells which. A deadline error keeps the failure of
    /// the attempt before it ([`TransportError::last_failure`]), and when that was an error
    /// answer, [`Error::as_api`] and the helpers built on it read that answer.
    Timeout(TransportError),
    /// The connection could not be made.
    Connect(TransportError),
    /// The connection broke (reset, closed before the answer, body cut short) or another
    /// failure below HTTP; [`TransportError::fault`] tells which.
    Transport(TransportError),
    /// The response body did not match the expected type.
    Decode {
        /// HTTP status of the response.
        status: StatusCode,
        /// JSON path at which decoding failed (`.` for the root).
        path: String,
        /// What serde reported.
        message: String,
        /// The start of the body, for messages.
        excerpt: String,
        /// Request id from the response headers, if any.
        request_id: Option<String>,
        /// The whole body as received: nothing of an answer that did not decode is lost
        /// (store it, or decode it yourself; [`Error::raw_body`] reads it). Boxed so that
        /// every `Result` of the SDK stays small.
        body: Box<bytes::Bytes>,
    },
    /// The body was larger than the configured maximum.
    BodyTooLarge {
        /// The configured maximum in bytes.
        limit: usize,
    },
    /// A paginated listing went wrong (e.g. the server repeated a cursor).
    Pagination(String),
    /// One item of a list did not decode and was left out of it; the rest of the list did
    /// (lenient [decoding](crate::Decoding)). `pages()` and `items()` of a list operation
    /// yield one such error per item left out, where the item stood, and go on.
    Item {
        /// Where the item was ([`Departure::pointer`]), its raw value
        /// ([`Departure::received`]), and why it did not decode.
        departure: Box<Departure>,
        /// Request id of the page's response, if any.
        request_id: Option<String>,
    },
}

/// A non-success answer of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The machine-readable error code (`invalid_parameters`, ...), when the body had one.
    pub code: Option<String>,
    /// The human-readable message, when the body had one.
    pub message: Option<String>,
    /// The request id, from the body or the `x-request-id` / `request-id` header.
    pub request_id: Option<String>,
    /// Response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: bytes::Bytes,
}

impl ApiError {
    /// The error code of this answer as the generated crate's `ErrorCode` enum, whose parse
    /// cannot fail (a code the crate does not know is its `Unknown` variant); `None` when the
    /// body carried no code. [`code`](Self::code) is the text as sent.
    pub fn error_code<C: FromStr<Err = Infallible>>(&self) -> Option<C> {
        self.code.as_deref().map(|code| match code.parse() {
            Ok(known) => known,
            Err(never) => match never {},
        })
    }

    /// Builds an error from a response, understanding both the envelope
    /// `{"error": {"code", "message", "request_id"}}` and the problem style
    /// `{"title", "detail", "instance", "type": "errors/<code>", "status"}`.
    pub fn from_response(status: StatusCode, headers: HeaderMap, body: bytes::Bytes) -> Self {
        let mut err = ApiError {
            status,
            code: None,
            message: None,
            request_id: header_request_id(&headers),
            headers,
            body,
        };
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&err.body) else {
            return err;
        };
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
        if let Some(envelope) = value.get("error").filter(|e| e.is_object()) {
            err.code = text(envelope.get("code"));
            err.message = text(envelope.get("message"));
            if let Some(id) = text(envelope.get("request_id")) {
                err.request_id = Some(id);
            }
        } else if value.get("title").is_some() || value.get("type").is_some() {
            err.code = text(value.get("type"))
                .map(|t| t.rsplit('/').next().unwrap_or_default().to_owned());
            err.message = text(value.get("detail")).or_else(|| text(value.get("title")));
            if let Some(id) = text(value.get("instance")) {
                err.request_id = Some(id);
            }
        }
        err
    }
}

pub(crate) fn header_request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The start of a body, for messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let end = body.len().min(EXCERPT_LIMIT);
    let mut text = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > EXCERPT_LIMIT {
        text.push_str("...");
    }
    text
}

impl Error {
    /// Whether retrying the same request may succeed: a retryable status (408, 429, 5xx), a
    /// timed-out attempt, or a connection that could not be made or broke. Whether the engine
    /// *does* retry also depends on the method: a POST or PATCH without an idempotency key is
    /// never sent twice.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => super::retry::is_retryable_status(api.status),
            Error::Timeout(t) | Error::Connect(t) | Error::Transport(t) => t.fault().is_transient(),
            _ => false,
        }
    }

    /// For an [`Error::Item`], what was left out: its pointer, raw value and why.
    pub fn left_out_item(&self) -> Option<&Departure> {
        match self {
            Error::Item { departure, .. } => Some(departure),
            _ => None,
        }
    }

    /// Whether this error is a timeout (of one attempt or of the whole call's deadline).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether the call's deadline ended it: it passed, or the next wait (the client-side rate
    /// limiter, backoff, or a `Retry-After` the server asked for) would have passed it. Such an
    /// error is also a [timeout](Self::is_timeout); when the attempt before it got an error
    /// answer, it reads like that answer too ([`status`](Self::status),
    /// [`is_rate_limited`](Self::is_rate_limited), [`retry_after`](Self::retry_after), ...).
    pub fn is_deadline(&self) -> bool {
        self.transport_fault() == Some(TransportFault::DeadlineExceeded)
    }

    /// What went wrong below HTTP, for timeouts, connection and transport failures.
    pub fn transport_fault(&self) -> Option<TransportFault> {
        match self {
            Error::Timeout(t) | Error::Connect(t) | Error::Transport(t) => Some(t.fault()),
            _ => None,
        }
    }

    /// The whole body of an answer that did not decode ([`Error::Decode`]), as received;
    /// `None` for other errors (an error answer's body is [`ApiError::body`]).
    pub fn raw_body(&self) -> Option<&bytes::Bytes> {
        match self {
            Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The request id, when the server sent one (for a [deadline](Self::is_deadline) error,
    /// that of the error answer before it).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => self.as_api().and_then(|api| api.request_id.as_deref()),
        }
    }

    /// The HTTP status, for errors that come from a response (for a
    /// [deadline](Self::is_deadline) error, that of the error answer before it).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            _ => self.as_api().map(|api| api.status),
        }
    }

    /// The API error, if the server answered with an error status; for a
    /// [deadline](Self::is_deadline) error, the error answer of the attempt before it, whose
    /// retry the deadline cut (a 429 whose `Retry-After` would pass the deadline, a 503 whose
    /// backoff would). The helpers that read it ([`status`](Self::status),
    /// [`is_rate_limited`](Self::is_rate_limited), [`retry_after`](Self::retry_after),
    /// [`request_id`](Self::request_id), the API's `code`) answer so too.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::Timeout(t) => match t.last_failure() {
                Some(Error::Api(api)) => Some(api),
                _ => None,
            },
            _ => None,
        }
    }

    /// The API's error code of an error answer, as the generated crate's `ErrorCode` enum
    /// (every code the document declares, `Unknown` for a new one; see
    /// [`ApiError::error_code`]); `None` for errors that are not answers of the API, or
    /// answers without a code. The type is usually inferred (`e.code() ==
    /// Some(ErrorCode::NotFound)`); name it where it is not: `e.code::<ErrorCode>()`.
    pub fn code<C: FromStr<Err = Infallible>>(&self) -> Option<C> {
        self.as_api().and_then(ApiError::error_code)
    }

    /// The wait the server asked for on an error answer (`retry-after-ms`, or `Retry-After`
    /// in seconds or as an HTTP date), e.g. on a 429 that the retries did not outlast, or
    /// whose wait would have passed the call's [deadline](Self::is_deadline).
    pub fn retry_after(&self) -> Option<Duration> {
        self.as_api()
            .and_then(|api| super::retry::server_requested_delay(&api.headers))
    }

    /// Whether the server answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.api_status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server answered 429 Too Many Requests (see [`retry_after`](Self::retry_after)),
    /// also when the call's [deadline](Self::is_deadline) then cut the wait it asked for.
    pub fn is_rate_limited(&self) -> bool {
        self.api_status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the server answered 401 Unauthorized (a missing, wrong or revoked key).
    pub fn is_unauthorized(&self) -> bool {
        self.api_status() == Some(StatusCode::UNAUTHORIZED)
    }

    fn api_status(&self) -> Option<StatusCode> {
        self.as_api().map(|api| api.status)
    }

    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        let transport = TransportError::from_reqwest(err);
        match transport.fault() {
            TransportFault::TimedOut => Error::Timeout(transport),
            TransportFault::Connect => Error::Connect(transport),
            _ => Error::Transport(transport),
        }
    }

    /// The call's deadline ended it: `why` names the wait or attempt that would pass it;
    /// `last` (the previous attempt's failure, if any) is kept as the source.
    pub(crate) fn deadline(why: String, last: Option<Error>) -> Self {
        Error::Timeout(TransportError::deadline(why, last))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "configuration error: {m}"),
            Error::InvalidRequest { param, message } => {
                write!(f, "invalid request parameter `{param}`: {message}")
            }
            Error::Api(api) => {
                write!(f, "API error {}", api.status)?;
                if let Some(code) = &api.code {
                    write!(f, " ({code})")?;
                }
                if let Some(message) = &api.message {
                    write!(f, ": {message}")?;
                }
                if let Some(id) = &api.request_id {
                    write!(f, " [request id {id}]")?;
                }
                Ok(())
            }
            Error::Timeout(t) => write!(f, "timed out: {t}"),
            Error::Connect(t) | Error::Transport(t) => write!(f, "{t}"),
            Error::Decode {
                status,
                path,
                message,
                excerpt,
                ..
            } => write!(
                f,
                "could not decode the {status} response at `{path}`: {message}; body starts with: {excerpt}"
            ),
            Error::BodyTooLarge { limit } => {
                write!(f, "the response body exceeds the {limit}-byte limit")
            }
            Error::Pagination(m) => write!(f, "pagination error: {m}"),
            Error::Item {
                departure,
                request_id,
            } => {
                write!(
                    f,
                    "the list item at `{}` did not decode and was left out (failed at `{}`: {})",
                    departure.pointer, departure.failed_at, departure.reason
                )?;
                if let Some(id) = request_id {
                    write!(f, " [request id {id}]")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The transport error's own cause (the reqwest error, or the failure of the
            // attempt before a deadline) is one step further down the chain.
            Error::Timeout(t) | Error::Connect(t) | Error::Transport(t) => t.source(),
            _ => None,
        }
    }
}
