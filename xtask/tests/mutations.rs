//! The mutation suite: every change class the SDK promises to absorb is applied to a copy of
//! the spec, the SDK is regenerated into a scratch copy of the repository (with the pinned
//! names of `specs/names.toml`), and user code written against the unmutated SDK (the crate's
//! examples, plus a program matching on enums and unions) must still compile. Every breaking
//! class must make `xtask diff --fail-on-breaking` fail.

mod common;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// Shared with `generated_crates`, so dependencies are built there once.
fn work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-crates")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn spec() -> Value {
    serde_json::from_slice(&std::fs::read(root().join("specs/postpress.json")).expect("spec"))
        .expect("spec is JSON")
}

fn write_spec(dir: &Path, doc: &Value) {
    std::fs::create_dir_all(dir).expect("specs dir");
    std::fs::write(
        dir.join("postpress.json"),
        serde_json::to_string_pretty(doc).expect("json"),
    )
    .expect("write json");
    std::fs::write(
        dir.join("postpress.yaml"),
        serde_yaml::to_string(doc).expect("yaml"),
    )
    .expect("write yaml");
}

fn schema<'a>(doc: &'a mut Value, name: &str) -> &'a mut Value {
    &mut doc["components"]["schemas"][name]
}

/// The object part of an `allOf` schema (the branch with properties), or the schema itself.
fn object_part<'a>(doc: &'a mut Value, name: &str) -> &'a mut Value {
    let s = schema(doc, name);
    if s.get("allOf").is_some() {
        let parts = s["allOf"].as_array_mut().expect("allOf is a list");
        parts
            .iter_mut()
            .find(|p| p.get("properties").is_some())
            .expect("an object part")
    } else {
        s
    }
}

/// Every non-breaking change class, applied to one document.
fn non_breaking(doc: &mut Value) {
    // An optional request field.
    object_part(doc, "AddPostReactionRequest")["properties"]["mutation_note"] =
        json!({"type": "string"});
    // A response field.
    object_part(doc, "MailAccount")["properties"]["mutation_score"] = json!({"type": "integer"});
    // An enum value.
    schema(doc, "ReactionValue")["enum"]
        .as_array_mut()
        .expect("enum")
        .push(json!("MUTATION"));
    // A union variant.
    doc["components"]["schemas"]["PigeonAccount"] = json!({
        "title": "Pigeon",
        "allOf": [
            {"$ref": "#/components/schemas/AccountBase"},
            {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["PIGEON"]}}}
        ]
    });
    let account = schema(doc, "Account");
    account["oneOf"]
        .as_array_mut()
        .expect("oneOf")
        .push(json!({"$ref": "#/components/schemas/PigeonAccount"}));
    account["discriminator"]["mapping"]["PIGEON"] = json!("#/components/schemas/PigeonAccount");
    // An endpoint, in a new tag.
    doc["tags"]
        .as_array_mut()
        .expect("tags")
        .push(json!({"name": "mutations", "description": "Added by a mutation."}));
    doc["paths"]["/mutations"] = json!({
        "get": {
            "operationId": "MutationsController_listMutations",
            "tags": ["mutations"],
            "summary": "List mutations",
            "responses": {"204": {"description": "None."}}
        }
    });
    // An optional query parameter, a changed operationId and summary.
    let list = &mut doc["paths"]["/accounts"]["get"];
    list["parameters"]
        .as_array_mut()
        .expect("parameters")
        .push(json!({"name": "mutation_filter", "in": "query", "schema": {"type": "string"}}));
    list["operationId"] = json!("Inventory_enumerateAll");
    list["summary"] = json!("Enumerate all accounts");
    // A title.
    schema(doc, "MobileAccount")["title"] = json!("Handset");
    // Reordered properties (of a response type: a request type's required properties are its
    // constructor's arguments, in document order).
    let mail = object_part(doc, "MailAccount");
    let props = mail["properties"].as_object().expect("properties").clone();
    mail["properties"] = Value::Object(props.into_iter().rev().collect());
}

/// A user program written against the unmutated SDK: matches with wildcard arms on a union
/// and an enum, which new variants must not break.
const USER_PROGRAM: &str = r#"//! Written against the unmutated SDK.
use postpress_sdk::types;

fn account_kind(account: &types::Account) -> &'static str {
    match account {
        types::Account::Mobile(_) => "mobile",
        types::Account::Mail(_) => "mail",
        _ => "other",
    }
}

fn reaction(value: &types::ReactionValue) -> &'static str {
    match value {
        types::ReactionValue::Like => "like",
        _ => "other",
    }
}

fn main() {
    let _ = (account_kind, reaction);
}
"#;

/// A copy of the workspace's crates, manifests and pinned names in `work_dir()/name`, with an
/// empty `specs/` beside them for the mutated document.
fn scratch_workspace(name: &str) -> PathBuf {
    let scratch = work_dir().join(name);
    common::copy_workspace(&root(), &scratch);
    std::fs::create_dir_all(scratch.join("specs")).expect("specs");
    std::fs::copy(
        root().join("specs/names.toml"),
        scratch.join("specs/names.toml"),
    )
    .expect("copy names");
    scratch
}

