//! Generated crates compile and behave: `cargo xtask generate` turns the golden schemas of
//! `codegen/tests/golden/` (all rules in one document) and the vendor-shaped fixture into
//! standalone crates, adds the tests in `tests/generated_crates_input/`, and runs `cargo test` on them with
//! one shared target directory, so the engine and its dependencies build once.

mod common;

use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

fn work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-crates")
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Generates `spec` into `work/<name>`, adds the given test files and runs `cargo test`.
fn generate_and_test(spec: &Path, name: &str, tests: &[(&str, String)]) {
    // The crate names serde_json through its runtime; the tests name it directly.
    let dev = "\n[dev-dependencies]\nserde_json = \"1\"\n";
    generate_and_test_with(spec, name, tests, dev, &[]);
}

/// As [`generate_and_test`], appending `extra` to the generated `Cargo.toml` (test-only
/// dependencies of this throwaway crate) and testing with `features` on.
fn generate_and_test_with(
    spec: &Path,
    name: &str,
    tests: &[(&str, String)],
    extra: &str,
    features: &[&str],
) {
    generate_with_options_and_test(spec, name, &[], tests, extra, features);
}

/// As [`generate_and_test_with`], passing `options` to `xtask generate`.
fn generate_with_options_and_test(
    spec: &Path,
    name: &str,
    options: &[&str],
    tests: &[(&str, String)],
    extra: &str,
    features: &[&str],
) {
    let work = work_dir();
    let out = work.join(name);
    run(
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["generate", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .args(["--name", name])
            .args(options)
            .arg("--runtime-path")
            .arg(root().join("runtime")),
        &format!("xtask generate {name}"),
    );
    for (file, contents) in tests {
        let path = out.join("tests").join(file);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("tests dir");
        std::fs::write(&path, contents).expect("write test file");
    }
    if !extra.is_empty() {
        let manifest = out.join("Cargo.toml");
        let mut text = std::fs::read_to_string(&manifest).expect("Cargo.toml");
        text.push_str(extra);
        std::fs::write(&manifest, text).expect("write Cargo.toml");
    }
    // The workspace's lock file pins the same dependency versions the SDK is tested with.
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");
    run(
        common::cargo()
            .arg("test")
            .arg("--manifest-path")
            .arg(out.join("Cargo.toml"))
            .args(if features.is_empty() {
                Vec::new()
            } else {
                vec!["--features".to_owned(), features.join(",")]
            })
            .env("CARGO_TARGET_DIR", work.join("target")),
        &format!("cargo test in the generated {name} crate"),
    );
}

/// All golden cases as one document: their schema names are distinct by design.
fn golden_document() -> String {
    let dir = root().join("codegen/tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("golden dir")
        .map(|e| e.expect("entry").path())
        // Subfolders hold whole documents (operation-level rules), not schema fragments.
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut doc = String::from(
        "openapi: 3.0.3\ninfo: {title: Golden, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for f in files {
        for line in std::fs::read_to_string(&f).expect("golden case").lines() {
            doc.push_str("    ");
            doc.push_str(line);
            doc.push('\n');
        }
    }
    doc
}

#[test]
fn golden_types_compile_and_keep_the_wire_format() {
    let work = work_dir();
    std::fs::create_dir_all(&work).expect("work dir");
    let spec = work.join("golden.yaml");
    std::fs::write(&spec, golden_document()).expect("write golden document");
    let wire =
        std::fs::read_to_string(root().join("xtask/tests/generated_crates_input/golden_wire.rs"))
            .expect("golden_wire.rs");
    // `serde_path_to_error` shows the path a malformed value is reported at (as the engine does).
    // The crate names serde through its runtime; the tests name it directly.
    let dev =
        "\n[dev-dependencies]\nserde_path_to_error = \"0.1\"\nserde = \"1\"\nserde_json = \"1\"\n";
    // The document has no operations, so every type is only read unless `serde` is on: the
    // wire tests write them all; as users get it, the crate must still build warning-free.
    generate_and_test_with(&spec, "golden-types", &[("wire.rs", wire)], dev, &["serde"]);
    check_as_users_get_it("golden-types");
}

#[test]
fn vendor_fixture_unions_decode_into_their_variants() {
    let fixture = root().join("fixtures/vendor-shape/vendor-shape.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(&fixture).expect("vendor fixture"))
        .expect("fixture is JSON");
    let response = |path: &str, method: &str| {
        doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone()
    };
    // One sample per variant, synthesised from the fixture's own schemas, so the test follows
    // the document rather than hand-copied JSON.
    let post = response("/api/v1/posts/{post_id}", "get");
    let shared = &post["allOf"][1];
    let posts: Vec<Value> = post["allOf"][0]["anyOf"]
        .as_array()
        .expect("post union")
        .iter()
        .map(|v| merge(sample(&doc, v, 0), sample(&doc, shared, 0)))
        .collect();
    let variants = |schema: Value| -> Vec<Value> {
        schema["anyOf"]
            .as_array()
            .expect("union")
            .iter()
            .map(|v| sample(&doc, v, 0))
            .collect()
    };
    let samples = json!({
        "posts": posts,
        "profiles": variants(response("/api/v1/users/{identifier}", "get")),
        "owners": variants(response("/api/v1/users/me", "get")),
    });
    let test = std::fs::read_to_string(
        root().join("xtask/tests/generated_crates_input/vendor_variants.rs"),
    )
    .expect("vendor_variants.rs");
    generate_and_test(
        &fixture,
        "vendor-shape",
        &[
            ("variants.rs", test),
            (
                "samples.json",
                serde_json::to_string_pretty(&samples).expect("json"),
            ),
        ],
    );
}

fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            a.extend(b);
            Value::Object(a)
        }
        (a, _) => a,
    }
}

