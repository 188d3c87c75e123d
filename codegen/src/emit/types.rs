//! Named types -> Rust items.

use super::docs;
use super::features;
use super::rust_type::{Scope, rust_type};
use crate::facts::{Facts, TypeFacts};
use crate::ir::{
    Field, Model, MultipartKind, StringEnum, Struct, Tagged, Ty, TypeDef, TypeKind, Untagged,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The whole `types.rs`.
pub(crate) fn emit_types(model: &Model, facts: &Facts) -> TokenStream {
    let claims = Claims::new(model);
    let items = (model.types.iter()).zip(&facts.types).map(|(def, fact)| {
        features::gate_items(
            emit_type(&claims, def, fact),
            &features::cfg_attr(&fact.gate),
        )
    });
    let doc = docs::inner_attrs(&[format!("Types of {}.", model.title)]);
    quote! {
        #doc
        #(#items)*
    }
}

fn deprecated(def: &TypeDef) -> TokenStream {
    if def.doc.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    }
}

/// One type's items: its definition (struct, enum, union or alias) through the runtime's
/// macros, with the impls its shape needs. `claims`: what the variants of untagged unions
/// recognize (worked out once for the model); `fact` says whether the type is written whatever the crate's features, and which
/// union variants convert into it (see [`Facts`]).
fn emit_type(claims: &Claims<'_>, def: &TypeDef, fact: &TypeFacts) -> TokenStream {
    let written = fact.written;
    let variants = def.kind.union_variants();
    let convertible: Vec<(&String, &Ty)> = (fact.convertible.iter())
        .filter_map(|&v| variants.get(v).copied())
        .collect();
    let name = format_ident!("{}", def.name);
    let doc = docs::of(&def.doc);
    let dep = deprecated(def);
    let body = match &def.kind {
        TypeKind::Struct(s) => emit_struct(&name, s, written),
        TypeKind::Multipart(s) => emit_multipart(&name, s),
        TypeKind::Enum(e) => return emit_enum(&name, e, &doc, &dep),
        TypeKind::Tagged(t) => emit_tagged(&name, t, &convertible, written),
        TypeKind::Untagged(u) => {
            let union = emit_untagged(claims, &name, u, written);
            let from = variant_conversions(&name, &convertible);
            quote!(#union #from)
        }
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, Scope::Types, false);
            quote!(pub type #name = #ty;)
        }
    };
    quote! {
        #doc
        #dep
        #body
    }
}

fn field_doc(f: &Field) -> TokenStream {
    let mut doc = f.doc.clone();
    if doc.deprecated {
        let note = "Deprecated.".to_owned();
        doc.description = Some(match doc.description {
            Some(d) => format!("{note} {d}"),
            None => note,
        });
    }
    docs::of(&doc)
}