/// `xtask diff --fail-on-breaking` from the committed document to the scratch one passes.
fn assert_diff_is_compatible(scratch: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(scratch)
        .arg("diff")
        .arg(root().join("specs/postpress.json"))
        .arg(scratch.join("specs/postpress.json"))
        .arg("--fail-on-breaking")
        .output()
        .expect("run xtask diff");
    assert!(out.status.success(), "diff: {}", text(&out));
}

#[test]
fn non_breaking_changes_keep_user_code_compiling() {
    let scratch = scratch_workspace("mutations");
    let examples = scratch.join("postpress-sdk/examples");
    std::fs::write(examples.join("mutation_user.rs"), USER_PROGRAM).expect("user program");

    let mut doc = spec();
    non_breaking(&mut doc);
    write_spec(&scratch.join("specs"), &doc);
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(&scratch)
        .arg("regen")
        .output()
        .expect("run xtask");
    assert!(out.status.success(), "regen: {}", text(&out));
    let types = std::fs::read_to_string(scratch.join("postpress-sdk/src/generated/types.rs"))
        .expect("types.rs");
    for added in ["PigeonAccount", "mutation_score", "mutation_note"] {
        assert!(
            types.contains(added),
            "the mutation {added} reached the SDK"
        );
    }

    // The diff calls every one of them compatible.
    assert_diff_is_compatible(&scratch);

    let out = common::cargo()
        .args([
            "check",
            "--examples",
            "-p",
            "postpress-sdk",
            "--manifest-path",
        ])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", work_dir().join("target"))
        .output()
        .expect("run cargo check");
    assert!(
        out.status.success(),
        "user code no longer compiles:\n{}",
        text(&out)
    );
}

/// Each breaking change class, on its own: `diff --fail-on-breaking` fails.
#[test]
fn breaking_changes_fail_the_diff() {
    type Mutation = fn(&mut Value);
    let classes: [(&str, Mutation); 5] = [
        ("remove a field", |doc| {
            object_part(doc, "MailAccount")["properties"]
                .as_object_mut()
                .expect("properties")
                .remove("connection_params");
        }),
        ("optional -> required", |doc| {
            let req = object_part(doc, "AddPostReactionRequest");
            let optional = (req["properties"].as_object().expect("properties").keys())
                .find(|k| {
                    !req["required"]
                        .as_array()
                        .is_some_and(|r| r.contains(&json!(k)))
                })
                .expect("an optional field")
                .clone();
            req["required"]
                .as_array_mut()
                .expect("required")
                .push(json!(optional));
        }),
        ("change a type", |doc| {
            let req = object_part(doc, "AddPostReactionRequest");
            let first = (req["properties"].as_object().expect("properties").keys())
                .next()
                .expect("a field")
                .clone();
            req["properties"][&first] = json!({"type": "integer"});
        }),
        ("remove an endpoint", |doc| {
            doc["paths"]
                .as_object_mut()
                .expect("paths")
                .remove("/accounts");
        }),
        ("remove an enum value", |doc| {
            schema(doc, "ReactionValue")["enum"]
                .as_array_mut()
                .expect("enum")
                .retain(|v| v != "LIKE");
        }),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    for (class, mutate) in classes {
        let mut doc = spec();
        mutate(&mut doc);
        let new = dir.path().join("new.json");
        std::fs::write(&new, serde_json::to_vec(&doc).expect("json")).expect("write");
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--root")
            .arg(root())
            .arg("diff")
            .arg(root().join("specs/postpress.json"))
            .arg(&new)
            .arg("--fail-on-breaking")
            .output()
            .expect("run xtask diff");
        assert!(
            !out.status.success(),
            "{class} must fail the diff:\n{}",
            text(&out)
        );
        // A new required field is a new constructor argument, reported in Rust terms.
        if class == "optional -> required" {
            assert!(
                text(&out).contains("`AddPostReactionRequest::new`: arguments changed"),
                "{}",
                text(&out)
            );
        }
    }
}

/// Reverses the order of every `properties` map and `required` list in the document, and of
/// every `oneOf`/`anyOf` list of inline branches (their names are pinned by identity).
fn reverse_properties(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for keyword in ["oneOf", "anyOf"] {
                if let Some(Value::Array(branches)) = map.get_mut(keyword)
                    && branches.iter().all(|b| b.get("$ref").is_none())
                {
                    branches.reverse();
                }
            }
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                let reversed: serde_json::Map<String, Value> =
                    std::mem::take(props).into_iter().rev().collect();
                *props = reversed;
            }
            if let Some(Value::Array(required)) = map.get_mut("required") {
                required.reverse();
            }
            for value in map.values_mut() {
                reverse_properties(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(reverse_properties),
        _ => {}
    }
}

/// A user program written against the unmutated SDK that builds every struct whose required
/// fields all take literals, each argument a distinct value, and checks which field each
/// value landed in.
fn constructor_program(model: &openapi_sdkgen::ir::Model) -> (String, usize) {
    use openapi_sdkgen::ir::{Ty, TypeKind};
    let alias = |ty: &Ty| -> Ty {
        let mut ty = ty.clone();
        for _ in 0..16 {
            let Ty::Named(n) = &ty else { break };
            match model.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                _ => break,
            }
        }
        ty
    };
    let mut body = String::new();
    let mut built = 0;
    for def in &model.types {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        let args: Vec<_> = s.constructor_fields().collect();
        if args.len() < 2 {
            continue;
        }
        let mut values = Vec::new();
        for (i, f) in args.iter().enumerate() {
            let n = 1000 + i;
            values.push(match alias(&f.ty) {
                Ty::String => format!("{:?}", format!("{}.{}", def.name, f.wire)),
                Ty::I32 | Ty::I64 => format!("{n}"),
                Ty::F64 => format!("{n}.5"),
                Ty::Bool => format!("{}", i % 2 == 0),
                _ => break,
            });
        }
        if values.len() != args.len() {
            continue;
        }
        let name = &def.name;
        let call = match &s.named {
            None => values.join(", "),
            Some(named) => {
                let fields: Vec<String> = (args.iter().zip(&values))
                    .map(|(f, v)| {
                        let into = if v.starts_with('"') { ".into()" } else { "" };
                        format!("{}: {v}{into}", f.ident)
                    })
                    .collect();
                format!("types::{named} {{ {} }}", fields.join(", "))
            }
        };
        body.push_str(&format!("    let v = types::{name}::new({call});\n"));
        for (f, value) in args.iter().zip(&values) {
            let ident = &f.ident;
            body.push_str(&format!(
                "    assert!(v.{ident} == {value}, \"{name}::new put {{:?}} in `{ident}`\", v.{ident});\n"
            ));
        }
        built += 1;
    }
    let program = format!(
        "//! Written against the unmutated SDK: each constructor argument lands in its field.\n\
         #![allow(deprecated)]\nuse postpress_sdk::types;\n\nfn main() {{\n{body}    println!(\"constructors checked\");\n}}\n"
    );
    (program, built)
}

