//! The maintenance commands end to end, each on a scratch copy of the repository (`--root`):
//! `fetch` against a server on 127.0.0.1 serving good, changed and broken documents, `regen
//! --check` after the spec is edited, and `diff` on that edit.

mod common;

use common::copy_tree;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A scratch repository: the spec, and the SDK files `regen` reads and writes.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("specs"), &dir.path().join("specs"));
    copy_tree(
        &root().join("postpress-sdk/src"),
        &dir.path().join("postpress-sdk/src"),
    );
    std::fs::create_dir_all(dir.path().join("xtask")).unwrap();
    // The two manifests mark the folder as a checkout of this repository for xtask.
    for f in [
        "Cargo.toml",
        "xtask/Cargo.toml",
        "postpress-sdk/Cargo.toml",
        "postpress-sdk/API.md",
        "postpress-sdk/CHANGELOG.md",
    ] {
        std::fs::copy(root().join(f), dir.path().join(f)).unwrap();
    }
    dir
}

/// xtask as `cargo xtask` runs it in `cwd`: no `--root`, with the environment `cargo run`
/// gives the process (`CARGO_MANIFEST_DIR` of the xtask package in that checkout), or none.
fn xtask_in(cwd: &Path, manifest_dir: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.current_dir(cwd)
        .args(args)
        .env_remove("CARGO_MANIFEST_DIR");
    if let Some(dir) = manifest_dir {
        cmd.env("CARGO_MANIFEST_DIR", dir);
    }
    cmd.output().unwrap()
}

/// Every file below `dir`, with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

