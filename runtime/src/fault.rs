//! Failures below HTTP: what went wrong with the connection, told apart precisely enough to
//! decide whether a request may be sent again, with the underlying cause kept for `source()`.

use std::error::Error as StdError;
use std::fmt;
use std::io;

/// What kind of failure below HTTP ended an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportFault {
    /// No connection could be made (refused, unreachable, name resolution, TLS handshake).
    Connect,
    /// The connection was reset, or closed before the response arrived: the classic stale
    /// kept-alive connection that a server or load balancer closed while it sat idle.
    ConnectionLost,
    /// The response body ended before its declared length (or before its last chunk).
    BodyCutShort,
    /// The attempt ran out of its time.
    TimedOut,
    /// The call's deadline passed, or the next wait (rate limiter, backoff, `Retry-After`)
    /// would have passed it.
    DeadlineExceeded,
    /// Any other failure below HTTP (a malformed response, a protocol error, ...).
    Other,
}

impl TransportFault {
    /// Whether the same request may succeed on a fresh attempt. Whether it may *safely* be
    /// sent again depends on the method and the idempotency key; the engine decides that.
    pub(crate) fn is_transient(self) -> bool {
        matches!(
            self,
            Self::Connect | Self::ConnectionLost | Self::BodyCutShort | Self::TimedOut
        )
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "could not connect",
            Self::ConnectionLost => "the connection was lost before the response arrived",
            Self::BodyCutShort => "the response body was cut short",
            Self::TimedOut => "no answer within the attempt's timeout",
            Self::DeadlineExceeded => "the call's deadline passed",
            Self::Other => "the transport failed",
        }
    }
}

/// A failure below HTTP: its [`TransportFault`], what happened, and the underlying error as
/// [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct TransportError {
    fault: TransportFault,
    detail: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl TransportError {
    /// What kind of failure this is.
    pub fn fault(&self) -> TransportFault {
        self.fault
    }

    /// For a deadline failure, the failure of the attempt before it (an error answer whose
    /// retry the deadline cut, a timed-out attempt, ...), if there was one: the same error
    /// [`source`](std::error::Error::source) leads to.
    pub fn last_failure(&self) -> Option<&super::Error> {
        if self.fault != TransportFault::DeadlineExceeded {
            return None;
        }
        self.source.as_deref()?.downcast_ref::<super::Error>()
    }

    /// A deadline failure: `why` says which wait or attempt would have passed it; `last` is
    /// the failure of the previous attempt, if any, kept as the source.
    pub(crate) fn deadline(why: String, last: Option<super::Error>) -> Self {
        Self {
            fault: TransportFault::DeadlineExceeded,
            detail: why,
            source: last.map(|e| Box::new(e) as Box<dyn StdError + Send + Sync>),
        }
    }

    /// Classifies a reqwest failure by walking its chain of causes.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        // reqwest's Display can include the URL; the key never travels in the URL unless an
        // API declares a query-placed key, so strip the URL to be sure it is never printed.
        let err = err.without_url();
        let fault = classify(&err);
        let detail = root_cause(&err);
        Self {
            fault,
            detail,
            source: Some(Box::new(err)),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fault {
            // A deadline's detail is a whole sentence of its own (which wait, which deadline).
            TransportFault::DeadlineExceeded => f.write_str(&self.detail),
            fault => write!(f, "{} ({})", fault.describe(), self.detail),
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

fn classify(err: &reqwest::Error) -> TransportFault {
    if err.is_timeout() {
        return TransportFault::TimedOut;
    }
    if err.is_connect() {
        return TransportFault::Connect;
    }
    let mut cause: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(e) = cause {
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            // Closed before the head of the response, or before the request could be sent
            // on a pooled connection that turned out to be dead.
            if h.is_incomplete_message() || h.is_canceled() || h.is_closed() {
                return TransportFault::ConnectionLost;
            }
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            match io.kind() {
                io::ErrorKind::UnexpectedEof if err.is_body() || err.is_decode() => {
                    return TransportFault::BodyCutShort;
                }
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof => return TransportFault::ConnectionLost,
                _ => {}
            }
        }
        cause = e.source();
    }
    TransportFault::Other
}

/// The innermost cause's message: the part of a chain that says what actually happened.
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}
