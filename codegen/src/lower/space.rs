//! The type space of one document: the names handed out, the types defined so far, and the
//! shapes already defined (so an identical inline schema is defined once). Conversion into it
//! lives in `schemas` and `unions`; reference-following is the [`Resolver`]'s.

use super::nullability::nullable_components;
use crate::diagnostics::Diagnostics;
use crate::idents::{NameSet, type_name};
use crate::ir::{SchemaType, Ty, TypeDef};
use crate::load::Document;
use crate::options::Dates;
use crate::pins::Names;
use crate::pointer;
use crate::resolve::Resolver;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use std::collections::{HashMap, HashSet};

/// Deepest schema nesting converted; deeper schemas become `Value` with a warning.
pub(super) const MAX_DEPTH: usize = 64;

/// How the result of a conversion is named.
#[derive(Debug, Clone)]
pub(super) enum Naming {
    /// A component: define under exactly this name.
    Fixed(String),
    /// An inline schema: name it from this hint (deduplicated by shape).
    Hint(String),
}

impl Naming {
    pub(super) fn hint(&self) -> &str {
        match self {
            Naming::Fixed(n) | Naming::Hint(n) => n,
        }
    }
}

/// A converted schema: its type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub(super) struct Conv {
    /// The type.
    pub ty: Ty,
    /// Whether `null` is a valid value.
    pub nullable: bool,
}

impl Conv {
    pub(super) fn of(ty: Ty) -> Self {
        Self {
            ty,
            nullable: false,
        }
    }
}

/// `Option<T>` for nullable values in positions without their own optionality (items, map values).
pub(super) fn wrap_nullable(conv: Conv) -> Ty {
    if conv.nullable {
        Ty::Option(Box::new(conv.ty))
    } else {
        conv.ty
    }
}

/// What makes two inline types the same type: their kind and their schema's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum ShapeKey {
    /// A string enum, by its values.
    Enum(String),
    /// A struct, by its schema.
    Object(String),
    /// A union, by its schema.
    Union(String),
}

/// A schema reached through references, with where it is and which component it is.
pub(super) struct Target {
    /// The schema.
    pub schema: Schema,
    /// Its pointer (the last reference followed, for a reference).
    pub pointer: String,
    /// The Rust name of the last component schema on the way, if any.
    pub component: Option<String>,
}

/// All named types of one document, built incrementally.
pub(super) struct TypeSpace<'a> {
    pub(super) api: &'a OpenAPI,
    pub(super) resolver: Resolver<'a>,
    defs: Vec<TypeDef>,
    pub(super) names: NameSet,
    /// Component key -> reserved Rust name.
    pub(super) components: IndexMap<String, String>,
    nullable_components: HashSet<String>,
    shapes: HashMap<ShapeKey, String>,
    /// References being converted inline, to stop at a cycle.
    pub(super) resolving: Vec<String>,
    /// Component keys used only as multipart bodies: defined by `bodies`, not as components.
    pub(super) multipart_components: HashSet<String>,
    /// How date-time and date strings are typed.
    pub(super) dates: Dates,
    /// Whether `encoding.style` applies to multipart bodies (OpenAPI 3.1 and later).
    pub(super) styles_multipart: bool,
    /// The type that decodes a schema's JSON, by pointer, where it is not simply the type
    /// named after the schema: response body schemas converted so far, and nullable
    /// component schemas (whose JSON may be `null`, which their named type does not hold).
    schema_types: IndexMap<String, Ty>,
    /// Names pinned by the caller; only valid ones are kept.
    pub(super) pins: Names,
    /// Pinned type names not yet handed out: reserved in `names` so no new type takes one,
    /// and handed out once, to the first item found at its pointer.
    unclaimed: HashSet<String>,
    /// The names chosen so far, by where their items are.
    pub(super) chosen: Names,
    /// Where an inline union branch's names are pinned, by its position: the union and the
    /// branch's identity (`…/oneOf ~ kind=card`), so reordering the branches keeps every name
    /// inside each branch. See [`TypeSpace::pin_key`].
    pub(super) pin_aliases: HashMap<String, String>,
}

impl<'a> TypeSpace<'a> {
    /// Reserves a name for every component schema up front, so `$ref`s (including cyclic ones)
    /// resolve to names before any type is built, and names do not depend on visiting order.
    /// Pinned type names are reserved before that, so no other type takes one.
    pub(super) fn new(doc: &'a Document, pins: &Names, diags: &mut Diagnostics) -> Self {
        let mut pins = pins.clone();
        pins.types.retain(|at, name| {
            let valid = type_name(name) == *name;
            if !valid {
                diags.warn(
                    at.clone(),
                    format!("pinned type name `{name}` is not a Rust type name; ignored"),
                );
            }
            valid
        });
        let mut space = Self {
            api: &doc.api,
            resolver: doc.resolver(),
            defs: Vec::new(),
            names: NameSet::default(),
            components: IndexMap::new(),
            nullable_components: HashSet::new(),
            shapes: HashMap::new(),
            resolving: Vec::new(),
            multipart_components: HashSet::new(),
            dates: Dates::default(),
            styles_multipart: false,
            schema_types: IndexMap::new(),
            unclaimed: HashSet::new(),
            pins,
            chosen: Names::default(),
            pin_aliases: HashMap::new(),
        };
        for name in space.pins.types.values() {
            space.names.reserve(name);
            space.unclaimed.insert(name.clone());
        }
        if let Some(c) = &doc.api.components {
            let nullable = nullable_components(&c.schemas);
            for key in c.schemas.keys() {
                let at = format!("#/components/schemas/{}", pointer::escape(key));
                let name = space.name_at(&at, &type_name(key));
                if nullable.contains(key) {
                    space.nullable_components.insert(name.clone());
                    let decodes = Ty::Option(Box::new(Ty::Named(name.clone())));
                    space.schema_types.insert(at, decodes);
                }
                space.components.insert(key.clone(), name);
            }
        }
        space
    }

