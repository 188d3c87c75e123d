//! `cargo xtask corpus --conformance`: do the generated types accept the data their document
//! describes? For one generated crate: json-schema-faker (pinned in `tools/`) makes schema-valid
//! instances of every component and response body schema (within the limits `instances`
//! sets); one test binary in the crate
//! decodes each into the type the generator's table names and re-encodes it; here the results
//! are counted. A round trip differs when a value the type holds comes back different:
//! properties the type does not model, `null` against absent, and the spelling of numbers and
//! of date-times (the same instant) are not differences.

use crate::instances;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::Path;

/// Instances asked for per schema.
pub const INSTANCES_PER_SCHEMA: usize = 20;
/// The seed of every run, so reports are reproducible.
const SEED: u32 = 19;
/// The harness test, with `__CRATE__` standing for the crate's Rust name.
const HARNESS: &str = include_str!("../conformance/harness.rs");

/// What the instances of one document did.
#[derive(Debug, Default, Clone)]
pub struct Conformance {
    /// Instances tried.
    pub instances: usize,
    /// Instances that decoded.
    pub decoded: usize,
    /// Instances that decoded and came back the same.
    pub round_tripped: usize,
    /// Attempts json-schema-faker could not turn into an instance.
    pub unsatisfiable: usize,
    /// Schemas the document has, and how many of them were checked (see `instances`).
    pub schemas: usize,
    pub sampled: usize,
    /// Schemas whose instance generation was killed at its time limit, by pointer.
    pub timed_out: Vec<String>,
    /// Schemas not started before the document's time budget ran out.
    pub not_reached: usize,
    /// The first decode failure (else the first round-trip difference): schema pointer, JSON
    /// path and the instance.
    pub first_failure: String,
}

/// Where the crate is and how it is built.
pub struct Crate<'a> {
    pub dir: &'a Path,
    /// Its Rust name (`corpus_x`).
    pub rust_name: &'a str,
    pub target: &'a Path,
    /// The repository (for `tools/`).
    pub root: &'a Path,
}

