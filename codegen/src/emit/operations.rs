//! Operations -> one module per resource group: an accessor struct, one request builder per
//! operation (required inputs as arguments, optional ones as setters), typed `send()`,
//! `send_with_response()`, and `pages()`/`items()` for detected cursor pagination. Builder,
//! response-enum and body-enum names, and their variants, are the IR's.

use super::docs;
use super::expressions::{next_cursor_access, style_name};
use super::features;
use super::prose::{body_guide, kind_label};
use super::rust_type::{Scope, rust_type};
use crate::facts::{Facts, OperationFacts};
use crate::ir::{
    Body, BodyChoice, BodyKind, FormFieldEncoding, HttpMethod, Model, MultipartKind, Operation,
    Param, ParamLocation, ParamStyle, Status, Success, Ty, TypeKind, is_text,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The Rust type of a parameter's value.
fn param_type(p: &Param) -> TokenStream {
    rust_type(&p.ty, Scope::Group, false)
}

/// What `send()` returns: the response enum, or the one success body's type.
fn success_type(op: &Operation) -> TokenStream {
    if let Some(e) = &op.response_enum {
        let e = format_ident!("{}", e);
        return quote!(#e);
    }
    match op.success.first().map(|c| &c.body) {
        Some(Success::Json(ty)) => rust_type(ty, Scope::Group, false),
        Some(Success::Text) => quote!(::std::string::String),
        Some(Success::Empty) => quote!(()),
        Some(Success::Binary) | None => quote!(crate::engine::Bytes),
    }
}

/// The Rust type of one encoding of a body.
fn kind_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => rust_type(ty, Scope::Group, false),
        BodyKind::Multipart(name) => rust_type(&Ty::Named(name.clone()), Scope::Group, false),
        BodyKind::Bytes => quote!(crate::engine::Bytes),
        BodyKind::Text => quote!(::std::string::String),
    }
}

/// The body parameter's type: the one encoding's type, or the choice enum when the
/// operation accepts several.
fn body_type(body: &Body) -> TokenStream {
    match &body.choice_enum {
        Some(name) => {
            let name = format_ident!("{}", name);
            quote!(#name)
        }
        None => kind_type(&body.default.kind),
    }
}

/// `enum {Method}Body` for operations that accept several media types: the caller picks the
/// encoding by variant; the default encoding's type converts into it.
fn body_enum(op: &Operation) -> TokenStream {
    let Some(body) = &op.body else {
        return quote!();
    };
    let Some(name) = &body.choice_enum else {
        return quote!();
    };
    let name = format_ident!("{}", name);
    let variants = body.choices().map(|choice| {
        let id = format_ident!("{}", choice.variant);
        let ty = kind_type(&choice.kind);
        let doc = docs::attrs(&[format!("Sent as {}.", docs::code(&choice.content_type))]);
        quote!(#doc #id(#ty),)
    });
    let default_id = format_ident!("{}", body.default.variant);
    let default_ty = kind_type(&body.default.kind);
    let doc = docs::attrs(&[format!(
        "The encodings `{}` accepts for its body; a {} converts into the default, {}.",
        op.method,
        docs::code(&kind_label(&body.default.kind)),
        docs::code(&body.default.content_type)
    )]);
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        impl ::std::convert::From<#default_ty> for #name {
            fn from(body: #default_ty) -> Self {
                Self::#default_id(body)
            }
        }
    }
}

/// A Rust literal for a required input in a doc example, where its type has one.
fn example_literal(text: bool, ty: &Ty, wire: &str) -> Option<String> {
    match ty {
        _ if text => Some(format!("{wire:?}")),
        Ty::I32 | Ty::I64 => Some("1".to_owned()),
        Ty::F64 => Some("1.0".to_owned()),
        Ty::Bool => Some("true".to_owned()),
        _ => None,
    }
}

