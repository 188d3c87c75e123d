//! Reading a recorded `multipart/form-data` body back into named parts, for the validator
//! and for tests.

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

/// Reads `body` into parts by the boundary `content_type` names, with `multer` (the
/// parser axum uses). The body is in memory already, so every future multer makes is ready
/// at once and is run here without an executor.
pub(crate) fn parse(content_type: &str, body: &Bytes) -> Result<MultipartForm, String> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| format!("the Content-Type `{content_type}` names no boundary ({e})"))?;
    let chunks = futures_util::stream::iter([Ok::<Bytes, std::convert::Infallible>(body.clone())]);
    let mut multipart = multer::Multipart::new(chunks, boundary);
    let read = async {
        let mut form = MultipartForm::default();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field
                .name()
                .map(str::to_owned)
                .ok_or("a part's Content-Disposition has no name")?;
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let data = field.bytes().await.map_err(|e| e.to_string())?;
            form.parts.push(FormPart {
                name,
                file_name,
                content_type,
                data,
            });
        }
        Ok(form)
    };
    futures_util::FutureExt::now_or_never(read).unwrap_or_else(|| {
        Err("the multipart parser waited for more of a body it has whole".into())
    })
}
