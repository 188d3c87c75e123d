//! Schemas -> types: `$ref` resolution, naming of inline schemas, primitives, arrays, maps and
//! objects. Unions live in `unions.rs`, `allOf` merging in `merge.rs`.

use super::merge::{self, ObjectView};
use super::{Doc, EnumVariant, Field, StringEnum, Struct, Ty, TypeDef, TypeKind};
use crate::diagnostics::Diagnostics;
use crate::load::{Document, escape_pointer};
use crate::names::{NameSet, field_name, type_name};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{HashMap, HashSet};

/// Deepest schema nesting converted; deeper schemas become `Value` with a warning.
pub(crate) const MAX_DEPTH: usize = 64;

/// How the result of a conversion is named.
#[derive(Debug, Clone)]
pub(crate) enum Naming {
    /// A component: define under exactly this name.
    Fixed(String),
    /// An inline schema: name it from this hint (deduplicated by shape).
    Hint(String),
}

impl Naming {
    pub(crate) fn hint(&self) -> &str {
        match self {
            Naming::Fixed(n) | Naming::Hint(n) => n,
        }
    }
}

/// A converted schema: its type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Conv {
    /// The type.
    pub ty: Ty,
    /// Whether `null` is a valid value.
    pub nullable: bool,
}

impl Conv {
    pub(crate) fn of(ty: Ty) -> Self {
        Self {
            ty,
            nullable: false,
        }
    }
}

/// All named types of one document, built incrementally.
pub struct TypeSpace<'a> {
    pub(crate) doc: &'a Document,
    defs: Vec<TypeDef>,
    pub(crate) names: NameSet,
    components: IndexMap<String, String>,
    nullable_components: HashSet<String>,
    shapes: HashMap<String, String>,
    resolving: Vec<String>,
}

impl<'a> TypeSpace<'a> {
    /// Reserves a name for every component schema up front, so `$ref`s (including cyclic ones)
    /// resolve to names before any type is built, and names do not depend on visiting order.
    pub fn new(doc: &'a Document) -> Self {
        let mut names = NameSet::default();
        let mut components = IndexMap::new();
        let mut nullable_components = HashSet::new();
        if let Some(c) = &doc.api.components {
            for (key, schema) in &c.schemas {
                let name = names.unique(&type_name(key));
                if let ReferenceOr::Item(s) = schema
                    && s.schema_data.nullable
                {
                    nullable_components.insert(name.clone());
                }
                components.insert(key.clone(), name);
            }
        }
        Self {
            doc,
            defs: Vec::new(),
            names,
            components,
            nullable_components,
            shapes: HashMap::new(),
            resolving: Vec::new(),
        }
    }

    /// Defines every component schema under its reserved name.
    pub fn define_components(&mut self, diags: &mut Diagnostics) {
        let Some(c) = &self.doc.api.components else {
            return;
        };
        for (key, schema) in &c.schemas {
            let name = self.components[key].clone();
            let pointer = format!("#/components/schemas/{}", escape_pointer(key));
            let conv = self.convert(schema, Naming::Fixed(name.clone()), &pointer, 0, diags);
            if !self.defs.iter().any(|d| d.name == name) {
                let ty = conv.ty;
                // A component that is only a reference or primitive becomes an alias.
                let ty = if ty == Ty::Named(name.clone()) {
                    Ty::Value
                } else {
                    ty
                };
                let doc = match schema {
                    ReferenceOr::Item(s) => doc_of(s),
                    ReferenceOr::Reference { .. } => Doc::default(),
                };
                self.push(TypeDef {
                    name,
                    pointer,
                    doc,
                    kind: TypeKind::Alias(ty),
                });
            }
        }
    }

    /// All types defined so far, in definition order.
    pub fn finish(self) -> Vec<TypeDef> {
        self.defs
    }

    pub(crate) fn push(&mut self, def: TypeDef) {
        self.defs.push(def);
    }

