//! What the emitters need to know about the model beyond each item itself, decided once after
//! lowering and read as fields: which Cargo features compile each group, operation and type
//! (when the crate is split by group), which types some request sends (and so are written),
//! and which union variants convert into their union. Emitters never decide a gate, a
//! direction or a conversion themselves.
//!
//! **Features.** Every operation belongs to one feature ([`Operation::feature`]: its tag, or
//! the first resource segment of its path), so the names follow the document's words, never
//! its order; `full` enables them all and is the default. A module whose operations share one
//! feature is gated whole; in a module that mixes several (the untagged operations of a
//! document all land in one module), each method and builder is gated with its own. A type is
//! compiled when any feature whose operations reach it is on (up to
//! [`MAX_FEATURES_PER_TYPE`] of them); a type more features share stays available whatever
//! is enabled; a type no operation reaches comes with `full`. A callback's payload comes with
//! the feature of the operation declaring it; webhook payloads (3.1 `webhooks`, 3.0
//! `x-webhooks`) come with a feature of their own, [`WEBHOOKS_FEATURE`] (shared with a group
//! of operations of that name, which then brings them too).
//!
//! **Writing** ([`JsonImpls::AsUsed`]). Every type is read: responses, errors, pages and
//! webhooks decode into them, and a user may read any of them from stored JSON. A type is
//! written only when some request sends it (a body or parameter, or a type inside one); the
//! writing of the others, and their setters, come with the crate's `serde` feature (which
//! `mock` turns on) and in its own tests. JSON code is most of what a generated crate costs to
//! check (BENCHMARKS.md), and most types of an API are only ever read. What a type gets only
//! grows as its document grows: a type starts being written when an operation, field or
//! variant starts sending it, and nothing is taken away from code written against an earlier
//! version. (Reading only what responses carry would break that: a type no operation uses
//! yet, then used only in a request, would lose its reading.) The exception is a change that
//! splits two identical inline schemas the lowering shared as one type: the copy left on the
//! response side stops being written.

use crate::ir::{BodyKind, CallbackOrigin, Model, Operation, Success, Ty, TypeKind};
use crate::options::{GroupFeatures, JsonImpls};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// From this many operations (and two features) up, `GroupFeatures::Auto` splits a crate.
/// A generated crate checks at roughly 20 to 50 ms per operation on the benchmark machine
/// (BENCHMARKS.md), so below this a whole crate checks in a few seconds and the features would
/// only add noise to its manifest; above it, a user who needs a few groups saves most of it.
pub const GROUP_FEATURE_THRESHOLD: usize = 250;

/// A type reached by at most this many features is compiled when any of them is on; one
/// reached by more is always compiled, so a `#[cfg(any(..))]` never grows into a list of
/// half the crate's features (its cost in lines would outweigh what it saves).
pub const MAX_FEATURES_PER_TYPE: usize = 8;

/// The feature webhook payloads (and the types only they reach) are compiled under in a split
/// crate, so a build of one group does not compile every payload of a large document.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// The facts of one model under one set of options.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    /// Whether the crate is split into per-group features.
    pub split: bool,
    /// Whether some types are written only with the crate's `serde` feature.
    pub serde_feature: bool,
    /// Per group, in `model.groups` order.
    pub groups: Vec<GroupFacts>,
    /// Per operation, in `model.operations` order.
    pub operations: Vec<OperationFacts>,
    /// Per type, in `model.types` order.
    pub types: Vec<TypeFacts>,
}

/// What gates a group's items (its module, accessor, stubs).
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupFacts {
    /// Compiled when any of these features is on; empty: always.
    pub gate: Vec<String>,
}

/// What gates one operation's items (method, builder, enums, stub).
#[derive(Debug, Clone, Default)]
pub(crate) struct OperationFacts {
    /// Its own gate, where its module mixes features; empty where the module is gated whole
    /// or the crate is not split.
    pub gate: Vec<String>,
}

/// What a type's emitter needs beyond its definition.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeFacts {
    /// Compiled when any of these features is on; empty: always.
    pub gate: Vec<String>,
    /// Whether it implements `Serialize` and has its setters unconditionally.
    pub written: bool,
    /// For a union, the variants (indexes into its variants) whose payload converts into it by
    /// `From`: those whose Rust type no other variant shares (two impls would conflict), aliases
    /// followed. Boxed and any-JSON payloads are left to be wrapped by hand.
    pub convertible: Vec<usize>,
}

