//! Golden tests for the schema -> Rust type mapping: each file in `tests/golden/` holds the
//! `components/schemas` of one rule; the types generated for it (and the warnings) are
//! compared with the reviewed snapshot in `tests/snapshots/`. `cargo insta review` updates
//! them. That the same output compiles and behaves on the wire is checked by
//! `xtask/tests/generated_crates.rs`, which builds a crate from all of these files at once.

use openapi_sdkgen::{Options, generate};
use std::path::Path;

/// Wraps a `components/schemas` fragment into a whole document.
fn document(schemas: &str) -> String {
    let indented: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "openapi: 3.0.3\ninfo: {{title: Golden, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
    )
}

/// The generated types (without the file's inner lint attributes) and the warnings.
fn render(schemas: &str) -> String {
    render_document(&document(schemas))
}

/// As [`render`], for a whole document; the `API.md` section listing its callbacks and
/// webhooks follows the types when there is one.
fn render_document(document: &str) -> String {
    let out = generate(document.as_bytes(), &Options::default())
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    let types = out
        .files
        .iter()
        .find(|f| f.path == "src/generated/types.rs")
        .expect("types.rs is always emitted");
    let mut file = syn::parse_file(&types.contents).expect("generated code parses");
    file.attrs.clear();
    let mut text = String::new();
    for w in &out.warnings {
        text.push_str(&format!("// warning: {}: {}\n", w.pointer, w.message));
    }
    text.push_str(&prettyplease::unparse(&file));
    let index = out.files.iter().find(|f| f.path.ends_with("API.md"));
    let section = index.and_then(|f| {
        let start = f.contents.find("## Callbacks and webhooks")?;
        let end = f.contents[start..]
            .find("\n## Types")
            .map_or(f.contents.len(), |e| start + e);
        Some(f.contents[start..end].to_owned())
    });
    if let Some(section) = section {
        text.push_str("\n// API.md\n");
        text.push_str(&section);
    }
    text
}

/// Rules that live outside `components/schemas`: `tests/golden_documents/<case>.yaml` is a
/// whole document.
fn golden_document(case: &str) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden_documents/{case}.yaml"));
    let document = std::fs::read_to_string(&path).expect("golden document exists");
    insta::assert_snapshot!(case, render_document(&document));
}

#[test]
fn callbacks_payloads_become_types_listed_in_the_index() {
    golden_document("callbacks");
}

#[test]
fn v31_webhooks_payloads_become_types_listed_in_the_index() {
    golden_document("webhooks_3_1");
}

#[test]
fn x_webhooks_of_3_0_documents_are_read_as_webhooks() {
    golden_document("x_webhooks_3_0");
}

/// The typed stubs of the `mock` feature for `tests/golden_documents/mock.yaml`: a cursor list
/// (`.pages`, `.with_<param>`), a multipart create with two success statuses (`.returns` of the
/// response enum) and error bodies of two types (`.fails_with_<code>`), an operation without an
/// id (named `group.method`), and a path parameter.
#[test]
fn mock_stubs_per_operation() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden_documents/mock.yaml");
    let document = std::fs::read_to_string(&path).expect("golden document exists");
    let out = generate(document.as_bytes(), &Options::default())
        .unwrap_or_else(|e| panic!("generation failed: {e}"));
    let mock = out
        .files
        .iter()
        .find(|f| f.path == "src/generated/mock.rs")
        .expect("mock.rs is always emitted");
    let mut file = syn::parse_file(&mock.contents).expect("generated code parses");
    file.attrs.clear();
    insta::assert_snapshot!("mock", prettyplease::unparse(&file));
}

fn golden(case: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{case}.yaml"));
    let schemas = std::fs::read_to_string(&path).expect("golden case exists");
    insta::assert_snapshot!(case, render(&schemas));
}

#[test]
fn objects_required_optional_nullable() {
    golden("objects");
}

