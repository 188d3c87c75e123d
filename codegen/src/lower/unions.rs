//! `oneOf` / `anyOf` -> enums: collapsed string enums, tagged unions (explicit `discriminator`
//! or an implicit one-value-enum tag), and untagged unions tried in a fixed order.

use super::merge::{ObjectView, object_view};
use super::shapes::{
    UnionKeyword, doc_of, is_null_only, is_plain_string, kind_word, single_string_value,
    string_values,
};
use super::space::{Conv, Naming, ShapeKey, TypeSpace};
use crate::diagnostics::Diagnostics;
use crate::idents::{NameSet, type_name};
use crate::ir::{
    Doc, Field, Tagged, TaggedVariant, Ty, TypeDef, TypeKind, Untagged, UntaggedVariant,
};
use crate::pointer;
use crate::resolve::Resolver;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{HashMap, HashSet};

/// The variant names handed out in one union.
#[derive(Default)]
struct VariantNames {
    idents: NameSet,
    /// Pinned names (reserved in `idents`) not yet handed out: each goes to one variant.
    unclaimed: HashSet<String>,
}

struct Branch {
    original: ReferenceOr<Schema>,
    schema: Schema,
    pointer: String,
    component: Option<String>,
    /// Where its variant's name is pinned: the union and the referenced schema for a
    /// reference (so reordering the branches keeps each name), the position for an inline
    /// branch.
    pin: String,
}

/// The `$ref` a branch stands for: its own, or, for a branch made by distributing a union over
/// `allOf` (see `TypeSpace::distribute_union`), the one of the variant it was made from.
fn branch_reference(b: &Branch) -> Option<&str> {
    match &b.original {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::AllOf { all_of },
            ..
        }) => match all_of.first() {
            Some(ReferenceOr::Reference { reference }) => Some(reference),
            _ => None,
        },
        ReferenceOr::Item(_) => None,
    }
}

/// Sort key for untagged variants: most specific first, so a permissive variant cannot shadow
/// a stricter one.
fn specificity(resolver: &Resolver<'_>, b: &Branch) -> (u8, usize) {
    let view = object_view(
        resolver,
        &b.schema,
        &b.pointer,
        0,
        &mut Diagnostics::quiet(),
    );
    if view.is_object {
        return (0, usize::MAX - view.required.len());
    }
    let rank = match &b.schema.schema_kind {
        SchemaKind::Type(Type::Array(_)) => 1,
        SchemaKind::Type(Type::Boolean(_)) => 2,
        SchemaKind::Type(Type::Integer(_)) => 3,
        SchemaKind::Type(Type::Number(_)) => 4,
        SchemaKind::Type(Type::String(st)) if !st.enumeration.is_empty() => 5,
        SchemaKind::Type(Type::String(_)) => 6,
        _ => 7,
    };
    (rank, 0)
}