impl Facts {
    /// Decides the facts of `model`: split by `group_features`, written by `json`.
    pub(crate) fn of(model: &Model, group_features: GroupFeatures, json: JsonImpls) -> Self {
        let split = match group_features {
            GroupFeatures::Off => false,
            GroupFeatures::On => true,
            GroupFeatures::Auto => worth_splitting(model),
        };
        let sent = match json {
            JsonImpls::AsUsed => written_types(model),
            JsonImpls::BothWays => vec![true; model.types.len()],
        };
        let gates = if split {
            type_gates(model)
        } else {
            vec![Vec::new(); model.types.len()]
        };
        let group_features: Vec<Vec<String>> = (0..model.groups.len())
            .map(|gi| features_of_group(model, gi))
            .collect();
        let operations = (model.operations.iter())
            .map(|op| OperationFacts {
                gate: if split && group_features[op.group].len() > 1 {
                    vec![op.feature.clone()]
                } else {
                    Vec::new()
                },
            })
            .collect();
        let groups = (group_features.into_iter())
            .map(|features| GroupFacts {
                gate: if split { features } else { Vec::new() },
            })
            .collect();
        let types = (gates.into_iter().zip(sent).zip(&model.types))
            .map(|((gate, written), def)| TypeFacts {
                gate,
                written,
                convertible: convertible_variants(model, &def.kind),
            })
            .collect();
        Facts {
            split,
            serde_feature: json == JsonImpls::AsUsed,
            groups,
            operations,
            types,
        }
    }
}

/// Every Cargo feature of the model, sorted: one per operation feature, plus
/// [`WEBHOOKS_FEATURE`] when the document declares webhooks with payloads.
pub fn all_features(model: &Model) -> Vec<String> {
    let mut set = operation_features(model);
    if model
        .callbacks
        .iter()
        .any(|cb| cb.payload.is_some() && payload_feature(model, &cb.origin).is_none())
    {
        set.insert(WEBHOOKS_FEATURE.to_owned());
    }
    set.into_iter().collect()
}

fn operation_features(model: &Model) -> BTreeSet<String> {
    model.operations.iter().map(|o| o.feature.clone()).collect()
}

/// The feature of the operation declaring a callback; `None` for a webhook.
fn payload_feature<'m>(model: &'m Model, origin: &CallbackOrigin) -> Option<&'m str> {
    let CallbackOrigin::Operation { method, path, .. } = origin else {
        return None;
    };
    (model.operations.iter())
        .find(|op| op.http_method == *method && op.path == *path)
        .map(|op| op.feature.as_str())
}

/// The features of group `gi`'s operations, sorted.
fn features_of_group(model: &Model, gi: usize) -> Vec<String> {
    let set: BTreeSet<String> = (model.operations.iter())
        .filter(|o| o.group == gi)
        .map(|o| o.feature.clone())
        .collect();
    set.into_iter().collect()
}

/// Whether a model is worth splitting under `GroupFeatures::Auto`: enough operations in
/// two groups or more (webhooks alone do not make a second).
fn worth_splitting(model: &Model) -> bool {
    model.operations.len() >= GROUP_FEATURE_THRESHOLD && operation_features(model).len() > 1
}

/// For each type of `model.types` (same order), the features it is compiled under: empty
/// when it stays available whatever is enabled.
fn type_gates(model: &Model) -> Vec<Vec<String>> {
    let index = type_index(model);
    // The features that reach each type (sorted, as BTreeMap keys are visited in order).
    let mut reach: Vec<Vec<String>> = vec![Vec::new(); model.types.len()];
    let mut roots_by_feature: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in &model.operations {
        operation_types(op, roots_by_feature.entry(op.feature.clone()).or_default());
    }
    // A callback's payload comes with its operation; webhook payloads with a feature of their
    // own (merged with an operation feature of the same name, which then reaches them too).
    for cb in &model.callbacks {
        if let Some(ty) = &cb.payload {
            let feature = payload_feature(model, &cb.origin).unwrap_or(WEBHOOKS_FEATURE);
            named(ty, roots_by_feature.entry(feature.to_owned()).or_default());
        }
    }
    for (feature, roots) in roots_by_feature {
        for t in closure(model, &index, roots) {
            reach[t].push(feature.clone());
        }
    }
    // A type any feature that names it may need is gated with all of them: whatever a gated
    // type names, every feature reaching it reaches too, so nothing points at a type its
    // own gate can remove. A type no operation reaches is gated with `full`, which enables
    // every feature, so the same holds; left always compiled, such types (and all they name)
    // made up most of a one-feature build of a large document (Microsoft Graph: 54.5 s, 12.5 s
    // with them behind `full`). Types reached by too many features are always compiled, and
    // so is everything they name. (Response bodies are reached through their operations; the
    // conformance table, which names them all, is only emitted for checks of the whole
    // crate.)
    for r in reach.iter_mut() {
        if r.is_empty() {
            r.push("full".to_owned());
        }
    }
    let mut roots = Vec::new();
    for (i, r) in reach.iter().enumerate() {
        if r.len() > MAX_FEATURES_PER_TYPE {
            roots.push(model.types[i].name.clone());
        }
    }
    for t in closure(model, &index, roots) {
        reach[t].clear();
    }
    reach
}