/// Runs the conformance check of one generated crate, written with its table and prepared
/// (see [`prepare`]) and built (`cargo test --no-run --test conformance`).
pub fn run(
    spec_bytes: &[u8],
    generated: &openapi_sdkgen::Generated,
    krate: &Crate<'_>,
) -> Result<Conformance> {
    let pointers: Vec<String> = openapi_sdkgen::conformance::schema_types(&generated.model)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let work = krate.dir.join("conformance");
    std::fs::create_dir_all(&work)?;
    let document = openapi_sdkgen::parse_value(spec_bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    let made = instances::make(&instances::Request {
        document: &document,
        pointers: &pointers,
        count: INSTANCES_PER_SCHEMA,
        seed: SEED,
        script: &krate.root.join("tools/conformance-instances.mjs"),
        work: &work,
        max_schemas: instances::MAX_SCHEMAS,
        schema_timeout: instances::SCHEMA_TIMEOUT,
        document_budget: instances::DOCUMENT_BUDGET,
    })?;
    let results = decode_in_crate(krate, &made.entries)?;
    Ok(Conformance {
        schemas: made.schemas,
        sampled: made.sampled,
        timed_out: made.timed_out,
        not_reached: made.not_reached,
        ..tally(&made.entries, &results)
    })
}

/// Decodes and re-encodes `entries` (`{pointer: {"instances": [...]}, ...}`) with the harness
/// of a prepared and built crate (see [`prepare`]); returns the harness's result lines, one
/// JSON object per instance: `pointer`, `index`, and `decoded` with `reencoded`, or `path` and
/// `error`, or `untyped` when the table has no type for the pointer.
pub fn decode_in_crate(
    krate: &Crate<'_>,
    entries: &serde_json::Map<String, Value>,
) -> Result<String> {
    let work = krate.dir.join("conformance");
    std::fs::create_dir_all(&work)?;
    let instances_path = work.join("instances.json");
    std::fs::write(&instances_path, serde_json::to_vec(entries)?)?;
    let results_path = work.join("results.jsonl");
    let _ = std::fs::remove_file(&results_path);
    // Round trips write what the API only sends back: every type both ways.
    test_in_crate(
        krate,
        "conformance",
        "serde",
        &[
            ("CONFORMANCE_INSTANCES", &instances_path),
            ("CONFORMANCE_RESULTS", &results_path),
        ],
    )?;
    let results = std::fs::read_to_string(&results_path).context("reading the results")?;
    // The instances and results of a large document run to many megabytes: scratch only.
    for scratch in [&instances_path, &results_path] {
        let _ = std::fs::remove_file(scratch);
    }
    Ok(results)
}

/// Runs the test file `test` of a generated crate with `features`, the files it reads and
/// writes named by `env`; fails with the first line that says what went wrong.
pub fn test_in_crate(
    krate: &Crate<'_>,
    test: &str,
    features: &str,
    env: &[(&str, &Path)],
) -> Result<()> {
    let mut command = crate::process::cargo();
    command
        .args(["test", "--quiet", "--test", test, "--features", features])
        .arg("--manifest-path")
        .arg(krate.dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", krate.target)
        .env("CARGO_TERM_COLOR", "never");
    for (name, path) in env {
        command.env(name, path);
    }
    let out = command.output().context("running cargo test")?;
    if !out.status.success() {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = (stdout.lines().chain(stderr.lines()))
            .find(|l| l.contains("panicked") || l.contains("error"))
            .unwrap_or("the test failed");
        bail!("{test}: {first}");
    }
    Ok(())
}

/// The command that builds a prepared crate and its conformance test (with every type both
/// ways, as the run needs).
pub const BUILD_ARGS: &[&str] = &[
    "test",
    "--no-run",
    "--test",
    "conformance",
    "--features",
    "serde",
];

/// Writes the harness test beside the generated table, and the dev-dependencies it needs (the
/// generated crate names `serde` and `serde_json` only through its runtime).
pub fn prepare(krate: &Crate<'_>) -> Result<()> {
    let test = HARNESS.replace("__CRATE__", krate.rust_name);
    std::fs::write(krate.dir.join("tests/conformance.rs"), test)?;
    let manifest_path = krate.dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)?;
    if !manifest.contains("[dev-dependencies]") {
        // Pinned by the workspace's lock file, which the corpus copies into the crate.
        let with_dev = format!(
            "{manifest}\n[dev-dependencies]\nserde_path_to_error = \"0.1\"\nserde = \"1\"\nserde_json = \"1\"\n"
        );
        std::fs::write(&manifest_path, with_dev)?;
    }
    Ok(())
}

/// Counts the results against the instances.
fn tally(instances: &serde_json::Map<String, Value>, results: &str) -> Conformance {
    let mut c = Conformance {
        unsatisfiable: instances
            .values()
            .filter_map(|e| e["failures"].as_u64())
            .sum::<u64>() as usize,
        ..Conformance::default()
    };
    let mut first_difference = String::new();
    for line in results.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(r) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if r["untyped"] == Value::Bool(true) {
            continue;
        }
        let pointer = r["pointer"].as_str().unwrap_or_default();
        let index = r["index"].as_u64().unwrap_or_default() as usize;
        let original = &instances[pointer]["instances"][index];
        c.instances += 1;
        if r["decoded"] != Value::Bool(true) {
            if c.first_failure.is_empty() {
                c.first_failure = format!(
                    "decode {pointer} at `{}`: {}; instance {}",
                    r["path"].as_str().unwrap_or("."),
                    r["error"].as_str().unwrap_or_default(),
                    original
                );
            }
            continue;
        }
        c.decoded += 1;
        match difference(original, &r["reencoded"], "") {
            None => c.round_tripped += 1,
            Some(path) if first_difference.is_empty() => {
                first_difference = format!(
                    "round trip {pointer} at `{}`: sent {} got {}; instance {}",
                    if path.is_empty() { "." } else { &path },
                    at(original, &path),
                    at(&r["reencoded"], &path),
                    original
                );
            }
            Some(_) => {}
        }
    }
    if c.first_failure.is_empty() {
        c.first_failure = first_difference;
    }
    c
}

