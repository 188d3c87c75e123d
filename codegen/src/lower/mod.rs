//! Document -> [`Model`](crate::ir::Model): every `$ref` followed through the one [`Resolver`], every inline
//! schema named, recursion boxed. One module per concern:
//!
//! - `space`: the type space (names handed out, types defined, shapes deduplicated);
//! - `schemas`: schema -> type conversion (primitives, arrays, maps, objects);
//! - `unions`: `oneOf`/`anyOf` -> enums; `merge`: the object view of `allOf`;
//! - `shapes`: questions asked of one schema (is it null-only, its enum values, its docs);
//! - `operations`, `bodies`, `responses`: operations and their inputs and outputs;
//! - `encoding`: how a multipart property travels (text, JSON or file part), by its resolved schema;
//! - `callbacks`: payloads of the requests the API sends (3.0 callbacks, 3.1 webhooks);
//! - `pagination`: cursor pagination; `cycles`: boxing of recursive types;
//! - `constructors`: the arguments of each struct's `new`, in pinned order.
//!
//! [`Resolver`]: crate::resolve::Resolver

mod bodies;
mod callbacks;
mod constructors;
mod cycles;
mod encoding;
mod merge;
mod nullability;
mod operations;
mod pagination;
mod responses;
mod schemas;
mod shapes;
mod space;
mod unions;

use crate::Dates;
use crate::diagnostics::Diagnostics;
use crate::ir::Model;
use crate::load::Document;
use crate::pins::Names;
pub(crate) use callbacks::WEBHOOKS_EXTENSION;
use space::TypeSpace;

/// Builds the model from a loaded document.
/// Returns the names chosen, by where their items are.
pub(crate) fn build(
    doc: &Document,
    dates: Dates,
    pins: &Names,
    diags: &mut Diagnostics,
) -> (Model, Names) {
    let mut space = TypeSpace::new(doc, pins, diags);
    space.dates = dates;
    space.multipart_components = bodies::multipart_only_components(&doc.raw);
    space.styles_multipart = doc.styles_multipart();
    space.define_components(diags);
    let (groups, ops) = operations::build(&mut space, doc, diags);
    let callbacks = callbacks::build(&mut space, doc, diags);
    let (mut types, schema_types, mut names) = space.finish();
    cycles::break_cycles(&mut types, diags);
    constructors::order(&mut types, pins, &mut names);
    unions::find_shared_fields(&mut types);
    let info = &doc.api.info;
    let model = Model {
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        server: doc.api.servers.first().map(server_url),
        auth: operations::auth_kind(&doc.api),
        types,
        groups,
        operations: ops,
        callbacks,
        schema_types,
    };
    (model, names)
}

/// A server URL with each `{variable}` replaced by its declared default.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, var) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &var.default);
    }
    url
}