/// A small value that satisfies `schema`: required properties only, the first enum value,
/// the first non-null branch of a union.
fn sample(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 16 {
        return Value::Null;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let target = doc
            .pointer(r.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null);
        return sample(doc, &target, depth + 1);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(all) = schema["allOf"].as_array() {
        return all
            .iter()
            .map(|s| sample(doc, s, depth + 1))
            .fold(Value::Object(Map::new()), merge);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema[key].as_array() {
            let branch = branches
                .iter()
                .find(|b| {
                    b["type"].is_string() || b["$ref"].is_string() || b["properties"].is_object()
                })
                .or(branches.first());
            return branch.map_or(Value::Null, |b| sample(doc, b, depth + 1));
        }
    }
    match schema["type"].as_str() {
        Some("string") => match schema["format"].as_str() {
            Some("date-time") => json!("2025-01-01T00:00:00Z"),
            _ => json!("x"),
        },
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => {
            let min = schema["minItems"].as_u64().unwrap_or(0);
            let item = sample(doc, &schema["items"], depth + 1);
            Value::Array((0..min).map(|_| item.clone()).collect())
        }
        Some("object") | None if schema["properties"].is_object() => {
            let mut out = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                if let Some(name) = name.as_str() {
                    out.insert(
                        name.to_owned(),
                        sample(doc, &schema["properties"][name], depth + 1),
                    );
                }
            }
            Value::Object(out)
        }
        Some("object") => json!({}),
        _ => Value::Null,
    }
}

#[test]
fn every_parameter_and_body_style_goes_over_the_wire_as_specified() {
    let spec = root().join("xtask/tests/generated_crates_input/operations.yaml");
    let test =
        std::fs::read_to_string(root().join("xtask/tests/generated_crates_input/ops_wire.rs"))
            .expect("ops_wire.rs");
    // Versions as in the workspace's own dev-dependencies (the lock file pins them).
    let dev = "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\naxum = \"0.8\"\nfutures-util = \"0.3\"\nserde_json = \"1\"\n";
    // With the generated `mock` module too: it must compile for any document.
    generate_and_test_with(&spec, "wire-ops", &[("ops_wire.rs", test)], dev, &["mock"]);
    // `mock` turns on `serde`; every parameter and body style must build without it too.
    check_as_users_get_it("wire-ops");
}