/// The value at a dotted path (as [`difference`] spells it), compact.
fn at(value: &Value, path: &str) -> String {
    let mut v = value;
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let next = match seg.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(i) => i.parse::<usize>().ok().and_then(|i| v.get(i)),
            None => v.get(seg),
        };
        match next {
            Some(n) => v = n,
            None => return "(absent)".into(),
        }
    }
    v.to_string()
}

/// The path of the first place where `back` (the re-encoded value) differs from `sent`, or
/// `None`. Properties only in `sent` are not modelled by the type and are ignored; `null` and
/// absent are the same; numbers are compared by value, and so are RFC 3339 date-times (a
/// timestamp type writes its own spelling: `…:38.0Z` comes back `…:38Z`).
pub fn difference(sent: &Value, back: &Value, path: &str) -> Option<String> {
    match (sent, back) {
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            };
            (!same).then(|| path.to_owned())
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, got) in b {
                let child = format!("{path}.{key}");
                match a.get(key) {
                    Some(expected) => {
                        if let Some(p) = difference(expected, got, &child) {
                            return Some(p);
                        }
                    }
                    None if got.is_null() => {}
                    None => return Some(child),
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(path.to_owned());
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| difference(x, y, &format!("{path}.[{i}]")))
        }
        (Value::String(a), Value::String(b)) => {
            (a != b && !same_instant(a, b)).then(|| path.to_owned())
        }
        (a, b) => (a != b).then(|| path.to_owned()),
    }
}

/// Whether both strings are RFC 3339 date-times of the same instant.
fn same_instant(a: &str, b: &str) -> bool {
    match (a.parse::<jiff::Timestamp>(), b.parse::<jiff::Timestamp>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unmodelled_properties_nulls_and_number_spelling_are_not_differences() {
        let sent = json!({"a": 1, "b": null, "extra": {"x": 1}, "n": [1.0, 2]});
        let back = json!({"a": 1.0, "n": [1, 2.0], "c": null});
        assert_eq!(difference(&sent, &back, ""), None);
        let instant = json!({"at": "1947-11-22T06:39:38.0Z", "zone": "2020-01-01T10:00:00+02:00"});
        let canonical = json!({"at": "1947-11-22T06:39:38Z", "zone": "2020-01-01T08:00:00Z"});
        assert_eq!(difference(&instant, &canonical, ""), None);
    }

    #[test]
    fn changed_values_are_found_with_their_path() {
        let sent = json!({"a": {"list": [1, "x"]}, "b": true});
        assert_eq!(
            difference(&sent, &json!({"a": {"list": [1, "y"]}}), ""),
            Some(".a.list.[1]".into())
        );
        assert_eq!(
            difference(&sent, &json!({"b": "true"}), ""),
            Some(".b".into())
        );
        assert_eq!(difference(&sent, &json!({"z": 1}), ""), Some(".z".into()));
        assert_eq!(
            difference(
                &json!("2020-01-01T10:00:00Z"),
                &json!("2020-01-01T10:00:01Z"),
                ""
            ),
            Some(String::new())
        );
        assert_eq!(
            difference(&json!(9007199254740993i64), &json!(9007199254740992i64), ""),
            Some(String::new())
        );
        assert_eq!(at(&sent, ".a.list.[1]"), "\"x\"");
    }

    #[test]
    fn tally_counts_decodes_and_round_trips() {
        let instances = json!({
            "#/a": {"instances": [{"x": 1}, {"x": 2}, "bad"], "failures": 1},
            "#/b": {"instances": [1], "failures": 0}
        });
        let results = [
            json!({"pointer": "#/a", "index": 0, "decoded": true, "reencoded": {"x": 1}}),
            json!({"pointer": "#/a", "index": 1, "decoded": true, "reencoded": {"x": 3}}),
            json!({"pointer": "#/a", "index": 2, "decoded": false, "path": ".", "error": "expected an object"}),
            json!({"pointer": "#/b", "index": 0, "untyped": true}),
        ]
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n");
        let c = tally(instances.as_object().unwrap(), &results);
        assert_eq!(
            (c.instances, c.decoded, c.round_tripped, c.unsatisfiable),
            (3, 2, 1, 1)
        );
        assert!(
            c.first_failure.starts_with("decode #/a at `.`"),
            "{}",
            c.first_failure
        );
    }
}
