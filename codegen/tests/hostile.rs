//! The document is untrusted input. Whatever it holds, strings end up as escaped literals,
//! doc text or sanitised identifiers, never as code; deep, cyclic, dangling and huge
//! constructs give warnings or errors, never a stack overflow, a hang or a panic.

use openapi_sdkgen::{Options, generate};
use proc_macro2::{TokenStream, TokenTree};
use serde_json::{Value, json};

const EVIL: &str = "\"]; fn evil() { std::process::exit(1) } #[doc = \"";

fn doc(schemas: Value, paths: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "openapi": "3.0.3",
        "info": {"title": format!("*/ {EVIL} \u{202e}"), "version": "1", "description": EVIL},
        "paths": paths,
        "components": {"schemas": schemas}
    }))
    .unwrap()
}

/// Every identifier in the generated Rust (doc text and string literals are not identifiers).
fn identifiers(tokens: TokenStream, out: &mut Vec<String>) {
    for t in tokens {
        match t {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => identifiers(g.stream(), out),
            _ => {}
        }
    }
}

fn generated_rust(bytes: &[u8]) -> (Vec<String>, usize) {
    let out = generate(bytes, &Options::default()).expect("generates");
    let mut idents = Vec::new();
    for f in out.files.iter().filter(|f| f.path.ends_with(".rs")) {
        assert!(
            !f.contents.contains('\u{202e}'),
            "{}: a bidi control survived",
            f.path
        );
        let file = syn::parse_file(&f.contents).unwrap_or_else(|e| panic!("{}: {e}", f.path));
        identifiers(quote::quote!(#file), &mut idents);
    }
    (idents, out.warnings.len())
}

#[test]
fn strings_from_the_document_never_become_code() {
    let long = "x".repeat(20_000);
    let schemas = json!({
        EVIL: {
            "type": "object",
            "description": format!("*/ {EVIL} ```\nfn evil() {{}}\n``` \u{202e}"),
            "properties": {
                "r#type": {"type": "string"},
                "*/": {"type": "string"},
                EVIL: {"type": "string", "description": EVIL},
                "": {"type": "string"},
                long.clone(): {"type": "string"},
                "\u{202e}rtl": {"type": "string"}
            }
        },
        "Choice": {"type": "string", "enum": [EVIL, "*/", "", "\u{202e}", long.clone(), "fn"]}
    });
    let paths = json!({
        "/x/{id}": {"get": {
            "operationId": EVIL,
            "tags": [EVIL],
            "summary": EVIL,
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                           {"name": EVIL, "in": "query", "schema": {"type": "string"}},
                           {"name": EVIL, "in": "header", "schema": {"type": "string"}}],
            "responses": {"200": {"description": EVIL, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", EVIL.replace('~', "~0").replace('/', "~1"))}}}}}
        }}
    });
    let (idents, _) = generated_rust(&doc(schemas, paths));
    assert!(
        !idents.iter().any(|i| i == "evil" || i == "exit"),
        "a name became code"
    );
    assert!(
        idents.iter().all(|i| i.len() < 300),
        "identifiers are bounded"
    );
}

#[test]
fn deep_nesting_is_an_error_or_a_warning_not_a_stack_overflow() {
    // Deeper than any parser recursion limit: refused cleanly.
    // Within the JSON parser's recursion limit (128), deeper than the generator's own bound.
    let mut deep = json!({"type": "string"});
    for _ in 0..110 {
        deep = json!({"type": "array", "items": deep});
    }
    let text = format!(
        "{{\"openapi\":\"3.0.3\",\"info\":{{\"title\":\"t\",\"version\":\"1\"}},\"paths\":{{}},\"components\":{{\"schemas\":{{\"D\":{}{{}}{}}}}}}}",
        "{\"type\":\"array\",\"items\":".repeat(5_000),
        "}".repeat(5_000)
    );
    let _ = generate(text.as_bytes(), &Options::default());
    let yaml = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    D: {}{}\n",
        "{items: ".repeat(5_000),
        "}".repeat(5_000)
    );
    let _ = generate(yaml.as_bytes(), &Options::default());
    let out =
        generate(&doc(json!({"Deep": deep}), json!({})), &Options::default()).expect("generates");
    assert!(
        out.warnings.iter().any(|w| w.message.contains("too deep")),
        "the depth bound is reported"
    );
    // A long chain of references between components.
    let mut chain = serde_json::Map::new();
    for i in 0..3_000 {
        chain.insert(
            format!("S{i}"),
            json!({"$ref": format!("#/components/schemas/S{}", i + 1)}),
        );
    }
    chain.insert(
        "S3000".into(),
        json!({"type": "object", "properties": {"x": {"type": "string"}}}),
    );
    let _ = generate(&doc(Value::Object(chain), json!({})), &Options::default());
}

#[test]
fn reference_cycles_terminate() {
    let schemas = json!({
        "A": {"$ref": "#/components/schemas/B"},
        "B": {"$ref": "#/components/schemas/A"},
        "Self": {"allOf": [{"$ref": "#/components/schemas/Self"}]},
        "Either": {"oneOf": [{"$ref": "#/components/schemas/Either"}, {"type": "string"}]},
        "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}, "all": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}
    });
    let (idents, _) = generated_rust(&doc(schemas, json!({})));
    assert!(idents.iter().any(|i| i == "Node"));
}

#[test]
fn missing_and_external_references_warn_with_their_pointer() {
    let schemas = json!({
        "Holder": {"type": "object", "properties": {
            "gone": {"$ref": "#/components/schemas/Nope"},
            "far": {"$ref": "other.yaml#/components/schemas/Far"},
            "odd": {"$ref": "#/not/a/schema"}
        }}
    });
    let out = generate(&doc(schemas, json!({})), &Options::default()).expect("generates");
    let pointers: Vec<&str> = out.warnings.iter().map(|w| w.pointer.as_str()).collect();
    for p in [
        "/Holder/properties/gone",
        "/Holder/properties/far",
        "/Holder/properties/odd",
    ] {
        assert!(
            pointers.iter().any(|w| w.ends_with(p)),
            "no warning at {p}: {pointers:?}"
        );
    }
    let strict = generate(
        &doc(
            json!({"H": {"$ref": "#/components/schemas/Nope"}}),
            json!({}),
        ),
        &Options {
            strict: true,
            ..Options::default()
        },
    );
    assert!(strict.is_err(), "--strict turns the warning into an error");
}

#[test]
fn huge_enums_and_many_schemas_finish() {
    let values: Vec<String> = (0..20_000).map(|i| format!("value-{i}")).collect();
    let mut schemas = serde_json::Map::new();
    schemas.insert("Big".into(), json!({"type": "string", "enum": values}));
    for i in 0..2_000 {
        schemas.insert(format!("T{i}"), json!({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"$ref": "#/components/schemas/Big"}}}));
    }
    let out =
        generate(&doc(Value::Object(schemas), json!({})), &Options::default()).expect("generates");
    assert!(out.types >= 2_001);
}