    /// Names a new inline type, or finds the identical one defined earlier.
    /// Returns `Err(existing)` when the shape was already defined.
    pub(crate) fn claim_name(
        &mut self,
        naming: &Naming,
        shape_key: Option<String>,
    ) -> Result<String, String> {
        match naming {
            Naming::Fixed(name) => Ok(name.clone()),
            Naming::Hint(hint) => {
                if let Some(existing) = shape_key.as_ref().and_then(|k| self.shapes.get(k)) {
                    return Err(existing.clone());
                }
                let name = self.names.unique(&type_name(hint));
                if let Some(key) = shape_key {
                    self.shapes.insert(key, name.clone());
                }
                Ok(name)
            }
        }
    }

    /// Resolves a schema reference to the schema, its pointer, and its component name if any.
    pub(crate) fn resolve(
        &self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        diags: &mut Diagnostics,
    ) -> Option<(Schema, String, Option<String>)> {
        let mut current = schema.clone();
        let mut at = pointer.to_owned();
        let mut component = None;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(s) => return Some((s, at, component)),
                ReferenceOr::Reference { reference } => {
                    let Some(target) = crate::load::local_pointer(&reference) else {
                        diags.warn(
                            &at,
                            format!(
                                "external reference `{reference}` is not supported; using any JSON"
                            ),
                        );
                        return None;
                    };
                    if let Some(key) = target.strip_prefix("/components/schemas/") {
                        let key = unescape_pointer(key);
                        if let Some(name) = self.components.get(&key) {
                            component = Some(name.clone());
                        }
                    }
                    let Some(raw) = self.doc.raw.pointer(&target) else {
                        diags.warn(
                            &at,
                            format!("reference `{reference}` points at nothing; using any JSON"),
                        );
                        return None;
                    };
                    current = match serde_json::from_value::<ReferenceOr<Schema>>(raw.clone()) {
                        Ok(s) => s,
                        Err(e) => {
                            diags.warn(
                                &at,
                                format!(
                                    "reference `{reference}` is not a schema ({e}); using any JSON"
                                ),
                            );
                            return None;
                        }
                    };
                    at = reference.clone();
                }
            }
        }
        diags.warn(
            pointer,
            "reference chain longer than 32 links (a cycle?); using any JSON",
        );
        None
    }

    /// Converts a schema or reference.
    pub(crate) fn convert(
        &mut self,
        schema: &ReferenceOr<Schema>,
        naming: Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Conv {
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(key) = reference.strip_prefix("#/components/schemas/")
                    && let Some(name) = self.components.get(&unescape_pointer(key))
                {
                    let nullable = self.nullable_components.contains(name);
                    return Conv {
                        ty: Ty::Named(name.clone()),
                        nullable,
                    };
                }
                // A reference to some other node: convert the target inline, guarding cycles.
                if self.resolving.iter().any(|r| r == reference) || depth > MAX_DEPTH {
                    diags.warn(
                        pointer,
                        format!("cyclic reference `{reference}`; using any JSON"),
                    );
                    return Conv::of(Ty::Value);
                }
                let Some((target, at, _)) = self.resolve(schema, pointer, diags) else {
                    return Conv::of(Ty::Value);
                };
                let hint = reference
                    .rsplit('/')
                    .next()
                    .map(unescape_pointer)
                    .unwrap_or_default();
                let naming = match naming {
                    Naming::Fixed(n) => Naming::Fixed(n),
                    Naming::Hint(h) => Naming::Hint(if hint.is_empty() { h } else { hint }),
                };
                self.resolving.push(reference.clone());
                let conv = self.convert_schema(&target, naming, &at, depth + 1, diags);
                self.resolving.pop();
                conv
            }
            ReferenceOr::Item(s) => self.convert_schema(s, naming, pointer, depth, diags),
        }
    }

    /// Converts an inline schema.
    pub(crate) fn convert_schema(
        &mut self,
        schema: &Schema,
        naming: Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Conv {
        if depth > MAX_DEPTH {
            diags.warn(pointer, "schema nesting is too deep; using any JSON");
            return Conv::of(Ty::Value);
        }
        let nullable = schema.schema_data.nullable;
        let mut conv = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                let null_in_enum = s.enumeration.iter().any(Option::is_none);
                let ty = if matches!(
                    s.format,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
                ) {
                    Ty::Binary
                } else {
                    self.string_enum(&values, &[], schema, naming, pointer)
                };
                Conv {
                    ty,
                    nullable: null_in_enum,
                }
            }
            SchemaKind::Type(Type::Integer(i)) => Conv::of(
                if matches!(
                    &i.format,
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32)
                ) {
                    Ty::I32
                } else {
                    Ty::I64
                },
            ),
            SchemaKind::Type(Type::Number(_)) => Conv::of(Ty::F64),
            SchemaKind::Type(Type::Boolean(_)) => Conv::of(Ty::Bool),
            SchemaKind::Type(Type::Array(a)) => Conv::of(self.array(
                a.items.as_ref().map(|b| b.clone().unbox()),
                &naming,
                pointer,
                depth,
                diags,
            )),
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => {
                if let SchemaKind::AllOf { all_of } = &schema.schema_kind
                    && all_of.len() == 1
                {
                    let inner = self.convert(
                        &all_of[0],
                        naming,
                        &format!("{pointer}/allOf/0"),
                        depth + 1,
                        diags,
                    );
                    return Conv {
                        ty: inner.ty,
                        nullable: nullable || inner.nullable,
                    };
                }
                if let SchemaKind::AllOf { all_of } = &schema.schema_kind
                    && let Some(union) = self.distribute_union(schema, all_of)
                {
                    let mut conv = self.convert_schema(&union, naming, pointer, depth + 1, diags);
                    conv.nullable |= nullable;
                    return conv;
                }
                let view = merge::object_view(self, schema, pointer, depth, diags);
                Conv::of(self.object(view, schema, naming, pointer, depth, diags))
            }
            SchemaKind::OneOf { one_of } => {
                self.union(schema, one_of, "oneOf", naming, pointer, depth, diags)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(schema, any_of, "anyOf", naming, pointer, depth, diags)
            }
            SchemaKind::Not { .. } => {
                diags.warn(pointer, "`not` schemas cannot be expressed; using any JSON");
                Conv::of(Ty::Value)
            }
            SchemaKind::Any(any) => self.any(schema, any, naming, pointer, depth, diags),
        };
        conv.nullable |= nullable;
        conv
    }

    /// `allOf: [oneOf: [A, B], C]` is `oneOf: [allOf: [A, C], allOf: [B, C]]`: distributing
    /// the first union over the other branches keeps the variants (and their tag) instead of
    /// flattening them into one struct. Returns `None` when no branch is a union.
    fn distribute_union(&self, parent: &Schema, all_of: &[ReferenceOr<Schema>]) -> Option<Schema> {
        let mut scratch = Diagnostics::default();
        let (index, union) = all_of.iter().enumerate().find_map(|(i, b)| {
            let (s, _, _) = self.resolve(b, "", &mut scratch)?;
            matches!(
                s.schema_kind,
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }
            )
            .then_some((i, s))
        })?;
        let rest: Vec<_> = all_of
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, b)| b.clone())
            .collect();
        let spread = |variants: &[ReferenceOr<Schema>]| -> Vec<ReferenceOr<Schema>> {
            variants
                .iter()
                .map(|v| {
                    let null_only = self
                        .resolve(v, "", &mut Diagnostics::default())
                        .is_some_and(|(s, _, _)| super::unions::is_null_only(&s));
                    if null_only {
                        return v.clone();
                    }
                    let mut all_of = vec![v.clone()];
                    all_of.extend(rest.iter().cloned());
                    ReferenceOr::Item(Schema {
                        schema_data: Default::default(),
                        schema_kind: SchemaKind::AllOf { all_of },
                    })
                })
                .collect()
        };
        let schema_kind = match &union.schema_kind {
            SchemaKind::OneOf { one_of } => SchemaKind::OneOf {
                one_of: spread(one_of),
            },
            SchemaKind::AnyOf { any_of } => SchemaKind::AnyOf {
                any_of: spread(any_of),
            },
            _ => return None,
        };
        let mut schema_data = parent.schema_data.clone();
        schema_data.discriminator = union.schema_data.discriminator.clone();
        schema_data.nullable |= union.schema_data.nullable;
        Some(Schema {
            schema_data,
            schema_kind,
        })
    }

    fn array(
        &mut self,
        items: Option<ReferenceOr<Schema>>,
        naming: &Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Ty {
        let Some(items) = items else {
            return Ty::Vec(Box::new(Ty::Value));
        };
        let hint = Naming::Hint(format!("{}Item", naming.hint()));
        let item = self.convert(&items, hint, &format!("{pointer}/items"), depth + 1, diags);
        Ty::Vec(Box::new(wrap_nullable(item)))
    }

    /// Defines a string enum when there are two or more values; a single value stays a string.
    pub(crate) fn string_enum(
        &mut self,
        values: &[String],
        docs: &[Doc],
        schema: &Schema,
        naming: Naming,
        pointer: &str,
    ) -> Ty {
        let mut unique: Vec<(String, Doc)> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if !unique.iter().any(|(u, _)| u == v) {
                unique.push((v.clone(), docs.get(i).cloned().unwrap_or_default()));
            }
        }
        if unique.len() < 2 {
            return Ty::String;
        }
        let key = format!(
            "enum:{}",
            serde_json::to_string(&values).unwrap_or_default()
        );
        let name = match self.claim_name(&naming, Some(key)) {
            Ok(n) => n,
            Err(existing) => return Ty::Named(existing),
        };
        let mut idents = NameSet::default();
        let mut variants: Vec<EnumVariant> = unique
            .into_iter()
            .map(|(wire, doc)| {
                let base = if wire.is_empty() {
                    "Empty".to_owned()
                } else {
                    type_name(&wire)
                };
                EnumVariant {
                    ident: idents.unique(&base),
                    wire,
                    doc,
                }
            })
            .collect();
        let fallback = if idents.is_free("Unknown") {
            "Unknown".to_owned()
        } else {
            idents.unique("UnknownValue")
        };
        variants.shrink_to_fit();
        self.push(TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            doc: doc_of(schema),
            kind: TypeKind::Enum(StringEnum { variants, fallback }),
        });
        Ty::Named(name)
    }

    fn any(
        &mut self,
        schema: &Schema,
        any: &openapiv3::AnySchema,
        naming: Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Conv {
        let wrapped = |kind: SchemaKind| Schema {
            schema_data: schema.schema_data.clone(),
            schema_kind: kind,
        };
        if !any.one_of.is_empty() {
            return self.union(schema, &any.one_of, "oneOf", naming, pointer, depth, diags);
        }
        if !any.any_of.is_empty() {
            return self.union(schema, &any.any_of, "anyOf", naming, pointer, depth, diags);
        }
        let typ = any.typ.as_deref();
        if !any.all_of.is_empty() || !any.properties.is_empty() || typ == Some("object") {
            let view = merge::object_view(self, schema, pointer, depth, diags);
            return Conv::of(self.object(view, schema, naming, pointer, depth, diags));
        }
        if any.items.is_some() || typ == Some("array") {
            let items = any.items.as_ref().map(|b| b.clone().unbox());
            return Conv::of(self.array(items, &naming, pointer, depth, diags));
        }
        let strings: Vec<String> = any
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let has_null = any.enumeration.iter().any(|v| v.is_null());
        match typ {
            Some("string") | None
                if !strings.is_empty()
                    && strings.len() + usize::from(has_null) == any.enumeration.len() =>
            {
                Conv {
                    ty: self.string_enum(&strings, &[], schema, naming, pointer),
                    nullable: has_null,
                }
            }
            Some("string") => Conv::of(if any.format.as_deref() == Some("binary") {
                Ty::Binary
            } else {
                Ty::String
            }),
            Some("integer") => Conv::of(if any.format.as_deref() == Some("int32") {
                Ty::I32
            } else {
                Ty::I64
            }),
            Some("number") => Conv::of(Ty::F64),
            Some("boolean") => Conv::of(Ty::Bool),
            Some(other) if other != "null" => {
                diags.warn(pointer, format!("unknown type `{other}`; using any JSON"));
                Conv::of(Ty::Value)
            }
            _ => {
                let _ = wrapped;
                Conv::of(Ty::Value)
            }
        }
    }

    /// An object: a struct when it has properties, a map when it only has additional
    /// properties, any JSON object otherwise.
    pub(crate) fn object(
        &mut self,
        view: ObjectView,
        schema: &Schema,
        naming: Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Ty {
        let additional = match &view.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let hint = Naming::Hint(format!("{}Value", naming.hint()));
                let v = self.convert(
                    s,
                    hint,
                    &format!("{pointer}/additionalProperties"),
                    depth + 1,
                    diags,
                );
                Some(wrap_nullable(v))
            }
            Some(AdditionalProperties::Any(true)) => Some(Ty::Value),
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        if view.properties.is_empty() {
            return Ty::Map(Box::new(additional.unwrap_or(Ty::Value)));
        }
        let key = format!(
            "object:{}",
            serde_json::to_string(schema).unwrap_or_default()
        );
        let name = match self.claim_name(&naming, Some(key)) {
            Ok(n) => n,
            Err(existing) => return Ty::Named(existing),
        };
        let mut idents = NameSet::default();
        let mut fields = Vec::new();
        for (wire, (prop, prop_ptr)) in &view.properties {
            let hint = Naming::Hint(format!("{name}{}", type_name(wire)));
            let conv = self.convert(prop, hint, prop_ptr, depth + 1, diags);
            let mut doc = match prop {
                ReferenceOr::Item(s) => doc_of(s),
                ReferenceOr::Reference { .. } => Doc::default(),
            };
            let mut required = view.required.contains(wire);
            if let ReferenceOr::Item(s) = prop {
                if let Some(only) = single_string_value(s) {
                    add_note(&mut doc, format!("Always `{only}`."));
                }
                // One struct serves both directions, and a read-only property is never in a
                // request (a write-only one never in a response): `required` holds only one
                // way, so the field is optional and the docs say which way it travels.
                if let Some(note) = format_note(s) {
                    add_note(&mut doc, note);
                }
                if s.schema_data.read_only {
                    required = false;
                    add_note(
                        &mut doc,
                        "Read-only: the server sets it and ignores it in requests.".into(),
                    );
                } else if s.schema_data.write_only {
                    required = false;
                    add_note(
                        &mut doc,
                        "Write-only: sent to the server, never returned.".into(),
                    );
                }
            }
            fields.push(Field {
                ident: idents.unique(&field_name(wire)),
                wire: wire.clone(),
                ty: conv.ty,
                required,
                nullable: conv.nullable,
                doc,
                multipart: None,
            });
        }
        let additional = additional.inspect(|_ty| {
            let _ = idents.unique("additional_properties");
        });
        self.push(TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            doc: doc_of(schema),
            kind: TypeKind::Struct(Struct { fields, additional }),
        });
        Ty::Named(name)
    }
}

