//! Operations -> `mock.rs`, the typed half of the `mock` feature: a `MockServer` over the
//! engine's stub server, one stub accessor struct per resource group (in a module per group,
//! as the client's groups are), and per operation a stub type (`.returns(..)` with the success
//! body or response enum, `.fails_with(..)` with the documented error body, `.with_<param>(..)`
//! per path and query parameter, `.pages(..)` for cursor lists) and a recorded-call type with
//! the decoded body. Everything is read from the IR; nothing here depends on another
//! emitter's output. The one exception is [`document_file`]: the loaded document itself,
//! which the server checks every request against.

use super::docs;
use super::features;
use super::rust_type::{Scope, rust_type};
use crate::diagnostics::Error;
use crate::facts::{Facts, OperationFacts};
use crate::generated::GeneratedFile;
use crate::ir::{BodyKind, Model, Operation, ParamLocation, Status, Success, Ty};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// Where [`document_file`] is written, beside `mock.rs` (which `include_str!`s it).
pub(crate) const DOCUMENT_PATH: &str = "src/generated/openapi.json";

/// The top-level extension of [`document_file`] holding the `openapi` version the document
/// declares, before 3.1 was lowered to 3.0.
pub(crate) const SOURCE_VERSION: &str = "x-source-openapi";

/// `openapi.json`: the document as loaded (3.1 lowered to 3.0, repairs applied), compact
/// JSON in the document's own key order, so it is the same bytes on every run. Lowering
/// rewrites `openapi` to 3.0, so the version the document declares (`version`) is written
/// beside it as the top-level extension [`SOURCE_VERSION`]: the mock follows the rules that
/// differ by version (multipart `style`) as the document was written. The whole
/// document rather than a per-operation extract: its `$ref`s (`#/components/...`) then
/// resolve as written, and the mock finds each operation's parameters, bodies, encodings and
/// response examples where the document puts them; only the `mock` feature compiles it in.
pub(crate) fn document_file(
    document: &serde_json::Value,
    version: &str,
) -> Result<GeneratedFile, Error> {
    let mut document = document.clone();
    if let serde_json::Value::Object(map) = &mut document {
        // Right after `openapi` (the first key when written there), in place when present.
        let mut with = serde_json::Map::new();
        let mut placed = false;
        for (key, value) in std::mem::take(map) {
            if key == SOURCE_VERSION {
                continue;
            }
            let is_openapi = key == "openapi";
            with.insert(key, value);
            if is_openapi {
                with.insert(SOURCE_VERSION.to_owned(), version.into());
                placed = true;
            }
        }
        if !placed {
            with.insert(SOURCE_VERSION.to_owned(), version.into());
        }
        *map = with;
    }
    let mut contents = serde_json::to_string(&document)
        .map_err(|e| Error::Emit(format!("{DOCUMENT_PATH}: {e}")))?;
    contents.push('\n');
    Ok(GeneratedFile {
        path: DOCUMENT_PATH.to_owned(),
        contents,
    })
}