#[test]
fn nullable_references_are_options() {
    golden("nullable_references");
}

#[test]
fn constructors_and_setters() {
    golden("constructors");
}

#[test]
fn string_enums_and_one_value_enum_unions() {
    golden("string_enums");
}

#[test]
fn tagged_unions_declared_and_implicit() {
    golden("tagged_unions");
}

#[test]
fn untagged_unions_primitives_arrays_nested() {
    golden("untagged_unions");
}

#[test]
fn all_of_merges_with_reported_conflicts() {
    golden("all_of");
}

#[test]
fn scalar_all_of_and_items_without_type() {
    golden("scalar_shapes");
}

#[test]
fn additional_properties_maps() {
    golden("maps");
}

#[test]
fn recursion_is_boxed() {
    golden("recursion");
}

#[test]
fn formats() {
    golden("formats");
}

#[test]
fn docs_defaults_deprecation_read_write_only() {
    golden("docs_and_flags");
}

#[test]
fn names_from_arbitrary_strings() {
    golden("names");
}

#[test]
fn inline_schemas_named_from_context_and_deduplicated() {
    golden("inline_naming");
}

/// A whole-document golden case (`tests/golden/bodies/`): operation-level rules, rendered as
/// the generated types and operations.
fn golden_operations(case: &str) {
    golden_operations_with(case, &Options::default());
}

/// As [`golden_operations`], with the given generator options.
fn golden_operations_with(case: &str, options: &Options) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/bodies/{case}.yaml"));
    let spec = std::fs::read_to_string(&path).expect("golden case exists");
    let out =
        generate(spec.as_bytes(), options).unwrap_or_else(|e| panic!("generation failed: {e}"));
    let mut text = String::new();
    for w in &out.warnings {
        text.push_str(&format!("// warning: {}: {}\n", w.pointer, w.message));
    }
    let mut files: Vec<_> = out
        .files
        .iter()
        .filter(|f| f.path.starts_with("src/generated/") && f.path.ends_with(".rs"))
        // The mock has a golden document of its own (`golden_documents/mock.yaml`).
        .filter(|f| {
            !["mod.rs", "examples.rs", "mock.rs"]
                .iter()
                .any(|n| f.path.ends_with(n))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for f in files {
        let mut file = syn::parse_file(&f.contents).expect("generated code parses");
        file.attrs.clear();
        text.push_str(&format!("// ---- {}\n", f.path));
        text.push_str(&prettyplease::unparse(&file));
    }
    insta::assert_snapshot!(case, text);
}

#[test]
fn multipart_encoding_styles_send_bracket_notation() {
    golden_operations("bracket_encoding");
}

#[test]
fn multipart_parts_take_the_content_type_of_their_resolved_schema() {
    golden_operations("multipart_parts");
}

#[test]
fn form_bodies_follow_their_encoding_map_field_by_field() {
    golden_operations("form_encoding");
}

#[test]
fn parameters_are_checked_before_sending() {
    golden_operations("parameter_checks");
}

#[test]
fn method_doc_examples_build_the_body_from_the_documented_example() {
    // Doc examples name the crate they are compiled against, so this case names one.
    let options = Options {
        crate_name: Some("golden_sdk".into()),
        ..Options::default()
    };
    golden_operations_with("body_examples", &options);
}

/// Every golden case exists as a test above: a new file without a test would go unchecked.
#[test]
fn every_case_has_a_test() {
    let listed = [
        "objects",
        "string_enums",
        "tagged_unions",
        "untagged_unions",
        "all_of",
        "scalar_shapes",
        "maps",
        "recursion",
        "formats",
        "docs_and_flags",
        "names",
        "inline_naming",
        "bracket_encoding",
        "multipart_parts",
        "form_encoding",
        "constructors",
        "nullable_references",
        "body_examples",
        "parameter_checks",
        "repairs",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bodies = std::fs::read_dir(dir.join("bodies")).expect("golden/bodies dir");
    for entry in std::fs::read_dir(&dir).expect("golden dir").chain(bodies) {
        let name = entry.expect("entry").path();
        if name.is_dir() {
            continue;
        }
        let stem = name
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        assert!(
            listed.contains(&stem.as_str()),
            "tests/golden/{stem}.yaml has no test"
        );
    }
}

/// Adding a schema does not rename or change any type that was there before.
#[test]
fn adding_a_schema_renames_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let base = std::fs::read_to_string(dir.join("inline_naming.yaml")).expect("case");
    let before = render(&base);
    let extended = format!(
        "Aaa:\n  type: object\n  properties:\n    street: {{type: string}}\n    city: {{type: string}}\n{base}"
    );
    let after = render(&extended);
    for item in items(&before) {
        assert!(
            after.contains(&item),
            "changed or renamed after adding a schema:\n{item}"
        );
    }
}

/// Top-level items of a rendered file, each with its attributes and docs.
fn items(text: &str) -> Vec<String> {
    let file = syn::parse_file(text).expect("parses");
    file.items
        .into_iter()
        .map(|i| {
            prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: vec![],
                items: vec![i],
            })
        })
        .collect()
}

