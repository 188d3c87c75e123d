//! Receiving webhook deliveries: check the shared secret a delivery carries in a header of the
//! user's choosing, decode its body (JSON or form, sniffed when no `Content-Type` says which)
//! into any type, and derive a key that is equal for redeliveries of the same event.
//!
//! Nothing here knows an API's event names: the payload type is the caller's (for a generated
//! client, the union the document's `callbacks` or `webhooks` describe), and an unknown event
//! stays whatever that type makes of it (its `Unknown` variant, with the raw payload).
//!
//! A *known* event whose fields do not fit is never passed off as unknown: the generated
//! unions let the variant that recognizes a value (a tagged union by a tag value it lists, an
//! object by a property fixed to one value) own its decode error, and that error names the
//! tag property and its value. When they name a property at the payload's root, the receiver
//! reports a [`MalformedEvent`]: the tag, the event, the path that failed and the raw payload.
//!
//! Payloads decode as the client decodes answers ([`Decoding`]): by default a value with one
//! clear reading is repaired (`"chat_id": 123` where text is declared is `"123"`), and one with
//! none is left out at the nearest optional field or list item; each is a [`Departure`] on the
//! [`Delivery`]. A known event is malformed only when what departs cannot be contained (a
//! required field of the event). [`WebhookReceiver::decoding`] makes the receiver strict.

use super::decode::decode_value;
use super::departure::{Decoding, Departure};
use super::variant::Failure;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// The largest body [`WebhookReceiver::parse`] accepts unless told otherwise (1 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// Checks and decodes incoming webhook deliveries. Cheap to clone; share one per endpoint.
#[derive(Clone)]
pub struct WebhookReceiver {
    header: HeaderName,
    secret: Vec<u8>,
    max_body_bytes: usize,
    decoding: Decoding,
}

impl fmt::Debug for WebhookReceiver {
    // The secret is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("header", &self.header)
            .field("secret", &"<redacted>")
            .field("max_body_bytes", &self.max_body_bytes)
            .field("decoding", &self.decoding)
            .finish()
    }
}

/// The body formats a delivery may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryFormat {
    /// A JSON document.
    Json,
    /// `application/x-www-form-urlencoded` pairs; nested keys in bracket notation
    /// (`a[b]=c`) become nested objects, values that hold JSON objects or arrays are decoded.
    Form,
}

/// One checked, decoded delivery.
#[derive(Debug, Clone)]
pub struct Delivery<T> {
    /// The payload, decoded into the caller's type.
    pub event: T,
    /// The payload as JSON, whatever the wire format was.
    pub raw: Value,
    /// How the body was encoded.
    pub format: DeliveryFormat,
    /// Equal for every redelivery of the same payload: use it to process each event once.
    pub key: EventKey,
    /// Where the payload departed from its type and what decoding did about it (empty when it
    /// matched; always empty with [`Decoding::Strict`], which refuses such a payload instead).
    pub departures: Vec<Departure>,
}

/// A delivery of an event the payload type knows, whose fields do not fit that event's type:
/// `{"event": "message_received", "chat_id": 123}` where `chat_id` is a string.
#[derive(Debug, Clone)]
pub struct MalformedEvent {
    /// The property of the payload that names the event (the tag of the union that
    /// recognized it, e.g. `event`).
    pub tag: String,
    /// The event it names, e.g. `message_received`.
    pub event: String,
    /// The JSON path at which decoding failed, e.g. `chat_id`.
    pub path: String,
    /// What went wrong there.
    pub message: String,
    /// The payload as JSON, whatever the wire format was.
    pub raw: Value,
    /// How the body was encoded.
    pub format: DeliveryFormat,
}

impl fmt::Display for MalformedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the delivery's `{}` event (by its `{}`) does not decode at {}: {}",
            self.event, self.tag, self.path, self.message
        )
    }
}

/// What [`WebhookReceiver::parse_lenient`] makes of a delivery's payload: the event, or a known
/// event whose fields do not fit, kept with its error and raw payload rather than refused.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Decoded<T> {
    /// The payload, decoded into the caller's type (an event that type does not know
    /// included, as its `Unknown` variant).
    Event(T),
    /// A known event whose fields do not fit its type.
    Malformed(MalformedEvent),
}

impl<T> Decoded<T> {
    /// The event, unless it was malformed.
    pub fn event(&self) -> Option<&T> {
        match self {
            Decoded::Event(event) => Some(event),
            Decoded::Malformed(_) => None,
        }
    }

    /// What was wrong with a malformed known event.
    pub fn malformed(&self) -> Option<&MalformedEvent> {
        match self {
            Decoded::Event(_) => None,
            Decoded::Malformed(m) => Some(m),
        }
    }