/// How a doc example builds a required body: the body type's constructor with a value for
/// every required field (`types::X::new("account_id")`, or `types::X::new(types::XRequired {
/// account_id: "account_id".into(), .. })` where it names them), else `None`.
fn body_constructor(model: &Model, body: &Body, krate: &str) -> Option<String> {
    match (&body.choice_enum, &body.default.kind) {
        (None, BodyKind::Json(Ty::Named(name)) | BodyKind::Multipart(name)) => example_value(
            model,
            &Ty::Named(name.clone()),
            name,
            krate,
            Place::Argument,
            0,
        ),
        _ => None,
    }
}

/// Where an example value goes, which decides how text is written.
#[derive(Clone, Copy)]
enum Place {
    /// An `impl Into<T>` argument: `"text"`.
    Argument,
    /// A field of exactly its type: `"text".into()`.
    Field,
    /// A list's item, whose type nothing names: `String::from("text")`.
    Item,
}

/// An expression of type `ty` for a doc example (an `impl Into<ty>` argument, or a field of
/// exactly that type): a literal, a list of one, an enum's first value, or a struct built
/// with its constructor from such values; `None` where there is none.
fn example_value(
    model: &Model,
    ty: &Ty,
    wire: &str,
    krate: &str,
    place: Place,
    depth: usize,
) -> Option<String> {
    let kind_of = |n: &str| model.types.iter().find(|t| t.name == n).map(|t| &t.kind);
    if is_text(kind_of, ty) {
        return Some(match place {
            Place::Argument => format!("{wire:?}"),
            Place::Field => format!("{wire:?}.into()"),
            Place::Item => format!("::std::string::String::from({wire:?})"),
        });
    }
    match ty {
        Ty::Vec(item) => {
            let item = example_value(model, item, wire, krate, Place::Item, depth + 1)?;
            Some(format!("vec![{item}]"))
        }
        Ty::Named(name) if depth < 3 => match kind_of(name)? {
            TypeKind::Alias(inner) => example_value(model, inner, wire, krate, place, depth + 1),
            TypeKind::Enum(e) => {
                let first = e.variants.first()?;
                Some(format!("{krate}::types::{name}::{}", first.ident))
            }
            TypeKind::Struct(s) | TypeKind::Multipart(s) => {
                let mut args = Vec::new();
                let inner = match s.named {
                    Some(_) => Place::Field,
                    None => Place::Argument,
                };
                for f in s.constructor_fields() {
                    let value = example_value(model, &f.ty, &f.wire, krate, inner, depth + 1)?;
                    args.push((f.ident.as_str(), value));
                }
                Some(match &s.named {
                    None => {
                        let values: Vec<&str> = args.iter().map(|(_, v)| v.as_str()).collect();
                        format!("{krate}::types::{name}::new({})", values.join(", "))
                    }
                    Some(named) => {
                        let fields: Vec<String> =
                            args.iter().map(|(f, v)| format!("{f}: {v}")).collect();
                        format!(
                            "{krate}::types::{name}::new({krate}::types::{named} {{ {} }})",
                            fields.join(", ")
                        )
                    }
                })
            }
            _ => None,
        },
        _ => example_literal(false, ty, wire),
    }
}

