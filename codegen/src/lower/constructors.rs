//! The arguments of generated constructors: which fields `new` takes, in what order, and
//! whether by position or by name.
//!
//! A constructor's arguments are pinned like names: the order a type's `new` first took its
//! arguments in is reported back (see [`Names::constructors`]) and, pinned, kept whatever
//! order the document lists `properties` or `required` in. Reordering a DTO's properties
//! upstream must not turn `new(provider_id, account_id)` into `new(account_id, provider_id)`,
//! which would still compile and send each value as the other.
//!
//! Positional arguments are taken only while they cannot be confused: at most
//! [`MAX_POSITIONAL`], no two of which one value could be passed as (each argument is an
//! `impl Into<T>`: two text fields both take a `&str`, an `i32` and an `f64` both take an
//! `i32`). Otherwise `new` takes one struct of the required fields, `{Type}Required`, whose
//! literal names every field.

use crate::idents::NameSet;
use crate::ir::{MAX_POSITIONAL, Ty, TypeDef, TypeKind};
use crate::pins::Names;
use std::collections::{BTreeSet, HashMap};

/// Decides every struct's constructor: its arguments in pinned order (fields pinned first,
/// in their pinned order, then fields not pinned in document order), recording the order
/// chosen for each type whose constructor takes two or more arguments; and whether they are
/// taken by name, naming the struct that holds them.
/// `pin_key` gives the key a type's pins are kept under (its pointer, or for a type inside an
/// inline union branch, the branch's identity: see `TypeSpace::pin_key`).
pub(super) fn order(
    types: &mut [TypeDef],
    pins: &Names,
    chosen: &mut Names,
    pin_key: &dyn Fn(&str) -> String,
) {
    let kinds: HashMap<String, TypeKind> = (types.iter())
        .map(|t| (t.name.clone(), t.kind.clone()))
        .collect();
    let mut names = NameSet::default();
    for t in types.iter() {
        names.reserve(&t.name);
    }
    for def in types.iter_mut() {
        let (TypeKind::Struct(s) | TypeKind::Multipart(s)) = &mut def.kind else {
            continue;
        };
        let takes: Vec<usize> = (0..s.fields.len())
            .filter(|&i| s.fields[i].in_constructor())
            .collect();
        let mut order: Vec<usize> = Vec::with_capacity(takes.len());
        let key = pin_key(&def.pointer);
        let pinned = (pins.constructors.get(&key)).or_else(|| pins.constructors.get(&def.pointer));
        if let Some(pinned) = pinned {
            for wire in pinned {
                if let Some(&i) = takes.iter().find(|&&i| &s.fields[i].wire == wire)
                    && !order.contains(&i)
                {
                    order.push(i);
                }
            }
        }
        for i in takes {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        if order.len() >= 2 {
            let wires = order.iter().map(|&i| s.fields[i].wire.clone()).collect();
            chosen.constructors.insert(key, wires);
        }
        let classes: Vec<BTreeSet<String>> = (order.iter())
            .map(|&i| classes(&kinds, &s.fields[i].ty, 0))
            .collect();
        let confusable = classes.iter().enumerate().any(|(i, a)| {
            classes[i + 1..]
                .iter()
                .any(|b| a.contains(ANY) || b.contains(ANY) || !a.is_disjoint(b))
        });
        if order.len() > MAX_POSITIONAL || confusable {
            s.named = Some(names.unique(&format!("{}Required", def.name)));
        }
        s.constructor = order;
    }
}

/// The class of a value that converts into anything (`serde_json::Value`).
const ANY: &str = "*";

/// The kinds of value an `impl Into<ty>` argument accepts: two arguments whose sets meet
/// can take the same value, so a swap compiles. Text (`String`, and what converts into it),
/// numbers (`i32`, `i64` and `f64` each take an `i32`), `bool`, dates, each generated type by
/// itself (a union also by what converts into it), lists and maps by their items.
fn classes(kinds: &HashMap<String, TypeKind>, ty: &Ty, depth: usize) -> BTreeSet<String> {
    let one = |c: &str| BTreeSet::from([c.to_owned()]);
    // Only a cycle through unions goes this deep; its types are counted once already.
    if depth > 16 {
        return BTreeSet::new();
    }
    let prefixed = |prefix: &str, inner: BTreeSet<String>| -> BTreeSet<String> {
        if inner.contains(ANY) {
            return one(ANY);
        }
        inner.into_iter().map(|c| format!("{prefix}{c}")).collect()
    };
    match ty {
        Ty::String | Ty::Binary => one("text"),
        Ty::I32 | Ty::I64 | Ty::F64 => one("number"),
        Ty::Bool => one("bool"),
        Ty::DateTime => one("timestamp"),
        Ty::Date => one("date"),
        Ty::Value => one(ANY),
        Ty::Option(inner) | Ty::Boxed(inner) => classes(kinds, inner, depth + 1),
        Ty::Vec(inner) => prefixed("vec ", classes(kinds, inner, depth + 1)),
        Ty::Map(inner) => prefixed("map ", classes(kinds, inner, depth + 1)),
        Ty::Named(name) => match kinds.get(name) {
            Some(TypeKind::Alias(inner)) => classes(kinds, inner, depth + 1),
            Some(TypeKind::Tagged(t)) => {
                let mut set = one(name);
                for v in &t.variants {
                    set.extend(classes(kinds, &v.ty, depth + 1));
                }
                set
            }
            Some(TypeKind::Untagged(u)) => {
                let mut set = one(name);
                for v in &u.variants {
                    set.extend(classes(kinds, &v.ty, depth + 1));
                }
                set
            }
            _ => one(name),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::TypeKind;
    use crate::{Names, Options, generate};

    const DOC: &str = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
      "components": {"schemas": {
        "Mixed": {"type": "object", "required": ["name", "count", "on"],
          "properties": {"name": {"type": "string"}, "count": {"type": "integer"}, "on": {"type": "boolean"}}},
        "TwoTexts": {"type": "object", "required": ["a", "b"],
          "properties": {"a": {"type": "string"}, "b": {"$ref": "#/components/schemas/Id"}}},
        "Id": {"type": "string"},
        "Numbers": {"type": "object", "required": ["n", "x"],
          "properties": {"n": {"type": "integer"}, "x": {"type": "number"}}},
        "Four": {"type": "object", "required": ["a", "b", "c", "d"],
          "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "boolean"},
            "d": {"type": "array", "items": {"type": "string"}}}},
        "AnyAndFlag": {"type": "object", "required": ["v", "f"],
          "properties": {"v": {}, "f": {"type": "boolean"}}},
        "TwoRequired": {"type": "object"}
      }}}"##;

    /// Each struct's constructor: its arguments' wire names in order, and the struct naming
    /// them, if any.
    fn constructors(doc: &str, pins: &Names) -> Vec<(String, Vec<String>, Option<String>)> {
        let options = Options {
            names: pins.clone(),
            ..Options::default()
        };
        let generated = generate(doc.as_bytes(), &options).expect("generates");
        (generated.model.types.iter())
            .filter_map(|t| match &t.kind {
                TypeKind::Struct(s) => Some((
                    t.name.clone(),
                    s.constructor_fields().map(|f| f.wire.clone()).collect(),
                    s.named.clone(),
                )),
                _ => None,
            })
            .collect()
    }

    fn find(
        all: &[(String, Vec<String>, Option<String>)],
        name: &str,
    ) -> (Vec<String>, Option<String>) {
        let (_, args, named) = all.iter().find(|(n, ..)| n == name).expect(name);
        (args.clone(), named.clone())
    }

    #[test]
    fn arguments_are_positional_only_while_they_cannot_be_confused() {
        let all = constructors(DOC, &Names::default());
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(find(&all, "Mixed"), (strs(&["name", "count", "on"]), None));
        for (name, args) in [
            ("TwoTexts", &["a", "b"][..]),
            ("Numbers", &["n", "x"]),
            ("Four", &["a", "b", "c", "d"]),
            ("AnyAndFlag", &["v", "f"]),
        ] {
            assert_eq!(
                find(&all, name),
                (strs(args), Some(format!("{name}Required"))),
                "{name}"
            );
        }
    }

    #[test]
    fn pinned_order_survives_reordering_and_new_fields_go_last() {
        let first = generate(DOC.as_bytes(), &Options::default()).expect("generates");
        let pins = first.names;
        assert_eq!(
            pins.constructors["#/components/schemas/Mixed"],
            ["name", "count", "on"]
        );
        let reordered = DOC
            .replace(
                r#""required": ["name", "count", "on"]"#,
                r#""required": ["on", "extra", "count", "name"]"#,
            )
            .replace(
                r#""properties": {"name": {"type": "string"}, "count""#,
                r#""properties": {"extra": {"type": "string", "format": "date"}, "name": {"type": "string"}, "count""#,
            );
        let all = constructors(&reordered, &pins);
        let (args, _) = find(&all, "Mixed");
        assert_eq!(args, ["name", "count", "on", "extra"]);
    }
}