    /// The event, or the error [`WebhookReceiver::parse`] would have returned.
    pub fn into_result(self) -> Result<T, WebhookError> {
        match self {
            Decoded::Event(event) => Ok(event),
            Decoded::Malformed(m) => Err(WebhookError::MalformedEvent(Box::new(m))),
        }
    }
}

/// A stable identity of a payload: the SHA-256 of its canonical JSON (object keys sorted,
/// no insignificant white space), so a redelivery has the same key whatever order or
/// spacing it arrives in, and whether it came as JSON or as a form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventKey(String);

impl EventKey {
    /// The key of a JSON payload.
    pub fn of(payload: &Value) -> Self {
        let mut canonical = String::new();
        write_canonical(payload, &mut canonical);
        let digest = Sha256::digest(canonical.as_bytes());
        Self(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The key as 64 lowercase hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a delivery was refused. Every variant says what was wrong; none carries the secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The receiver was configured wrongly (an invalid header name, an empty secret).
    Config(String),
    /// The delivery lacked the authentication header.
    MissingHeader {
        /// The header that was expected.
        header: String,
    },
    /// The authentication header was present but did not hold the secret.
    WrongSecret {
        /// The header that was checked.
        header: String,
    },
    /// The body was larger than the receiver accepts.
    TooLarge {
        /// The body's size in bytes.
        size: usize,
        /// The configured maximum.
        limit: usize,
    },
    /// The body was neither JSON nor a form, by its `Content-Type` or by its first bytes.
    UnknownFormat {
        /// The `Content-Type` the delivery carried, if any.
        content_type: Option<String>,
    },
    /// The payload names an event the payload type knows (by a tag property at its root),
    /// but its fields do not fit that event's type. [`WebhookReceiver::parse_lenient`] keeps
    /// such a delivery instead.
    MalformedEvent(Box<MalformedEvent>),
    /// The body was in a known format but could not be decoded into the payload type (and
    /// names no event the type knows).
    Body {
        /// The format it was read as.
        format: DeliveryFormat,
        /// The JSON path at which decoding failed (`.` for the root).
        path: String,
        /// What went wrong there.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Config(m) => write!(f, "webhook receiver misconfigured: {m}"),
            WebhookError::MissingHeader { header } => {
                write!(f, "the delivery has no `{header}` header")
            }
            WebhookError::WrongSecret { header } => {
                write!(
                    f,
                    "the delivery's `{header}` header does not hold the secret"
                )
            }
            WebhookError::TooLarge { size, limit } => {
                write!(
                    f,
                    "the delivery's body is {size} bytes, over the limit of {limit}"
                )
            }
            WebhookError::UnknownFormat { content_type } => match content_type {
                Some(ct) => write!(f, "the delivery's body is `{ct}`, neither JSON nor a form"),
                None => write!(
                    f,
                    "the delivery has no Content-Type and its body looks like neither JSON nor a form"
                ),
            },
            WebhookError::MalformedEvent(m) => m.fmt(f),
            WebhookError::Body {
                format,
                path,
                message,
            } => write!(
                f,
                "the delivery's {format:?} body does not decode at {path}: {message}"
            ),
        }
    }
}

impl std::error::Error for WebhookError {}

impl WebhookReceiver {
    /// A receiver that accepts deliveries whose header `header` holds `secret` exactly (the
    /// header and value you set when creating the webhook, e.g. `X-Webhook-Secret`).
    pub fn new(header: &str, secret: impl Into<String>) -> Result<Self, WebhookError> {
        let header = HeaderName::from_bytes(header.as_bytes())
            .map_err(|_| WebhookError::Config(format!("`{header}` is not a valid header name")))?;
        let secret = secret.into().into_bytes();
        if secret.is_empty() {
            return Err(WebhookError::Config("the secret is empty".into()));
        }
        Ok(Self {
            header,
            secret,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            decoding: Decoding::Lenient,
        })
    }

    /// How payloads that depart from their type decode: [`Decoding::Lenient`] (the default,
    /// as for the client's answers: repaired or contained, and recorded in
    /// [`Delivery::departures`]) or [`Decoding::Strict`] (the first departure refuses the
    /// delivery, at the place lenient decoding would have recorded it).
    pub fn decoding(mut self, decoding: Decoding) -> Self {
        self.decoding = decoding;
        self
    }

