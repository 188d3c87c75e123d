//! The object view of a schema: its properties, required names and additional properties,
//! with `allOf` branches (and `$ref`s inside them) merged in order.

use super::space::MAX_DEPTH;
use crate::diagnostics::Diagnostics;
use crate::pointer;
use crate::resolve::Resolver;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// Properties of an object schema after merging.
#[derive(Debug, Clone, Default)]
pub(super) struct ObjectView {
    /// Property name -> (schema, pointer), in first-seen order.
    pub properties: IndexMap<String, (ReferenceOr<Schema>, String)>,
    /// Required property names.
    pub required: Vec<String>,
    /// Declared additional properties.
    pub additional: Option<AdditionalProperties>,
    /// Whether the schema describes an object at all.
    pub is_object: bool,
}

/// Builds the object view of `schema`. Conflicting definitions of one property are resolved in
/// favour of the later `allOf` branch and reported.
pub(super) fn object_view(
    resolver: &Resolver<'_>,
    schema: &Schema,
    pointer: &str,
    depth: usize,
    diags: &mut Diagnostics,
) -> ObjectView {
    let mut view = ObjectView::default();
    collect(resolver, schema, pointer, depth, diags, &mut view);
    view
}

fn add_props<'p>(
    view: &mut ObjectView,
    props: impl Iterator<Item = (&'p String, &'p ReferenceOr<Box<Schema>>)>,
    required: &[String],
    pointer: &str,
    diags: &mut Diagnostics,
) {
    view.is_object = true;
    for (name, prop) in props {
        let prop = prop.clone().unbox();
        let at = format!("{pointer}/properties/{}", pointer::escape(name));
        if let Some((existing, _)) = view.properties.get(name)
            && existing != &prop
        {
            diags.warn(
                &at,
                format!("`allOf` branches disagree on property `{name}`; the later one wins"),
            );
        }
        view.properties.insert(name.clone(), (prop, at));
    }
    for r in required {
        if !view.required.contains(r) {
            view.required.push(r.clone());
        }
    }
}

fn collect(
    resolver: &Resolver<'_>,
    schema: &Schema,
    pointer: &str,
    depth: usize,
    diags: &mut Diagnostics,
    view: &mut ObjectView,
) {
    if depth > MAX_DEPTH {
        diags.warn(
            pointer,
            "`allOf` nesting is too deep; remaining branches ignored",
        );
        return;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            add_props(view, o.properties.iter(), &o.required, pointer, diags);
            if o.additional_properties.is_some() {
                view.additional = o.additional_properties.clone();
            }
        }
        SchemaKind::AllOf { all_of } => branches(resolver, all_of, pointer, depth, diags, view),
        SchemaKind::Any(any) => {
            add_props(view, any.properties.iter(), &any.required, pointer, diags);
            if !(any.properties.is_empty() && any.typ.as_deref() != Some("object")) {
                view.is_object = true;
            }
            if any.additional_properties.is_some() {
                view.additional = any.additional_properties.clone();
            }
            branches(resolver, &any.all_of, pointer, depth, diags, view);
        }
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
            diags.warn(pointer, "a union inside `allOf` cannot be merged into one struct; its properties are left out");
        }
        _ => {}
    }
}

fn branches(
    resolver: &Resolver<'_>,
    all_of: &[ReferenceOr<Schema>],
    pointer: &str,
    depth: usize,
    diags: &mut Diagnostics,
    view: &mut ObjectView,
) {
    for (i, branch) in all_of.iter().enumerate() {
        let at = format!("{pointer}/allOf/{i}");
        match resolver.resolve(branch, &at) {
            Ok(r) => collect(resolver, &r.item, &r.pointer, depth + 1, diags, view),
            Err(e) => diags.warn(&e.pointer, format!("{e}; its properties are left out")),
        }
    }
}
