//! The checked-in PostPress document: both encodings agree, and every operation carries the
//! conventions the usage page promises.

use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn spec() -> Value {
    let json = std::fs::read(root().join("specs/postpress.json")).unwrap();
    openapi_sdkgen::parse_value(&json).unwrap()
}

#[test]
fn json_and_yaml_are_the_same_document() {
    let yaml = std::fs::read(root().join("specs/postpress.yaml")).unwrap();
    assert_eq!(openapi_sdkgen::parse_value(&yaml).unwrap(), spec());
}

#[test]
fn every_operation_follows_the_conventions() {
    let doc = spec();
    let mut count = 0;
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "patch", "delete", "put"].contains(&method.as_str()) {
                continue;
            }
            count += 1;
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert_eq!(
                op["tags"].as_array().map(Vec::len),
                Some(1),
                "{id}: one tag"
            );
            for status in ["400", "401", "404", "429", "502", "default"] {
                assert!(
                    op["responses"][status]["$ref"].is_string(),
                    "{id}: shared {status} response"
                );
            }
            // The error blocks the reference pages list (their text unreadable); the stub and
            // guide-only operations have no such pages and rely on `default`.
            let guide_only = path.starts_with("/calendars")
                || path == "/events"
                || path == "/emails/drafts"
                || (path == "/accounts/{id}" && method == "patch");
            for status in ["403", "409", "422", "500", "503"] {
                assert_eq!(
                    op["responses"][status]["$ref"].is_string(),
                    !guide_only,
                    "{id}: {status} on reference operations only"
                );
            }
            // `port` (usage page) reaches every operation, as a parameter any tool can set.
            let port = item["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["$ref"] == "#/components/parameters/PortQuery");
            assert!(port, "{id}: the PortQuery parameter");
            let idempotency = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["$ref"] == "#/components/parameters/IdempotencyKey");
            assert_eq!(
                idempotency,
                method == "post" || method == "patch",
                "{id}: Idempotency-Key on POST/PATCH only"
            );
        }
    }
    assert_eq!(count, 61);
    let port = &doc["components"]["parameters"]["PortQuery"];
    assert_eq!(port["in"], "query");
    assert_eq!(
        port["x-client-wide"], true,
        "the SDK sets port on the client"
    );
}

#[test]
fn generation_is_deterministic_and_encoding_independent() {
    let options = openapi_sdkgen::Options {
        strict: true,
        spec_label: "specs/postpress.json".into(),
        crate_name: Some("postpress_sdk".into()),
        ..openapi_sdkgen::Options::default()
    };
    let json = std::fs::read(root().join("specs/postpress.json")).unwrap();
    let yaml = std::fs::read(root().join("specs/postpress.yaml")).unwrap();
    let a = openapi_sdkgen::generate(&json, &options).unwrap();
    let b = openapi_sdkgen::generate(&json, &options).unwrap();
    let c = openapi_sdkgen::generate(&yaml, &options).unwrap();
    assert_eq!(a.files, b.files);
    assert_eq!(a.files, c.files);
    assert_eq!(a.operations, 61);
}

#[test]
fn regen_check_is_clean() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--check"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn vendor_fixture_generates_tagged_unions() {
    let path = root().join("fixtures/vendor-shape/vendor-shape.json");
    let Ok(bytes) = std::fs::read(&path) else {
        panic!("the vendor fixture is missing at {}", path.display());
    };
    let g = openapi_sdkgen::generate(&bytes, &openapi_sdkgen::Options::default()).unwrap();
    assert_eq!(g.operations, 72);
    let tagged = g
        .model
        .types
        .iter()
        .filter(|t| matches!(t.kind, openapi_sdkgen::ir::TypeKind::Tagged(_)))
        .count();
    assert!(tagged >= 3, "expected real tagged unions, found {tagged}");
}

/// No constructor of the SDK takes two positional arguments of one Rust type (after aliases),
/// or more than `MAX_POSITIONAL`: such fields are named (`new(XRequired { .. })`).
#[test]
fn no_constructor_takes_confusable_positional_arguments() {
    use openapi_sdkgen::ir::{MAX_POSITIONAL, Ty, TypeKind};
    let json = std::fs::read(root().join("specs/postpress.json")).unwrap();
    let generated = openapi_sdkgen::generate(&json, &openapi_sdkgen::Options::default()).unwrap();
    let model = &generated.model;
    let alias = |ty: &Ty| -> Ty {
        let mut ty = ty.clone();
        while let Ty::Named(n) = &ty {
            match model.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                _ => break,
            }
        }
        ty
    };
    let (mut positional, mut named) = (0, 0);
    for def in &model.types {
        let (TypeKind::Struct(s) | TypeKind::Multipart(s)) = &def.kind else {
            continue;
        };
        if s.named.is_some() {
            named += 1;
            continue;
        }
        positional += 1;
        let types: Vec<Ty> = s.constructor_fields().map(|f| alias(&f.ty)).collect();
        assert!(
            types.len() <= MAX_POSITIONAL,
            "{}::new: {types:?}",
            def.name
        );
        for (i, t) in types.iter().enumerate() {
            assert!(
                !types[i + 1..].contains(t),
                "{}::new takes two positional {t:?}",
                def.name
            );
        }
    }
    let chat = model.types.iter().find(|t| t.name == "Chat").unwrap();
    assert!(
        matches!(&chat.kind, TypeKind::Struct(s) if s.named.as_deref() == Some("ChatRequired"))
    );
    assert!(
        positional > 50 && named > 20,
        "{positional} positional, {named} named"
    );
}