    /// Refuses bodies larger than `bytes` (default [`DEFAULT_MAX_BODY_BYTES`]).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Checks the authentication header, comparing in constant time.
    pub fn verify(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let name = || self.header.as_str().to_owned();
        let mut values = headers.get_all(&self.header).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            // None, or several: a repeated header is not a credential to guess between.
            return match headers.get(&self.header) {
                None => Err(WebhookError::MissingHeader { header: name() }),
                Some(_) => Err(WebhookError::WrongSecret { header: name() }),
            };
        };
        // `ct_eq` on slices of different lengths answers at once, which reveals only the
        // length; the bytes are compared without an early exit.
        if bool::from(value.as_bytes().ct_eq(&self.secret)) {
            Ok(())
        } else {
            Err(WebhookError::WrongSecret { header: name() })
        }
    }

    /// Verifies the delivery, then decodes its body into `T`. An event `T` does not know
    /// decodes as `T` keeps it (a generated union's `Unknown` variant); a known event whose
    /// fields do not fit is [`WebhookError::MalformedEvent`], naming the event, the path and
    /// keeping the raw payload.
    pub fn parse<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Delivery<T>, WebhookError> {
        let (raw, format) = self.read(headers, body)?;
        let (event, departures) = decode(&raw, format, self.decoding)?;
        let key = EventKey::of(&raw);
        Ok(Delivery {
            event,
            raw,
            format,
            key,
            departures,
        })
    }

    /// [`parse`](Self::parse), but a known event whose fields do not fit is kept rather than
    /// refused: [`Decoded::Malformed`], with the error and the raw payload, for a handler that
    /// would rather log, park or process such an event in part than have it redelivered.
    /// Every other failure (authentication, size, format, a body that names no known event
    /// and does not decode) is still an error.
    ///
    /// This is about what is left after [`decoding`](Self::decoding): with the default
    /// lenient decoding a known event is malformed only when a departure cannot be contained
    /// (a required field of the event); with [`Decoding::Strict`], at its first departure.
    ///
    /// ```
    /// # use openapi_sdkgen_runtime::{HeaderMap, webhook::{Decoded, WebhookReceiver}};
    /// # let receiver = WebhookReceiver::new("X-Auth", "s").unwrap();
    /// # let mut headers = HeaderMap::new();
    /// # headers.insert("x-auth", "s".parse().unwrap());
    /// let delivery = receiver.parse_lenient::<serde_json::Value>(&headers, br#"{"a":1}"#).unwrap();
    /// match delivery.event {
    ///     Decoded::Event(event) => println!("{event:?}"),
    ///     Decoded::Malformed(bad) => eprintln!("{bad}; payload kept: {}", bad.raw),
    ///     _ => {}
    /// }
    /// ```
    pub fn parse_lenient<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Delivery<Decoded<T>>, WebhookError> {
        let (raw, format) = self.read(headers, body)?;
        let (event, departures) = match decode(&raw, format, self.decoding) {
            Ok((event, departures)) => (Decoded::Event(event), departures),
            Err(WebhookError::MalformedEvent(m)) => (Decoded::Malformed(*m), Vec::new()),
            Err(e) => return Err(e),
        };
        let key = EventKey::of(&raw);
        Ok(Delivery {
            event,
            raw,
            format,
            key,
            departures,
        })
    }

    /// Verifies the delivery and reads its body as JSON.
    fn read(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(Value, DeliveryFormat), WebhookError> {
        self.verify(headers)?;
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::TooLarge {
                size: body.len(),
                limit: self.max_body_bytes,
            });
        }
        let format = detect_format(headers, body)?;
        let raw = match format {
            DeliveryFormat::Json => {
                serde_json::from_slice::<Value>(body).map_err(|e| WebhookError::Body {
                    format,
                    path: ".".into(),
                    message: format!("not JSON (line {}, column {}): {e}", e.line(), e.column()),
                })?
            }
            DeliveryFormat::Form => form_to_json(body),
        };
        Ok((raw, format))
    }
}

/// The body's format from its `Content-Type`, or from its first bytes when there is none
/// (webhooks created through the API send none unless told to).
fn detect_format(headers: &HeaderMap, body: &[u8]) -> Result<DeliveryFormat, WebhookError> {
    let content_type = headers.get(CONTENT_TYPE).map(|v| {
        String::from_utf8_lossy(v.as_bytes())
            .trim()
            .to_ascii_lowercase()
    });
    if let Some(ct) = &content_type {
        let essence = ct.split(';').next().unwrap_or_default().trim();
        if essence == "application/json" || essence.ends_with("+json") {
            return Ok(DeliveryFormat::Json);
        }
        if essence == "application/x-www-form-urlencoded" {
            return Ok(DeliveryFormat::Form);
        }
        // `text/plain` and the like: the sender did not say, so look at the body.
        if !essence.starts_with("text/") {
            return Err(WebhookError::UnknownFormat { content_type });
        }
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'{') | Some(b'[') => Ok(DeliveryFormat::Json),
        Some(_) if body.contains(&b'=') && std::str::from_utf8(body).is_ok() => {
            Ok(DeliveryFormat::Form)
        }
        _ => Err(WebhookError::UnknownFormat { content_type }),
    }
}

