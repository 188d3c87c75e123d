//! Names pinned by the caller: a table from where an item is in the document to the Rust
//! name it had last time. A pinned item keeps its name whatever its `operationId`, title or
//! tag becomes; items not in the table are named from the document as usual, and every name
//! chosen is reported back so the caller can pin new items on the next run.

use crate::ir::HttpMethod;
use std::collections::BTreeMap;

/// The group (module) and method an operation is reached through.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MethodName {
    /// The resource group's module (`accounts`).
    pub group: String,
    /// The method on that group (`list`).
    pub method: String,
}

/// A name table, both as read (pins) and as reported (the names a run chose).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Operation key (see [`operation_key`]) -> group and method.
    pub operations: BTreeMap<String, MethodName>,
    /// JSON pointer of a schema (component or inline) -> Rust type name. Inside an inline
    /// union branch, the branch's position in the pointer is replaced by its identity
    /// (`#/components/schemas/A/oneOf ~ title=Card/properties/brand`), so reordering the
    /// branches renames nothing.
    pub types: BTreeMap<String, String>,
    /// A union's variant -> its Rust name. A variant referencing a schema is keyed by the
    /// union's `oneOf`/`anyOf` and that schema (`#/components/schemas/A/oneOf ->
    /// #/components/schemas/B`); an inline one by what it is (`…/oneOf ~ title=Card`, else
    /// `~ kind=card` for a property with one fixed value, else `~ {a,b}` for its property
    /// names, else `~ string` for its type), or by its position where two branches of one
    /// union would share an identity. Keys by position from earlier runs are still read.
    pub variants: BTreeMap<String, String>,
    /// JSON pointer of an object schema -> the wire names of its constructor's arguments, in
    /// the order `new` takes them (types whose constructor takes two or more). A pinned
    /// order is kept whatever order `properties` or `required` list them in; a field that
    /// becomes required is added at the end, one no longer required is dropped.
    pub constructors: BTreeMap<String, Vec<String>>,
}

/// The key an operation is pinned under: its method in upper case and its path
/// (`GET /accounts/{id}`).
pub fn operation_key(method: HttpMethod, path: &str) -> String {
    format!("{} {path}", method.key().to_ascii_uppercase())
}