/// The file, its module declared as `#[cfg(feature = "mock")] pub mod mock;`.
///
/// In a crate split by group features ([`Facts::split`]), each group's accessor and module are gated
/// like the group's operations, and, in a module that mixes features, each operation's stub
/// maker and types like that operation: a stub exists exactly when its operation does.
pub(crate) fn emit_mock(model: &Model, facts: &Facts) -> TokenStream {
    let head = docs::inner_attrs(&[format!(
        "Typed stubs of the {} operations for your own tests (the `mock` feature). \
         [`MockServer::start`] serves on an ephemeral loopback port and hands out a client \
         pointed at it; one accessor per resource group makes stubs that mirror the client's \
         methods. A stub answers from the first time it is configured, in the order stubs \
         were made; a request no stub matches is answered with a 501 error naming its \
         operation and listing the stubs. The server checks its expectations when dropped; \
         `verify()` checks them earlier.\n\n\
         The mock validates: every request is checked against its operation in the document \
         (`openapi.json`, compiled in) before a stub answers. Parameters are checked by \
         their schema and style, JSON bodies against their schema, form and multipart \
         bodies part by part by the OpenAPI encoding rules (a primitive part is sent as \
         text/plain, an object as application/json). A request that does not fit is \
         answered 400 with code `mock_invalid_request` and a message naming the operation, \
         the parameter or part and the rule; it is recorded (`refused()`) and fails \
         `verify()`. `mock.validate_requests(false)` turns this off. \
         `mock.stub_operation(id)` and `mock.answer_all_from_examples()` answer operations \
         with their documented examples, without a typed body.",
        model.title
    )]);
    let table = operation_table(model);
    let accessors = model.groups.iter().enumerate().map(|(gi, g)| {
        let cfg = features::cfg_attr(&facts.groups[gi].gate);
        let m = format_ident!("{}", g.module);
        let ty = stubs_type(&g.type_name);
        let doc = docs::attrs(&[format!(
            "Stubs of the `{}` operations (`client.{}()`).",
            g.module,
            g.module.trim_start_matches("r#")
        )]);
        quote! {
            #doc
            #cfg
            pub fn #m(&self) -> #m::#ty<'_> {
                #m::#ty { server: &self.server }
            }
        }
    });
    let groups = (0..model.groups.len()).map(|gi| emit_group(model, facts, gi));
    quote! {
        #head
        pub use crate::engine::mock::{BodyError, FormPart, MultipartForm, OperationStub, RecordedRequest, Reply, Stub, VerifyError};
        // The group modules below name types as `super::types::X`, as the client's groups do.
        #[allow(unused_imports)]
        use super::types;

        #table

        /// The document every request is checked against.
        static DOCUMENT: &str = include_str!("openapi.json");

        /// A stub server for this API on `127.0.0.1`, with typed stubs of every operation,
        /// checking each request against the document. What does not depend on the API
        /// (`requests`, `check`, `verify`, `reset`, `validate_requests`, `stub_operation`,
        /// ...) is the engine's [`StubServer`](crate::engine::mock::StubServer), reached
        /// through `Deref`.
        #[derive(Debug)]
        pub struct MockServer {
            server: crate::engine::mock::StubServer,
        }

        impl MockServer {
            /// Starts serving on a free loopback port, validating every request.
            pub async fn start() -> ::std::io::Result<Self> {
                ::std::result::Result::Ok(Self {
                    server: crate::engine::mock::StubServer::start_with_document(OPERATIONS, DOCUMENT).await?,
                })
            }
            /// A client pointed at this server, with a test key; it retries as a default client
            /// does, with backoff in milliseconds so that tests of retries stay fast.
            pub fn client(&self) -> crate::engine::Result<crate::Client> {
                crate::Client::for_mock(&self.server.base_url())
            }
            #(#accessors)*
        }

        impl ::std::ops::Deref for MockServer {
            type Target = crate::engine::mock::StubServer;
            fn deref(&self) -> &Self::Target {
                &self.server
            }
        }

        impl ::std::ops::DerefMut for MockServer {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.server
            }
        }

        #(#groups)*
    }
}