/// Decodes `raw` into `T` as `decoding` says, naming the path that failed and, when a tag at
/// the payload's root chose the variant that failed, the event.
fn decode<T: DeserializeOwned>(
    raw: &Value,
    format: DeliveryFormat,
    decoding: Decoding,
) -> Result<(T, Vec<Departure>), WebhookError> {
    decode_value(raw, decoding, "delivery").map_err(|mut failure: Failure| {
        let at_root = failure.tags.first().is_some_and(|(tag, value)| {
            raw.get(tag).and_then(Value::as_str) == Some(value.as_str())
        });
        if at_root {
            let (tag, event) = failure.tags.remove(0);
            return WebhookError::MalformedEvent(Box::new(MalformedEvent {
                tag,
                event,
                message: failure.detail(),
                path: failure.path,
                raw: raw.clone(),
                format,
            }));
        }
        WebhookError::Body {
            format,
            message: failure.detail(),
            path: failure.path,
        }
    })
}

/// Form pairs as a JSON object: `a[b][c]=v` nests, `a[]=x&a[]=y` (or a repeated plain key)
/// collects an array, and a value that is itself a JSON object or array is decoded, as senders
/// put nested payload parts into a form that way.
fn form_to_json(body: &[u8]) -> Value {
    let mut root = Map::new();
    for (key, value) in url::form_urlencoded::parse(body) {
        let value = match value.trim_start().as_bytes().first() {
            Some(b'{') | Some(b'[') => {
                serde_json::from_str(&value).unwrap_or(Value::String(value.into_owned()))
            }
            _ => Value::String(value.into_owned()),
        };
        let (path, append) = key_path(&key);
        insert(&mut root, &path, value, append);
    }
    Value::Object(root)
}

/// `a[b][c]` -> (["a", "b", "c"], false); `a[]` -> (["a"], true). Malformed brackets keep the
/// key whole, so nothing the sender wrote is dropped.
fn key_path(key: &str) -> (Vec<String>, bool) {
    let Some(open) = key.find('[') else {
        return (vec![key.to_owned()], false);
    };
    let mut parts = vec![key[..open].to_owned()];
    let mut rest = &key[open..];
    let mut append = false;
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return (vec![key.to_owned()], false);
        };
        let part = &inner[..close];
        rest = &inner[close + 1..];
        if part.is_empty() {
            if !rest.is_empty() {
                return (vec![key.to_owned()], false);
            }
            append = true;
        } else {
            parts.push(part.to_owned());
        }
    }
    if !rest.is_empty() || parts[0].is_empty() {
        return (vec![key.to_owned()], false);
    }
    (parts, append)
}