/// `--mcp` on documents other than PostPress's: the tool table of the `mcp` feature compiles
/// in crates of several shapes (one module; split by group features), and its tests
/// (`tests/generated_crates_input/mcp_tools.rs`) check every tool's schema and that calls are
/// refused naming a missing argument.
#[test]
fn the_mcp_tool_table_compiles_for_other_documents() {
    let test =
        std::fs::read_to_string(root().join("xtask/tests/generated_crates_input/mcp_tools.rs"))
            .expect("mcp_tools.rs");
    let dev = "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\nserde_json = \"1\"\n";
    for (spec, name, options) in [
        ("operations.yaml", "mcp-ops", &["--mcp"][..]),
        (
            "features.yaml",
            "mcp-features",
            &["--mcp", "--group-features", "on"][..],
        ),
    ] {
        let spec = root().join("xtask/tests/generated_crates_input").join(spec);
        let test = test.replace("the_crate", &name.replace('-', "_"));
        generate_with_options_and_test(
            &spec,
            name,
            options,
            &[("mcp_tools.rs", test)],
            dev,
            &["mcp"],
        );
    }
}

/// `cargo check` of the crate in `work/<name>` with its default features (no `serde`, so
/// types no request sends are only read): it must pass without a warning.
fn check_as_users_get_it(name: &str) {
    let work = work_dir();
    let out = common::cargo()
        .args([
            "check",
            "--quiet",
            "--message-format=short",
            "--manifest-path",
        ])
        .arg(work.join(name).join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", work.join("target"))
        .output()
        .expect("cargo check runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name} without `serde`:\n{stderr}");
    assert!(
        !stderr.contains("warning"),
        "{name} without `serde` warns:\n{stderr}"
    );
}

/// Per-group features end to end: a crate generated with `--group-features on` and built with
/// only `billing` and `orders` calls those groups against a loopback server (tests in
/// `tests/generated_crates_input/features_wire.rs`), while code naming the `catalog` group, a
/// `catalog`-only type or the `refunds` operation of the shared untagged module fails to
/// compile with the same two features on. And types are written as used: code writing a
/// type no request sends, or calling one of its setters, compiles only with `serde`.
#[test]
fn per_group_features_compile_only_the_enabled_groups() {
    let work = work_dir();
    let name = "feature-ops";
    let out = work.join(name);
    let _ = std::fs::remove_dir_all(&out);
    run(
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["generate", "--group-features", "on", "--spec"])
            .arg(root().join("xtask/tests/generated_crates_input/features.yaml"))
            .arg("--out")
            .arg(&out)
            .args(["--name", name])
            .arg("--runtime-path")
            .arg(root().join("runtime")),
        "xtask generate feature-ops",
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest
            .contains("full = [\"billing\", \"catalog\", \"orders\", \"refunds\", \"webhooks\"]"),
        "one feature per tag and per untagged path group, and `webhooks` for the webhook \
         payloads, all in `full`:\n{manifest}"
    );
    let copy = |from: &str, to: &str| {
        let path = out.join(to);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("dir");
        std::fs::copy(
            root().join("xtask/tests/generated_crates_input").join(from),
            path,
        )
        .expect("copy");
    };
    copy("features_wire.rs", "tests/features_wire.rs");
    copy("features_disabled.rs", "examples/features_disabled.rs");
    copy("serde_gated.rs", "examples/serde_gated.rs");
    let dev = "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\naxum = \"0.8\"\nserde_json = \"1\"\n";
    std::fs::write(out.join("Cargo.toml"), format!("{manifest}{dev}")).expect("Cargo.toml");
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");
    let cargo = || {
        let mut c = common::cargo();
        c.arg("--quiet")
            .env("CARGO_TARGET_DIR", work.join("target"));
        c
    };
    run(
        cargo()
            .args(["test", "--test", "features_wire", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            // The mock too: its stubs are gated like the operations they stand in for.
            .args(["--no-default-features", "--features", "billing,orders,mock"]),
        "cargo test with the billing, orders and mock features",
    );
    let denied = cargo()
        .args(["check", "--example", "features_disabled", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(["--no-default-features", "--features", "billing,orders,mock"])
        .output()
        .expect("cargo check runs");
    let errors = String::from_utf8_lossy(&denied.stderr);
    assert!(!denied.status.success(), "gated items compiled:\n{errors}");
    for gone in ["catalog", "Product", "get_refund", "InvoicePaid"] {
        assert!(errors.contains(gone), "no error names `{gone}`:\n{errors}");
    }
    // The webhook payloads alone, and with them what they name (`Money`), compile.
    run(
        cargo()
            .args(["check", "--lib", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .args(["--no-default-features", "--features", "webhooks"]),
        "cargo check with the webhooks feature alone",
    );
    // With the default (`full`), the same code compiles.
    run(
        cargo()
            .args(["check", "--example", "features_disabled", "--manifest-path"])
            .arg(out.join("Cargo.toml")),
        "cargo check of the example with every feature",
    );
    // A type no request sends is read, and written (with its setters) only with `serde`.
    let one_way = cargo()
        .args(["check", "--example", "serde_gated", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .output()
        .expect("cargo check runs");
    let errors = String::from_utf8_lossy(&one_way.stderr);
    assert!(
        !one_way.status.success(),
        "an only-read type was written:\n{errors}"
    );
    for only_read in ["Invoice", "InvoiceDiscount", "Adjustment"] {
        assert!(
            errors.contains(&format!("`{only_read}: serde::Serialize`"))
                || errors.contains(&format!("`{only_read}: Serialize`")),
            "no error about writing `{only_read}`:\n{errors}"
        );
    }
    assert!(
        errors.contains("no method named `memo`"),
        "no error about `Invoice::memo`:\n{errors}"
    );
    assert_eq!(errors.matches("error[").count(), 4, "{errors}");
    run(
        cargo()
            .args([
                "check",
                "--example",
                "serde_gated",
                "--features",
                "serde",
                "--manifest-path",
            ])
            .arg(out.join("Cargo.toml")),
        "cargo check of the example with `serde`",
    );
}

/// The hand-written layer (`client.rs`, `lib.rs`) names nothing generated: a scratch copy of
/// the repository whose `specs/` hold another API's document (the vendor-shaped fixture, with
/// other schema names, no `ErrorCode` and other operation ids) regenerates with `cargo xtask
/// --root <scratch> regen`, and the library still builds.
#[test]
fn the_sdk_still_builds_after_regenerating_from_a_foreign_document() {
    let scratch = work_dir().join("foreign-document");
    common::copy_workspace(&root(), &scratch);
    let fixture = root().join("fixtures/vendor-shape/vendor-shape.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(&fixture).expect("vendor fixture"))
        .expect("fixture is JSON");
    assert!(
        doc.pointer("/components/schemas/ErrorCode").is_none(),
        "the fixture must lack the schema the hand-written layer once named"
    );
    let specs = scratch.join("specs");
    std::fs::create_dir_all(&specs).expect("specs dir");
    std::fs::write(
        specs.join("postpress.json"),
        serde_json::to_string_pretty(&doc).expect("json"),
    )
    .expect("write json spec");
    std::fs::write(
        specs.join("postpress.yaml"),
        serde_yaml::to_string(&doc).expect("yaml"),
    )
    .expect("write yaml spec");
    let before = std::fs::read_to_string(scratch.join("postpress-sdk/src/generated/types.rs"))
        .expect("types.rs");
    run(
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--root")
            .arg(&scratch)
            .arg("regen"),
        "xtask regen from the vendor fixture",
    );
    let after = std::fs::read_to_string(scratch.join("postpress-sdk/src/generated/types.rs"))
        .expect("types.rs");
    assert_ne!(
        before, after,
        "regen must have rewritten the generated surface"
    );
    assert!(
        !after.contains("pub enum ErrorCode"),
        "the fixture has no ErrorCode"
    );
    run(
        common::cargo()
            .args(["build", "--lib", "-p", "postpress-sdk", "--manifest-path"])
            .arg(scratch.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", work_dir().join("target")),
        "cargo build of the regenerated postpress-sdk",
    );
}