impl TypeSpace<'_> {
    /// Converts a `oneOf`/`anyOf`: one branch is that branch's type, string enums collapse
    /// into one enum, anything else is a tagged or untagged union.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn union(
        &mut self,
        parent: &Schema,
        raw_branches: &[ReferenceOr<Schema>],
        keyword: UnionKeyword,
        naming: Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Conv {
        let mut nullable = parent.schema_data.nullable;
        let mut branches = Vec::new();
        // An inline union inside a union adds its branches to the outer one: as a variant of
        // its own, its `Value` fallback would swallow everything the outer branches after it
        // (and the outer fallback) should see.
        let mut pending: Vec<(String, ReferenceOr<Schema>)> = raw_branches
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("{pointer}/{}/{i}", keyword.as_str()), b.clone()))
            .rev()
            .collect();
        while let Some((at, b)) = pending.pop() {
            if let ReferenceOr::Item(inner) = &b
                && inner.schema_data.discriminator.is_none()
                && let Some((word, nested)) = UnionKeyword::of(&inner.schema_kind)
                && depth < 32
            {
                nullable |= inner.schema_data.nullable;
                pending.extend(
                    nested
                        .iter()
                        .enumerate()
                        .map(|(j, n)| (format!("{at}/{}/{j}", word.as_str()), n.clone()))
                        .rev(),
                );
                continue;
            }
            let b = &b;
            let Some(super::space::Target {
                schema,
                pointer: target,
                component,
            }) = self.resolve(b, &at, diags)
            else {
                // An unresolvable branch still allows any JSON through the fallback.
                continue;
            };
            if is_null_only(&schema) {
                nullable = true;
                continue;
            }
            // `null` matching one branch means the union as a whole admits it: hoisting that
            // to `Option<Union>` keeps the variants free of `Option` payloads.
            nullable |= schema.schema_data.nullable;
            let (pointer, pin) = if matches!(b, ReferenceOr::Item(_)) {
                (at.clone(), at)
            } else {
                let pin = format!("{pointer}/{} -> {target}", keyword.as_str());
                (target, pin)
            };
            branches.push(Branch {
                original: b.clone(),
                schema,
                pointer,
                component,
                pin,
            });
        }
        self.pin_inline_branches(pointer, keyword, &mut branches);
        match branches.len() {
            0 => {
                return Conv {
                    ty: Ty::Value,
                    nullable,
                };
            }
            1 => {
                let b = &branches[0];
                let inner = self.convert(&b.original, naming, &b.pointer, depth + 1, diags);
                return Conv {
                    ty: inner.ty,
                    nullable: nullable || inner.nullable,
                };
            }
            _ => {}
        }
        // All branches string enums: one enum, each branch's docs on its values. A plain
        // string branch beside them is how a document declares the enum open; the enum's
        // `Unknown(String)` already is that branch.
        let enums: Option<Vec<(Vec<String>, Doc)>> = branches
            .iter()
            .filter(|b| !is_plain_string(&b.schema))
            .map(|b| string_values(&b.schema).map(|v| (v, doc_of(&b.schema))))
            .collect();
        if let Some(enums) = enums.filter(|e| !e.is_empty()) {
            let mut values = Vec::new();
            let mut docs = Vec::new();
            for (vals, doc) in enums {
                let single = vals.len() == 1;
                for v in vals {
                    values.push(v);
                    docs.push(if single { doc.clone() } else { Doc::default() });
                }
            }
            let ty = self.string_enum(&values, &docs, parent, naming, pointer);
            return Conv { ty, nullable };
        }
        let key = ShapeKey::Union(serde_json::to_string(parent).unwrap_or_default());
        let name = match self.claim_name(&naming, Some(key), pointer) {
            Ok(n) => n,
            Err(existing) => {
                return Conv {
                    ty: Ty::Named(existing),
                    nullable,
                };
            }
        };
        let kind = match self.tag_of(parent, &branches, diags) {
            Some((tag, values)) => self.tagged(&name, tag, values, &branches, depth, diags),
            None => self.untagged(&name, &mut branches, depth, diags),
        };
        self.push(TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            doc: doc_of(parent),
            kind,
        });
        Conv {
            ty: Ty::Named(name),
            nullable,
        }
    }

    /// Finds the tag property and each branch's tag values: the declared discriminator first,
    /// else a property every branch requires as a string enum with values no other branch uses.
    fn tag_of(
        &self,
        parent: &Schema,
        branches: &[Branch],
        diags: &mut Diagnostics,
    ) -> Option<(String, Vec<Vec<String>>)> {
        let views: Vec<_> = branches
            .iter()
            .map(|b| {
                object_view(
                    &self.resolver,
                    &b.schema,
                    &b.pointer,
                    0,
                    &mut Diagnostics::quiet(),
                )
            })
            .collect();
        if !views.iter().all(|v| v.is_object) {
            return None;
        }
        let enum_values = |view: &ObjectView, prop: &str| -> Option<Vec<String>> {
            let (schema, _) = view.properties.get(prop)?;
            let s = self.resolver.peek(schema)?;
            string_values(&s).filter(|v| !v.is_empty())
        };
        if let Some(d) = &parent.schema_data.discriminator {
            let mut all = Vec::new();
            for (b, view) in branches.iter().zip(&views) {
                let reference = branch_reference(b);
                let mut values: Vec<String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        let target_name = pointer::last_segment(target);
                        b.component
                            .as_deref()
                            .is_some_and(|c| c == type_name(&target_name))
                            || reference.is_some_and(|r| {
                                r == target.as_str() || pointer::last_segment(r) == target_name
                            })
                    })
                    .map(|(k, _)| k.clone())
                    .collect();
                if values.is_empty() {
                    values = enum_values(view, &d.property_name).unwrap_or_default();
                }
                if values.is_empty()
                    && let Some(reference) = reference
                {
                    values.push(pointer::last_segment(reference));
                }
                if values.is_empty() {
                    diags.warn(
                        &b.pointer,
                        "a union branch has no discriminator value; decoding it untagged",
                    );
                    return None;
                }
                all.push(values);
            }
            return Some((d.property_name.clone(), all));
        }
        let first = views.first()?;
        'candidates: for prop in first.properties.keys() {
            let mut all: Vec<Vec<String>> = Vec::new();
            for view in &views {
                if !view.required.contains(prop) {
                    continue 'candidates;
                }
                let Some(values) = enum_values(view, prop) else {
                    continue 'candidates;
                };
                if all.iter().flatten().any(|v| values.contains(v)) {
                    continue 'candidates;
                }
                all.push(values);
            }
            return Some((prop.clone(), all));
        }
        None
    }

    /// Pins each inline branch by what it is rather than where it stands: its title, else a
    /// property with one fixed string value (`kind=card`), else its property names, else its
    /// type. The branch's variant and every type named inside it are then pinned under
    /// `<union>/oneOf ~ <identity>`, so reordering the branches renames nothing. Branches
    /// whose identities coincide stay pinned by position.
    fn pin_inline_branches(
        &mut self,
        pointer: &str,
        keyword: UnionKeyword,
        branches: &mut [Branch],
    ) {
        let identities: Vec<Option<String>> = branches
            .iter()
            .map(|b| match b.original {
                ReferenceOr::Item(_) => self.branch_identity(&b.schema, &b.pointer),
                ReferenceOr::Reference { .. } => None,
            })
            .collect();
        let union_key = self.pin_key(&format!("{pointer}/{}", keyword.as_str()));
        for (b, identity) in branches.iter_mut().zip(&identities) {
            let Some(identity) = identity else {
                continue;
            };
            if identities
                .iter()
                .flatten()
                .filter(|i| *i == identity)
                .count()
                > 1
            {
                continue;
            }
            let key = format!("{union_key} ~ {identity}");
            self.pin_aliases.insert(b.pointer.clone(), key.clone());
            b.pin = key;
        }
    }

    /// What an inline branch is, in a few words that stay the same wherever it stands.
    fn branch_identity(&self, schema: &Schema, at: &str) -> Option<String> {
        if let Some(title) = &schema.schema_data.title {
            return Some(format!("title={title}"));
        }
        let view = object_view(&self.resolver, schema, at, 0, &mut Diagnostics::quiet());
        if view.is_object {
            let mut names: Vec<&String> = view.properties.keys().collect();
            names.sort();
            for name in &names {
                let (prop, _) = &view.properties[*name];
                if let Some(value) = self
                    .resolver
                    .peek(prop)
                    .as_ref()
                    .and_then(single_string_value)
                {
                    return Some(format!("{name}={value}"));
                }
            }
            let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
            return Some(format!("{{{}}}", names.join(",")));
        }
        let word = kind_word(schema);
        (word != "Variant").then(|| word.to_ascii_lowercase())
    }

    /// The variant names of one union, with the pinned names of `branches` taken, so no other
    /// variant takes one.
    fn variant_names<'b>(&self, branches: impl IntoIterator<Item = &'b Branch>) -> VariantNames {
        let mut names = VariantNames::default();
        for b in branches {
            if let Some(pinned) = self.pinned_variant(b) {
                names.idents.reserve(pinned);
                names.unclaimed.insert(pinned.to_owned());
            }
        }
        names
    }

    fn pinned_variant(&self, b: &Branch) -> Option<&str> {
        // An inline branch's name pinned by position (before identities) still counts.
        let legacy = || match b.original {
            ReferenceOr::Item(_) => self.pins.variants.get(&b.pointer),
            ReferenceOr::Reference { .. } => None,
        };
        (self.pins.variants.get(&b.pin).or_else(legacy))
            .map(String::as_str)
            .filter(|p| type_name(p) == *p)
    }

    /// The variant's pinned name, else one from its title, its component or `fallback`.
    fn variant_ident(&mut self, b: &Branch, fallback: &str, names: &mut VariantNames) -> String {
        let ident = match self.pinned_variant(b) {
            Some(pinned) if names.unclaimed.remove(pinned) => pinned.to_owned(),
            _ => self.fresh_variant_ident(b, fallback, &mut names.idents),
        };
        (self.chosen.variants)
            .entry(b.pin.clone())
            .or_insert_with(|| ident.clone());
        ident
    }

    fn fresh_variant_ident(&self, b: &Branch, fallback: &str, idents: &mut NameSet) -> String {
        let base = b
            .schema
            .schema_data
            .title
            .as_deref()
            .map(type_name)
            .or_else(|| b.component.clone())
            .or_else(|| branch_reference(b).map(|r| type_name(&pointer::last_segment(r))))
            .unwrap_or_else(|| type_name(fallback));
        idents.unique(&base)
    }

    fn tagged(
        &mut self,
        name: &str,
        tag: String,
        values: Vec<Vec<String>>,
        branches: &[Branch],
        depth: usize,
        diags: &mut Diagnostics,
    ) -> TypeKind {
        let mut idents = self.variant_names(branches);
        let mut variants = Vec::new();
        for (b, values) in branches.iter().zip(values) {
            let ident = self.variant_ident(
                b,
                values.first().map(String::as_str).unwrap_or("Variant"),
                &mut idents,
            );
            let conv = self.convert(
                &b.original,
                Naming::Hint(format!("{name}{ident}")),
                &b.pointer,
                depth + 1,
                diags,
            );
            variants.push(TaggedVariant {
                ident,
                values,
                ty: conv.ty,
                doc: doc_of(&b.schema),
            });
        }
        let fallback = idents.idents.unique("Unknown");
        TypeKind::Tagged(Tagged {
            tag,
            variants,
            fallback,
            shared: Vec::new(),
        })
    }

    fn untagged(
        &mut self,
        name: &str,
        branches: &mut [Branch],
        depth: usize,
        diags: &mut Diagnostics,
    ) -> TypeKind {
        let mut keyed: Vec<((u8, usize), usize)> = branches
            .iter()
            .enumerate()
            .map(|(i, b)| (specificity(&self.resolver, b), i))
            .collect();
        keyed.sort();
        let mut idents = self.variant_names(branches.iter());
        let mut variants = Vec::new();
        for (_, i) in keyed {
            let b = &branches[i];
            let ident = self.variant_ident(b, kind_word(&b.schema), &mut idents);
            let conv = self.convert(
                &b.original,
                Naming::Hint(format!("{name}{ident}")),
                &b.pointer,
                depth + 1,
                diags,
            );
            // Nullability was hoisted to the union in `union`.
            let ty = conv.ty;
            if variants.iter().any(|v: &UntaggedVariant| v.ty == ty) {
                continue;
            }
            variants.push(UntaggedVariant {
                ident,
                ty,
                doc: doc_of(&b.schema),
            });
        }
        let fallback = idents.idents.unique("Other");
        TypeKind::Untagged(Untagged { variants, fallback })
    }
}