    /// Records the type a response body schema decodes into (the first conversion wins: a
    /// response shared by reference is converted once per use, to the same type).
    pub(super) fn record_response_schema(&mut self, pointer: String, ty: &Ty) {
        self.schema_types
            .entry(pointer)
            .or_insert_with(|| ty.clone());
    }

    /// Names the type defined at `at`: its pinned name the first time that pointer asks for
    /// it, else a fresh name from `base`. The choice is recorded (the first one for a
    /// pointer that names more than one type).
    pub(super) fn name_at(&mut self, at: &str, base: &str) -> String {
        let key = self.pin_key(at);
        // A name pinned by position before branches were pinned by identity still counts,
        // until `regen` rewrites the table under the new keys.
        let pinned = self
            .pins
            .types
            .get(&key)
            .or_else(|| self.pins.types.get(at));
        let name = match pinned {
            Some(pinned) if self.unclaimed.remove(pinned) => pinned.clone(),
            _ => self.names.unique(base),
        };
        self.record(at, &name);
        name
    }

    /// Records that the type at `at` is named `name`.
    fn record(&mut self, at: &str, name: &str) {
        let key = self.pin_key(at);
        self.chosen
            .types
            .entry(key)
            .or_insert_with(|| name.to_owned());
    }

    /// The key a name at pointer `at` is pinned under: see [`pin_key`].
    pub(super) fn pin_key(&self, at: &str) -> String {
        pin_key(&self.pin_aliases, at)
    }

    /// All types defined, in definition order, the schema types recorded and the names chosen.
    pub(super) fn finish(self) -> (Vec<TypeDef>, Vec<SchemaType>, Names) {
        let schemas = self
            .schema_types
            .into_iter()
            .map(|(pointer, ty)| SchemaType { pointer, ty })
            .collect();
        (self.defs, schemas, self.chosen)
    }

    pub(super) fn push(&mut self, def: TypeDef) {
        self.defs.push(def);
    }

    /// A type defined so far, by name.
    pub(super) fn defined(&self, name: &str) -> Option<&TypeDef> {
        self.defs.iter().rev().find(|d| d.name == name)
    }

    /// Names a new inline type, or finds the identical one defined earlier.
    /// Returns `Err(existing)` when the shape was already defined.
    /// `at` is the schema's pointer, where a pinned name is looked up.
    pub(super) fn claim_name(
        &mut self,
        naming: &Naming,
        shape: Option<ShapeKey>,
        at: &str,
    ) -> Result<String, String> {
        match naming {
            Naming::Fixed(name) => Ok(name.clone()),
            Naming::Hint(hint) => {
                if let Some(existing) = shape.as_ref().and_then(|k| self.shapes.get(k)) {
                    let existing = existing.clone();
                    self.record(at, &existing);
                    return Err(existing);
                }
                let name = self.name_at(at, &type_name(hint));
                if let Some(key) = shape {
                    self.shapes.insert(key, name.clone());
                }
                Ok(name)
            }
        }
    }

    /// The type of a string in `format` with no enum: a typed date or date-time unless they
    /// are mapped to text, else `String`.
    pub(super) fn formatted_string(&self, format: Option<&str>) -> Ty {
        match (format, self.dates) {
            (Some("date-time"), Dates::Typed) => Ty::DateTime,
            (Some("date"), Dates::Typed) => Ty::Date,
            _ => Ty::String,
        }
    }

    /// The component schema a reference names, as its Rust type and nullability.
    pub(super) fn component_ref(&self, reference: &str) -> Option<Conv> {
        let key = pointer::component_key(reference, "schemas")?;
        let name = self.components.get(&key)?;
        Some(Conv {
            ty: Ty::Named(name.clone()),
            nullable: self.nullable_components.contains(name),
        })
    }

    /// Follows a schema reference; a failure is warned about at the reference.
    pub(super) fn resolve(
        &self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        diags: &mut Diagnostics,
    ) -> Option<Target> {
        match self.resolver.resolve(schema, pointer) {
            Ok(r) => {
                let component = r.references.iter().rev().find_map(|reference| {
                    let key = pointer::component_key(reference, "schemas")?;
                    self.components.get(&key).cloned()
                });
                Some(Target {
                    schema: r.item,
                    pointer: r.pointer,
                    component,
                })
            }
            Err(e) => {
                diags.warn(&e.pointer, format!("{e}; using any JSON"));
                None
            }
        }
    }
}

/// The key a name at pointer `at` is pinned under: the pointer itself, with the longest prefix
/// that is an inline union branch's position replaced by that branch's identity (`aliases`).
pub(super) fn pin_key(aliases: &HashMap<String, String>, at: &str) -> String {
    if aliases.is_empty() {
        return at.to_owned();
    }
    let mut end = at.len();
    loop {
        if let Some(alias) = aliases.get(&at[..end]) {
            return format!("{alias}{}", &at[end..]);
        }
        match at[..end].rfind('/') {
            Some(slash) => end = slash,
            None => return at.to_owned(),
        }
    }
}