#[test]
fn not_a_document_is_an_error_naming_where() {
    for (bytes, needle) in [
        (&b""[..], ""),
        (b"\xff\xfe\x00garbage", ""),
        (b"{\"openapi\": \"3.0.3\", \"info\": 5, \"paths\": {}}", "/info"),
        (b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n", "/paths/~1a/get/responses"),
        (b"[1, 2, 3]", ""),
        (b"{\"swagger\": \"2.0\"}", ""),
    ] {
        let err = generate(bytes, &Options::default()).err().map(|e| e.to_string());
        let err = err.unwrap_or_else(|| panic!("{:?} should be refused", String::from_utf8_lossy(bytes)));
        assert!(err.contains(needle), "{err}");
    }
}

/// The warnings of a document that must generate, as `pointer: message` lines.
fn repaired(document: Value) -> Vec<String> {
    let bytes = serde_json::to_vec(&document).unwrap();
    let out = generate(&bytes, &Options::default())
        .unwrap_or_else(|e| panic!("a document with a clear meaning is refused: {e}"));
    out.warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect()
}

fn has_warning(warnings: &[String], pointer: &str, needle: &str) {
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with(&format!("{pointer}: ")) && w.contains(needle)),
        "no warning at {pointer} mentioning {needle:?} in {warnings:#?}"
    );
}

