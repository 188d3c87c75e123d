//! OpenAPI 3.x document -> Rust client source.
//!
//! The data path is one way: `load` (bytes -> [`Document`], 3.1 lowered to 3.0 by
//! `normalize`, specification breaches with a clear meaning repaired by `repair`) -> `lower`
//! (document -> the [`ir`]: types and operations, every name decided) -> `facts` (what the
//! emitters need beyond each item: feature gates, which types are written) -> `emit` (IR and
//! facts -> `syn::File` -> text via prettyplease). No step reaches back into an earlier one,
//! the import graph has no cycle, and emission reads only the IR and the facts, but for
//! `openapi.json`: the loaded document itself, written for the `mock` feature's server to
//! validate requests against, and the `mcp` feature's tool schemas, built from its schemas.
//! What a caller chooses is in `options`, which every step reads and which imports no step
//! (only the pinned-names table, `pins`, that it carries).
//! Every `$ref` is followed by one [`Resolver`]; JSON pointers are spelled and read by
//! [`pointer`](mod@pointer).
//!
//! The public surface is small: [`generate`] with its [`Options`], the diagnostics, the IR
//! (for callers that emit more, like [`standalone`] crates), and the document loader and
//! resolver (for tools that read documents). Over them, the tool layer the `sdkgen` command,
//! `build.rs` users and the repository's own tasks share: [`GeneratedCrate`] (a whole crate in
//! memory, written atomically or compared with one on disk), [`Builder`] (for build scripts),
//! [`diff`] (what changed between two documents, and what that does to the Rust surface) and
//! [`names_table`] (the pinned-names file).

#![deny(missing_docs)]

mod builder;
mod diagnostics;
pub mod diff;
mod emit;
mod facts;
mod files;
mod generated;
mod generated_crate;
mod idents;
pub mod ir;
mod load;
mod lower;
pub mod names_table;
mod normalize;
mod options;
mod pins;
pub mod pointer;
mod repair;
mod resolve;

pub use builder::{Builder, Built, OUT_DIR_FOLDER};
pub use diagnostics::{Diagnostics, Error, Warning};
pub use emit::{conformance, features, standalone};
pub use files::{FileError, normalize_line_endings, unified_diff, write_atomic};
pub use generated::{Generated, GeneratedFile, Timings};
pub use generated_crate::{
    GENERATED_DIR, GeneratedCrate, RuntimeSource, StaleFile, WriteSummary, default_crate_name,
    stale as stale_files, sync as sync_files,
};
pub use idents::field_name;
pub use load::{Document, load, parse_value};
pub use options::{Dates, GroupFeatures, JsonImpls, Options, Phase, Progress};
pub use pins::{MethodName, Names, operation_key};
pub use resolve::{Reason, Resolved, Resolver, Unresolved};

/// The runtime crate generated code builds on (a generated crate re-exports it as `engine`).
pub const RUNTIME_PACKAGE: &str = "openapi-sdkgen-runtime";
/// This generator's version.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The runtime's version: it is released with the generator, so the two share one version.
pub const RUNTIME_VERSION: &str = GENERATOR_VERSION;

use std::time::Instant;

/// Generates the client modules for a document given as JSON or YAML bytes.
pub fn generate(bytes: &[u8], options: &Options) -> Result<Generated, Error> {
    // Every phase recurses along the document's nesting (decoding, the IR, syn's parse of
    // deeply nested types, prettyplease): a large stack keeps the deepest document the
    // parser accepts from overflowing.
    load::with_stack(load::DECODE_STACK, || pipeline(bytes, options))
}

fn pipeline(bytes: &[u8], options: &Options) -> Result<Generated, Error> {
    let mut diags = Diagnostics::default();
    let t0 = Instant::now();
    options.progress.tell(Phase::Load { bytes: bytes.len() });
    let doc = load::load(bytes, &mut diags)?;
    let t1 = Instant::now();
    options.progress.tell(Phase::Lower {
        paths: doc.api.paths.paths.len(),
        schemas: doc.api.components.as_ref().map_or(0, |c| c.schemas.len()),
    });
    let (model, names) = lower::build(&doc, options.dates, &options.names, &mut diags);
    let t2 = Instant::now();
    if options.strict && !diags.warnings.is_empty() {
        return Err(Error::Strict(diags.warnings));
    }
    options.progress.tell(Phase::Emit {
        operations: model.operations.len(),
        types: model.types.len(),
    });
    let facts = facts::Facts::of(&model, options.group_features, options.json);
    let settings = emit::EmitSettings {
        spec_label: &options.spec_label,
        crate_name: options.crate_name.as_deref(),
        mcp: options.mcp,
        conformance_table: options.conformance_table,
        document: &doc.raw,
        declared_version: &doc.version,
    };
    let (files, emit_time, format_time) = emit::emit(&model, &facts, &settings)?;
    Ok(Generated {
        files,
        operations: model.operations.len(),
        types: model.types.len(),
        warnings: diags.warnings,
        timings: Timings {
            load: t1 - t0,
            ir: t2 - t1,
            emit: emit_time,
            format: format_time,
        },
        model,
        names,
        group_features: facts.split,
        serde_feature: facts.serde_feature,
    })
}