fn emit_struct(name: &proc_macro2::Ident, s: &Struct, written: bool) -> TokenStream {
    let all_optional = s.fields.iter().all(|f| !f.required);
    let default = if all_optional {
        quote!(Default,)
    } else {
        quote!()
    };
    // The fields carry no serde attributes: `object!` (below) reads and writes them.
    let fields = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.ident);
        let inner = rust_type(&f.ty, Scope::Types, false);
        let doc = field_doc(f);
        let ty = match (f.required, f.nullable) {
            (true, false) => inner,
            (true, true) | (false, false) => quote!(::std::option::Option<#inner>),
            (false, true) => quote!(::std::option::Option<::std::option::Option<#inner>>),
        };
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    let extra = s.additional.as_ref().map(|ty| {
        let ty = rust_type(ty, Scope::Types, false);
        quote! {
            /// Properties beyond the declared ones.
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let object = object_impls(name, s, written);
    quote! {
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #object
    }
}

/// How a field is held and treated on the wire, as the engine's macros name it: `req`
/// (plain, required), `nullable` (required, `Option`), `opt` (optional, `Option`), `double`
/// (optional and nullable, `Option<Option<_>>`).
fn field_mode(f: &Field) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        match (f.required, f.nullable) {
            (true, false) => "req",
            (true, true) => "nullable",
            (false, false) => "opt",
            (false, true) => "double",
        }
    )
}

/// Everything beside the definition, through the engine's `object!`: `Serialize` and
/// `Deserialize` from the fields' wire names and how each treats absence and `null` (serde's
/// derives write several times as much code per struct, and that code is most of what a
/// generated crate costs to check; BENCHMARKS.md), then `new(required…)` and a setter per
/// other field (one line per field instead of a documented method each). Empty constructor
/// sections are left out.
fn object_impls(name: &proc_macro2::Ident, s: &Struct, written: bool) -> TokenStream {
    let fields = s.fields.iter().enumerate().map(|(i, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let ident = format_ident!("{}", f.ident);
        let wire = &f.wire;
        let mode = field_mode(f);
        // Written out even when it equals the field's name: a macro that filled it in would
        // cost an expansion per use, about 8% of a struct-heavy crate's check.
        quote!(#index #ident: #wire #mode)
    });
    let extra = s
        .additional
        .as_ref()
        .map(|_| quote!(additional(additional_properties)));
    let typed = |f: &Field| {
        let ident = format_ident!("{}", f.ident);
        let ty = rust_type(&f.ty, Scope::Types, false);
        quote!(#ident: #ty)
    };
    let section = |name: &str, items: Vec<TokenStream>| {
        let name = format_ident!("{}", name);
        (!items.is_empty()).then(|| quote!(#name(#(#items),*)))
    };
    let named = s.named.as_ref().map(|args| {
        let args = format_ident!("{}", args);
        quote!(named(#args))
    });
    let required = section("new", s.constructor_fields().map(typed).collect());
    let fixed = section(
        "fixed",
        s.fields
            .iter()
            .filter_map(|f| {
                let value = f.fixed_value()?;
                let ident = format_ident!("{}", f.ident);
                Some(quote!(#ident: #value))
            })
            .collect(),
    );
    let settable = |nullable: bool| -> Vec<TokenStream> {
        s.fields
            .iter()
            .filter(|f| !f.in_constructor() && f.fixed_value().is_none())
            .filter(|f| (!f.required && f.nullable) == nullable)
            .map(typed)
            .collect()
    };
    let set = section("set", settable(false));
    let set_nullable = section("set_nullable", settable(true));
    let way = received_marker(written);
    quote! {
        crate::engine::object!(#way #name { #(#fields),* } #extra #named #required #fixed #set #set_nullable);
    }
}

/// The engine macros' word for a type only read unless the crate's `serde` feature is on
/// (`received`); nothing for a type always written.
fn received_marker(written: bool) -> TokenStream {
    if written { quote!() } else { quote!(received) }
}

fn multipart_type(f: &Field) -> TokenStream {
    let inner = rust_type(&f.ty, Scope::Types, true);
    match (&f.multipart, f.required) {
        (Some(MultipartKind::Files), _) | (_, true) => inner,
        _ => quote!(::std::option::Option<#inner>),
    }
}

fn emit_multipart(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.ident);
        let ty = multipart_type(f);
        let doc = field_doc(f);
        quote!(#doc pub #ident: #ty,)
    });
    // Positional `impl Into<_>` arguments, or one struct naming them (see `Struct::named`).
    let (args, args_struct): (Vec<TokenStream>, TokenStream) = match &s.named {
        None => (
            s.constructor_fields()
                .map(|f| {
                    let ident = format_ident!("{}", f.ident);
                    let ty = multipart_type(f);
                    quote!(#ident: impl ::std::convert::Into<#ty>)
                })
                .collect(),
            quote!(),
        ),
        Some(args) => {
            let args = format_ident!("{}", args);
            let fields = s.constructor_fields().map(|f| {
                let ident = format_ident!("{}", f.ident);
                let ty = multipart_type(f);
                quote!(pub #ident: #ty,)
            });
            let doc = docs::attrs(&[format!(
                "The required fields of [`{name}`], each named, for [`{name}::new`]: its arguments could be confused positionally."
            )]);
            (
                vec![quote!(required: #args)],
                quote! {
                    #doc
                    #[derive(Debug, Clone)]
                    pub struct #args { #(#fields)* }
                },
            )
        }
    };
    let inits = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.ident);
        if let Some(value) = f.fixed_value() {
            quote!(#ident: #value.into())
        } else if f.in_constructor() && s.named.is_some() {
            quote!(#ident: required.#ident)
        } else if f.in_constructor() {
            quote!(#ident: #ident.into())
        } else {
            quote!(#ident: ::std::default::Default::default())
        }
    });
    let setters = s
        .fields
        .iter()
        .filter(|f| !f.in_constructor() && f.fixed_value().is_none())
        .map(|f| {
            let ident = format_ident!("{}", f.ident);
            let doc = docs::attrs(&[format!("Sets {}.", docs::code(&f.wire))]);
            if f.multipart == Some(MultipartKind::Files) {
                let inner = rust_type(&Ty::Binary, Scope::Types, true);
                quote! {
                    #doc
                    pub fn #ident(mut self, part: #inner) -> Self {
                        self.#ident.push(part);
                        self
                    }
                }
            } else {
                let inner = rust_type(&f.ty, Scope::Types, true);
                quote! {
                    #doc
                    pub fn #ident(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                        self.#ident = ::std::option::Option::Some(value.into());
                        self
                    }
                }
            }
        });
    // Nothing required: `new()` takes nothing, and `Default` is the same body (as clippy's
    // `new_without_default` asks of a public type).
    let default = args.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #args_struct
        impl #name {
            /// A body with the required fields set.
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
        #default
    }
}

/// `From` each convertible variant's payload ([`TypeFacts::convertible`]) into its untagged union,
/// so a payload (`LinkedinConnect::new(..)`) goes wherever the union is taken
/// (`impl Into<Union>` arguments). Tagged unions pass payload types to `tagged_union!`, which
/// writes the same impls.
fn variant_conversions(name: &proc_macro2::Ident, convertible: &[(&String, &Ty)]) -> TokenStream {
    let pairs: Vec<TokenStream> = convertible
        .iter()
        .map(|(ident, ty)| {
            let id = format_ident!("{}", ident);
            let ty = rust_type(ty, Scope::Types, false);
            quote!(#id(#ty))
        })
        .collect();
    if pairs.is_empty() {
        return quote!();
    }
    quote! {
        crate::engine::union_from_variants!(#name { #(#pairs),* });
    }
}

/// A string enum as one `string_enum!` table: the macro writes the type, documents each
/// variant with its wire value and adds the impls, so each variant is named once here. The
/// type's own doc and deprecation go inside (an attribute on a macro call would be lost).
fn emit_enum(
    name: &proc_macro2::Ident,
    e: &StringEnum,
    doc: &TokenStream,
    dep: &TokenStream,
) -> TokenStream {
    let fallback = format_ident!("{}", e.fallback);
    let variants = e.variants.iter().map(|v| {
        let id = format_ident!("{}", v.ident);
        let wire = &v.wire;
        // The macro documents the wire value (in a safe form where it differs); only what
        // the document adds is passed on.
        let wire_doc = docs::inline_override(wire).map(|d| quote!((#d)));
        let doc = docs::of(&v.doc);
        quote!(#doc #id => #wire #wire_doc,)
    });
    quote! {
        crate::engine::string_enum! {
            #doc
            #dep
            pub enum #name (#fallback) { #(#variants)* }
        }
    }
}

/// One accessor per field every variant shares, so callers need not match to read an `id`.
fn shared_accessors(name: &proc_macro2::Ident, t: &Tagged) -> TokenStream {
    if t.shared.is_empty() {
        return quote!();
    }
    let fallback = format_ident!("{}", t.fallback);
    let variants = t.variants.iter().map(|v| format_ident!("{}", v.ident));
    let fields = t.shared.iter().map(|f| {
        let ident = format_ident!("{}", f.ident);
        let inner = rust_type(&f.ty, Scope::Types, false);
        // Mirrors the field's wrapping (see `emit_struct`).
        let mode = field_mode(f);
        // One line of inline code in the accessor's doc: no line breaks, controls or backticks
        // (a wire name is document text).
        let wire = docs::clean(&f.wire).replace('\n', " ").replace('`', "'");
        quote!(#ident: #inner = #wire #mode)
    });
    quote! {
        crate::engine::shared_accessors!(#name [#(#variants),*] #fallback { #(#fields),* });
    }
}

/// A tagged union: the enum, then `tagged_union!` with each variant's tag values and, for a
/// convertible variant ([`TypeFacts::convertible`]), its payload type (the macro adds the `From`).
fn emit_tagged(
    name: &proc_macro2::Ident,
    t: &Tagged,
    convertible: &[(&String, &Ty)],
    written: bool,
) -> TokenStream {
    let accessors = shared_accessors(name, t);
    let fallback = format_ident!("{}", t.fallback);
    let tag = &t.tag;
    let variants = t.variants.iter().map(|v| {
        let id = format_ident!("{}", v.ident);
        let ty = rust_type(&v.ty, Scope::Types, false);
        let mut doc = v.doc.clone();
        let values: Vec<String> = v.values.iter().map(|x| docs::code(x)).collect();
        let note = format!("`{}` is {}.", tag.replace('`', "'"), values.join(" or "));
        doc.description = Some(match doc.description {
            Some(d) => format!("{note}\n\n{d}"),
            None => note,
        });
        let doc = docs::of(&doc);
        quote!(#doc #id(#ty),)
    });
    let way = received_marker(written);
    let mut used = std::collections::HashSet::new();
    let json = t.variants.iter().map(|v| {
        let id = format_ident!("{}", v.ident);
        // A value claimed by an earlier variant would be an unreachable pattern.
        let values: Vec<&String> = v
            .values
            .iter()
            .filter(|x| used.insert(x.as_str()))
            .collect();
        let from = convertible
            .iter()
            .find(|(ident, _)| **ident == v.ident)
            .map(|(_, ty)| {
                let ty = rust_type(ty, Scope::Types, false);
                quote!((#ty))
            });
        if values.is_empty() {
            quote!(#id #from)
        } else {
            quote!(#id #from = #(#values)|*)
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A variant this version of the SDK does not know yet, kept as JSON.
            #fallback(crate::engine::serde_json::Value),
        }
        crate::engine::tagged_union!(#way #name #tag #fallback { #(#json),* });
        #accessors
    }
}

/// How a variant of an untagged union recognizes a value as its own (see the engine's
/// `untagged_union!`): then its decode error is the union's, never a reason to try the next
/// variant or the fallback.
#[derive(Debug, Clone, PartialEq)]
enum Claim {
    /// A tagged union with known tag values: the value's tag holds one.
    Tag(String),
    /// A struct with fixed-value fields: the value holds every one (wire name, value).
    Fixed(Vec<(String, String)>),
    /// An untagged union, some variant of which claims by its tag or fixed fields.
    Union(String),
}

/// What the variants of untagged unions recognize, worked out once for the whole model.
struct Claims<'a> {
    types: std::collections::HashMap<&'a str, &'a TypeKind>,
    /// The untagged unions that are variants of untagged unions and whose own variants claim
    /// by tag or fixed fields: they are `claiming`, and a union with one of them as a variant
    /// claims through it. One level only, so that whether a union claims never depends on
    /// where it is looked at from.
    claiming: std::collections::HashSet<&'a str>,
}

impl<'a> Claims<'a> {
    fn new(model: &'a Model) -> Self {
        let types = (model.types.iter())
            .map(|t| (t.name.as_str(), &t.kind))
            .collect();
        let mut claims = Self {
            types,
            claiming: Default::default(),
        };
        let unions = || {
            (model.types.iter()).filter_map(|t| match &t.kind {
                TypeKind::Untagged(u) => Some((t.name.as_str(), u)),
                _ => None,
            })
        };
        let nested: std::collections::HashSet<&str> = unions()
            .flat_map(|(_, u)| &u.variants)
            .filter_map(|v| match claims.named(&v.ty) {
                Some((name, TypeKind::Untagged(_))) => Some(name),
                _ => None,
            })
            .collect();
        let claiming = unions()
            .filter(|(name, u)| nested.contains(name) && !claims.of_union(u).is_empty())
            .map(|(name, _)| name)
            .collect();
        claims.claiming = claiming;
        claims
    }

    /// Through aliases (and a box), the named type `ty` stands for.
    fn named(&self, ty: &Ty) -> Option<(&'a str, &'a TypeKind)> {
        let mut ty = ty.clone();
        // Alias chains are short; the bound only guards against an alias cycle.
        for _ in 0..16 {
            let (name, kind) = match &ty {
                Ty::Boxed(inner) => {
                    ty = (**inner).clone();
                    continue;
                }
                Ty::Named(n) => self.types.get_key_value(n.as_str())?,
                _ => return None,
            };
            match kind {
                TypeKind::Alias(inner) => ty = inner.clone(),
                kind => return Some((name, kind)),
            }
        }
        None
    }

    fn tagged(&self, name: &str) -> Option<&'a Tagged> {
        match self.types.get(name) {
            Some(TypeKind::Tagged(t)) => Some(t),
            _ => None,
        }
    }

    /// What a variant whose payload is `ty` recognizes as its own.
    fn of(&self, ty: &Ty) -> Option<Claim> {
        let (name, kind) = self.named(ty)?;
        match kind {
            TypeKind::Tagged(t) if t.variants.iter().any(|v| !v.values.is_empty()) => {
                Some(Claim::Tag(name.to_owned()))
            }
            TypeKind::Struct(s) => {
                let pairs: Vec<(String, String)> = (s.fields.iter())
                    .filter_map(|f| Some((f.wire.clone(), f.fixed_value()?.to_owned())))
                    .collect();
                (!pairs.is_empty()).then_some(Claim::Fixed(pairs))
            }
            TypeKind::Untagged(_) if self.claiming.contains(name) => {
                Some(Claim::Union(name.to_owned()))
            }
            _ => None,
        }
    }

    /// The claim of each variant of `u` (by index) that has one and that no other variant
    /// could also make: of two variants that may recognize one value (two lists both fixed to
    /// `"object": "list"`), the second is still tried when the first fails, as it always was.
    fn of_union(&self, u: &Untagged) -> Vec<(usize, Claim)> {
        let claims: Vec<(usize, Claim)> = (u.variants.iter().enumerate())
            .filter_map(|(i, v)| Some((i, self.of(&v.ty)?)))
            .collect();
        (claims.iter())
            .filter(|(i, c)| {
                (claims.iter())
                    .filter(|(j, _)| j != i)
                    .all(|(_, other)| self.exclusive(c, other))
            })
            .cloned()
            .collect()
    }

    /// Whether the claims tell values apart: they test a property in common and want a
    /// different value there. Claims on different properties are taken to mean different
    /// kinds of things (a value that holds both `"object": "card"` and a known `kind` is not
    /// one a document means), so both stand.
    fn exclusive(&self, a: &Claim, b: &Claim) -> bool {
        match (self.tested(a), self.tested(b)) {
            (Some(a), Some(b)) => {
                let common: Vec<&String> = a.keys().filter(|k| b.contains_key(*k)).collect();
                common.is_empty() || common.iter().any(|k| a[*k].is_disjoint(&b[*k]))
            }
            // What a union in a union recognizes is not followed this far.
            _ => false,
        }
    }

    /// The properties a claim tests, each with the values it accepts there.
    fn tested(
        &self,
        claim: &Claim,
    ) -> Option<std::collections::HashMap<String, std::collections::HashSet<String>>> {
        match claim {
            Claim::Fixed(pairs) => Some(
                (pairs.iter())
                    .map(|(k, v)| (k.clone(), std::iter::once(v.clone()).collect()))
                    .collect(),
            ),
            Claim::Tag(t) => {
                let t = self.tagged(t)?;
                let values = t.variants.iter().flat_map(|v| v.values.iter().cloned());
                Some(std::iter::once((t.tag.clone(), values.collect())).collect())
            }
            Claim::Union(_) => None,
        }
    }
}

/// An untagged union: the enum, then `untagged_union!` with the variants in the order they
/// are tried, each with how it recognizes a value as its own, if it does.
fn emit_untagged(
    claims: &Claims<'_>,
    name: &proc_macro2::Ident,
    u: &Untagged,
    written: bool,
) -> TokenStream {
    let fallback = format_ident!("{}", u.fallback);
    let variants = u.variants.iter().map(|v| {
        let id = format_ident!("{}", v.ident);
        let ty = rust_type(&v.ty, Scope::Types, false);
        let doc = docs::of(&v.doc);
        quote!(#doc #id(#ty),)
    });
    let claiming = claims.claiming.contains(name.to_string().as_str());
    let claims = claims.of_union(u);
    let json = u.variants.iter().enumerate().map(|(i, v)| {
        let id = format_ident!("{}", v.ident);
        let ty = rust_type(&v.ty, Scope::Types, false);
        let claim = claims.iter().find(|(j, _)| *j == i).map(|(_, c)| match c {
            Claim::Tag(t) => {
                let t = format_ident!("{}", t);
                quote!(if tag(#t))
            }
            Claim::Union(t) => {
                let t = format_ident!("{}", t);
                quote!(if union(#t))
            }
            Claim::Fixed(pairs) => {
                let pairs = pairs.iter().map(|(k, v)| quote!(#k = #v));
                quote!(if fixed(#(#pairs),*))
            }
        });
        quote!(#id(#ty) #claim)
    });
    // A union only read is written with the `serde` feature and in tests, as the engine's
    // `object!` does for structs.
    let way = received_marker(written);
    let claiming = claiming.then(|| quote!(claiming));
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// Any other JSON value.
            #fallback(crate::engine::serde_json::Value),
        }
        crate::engine::untagged_union!(#way #claiming #name #fallback { #(#json),* });
    }
}