#[test]
fn sloppy_operations_and_responses_are_repaired_with_their_pointer() {
    let warnings = repaired(json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": 1.5},
        "paths": {
            "/none": {"get": {"operationId": "none"}},
            "/empty": {"get": {"responses": {}}},
            "/plain": {"get": {
                "parameters": [
                    {"name": "q", "in": "query"},
                    {"name": "limit", "in": "query", "type": "integer"},
                    {"name": "legacy", "in": "body", "schema": {"type": "object"}},
                    {"in": "query", "schema": {"type": "string"}},
                    {"name": "flag", "in": "query", "required": "true", "schema": {"type": "boolean"}}
                ],
                "requestBody": {"description": "no content"},
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}},
                    "404": {"schema": {"type": "string"}}
                }
            }}
        }
    }));
    has_warning(
        &warnings,
        "#/paths/~1none/get/responses",
        "untyped JSON success",
    );
    has_warning(
        &warnings,
        "#/paths/~1empty/get/responses",
        "untyped JSON success",
    );
    has_warning(
        &warnings,
        "#/paths/~1plain/get/responses/200",
        "without `description`",
    );
    has_warning(
        &warnings,
        "#/paths/~1plain/get/responses/404",
        "Swagger 2 style `schema`",
    );
    has_warning(
        &warnings,
        "#/paths/~1plain/get/parameters/0",
        "no `schema` or `content`",
    );
    has_warning(
        &warnings,
        "#/paths/~1plain/get/parameters/1",
        "moved into `schema`",
    );
    has_warning(&warnings, "#/paths/~1plain/get/parameters/2", "`in: body`");
    has_warning(
        &warnings,
        "#/paths/~1plain/get/parameters/3",
        "without `name`",
    );
    has_warning(
        &warnings,
        "#/paths/~1plain/get/parameters/4/required",
        "read as `true`",
    );
    has_warning(
        &warnings,
        "#/paths/~1plain/get/requestBody",
        "without `content`",
    );
}

#[test]
fn missing_info_and_paths_are_assumed_but_wrong_types_are_refused() {
    let warnings = repaired(json!({"openapi": "3.0.3"}));
    has_warning(&warnings, "#/info", "untitled");
    has_warning(&warnings, "#/paths", "no paths");
    let warnings = repaired(json!({"openapi": "3.0.3", "info": {}, "paths": {},
        "servers": [{"description": "no url"}], "tags": [{"description": "no name"}],
        "components": {"securitySchemes": {"basic": {"type": "basic"}}}}));
    has_warning(&warnings, "#/info/title", "missing");
    has_warning(&warnings, "#/servers/0", "`url`");
    has_warning(&warnings, "#/tags/0", "`name`");
    has_warning(
        &warnings,
        "#/components/securitySchemes/basic",
        "no OpenAPI 3 type",
    );
    for document in [
        json!({"openapi": "3.0.3", "info": "t", "paths": {}}),
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": []}),
    ] {
        let bytes = serde_json::to_vec(&document).unwrap();
        assert!(generate(&bytes, &Options::default()).is_err(), "{document}");
    }
}

