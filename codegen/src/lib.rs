//! OpenAPI 3.x document -> Rust client source.
//!
//! The data path is one way: `load` (bytes -> [`Document`], 3.1 lowered to 3.0 by
//! `normalize`, specification breaches with a clear meaning repaired by `repair`) -> `lower` (document -> the [`ir`]: types and operations, every name decided)
//! -> `emit` (IR -> `syn::File` -> text via prettyplease). No step reaches back into an
//! earlier one, and emission reads only the IR, but for `openapi.json`: the loaded document
//! itself, written for the `mock` feature's server to validate requests against. Every `$ref` is followed by one [`Resolver`];
//! JSON pointers are spelled and read by [`pointer`](mod@pointer).
//!
//! The public surface is small: [`generate`] with its [`Options`], the diagnostics, the IR
//! (for callers that emit more, like [`standalone`] crates), and the document loader and
//! resolver (for tools that read documents, like a diff).

#![deny(missing_docs)]

mod builder;
mod diagnostics;
pub mod diff;
mod emit;
mod files;
mod generated_crate;
pub mod ir;
mod load;
mod lower;
mod names;
pub mod names_table;
mod normalize;
mod pins;
pub mod pointer;
mod repair;
mod resolve;

pub use builder::{Builder, Built, OUT_DIR_FOLDER};
pub use diagnostics::{Diagnostics, Error, Warning};
pub use files::{FileError, normalize_line_endings, write_atomic};
pub use generated_crate::{
    GENERATED_DIR, GeneratedCrate, RuntimeSource, StaleFile, WriteSummary, default_crate_name,
};

/// The runtime crate generated code builds on (a generated crate re-exports it as `engine`).
pub const RUNTIME_PACKAGE: &str = "openapi-sdkgen-runtime";
/// This generator's version.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The runtime's version: it is released with the generator, so the two share one version.
pub const RUNTIME_VERSION: &str = GENERATOR_VERSION;
pub use emit::GeneratedFile;
pub use emit::{conformance, features, standalone};
pub use load::{Document, load, parse_value};
pub use names::field_name;
pub use pins::{MethodName, Names, operation_key};
pub use resolve::{Reason, Resolved, Resolver, Unresolved};

use std::time::{Duration, Instant};

/// How `format: date-time` and `format: date` strings are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dates {
    /// The engine's `Timestamp` and `Date`: a malformed value fails decoding, naming its
    /// JSON path.
    #[default]
    Typed,
    /// `String`, as sent: nothing is checked, and a malformed value never fails a response.
    Text,
}

/// Whether a generated crate gets one Cargo feature per resource group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupFeatures {
    /// One module, always compiled whole.
    #[default]
    Off,
    /// A feature per group (see [`features`]), `full` by default.
    On,
    /// [`On`](GroupFeatures::On) from [`features::GROUP_FEATURE_THRESHOLD`] operations and
    /// two features up, [`Off`](GroupFeatures::Off) below.
    Auto,
}

/// Which JSON impls a generated type gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonImpls {
    /// Every type is read, but only a type some request sends (a body or parameter, or a
    /// type inside one) is written and has setters; the others get both with the crate's
    /// `serde` feature (which `mock` turns on). Most types of an API are only read, and JSON
    /// code is most of a generated crate's check time.
    #[default]
    AsUsed,
    /// Every type both ways, with every setter; the crate has no `serde` feature.
    BothWays,
}

/// Generation settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How date-time and date strings are typed.
    pub dates: Dates,
    /// Turn every warning into an error.
    pub strict: bool,
    /// The path of the spec relative to the repository, named in file headers.
    pub spec_label: String,
    /// The Rust name of the crate the code goes into (`my_api`). When set, every method's
    /// docs carry a compiled usage example; without it there is no path to write one with.
    pub crate_name: Option<String>,
    /// Also emit the schema-pointer -> type table of a conformance harness (at
    /// [`conformance::TABLE_PATH`]): every component and response body schema with the type
    /// that decodes it.
    pub conformance_table: bool,
    /// Names pinned from an earlier run: a pinned operation or schema keeps its name whatever
    /// its `operationId`, title or tag becomes.
    pub names: Names,
    /// Per-group Cargo features; [`Generated::group_features`] says what was chosen.
    pub group_features: GroupFeatures,
    /// Which JSON impls each type gets.
    pub json: JsonImpls,
}

/// Time spent in each phase, for the summary line and benchmarks.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Bytes -> document.
    pub load: Duration,
    /// Document -> IR.
    pub ir: Duration,
    /// IR -> token streams.
    pub emit: Duration,
    /// Token streams -> formatted text.
    pub format: Duration,
}

/// The output of one generation run.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Files relative to the crate's `src/generated/` folder, plus `API.md` at the crate root
    /// (named `../../API.md`-free: see [`GeneratedFile::path`]).
    pub files: Vec<GeneratedFile>,
    /// Everything that was degraded, with JSON pointers.
    pub warnings: Vec<Warning>,
    /// Number of operations.
    pub operations: usize,
    /// Number of named types.
    pub types: usize,
    /// Phase timings.
    pub timings: Timings,
    /// The model, for callers that emit more (standalone crates).
    pub model: ir::Model,
    /// Every name this run chose, pinned or not, by where its item is: the table to pin
    /// next time.
    pub names: Names,
    /// Whether the code is gated by per-group features (the crate's manifest must then
    /// declare them: [`features::cargo_features`]).
    pub group_features: bool,
    /// Whether some code is gated by a `serde` feature the crate's manifest must declare
    /// ([`JsonImpls::AsUsed`]), which `mock` must turn on.
    pub serde_feature: bool,
}

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
    let doc = load::load(bytes, &mut diags)?;
    let t1 = Instant::now();
    let (model, names) = lower::build(&doc, options.dates, &options.names, &mut diags);
    let t2 = Instant::now();
    if options.strict && !diags.warnings.is_empty() {
        return Err(Error::Strict(diags.warnings));
    }
    let split = match options.group_features {
        GroupFeatures::Off => false,
        GroupFeatures::On => true,
        GroupFeatures::Auto => emit::features::worth_splitting(&model),
    };
    let (mut files, emit_time, format_time) = emit::emit(
        &model,
        &options.spec_label,
        options.crate_name.as_deref(),
        split,
        options.json,
    )?;
    files.push(emit::mock::document_file(&doc.raw, &doc.version)?);
    if options.conformance_table {
        files.push(GeneratedFile {
            path: emit::conformance::TABLE_PATH.to_owned(),
            contents: emit::conformance::table(&model)?,
        });
    }
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
        group_features: split,
        serde_feature: options.json == JsonImpls::AsUsed,
    })
}
