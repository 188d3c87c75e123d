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
    codegen::parse_value(&json).unwrap()
}

#[test]
fn json_and_yaml_are_the_same_document() {
    let yaml = std::fs::read(root().join("specs/postpress.yaml")).unwrap();
    assert_eq!(codegen::parse_value(&yaml).unwrap(), spec());
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
            for status in ["400", "401", "404", "429", "502"] {
                assert!(
                    op["responses"][status]["$ref"].is_string(),
                    "{id}: shared {status} response"
                );
            }
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
}

#[test]
fn generation_is_deterministic_and_encoding_independent() {
    let options = codegen::Options {
        strict: true,
        spec_label: "specs/postpress.json".into(),
        crate_name: Some("postpress_sdk".into()),
        ..codegen::Options::default()
    };
    let json = std::fs::read(root().join("specs/postpress.json")).unwrap();
    let yaml = std::fs::read(root().join("specs/postpress.yaml")).unwrap();
    let a = codegen::generate(&json, &options).unwrap();
    let b = codegen::generate(&json, &options).unwrap();
    let c = codegen::generate(&yaml, &options).unwrap();
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
    let g = codegen::generate(&bytes, &codegen::Options::default()).unwrap();
    assert_eq!(g.operations, 72);
    let tagged = g
        .model
        .types
        .iter()
        .filter(|t| matches!(t.kind, codegen::ir::TypeKind::Tagged(_)))
        .count();
    assert!(tagged >= 3, "expected real tagged unions, found {tagged}");
}

/// No constructor of the SDK takes two positional arguments of one Rust type (after aliases),
/// or more than `MAX_POSITIONAL`: such fields are named (`new(XRequired { .. })`).
#[test]
fn no_constructor_takes_confusable_positional_arguments() {
    use codegen::ir::{MAX_POSITIONAL, Ty, TypeKind};
    let json = std::fs::read(root().join("specs/postpress.json")).unwrap();
    let generated = codegen::generate(&json, &codegen::Options::default()).unwrap();
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