#[test]
fn sloppy_schemas_are_repaired_with_their_pointer() {
    let schemas = json!({
        "TypeList": {"type": ["string", "null"]},
        "TypeNull": {"type": "null"},
        "TypeFile": {"type": "file"},
        "TypeUnknown": {"type": "whatever"},
        "Const": {"const": "fixed"},
        "Exclusive": {"type": "number", "exclusiveMinimum": 0},
        "Bounds": {"type": "string", "maxLength": "10", "minLength": 1.0, "pattern": 5},
        "Nums": {"type": "number", "minimum": "1.5", "maximum": "lots"},
        "Flags": {"type": "object", "nullable": "true", "readOnly": 3},
        "Required": {"type": "object", "required": true, "properties": {"a": {"type": "string"}}},
        "OneRequired": {"type": "object", "required": "a", "properties": {"a": {"type": "string"}}},
        "Tuple": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
        "Bools": {"type": "object", "properties": {"anything": true, "nothing": false, "ok": {"type": "string"}}},
        "RefSiblings": {"type": "object", "properties": {
            "plain": {"$ref": "#/components/schemas/Const", "description": "annotations only"},
            "nullable": {"$ref": "#/components/schemas/Const", "nullable": true},
            "bounded": {"$ref": "#/components/schemas/Nums", "maximum": 3},
            "shaped": {"$ref": "#/components/schemas/Nums", "required": ["a"], "properties": {"a": {"type": "string"}}}
        }},
        "Disc": {"type": "object", "discriminator": "kind", "properties": {"kind": {"type": "string"}}},
        "OneOfObject": {"oneOf": {"type": "string"}},
        "BadAdditional": {"type": "object", "additionalProperties": "yes"},
        "EnumScalar": {"type": "string", "enum": "only"},
        "NotASchema": 5,
        "Example": {"type": "object", "example": {"type": ["not", "a", "schema"], "required": true}}
    });
    let warnings = repaired(json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": schemas}
    }));
    let s = "#/components/schemas";
    has_warning(&warnings, &format!("{s}/TypeList/type"), "`type` list");
    has_warning(&warnings, &format!("{s}/TypeFile/type"), "read as `string`");
    has_warning(&warnings, &format!("{s}/TypeUnknown/type"), "any JSON");
    has_warning(&warnings, &format!("{s}/Const"), "`const`");
    has_warning(
        &warnings,
        &format!("{s}/Exclusive/exclusiveMinimum"),
        "3.1 form",
    );
    has_warning(&warnings, &format!("{s}/Bounds/maxLength"), "read as 10");
    has_warning(
        &warnings,
        &format!("{s}/Nums/minimum"),
        "read as the number 1.5",
    );
    has_warning(&warnings, &format!("{s}/Nums/maximum"), "not a number");
    has_warning(&warnings, &format!("{s}/Flags/nullable"), "read as `true`");
    has_warning(&warnings, &format!("{s}/Flags/readOnly"), "not a boolean");
    has_warning(&warnings, &format!("{s}/Required/required"), "not valid");
    has_warning(&warnings, &format!("{s}/OneRequired/required"), "one name");
    has_warning(&warnings, &format!("{s}/Tuple/items"), "tuple");
    has_warning(
        &warnings,
        &format!("{s}/Bools/properties/anything"),
        "`true`",
    );
    has_warning(
        &warnings,
        &format!("{s}/Bools/properties/nothing"),
        "never present",
    );
    has_warning(
        &warnings,
        &format!("{s}/RefSiblings/properties/nullable"),
        "`allOf`",
    );
    has_warning(
        &warnings,
        &format!("{s}/RefSiblings/properties/bounded"),
        "do not change its type",
    );
    has_warning(
        &warnings,
        &format!("{s}/RefSiblings/properties/shaped"),
        "`allOf`",
    );
    has_warning(
        &warnings,
        &format!("{s}/Disc/discriminator"),
        "`propertyName`",
    );
    has_warning(
        &warnings,
        &format!("{s}/OneOfObject/oneOf"),
        "one-schema list",
    );
    has_warning(
        &warnings,
        &format!("{s}/BadAdditional/additionalProperties"),
        "ignored",
    );
    has_warning(&warnings, &format!("{s}/EnumScalar/enum"), "one-value list");
    has_warning(
        &warnings,
        &format!("{s}/NotASchema"),
        "neither an object nor a boolean",
    );
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("/plain") || w.contains("/Example")),
        "annotations beside `$ref` and example data are left alone: {warnings:#?}"
    );
}

#[test]
fn boolean_schemas_in_31_are_valid_and_read_without_complaint() {
    let warnings = repaired(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {
            "Open": {"type": "object", "properties": {"any": true, "list": {"type": "array", "items": true}}},
            "Top": true
        }}
    }));
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn reference_siblings_in_31_keep_their_meaning_without_a_warning() {
    let warnings = repaired(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {
            "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Extended": {"$ref": "#/components/schemas/Base", "required": ["id"], "properties": {"more": {"type": "integer"}}},
            "Bounded": {"$ref": "#/components/schemas/Base", "minProperties": 1}
        }}
    }));
    assert!(warnings.is_empty(), "{warnings:#?}");
}

/// Operation ids and tags that start with a digit or hold no letters at all still name
/// methods, builders and mock types that are valid identifiers (a mock type once took the
/// method's `PascalCase`, `58d8…Stub`, and the generator panicked).
#[test]
fn digit_led_and_letterless_ids_still_make_identifiers() {
    let op = |id: &str, tag: &str| json!({"operationId": id, "tags": [tag], "responses": {"200": {"description": "ok"}}});
    let paths = json!({
        "/a": {"get": op("58d8bcb7a9e6240e200cff24", "9lives")},
        "/b": {"get": op("58d8bcb7a9e6240e200cff25", "9lives")},
        "/c": {"post": op("123", "-")},
        "/d": {"put": op("_", "_")},
        "/e": {"delete": op("--", "2")},
        // Distinct methods (`list_2`, `list2`) whose type names would be the same.
        "/f": {"get": op("list_2", "x")},
        "/g": {"get": op("list2", "x")},
    });
    // Generation succeeds and every file parses (`generated_rust`); each operation has a
    // mock stub type of its own.
    let (idents, _) = generated_rust(&doc(json!({}), paths));
    let stubs: std::collections::BTreeSet<&String> = idents
        .iter()
        .filter(|i| i.ends_with("Stub") && i.len() > "Stub".len())
        .collect();
    assert!(stubs.len() >= 7, "a stub type per operation: {stubs:?}");
    for builder in ["List2Builder", "List22Builder"] {
        assert!(
            idents.iter().any(|i| i == builder),
            "{builder} is generated"
        );
    }
}
