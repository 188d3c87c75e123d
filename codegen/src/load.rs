//! Bytes -> `openapiv3::OpenAPI`, JSON or YAML detected from the content, 3.1 normalised to 3.0.

use crate::diagnostics::{Diagnostics, Error};
use crate::normalize;
use crate::pointer;
use crate::repair;
use crate::resolve::Resolver;
use serde_json::Value;

/// A loaded document: the typed model plus the raw tree (for pointer-based `$ref`s).
#[derive(Debug, Clone)]
pub struct Document {
    /// The typed document.
    pub api: openapiv3::OpenAPI,
    /// The normalised raw tree the typed document was read from.
    pub raw: Value,
    /// The `openapi` version the document declares, as written: a 3.1 document is lowered to
    /// 3.0 shapes, but a few rules (multipart `style`) differ between the two.
    pub version: String,
}

impl Document {
    /// Whether the document is OpenAPI 3.1 or later, where `encoding.style` applies to
    /// `multipart/form-data` bodies too (3.0 defines it for form bodies only).
    pub fn styles_multipart(&self) -> bool {
        let mut numbers = self
            .version
            .split('.')
            .map(|n| n.trim().parse::<u32>().ok());
        match (numbers.next().flatten(), numbers.next().flatten()) {
            (Some(3), Some(minor)) => minor >= 1,
            (Some(major), _) => major > 3,
            _ => false,
        }
    }

    /// The resolver for this document's references.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver::new(&self.raw)
    }
}

/// Parses bytes into a raw tree; JSON when the first non-blank byte is `{` or `[`, YAML otherwise.
pub fn parse_value(bytes: &[u8]) -> Result<Value, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        serde_json::from_slice(bytes).map_err(|e| Error::Syntax {
            format: "JSON",
            location: format!("line {}, column {}", e.line(), e.column()),
            message: e.to_string(),
        })
    } else {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::Syntax {
            format: "YAML",
            location: format!("byte offset {}", e.valid_up_to()),
            message: "the document is not UTF-8".into(),
        })?;
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| Error::Syntax {
            format: "YAML",
            location: e
                .location()
                .map(|l| format!("line {}, column {}", l.line(), l.column()))
                .unwrap_or_else(|| "unknown position".into()),
            message: e.to_string(),
        })?;
        yaml_to_json(yaml, "#")
    }
}

/// YAML allows non-string keys and special floats; JSON does not. Keys are stringified and
/// non-finite numbers rejected with the pointer where they occur.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, Error> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| Error::Invalid {
                        pointer: pointer.to_owned(),
                        message: format!("`{f}` is not a JSON number"),
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".into(),
                    other => serde_yaml::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                };
                let child = format!("{pointer}/{}", pointer::escape(&key));
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Loads a document from bytes.
pub fn load(bytes: &[u8], diags: &mut Diagnostics) -> Result<Document, Error> {
    let mut raw = parse_value(bytes)?;
    let version = raw
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if version.is_empty() {
        let message = if raw.get("swagger").is_some() {
            "Swagger 2.0 documents are not supported; convert to OpenAPI 3 first".to_owned()
        } else {
            "no `openapi` version field; this is not an OpenAPI 3 document".to_owned()
        };
        return Err(Error::Invalid {
            pointer: "#/openapi".into(),
            message,
        });
    }
    if !version.starts_with("3.") {
        return Err(Error::Invalid {
            pointer: "#/openapi".into(),
            message: format!("unsupported OpenAPI version `{version}`"),
        });
    }
    let v31 = version.starts_with("3.1");
    if v31 {
        normalize::v31_to_v30(&mut raw, diags);
    }
    repair::repair(&mut raw, v31, diags);
    let api = deserialize(&raw)?;
    Ok(Document { api, raw, version })
}

/// Stack for decoding the document: `openapiv3`'s `$ref`-or-schema enums are untagged, and
/// serde buffers every level of such a schema again, so a document nested as deep as the
/// parser allows (128 levels) needs far more than a default thread's stack in debug builds.
/// Only the pages actually used are committed.
pub(crate) const DECODE_STACK: usize = 512 << 20;

