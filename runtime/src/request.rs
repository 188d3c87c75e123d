//! A request as generated code describes it, before it meets the transport.

use super::config::RequestOptions;
use super::error::{Error, Result};
use super::multipart::Part;
use super::query::{self, FormEncoding, ParamStyle};
use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

/// Everything but RFC 3986 unreserved characters is encoded, so a value can never leave its
/// path segment (`/`, `?`, `#` and `%` are all escaped).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One logical API request. Built by generated code; sent by [`Engine::execute`](super::Engine::execute).
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    /// Query-string pairs, already encoded (`name=value`), in the order they were added.
    pub(crate) query: Vec<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) idempotent: bool,
    pub(crate) options: RequestOptions,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Bytes { data: Bytes, content_type: String },
    Multipart(Vec<(String, MultipartField)>),
}

#[derive(Debug, Clone)]
pub(crate) enum MultipartField {
    Text(String),
    Json(String),
    /// Text sent under a content type the document declares for the part.
    Typed {
        text: String,
        content_type: String,
    },
    File(Part),
}

fn invalid(param: &str, message: impl Into<String>) -> Error {
    Error::InvalidRequest {
        param: param.to_owned(),
        message: message.into(),
    }
}

fn to_value(param: &str, value: &impl Serialize) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| invalid(param, e.to_string()))
}

/// `Request::get(path_template)` and its siblings: shorthands for `new`, for the methods
/// reqwest's client has them for (`OPTIONS` and `TRACE` go through `new`; `options` is taken).
macro_rules! method_constructors {
    ($($name:ident $method:ident),*) => {
        $(
            #[doc = concat!("A `", stringify!($method), "` request for `path_template`: `Request::new(Method::", stringify!($method), ", path_template)`.")]
            pub fn $name(path_template: &'static str) -> Self {
                Self::new(Method::$method, path_template)
            }
        )*
    };
}

impl Request {
    /// A request for `path_template` (e.g. `/accounts/{id}`); path parameters fill it in.
    pub fn new(method: Method, path_template: &'static str) -> Self {
        Self {
            method,
            path_template,
            path: path_template.to_owned(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: Body::Empty,
            idempotent: false,
            options: RequestOptions::default(),
        }
    }

    method_constructors!(get GET, put PUT, post POST, delete DELETE, head HEAD, patch PATCH);

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path with parameters filled in and encoded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Fills `{name}` with the percent-encoded value. Empty values and the dot segments `.`
    /// and `..` are refused: they would change which resource the path names.
    pub fn path_param(&mut self, name: &str, value: &impl Serialize) -> Result<()> {
        let text = query::scalar_text(&to_value(name, value)?).unwrap_or_default();
        if text.is_empty() || text == "." || text == ".." {
            return Err(invalid(
                name,
                format!("`{text}` is not a usable path segment"),
            ));
        }
        let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
        Ok(())
    }

    /// Adds a query parameter in OpenAPI's default style (`form`, exploded); `None`/null adds
    /// nothing.
    pub fn query(&mut self, name: &str, value: &impl Serialize) -> Result<()> {
        self.query_param(name, value, ParamStyle::Form, true)
    }

    /// Adds a query parameter in the given OpenAPI style; `None`/null adds nothing.
    pub fn query_param(
        &mut self,
        name: &str,
        value: &impl Serialize,
        style: ParamStyle,
        explode: bool,
    ) -> Result<()> {
        let value = to_value(name, value)?;
        query::encode_query(name, &value, style, explode, &mut self.query)
            .map_err(|m| invalid(name, m))
    }

    /// Adds a header; values with CR, LF or other control characters are refused.
    pub fn header_param(&mut self, name: &str, value: &impl Serialize) -> Result<()> {
        let Some(text) = query::scalar_text(&to_value(name, value)?) else {
            return Ok(());
        };
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid(name, "not a valid header name"))?;
        if text.chars().any(|c| c.is_control() && c != '\t') {
            return Err(invalid(
                name,
                "header values may not contain control characters (CR, LF, ...)",
            ));
        }
        let value = HeaderValue::from_str(&text).map_err(|e| invalid(name, e.to_string()))?;
        self.headers.append(header, value);
        Ok(())
    }

