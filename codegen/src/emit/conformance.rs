//! The schema-pointer -> type table a conformance harness needs (emitted only when asked for,
//! see `Options::conformance_table`): for each component schema and JSON response body, the
//! Rust type its instances decode into. The table is a function that hands the type to a
//! `Check` visitor the harness defines beside it, so the generated crate itself gains nothing.

use super::rust_type::{Scope, rust_type};
use crate::diagnostics::Error;
use crate::ir::{Model, Ty, TypeKind};
use quote::quote;

/// Where the table goes in a generated crate: beside the harness's test, not in the library.
pub const TABLE_PATH: &str = "tests/conformance/table.rs";

/// Every schema pointer with the type that decodes it, components first, in document order.
/// Multipart bodies are not JSON and have no entry.
pub fn schema_types(model: &Model) -> Vec<(String, Ty)> {
    let recorded = |pointer: &str| {
        model
            .schema_types
            .iter()
            .find(|s| s.pointer == pointer)
            .map(|s| s.ty.clone())
    };
    let mut out: Vec<(String, Ty)> = model
        .types
        .iter()
        .filter(|t| t.pointer.starts_with("#/components/schemas/"))
        .filter(|t| !matches!(t.kind, TypeKind::Multipart(_)))
        .filter(|t| t.pointer.matches('/').count() == 3)
        .map(|t| {
            let ty = recorded(&t.pointer).unwrap_or_else(|| Ty::Named(t.name.clone()));
            (t.pointer.clone(), ty)
        })
        .collect();
    for s in &model.schema_types {
        if !out.iter().any(|(p, _)| *p == s.pointer) {
            out.push((s.pointer.clone(), s.ty.clone()));
        }
    }
    out
}

/// The table's source. Types are named through `super::types` (the harness imports the
/// crate's `types` module under that name).
pub fn table(model: &Model) -> Result<String, Error> {
    let arms = schema_types(model).into_iter().map(|(pointer, ty)| {
        let ty = rust_type(&ty, Scope::Group, false);
        quote!(#pointer => ::std::option::Option::Some(check.check::<#ty>()),)
    });
    let tokens = quote! {
        /// Calls `check` with the type that decodes instances of the schema at `pointer`;
        /// `None` when no type was generated for it.
        pub(super) fn with_type<C: super::Check>(pointer: &str, check: &mut C) -> ::std::option::Option<C::Output> {
            match pointer {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| Error::Emit(format!("{TABLE_PATH}: {e}")))?;
    Ok(format!(
        "//! @generated schema-pointer -> type table for conformance tests. Do not edit.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

#[cfg(test)]
mod tests {
    use crate::{Options, generate};

    const DOC: &str = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
      "paths": {"/pets": {"get": {"responses": {
        "200": {"description": "", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}},
        "404": {"$ref": "#/components/responses/Missing"}}}}},
      "components": {
        "schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}, "Id": {"type": "integer"},
          "Tags": {"type": "array", "items": {"type": "string"}, "nullable": true},
          "TagsAlias": {"$ref": "#/components/schemas/Tags"},
          "Tagged": {"type": "object", "required": ["tags"], "properties": {"tags": {"$ref": "#/components/schemas/TagsAlias"}}}},
        "responses": {"Missing": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {"why": {"type": "string"}}}}}}}}}"##;

    #[test]
    fn the_table_names_every_component_and_response_body_only_when_asked() {
        let plain = generate(DOC.as_bytes(), &Options::default()).unwrap();
        assert!(!plain.files.iter().any(|f| f.path == super::TABLE_PATH));
        let options = Options {
            conformance_table: true,
            ..Options::default()
        };
        let out = generate(DOC.as_bytes(), &options).unwrap();
        let table = out
            .files
            .iter()
            .find(|f| f.path == super::TABLE_PATH)
            .unwrap();
        // Layout aside (prettyplease may wrap an arm in braces).
        let text = table
            .contents
            .replace(|c: char| c.is_whitespace() || c == '{' || c == '}', "");
        for arm in [
            r##""#/components/schemas/Pet"=>::std::option::Option::Some(check.check::<super::types::Pet>())"##,
            r##""#/components/schemas/Id"=>::std::option::Option::Some(check.check::<super::types::Id>())"##,
            // A nullable component's JSON may be `null`, which its named type does not hold.
            r##""#/components/schemas/Tags"=>::std::option::Option::Some(check.check::<::std::option::Option<super::types::Tags>>()"##,
            // So is a component that only refers to one.
            r##""#/components/schemas/TagsAlias"=>::std::option::Option::Some(check.check::<::std::option::Option<super::types::TagsAlias>>()"##,
            r##""#/paths/~1pets/get/responses/200/content/application~1json/schema"=>::std::option::Option::Some(check.check::<::std::vec::Vec<super::types::Pet>>()"##,
            // A referenced response is named where it is written, so the pointer resolves.
            r##""#/components/responses/Missing/content/application~1json/schema"=>"##,
        ] {
            assert!(text.contains(arm), "{arm} missing from\n{}", table.contents);
        }
        syn::parse_file(&table.contents).expect("the table parses");
        // A required property whose reference admits `null` holds it too.
        let types = out
            .files
            .iter()
            .find(|f| f.path.ends_with("types.rs"))
            .unwrap()
            .contents
            .replace(char::is_whitespace, "");
        assert!(types.contains("pubtags:Option<TagsAlias>"), "{types}");
    }
}