/// Name of the threads [`with_stack`] starts.
const DEEP_THREAD: &str = "codegen-deep";

fn deserialize(raw: &Value) -> Result<openapiv3::OpenAPI, Error> {
    with_stack(DECODE_STACK, || decode_document(raw))
}

/// Runs `f` on a thread with a `size`-byte stack (on this thread when none can be started),
/// so recursion that follows the document's nesting cannot overflow. Panics propagate.
pub(crate) fn with_stack<T: Send>(size: usize, f: impl Fn() -> T + Sync) -> T {
    // Already on such a thread (`generate` runs its whole pipeline on one): no second hop.
    if std::thread::current().name() == Some(DEEP_THREAD) {
        return f();
    }
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name(DEEP_THREAD.into())
            .stack_size(size)
            .spawn_scoped(scope, &f)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => f(),
        }
    })
}

fn decode_document(raw: &Value) -> Result<openapiv3::OpenAPI, Error> {
    serde_path_to_error::deserialize(raw).map_err(|e| {
        let pointer = segments_to_pointer("#", e.path());
        let message = e.inner().to_string();
        narrow(raw, &pointer).unwrap_or(Error::Invalid { pointer, message })
    })
}

/// `$ref`-or-value entries are untagged enums, which hide where inside an entry decoding
/// failed (the error stops at `#/paths`). Decoding the entries of the usual maps one by one,
/// each as its concrete type, finds the deeper place.
fn narrow(raw: &Value, pointer: &str) -> Option<Error> {
    fn entries<T: serde::de::DeserializeOwned>(raw: &Value, at: &str) -> Option<Error> {
        let map = raw.pointer(at.trim_start_matches('#'))?.as_object()?;
        map.iter()
            .filter(|(_, v)| v.get("$ref").is_none())
            .find_map(|(key, v)| {
                let e = serde_path_to_error::deserialize::<_, T>(v).err()?;
                let base = format!("{at}/{}", pointer::escape(key));
                Some(Error::Invalid {
                    pointer: segments_to_pointer(&base, e.path()),
                    message: e.inner().to_string(),
                })
            })
    }
    let found = match pointer {
        p if p.starts_with("#/paths") => entries::<openapiv3::PathItem>(raw, "#/paths"),
        p if p.starts_with("#/components/schemas") => {
            entries::<openapiv3::Schema>(raw, "#/components/schemas")
        }
        p if p.starts_with("#/components/parameters") => {
            entries::<openapiv3::Parameter>(raw, "#/components/parameters")
        }
        p if p.starts_with("#/components/responses") => {
            entries::<openapiv3::Response>(raw, "#/components/responses")
        }
        p if p.starts_with("#/components/requestBodies") => {
            entries::<openapiv3::RequestBody>(raw, "#/components/requestBodies")
        }
        _ => None,
    }?;
    // Only a deeper place is an improvement.
    match &found {
        Error::Invalid { pointer: p, .. } if p.len() > pointer.len() => Some(found),
        _ => None,
    }
}

/// A JSON pointer from serde_path_to_error's segments, appended to `base`.
fn segments_to_pointer(base: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = base.to_owned();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('/');
                out.push_str(&pointer::escape(key));
            }
            Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_agree() {
        let json = br#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#;
        let yaml = b"openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";
        assert_eq!(parse_value(json).unwrap(), parse_value(yaml).unwrap());
    }

    #[test]
    fn errors_name_their_place() {
        let err = load(
            b"{\"openapi\": \"3.0.0\", \"info\": 5, \"paths\": {}}",
            &mut Diagnostics::default(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("#/info"), "{err}");
        let err = load(b"{\"openapi\": ", &mut Diagnostics::default()).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn pointers_reach_into_untagged_entries() {
        let err = load(
            b"{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a.b/c\": {\"get\": {\"responses\": 7}}}}",
            &mut Diagnostics::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("#/paths/~1a.b~1c/get/responses"),
            "{err}"
        );
    }
}
