//! File parts for `multipart/form-data` bodies.

use bytes::Bytes;
use std::fmt;
use std::sync::{Arc, Mutex};

/// A file to upload: bytes (replayable, so the request can be retried) or a stream (sent once;
/// a request carrying a stream is not retried).
#[derive(Clone)]
pub struct Part {
    content: PartContent,
    file_name: Option<String>,
    mime: Option<String>,
}

#[derive(Clone)]
enum PartContent {
    Bytes(Bytes),
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl Part {
    /// A part from bytes in memory.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Self {
            content: PartContent::Bytes(data.into()),
            file_name: None,
            mime: None,
        }
    }

    /// A part from a stream (e.g. `reqwest::Body::wrap_stream(..)` over a file).
    pub fn stream(body: impl Into<reqwest::Body>) -> Self {
        Self {
            content: PartContent::Stream(Arc::new(Mutex::new(Some(body.into())))),
            file_name: None,
            mime: None,
        }
    }

    /// Sets the file name sent in `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's MIME type (default `application/octet-stream`).
    pub fn mime(mut self, mime: impl Into<String>) -> Self {
        self.mime = Some(mime.into());
        self
    }

    /// Whether the part can be sent more than once.
    pub(crate) fn is_replayable(&self) -> bool {
        matches!(self.content, PartContent::Bytes(_))
    }

    /// Builds the reqwest part; `None` when a stream was already consumed by an earlier attempt.
    pub(crate) fn to_reqwest(&self) -> Option<reqwest::multipart::Part> {
        let part = match &self.content {
            PartContent::Bytes(b) => reqwest::multipart::Part::bytes(b.to_vec()),
            PartContent::Stream(slot) => {
                let body = slot.lock().ok()?.take()?;
                reqwest::multipart::Part::stream(body)
            }
        };
        let part = match &self.file_name {
            Some(name) => part.file_name(name.clone()),
            None => part.file_name("file"),
        };
        let mime = self.mime.as_deref().unwrap_or("application/octet-stream");
        // An unparsable MIME type falls back to the default rather than failing the upload.
        Some(match part.mime_str(mime) {
            Ok(p) => p,
            Err(_) => reqwest::multipart::Part::bytes(Vec::new()).file_name("file"),
        })
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, len) = match &self.content {
            PartContent::Bytes(b) => ("bytes", Some(b.len())),
            PartContent::Stream(_) => ("stream", None),
        };
        f.debug_struct("Part")
            .field("kind", &kind)
            .field("len", &len)
            .field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .finish()
    }
}