/// A usage example for the method docs: path parameters as arguments and required setters,
/// literals where their type allows, hidden placeholders otherwise, so the visible part is
/// the call itself.
fn example(model: &Model, op: &Operation, module: &str, krate: &str) -> String {
    let mut hidden = Vec::new();
    let mut visible = Vec::new();
    let mut args = Vec::new();
    let mut setters = String::new();
    for p in op.params.iter().filter(|p| p.required) {
        let value = match example_literal(p.text, &p.ty, &p.wire) {
            Some(l) => l,
            None => {
                hidden.push(format!(
                    "# let {}: {} = todo!();",
                    p.ident,
                    example_type(&p.ty, krate)
                ));
                p.ident.clone()
            }
        };
        if p.is_argument() {
            args.push(value);
        } else {
            setters.push_str(&format!(".{}({value})", p.ident));
        }
    }
    if let Some((line, ty)) = op
        .body
        .as_ref()
        .and_then(|b| example_body(&b.default, krate))
    {
        // The documented example, decoded into the default encoding's type (which every
        // body parameter accepts), so the visible example builds a real body.
        visible.push(format!("let body: {ty} = {line};"));
        args.push("body".into());
    } else if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        match body_constructor(model, b, krate) {
            Some(built) => visible.push(format!("let body = {built};")),
            None => {
                let ty = match (&b.choice_enum, &b.default.kind) {
                    (Some(name), _) => format!("{krate}::{module}::{name}"),
                    (None, BodyKind::Json(ty) | BodyKind::Form(ty)) => example_type(ty, krate),
                    (None, BodyKind::Multipart(name)) => format!("{krate}::types::{name}"),
                    (None, BodyKind::Bytes) => format!("{krate}::engine::Bytes"),
                    (None, BodyKind::Text) => "::std::string::String".into(),
                };
                hidden.push(format!("# let body: {ty} = todo!();"));
            }
        }
        args.push("body".into());
    }
    let mut lines = vec![
        "```no_run".to_owned(),
        format!("# async fn example(client: {krate}::Client) -> {krate}::engine::Result<()> {{"),
    ];
    lines.extend(hidden);
    lines.extend(visible);
    lines.push(format!(
        "let response = client.{module}().{}({}){setters}.send().await?;",
        op.method,
        args.join(", ")
    ));
    // One hidden line closes the example: rustdoc shows none of it.
    lines.push("# let _ = response; Ok(()) }".into());
    lines.push("```".into());
    format!("# Example\n{}", lines.join("\n"))
}

/// The expression that builds a body from the document's example, and the type it builds;
/// `None` when there is no example or the encoding is not a serde type (multipart, bytes,
/// text).
fn example_body(choice: &BodyChoice, krate: &str) -> Option<(String, String)> {
    let example = choice.example.as_deref()?;
    let (BodyKind::Json(ty) | BodyKind::Form(ty)) = &choice.kind else {
        return None;
    };
    // A raw string needs more `#` than any `"#…` run inside the example.
    let mut hashes = "#".to_owned();
    while example.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let line = format!(
        "{krate}::engine::serde_json::from_str(r{hashes}\"{example}\"{hashes}).expect(\"the documented example\")"
    );
    Some((line, example_type(ty, krate)))
}

/// A type's path as a doc example outside the crate writes it: generated types through
/// `{krate}::types`, everything else fully qualified.
fn example_type(ty: &Ty, krate: &str) -> String {
    match ty {
        Ty::String | Ty::Binary => "::std::string::String".into(),
        Ty::DateTime => format!("{krate}::engine::Timestamp"),
        Ty::Date => format!("{krate}::engine::Date"),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Value => format!("{krate}::engine::serde_json::Value"),
        Ty::Named(n) => format!("{krate}::types::{n}"),
        Ty::Vec(i) => format!("::std::vec::Vec<{}>", example_type(i, krate)),
        Ty::Map(i) => format!(
            "::std::collections::BTreeMap<::std::string::String,{}>",
            example_type(i, krate)
        ),
        Ty::Option(i) => format!("::std::option::Option<{}>", example_type(i, krate)),
        Ty::Boxed(i) => format!("::std::boxed::Box<{}>", example_type(i, krate)),
    }
}

