//! Per-group Cargo features: a generated crate can compile only the resource groups its user
//! enables. Every operation belongs to one feature ([`Operation::feature`]: its tag, or the
//! first resource segment of its path when it has none), so the names follow the document's
//! words, never its order; `full` enables them all and is the default. A module whose
//! operations share one feature is gated whole; in a module that mixes several (the untagged
//! operations of a document all land in one module), each method and builder is gated with
//! its own. A type is compiled when any feature whose operations reach it is on (up to
//! [`MAX_FEATURES_PER_TYPE`] of them); a type more features share, or that a webhook names,
//! stays available whatever is enabled; a type no operation reaches comes with `full`.
//! Emitters gate their items with [`group_cfg`] and [`operation_cfg`].

use crate::ir::{BodyKind, Model, Operation, Success, Ty, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// From this many operations (and two features) up, `GroupFeatures::Auto` splits a crate.
/// A generated crate checks at roughly 20 to 50 ms per operation on the benchmark machine
/// (BENCHMARKS.md), so below this a whole crate checks in a few seconds and the features would
/// only add noise to its manifest; above it, a user who needs a few groups saves most of it.
pub const GROUP_FEATURE_THRESHOLD: usize = 250;

/// Feature names Cargo or the generator already gives a meaning to.
const RESERVED: [&str; 5] = ["default", "full", "mock", "serde", "std"];

/// The Cargo feature of an operation: [`Operation::feature`], with a `-group` suffix when
/// Cargo or the generator already uses the name.
pub fn feature_name(op: &Operation) -> String {
    let raw = op.feature.as_str();
    if RESERVED.contains(&raw) {
        format!("{raw}-group")
    } else {
        raw.to_owned()
    }
}

/// Every feature of the model, sorted.
pub fn all_features(model: &Model) -> Vec<String> {
    let set: BTreeSet<String> = model.operations.iter().map(feature_name).collect();
    set.into_iter().collect()
}

/// The features of group `gi`'s operations, sorted.
fn group_features(model: &Model, gi: usize) -> Vec<String> {
    let set: BTreeSet<String> = (model.operations.iter())
        .filter(|o| o.group == gi)
        .map(feature_name)
        .collect();
    set.into_iter().collect()
}

/// Whether a model is worth splitting under `GroupFeatures::Auto`.
pub(crate) fn worth_splitting(model: &Model) -> bool {
    model.operations.len() >= GROUP_FEATURE_THRESHOLD && all_features(model).len() > 1
}

fn cfg_any(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `#[cfg(...)]` for an item of group `gi` (its module, its accessor, a stub standing in for
/// it): compiled when any of the group's features is on. Nothing when the crate is not split.
pub fn group_cfg(model: &Model, gi: usize, split: bool) -> TokenStream {
    if !split {
        return quote!();
    }
    cfg_any(&group_features(model, gi))
}

/// `#[cfg(feature = "...")]` for the items of one operation (its method, builder and
/// enums) when its module mixes features; nothing when the module is gated whole or the crate
/// is not split.
pub fn operation_cfg(model: &Model, op: &Operation, split: bool) -> TokenStream {
    if !split || group_features(model, op.group).len() < 2 {
        return quote!();
    }
    cfg_any(&[feature_name(op)])
}

/// The `[features]` table of a split crate's `Cargo.toml`.
pub fn cargo_features(model: &Model) -> String {
    let names = all_features(model);
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let mut table = format!(
        "[features]\ndefault = [\"full\"]\nfull = [{}]\n",
        quoted.join(", ")
    );
    for n in &names {
        table.push_str(&format!("{n} = []\n"));
    }
    table
}

/// A type reached by at most this many features is compiled when any of them is on; one
/// reached by more is always compiled, so a `#[cfg(any(..))]` never grows into a list of
/// half the crate's features (its cost in lines would outweigh what it saves).
pub const MAX_FEATURES_PER_TYPE: usize = 8;

/// For each type of `model.types` (same order), the `#[cfg]` it is gated with: empty when
/// it stays available whatever is enabled.
pub(crate) fn type_gates(model: &Model) -> Vec<TokenStream> {
    let index = type_index(model);
    // The features that reach each type (sorted, as BTreeMap keys are visited in order).
    let mut reach: Vec<Vec<String>> = vec![Vec::new(); model.types.len()];
    let mut roots_by_feature: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in &model.operations {
        operation_types(op, roots_by_feature.entry(feature_name(op)).or_default());
    }
    for (feature, roots) in roots_by_feature {
        for t in closure(model, &index, roots) {
            reach[t].push(feature.clone());
        }
    }
    // A type any feature that names it may need is gated with all of them: whatever a gated
    // type names, every feature reaching it reaches too, so nothing points at a type its
    // own gate can remove. A type no operation reaches is gated with `full`, which enables
    // every feature, so the same holds; left always compiled, such types (and all they name)
    // made up most of a one-feature build of a large document (Microsoft Graph: 54.5 s, 12.5 s
    // with them behind `full`). Types reached by too many features, and webhook payloads,
    // are always compiled, and so is everything they name. (Response bodies are reached
    // through their operations; the conformance table, which names them all, is only
    // emitted for checks of the whole crate.)
    for r in reach.iter_mut() {
        if r.is_empty() {
            r.push("full".to_owned());
        }
    }
    let always = |r: &Vec<String>| r.len() > MAX_FEATURES_PER_TYPE;
    let mut roots = Vec::new();
    for (i, r) in reach.iter().enumerate() {
        if always(r) {
            roots.push(model.types[i].name.clone());
        }
    }
    for cb in &model.callbacks {
        if let Some(ty) = &cb.payload {
            named(ty, &mut roots);
        }
    }
    for t in closure(model, &index, roots) {
        reach[t].clear();
    }
    reach.iter().map(|r| cfg_any(r)).collect()
}

/// Each type's index in `model.types`, by name.
pub(super) fn type_index(model: &Model) -> HashMap<&str, usize> {
    (model.types.iter().enumerate())
        .map(|(i, t)| (t.name.as_str(), i))
        .collect()
}

/// Every type reachable from `roots` (by name), as indexes into `model.types`.
pub(super) fn closure(
    model: &Model,
    index: &HashMap<&str, usize>,
    roots: Vec<String>,
) -> Vec<usize> {
    let mut seen = vec![false; model.types.len()];
    let mut stack = roots;
    let mut out = Vec::new();
    while let Some(name) = stack.pop() {
        let Some(&i) = index.get(name.as_str()) else {
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        type_references(&model.types[i].kind, &mut stack);
    }
    out
}

/// The named types an operation's inputs and outputs mention.
fn operation_types(op: &Operation, out: &mut Vec<String>) {
    request_types(op, out);
    for case in &op.success {
        if let Success::Json(ty) = &case.body {
            named(ty, out);
        }
    }
    for case in &op.errors {
        if let Some(ty) = &case.body {
            named(ty, out);
        }
    }
    if let Some(p) = &op.pagination {
        named(&p.item_ty, out);
    }
}

/// The named types an operation's request mentions: its parameters and body choices.
pub(super) fn request_types(op: &Operation, out: &mut Vec<String>) {
    for p in &op.params {
        named(&p.ty, out);
    }
    if let Some(body) = &op.body {
        for choice in body.choices() {
            match &choice.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) => named(ty, out),
                BodyKind::Multipart(name) => out.push(name.clone()),
                BodyKind::Bytes | BodyKind::Text => {}
            }
        }
    }
}

/// The named types one type's definition mentions.
fn type_references(kind: &TypeKind, out: &mut Vec<String>) {
    match kind {
        TypeKind::Struct(s) | TypeKind::Multipart(s) => {
            for f in &s.fields {
                named(&f.ty, out);
            }
            if let Some(ty) = &s.additional {
                named(ty, out);
            }
        }
        TypeKind::Enum(_) => {}
        TypeKind::Tagged(t) => {
            for v in &t.variants {
                named(&v.ty, out);
            }
            for f in &t.shared {
                named(&f.ty, out);
            }
        }
        TypeKind::Untagged(u) => {
            for v in &u.variants {
                named(&v.ty, out);
            }
        }
        TypeKind::Alias(ty) => named(ty, out),
    }
}

/// The generated type names inside `ty`.
fn named(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Boxed(i) => named(i, out),
        _ => {}
    }
}

/// Puts `cfg` on every item of `tokens` (one type's struct, impls and macro calls), so the
/// whole type comes and goes with its group. Items that cannot carry attributes (none are
/// emitted today) are left as they are.
pub(crate) fn gate_items(tokens: TokenStream, cfg: &TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return tokens;
    }
    let Ok(file) = syn::parse2::<syn::File>(tokens.clone()) else {
        // Formatting parses the same tokens later and reports the error with its file name.
        return tokens;
    };
    let Ok(attr) = syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg.clone()) else {
        return tokens;
    };
    let items = file.items.into_iter().map(|mut item| {
        if let Some(attrs) = item_attrs(&mut item) {
            attrs.splice(0..0, attr.iter().cloned());
        }
        item
    });
    quote!(#(#items)*)
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::{GroupFeatures, Options, generate};

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      tags: [alpha]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OnlyA'}}}}
  /b:
    get:
      tags: [full]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
  /v2/c:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
components:
  schemas:
    OnlyA: {type: object, properties: {inner: {$ref: '#/components/schemas/InnerA'}}}
    InnerA: {type: object, properties: {x: {type: string}}}
    Shared: {type: object, properties: {y: {type: string}}}
    Unused: {type: object, properties: {a: {$ref: '#/components/schemas/InnerA'}}}
"#;

    fn file(out: &crate::Generated, path: &str) -> String {
        let f = out.files.iter().find(|f| f.path == path);
        f.map(|f| f.contents.clone()).unwrap_or_default()
    }

    /// The `#[cfg]` among the attributes right above the line holding `item`.
    fn item_cfg(types: &str, item: &str) -> Option<String> {
        let lines: Vec<&str> = types.lines().collect();
        let at = lines.iter().position(|l| l.contains(item))?;
        (lines[..at].iter().rev())
            .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
            .find(|l| l.starts_with("#[cfg("))
            .map(|l| l.trim().to_owned())
    }

    #[test]
    fn features_follow_tags_and_paths_and_gate_types_with_the_features_reaching_them() {
        let options = Options {
            group_features: GroupFeatures::On,
            ..Options::default()
        };
        let out = generate(DOC.as_bytes(), &options).unwrap();
        assert!(out.group_features);
        // A tag named like a reserved feature gets a suffix; an untagged path skips `v2`.
        assert_eq!(
            super::all_features(&out.model),
            ["alpha", "c", "full-group"]
        );
        let types = file(&out, "src/generated/types.rs");
        // Reached only by `alpha`; reached by `c` and `full-group`: compiled with either.
        assert_eq!(
            item_cfg(&types, "pub struct OnlyA").as_deref(),
            Some(r#"#[cfg(feature = "alpha")]"#)
        );
        assert_eq!(
            item_cfg(&types, "pub struct Shared").as_deref(),
            Some(r#"#[cfg(any(feature = "c", feature = "full-group"))]"#)
        );
        // Reached by no operation: comes with `full`; what it names keeps its own gate.
        assert_eq!(
            item_cfg(&types, "pub struct Unused").as_deref(),
            Some(r#"#[cfg(feature = "full")]"#)
        );
        assert_eq!(
            item_cfg(&types, "pub struct InnerA").as_deref(),
            Some(r#"#[cfg(feature = "alpha")]"#)
        );
        let root = file(&out, "src/generated/mod.rs");
        assert!(
            root.contains("#[cfg(feature = \"alpha\")]\npub mod alpha;"),
            "{root}"
        );
        let table = super::cargo_features(&out.model);
        assert!(
            table.starts_with(
                "[features]\ndefault = [\"full\"]\nfull = [\"alpha\", \"c\", \"full-group\"]\n"
            ),
            "{table}"
        );
    }

    #[test]
    fn a_group_named_like_the_serde_feature_gets_a_suffix() {
        let doc = DOC.replace("tags: [alpha]", "tags: [serde]");
        let options = Options {
            group_features: GroupFeatures::On,
            ..Options::default()
        };
        let out = generate(doc.as_bytes(), &options).unwrap();
        let table = super::cargo_features(&out.model);
        assert!(table.contains("\nserde-group = []\n"), "{table}");
        assert!(!table.contains("\nserde = []"), "{table}");
    }

    #[test]
    fn auto_splits_only_large_documents() {
        let options = Options {
            group_features: GroupFeatures::Auto,
            ..Options::default()
        };
        let out = generate(DOC.as_bytes(), &options).unwrap();
        assert!(!out.group_features, "3 operations stay one crate");
        let root = file(&out, "src/generated/mod.rs");
        // Only the mock's own feature gates anything.
        let without_mock = root.replace("#[cfg(feature = \"mock\")]", "");
        assert!(!without_mock.contains("cfg(feature"), "{root}");
    }
}