/// For each type of `model.types` (same order), whether it is written: some request sends it.
fn written_types(model: &Model) -> Vec<bool> {
    let index = type_index(model);
    let mut roots = Vec::new();
    for op in &model.operations {
        request_types(op, &mut roots);
    }
    let mut sent = vec![false; model.types.len()];
    for i in closure(model, &index, roots) {
        sent[i] = true;
    }
    sent
}

/// The variants of a union whose payload converts into it (see [`TypeFacts::convertible`]).
fn convertible_variants(model: &Model, kind: &TypeKind) -> Vec<usize> {
    let resolved: Vec<Ty> = (kind.union_variants().into_iter())
        .map(|(_, ty)| through_aliases(model, ty))
        .collect();
    (resolved.iter().enumerate())
        .filter(|(_, r)| {
            !matches!(r, Ty::Value | Ty::Boxed(_))
                && resolved.iter().filter(|o| o == r).count() == 1
        })
        .map(|(i, _)| i)
        .collect()
}

/// `ty` with aliases followed, so two spellings of one Rust type compare equal.
fn through_aliases(model: &Model, ty: &Ty) -> Ty {
    let mut ty = ty.clone();
    // Alias chains are short; the bound only guards against an alias cycle.
    for _ in 0..16 {
        let Ty::Named(n) = &ty else { break };
        match model.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
            Some(TypeKind::Alias(inner)) => ty = inner.clone(),
            _ => break,
        }
    }
    ty
}

/// Each type's index in `model.types`, by name.
fn type_index(model: &Model) -> HashMap<&str, usize> {
    (model.types.iter().enumerate())
        .map(|(i, t)| (t.name.as_str(), i))
        .collect()
}

/// Every type reachable from `roots` (by name), as indexes into `model.types`.
fn closure(model: &Model, index: &HashMap<&str, usize>, roots: Vec<String>) -> Vec<usize> {
    let mut seen = vec![false; model.types.len()];
    let mut stack = roots;
    let mut out = Vec::new();
    while let Some(name) = stack.pop() {
        let Some(&i) = index.get(name.as_str()) else {
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        type_references(&model.types[i].kind, &mut stack);
    }
    out
}

/// The named types an operation's inputs and outputs mention.
fn operation_types(op: &Operation, out: &mut Vec<String>) {
    request_types(op, out);
    for case in &op.success {
        if let Success::Json(ty) = &case.body {
            named(ty, out);
        }
    }
    for case in &op.errors {
        if let Some(ty) = &case.body {
            named(ty, out);
        }
    }
    if let Some(p) = &op.pagination {
        named(&p.item_ty, out);
    }
}

/// The named types an operation's request mentions: its parameters and body choices.
fn request_types(op: &Operation, out: &mut Vec<String>) {
    for p in &op.params {
        named(&p.ty, out);
    }
    if let Some(body) = &op.body {
        for choice in body.choices() {
            match &choice.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) => named(ty, out),
                BodyKind::Multipart(name) => out.push(name.clone()),
                BodyKind::Bytes | BodyKind::Text => {}
            }
        }
    }
}

/// The named types one type's definition mentions.
fn type_references(kind: &TypeKind, out: &mut Vec<String>) {
    match kind {
        TypeKind::Struct(s) | TypeKind::Multipart(s) => {
            for f in &s.fields {
                named(&f.ty, out);
            }
            if let Some(ty) = &s.additional {
                named(ty, out);
            }
        }
        TypeKind::Enum(_) => {}
        TypeKind::Tagged(t) => {
            for v in &t.variants {
                named(&v.ty, out);
            }
            for f in &t.shared {
                named(&f.ty, out);
            }
        }
        TypeKind::Untagged(u) => {
            for v in &u.variants {
                named(&v.ty, out);
            }
        }
        TypeKind::Alias(ty) => named(ty, out),
    }
}

