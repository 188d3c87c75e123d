//! The maintenance commands end to end, each on a scratch copy of the repository (`--root`):
//! `fetch` against a server on 127.0.0.1 serving good, changed and broken documents, `regen
//! --check` after the spec is edited, and `diff` on that edit.

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch repository: the spec, and the SDK files `regen` reads and writes.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("specs"), &dir.path().join("specs"));
    copy_dir(
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