fn method_doc(
    model: &Model,
    facts: &Facts,
    op: &Operation,
    module: &str,
    crate_name: Option<&str>,
) -> TokenStream {
    let mut parts = vec![format!(
        "`{} {}`",
        op.http_method,
        op.path.replace('`', "'")
    )];
    if let Some(s) = &op.summary {
        parts.push(format!("**{}**", s.trim().replace("**", "")));
    }
    if let Some(d) = &op.description {
        parts.push(d.clone());
    }
    let mut params = Vec::new();
    for p in &op.params {
        let loc = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        let req = match (p.required, p.is_argument()) {
            (true, true) => "required".to_owned(),
            (true, false) => format!("required: set it with `.{}(..)`", p.ident),
            (false, _) => "optional".to_owned(),
        };
        let desc = p
            .doc
            .description
            .as_deref()
            .map(|d| d.lines().next().unwrap_or_default().trim().to_owned())
            .unwrap_or_default();
        let desc = if desc.is_empty() {
            desc
        } else {
            format!(": {desc}")
        };
        params.push(format!("- {} ({loc}, {req}){desc}", docs::code(&p.wire)));
    }
    if let Some(b) = &op.body {
        params.push(format!(
            "- body ({}, {}): {}",
            docs::code(&b.default.content_type),
            if b.required { "required" } else { "optional" },
            body_guide(model, facts, b)
        ));
    }
    if !params.is_empty() {
        parts.push(format!("# Parameters\n{}", params.join("\n")));
    }
    if !op.errors.is_empty() {
        // Statuses that share a body type share a line, in the order they first appear.
        let mut lines: Vec<(Option<String>, Vec<String>)> = Vec::new();
        for e in &op.errors {
            let body = match &e.body {
                Some(Ty::Named(name)) => Some(format!("[`{name}`](crate::types::{name})")),
                _ => None,
            };
            let status = docs::code(&e.status.to_string());
            match lines.iter_mut().find(|(b, _)| *b == body) {
                Some((_, statuses)) => statuses.push(status),
                None => lines.push((body, vec![status])),
            }
        }
        let errs: Vec<String> = lines
            .into_iter()
            .map(|(body, statuses)| match body {
                Some(body) => format!("- {}: {body}", statuses.join(", ")),
                None => format!("- {}", statuses.join(", ")),
            })
            .collect();
        parts.push(format!(
            "# Errors\nDocumented error statuses (decode bodies with `ApiError::body_as`):\n{}",
            errs.join("\n")
        ));
    }
    if let Some(p) = &op.pagination {
        parts.push(format!(
            "Paginated: `.items()` streams every element of {} across pages, following {}.",
            docs::code(&p.items_wire),
            docs::code(&p.next_cursor_wire)
        ));
    }
    if let Some(id) = &op.operation_id {
        parts.push(format!("Operation id: {}.", docs::code(id)));
    }
    match crate_name {
        Some(krate) => docs::attrs_with_code(&parts, &example(model, op, module, krate)),
        None => docs::attrs(&parts),
    }
}

