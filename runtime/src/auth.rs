//! API keys: validated once, placed on every request, never printed.

use super::error::Error;
use std::fmt;

/// Where the key travels on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthPlacement {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// A header of its own, e.g. `X-API-KEY: <key>`.
    Header(String),
    /// A query parameter, for APIs that declare `apiKey` `in: query`.
    Query(String),
}

/// A secret API key. Its `Debug` and `Display` show only a redacted marker.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Validates a key: not empty, no whitespace, no control characters.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key = key.into();
        if key.is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if let Some(pos) = key
            .chars()
            .position(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::Config(format!(
                "the API key contains whitespace or a control character at position {pos}"
            )));
        }
        Ok(Self(key))
    }

    /// The key itself, for the transport only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key starts with `prefix`, without exposing it.
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
