//! Questions asked of one schema, without converting it: is it null-only, binary, a string
//! enum; what are its docs, its numeric bounds, its format. A leaf: it knows nothing of
//! references or of the type space.

use crate::ir::Doc;
use crate::options::Dates;
use openapiv3::{
    AnySchema, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// The two union keywords, which convert alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnionKeyword {
    /// `oneOf`.
    OneOf,
    /// `anyOf`.
    AnyOf,
}

impl UnionKeyword {
    /// The keyword as written, for pointers.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            UnionKeyword::OneOf => "oneOf",
            UnionKeyword::AnyOf => "anyOf",
        }
    }

    /// The keyword and branches of a union schema; `None` for any other kind.
    pub(super) fn of(kind: &SchemaKind) -> Option<(UnionKeyword, &[ReferenceOr<Schema>])> {
        match kind {
            SchemaKind::OneOf { one_of } => Some((UnionKeyword::OneOf, one_of)),
            SchemaKind::AnyOf { any_of } => Some((UnionKeyword::AnyOf, any_of)),
            _ => None,
        }
    }
}

/// Docs of a schema.
pub(super) fn doc_of(s: &Schema) -> Doc {
    let d = &s.schema_data;
    Doc {
        title: d.title.clone(),
        description: d.description.clone(),
        deprecated: d.deprecated,
        example: d.example.as_ref().map(|e| e.to_string()),
        default: d.default.as_ref().map(|e| e.to_string()),
    }
}

/// Appends a paragraph to the description.
pub(super) fn add_note(doc: &mut Doc, note: String) {
    doc.description = Some(match doc.description.take() {
        Some(d) => format!("{d}\n\n{note}"),
        None => note,
    });
}

/// The docs note of a formatted string kept as `String` (so a malformed value never fails a
/// whole response): the docs name the format instead. Typed dates need no note.
pub(super) fn format_note(s: &Schema, dates: Dates) -> Option<String> {
    let SchemaKind::Type(Type::String(st)) = &s.schema_kind else {
        return None;
    };
    let text_dates = dates == Dates::Text;
    let what = match &st.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) if text_dates => {
            "an RFC 3339 date-time"
        }
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) if text_dates => "an RFC 3339 full-date",
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "base64 bytes",
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => "a UUID",
        _ => return None,
    };
    Some(format!("Format: {what}, kept as text."))
}

/// The value of a string schema that allows exactly one.
pub(super) fn single_string_value(s: &Schema) -> Option<String> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
            st.enumeration[0].clone()
        }
        _ => None,
    }
}

/// A schema that only annotates: no type, no keyword that constrains a value. As an `allOf`
/// branch beside a `$ref` (`allOf: [{$ref}, {description}]`, the usual way to document a
/// reference in 3.0) it adds nothing to the type.
pub(super) fn is_annotation_only(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(s) => {
            matches!(&s.schema_kind, SchemaKind::Any(any) if *any == AnySchema::default())
                && !s.schema_data.nullable
                && s.schema_data.discriminator.is_none()
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// A branch that admits only `null`: 3.1's `type: "null"`, or 3.0's stand-in, a nullable
/// schema whose enum lists nothing but `null`.
pub(super) fn is_null_only(s: &Schema) -> bool {
    let only_null = |values: &[Option<String>]| {
        s.schema_data.nullable && !values.is_empty() && values.iter().all(Option::is_none)
    };
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => only_null(&st.enumeration),
        SchemaKind::Any(any) => {
            any.typ.as_deref().is_none_or(|t| t == "null")
                && any.properties.is_empty()
                && any.items.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.enumeration.iter().all(|v| v.is_null())
                && (s.schema_data.nullable
                    || any.typ.as_deref() == Some("null")
                    || !any.enumeration.is_empty())
        }
        _ => false,
    }
}

/// The string values of an enum schema; `None` when it is not a string enum.
pub(super) fn string_values(s: &Schema) -> Option<Vec<String>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) if !st.enumeration.is_empty() => {
            Some(st.enumeration.iter().flatten().cloned().collect())
        }
        SchemaKind::Any(any)
            if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string()) =>
        {
            Some(
                any.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// Whether a schema is any string at all: `type: string` with no enum, format or pattern. As
/// a union branch beside string enums it says "and any other value", which is what the
/// generated enums' `Unknown(String)` fallback already holds.
pub(super) fn is_plain_string(s: &Schema) -> bool {
    matches!(
        &s.schema_kind,
        SchemaKind::Type(Type::String(st))
            if st.enumeration.is_empty()
                && st.pattern.is_none()
                && matches!(st.format, VariantOrUnknownOrEmpty::Empty)
    )
}

/// A word for the kind of a schema, to name an untagged variant that has no better name.
pub(super) fn kind_word(s: &Schema) -> &'static str {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => "Variant",
    }
}

/// Declared numeric bounds of an integer or number schema.
pub(super) fn numeric_range(s: &Schema) -> Option<(Option<f64>, Option<f64>)> {
    let (min, max) = match &s.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            (i.minimum.map(|v| v as f64), i.maximum.map(|v| v as f64))
        }
        SchemaKind::Type(Type::Number(n)) => (n.minimum, n.maximum),
        _ => return None,
    };
    (min.is_some() || max.is_some()).then_some((min, max))
}