/// One xtask binary, as a shared `CARGO_TARGET_DIR` hands it to two clones: each run works on
/// the checkout it was started in, never on the one the binary was built from.
#[test]
fn two_clones_sharing_one_binary_each_work_on_their_own_files() {
    let (a, b) = (scratch(), scratch());
    let (doc, _, _) = edited_spec();
    write_spec(b.path(), &doc);
    let before_a = snapshot(a.path());

    let out = xtask_in(
        a.path(),
        Some(&a.path().join("xtask")),
        &["regen", "--check"],
    );
    assert!(
        out.status.success(),
        "clone A is up to date:\n{}",
        text(&out)
    );
    let out = xtask_in(
        b.path(),
        Some(&b.path().join("xtask")),
        &["regen", "--check"],
    );
    assert!(
        !out.status.success(),
        "clone B's spec was edited:\n{}",
        text(&out)
    );

    // Without cargo's environment, from a folder inside clone B: found by walking up.
    let out = xtask_in(&b.path().join("specs"), None, &["regen"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = xtask_in(
        b.path(),
        Some(&b.path().join("xtask")),
        &["regen", "--check"],
    );
    assert!(
        out.status.success(),
        "regen repaired clone B:\n{}",
        text(&out)
    );
    assert_eq!(snapshot(a.path()), before_a, "clone A was not touched");

    // Outside any checkout: a clear error, nothing written anywhere.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = xtask_in(elsewhere.path(), None, &["regen", "--check"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("--root"), "{}", text(&out));
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env_remove("POSTPRESS_BASE_URL")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn spec_value() -> Value {
    serde_json::from_slice(&std::fs::read(root().join("specs/postpress.json")).unwrap()).unwrap()
}

/// The spec with one operation added and one response property removed; returns the
/// removed property's schema and name.
fn edited_spec() -> (Value, String, String) {
    let mut doc = spec_value();
    doc["paths"]["/widgets"] = serde_json::json!({
        "get": {
            "operationId": "WidgetsController_list",
            "tags": ["accounts"],
            "summary": "List widgets",
            "responses": {"200": {"description": "Widgets.", "content": {"application/json": {"schema": {"type": "object", "properties": {"count": {"type": "integer"}}}}}}}
        }
    });
    let (schema, prop) = {
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let (name, s) = schemas
            .iter()
            .find(|(_, s)| s["properties"].as_object().is_some_and(|p| p.len() > 2))
            .unwrap();
        let prop = s["properties"]
            .as_object()
            .unwrap()
            .keys()
            .next_back()
            .unwrap()
            .clone();
        (name.clone(), prop)
    };
    let s = &mut doc["components"]["schemas"][&schema];
    s["properties"].as_object_mut().unwrap().remove(&prop);
    if let Some(req) = s["required"].as_array_mut() {
        req.retain(|r| r != &Value::String(prop.clone()));
    }
    if let Some(example) = s["example"].as_object_mut() {
        example.remove(&prop);
    }
    (doc, schema, prop)
}

fn write_spec(root: &Path, doc: &Value) {
    std::fs::write(
        root.join("specs/postpress.json"),
        serde_json::to_string_pretty(doc).unwrap(),
    )
    .unwrap();
    std::fs::write(
        root.join("specs/postpress.yaml"),
        serde_yaml::to_string(doc).unwrap(),
    )
    .unwrap();
}

#[test]
fn regen_check_fails_on_an_edited_spec_and_diff_reports_the_edit() {
    let dir = scratch();
    let out = xtask(dir.path(), &["regen", "--check"]);
    assert!(
        out.status.success(),
        "a faithful copy is up to date:\n{}",
        text(&out)
    );

    let (doc, schema, prop) = edited_spec();
    write_spec(dir.path(), &doc);
    let out = xtask(dir.path(), &["regen", "--check"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("+++ b/postpress-sdk/src/generated/accounts.rs"),
        "{said}"
    );
    assert!(said.contains("run `cargo xtask regen`"), "{said}");
    assert!(
        said.contains("src/generated/MANIFEST"),
        "the manifest is stale too:\n{said}"
    );

    // regen itself brings it back in step.
    let out = xtask(dir.path(), &["regen"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(xtask(dir.path(), &["regen", "--check"]).status.success());

    let old = root().join("specs/postpress.json");
    let new = dir.path().join("specs/postpress.json");
    let out = xtask(
        &root(),
        &["diff", old.to_str().unwrap(), new.to_str().unwrap()],
    );
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    let (breaking, compatible) = report.split_once("Non-breaking").expect("both sections");
    assert!(
        compatible.contains("GET /widgets: operation added"),
        "{report}"
    );
    assert!(
        breaking.contains(&format!("schema {schema}: property `{prop}` removed")),
        "{report}"
    );
    assert!(report.contains("semver: breaking"), "{report}");
    // The same edit in the SDK's terms: the method added and the field removed.
    let (_, surface) = report
        .split_once("Rust surface")
        .expect("a surface section");
    assert!(
        surface.contains("method accounts().list") && surface.contains("added (GET /widgets)"),
        "{report}"
    );
    assert!(surface.contains(&format!("field {schema}.")), "{report}");
    assert!(surface.contains("removed"), "{report}");
    let out = xtask(
        &root(),
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--fail-on-breaking",
        ],
    );
    assert!(!out.status.success());
}

/// What the fake API answers under `/<scenario>/api-json` and `/<scenario>/api-yaml`.
fn document_for(scenario: &str, file: &str) -> (u16, Vec<u8>) {
    let doc = spec_value();
    let json = serde_json::to_vec_pretty(&doc).unwrap();
    let yaml = serde_yaml::to_string(&doc).unwrap().into_bytes();
    let changed = edited_spec().0;
    let body = |json: Vec<u8>, yaml: Vec<u8>| if file == "api-json" { json } else { yaml };
    match scenario {
        "good" => (200, body(json, yaml)),
        "changed" => (
            200,
            body(
                serde_json::to_vec_pretty(&changed).unwrap(),
                serde_yaml::to_string(&changed).unwrap().into_bytes(),
            ),
        ),
        "html" => (
            200,
            b"<!DOCTYPE html><html><body>Sign in</body></html>".to_vec(),
        ),
        "truncated" => (
            200,
            body(
                json[..json.len() / 2].to_vec(),
                yaml[..yaml.len() / 2].to_vec(),
            ),
        ),
        "error" => (500, b"{\"error\":{\"code\":\"upstream_error\"}}".to_vec()),
        "mismatch" => (
            200,
            body(json, serde_yaml::to_string(&changed).unwrap().into_bytes()),
        ),
        _ => (404, vec![]),
    }
}

type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// Serves the scenarios on 127.0.0.1 from a thread of its own; returns the base address.
fn serve() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let app = axum::Router::new().fallback(
                move |uri: axum::http::Uri, headers: axum::http::HeaderMap| {
                    let record = record.clone();
                    async move {
                        let key = headers
                            .get("x-api-key")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        record.lock().unwrap().push((uri.to_string(), key));
                        let mut parts = uri.path().trim_start_matches('/').split('/');
                        let scenario = parts.next().unwrap_or_default().to_owned();
                        let file = parts.next().unwrap_or_default().to_owned();
                        let (status, body) = document_for(&scenario, &file);
                        (axum::http::StatusCode::from_u16(status).unwrap(), body)
                    }
                },
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    (format!("http://{addr}"), seen)
}

fn fetch(root: &Path, base: &str, scenario: &str, extra: &[&str]) -> Output {
    let url = format!("{base}/{scenario}");
    let mut args = vec!["fetch", "--base-url", url.as_str()];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(&args)
        .env("POSTPRESS_API_KEY", "pp_test_fetchkey")
        .output()
        .unwrap()
}

fn specs_of(root: &Path) -> (Vec<u8>, Vec<u8>) {
    (
        std::fs::read(root.join("specs/postpress.json")).unwrap(),
        std::fs::read(root.join("specs/postpress.yaml")).unwrap(),
    )
}

#[test]
fn fetch_writes_only_good_changed_documents() {
    let (base, seen) = serve();
    let dir = scratch();
    let before = specs_of(dir.path());

    let out = fetch(dir.path(), &base, "good", &["--port", "8443"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("up to date"));
    assert_eq!(specs_of(dir.path()), before);
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests[0].0, "/good/api-json?port=8443");
    assert_eq!(requests[1].0, "/good/api-yaml?port=8443");
    assert_eq!(requests[0].1.as_deref(), Some("pp_test_fetchkey"));

    for broken in ["html", "truncated", "error", "mismatch"] {
        let out = fetch(dir.path(), &base, broken, &[]);
        assert!(!out.status.success(), "{broken} must fail:\n{}", text(&out));
        assert_eq!(
            specs_of(dir.path()),
            before,
            "{broken} left specs/ untouched"
        );
        let said = text(&out);
        let reason = match broken {
            "html" => "HTML",
            "truncated" => "api-json",
            "error" => "500",
            _ => "different documents",
        };
        assert!(said.contains(reason), "{broken}: {said}");
    }

    let out = fetch(dir.path(), &base, "changed", &["--check"]);
    assert!(!out.status.success(), "--check reports drift");
    assert!(text(&out).contains("operation added"), "{}", text(&out));
    assert_eq!(specs_of(dir.path()), before, "--check writes nothing");

    let out = fetch(dir.path(), &base, "changed", &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("GET /widgets: operation added"),
        "{}",
        text(&out)
    );
    let (json, _) = specs_of(dir.path());
    let written: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(written, edited_spec().0);
}

/// `generate --dates-as-strings` keeps date-time and date strings as `String`; by default they
/// are the engine's typed values.
#[test]
fn generate_maps_dates_to_strings_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("dates.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Dates, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Event:\n      type: object\n      properties:\n        at: {type: string, format: date-time}\n        day: {type: string, format: date}\n",
    )
    .unwrap();
    let types_of = |flag: Option<&str>| {
        let out = dir.path().join(flag.map_or("typed", |_| "text"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(["generate", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out);
        cmd.args(flag);
        let run = cmd.output().unwrap();
        assert!(run.status.success(), "{}", text(&run));
        std::fs::read_to_string(out.join("src/generated/types.rs")).unwrap()
    };
    let typed = types_of(None);
    assert!(
        typed.contains("pub at: Option<crate::engine::Timestamp>"),
        "{typed}"
    );
    assert!(
        typed.contains("pub day: Option<crate::engine::Date>"),
        "{typed}"
    );
    let text = types_of(Some("--dates-as-strings"));
    assert!(text.contains("pub at: Option<String>"), "{text}");
    assert!(text.contains("pub day: Option<String>"), "{text}");
}

/// `text` with the contents of its string literals left out (`"..."` becomes `""`).
fn without_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => {
                        out.push('"');
                        break;
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// The generated sources with documentation lines left out: what a user's code compiles
/// against. The manifest (which records the spec's digest) and the document the mock
/// validates against (`openapi.json`, the spec itself) are left out too.
fn code_of(sdk_src: &Path) -> Vec<(PathBuf, String)> {
    snapshot(sdk_src)
        .into_iter()
        .filter(|(path, _)| !path.ends_with("MANIFEST") && !path.ends_with("openapi.json"))
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            let code: Vec<&str> = text
                .lines()
                .filter(|l| {
                    let l = l.trim_start();
                    !(l.starts_with("///") || l.starts_with("//!") || l.starts_with("#[doc"))
                })
                .collect();
            let mut code = code.join("\n");
            // The mock quotes each operation's id for its messages and docs: text about the
            // document, not a name code is written against. Its strings are left out, and
            // with them the line breaks that their lengths decide.
            if path.ends_with("mock.rs") {
                code = without_strings(&code)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            (path.strip_prefix(sdk_src).unwrap().to_path_buf(), code)
        })
        .collect()
}

/// With `specs/names.toml` pinning every name, a changed operationId, tag or schema title
/// renames nothing: the SDK's code is the same, only docs differ. Reordering a union's
/// branches reorders its variants but keeps their names.
#[test]
fn pinned_names_survive_changed_operation_ids_titles_and_positions() {
    let dir = scratch();
    let src = dir.path().join("postpress-sdk/src");
    let before = code_of(&src);

    let mut doc = spec_value();
    let list = &mut doc["paths"]["/accounts"]["get"];
    list["operationId"] = "Inventory_enumerateEverything".into();
    list["tags"] = serde_json::json!(["inventory"]);
    doc["paths"]["/accounts/{id}"]["get"]["operationId"] = "fetchOne".into();
    doc["components"]["schemas"]["MobileAccount"]["title"] = "Handset".into();
    write_spec(dir.path(), &doc);
    let out = xtask(dir.path(), &["regen"]);
    assert!(out.status.success(), "{}", text(&out));
    let after = code_of(&src);
    assert_eq!(before.len(), after.len());
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        if a != b {
            let diff: Vec<String> = a
                .lines()
                .zip(b.lines())
                .filter(|(x, y)| x != y)
                .take(5)
                .map(|(x, y)| format!("- {x}\n+ {y}"))
                .collect();
            panic!("{} changed:\n{}", path.display(), diff.join("\n"));
        }
    }
    assert!(xtask(dir.path(), &["regen", "--check"]).status.success());

    let table = std::fs::read_to_string(dir.path().join("specs/names.toml")).unwrap();
    doc["components"]["schemas"]["Account"]["oneOf"]
        .as_array_mut()
        .unwrap()
        .reverse();
    write_spec(dir.path(), &doc);
    let out = xtask(dir.path(), &["regen"]);
    assert!(out.status.success(), "{}", text(&out));
    let reordered = std::fs::read_to_string(src.join("generated/types.rs")).unwrap();
    assert!(reordered.contains("Mobile(MobileAccount)"), "{reordered}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("specs/names.toml")).unwrap(),
        table,
        "no name changed"
    );

    // `diff` sees the operationId change, and that it renames nothing: not breaking.
    let old = root().join("specs/postpress.json");
    let new = dir.path().join("specs/postpress.json");
    let out = xtask(
        &root(),
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--fail-on-breaking",
        ],
    );
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("operationId changed") && report.contains("the method's name is pinned"),
        "{report}"
    );
    assert!(!report.contains("renamed"), "{report}");

    // Without the table the same document renames the method: the table is what kept it.
    std::fs::remove_file(dir.path().join("specs/names.toml")).unwrap();
    let out = xtask(dir.path(), &["regen", "--check"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("specs/names.toml"), "{said}");
    let out = xtask(dir.path(), &["regen"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_ne!(code_of(&src), before);
    let names = std::fs::read_to_string(dir.path().join("specs/names.toml")).unwrap();
    assert!(
        names.contains(
            r#""GET /accounts" = { group = "inventory", method = "enumerate_everything" }"#
        ),
        "{names}"
    );
}

/// An entry whose item left the document is reported and dropped; `regen --check` fails
/// until the table is rewritten.
#[test]
fn pins_of_vanished_items_are_reported_and_dropped() {
    let dir = scratch();
    let mut doc = spec_value();
    doc["paths"]["/accounts/{id}"]
        .as_object_mut()
        .unwrap()
        .remove("delete");
    write_spec(dir.path(), &doc);
    let out = xtask(dir.path(), &["regen"]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("dropped: DELETE /accounts/{id} -> accounts.delete"),
        "{said}"
    );
    let names = std::fs::read_to_string(dir.path().join("specs/names.toml")).unwrap();
    assert!(!names.contains("DELETE /accounts/{id}"), "{names}");
    assert!(names.contains("\"GET /accounts/{id}\""), "{names}");
    assert!(xtask(dir.path(), &["regen", "--check"]).status.success());
}

/// `generate --names FILE` pins a standalone crate's names the same way, and a table that is
/// not valid TOML of the right shape is an error naming the file.
#[test]
fn generate_keeps_names_from_a_names_file() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("api.yaml");
    let names = dir.path().join("names.toml");
    let write = |id: &str| {
        std::fs::write(
            &spec,
            format!("openapi: 3.0.3\ninfo: {{title: Pins, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: {id}\n      tags: [things]\n      responses:\n        '204': {{description: Done.}}\n"),
        )
        .unwrap();
    };
    let run = |out: &str| {
        let out = dir.path().join(out);
        let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["generate", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .arg("--names")
            .arg(&names)
            .output()
            .unwrap();
        (run, out)
    };
    write("listThings");
    let (first, out) = run("a");
    assert!(first.status.success(), "{}", text(&first));
    let code = std::fs::read_to_string(out.join("src/generated/things.rs")).unwrap();
    assert!(code.contains("pub fn list("), "{code}");
    write("enumerateAllThings");
    let (second, out) = run("b");
    assert!(second.status.success(), "{}", text(&second));
    let code = std::fs::read_to_string(out.join("src/generated/things.rs")).unwrap();
    assert!(code.contains("pub fn list("), "{code}");
    assert!(!code.contains("fn enumerate"), "{code}");

    std::fs::write(&names, "[operations]\n\"GET /things\" = 3\n").unwrap();
    let (bad, _) = run("c");
    assert!(!bad.status.success());
    assert!(text(&bad).contains("names.toml"), "{}", text(&bad));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

/// A breaking edit to the committed spec: `regen --check` fails until the version is bumped
/// (0.x: minor), and `regen` writes the Unreleased section and the bump; both survive the
/// commit that follows. Undoing the edit before committing undoes both: the changelog and
/// the version follow the committed ones plus the diff, not earlier runs.
#[test]
fn regen_keeps_the_changelog_and_version_in_step_with_the_diff() {
    let dir = scratch();
    let manifest = dir.path().join("postpress-sdk/Cargo.toml");
    let changelog_path = dir.path().join("postpress-sdk/CHANGELOG.md");
    let version = |m: &Path| {
        let text = std::fs::read_to_string(m).unwrap();
        text.lines()
            .find_map(|l| {
                l.strip_prefix("version = \"")?
                    .strip_suffix('"')
                    .map(str::to_owned)
            })
            .unwrap()
    };
    // Start from a release of the current version: no unreleased changes.
    let released = version(&manifest);
    let (major, minor) = {
        let mut parts = released.split('.').map(|p| p.parse::<u64>().unwrap());
        (parts.next().unwrap(), parts.next().unwrap())
    };
    let next = if major == 0 {
        format!("0.{}.0", minor + 1)
    } else {
        format!("{}.0.0", major + 1)
    };
    let initial = format!("# Changelog\n\n## {released}\n\n- First release.\n");
    std::fs::write(&changelog_path, &initial).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "start"]);
    let committed_spec = std::fs::read(dir.path().join("specs/postpress.json")).unwrap();
    let committed_yaml = std::fs::read(dir.path().join("specs/postpress.yaml")).unwrap();

    let (doc, schema, prop) = edited_spec();
    write_spec(dir.path(), &doc);
    let out = xtask(dir.path(), &["regen", "--check"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "version {released}, but the unreleased changes need {next} (a breaking change"
        )),
        "{said}"
    );

    let out = xtask(dir.path(), &["regen"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(version(&manifest), next);
    let changelog = std::fs::read_to_string(&changelog_path).unwrap();
    let (unreleased, released_part) = changelog
        .split_once(&format!("## {released}"))
        .expect("the release kept");
    assert!(unreleased.contains("## Unreleased"), "{changelog}");
    let (breaking, compatible) = unreleased
        .split_once("### Non-breaking")
        .expect("both kinds");
    assert!(
        breaking.contains(&format!("- schema {schema}: property `{prop}` removed")),
        "{changelog}"
    );
    assert!(
        compatible.contains("- GET /widgets: operation added"),
        "{changelog}"
    );
    assert!(released_part.contains("First release"), "{changelog}");
    assert!(xtask(dir.path(), &["regen", "--check"]).status.success());

    // Undone before the commit: a second regen leaves no entry and no bump behind.
    std::fs::write(dir.path().join("specs/postpress.json"), &committed_spec).unwrap();
    std::fs::write(dir.path().join("specs/postpress.yaml"), &committed_yaml).unwrap();
    let out = xtask(dir.path(), &["regen"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(version(&manifest), released);
    assert_eq!(std::fs::read_to_string(&changelog_path).unwrap(), initial);

    // Redone and committed, the spec no longer differs from HEAD; the entry and the bump stay.
    write_spec(dir.path(), &doc);
    assert!(xtask(dir.path(), &["regen"]).status.success());
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "regen"]);
    let out = xtask(dir.path(), &["regen", "--check"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(version(&manifest), next);
    assert!(
        std::fs::read_to_string(&changelog_path)
            .unwrap()
            .contains(&format!("property `{prop}` removed")),
    );
}