/// `static OPERATIONS`: every operation's id, method and path template, for routing.
fn operation_table(model: &Model) -> TokenStream {
    let rows = model.operations.iter().map(|op| {
        let id = operation_id(model, op);
        let method = op.http_method.as_str();
        let path = &op.path;
        quote!(Operation::new(#id, #method, #path),)
    });
    quote! {
        use crate::engine::mock::Operation;
        /// The document's operations, in document order.
        static OPERATIONS: &[Operation] = &[#(#rows)*];
    }
}

/// The `operationId`, or `group.method` when the document gives none.
fn operation_id(model: &Model, op: &Operation) -> String {
    op.operation_id.clone().unwrap_or_else(|| {
        let group = model.groups.get(op.group).map_or("", |g| g.module.as_str());
        format!("{}.{}", bare(group), bare(&op.method))
    })
}

/// An identifier without its raw prefix (`r#type` -> `type`), to build other names from.
fn bare(ident: &str) -> &str {
    ident.trim_start_matches("r#")
}

fn stubs_type(group_type: &str) -> Ident {
    format_ident!("{}Stubs", group_type)
}

fn stub_type(op: &Operation) -> Ident {
    format_ident!("{}Stub", type_stem(op))
}

fn call_type(op: &Operation) -> Ident {
    format_ident!("{}Call", type_stem(op))
}

/// What an operation's mock types are named after: its builder's stem (`GetProfileBuilder`
/// -> `GetProfile`), a type name unique in the group. (The method in `PascalCase` is neither:
/// `_58d8…` gives `58d8…`, and `list_2` and `list2` both give `List2`.)
fn type_stem(op: &Operation) -> &str {
    op.builder.strip_suffix("Builder").unwrap_or(&op.builder)
}

/// Where `OPERATIONS` lists `op`.
fn table_index(model: &Model, op: &Operation) -> usize {
    model
        .operations
        .iter()
        .position(|o| std::ptr::eq(o, op))
        .unwrap_or_default()
}

fn emit_group(model: &Model, facts: &Facts, gi: usize) -> TokenStream {
    let Some(group) = model.groups.get(gi) else {
        return quote!();
    };
    let module = format_ident!("{}", group.module);
    let stubs = stubs_type(&group.type_name);
    let group_name = bare(&group.module);
    let ops: Vec<(&Operation, &OperationFacts)> = (model.operations.iter())
        .zip(&facts.operations)
        .filter(|(o, _)| o.group == gi)
        .collect();
    let makers = ops.iter().map(|(op, fact)| {
        let cfg = features::cfg_attr(&fact.gate);
        let method = format_ident!("{}", op.method);
        let stub = stub_type(op);
        let row = Literal::usize_unsuffixed(table_index(model, op));
        let what = what(op);
        quote!(#cfg #method(#stub, #row, #what))
    });
    let items = ops
        .iter()
        .map(|(op, fact)| gated(&features::cfg_attr(&fact.gate), emit_operation(model, op)));
    let group_cfg = features::cfg_attr(&facts.groups[gi].gate);
    let module_doc = docs::inner_attrs(&[format!(
        "Typed stubs and recorded calls of the `{}` operations.",
        group.module
    )]);
    quote! {
        #group_cfg
        pub mod #module {
            #module_doc
            crate::engine::mock::group_stubs!(#stubs, #group_name { #(#makers),* });
            #(#items)*
        }
    }
}

/// `GET /path`, as the stubs' docs name an operation (doc text only: see [`docs::inline`]).
fn what(op: &Operation) -> String {
    docs::inline(&format!("{} {}", op.http_method, op.path))
}

/// `items` with `cfg` put on each of them (nothing to do when `cfg` is empty).
fn gated(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items.iter();
            quote!(#(#cfg #items)*)
        }
        // Tokens this module just built always parse; were they not to, ungated items still
        // compile whenever the types they name exist.
        Err(_) => items,
    }
}

/// One operation's stub and recorded call: the engine's `operation_stub!` with a section
/// per common shape, and plain methods for the rare ones (a response enum, error bodies
/// that differ by status).
fn emit_operation(model: &Model, op: &Operation) -> TokenStream {
    let stub = stub_type(op);
    let call = call_type(op);
    let what = what(op);
    let id = docs::inline(&operation_id(model, op));
    let mut sections: Vec<TokenStream> = Vec::new();
    let mut rare: Vec<TokenStream> = Vec::new();
    if op.response_enum.is_some() {
        rare.push(enum_returns_fn(model, op));
    } else if let Some(returns) = returns_section(op) {
        sections.push(returns);
    }
    match error_section(op) {
        Errors::None => {}
        Errors::Shared(section) => sections.push(section),
        Errors::ByStatus(fns) => rare.extend(fns),
    }
    let path: Vec<TokenStream> = params(op, ParamLocation::Path).collect();
    if !path.is_empty() {
        sections.push(quote!(path(#(#path),*)));
    }
    let query: Vec<TokenStream> = params(op, ParamLocation::Query).collect();
    if !query.is_empty() {
        sections.push(quote!(query(#(#query);*)));
    }
    sections.extend(pages_section(op));
    sections.extend(body_section(op));
    let extra = (!rare.is_empty()).then(|| {
        quote! {
            impl #stub {
                #(#rare)*
            }
        }
    });
    quote! {
        crate::engine::mock::operation_stub!(#stub, #call, #what, #id #(, #sections)*);
        #extra
    }
}

/// The status a success case is answered with: its code, or for a range the first 2xx code
/// the operation does not document otherwise.
fn success_code(op: &Operation, status: Status) -> u16 {
    status.code().unwrap_or_else(|| {
        (200..300)
            .find(|c| !op.success.iter().any(|s| s.status.code() == Some(*c)))
            .unwrap_or(200)
    })
}

/// The `Reply` of a success body held in `body`, answered with `code`.
fn success_reply(body: &Success, code: u16) -> TokenStream {
    match body {
        Success::Json(_) => quote!(crate::engine::mock::Reply::json(#code, &body)),
        Success::Text => {
            quote!(crate::engine::mock::Reply::status(#code).body("text/plain; charset=utf-8", body))
        }
        Success::Binary => {
            quote!(crate::engine::mock::Reply::status(#code).body("application/octet-stream", body))
        }
        Success::Empty => quote!(crate::engine::mock::Reply::status(#code)),
    }
}

/// `returns(..)`: `.returns(..)` with the one success response, by the kind of its body.
fn returns_section(op: &Operation) -> Option<TokenStream> {
    let case = op.success.first()?;
    let code = Literal::u16_unsuffixed(success_code(op, case.status));
    Some(match &case.body {
        Success::Json(ty) => {
            let ty = rust_type(ty, Scope::Group, false);
            quote!(returns(json #code, #ty))
        }
        Success::Text => quote!(returns(text #code)),
        Success::Binary => quote!(returns(binary #code)),
        Success::Empty => quote!(returns(empty #code)),
    })
}

/// `.returns(response)` for an operation with several success responses: the response
/// enum's variant picks the status.
fn enum_returns_fn(model: &Model, op: &Operation) -> TokenStream {
    let Some(e) = &op.response_enum else {
        return quote!();
    };
    let group = model
        .groups
        .get(op.group)
        .map(|g| format_ident!("{}", g.module));
    let e = format_ident!("{}", e);
    let arms = op.success.iter().map(|c| {
        let v = format_ident!("{}", c.variant);
        let reply = success_reply(&c.body, success_code(op, c.status));
        match c.body {
            Success::Empty => quote!(super::super::#group::#e::#v => #reply,),
            _ => quote!(super::super::#group::#e::#v(body) => #reply,),
        }
    });
    let doc = docs::attrs(&[format!(
        "Answers with this success response, its status chosen by the variant (`{e}`)."
    )]);
    quote! {
        #doc
        pub fn returns(self, response: super::super::#group::#e) -> Self {
            let reply = match response {
                #(#arms)*
            };
            self.handle.push_reply(reply);
            self
        }
    }
}

/// How a stub answers the documented error statuses.
enum Errors {
    /// None has a body.
    None,
    /// They share one body type: the `fails_with(..)` section.
    Shared(TokenStream),
    /// Their bodies differ in type: one `.fails_with_<code>(body)` per status.
    ByStatus(Vec<TokenStream>),
}

/// `.fails_with(status, body)`: an error status with the documented body type. When the
/// documented error bodies differ in type, one `.fails_with_<code>(body)` per status instead.
fn error_section(op: &Operation) -> Errors {
    let mut cases: Vec<(u16, &Ty)> = Vec::new();
    for case in &op.errors {
        if let (Some(code), Some(ty)) = (case.status.code(), &case.body)
            && !cases.iter().any(|(c, _)| *c == code)
        {
            cases.push((code, ty));
        }
    }
    let Some((_, first)) = cases.first() else {
        return Errors::None;
    };
    if cases.iter().all(|(_, ty)| ty == first) {
        let ty = rust_type(first, Scope::Group, false);
        let codes: Vec<String> = cases.iter().map(|(c, _)| format!("`{c}`")).collect();
        let codes = codes.join(", ");
        return Errors::Shared(quote!(fails_with(#ty, #codes)));
    }
    Errors::ByStatus(
        cases
            .iter()
            .map(|(code, ty)| {
                let name = format_ident!("fails_with_{}", code);
                let ty = rust_type(ty, Scope::Group, false);
                let doc = docs::attrs(&[format!(
                    "Answers {code} with this error body, as documented."
                )]);
                quote! {
                    #doc
                    pub fn #name(self, body: impl ::std::convert::Into<#ty>) -> Self {
                        let body: #ty = body.into();
                        self.handle.push_reply(crate::engine::mock::Reply::json(#code, &body));
                        self
                    }
                }
            })
            .collect(),
    )
}

/// The `path(..)` or `query(..)` entries: `.with_<param>(value)` answers only requests that
/// send this value, encoded as the client encodes it. The value is taken as the client takes
/// it: text as `impl Into<String>`, anything else as its type.
fn params(op: &Operation, location: ParamLocation) -> impl Iterator<Item = TokenStream> + '_ {
    op.params
        .iter()
        .filter(move |p| p.location == location)
        .map(move |p| {
            let name = format_ident!("with_{}", bare(&p.ident));
            let wire = &p.wire;
            // The wire name is matched as written; its doc shows a safe form when they differ.
            let doc = docs::inline_override(wire).map(|d| quote!((#d)));
            let (arg, ty) = if p.text {
                (
                    quote!(impl ::std::convert::Into<::std::string::String>),
                    quote!(::std::string::String),
                )
            } else {
                let ty = rust_type(&p.ty, Scope::Group, false);
                (quote!(#ty), quote!(#ty))
            };
            match location {
                ParamLocation::Query => {
                    let style = super::expressions::style_name(p.style);
                    let explode = p.explode;
                    quote!(#name #wire #doc: #arg => #ty, #style, #explode)
                }
                _ => quote!(#name #wire #doc: #arg => #ty),
            }
        })
}

/// `pages(..)` for a cursor list: page 1 answers the request without a cursor, each later
/// page the cursor the page before it hands out.
fn pages_section(op: &Operation) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let case = op.success.first()?;
    let Success::Json(page_ty) = &case.body else {
        return None;
    };
    let cursor = op.params.iter().find(|q| q.ident == p.cursor_param)?;
    let wire = &cursor.wire;
    let wire_doc = docs::inline_override(wire).map(|d| quote!((#d)));
    let code = Literal::u16_unsuffixed(success_code(op, case.status));
    let page = rust_type(page_ty, Scope::Group, false);
    let access = super::expressions::next_cursor_access(p, quote!(page));
    let next_wire = docs::inline(&p.next_cursor_wire);
    Some(quote!(pages(#page, #code, #wire #wire_doc, #next_wire, |page| #access.cloned())))
}

/// `body(..)`: the recorded call's `.body()`, the request body decoded as the operation's
/// default encoding's type.
fn body_section(op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let content_type = docs::inline(&body.default.content_type);
    Some(match &body.default.kind {
        BodyKind::Json(ty) => {
            let ty = rust_type(ty, Scope::Group, false);
            quote!(body(json #ty, #content_type))
        }
        BodyKind::Form(ty) => {
            let ty = rust_type(ty, Scope::Group, false);
            quote!(body(form #ty, #content_type))
        }
        BodyKind::Multipart(_) => quote!(body(multipart, #content_type)),
        BodyKind::Text => quote!(body(text, #content_type)),
        BodyKind::Bytes => quote!(body(bytes, #content_type)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_written_compact_in_its_own_order() {
        let document: serde_json::Value =
            serde_json::from_str(r#"{"openapi":"3.0.3","paths":{"/b":{},"/a":{}}}"#).unwrap();
        let file = document_file(&document, "3.0.3").unwrap();
        assert_eq!(file.path, "src/generated/openapi.json");
        assert_eq!(
            file.contents,
            "{\"openapi\":\"3.0.3\",\"x-source-openapi\":\"3.0.3\",\"paths\":{\"/b\":{},\"/a\":{}}}\n"
        );
    }

    #[test]
    fn the_declared_version_survives_lowering() {
        // A 3.1 document, lowered: `openapi` says 3.0.3, the extension what was written.
        let lowered: serde_json::Value =
            serde_json::from_str(r#"{"openapi":"3.0.3","x-source-openapi":"stale","info":{}}"#)
                .unwrap();
        let file = document_file(&lowered, "3.1.0").unwrap();
        assert_eq!(
            file.contents,
            "{\"openapi\":\"3.0.3\",\"x-source-openapi\":\"3.1.0\",\"info\":{}}\n"
        );
    }

    #[test]
    fn a_range_status_answers_the_first_undocumented_2xx() {
        let op = Operation {
            success: vec![],
            ..sample()
        };
        assert_eq!(success_code(&op, Status::Range(2)), 200);
        assert_eq!(success_code(&op, Status::Code(201)), 201);
    }

    #[test]
    fn names_drop_the_raw_prefix_and_types_follow_the_builder() {
        assert_eq!(bare("r#type"), "type");
        let op = |method: &str, builder: &str| Operation {
            method: method.into(),
            builder: builder.into(),
            ..sample()
        };
        let move_op = op("r#move", "MoveBuilder");
        assert_eq!(stub_type(&move_op).to_string(), "MoveStub");
        assert_eq!(call_type(&move_op).to_string(), "MoveCall");
        // A digit-led method has no PascalCase type name of its own; its builder's is one.
        assert_eq!(
            stub_type(&op("_58d8", "T58d8Builder")).to_string(),
            "T58d8Stub"
        );
    }

    fn sample() -> Operation {
        Operation {
            group: 0,
            method: "list".into(),
            builder: "ListBuilder".into(),
            response_enum: None,
            http_method: crate::ir::HttpMethod::Get,
            path: "/things".into(),
            operation_id: None,
            summary: None,
            description: None,
            deprecated: false,
            pointer: String::new(),
            params: vec![],
            body: None,
            success: vec![],
            errors: vec![],
            pagination: None,
            idempotent: false,
            feature: "things".into(),
        }
    }

    #[test]
    fn an_operation_without_id_is_named_by_group_and_method() {
        let model = Model {
            title: "T".into(),
            description: None,
            version: "1".into(),
            server: None,
            auth: crate::ir::AuthKind::None,
            types: vec![],
            groups: vec![crate::ir::Group {
                module: "things".into(),
                type_name: "Things".into(),
                doc: None,
            }],
            operations: vec![sample()],
            callbacks: vec![],
            schema_types: Default::default(),
            error_code: None,
        };
        assert_eq!(operation_id(&model, &model.operations[0]), "things.list");
    }
}
