//! Per-group Cargo features: a generated crate can compile only the resource groups its user
//! enables. Every operation belongs to one feature (`Operation::feature`: its tag, or the
//! first resource segment of its path), named after the document's words, never its order;
//! `full` enables them all and is the default. A module whose operations share one feature is
//! gated whole; in a module that mixes several, each method and builder gets its own. A type
//! is compiled when any feature whose operations reach it is on (up to
//! [`MAX_FEATURES_PER_TYPE`]; a type more share is always compiled, one no operation reaches
//! comes with `full`). A callback's payload comes with its operation's feature, webhook
//! payloads with [`WEBHOOKS_FEATURE`].
//!
//! Which gate each item gets is decided once after lowering (the generator's `facts` step);
//! this module states a gate as `#[cfg]` (emitters use `cfg_attr` and `gate_items`) and
//! writes the manifest's `[features]` table.

use crate::ir::Model;
use proc_macro2::TokenStream;
use quote::quote;

pub use crate::facts::{
    GROUP_FEATURE_THRESHOLD, MAX_FEATURES_PER_TYPE, WEBHOOKS_FEATURE, all_features,
};

/// `#[cfg(...)]` for an item with this gate: compiled when any of the features is on;
/// nothing for an empty gate.
pub(crate) fn cfg_attr(gate: &[String]) -> TokenStream {
    match gate {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
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