    /// Adds a cookie parameter.
    pub fn cookie_param(&mut self, name: &str, value: &impl Serialize) -> Result<()> {
        if let Some(text) = query::scalar_text(&to_value(name, value)?) {
            if text.contains(';') || text.chars().any(char::is_control) {
                return Err(invalid(
                    name,
                    "cookie values may not contain `;` or control characters (CR, LF, ...)",
                ));
            }
            self.cookies.push((name.to_owned(), text));
        }
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json_body(&mut self, body: &impl Serialize) -> Result<()> {
        self.json_body_as(body, "application/json")
    }

    /// Sets a JSON body under a specific `+json` media type.
    pub fn json_body_as(&mut self, body: &impl Serialize, content_type: &str) -> Result<()> {
        let data = serde_json::to_vec(body).map_err(|e| invalid("body", e.to_string()))?;
        self.body = Body::Bytes {
            data: data.into(),
            content_type: content_type.to_owned(),
        };
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object of fields, each field
    /// encoded the default way: objects in bracket notation (`name[key][sub]=v`, which is how
    /// form-reading servers expect nested fields), arrays as repeated keys, scalars as text.
    pub fn form_body(&mut self, body: &impl Serialize) -> Result<()> {
        self.form_body_with(body, &[])
    }

    /// Like [`form_body`](Self::form_body), with the document's `encoding` of some fields:
    /// a field named in `encodings` is encoded as its entry says (a `style`, or one JSON value),
    /// every other field the default way.
    pub fn form_body_with(
        &mut self,
        body: &impl Serialize,
        encodings: &[(&str, FormEncoding)],
    ) -> Result<()> {
        let value = to_value("body", body)?;
        let Value::Object(map) = &value else {
            return Err(invalid("body", "a form body must be an object of fields"));
        };
        let mut pairs = Vec::new();
        for (key, item) in map {
            let encoding = encodings
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, e)| *e)
                .unwrap_or(if item.is_object() {
                    FormEncoding::Styled(ParamStyle::DeepObject, true)
                } else {
                    FormEncoding::Styled(ParamStyle::Form, true)
                });
            match encoding {
                FormEncoding::Styled(style, explode) => {
                    query::encode(key, item, style, explode, &mut pairs)
                        .map_err(|m| invalid(key, m))?;
                }
                FormEncoding::Json if item.is_null() => {}
                FormEncoding::Json => pairs.push((key.clone(), item.to_string())),
            }
        }
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.extend_pairs(pairs);
        self.body = Body::Bytes {
            data: ser.finish().into_bytes().into(),
            content_type: "application/x-www-form-urlencoded".into(),
        };
        Ok(())
    }

    /// Sets a raw body (`application/octet-stream`, `text/plain`, ...).
    pub fn bytes_body(&mut self, data: impl Into<Bytes>, content_type: &str) {
        self.body = Body::Bytes {
            data: data.into(),
            content_type: content_type.to_owned(),
        };
    }

    fn multipart_fields(&mut self) -> &mut Vec<(String, MultipartField)> {
        if !matches!(self.body, Body::Multipart(_)) {
            self.body = Body::Multipart(Vec::new());
        }
        match &mut self.body {
            Body::Multipart(fields) => fields,
            // Just set above.
            _ => unreachable!("body was set to multipart"),
        }
    }