/// Emits the module of group `gi`.
pub(crate) fn emit_group(
    model: &Model,
    facts: &Facts,
    gi: usize,
    crate_name: Option<&str>,
) -> TokenStream {
    let group = &model.groups[gi];
    let group_ty = format_ident!("{}", group.type_name);
    let ops: Vec<(&Operation, &OperationFacts)> = (model.operations.iter())
        .zip(&facts.operations)
        .filter(|(o, _)| o.group == gi)
        .collect();
    let methods = ops.iter().map(|(op, fact)| {
        let cfg = features::cfg_attr(&fact.gate);
        let method = emit_method(model, facts, op, &group.module, crate_name);
        quote!(#cfg #method)
    });
    let builders = ops.iter().map(|(op, fact)| {
        features::gate_items(emit_builder(model, op), &features::cfg_attr(&fact.gate))
    });
    let module_doc = docs::inner_attrs(&[group
        .doc
        .clone()
        .unwrap_or_else(|| format!("Operations tagged `{}`.", group.module))]);
    let accessor = &group.module;
    quote! {
        #module_doc
        crate::engine::operation_group!(crate::Client, #group_ty, #accessor);
        impl #group_ty {
            #(#methods)*
        }
        #(#builders)*
    }
}

fn emit_method(
    model: &Model,
    facts: &Facts,
    op: &Operation,
    module: &str,
    crate_name: Option<&str>,
) -> TokenStream {
    let method = format_ident!("{}", op.method);
    let builder = format_ident!("{}", op.builder);
    let doc = method_doc(model, facts, op, module, crate_name);
    let dep = if op.deprecated {
        quote!(#[deprecated])
    } else {
        quote!()
    };
    let mut args = Vec::new();
    let mut values = Vec::new();
    for p in op.params.iter().filter(|p| p.is_argument()) {
        let id = format_ident!("{}", p.ident);
        if p.text {
            args.push(quote!(#id: impl ::std::convert::Into<::std::string::String>));
            values.push(quote!(#id.into()));
        } else {
            let ty = param_type(p);
            args.push(quote!(#id: #ty));
            values.push(quote!(#id));
        }
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.required) {
        let ty = body_type(b);
        args.push(quote!(body: impl ::std::convert::Into<#ty>));
        values.push(quote!(body.into()));
    }
    quote! {
        #doc
        #dep
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder::new_(self.client.clone(), #(#values),*)
        }
    }
}

/// The engine's name of a parameter style.
fn style_tokens(s: ParamStyle) -> TokenStream {
    let name = style_name(s);
    quote!(crate::engine::ParamStyle::#name)
}

fn form_encoding_tokens(how: FormFieldEncoding) -> TokenStream {
    match how {
        FormFieldEncoding::Styled { style, explode } => {
            let style = style_tokens(style);
            quote!(crate::engine::FormEncoding::Styled(#style, #explode))
        }
        FormFieldEncoding::Json => quote!(crate::engine::FormEncoding::Json),
    }
}

/// How a request starts: the engine's shorthand (`Request::get(path)`) where it has one, as
/// reqwest's client does, and `Request::new(Method::OPTIONS, path)` otherwise.
fn request_start(m: HttpMethod, path: &str) -> TokenStream {
    match m {
        HttpMethod::Options | HttpMethod::Trace => {
            let id = format_ident!("{}", m.as_str());
            quote!(crate::engine::Request::new(crate::engine::Method::#id, #path))
        }
        _ => {
            let constructor = format_ident!("{}", m.as_str().to_ascii_lowercase());
            quote!(crate::engine::Request::#constructor(#path))
        }
    }
}

fn fmt_f64(v: f64) -> TokenStream {
    let lit = proc_macro2::Literal::f64_suffixed(if v.is_finite() { v } else { 0.0 });
    quote!(#lit)
}

fn build_fn(model: &Model, op: &Operation) -> TokenStream {
    let start = request_start(op.http_method, &op.path);
    let mut steps = Vec::new();
    for p in &op.params {
        let id = format_ident!("{}", p.ident);
        let wire = &p.wire;
        if let (Some((min, max)), true) = (p.range, matches!(p.ty, Ty::I32 | Ty::I64 | Ty::F64)) {
            let min = min
                .map(fmt_f64)
                .map(|m| quote!(::std::option::Option::Some(#m)))
                .unwrap_or(quote!(::std::option::Option::None));
            let max = max
                .map(fmt_f64)
                .map(|m| quote!(::std::option::Option::Some(#m)))
                .unwrap_or(quote!(::std::option::Option::None));
            // The engine takes the value as held (numbers, and `Option`s of them, are `Copy`):
            // an unset optional one is not checked.
            steps.push(quote!(crate::engine::check_range(#wire, self.#id, #min, #max)?;));
        }
        // A required setter's value is checked here, before anything is sent; the error
        // names the setter, which is the parameter's own name unless naming changed it
        // (`accountId` -> `account_id`, a keyword, a clash).
        let value = if p.required && !p.is_argument() {
            let setter = &p.ident;
            if *setter == p.wire {
                quote!(crate::engine::required(#wire, &self.#id)?)
            } else {
                quote!(crate::engine::require(#wire, #setter, &self.#id)?)
            }
        } else {
            quote!(&self.#id)
        };
        steps.push(match p.location {
            ParamLocation::Path => quote!(req.path_param(#wire, #value)?;),
            // Form with explode is OpenAPI's default for query parameters, and the engine's.
            ParamLocation::Query if p.style == ParamStyle::Form && p.explode => {
                quote!(req.query(#wire, #value)?;)
            }
            ParamLocation::Query => {
                let style = style_tokens(p.style);
                let explode = p.explode;
                quote!(req.query_param(#wire, #value, #style, #explode)?;)
            }
            ParamLocation::Header => quote!(req.header_param(#wire, #value)?;),
            ParamLocation::Cookie => quote!(req.cookie_param(#wire, #value)?;),
        });
    }
    if let Some(b) = &op.body {
        let encode = |choice: &BodyChoice, body: TokenStream| -> TokenStream {
            let ct = choice.content_type.as_str();
            match &choice.kind {
                BodyKind::Json(_) => quote!(req.json_body_as(#body, #ct)?;),
                BodyKind::Form(_) if choice.form_encodings.is_empty() => {
                    quote!(req.form_body(#body)?;)
                }
                BodyKind::Form(_) => {
                    let fields = choice.form_encodings.iter().map(|(wire, how)| {
                        let how = form_encoding_tokens(*how);
                        quote!((#wire, #how))
                    });
                    quote!(req.form_body_with(#body, &[#(#fields),*])?;)
                }
                BodyKind::Bytes => quote!(req.bytes_body((#body).clone(), #ct);),
                BodyKind::Text => quote!(req.bytes_body((#body).clone().into_bytes(), #ct);),
                BodyKind::Multipart(name) if multipart_has_fields(model, name) => {
                    let steps = multipart_steps(model, name);
                    quote!({ let body = #body; #steps })
                }
                // No fields to send: the body is read (so it is not dead) and ignored.
                BodyKind::Multipart(_) => quote!(let _ = #body;),
            }
        };
        let set = |body: TokenStream| -> TokenStream {
            match &b.choice_enum {
                None => encode(&b.default, body),
                Some(name) => {
                    let name = format_ident!("{}", name);
                    let arms = b.choices().map(|choice| {
                        let id = format_ident!("{}", choice.variant);
                        let step = encode(choice, quote!(inner));
                        quote!(#name::#id(inner) => { #step })
                    });
                    quote!(match #body { #(#arms)* })
                }
            }
        };
        if b.required {
            steps.push(set(quote!(&self.body)));
        } else {
            let inner = set(quote!(body));
            steps.push(quote!(if let ::std::option::Option::Some(body) = &self.body { #inner }));
        }
    }
    if op.idempotent {
        steps.push(quote!(req.idempotent();));
    }
    // A request nothing is added to is not `mut` (the compiler would warn in users' builds):
    // no parameters, no idempotency, and no body or only field-less multipart ones.
    let adds_body = op.body.as_ref().is_some_and(|b| {
        b.choices().any(|c| match &c.kind {
            BodyKind::Multipart(name) => multipart_has_fields(model, name),
            _ => true,
        })
    });
    let binding = if op.params.is_empty() && !op.idempotent && !adds_body {
        quote!(let req)
    } else {
        quote!(let mut req)
    };
    quote! {
        fn build(&self) -> crate::engine::Result<crate::engine::Request> {
            #binding = #start;
            #(#steps)*
            ::std::result::Result::Ok(req.with_options(self.options.clone()))
        }
    }
}

/// Whether multipart type `name` has any field to send.
fn multipart_has_fields(model: &Model, name: &str) -> bool {
    model
        .types
        .iter()
        .find(|t| t.name == name)
        .is_some_and(|t| matches!(&t.kind, TypeKind::Multipart(s) if !s.fields.is_empty()))
}

fn multipart_steps(model: &Model, name: &str) -> TokenStream {
    let Some(TypeKind::Multipart(s)) = model.types.iter().find(|t| t.name == name).map(|t| &t.kind)
    else {
        return quote!();
    };
    let steps = s.fields.iter().map(|f| {
        let id = format_ident!("{}", f.ident);
        let wire = &f.wire;
        match (&f.multipart, f.required) {
            (Some(MultipartKind::Files), _) => quote!(for part in &body.#id { req.multipart_file(#wire, part); }),
            (Some(MultipartKind::File), true) => quote!(req.multipart_file(#wire, &body.#id);),
            (Some(MultipartKind::File), false) => quote!(if let ::std::option::Option::Some(part) = &body.#id { req.multipart_file(#wire, part); }),
            (Some(MultipartKind::Json), true) => quote!(req.multipart_json(#wire, &body.#id)?;),
            (Some(MultipartKind::Json), false) => quote!(if let ::std::option::Option::Some(value) = &body.#id { req.multipart_json(#wire, value)?; }),
            (Some(MultipartKind::Styled { style, explode }), _) => {
                let style = style_tokens(*style);
                quote!(req.multipart_styled(#wire, &body.#id, #style, #explode)?;)
            }
            (Some(MultipartKind::Typed(content_type)), _) => {
                quote!(req.multipart_typed(#wire, &body.#id, #content_type)?;)
            }
            _ => quote!(req.multipart_field(#wire, &body.#id)?;),
        }
    });
    quote!(#(#steps)*)
}

/// Decodes the raw response into variant `v` of the response enum `e`.
fn into_variant(body: &Success, e: &proc_macro2::Ident, v: &proc_macro2::Ident) -> TokenStream {
    match body {
        Success::Json(ty) => {
            let ty = rust_type(ty, Scope::Group, false);
            quote!(raw.json::<#ty>()?.try_map(|b| ::std::result::Result::Ok(#e::#v(b))))
        }
        Success::Text => quote!(raw.text()?.try_map(|b| ::std::result::Result::Ok(#e::#v(b)))),
        Success::Binary => quote!(raw.try_map(|b| ::std::result::Result::Ok(#e::#v(b)))),
        Success::Empty => quote!(raw.empty()?.try_map(|_| ::std::result::Result::Ok(#e::#v))),
    }
}

fn send_fns(op: &Operation) -> TokenStream {
    let out = success_type(op);
    let stream = stream_fn(op);
    let decode = if let Some(e) = &op.response_enum {
        let e = format_ident!("{}", e);
        let arms = op.success.iter().map(|c| {
            let v = format_ident!("{}", c.variant);
            let pat = match c.status.code() {
                Some(code) => quote!(#code),
                None => quote!(_),
            };
            let conv = into_variant(&c.body, &e, &v);
            quote!(#pat => #conv,)
        });
        let has_catch_all = op.success.iter().any(|c| c.status.code().is_none());
        // An undocumented 2xx decodes as the first documented success.
        let fallback = match op.success.first() {
            Some(first) if !has_catch_all => {
                let v = format_ident!("{}", first.variant);
                let conv = into_variant(&first.body, &e, &v);
                quote!(_ => #conv,)
            }
            _ => quote!(),
        };
        quote! {
            match raw.status().as_u16() {
                #(#arms)*
                #fallback
            }
        }
    } else {
        match op.success.first().map(|c| &c.body) {
            Some(Success::Json(ty)) => {
                let ty = rust_type(ty, Scope::Group, false);
                quote!(raw.json::<#ty>())
            }
            Some(Success::Text) => quote!(raw.text()),
            Some(Success::Empty) => quote!(raw.empty()),
            Some(Success::Binary) | None => quote!(::std::result::Result::Ok(raw)),
        }
    };
    let single_json = op.response_enum.is_none()
        && matches!(op.success.first().map(|c| &c.body), Some(Success::Json(_)));
    let idempotent = op.idempotent.then(|| quote!(idempotent));
    let send = if single_json {
        quote!(crate::engine::builder_fns!(#idempotent json #out);)
    } else {
        quote!(crate::engine::builder_fns!(#idempotent #out, |raw| #decode);)
    };
    quote! {
        #send
        #stream
    }
}

/// Binary downloads can also be read as a stream instead of into memory.
fn stream_fn(op: &Operation) -> TokenStream {
    let binary = !op.success.is_empty() && op.success.iter().all(|c| c.body == Success::Binary);
    if !binary {
        return quote!();
    }
    quote! {
        /// Sends the request and returns the body as a stream of chunks, read as it is polled,
        /// so a download of any size never sits in memory whole.
        pub async fn send_stream(self) -> crate::engine::Result<crate::engine::Response<crate::engine::ByteStream>> {
            let req = self.build()?;
            crate::engine::ApiClient::engine(&self.client).execute_stream(req).await
        }
    }
}

fn response_enum(op: &Operation) -> TokenStream {
    let Some(name) = &op.response_enum else {
        return quote!();
    };
    let name = format_ident!("{}", name);
    let variants = op.success.iter().map(|c| {
        let v = format_ident!("{}", c.variant);
        let doc = docs::attrs(&[match c.status {
            Status::Code(code) => format!("Status `{code}`."),
            Status::Range(_) | Status::Default => "Any other success status.".to_owned(),
        }]);
        match &c.body {
            Success::Json(ty) => {
                let ty = rust_type(ty, Scope::Group, false);
                quote!(#doc #v(#ty),)
            }
            Success::Text => quote!(#doc #v(::std::string::String),),
            Success::Binary => quote!(#doc #v(crate::engine::Bytes),),
            Success::Empty => quote!(#doc #v,),
        }
    });
    let doc = docs::attrs(&[format!(
        "The success responses of `{} {}`, by status.",
        op.http_method,
        op.path.replace('`', "'")
    )]);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn pagination_fns(op: &Operation) -> TokenStream {
    let Some(p) = &op.pagination else {
        return quote!();
    };
    let Some(Success::Json(page_ty)) = op.success.first().map(|c| &c.body) else {
        return quote!();
    };
    let page = rust_type(page_ty, Scope::Group, false);
    let item = rust_type(&p.item_ty, Scope::Group, false);
    let cursor = format_ident!("{}", p.cursor_param);
    let access = next_cursor_access(p, quote!(page));
    let (items_field, items_depth) = &p.items;
    let items_id = format_ident!("{}", items_field);
    let take_items = match items_depth {
        0 => quote!(page.#items_id),
        1 => quote!(page.#items_id.unwrap_or_default()),
        _ => quote!(page.#items_id.flatten().unwrap_or_default()),
    };
    // Where the page keeps its items, as a JSON pointer: the runtime turns an item lenient
    // decoding left out there into an error in its place.
    let items_pointer = format!("/{}", p.items_wire.replace('~', "~0").replace('/', "~1"));
    quote! {
        crate::engine::paginated!(#page, #item, #cursor, #items_pointer, |page| #access.cloned(), |page| #take_items);
    }
}

fn emit_builder(model: &Model, op: &Operation) -> TokenStream {
    let builder = format_ident!("{}", op.builder);
    let setters_needed: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required && !p.is_argument())
        .map(|p| format!("`.{}(..)`", p.ident))
        .collect();
    // Inputs the document requires that the method does not take: the builder's doc names them.
    let needs = (!setters_needed.is_empty()).then(|| {
        let names = setters_needed.join(", ");
        quote!(requires #names)
    });
    let what = docs::inline(&format!("{} {}", op.http_method, op.path));
    // Required inputs in the order the client's method takes them: path parameters and other
    // arguments, then the body.
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for p in &op.params {
        let id = format_ident!("{}", p.ident);
        let ty = param_type(p);
        if p.is_argument() {
            required.push(quote!(#id: #ty));
        } else {
            let pdoc = docs::of(&p.doc);
            let arg = if p.text {
                quote!(::std::string::String)
            } else {
                quote!(#ty)
            };
            optional.push(quote!(#pdoc #id: #arg));
        }
    }
    if let Some(b) = &op.body {
        let ty = body_type(b);
        if b.required {
            required.push(quote!(body: #ty));
        } else {
            optional.push(quote!(#[doc = " Sets the request body."] body: #ty));
        }
    }
    let optional = (!optional.is_empty()).then(|| quote!(optional { #(#optional),* }));
    let build = build_fn(model, op);
    let send = send_fns(op);
    let pages = pagination_fns(op);
    let response_enum = response_enum(op);
    let body_enum = body_enum(op);
    quote! {
        crate::engine::request_builder! {
            crate::Client, #builder #what #needs { #(#required),* }
            #optional
        }
        impl #builder {
            #build
            #send
            #pages
        }
        #response_enum
        #body_enum
    }
}
