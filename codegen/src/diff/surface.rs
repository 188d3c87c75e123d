//! The Rust-surface consequences of a document change: both documents are generated with the
//! same pinned names, and the methods, types and field types of the two results compared.
//! What the document walk calls a change in the document, this names in the crate's own terms
//! (`accounts.list` removed, `types::Account` renamed, a field's type changed).

use crate::ir::{Model, Ty, TypeKind};
use crate::{FileError, MethodName, Names};
use std::collections::BTreeMap;

/// The surface changes between two documents, one line each, sorted; or why the surface
/// could not be compared (a document the generator rejects).
pub(super) fn compare(old: &[u8], new: &[u8], pins: &Names) -> Result<Vec<String>, FileError> {
    let generate = |bytes: &[u8], which: &str| {
        let options = crate::Options {
            names: pins.clone(),
            ..crate::Options::default()
        };
        crate::generate(bytes, &options).map_err(|source| FileError::Generate {
            document: format!("the {which} document"),
            source,
        })
    };
    let (old, new) = (generate(old, "old")?, generate(new, "new")?);
    let mut lines = Vec::new();
    methods(&old.names, &new.names, &mut lines);
    types(&old.names, &new.names, &old.model, &new.model, &mut lines);
    lines.sort();
    Ok(lines)
}

/// Whether a surface change can stop code written against the old SDK from compiling: a
/// method, type or field removed or renamed, a field's type changed, or a constructor's
/// arguments changed (one added, removed, retyped, reordered, or now taken by name).
pub(super) fn is_breaking(line: &str) -> bool {
    line.contains("::new`: arguments changed")
        || line.ends_with(" removed")
        || line.contains(" removed (")
        || line.contains(" renamed to ")
        || (line.starts_with("field ") && line.contains(" -> "))
}

fn methods(old: &Names, new: &Names, out: &mut Vec<String>) {
    let call = |n: &MethodName| format!("{}().{}()", n.group, n.method);
    for (key, o) in &old.operations {
        match new.operations.get(key) {
            None => out.push(format!("method {} removed ({key})", call(o))),
            Some(n) if n != o => {
                out.push(format!("method {} renamed to {} ({key})", call(o), call(n)))
            }
            Some(_) => {}
        }
    }
    for (key, n) in &new.operations {
        if !old.operations.contains_key(key) {
            out.push(format!("method {} added ({key})", call(n)));
        }
    }
}

fn types(old: &Names, new: &Names, old_model: &Model, new_model: &Model, out: &mut Vec<String>) {
    let defined = |m: &Model| -> BTreeMap<String, TypeKind> {
        (m.types.iter())
            .map(|t| (t.name.clone(), t.kind.clone()))
            .collect()
    };
    let (before, after) = (defined(old_model), defined(new_model));
    // A renamed type: the same schema named differently.
    let mut renamed = BTreeMap::new();
    for (at, o) in &old.types {
        if let Some(n) = new.types.get(at)
            && n != o
            && before.contains_key(o)
            && after.contains_key(n)
        {
            renamed.insert(o.clone(), n.clone());
        }
    }
    for (o, n) in &renamed {
        out.push(format!("type {o} renamed to {n}"));
    }
    for name in before.keys() {
        if !after.contains_key(name) && !renamed.contains_key(name) {
            out.push(format!("type {name} removed"));
        }
    }
    for name in after.keys() {
        if !before.contains_key(name) && !renamed.values().any(|n| n == name) {
            out.push(format!("type {name} added"));
        }
    }
    for (name, kind) in &before {
        let target = renamed.get(name).unwrap_or(name);
        if let (
            TypeKind::Struct(o) | TypeKind::Multipart(o),
            Some(TypeKind::Struct(n) | TypeKind::Multipart(n)),
        ) = (kind, after.get(target))
        {
            let (was, is) = (constructor(o), constructor(n));
            if was != is {
                out.push(format!(
                    "`{target}::new`: arguments changed from `new({was})` to `new({is})`"
                ));
            }
        }
        if let (TypeKind::Struct(o), Some(TypeKind::Struct(n))) = (kind, after.get(target)) {
            for field in &o.fields {
                match n.fields.iter().find(|f| f.wire == field.wire) {
                    None => out.push(format!("field {target}.{} removed", field.ident)),
                    Some(f) if rust(&f.ty) != rust(&field.ty) || f.required != field.required => {
                        out.push(format!(
                            "field {target}.{}: {} -> {}",
                            field.ident,
                            shown(&field.ty, field.required),
                            shown(&f.ty, f.required)
                        ))
                    }
                    Some(_) => {}
                }
            }
            for field in &n.fields {
                if !o.fields.iter().any(|f| f.wire == field.wire) {
                    out.push(format!(
                        "field {target}.{} added: {}",
                        field.ident,
                        shown(&field.ty, field.required)
                    ));
                }
            }
        }
    }
}

/// A constructor's parameters as its signature spells them (`a: String, b: i32`).
fn constructor(s: &crate::ir::Struct) -> String {
    let args: Vec<String> = s
        .constructor_fields()
        .map(|f| format!("{}: {}", f.ident, rust(&f.ty)))
        .collect();
    match &s.named {
        None => args.join(", "),
        Some(named) => format!("{named} {{ {} }}", args.join(", ")),
    }
}

/// A field's type as the struct declares it.
fn shown(ty: &Ty, required: bool) -> String {
    if required {
        rust(ty)
    } else {
        format!("Option<{}>", rust(ty))
    }
}

/// A type as Rust spells it, short (no paths).
fn rust(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::DateTime => "Timestamp".into(),
        Ty::Date => "Date".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Binary => "Bytes".into(),
        Ty::Value => "Value".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(t) => format!("Vec<{}>", rust(t)),
        Ty::Map(t) => format!("Map<String, {}>", rust(t)),
        Ty::Option(t) => format!("Option<{}>", rust(t)),
        Ty::Boxed(t) => format!("Box<{}>", rust(t)),
    }
}
