//! Schema -> type conversion: components under their reserved names, primitives, arrays,
//! string enums, maps and objects. Unions are converted in `unions`, `allOf` views built in
//! `merge`; the state they all share is the type space (`space`).

use super::merge::{ObjectView, object_view};
use super::shapes::{
    UnionKeyword, add_note, doc_of, format_note, is_annotation_only, is_null_only,
    single_string_value,
};
use super::space::{Conv, MAX_DEPTH, Naming, ShapeKey, TypeSpace, wrap_nullable};
use crate::diagnostics::Diagnostics;
use crate::idents::{NameSet, RESERVED_FIELD_METHODS, field_name, type_name};
use crate::ir::{Doc, EnumVariant, Field, StringEnum, Struct, Ty, TypeDef, TypeKind};
use crate::pointer;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

impl TypeSpace<'_> {
    /// Defines every component schema under its reserved name.
    pub(super) fn define_components(&mut self, diags: &mut Diagnostics) {
        let Some(c) = &self.api.components else {
            return;
        };
        for (key, schema) in &c.schemas {
            if self.multipart_components.contains(key) {
                continue;
            }
            let name = self.components[key].clone();
            let pointer = format!("#/components/schemas/{}", pointer::escape(key));
            let conv = self.convert(schema, Naming::Fixed(name.clone()), &pointer, 0, diags);
            if self.defined(&name).is_none() {
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

    /// Converts a schema or reference.
    pub(super) fn convert(
        &mut self,
        schema: &ReferenceOr<Schema>,
        naming: Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Conv {
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(conv) = self.component_ref(reference) {
                    return conv;
                }
                // A reference to some other node: convert the target inline, guarding cycles.
                if self.resolving.iter().any(|r| r == reference) || depth > MAX_DEPTH {
                    diags.warn(
                        pointer,
                        format!("cyclic reference `{reference}`; using any JSON"),
                    );
                    return Conv::of(Ty::Value);
                }
                let Some(target) = self.resolve(schema, pointer, diags) else {
                    return Conv::of(Ty::Value);
                };
                let hint = pointer::last_segment(reference);
                let naming = match naming {
                    Naming::Fixed(n) => Naming::Fixed(n),
                    Naming::Hint(h) => Naming::Hint(if hint.is_empty() { h } else { hint }),
                };
                self.resolving.push(reference.clone());
                let conv =
                    self.convert_schema(&target.schema, naming, &target.pointer, depth + 1, diags);
                self.resolving.pop();
                conv
            }
            ReferenceOr::Item(s) => self.convert_schema(s, naming, pointer, depth, diags),
        }
    }

    /// Converts an inline schema.
    pub(super) fn convert_schema(
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
                let ty = match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Ty::Binary,
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) if values.is_empty() => {
                        self.formatted_string(Some("date-time"))
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) if values.is_empty() => {
                        self.formatted_string(Some("date"))
                    }
                    _ => self.string_enum(&values, &[], schema, naming, pointer),
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
                // One branch that constrains, the others only annotating: that branch's type.
                let mut constraining = match &schema.schema_kind {
                    SchemaKind::AllOf { all_of } => all_of
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| all_of.len() == 1 || !is_annotation_only(b))
                        .collect(),
                    _ => Vec::new(),
                };
                // Or several that all admit one scalar type: that scalar.
                let chosen = match constraining.len() {
                    1 => constraining
                        .pop()
                        .map(|(index, branch)| (index, branch, false)),
                    _ => self.scalar_all_of(&constraining),
                };
                if let Some((index, branch, any_nullable)) = chosen {
                    let mut conv = self.all_of_branch(branch, index, naming, pointer, depth, diags);
                    conv.nullable |= nullable || any_nullable;
                    return conv;
                }
                if let SchemaKind::AllOf { all_of } = &schema.schema_kind
                    && let Some(union) = self.distribute_union(schema, all_of)
                {
                    let mut conv = self.convert_schema(&union, naming, pointer, depth + 1, diags);
                    conv.nullable |= nullable;
                    return conv;
                }
                let view = object_view(&self.resolver, schema, pointer, depth, diags);
                Conv::of(self.object(view, schema, naming, pointer, depth, diags))
            }
            SchemaKind::OneOf { one_of } => self.union(
                schema,
                one_of,
                UnionKeyword::OneOf,
                naming,
                pointer,
                depth,
                diags,
            ),
            SchemaKind::AnyOf { any_of } => self.union(
                schema,
                any_of,
                UnionKeyword::AnyOf,
                naming,
                pointer,
                depth,
                diags,
            ),
            SchemaKind::Not { .. } => {
                diags.warn(pointer, "`not` schemas cannot be expressed; using any JSON");
                Conv::of(Ty::Value)
            }
            SchemaKind::Any(any) => self.any(schema, any, naming, pointer, depth, diags),
        };
        conv.nullable |= nullable;
        conv
    }

    /// The type of the `allOf` branch at `index` that stands for the whole `allOf`.
    fn all_of_branch(
        &mut self,
        branch: &ReferenceOr<Schema>,
        index: usize,
        naming: Naming,
        pointer: &str,
        depth: usize,
        diags: &mut Diagnostics,
    ) -> Conv {
        let at = format!("{pointer}/allOf/{index}");
        self.convert(branch, naming, &at, depth + 1, diags)
    }

    /// `allOf` branches that all admit values of one scalar type (`[{$ref: Slug}, {type:
    /// string, nullable: true}]`, how documents attach `nullable` or a description to a
    /// reference): the value is that scalar, typed by the first referenced branch (which keeps
    /// its name, an enum's say) or else the first, and nullable when any branch admits null.
    /// Merged as an object view, such an `allOf` would accept no string at all. `None` when
    /// the branches are not all scalars of one type.
    fn scalar_all_of<'b>(
        &self,
        branches: &[(usize, &'b ReferenceOr<Schema>)],
    ) -> Option<(usize, &'b ReferenceOr<Schema>, bool)> {
        let mut kind = None;
        let mut any_nullable = false;
        for (_, branch) in branches {
            let resolved = self.resolver.peek(branch)?;
            let this = scalar_kind(&resolved)?;
            if kind.is_some_and(|k| k != this) {
                return None;
            }
            kind = Some(this);
            any_nullable |= resolved.schema_data.nullable;
        }
        let (index, branch) = branches
            .iter()
            .find(|(_, b)| matches!(b, ReferenceOr::Reference { .. }))
            .or_else(|| branches.first())?;
        Some((*index, *branch, any_nullable))
    }

    /// `allOf: [oneOf: [A, B], C]` is `oneOf: [allOf: [A, C], allOf: [B, C]]`: distributing
    /// the first union over the other branches keeps the variants (and their tag) instead of
    /// flattening them into one struct. Returns `None` when no branch is a union.
    fn distribute_union(&self, parent: &Schema, all_of: &[ReferenceOr<Schema>]) -> Option<Schema> {
        let (index, union) = all_of.iter().enumerate().find_map(|(i, b)| {
            let s = self.resolver.peek(b)?;
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
                    let null_only = self.resolver.peek(v).is_some_and(|s| is_null_only(&s));
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
    pub(super) fn string_enum(
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
        let key = ShapeKey::Enum(serde_json::to_string(&values).unwrap_or_default());
        let name = match self.claim_name(&naming, Some(key), pointer) {
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
        for (keyword, branches) in [
            (UnionKeyword::OneOf, &any.one_of),
            (UnionKeyword::AnyOf, &any.any_of),
        ] {
            if !branches.is_empty() {
                return self.union(schema, branches, keyword, naming, pointer, depth, diags);
            }
        }
        let typ = any.typ.as_deref();
        // `allOf` beside other keywords (`type: string`, `nullable`): still a scalar when
        // every constraining branch is one of that type.
        if !any.all_of.is_empty()
            && any.properties.is_empty()
            && typ.is_none_or(|t| matches!(t, "string" | "integer" | "number" | "boolean"))
        {
            let branches: Vec<(usize, &ReferenceOr<Schema>)> = any
                .all_of
                .iter()
                .enumerate()
                .filter(|(_, b)| !is_annotation_only(b))
                .collect();
            if let Some((index, branch, any_nullable)) = self.scalar_all_of(&branches)
                && typ.is_none_or(|t| {
                    self.resolver.peek(branch).as_ref().and_then(scalar_kind) == Some(t)
                })
            {
                let mut conv = self.all_of_branch(branch, index, naming, pointer, depth, diags);
                conv.nullable |= any_nullable;
                return conv;
            }
        }
        if !any.all_of.is_empty() || !any.properties.is_empty() || typ == Some("object") {
            let view = object_view(&self.resolver, schema, pointer, depth, diags);
            return Conv::of(self.object(view, schema, naming, pointer, depth, diags));
        }
        if typ.is_none()
            && let Some(items) = &any.items
        {
            // JSON Schema's `items` constrains arrays only: without `type: array` any other
            // value is valid too, and documents write it to mean "a list of these, or one".
            // Read as that union, whose fallback keeps any other value.
            let list = Schema {
                schema_data: Default::default(),
                schema_kind: SchemaKind::Type(Type::Array(openapiv3::ArrayType {
                    items: Some(items.clone()),
                    min_items: any.min_items,
                    max_items: any.max_items,
                    unique_items: any.unique_items.unwrap_or(false),
                })),
            };
            let branches = [ReferenceOr::Item(list), items.clone().unbox()];
            return self.union(
                schema,
                &branches,
                UnionKeyword::AnyOf,
                naming,
                pointer,
                depth,
                diags,
            );
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
            Some("string") => Conv::of(match any.format.as_deref() {
                Some("binary") => Ty::Binary,
                format => self.formatted_string(format),
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
            _ => Conv::of(Ty::Value),
        }
    }

    /// An object: a struct when it has properties, a map when it only has additional
    /// properties, any JSON object otherwise.
    fn object(
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
        let key = ShapeKey::Object(serde_json::to_string(schema).unwrap_or_default());
        let name = match self.claim_name(&naming, Some(key), pointer) {
            Ok(n) => n,
            Err(existing) => return Ty::Named(existing),
        };
        let mut idents = NameSet::reserving(RESERVED_FIELD_METHODS);
        // The flattened map's field is named before the properties, so a property spelled
        // `additional_properties` gets another name instead of a second field of that name.
        if additional.is_some() {
            idents.reserve("additional_properties");
        }
        let mut fields = Vec::new();
        for (wire, (prop, prop_ptr)) in &view.properties {
            let hint = Naming::Hint(format!("{name}{}", type_name(wire)));
            let conv = self.convert(prop, hint, prop_ptr, depth + 1, diags);
            let mut doc = match prop {
                ReferenceOr::Item(s) => doc_of(s),
                ReferenceOr::Reference { .. } => Doc::default(),
            };
            let mut required = view.required.contains(wire);
            let mut constant = None;
            if let ReferenceOr::Item(s) = prop {
                if let Some(only) = single_string_value(s) {
                    add_note(&mut doc, format!("Always `{only}`."));
                    constant = Some(only);
                }
                // One struct serves both directions, and a read-only property is never in a
                // request (a write-only one never in a response): `required` holds only one
                // way, so the field is optional and the docs say which way it travels.
                if let Some(note) = format_note(s, self.dates) {
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
                constant,
            });
        }
        self.push(TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            doc: doc_of(schema),
            kind: TypeKind::Struct(Struct {
                fields,
                additional,
                constructor: Vec::new(),
                named: None,
            }),
        });
        Ty::Named(name)
    }
}

/// The scalar type a schema admits (`string`, `integer`, `number`, `boolean`), if it is one:
/// by its `type`, or for an untyped enum by its values.
fn scalar_kind(s: &Schema) -> Option<&'static str> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        SchemaKind::Any(any) if any.properties.is_empty() && any.items.is_none() => {
            match any.typ.as_deref() {
                Some("string") => Some("string"),
                Some("integer") => Some("integer"),
                Some("number") => Some("number"),
                Some("boolean") => Some("boolean"),
                None if !any.enumeration.is_empty()
                    && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
                {
                    Some("string")
                }
                _ => None,
            }
        }
        _ => None,
    }
}