    /// Adds a plain multipart field: scalars as text, arrays as one part per item, objects JSON-encoded.
    pub fn multipart_field(&mut self, name: &str, value: &impl Serialize) -> Result<()> {
        let value = to_value(name, value)?;
        let fields = self.multipart_fields();
        match value {
            Value::Null => {}
            Value::Array(items) => {
                if items.iter().any(Value::is_null) {
                    return Err(invalid(name, "a list may not contain null items"));
                }
                for item in items {
                    let field = match item {
                        Value::Object(_) | Value::Array(_) => {
                            MultipartField::Json(item.to_string())
                        }
                        other => {
                            MultipartField::Text(query::scalar_text(&other).unwrap_or_default())
                        }
                    };
                    fields.push((name.to_owned(), field));
                }
            }
            Value::Object(_) => {
                fields.push((name.to_owned(), MultipartField::Json(value.to_string())))
            }
            other => fields.push((
                name.to_owned(),
                MultipartField::Text(query::scalar_text(&other).unwrap_or_default()),
            )),
        }
        Ok(())
    }

    /// Adds a multipart field spread over text parts by its `encoding` style, named exactly as
    /// the query-string encoder names query parameters: `deepObject` gives `name[key][sub]`
    /// parts, an exploded `form` array one `name` part per item.
    pub fn multipart_styled(
        &mut self,
        name: &str,
        value: &impl Serialize,
        style: ParamStyle,
        explode: bool,
    ) -> Result<()> {
        let value = to_value(name, value)?;
        let mut pairs = Vec::new();
        query::encode(name, &value, style, explode, &mut pairs).map_err(|m| invalid(name, m))?;
        self.multipart_fields().extend(
            pairs
                .into_iter()
                .map(|(key, text)| (key, MultipartField::Text(text))),
        );
        Ok(())
    }

    /// Adds a multipart field under the content type its `encoding.contentType` declares:
    /// scalars as their text, objects and arrays of objects as JSON text, an array of scalars
    /// one part per item; nothing for `None`.
    pub fn multipart_typed(
        &mut self,
        name: &str,
        value: &impl Serialize,
        content_type: &str,
    ) -> Result<()> {
        let value = to_value(name, value)?;
        let typed = |text: String| MultipartField::Typed {
            text,
            content_type: content_type.to_owned(),
        };
        let text = |value: &Value| match value {
            Value::Object(_) | Value::Array(_) => value.to_string(),
            other => query::scalar_text(other).unwrap_or_default(),
        };
        let fields = self.multipart_fields();
        match &value {
            Value::Null => {}
            Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                if items.iter().any(Value::is_null) {
                    return Err(invalid(name, "a list may not contain null items"));
                }
                fields.extend(items.iter().map(|i| (name.to_owned(), typed(text(i)))));
            }
            other => fields.push((name.to_owned(), typed(text(other)))),
        }
        Ok(())
    }

    /// Adds a multipart field encoded as one JSON document (`encoding.contentType: application/json`).
    pub fn multipart_json(&mut self, name: &str, value: &impl Serialize) -> Result<()> {
        let text = serde_json::to_string(value).map_err(|e| invalid(name, e.to_string()))?;
        self.multipart_fields()
            .push((name.to_owned(), MultipartField::Json(text)));
        Ok(())
    }

    /// Adds a file part.
    pub fn multipart_file(&mut self, name: &str, part: &Part) {
        self.multipart_fields()
            .push((name.to_owned(), MultipartField::File(part.clone())));
    }

    /// Marks the operation as taking an idempotency key: one is generated per logical request
    /// (or taken from the options) and sent on every attempt.
    pub fn idempotent(&mut self) {
        self.idempotent = true;
    }

    /// Applies per-request options.
    pub fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    /// The request with these per-request options: how a generated builder's `build` ends.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options(options);
        self
    }
}

impl Body {
    /// Whether every part of the body can be sent again.
    pub(crate) fn is_replayable(&self) -> bool {
        match self {
            Body::Multipart(fields) => fields.iter().all(|(_, f)| match f {
                MultipartField::File(p) => p.is_replayable(),
                _ => true,
            }),
            _ => true,
        }
    }
}

/// The value of a required parameter that is set through a builder's setter (`setter`), or
/// an error naming it when the caller left it unset, before anything is sent.
pub fn require<'a, T>(param: &str, setter: &str, value: &'a Option<T>) -> Result<&'a T> {
    value.as_ref().ok_or_else(|| {
        invalid(
            param,
            format!("required, but not set; set it with `.{setter}(..)` before sending"),
        )
    })
}

