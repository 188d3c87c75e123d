//! How the docs name types and bodies in prose (`Vec<Account>`, "built with `new(..)` and
//! setters"): the method docs of `operations` and the `API.md` index of `index` share these.

use super::docs;
use crate::facts::Facts;
use crate::ir::{Body, BodyKind, Model, Ty, TypeKind};

/// A type as a reader names it in prose (`Account`, `Vec<Account>`).
pub(super) fn type_label(ty: &Ty) -> String {
    match ty {
        Ty::String | Ty::Binary => "String".into(),
        Ty::DateTime => "Timestamp".into(),
        Ty::Date => "Date".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Value => "Value".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(i) => format!("Vec<{}>", type_label(i)),
        Ty::Map(i) => format!("BTreeMap<String, {}>", type_label(i)),
        Ty::Option(i) => format!("Option<{}>", type_label(i)),
        Ty::Boxed(i) => format!("Box<{}>", type_label(i)),
    }
}

/// The type of one encoding of a body as a reader names it in prose.
pub(super) fn kind_label(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => type_label(ty),
        BodyKind::Multipart(name) => name.clone(),
        BodyKind::Bytes => "Bytes".into(),
        BodyKind::Text => "String".into(),
    }
}

/// What a method's docs say about its body: the type it takes and how to build one.
pub(super) fn body_guide(model: &Model, facts: &Facts, body: &Body) -> String {
    if let Some(name) = &body.choice_enum {
        return format!(
            "a [`{name}`] (a {} converts into it)",
            docs::code(&kind_label(&body.default.kind))
        );
    }
    match &body.default.kind {
        BodyKind::Json(Ty::Named(name)) | BodyKind::Multipart(name) => {
            match build_hint(model, facts, name) {
                Some(hint) => format!("a [`{name}`](crate::types::{name}), {hint}"),
                None => format!("a [`{name}`](crate::types::{name})"),
            }
        }
        kind => format!("a {}", docs::code(&kind_label(kind))),
    }
}

/// How to build a value of generated type `name`, in markdown: its constructor for a struct
/// (naming the parameters), or, for a union, the types of the variants that convert into it;
/// `None` for any other type.
pub(super) fn build_hint(model: &Model, facts: &Facts, name: &str) -> Option<String> {
    let index = model.types.iter().position(|t| t.name == name)?;
    let def = &model.types[index];
    match &def.kind {
        TypeKind::Struct(s) | TypeKind::Multipart(s) => {
            let args: Vec<&str> = s.constructor_fields().map(|f| f.ident.as_str()).collect();
            Some(match &s.named {
                None => format!("built with `new({})` and setters", args.join(", ")),
                Some(named) => format!(
                    "built with `new({named} {{ {} }})` and setters",
                    args.join(", ")
                ),
            })
        }
        TypeKind::Tagged(_) | TypeKind::Untagged(_) => {
            let variants = def.kind.union_variants();
            let payloads: Vec<String> = (facts.types[index].convertible.iter())
                .filter_map(|&v| variants.get(v))
                .map(|(_, ty)| format!("`{}`", type_label(ty)))
                .collect();
            (!payloads.is_empty())
                .then(|| format!("or any of {} (each converts into it)", payloads.join(", ")))
        }
        _ => None,
    }
}
