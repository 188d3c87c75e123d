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

    /// Builds the reqwest part, or says what is wrong with it: a MIME type that does not
    /// parse, a file name that cannot travel in `Content-Disposition`, or a stream already
    /// consumed by an earlier attempt. Nothing is ever silently replaced.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Part, String> {
        if let Some(name) = &self.file_name {
            check_file_name(name)?;
        }
        let part = match &self.content {
            PartContent::Bytes(b) => reqwest::multipart::Part::bytes(b.to_vec()),
            PartContent::Stream(slot) => {
                let body = slot
                    .lock()
                    .ok()
                    .and_then(|mut slot| slot.take())
                    .ok_or("a streamed part can only be sent once")?;
                reqwest::multipart::Part::stream(body)
            }
        };
        // Without a name, servers treat the part as a form value rather than a file.
        let part = part.file_name(self.file_name.clone().unwrap_or_else(|| "file".into()));
        let mime = self.mime.as_deref().unwrap_or("application/octet-stream");
        part.mime_str(mime)
            .map_err(|_| format!("`{mime}` is not a valid MIME type"))
    }
}

fn check_file_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the file name is empty".into());
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "the file name {name:?} contains a control character (CR, LF, NUL, ...)"
        ));
    }
    Ok(())
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
