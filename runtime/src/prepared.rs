//! A request turned into what goes on the wire: URL, headers and body, built and checked once
//! per logical call, before any wait and before anything is sent, then reused by every attempt.

use super::auth::AuthPlacement;
use super::config::EngineConfig;
use super::error::{Error, Result};
use super::query;
use super::request::{Body, MultipartField, Request};
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue};
use std::time::Duration;

/// The wire form of one logical request.
pub(crate) struct PreparedRequest {
    method: reqwest::Method,
    url: url::Url,
    headers: HeaderMap,
    body: Body,
    /// The first attempt's multipart form: built while preparing so that a bad part is refused
    /// before anything is sent; later attempts build their own.
    first_form: Option<reqwest::multipart::Form>,
}

/// Headers every request of an engine carries, checked when the engine is built.
pub(crate) struct FixedHeaders {
    pub(crate) headers: HeaderMap,
    pub(crate) idempotency: HeaderName,
}

impl PreparedRequest {
    /// Builds the URL and headers of `req` (taking its body and headers, not copying them);
    /// any caller value that cannot go on the wire as given is an [`Error::InvalidRequest`].
    pub(crate) fn new(
        config: &EngineConfig,
        fixed: &FixedHeaders,
        req: &mut Request,
        idempotency_key: Option<&str>,
    ) -> Result<Self> {
        let url = url_for(config, req)?;
        let mut headers = std::mem::take(&mut req.headers);
        for (name, value) in fixed.headers.iter() {
            headers.insert(name, value.clone());
        }
        if let Some(key) = idempotency_key {
            let value = HeaderValue::from_str(key).map_err(|_| Error::InvalidRequest {
                param: fixed.idempotency.to_string(),
                message: "the idempotency key is not a valid header value".into(),
            })?;
            headers.insert(fixed.idempotency.clone(), value);
        }
        if !req.cookies.is_empty() {
            headers.insert(COOKIE, cookie_header(&req.cookies)?);
        }
        let body = std::mem::replace(&mut req.body, Body::Empty);
        let mut first_form = None;
        match &body {
            Body::Empty => {}
            Body::Bytes { content_type, .. } => {
                let value =
                    HeaderValue::from_str(content_type).map_err(|_| Error::InvalidRequest {
                        param: "body".into(),
                        message: format!(
                            "the content type `{content_type}` is not a valid header value"
                        ),
                    })?;
                headers.insert(CONTENT_TYPE, value);
            }
            Body::Multipart(fields) => first_form = Some(multipart_form(fields)?),
        }
        Ok(Self {
            method: req.method.clone(),
            url,
            headers,
            body,
            first_form,
        })
    }

    /// Whether every part of the body can be sent again.
    pub(crate) fn is_replayable(&self) -> bool {
        self.body.is_replayable()
    }

    /// The request of one attempt, bounded by `timeout`.
    pub(crate) fn attempt(
        &mut self,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<reqwest::Request> {
        if let Body::Multipart(fields) = &self.body {
            let form = match self.first_form.take() {
                Some(form) => form,
                None => multipart_form(fields)?,
            };
            // The builder computes the boundary header and the length of the form.
            return http
                .request(self.method.clone(), self.url.clone())
                .headers(self.headers.clone())
                .timeout(timeout)
                .multipart(form)
                .build()
                .map_err(Error::from_reqwest);
        }
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        *request.timeout_mut() = Some(timeout);
        if let Body::Bytes { data, .. } = &self.body {
            *request.body_mut() = Some(data.clone().into());
        }
        Ok(request)
    }
}

fn url_for(config: &EngineConfig, req: &Request) -> Result<url::Url> {
    let base = config.base_url.as_str().trim_end_matches('/');
    let mut url = url::Url::parse(&format!("{base}{}", req.path)).map_err(|e| {
        Error::Config(format!(
            "cannot build a URL for `{}`: {e}",
            req.path_template
        ))
    })?;
    let key_in_query = matches!(config.auth, AuthPlacement::Query(_)) && config.api_key.is_some();
    if !req.query.is_empty() || !config.default_query.is_empty() || key_in_query {
        // The pairs are encoded already (a `form` list's delimiting commas stay literal), so
        // the query is joined as text rather than re-encoded pair by pair.
        let mut pairs: Vec<String> = url
            .query()
            .filter(|q| !q.is_empty())
            .map(str::to_owned)
            .into_iter()
            .collect();
        pairs.extend(req.query.iter().cloned());
        pairs.extend(
            config
                .default_query
                .iter()
                .map(|(k, v)| query::query_pair(k, v)),
        );
        if let (Some(key), AuthPlacement::Query(name)) = (&config.api_key, &config.auth) {
            pairs.push(query::query_pair(name, key.expose()));
        }
        url.set_query(Some(&pairs.join("&")));
    }
    Ok(url)
}

/// One `Cookie` header for all cookie parameters; a value that cannot be a header is refused
/// with the cookie's name rather than the whole header being dropped.
fn cookie_header(cookies: &[(String, String)]) -> Result<HeaderValue> {
    for (name, value) in cookies {
        HeaderValue::from_str(&format!("{name}={value}")).map_err(|_| Error::InvalidRequest {
            param: name.clone(),
            message: "the cookie value is not a valid header value".into(),
        })?;
    }
    let joined: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    HeaderValue::from_str(&joined.join("; ")).map_err(|_| Error::InvalidRequest {
        param: "cookie".into(),
        message: "the cookies do not make a valid header".into(),
    })
}

fn multipart_form(fields: &[(String, MultipartField)]) -> Result<reqwest::multipart::Form> {
    let mut form = reqwest::multipart::Form::new();
    for (name, field) in fields {
        let part = match field {
            MultipartField::Text(t) => reqwest::multipart::Part::text(t.clone()),
            MultipartField::Json(t) => reqwest::multipart::Part::text(t.clone())
                .mime_str("application/json")
                .map_err(Error::from_reqwest)?,
            MultipartField::Typed { text, content_type } => {
                reqwest::multipart::Part::text(text.clone())
                    .mime_str(content_type)
                    .map_err(|_| Error::InvalidRequest {
                        param: name.clone(),
                        message: format!("`{content_type}` is not a valid MIME type"),
                    })?
            }
            MultipartField::File(p) => p.to_reqwest().map_err(|message| Error::InvalidRequest {
                param: name.clone(),
                message,
            })?,
        };
        form = form.part(name.clone(), part);
    }
    Ok(form)
}
