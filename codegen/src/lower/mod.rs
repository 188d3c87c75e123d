//! Document -> [`Model`](crate::ir::Model): every `$ref` followed through the one [`Resolver`], every inline
//! schema named, recursion boxed. One module per concern:
//!
//! - `space`: the type space (names handed out, types defined, shapes deduplicated);
//! - `schemas`: schema -> type conversion (primitives, arrays, maps, objects);
//! - `unions`: `oneOf`/`anyOf` -> enums; `merge`: the object view of `allOf`;
//! - `shapes`: questions asked of one schema (is it null-only, its enum values, its docs);
//! - `operations`, `bodies`, `responses`: operations and their inputs and outputs;
//! - `encoding`: how a multipart property travels (text, JSON or file part), by its resolved schema;
//! - `callbacks`: payloads of the requests the API sends (3.0 callbacks, 3.1 webhooks, the
//!   3.0 `x-webhooks` convention);
//! - `pagination`: cursor pagination; `cycles`: boxing of recursive types;
//! - `constructors`: the arguments of each struct's `new`, in pinned order;
//! - `nullability`: which component schemas admit `null` as a whole, decided before lowering.
//!
//! [`Resolver`]: crate::resolve::Resolver

mod bodies;
mod callbacks;
mod constructors;
mod cycles;
mod encoding;
mod merge;
mod nullability;
mod operations;
mod pagination;
mod responses;
mod schemas;
mod shapes;
mod space;
mod unions;

use crate::diagnostics::Diagnostics;
use crate::ir::{Model, Operation, Ty, TypeDef, TypeKind};
use crate::load::Document;
use crate::options::Dates;
use crate::pins::Names;
use space::TypeSpace;

/// Builds the model from a loaded document.
/// Returns the names chosen, by where their items are.
pub(crate) fn build(
    doc: &Document,
    dates: Dates,
    pins: &Names,
    diags: &mut Diagnostics,
) -> (Model, Names) {
    let mut space = TypeSpace::new(doc, pins, diags);
    space.dates = dates;
    space.multipart_components = bodies::multipart_only_components(&doc.raw);
    space.styles_multipart = doc.styles_multipart();
    space.define_components(diags);
    let (groups, ops) = operations::build(&mut space, doc, diags);
    let callbacks = callbacks::build(&mut space, doc, diags);
    let aliases = std::mem::take(&mut space.pin_aliases);
    let (mut types, schema_types, mut names) = space.finish();
    cycles::break_cycles(&mut types, diags);
    let pin_key = |at: &str| space::pin_key(&aliases, at);
    constructors::order(&mut types, pins, &mut names, &pin_key);
    unions::find_shared_fields(&mut types);
    let error_code = error_code(&types, &ops);
    let info = &doc.api.info;
    let model = Model {
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        server: doc.api.servers.first().map(server_url),
        auth: operations::auth_kind(&doc.api),
        types,
        groups,
        operations: ops,
        callbacks,
        schema_types,
        error_code,
    };
    (model, names)
}

/// The string enum the error answers' codes are typed with: for each documented error answer,
/// the type of its body's `code` field, or of the `code` of its `error` envelope (a union body
/// is searched branch by branch), through aliases; the enum most answers use (the first by
/// name on a tie).
fn error_code(types: &[TypeDef], ops: &[Operation]) -> Option<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for case in ops.iter().flat_map(|op| &op.errors) {
        let mut found = std::collections::BTreeSet::new();
        if let Some(body) = &case.body {
            codes_in(types, body, 0, &mut found);
        }
        for name in found {
            *counts.entry(name).or_default() += 1;
        }
    }
    let most = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .map(|(name, _)| name)
}

/// The string enums typing `code` in an error body of type `ty` (see [`error_code`]).
fn codes_in(
    types: &[TypeDef],
    ty: &Ty,
    depth: usize,
    found: &mut std::collections::BTreeSet<String>,
) {
    if depth > 8 {
        return;
    }
    let name = match ty {
        Ty::Named(n) => n,
        Ty::Option(inner) | Ty::Boxed(inner) => return codes_in(types, inner, depth + 1, found),
        _ => return,
    };
    let Some(def) = types.iter().find(|t| &t.name == name) else {
        return;
    };
    match &def.kind {
        TypeKind::Alias(inner) => codes_in(types, inner, depth + 1, found),
        TypeKind::Enum(_) if depth > 0 => {
            found.insert(def.name.clone());
        }
        TypeKind::Struct(s) => {
            for f in &s.fields {
                match f.wire.as_str() {
                    "code" => {
                        let mut enums = std::collections::BTreeSet::new();
                        codes_in(types, &f.ty, depth + 1, &mut enums);
                        // Only the field's own type: an enum, not a struct holding one.
                        found.extend(enums.into_iter().filter(|e| {
                            (types.iter().find(|t| &t.name == e))
                                .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_)))
                        }));
                    }
                    "error" => codes_in(types, &f.ty, depth + 1, found),
                    _ => {}
                }
            }
        }
        TypeKind::Tagged(u) => {
            for v in &u.variants {
                codes_in(types, &v.ty, depth + 1, found);
            }
        }
        TypeKind::Untagged(u) => {
            for v in &u.variants {
                codes_in(types, &v.ty, depth + 1, found);
            }
        }
        _ => {}
    }
}

/// A server URL with each `{variable}` replaced by its declared default.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    url
}

#[cfg(test)]
mod tests {
    use crate::{Options, generate};

    fn doc(error_schema: &str) -> String {
        r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
          "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"},
            "404": {"description": "no", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Failure"}}}}}}}},
          "components": {"schemas": {"Failure": FAILURE,
            "Code": {"type": "string", "enum": ["gone", "busy"]}}}}"##
            .replace("FAILURE", error_schema)
    }

    fn root_module(doc: &str) -> (Option<String>, String) {
        let generated = generate(doc.as_bytes(), &Options::default()).expect("generates");
        let root = generated
            .files
            .iter()
            .find(|f| f.path == "src/generated/mod.rs");
        (
            generated.model.error_code.clone(),
            root.expect("mod.rs").contents.clone(),
        )
    }

    #[test]
    fn the_error_answers_code_enum_is_the_roots_error_code() {
        let envelope = r##"{"type": "object", "properties": {"error": {"type": "object",
            "properties": {"code": {"$ref": "#/components/schemas/Code"}}}}}"##;
        let (code, root) = root_module(&doc(envelope));
        assert_eq!(code.as_deref(), Some("Code"));
        assert!(root.contains("pub use types::Code as ErrorCode;"), "{root}");
        let plain = r#"{"type": "object", "properties": {"message": {"type": "string"}}}"#;
        let (code, root) = root_module(&doc(plain));
        assert_eq!(code, None);
        assert!(root.contains("pub enum ErrorCode(Unknown) {}"), "{root}");
    }
}