/// Reversing every schema's `properties` and `required` (a DTO reordered upstream) reorders
/// no constructor's arguments: the order is pinned in `specs/names.toml`. A user program
/// checking where each argument lands still passes, and the diff finds nothing breaking.
#[test]
fn reordered_properties_keep_constructor_arguments_and_names() {
    let scratch = scratch_workspace("mutations-reordered");
    let names = root().join("specs/names.toml");

    // The user program, from the SDK as it is now.
    let bytes = std::fs::read(root().join("specs/postpress.json")).expect("spec");
    let pins = xtask_names(&names);
    let options = openapi_sdkgen::Options {
        names: pins,
        ..openapi_sdkgen::Options::default()
    };
    let generated = openapi_sdkgen::generate(&bytes, &options).expect("generate");
    let (program, built) = constructor_program(&generated.model);
    assert!(built >= 10, "only {built} constructors checked:\n{program}");
    let examples = scratch.join("postpress-sdk/examples");
    std::fs::write(examples.join("constructor_arguments.rs"), &program).expect("user program");

    let mut doc = spec();
    reverse_properties(&mut doc);
    write_spec(&scratch.join("specs"), &doc);
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(&scratch)
        .arg("regen")
        .output()
        .expect("run xtask");
    assert!(out.status.success(), "regen: {}", text(&out));
    assert_eq!(
        std::fs::read_to_string(scratch.join("specs/names.toml")).expect("names"),
        std::fs::read_to_string(&names).expect("names"),
        "reordering pins nothing new and drops nothing"
    );

    assert_diff_is_compatible(&scratch);

    let out = common::cargo()
        .args([
            "run",
            "--example",
            "constructor_arguments",
            "-p",
            "postpress-sdk",
            "--manifest-path",
        ])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", work_dir().join("target"))
        .output()
        .expect("run cargo run");
    assert!(
        out.status.success() && text(&out).contains("constructors checked"),
        "an argument landed in another field:\n{}\n{program}",
        text(&out)
    );
}

/// `specs/names.toml` as `regen` reads it (the same table, through the same file format).
fn xtask_names(path: &Path) -> openapi_sdkgen::Names {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        operations: std::collections::BTreeMap<String, Op>,
        #[serde(default)]
        types: std::collections::BTreeMap<String, String>,
        #[serde(default)]
        variants: std::collections::BTreeMap<String, String>,
        #[serde(default)]
        constructors: std::collections::BTreeMap<String, Vec<String>>,
    }
    #[derive(serde::Deserialize)]
    struct Op {
        group: String,
        method: String,
    }
    let file: File = toml::from_str(&std::fs::read_to_string(path).expect("names")).expect("toml");
    openapi_sdkgen::Names {
        operations: (file.operations.into_iter())
            .map(|(k, o)| {
                let name = openapi_sdkgen::MethodName {
                    group: o.group,
                    method: o.method,
                };
                (k, name)
            })
            .collect(),
        types: file.types,
        variants: file.variants,
        constructors: file.constructors,
    }
}
