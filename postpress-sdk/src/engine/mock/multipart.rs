//! Reading a recorded `multipart/form-data` body back into named parts. The whole body is
//! in memory already, so a small parser over it suffices; `httparse` reads each part's headers.

use bytes::Bytes;

/// A recorded multipart body.
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    /// The parts, in the order sent.
    pub parts: Vec<FormPart>,
}

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub struct FormPart {
    /// The field name (`name=` of `Content-Disposition`).
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, when sent.
    pub content_type: Option<String>,
    /// The part's content.
    pub data: Bytes,
}

impl MultipartForm {
    /// The first part named `name`.
    pub fn part(&self, name: &str) -> Option<&FormPart> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// Every part named `name` (a field sent several times, such as a list of files).
    pub fn parts_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FormPart> {
        self.parts.iter().filter(move |p| p.name == name)
    }

    /// The text of the first part named `name`, when it is UTF-8.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.part(name)
            .and_then(|p| std::str::from_utf8(&p.data).ok())
    }
}

/// Splits `body` by the boundary that `content_type` names.
pub(crate) fn parse(content_type: &str, body: &Bytes) -> Result<MultipartForm, String> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or_else(|| format!("the Content-Type `{content_type}` names no boundary"))?;
    let delimiter = format!("--{boundary}");
    let mut form = MultipartForm::default();
    let mut rest =
        after(body, 0, delimiter.as_bytes()).ok_or("the body does not start with the boundary")?;
    loop {
        if body[rest..].starts_with(b"--") {
            return Ok(form);
        }
        let start = rest + skip_line_break(&body[rest..]);
        let closing = format!("\r\n{delimiter}");
        let end = find(&body[start..], closing.as_bytes())
            .map(|i| start + i)
            .ok_or("a part is not closed by the boundary")?;
        form.parts.push(part(&body.slice(start..end))?);
        rest = end + closing.len();
    }
}

fn part(raw: &Bytes) -> Result<FormPart, String> {
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let (offset, headers) = match httparse::parse_headers(raw, &mut headers) {
        Ok(httparse::Status::Complete((offset, headers))) => (offset, headers),
        Ok(httparse::Status::Partial) => return Err("a part's headers are cut short".into()),
        Err(e) => return Err(format!("a part's headers do not parse: {e}")),
    };
    let value = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    let disposition = value("content-disposition").ok_or("a part has no Content-Disposition")?;
    let param = |key: &str| {
        disposition.split(';').map(str::trim).find_map(|p| {
            p.strip_prefix(key)
                .and_then(|v| v.strip_prefix('='))
                .map(|v| v.trim_matches('"').to_owned())
        })
    };
    Ok(FormPart {
        name: param("name").ok_or("a part's Content-Disposition has no name")?,
        file_name: param("filename"),
        content_type: value("content-type"),
        data: raw.slice(offset..),
    })
}

fn skip_line_break(bytes: &[u8]) -> usize {
    if bytes.starts_with(b"\r\n") { 2 } else { 0 }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn after(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    find(&haystack[from..], needle).map(|i| from + i + needle.len())
}