/// Whether a Cargo version requirement (`"0.2"`, `"0.2.0"`, `"1"`) accepts `version` by
/// caret rules.
fn accepts(requirement: &str, version: &str) -> bool {
    let parse = |s: &str| -> Vec<u64> { s.split('.').map(|p| p.parse().unwrap()).collect() };
    let (req, ver) = (parse(requirement), parse(version));
    // The components up to and including the first non-zero one must match; the rest of the
    // requirement may not exceed the version.
    let significant = req
        .iter()
        .position(|&p| p != 0)
        .map_or(req.len(), |i| i + 1);
    req.iter().zip(&ver).take(significant).all(|(r, v)| r == v) && req[..] <= ver[..req.len()]
}

/// The READMEs and crate docs name the crate's real version and features: every dependency
/// line on `postpress-sdk` requires a version the manifest's satisfies and enables features
/// the manifest declares, every `features = [..]` the docs suggest exists, and the features
/// table lists exactly the manifest's features.
#[test]
fn readmes_agree_with_the_manifest() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("postpress-sdk/Cargo.toml")).unwrap())
            .unwrap();
    let version = manifest["package"]["version"].as_str().unwrap().to_owned();
    let features: std::collections::BTreeSet<String> = manifest["features"]
        .as_table()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let quoted =
        |s: &str| -> Vec<String> { s.split('"').skip(1).step_by(2).map(str::to_owned).collect() };
    let mut checked = 0;
    for file in [
        "README.md",
        "postpress-sdk/README.md",
        "postpress-sdk/src/lib.rs",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for (n, line) in text.lines().enumerate() {
            let at = format!("{file}:{}", n + 1);
            let line = line.trim_start_matches("//!").trim();
            if line.starts_with("postpress-sdk = ") {
                for v in quoted(line)
                    .iter()
                    .filter(|q| q.chars().all(|c| c.is_ascii_digit() || c == '.'))
                {
                    assert!(
                        accepts(v, &version),
                        "{at}: \"{v}\" does not accept the crate's version {version}: {line}"
                    );
                    checked += 1;
                }
            }
            let suggests_features =
                line.starts_with("postpress-sdk = ") || line.contains("default-features = false");
            if suggests_features
                && file != "README.md"
                && let Some(list) = line.split("features = [").nth(1)
            {
                for feature in quoted(list.split(']').next().unwrap()) {
                    assert!(
                        features.contains(&feature),
                        "{at}: feature `{feature}` is not in postpress-sdk/Cargo.toml: {line}"
                    );
                    checked += 1;
                }
            }
            if file == "README.md"
                && line.starts_with("postpress-sdk = ")
                && let Some(list) = line.split("features = [").nth(1)
            {
                for feature in quoted(list.split(']').next().unwrap()) {
                    assert!(features.contains(&feature), "{at}: `{feature}`: {line}");
                    checked += 1;
                }
            }
        }
    }
    // The features table of the crate's README.
    let readme = std::fs::read_to_string(root().join("postpress-sdk/README.md")).unwrap();
    let table: std::collections::BTreeSet<String> = readme
        .lines()
        .skip_while(|l| !l.starts_with("## Cargo features"))
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next().map(str::to_owned))
        .collect();
    let declared: std::collections::BTreeSet<String> = features
        .iter()
        .filter(|f| *f != "default")
        .cloned()
        .collect();
    assert_eq!(table, declared, "postpress-sdk/README.md's features table");
    assert!(checked >= 6, "only {checked} versions and features checked");
}

#[test]
fn version_requirements_follow_caret_rules() {
    assert!(accepts("0.2", "0.2.0") && accepts("0.2.0", "0.2.3") && accepts("1", "1.4.0"));
    assert!(!accepts("0.1", "0.2.0") && !accepts("0.2.4", "0.2.3") && !accepts("2", "1.0.0"));
}

/// Every operation doc example builds its body: none hides a `todo!()` where the body type
/// has a constructor the example could call.
#[test]
fn doc_examples_build_their_bodies() {
    let dir = root().join("postpress-sdk/src/generated");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().filter(|l| l.contains("todo!()")) {
                assert!(!line.contains("let body"), "{}: {line}", path.display());
            }
        }
    }
}