/// Fills [`Tagged::shared`]: the fields found, alike, in the struct of every variant.
pub(super) fn find_shared_fields(types: &mut [TypeDef]) {
    let structs: HashMap<String, Vec<Field>> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => Some((t.name.clone(), s.fields.clone())),
            _ => None,
        })
        .collect();
    let struct_of = |ty: &Ty| -> Option<&Vec<Field>> {
        match ty {
            Ty::Named(n) => structs.get(n),
            Ty::Boxed(inner) => match inner.as_ref() {
                Ty::Named(n) => structs.get(n),
                _ => None,
            },
            _ => None,
        }
    };
    for t in types.iter_mut() {
        let TypeKind::Tagged(tagged) = &mut t.kind else {
            continue;
        };
        let Some(variant_fields) = tagged
            .variants
            .iter()
            .map(|v| struct_of(&v.ty))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let Some((first, rest)) = variant_fields.split_first() else {
            continue;
        };
        tagged.shared = first
            .iter()
            .filter(|f| f.wire != tagged.tag && f.multipart.is_none())
            .filter(|f| {
                rest.iter().all(|fields| {
                    fields.iter().any(|g| {
                        g.wire == f.wire
                            && g.ident == f.ident
                            && g.ty == f.ty
                            && g.required == f.required
                            && g.nullable == f.nullable
                    })
                })
            })
            .cloned()
            .collect();
    }
}
