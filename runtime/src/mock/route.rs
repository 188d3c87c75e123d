//! Which documented operation a request is for: its method and a path that fits the
//! operation's template, with the template's parameters read out of the path.

use percent_encoding::percent_decode_str;
use std::fmt;

/// A documented operation, as generated code describes it to the stub server.
#[derive(Debug, PartialEq, Eq)]
pub struct Operation {
    /// The operation id (the document's `operationId`, or the generated method's name).
    pub id: &'static str,
    /// The HTTP method (`GET`).
    pub method: &'static str,
    /// The path template (`/accounts/{id}`).
    pub path: &'static str,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operation `{}`: {} {}", self.id, self.method, self.path)
    }
}

impl Operation {
    /// The operation `id`, answered for `method` on paths that fit the template `path`.
    pub const fn new(id: &'static str, method: &'static str, path: &'static str) -> Self {
        Self { id, method, path }
    }

    /// The template's parameters read from `path` (percent-decoded), or `None` when the
    /// method differs or the path does not fit the template.
    pub(crate) fn route(&self, method: &str, path: &str) -> Option<Vec<(String, String)>> {
        let raw = self.route_raw(method, path)?;
        Some(
            raw.into_iter()
                .map(|(name, value)| {
                    let decoded = percent_decode_str(value).decode_utf8_lossy().into_owned();
                    (name.to_owned(), decoded)
                })
                .collect(),
        )
    }

    /// The template's parameters read from `path` as sent, still percent-encoded (a value
    /// split by its style is split before it is decoded).
    pub(crate) fn route_raw<'p>(
        &self,
        method: &str,
        path: &'p str,
    ) -> Option<Vec<(&str, &'p str)>> {
        if !self.method.eq_ignore_ascii_case(method) {
            return None;
        }
        let template: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
        if template.len() != actual.len() {
            return None;
        }
        let mut params = Vec::new();
        for (t, a) in template.iter().zip(actual) {
            match segment_param(t) {
                None if *t == a => {}
                None => return None,
                Some((prefix, name, suffix)) => {
                    let value = a.strip_prefix(prefix)?.strip_suffix(suffix)?;
                    if value.is_empty() {
                        return None;
                    }
                    params.push((name, value));
                }
            }
        }
        Some(params)
    }
}

/// `pre{name}post` -> (`pre`, `name`, `post`); `None` for a literal segment.
fn segment_param(segment: &str) -> Option<(&str, &str, &str)> {
    let open = segment.find('{')?;
    let close = open + segment[open..].find('}')?;
    Some((
        &segment[..open],
        &segment[open + 1..close],
        &segment[close + 1..],
    ))
}

/// The operation `method path` belongs to, preferring the template with the most literal
/// segments (`/accounts/me` over `/accounts/{id}`).
pub(crate) fn find(
    operations: &'static [Operation],
    method: &str,
    path: &str,
) -> Option<(&'static Operation, Vec<(String, String)>)> {
    operations
        .iter()
        .filter_map(|op| op.route(method, path).map(|params| (op, params)))
        .min_by_key(|(_, params)| params.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_read_raw_or_decoded() {
        let op = Operation::new("get", "GET", "/items/{ids}/v{n}");
        assert_eq!(
            op.route_raw("get", "/items/a%2Cb,c/v2"),
            Some(vec![("ids", "a%2Cb,c"), ("n", "2")])
        );
        assert_eq!(
            op.route("GET", "/items/a%2Cb,c/v2"),
            Some(vec![
                ("ids".into(), "a,b,c".into()),
                ("n".into(), "2".into())
            ])
        );
        assert_eq!(op.route("POST", "/items/a/v2"), None);
        assert_eq!(op.route("GET", "/items/a/x2"), None);
    }
}
