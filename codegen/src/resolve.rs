//! The one way to follow a `$ref`: a [`Resolver`] over the document's raw tree, which every
//! stage asks (the IR for schemas, parameters, bodies and responses; `xtask diff` for raw
//! nodes). It decides where a reference leads; what to do when it leads nowhere is the
//! caller's choice, so failures come back as an [`Unresolved`] to be worded into a warning.

use crate::pointer;
use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;

/// Longest chain of references followed; a longer one is taken for a cycle.
const MAX_LINKS: usize = 32;

/// Follows local references in one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    raw: &'a Value,
}

/// What a reference (or a chain of them) led to.
#[derive(Debug, Clone)]
pub struct Resolved<T> {
    /// The item at the end of the chain.
    pub item: T,
    /// Where it is: the given pointer for an inline item, else the last reference followed.
    pub pointer: String,
    /// The references followed, in order (empty for an inline item).
    pub references: Vec<String>,
}

/// Why a reference could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// Where the reference that failed is written.
    pub pointer: String,
    /// What went wrong.
    pub reason: Reason,
}

/// The ways a reference can fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// It points into another document.
    External(String),
    /// Its pointer names no node.
    Dangling(String),
    /// The node is not the kind of item expected; the decoder's message.
    WrongShape(String, String),
    /// More than `MAX_LINKS` (32) references in a row: a cycle, in practice.
    TooLong,
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Reason::External(r) => write!(f, "external reference `{r}` is not supported"),
            Reason::Dangling(r) => write!(f, "reference `{r}` points at nothing"),
            Reason::WrongShape(r, e) => write!(f, "reference `{r}` has the wrong shape ({e})"),
            Reason::TooLong => write!(
                f,
                "reference chain longer than {MAX_LINKS} links (a cycle?)"
            ),
        }
    }
}

impl<'a> Resolver<'a> {
    /// A resolver over a document's raw tree (after normalisation, for a loaded document).
    pub fn new(raw: &'a Value) -> Self {
        Self { raw }
    }

    /// Follows `item` to an inline item, through any number of references up to a limit.
    /// `pointer` is where `item` itself is written.
    pub fn resolve<T: DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        pointer: &str,
    ) -> Result<Resolved<T>, Unresolved> {
        let mut references = Vec::new();
        let mut at = pointer.to_owned();
        let mut reference = match item {
            ReferenceOr::Item(t) => {
                return Ok(Resolved {
                    item: t.clone(),
                    pointer: at,
                    references,
                });
            }
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        while references.len() < MAX_LINKS {
            let fail = |reason| Unresolved {
                pointer: at.clone(),
                reason,
            };
            let Some(target) = pointer::local(&reference) else {
                return Err(fail(Reason::External(reference)));
            };
            let Some(node) = self.raw.pointer(&target) else {
                return Err(fail(Reason::Dangling(reference)));
            };
            let next = serde_json::from_value::<ReferenceOr<T>>(node.clone())
                .map_err(|e| fail(Reason::WrongShape(reference.clone(), e.to_string())))?;
            references.push(reference.clone());
            at = reference;
            match next {
                ReferenceOr::Item(t) => {
                    return Ok(Resolved {
                        item: t,
                        pointer: at,
                        references,
                    });
                }
                ReferenceOr::Reference { reference: r } => reference = r,
            }
        }
        Err(Unresolved {
            pointer: pointer.to_owned(),
            reason: Reason::TooLong,
        })
    }

    /// The item `item` leads to, or `None`, without reporting anything: for looking at a
    /// shape whose failures are reported where the item is converted.
    pub fn peek<T: DeserializeOwned + Clone>(&self, item: &ReferenceOr<T>) -> Option<T> {
        self.resolve(item, "").ok().map(|r| r.item)
    }

    /// The raw node a local reference (`#/components/schemas/Id`) points at, if any.
    pub fn target(&self, reference: &str) -> Option<&'a Value> {
        self.raw.pointer(&pointer::local(reference)?)
    }

    /// The raw node `node` stands for: itself, or where its `$ref` chain ends. A reference
    /// that leads nowhere stands for itself.
    pub fn follow(&self, node: &'a Value) -> &'a Value {
        let mut node = node;
        for _ in 0..MAX_LINKS {
            let target = node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(pointer::local)
                .and_then(|p| self.raw.pointer(&p));
            match target {
                Some(t) => node = t,
                None => return node,
            }
        }
        node
    }

    /// The entries of one section of `components` (`schemas`, `parameters`, ...), in
    /// document order, as raw nodes.
    pub fn components(&self, section: &str) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.raw
            .get("components")
            .and_then(|c| c.get(section))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openapiv3::Schema;
    use serde_json::json;

    fn schema_ref(r: &str) -> ReferenceOr<Schema> {
        ReferenceOr::Reference {
            reference: r.to_owned(),
        }
    }

    #[test]
    fn follows_chains_and_records_them() {
        let raw = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "Big Pet": {"type": "integer"}
        }}});
        let resolver = Resolver::new(&raw);
        let r = resolver
            .resolve(&schema_ref("#/components/schemas/A"), "#/x")
            .unwrap();
        assert_eq!(r.pointer, "#/components/schemas/B");
        assert_eq!(
            r.references,
            ["#/components/schemas/A", "#/components/schemas/B"]
        );
        assert!(
            resolver
                .peek(&schema_ref("#/components/schemas/Big%20Pet"))
                .is_some()
        );
    }

    #[test]
    fn failures_name_the_reference_and_where_it_is_written() {
        let raw = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}, "n": 5});
        let resolver = Resolver::new(&raw);
        let err = resolver
            .resolve(&schema_ref("#/missing"), "#/here")
            .unwrap_err();
        assert_eq!(err.pointer, "#/here");
        assert_eq!(err.to_string(), "reference `#/missing` points at nothing");
        let err = resolver
            .resolve(&schema_ref("x.yaml#/A"), "#/here")
            .unwrap_err();
        assert!(matches!(err.reason, Reason::External(_)), "{err}");
        let err = resolver.resolve(&schema_ref("#/a"), "#/here").unwrap_err();
        assert_eq!(err.reason, Reason::TooLong);
        let err = resolver.resolve(&schema_ref("#/n"), "#/here").unwrap_err();
        assert!(matches!(err.reason, Reason::WrongShape(..)), "{err}");
    }

    #[test]
    fn raw_nodes_follow_to_their_target() {
        let raw = json!({"a": {"$ref": "#/b"}, "b": {"type": "string"}, "c": {"$ref": "#/gone"}});
        let resolver = Resolver::new(&raw);
        assert_eq!(resolver.follow(&raw["a"]), &json!({"type": "string"}));
        assert_eq!(resolver.follow(&raw["c"]), &raw["c"]);
        assert_eq!(resolver.components("schemas").count(), 0);
    }
}