/// The generated type names inside `ty`.
fn named(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Vec(i) | Ty::Map(i) | Ty::Option(i) | Ty::Boxed(i) => named(i, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::written_types;
    use crate::{Options, generate};
    use std::collections::BTreeMap;

    /// An order is sent, its receipt comes back, money travels both ways; `Event` is used by
    /// no operation, and a receipt's payment is a union of two kinds.
    const DOC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /orders:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Receipt'}}}}
components:
  schemas:
    Order: {type: object, properties: {line: {$ref: '#/components/schemas/Line'}}}
    Line: {type: object, properties: {price: {$ref: '#/components/schemas/Money'}}}
    Money: {type: object, properties: {cents: {type: integer}}}
    Receipt:
      type: object
      properties:
        total: {$ref: '#/components/schemas/Money'}
        payment:
          oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Wire'}]
    Card: {type: object, properties: {last4: {type: string}}}
    Wire: {type: object, properties: {iban: {type: string}}}
    Event: {type: object, properties: {customer: {$ref: '#/components/schemas/Customer'}}}
    Customer: {type: object, properties: {id: {type: string}}}
"#;

    fn sent(doc: &str) -> BTreeMap<String, bool> {
        let out = generate(doc.as_bytes(), &Options::default()).unwrap();
        (out.model.types.iter())
            .map(|t| t.name.clone())
            .zip(written_types(&out.model))
            .collect()
    }

    #[test]
    fn a_type_is_written_when_a_request_sends_it() {
        let sent = sent(DOC);
        assert!(sent["Order"]);
        assert!(sent["Line"], "inside a sent type");
        assert!(sent["Money"], "sent in a line, received in a receipt");
        for only_read in ["Receipt", "Card", "Wire", "Event", "Customer"] {
            assert!(!sent[only_read], "{only_read}");
        }
    }

    #[test]
    fn a_growing_document_never_takes_writing_away() {
        // A new operation sends `Event` (once unused) and receives `Order` (once only sent).
        let grown = DOC.replace(
            "components:",
            r#"  /events:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Event'}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
components:"#,
        );
        let after = sent(&grown);
        assert!(after["Event"] && after["Customer"]);
        for (name, was) in sent(DOC) {
            assert!(after[&name] || !was, "{name} is no longer written");
        }
    }

    #[test]
    fn types_only_read_carry_the_engine_marker() {
        let types = |options: &Options| {
            let out = generate(DOC.as_bytes(), options).unwrap();
            let file = (out.files.iter())
                .find(|f| f.path == "src/generated/types.rs")
                .unwrap();
            (out.serde_feature, file.contents.clone())
        };
        let (feature, as_used) = types(&Options::default());
        assert!(feature);
        assert!(as_used.contains("received Receipt {"), "{as_used}");
        assert!(as_used.contains("received Card {"), "{as_used}");
        assert!(as_used.contains("object!(Order {"), "{as_used}");
        assert!(!as_used.contains("received Order"), "{as_used}");
        let both = Options {
            json: crate::JsonImpls::BothWays,
            ..Options::default()
        };
        let (feature, both_ways) = types(&both);
        assert!(!feature);
        assert!(!both_ways.contains("received "), "{both_ways}");
    }

    /// A split crate compiles webhook payloads under their own feature: a type only a webhook
    /// carries comes with `webhooks`, one an operation returns too with either; a callback's
    /// payload comes with its operation.
    #[test]
    fn webhook_payloads_come_with_their_own_feature() {
        let doc = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /orders:
    get:
      tags: [orders]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}
      callbacks:
        exported:
          '{$request.query.url}':
            post:
              requestBody:
                content: {application/json: {schema: {$ref: '#/components/schemas/Export'}}}
              responses: {'200': {description: ok}}
x-webhooks:
  order-shipped:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Shipped'}}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Order: {type: object, properties: {id: {type: string}}}
    Shipped: {type: object, properties: {order: {$ref: '#/components/schemas/Order'}, carrier: {$ref: '#/components/schemas/Carrier'}}}
    Carrier: {type: object, properties: {name: {type: string}}}
    Export: {type: object, properties: {file: {type: string}}}
"#;
        let options = Options {
            group_features: crate::GroupFeatures::On,
            ..Options::default()
        };
        let out = generate(doc.as_bytes(), &options).unwrap();
        let facts = super::Facts::of(
            &out.model,
            crate::GroupFeatures::On,
            crate::JsonImpls::AsUsed,
        );
        let gate = |name: &str| {
            let i = out.model.types.iter().position(|t| t.name == name).unwrap();
            facts.types[i].gate.clone()
        };
        assert_eq!(gate("Shipped"), ["webhooks"]);
        assert_eq!(gate("Carrier"), ["webhooks"]);
        assert_eq!(gate("Order"), ["orders", "webhooks"]);
        assert_eq!(gate("Export"), ["orders"]);
        assert_eq!(super::all_features(&out.model), ["orders", "webhooks"]);
        let table = crate::features::cargo_features(&out.model);
        assert!(
            table.contains("full = [\"orders\", \"webhooks\"]"),
            "{table}"
        );
    }
}
