//! Decoding one variant of a tagged union. The union's `Deserialize` buffers the object to
//! read its tag first, which cuts the path a decode error would name; this decodes the
//! variant with its own path tracking and carries that path in the message, where
//! [`decode_json`](super::error) joins it back onto the outer path.

use serde::de::DeserializeOwned;

/// Prefix of a message that carries a path relative to the value being decoded.
const AT: &str = "at `";

/// Decodes `value` as `T`; on failure, the error message names the path inside `value`.
#[doc(hidden)]
pub fn decode_variant<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let (path, message) = split_path(&e.path().to_string(), &e.inner().to_string());
        E::custom(format!("{AT}{path}`: {message}"))
    })
}

/// Joins `outer` with a path carried in `message` (if any); returns (path, bare message).
pub(crate) fn split_path(outer: &str, message: &str) -> (String, String) {
    let Some((inner, rest)) = message.strip_prefix(AT).and_then(|m| m.split_once("`: ")) else {
        return (outer.to_owned(), message.to_owned());
    };
    let path = match (outer, inner) {
        (".", inner) => inner.to_owned(),
        (outer, ".") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    };
    (path, rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::split_path;

    #[test]
    fn paths_join() {
        assert_eq!(
            split_path(".", "at `name`: bad"),
            ("name".into(), "bad".into())
        );
        assert_eq!(
            split_path("items[0]", "at `name`: bad"),
            ("items[0].name".into(), "bad".into())
        );
        assert_eq!(
            split_path("a", "at `[2]`: bad"),
            ("a[2]".into(), "bad".into())
        );
        assert_eq!(split_path("a", "plain"), ("a".into(), "plain".into()));
    }
}