/// Formatted strings stay `String`, so a malformed value never fails a whole response; the
/// docs name the format instead.
fn format_note(s: &Schema) -> Option<String> {
    let SchemaKind::Type(Type::String(st)) = &s.schema_kind else {
        return None;
    };
    let what = match &st.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "an RFC 3339 date-time",
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "an RFC 3339 full-date",
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "base64 bytes",
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => "a UUID",
        _ => return None,
    };
    Some(format!("Format: {what}, kept as text."))
}

fn add_note(doc: &mut Doc, note: String) {
    doc.description = Some(match doc.description.take() {
        Some(d) => format!("{d}\n\n{note}"),
        None => note,
    });
}

/// `Option<T>` for nullable values in positions without their own optionality (items, map values).
pub(crate) fn wrap_nullable(conv: Conv) -> Ty {
    if conv.nullable {
        Ty::Option(Box::new(conv.ty))
    } else {
        conv.ty
    }
}

fn single_string_value(s: &Schema) -> Option<String> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
            st.enumeration[0].clone()
        }
        _ => None,
    }
}

/// Docs of a schema.
pub(crate) fn doc_of(s: &Schema) -> Doc {
    let d = &s.schema_data;
    Doc {
        title: d.title.clone(),
        description: d.description.clone(),
        deprecated: d.deprecated,
        example: d.example.as_ref().map(|e| e.to_string()),
        default: d.default.as_ref().map(|e| e.to_string()),
    }
}

pub(crate) fn unescape_pointer(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl TypeSpace<'_> {
    /// A type defined so far, by name.
    pub(crate) fn defined(&self, name: &str) -> Option<&TypeDef> {
        self.defs.iter().rev().find(|d| d.name == name)
    }
}
