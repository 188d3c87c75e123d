//! JSON pointers (RFC 6901) and the `$ref` URI fragments that carry them: escaping one token,
//! undoing it, turning a local reference into a pointer, and naming what a reference points at.
//! A leaf module: every stage that spells or reads a pointer goes through these functions.

/// Escapes one pointer token (`a/b` -> `a~1b`, `~` -> `~0`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`] on one token. `~1` is replaced before `~0`, so `~01` stays `~1`.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The JSON pointer a local `$ref` (`#/a/b`) names, its URI percent-escapes decoded (a
/// fragment such as `#/paths/~1pets~1%7Bid%7D` is the pointer `/paths/~1pets~1{id}`).
/// `None` for references to other documents.
pub fn local(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(
        percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The last token of a reference or pointer, percent-decoded and unescaped: the name of the
/// thing it points at (`#/components/schemas/a~1b` -> `a/b`). Empty for an empty reference.
pub fn last_segment(reference: &str) -> String {
    let decoded = local(reference).unwrap_or_else(|| reference.to_owned());
    unescape(decoded.rsplit('/').next().unwrap_or_default())
}

/// The key of a local reference into one section of the document's components
/// (`#/components/schemas/Pet` in section `schemas` -> `Pet`), decoded and unescaped.
/// `None` when the reference points anywhere else, including deeper into a component.
pub fn component_key(reference: &str, section: &str) -> Option<String> {
    let pointer = local(reference)?;
    let rest = pointer
        .strip_prefix("/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    (!rest.contains('/')).then(|| unescape(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        for token in ["a/b", "~", "~1", "a~/b", ""] {
            assert_eq!(unescape(&escape(token)), token);
        }
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(unescape("~01"), "~1");
    }

    #[test]
    fn references_are_uri_fragments() {
        assert_eq!(
            local("#/paths/~1a~1%7Bid%7D/get").as_deref(),
            Some("/paths/~1a~1{id}/get")
        );
        assert_eq!(
            local("#/components/schemas/A").as_deref(),
            Some("/components/schemas/A")
        );
        assert_eq!(local("other.yaml#/A"), None);
    }

    #[test]
    fn last_segments_are_decoded_and_unescaped() {
        assert_eq!(last_segment("#/components/schemas/a~1b"), "a/b");
        assert_eq!(last_segment("#/components/schemas/Big%20Pet"), "Big Pet");
        assert_eq!(last_segment("Pet"), "Pet");
        assert_eq!(last_segment(""), "");
    }

    #[test]
    fn component_keys_only_for_whole_components() {
        assert_eq!(
            component_key("#/components/schemas/Big%20Pet", "schemas").as_deref(),
            Some("Big Pet")
        );
        assert_eq!(
            component_key("#/components/schemas/a~1b", "schemas").as_deref(),
            Some("a/b")
        );
        assert_eq!(
            component_key("#/components/schemas/A/properties/b", "schemas"),
            None
        );
        assert_eq!(component_key("#/components/schemasX/A", "schemas"), None);
        assert_eq!(component_key("#/components/parameters/A", "schemas"), None);
        assert_eq!(
            component_key("other.yaml#/components/schemas/A", "schemas"),
            None
        );
    }
}