/// [`require`] for the common case of a setter named as the parameter itself (`account_id`
/// set with `.account_id(..)`).
pub fn required<'a, T>(param: &str, value: &'a Option<T>) -> Result<&'a T> {
    require(param, param, value)
}

/// A number [`check_range`] can check: the integer and float types parameters are generated
/// as, by value or by reference, and an optional one (`None` is not checked: the parameter
/// is simply not sent). Sealed: the engine decides which types it checks.
pub trait RangeValue: range_value::Sealed {
    /// The value as an `f64`, or `None` when there is nothing to check.
    fn range_value(&self) -> Option<f64>;
}

impl RangeValue for f64 {
    fn range_value(&self) -> Option<f64> {
        Some(*self)
    }
}

impl RangeValue for i64 {
    fn range_value(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl RangeValue for i32 {
    fn range_value(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}

impl<T: RangeValue> RangeValue for Option<T> {
    fn range_value(&self) -> Option<f64> {
        self.as_ref().and_then(RangeValue::range_value)
    }
}

impl<T: RangeValue> RangeValue for &T {
    fn range_value(&self) -> Option<f64> {
        (**self).range_value()
    }
}

mod range_value {
    pub trait Sealed {}
    impl Sealed for f64 {}
    impl Sealed for i64 {}
    impl Sealed for i32 {}
    impl<T: Sealed> Sealed for Option<T> {}
    impl<T: Sealed> Sealed for &T {}
}

/// Refuses a numeric parameter outside the bounds the document declares; an unset optional
/// parameter passes.
pub fn check_range(
    param: &str,
    value: impl RangeValue,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<()> {
    let Some(value) = value.range_value() else {
        return Ok(());
    };
    // NaN compares false with every bound, and would otherwise be sent as nothing at all.
    if value.is_nan() {
        return Err(invalid(param, "NaN is not a number the API accepts"));
    }
    if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
        let bounds = match (min, max) {
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => String::new(),
        };
        return Err(invalid(
            param,
            format!("{value} is out of range; it must be {bounds}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_stay_in_their_segment() {
        let mut req = Request::new(Method::GET, "/accounts/{id}");
        req.path_param("id", &"a/../b?x#y%").unwrap();
        assert_eq!(req.path(), "/accounts/a%2F..%2Fb%3Fx%23y%25");
        for bad in ["", ".", ".."] {
            let mut req = Request::new(Method::GET, "/accounts/{id}");
            assert!(req.path_param("id", &bad).is_err());
        }
    }

    #[test]
    fn ranges_are_checked_on_set_values_only() {
        let unset: Option<i64> = None;
        assert!(check_range("limit", unset, Some(1.0), Some(250.0)).is_ok());
        let held = &Some(250i64);
        assert!(check_range("limit", held, Some(1.0), Some(250.0)).is_ok());
        let err = check_range("limit", Some(251i64), Some(1.0), Some(250.0)).unwrap_err();
        assert!(err.to_string().contains("limit"), "{err}");
        assert!(check_range("limit", 0i32, Some(1.0), None).is_err());
        assert!(check_range("ratio", Some(f64::NAN), None, None).is_err());
    }

    #[test]
    fn an_unset_required_setter_is_named() {
        let unset: Option<String> = None;
        let err = required("account_id", &unset).unwrap_err();
        assert!(err.to_string().contains("`.account_id(..)`"), "{err}");
        let err = require("X-Trace", "x_trace", &unset).unwrap_err();
        assert!(err.to_string().contains("`.x_trace(..)`"), "{err}");
        assert_eq!(required("account_id", &Some(3)).unwrap(), &3);
    }

    #[test]
    fn header_injection_is_refused() {
        let mut req = Request::new(Method::GET, "/");
        assert!(req.header_param("X-Trace", &"a\r\nX-Evil: 1").is_err());
    }
}