fn insert(map: &mut Map<String, Value>, path: &[String], value: Value, append: bool) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match map.get_mut(first) {
            Some(Value::Array(items)) => items.push(value),
            // A repeated plain key keeps every value, as an array.
            Some(existing) => {
                let earlier = existing.take();
                *existing = Value::Array(vec![earlier, value]);
            }
            None if append => {
                map.insert(first.clone(), Value::Array(vec![value]));
            }
            None => {
                map.insert(first.clone(), value);
            }
        }
        return;
    }
    let slot = map
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        // `a=1&a[b]=2`: the scalar is kept beside the nested keys under "".
        let scalar = slot.take();
        let mut nested = Map::new();
        nested.insert(String::new(), scalar);
        *slot = Value::Object(nested);
    }
    if let Value::Object(inner) = slot {
        insert(inner, rest, value, append);
    }
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        map
    }

    #[test]
    fn bracket_keys_nest_and_repeat() {
        let raw =
            form_to_json(b"a=1&b[c]=2&b[d][e]=3&l[]=x&l[]=y&r=1&r=2&j=%7B%22k%22%3A1%7D&odd[=5");
        assert_eq!(
            raw,
            json!({"a": "1", "b": {"c": "2", "d": {"e": "3"}}, "l": ["x", "y"], "r": ["1", "2"], "j": {"k": 1}, "odd[": "5"})
        );
    }

    #[test]
    fn key_is_independent_of_order_spacing_and_format() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"y": 2, "x": [1, 2]}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":[1,2],"y":2},"b":1}"#).unwrap();
        assert_eq!(EventKey::of(&a), EventKey::of(&b));
        assert_ne!(EventKey::of(&a), EventKey::of(&json!({"b": 2})));
        let form = form_to_json(b"event=message_received&chat_id=c1");
        let json = json!({"chat_id": "c1", "event": "message_received"});
        assert_eq!(EventKey::of(&form), EventKey::of(&json));
        assert_eq!(EventKey::of(&a).as_str().len(), 64);
    }

    #[test]
    fn secrets_are_checked_and_never_printed() {
        let r = WebhookReceiver::new("X-Webhook-Secret", "s3cret").unwrap();
        assert!(
            r.verify(&headers(&[("x-webhook-secret", "s3cret")]))
                .is_ok()
        );
        assert!(matches!(
            r.verify(&headers(&[])),
            Err(WebhookError::MissingHeader { .. })
        ));
        for wrong in ["s3cre", "s3cret!", "S3CRET", ""] {
            assert!(matches!(
                r.verify(&headers(&[("x-webhook-secret", wrong)])),
                Err(WebhookError::WrongSecret { .. })
            ));
        }
        let twice = headers(&[
            ("x-webhook-secret", "s3cret"),
            ("x-webhook-secret", "s3cret"),
        ]);
        assert!(r.verify(&twice).is_err());
        assert!(!format!("{r:?}").contains("s3cret"));
        assert!(WebhookReceiver::new("bad header", "x").is_err());
        assert!(WebhookReceiver::new("X-Auth", "").is_err());
    }

    #[test]
    fn format_is_sniffed_without_content_type() {
        let h = headers(&[]);
        assert_eq!(
            detect_format(&h, b"  {\"a\":1}").unwrap(),
            DeliveryFormat::Json
        );
        assert_eq!(detect_format(&h, b"a=1&b=2").unwrap(), DeliveryFormat::Form);
        assert!(detect_format(&h, b"hello").is_err());
        assert!(detect_format(&headers(&[("content-type", "image/png")]), b"{}").is_err());
        let text = headers(&[("content-type", "text/plain")]);
        assert_eq!(detect_format(&text, b"{}").unwrap(), DeliveryFormat::Json);
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Sent {
        event: String,
        lives: u8,
        note: Option<u8>,
    }

    #[derive(Debug, PartialEq)]
    enum Event {
        Sent(Sent),
        Other(Value),
    }
    crate::tagged_union!(Event "event" Other { Sent(Sent) = "sent" });

    #[test]
    fn a_known_event_is_malformed_only_where_lenient_decoding_cannot_contain_it() {
        let receiver = WebhookReceiver::new("X-Auth", "s").unwrap();
        let auth = headers(&[("x-auth", "s")]);
        // Repaired and contained, and recorded: the event is read.
        let d = receiver
            .parse::<Event>(&auth, br#"{"event": "sent", "lives": "9", "note": []}"#)
            .unwrap();
        let recorded: Vec<(&str, crate::Repair)> = (d.departures.iter())
            .map(|d| (d.pointer.as_str(), d.repair))
            .collect();
        assert_eq!(
            recorded,
            [
                ("/lives", crate::Repair::NumberFromText),
                ("/note", crate::Repair::LeftOut)
            ]
        );
        let Event::Sent(sent) = d.event else {
            panic!("the known event");
        };
        assert_eq!((sent.lives, sent.note), (9, None));
        // A required field with no reading cannot be contained: the event is malformed, named
        // by the tag that chose it, at the field's path (the tag read back through lenient
        // decoding), and `parse_lenient` keeps it.
        let body = br#"{"event": "sent", "lives": "many"}"#;
        let Err(WebhookError::MalformedEvent(bad)) = receiver.parse::<Event>(&auth, body) else {
            panic!("a malformed event");
        };
        assert_eq!(
            (bad.tag.as_str(), bad.event.as_str(), bad.path.as_str()),
            ("event", "sent", "lives")
        );
        let kept = receiver.parse_lenient::<Event>(&auth, body).unwrap();
        assert_eq!(
            kept.event.malformed().map(|m| m.path.as_str()),
            Some("lives")
        );
        // Strict decoding refuses the first departure, where the lenient pass recorded it.
        let strict = receiver.clone().decoding(Decoding::Strict);
        let Err(WebhookError::MalformedEvent(first)) =
            strict.parse::<Event>(&auth, br#"{"event": "sent", "lives": "9"}"#)
        else {
            panic!("strict refuses");
        };
        assert_eq!(first.path, "lives");
    }
}