/// The same document as JSON and as YAML generates the same bytes.
#[test]
fn json_and_yaml_generate_identically() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let yaml = document(&std::fs::read_to_string(dir.join("tagged_unions.yaml")).expect("case"));
    let value: serde_json::Value = serde_yaml::from_str(&yaml).expect("yaml");
    let json = serde_json::to_string_pretty(&value).expect("json");
    let a = generate(yaml.as_bytes(), &Options::default()).expect("yaml generates");
    let b = generate(json.as_bytes(), &Options::default()).expect("json generates");
    assert_eq!(a.files, b.files);
}

#[test]
fn repairs_of_clear_deviations() {
    golden("repairs");
}

/// Inline union branches are pinned by what they are (title, a fixed-value property, their
/// property names), not where they stand: with the names of one run pinned, reversing the
/// branches gives every variant, and every type inside a branch, the name it had.
#[test]
fn reordering_inline_union_branches_renames_nothing() {
    let document = |reversed: bool| {
        let mut branches = [
            "        - type: object\n          properties:\n            kind: {type: string, enum: [card]}\n            last4: {type: string}\n            network: {type: object, properties: {name: {type: string}}}\n",
            "        - type: object\n          properties:\n            iban: {type: string}\n            holder: {type: object, properties: {name: {type: string}}}\n",
            "        - title: Voucher\n          type: object\n          properties:\n            code: {type: string}\n",
        ];
        if reversed {
            branches.reverse();
        }
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Payment:\n      oneOf:\n{}",
            branches.concat()
        )
    };
    let first = generate(document(false).as_bytes(), &Options::default()).expect("generates");
    let pinned = Options {
        names: first.names.clone(),
        ..Options::default()
    };
    let again = generate(document(true).as_bytes(), &pinned).expect("generates");
    // Each variant holds the same payload type, each payload type the same fields.
    let shape = |g: &openapi_sdkgen::Generated| {
        let mut out: Vec<String> = g
            .model
            .types
            .iter()
            .map(|t| match &t.kind {
                openapi_sdkgen::ir::TypeKind::Struct(s) => {
                    let fields: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
                    format!("{}: {}", t.name, fields.join(","))
                }
                openapi_sdkgen::ir::TypeKind::Untagged(u) => {
                    // In document order (the order they are tried in); compared as a set.
                    let mut variants: Vec<String> = u
                        .variants
                        .iter()
                        .map(|v| format!("{}({:?})", v.ident, v.ty))
                        .collect();
                    variants.sort();
                    format!("{}: {}", t.name, variants.join(","))
                }
                _ => t.name.clone(),
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(shape(&again), shape(&first));
    assert_eq!(
        again.names, first.names,
        "nothing new pinned, nothing dropped"
    );
}
