//! What a generation run gives back.

use crate::diagnostics::Warning;
use crate::ir;
use crate::pins::Names;
use std::time::Duration;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root (`src/generated/types.rs`, `API.md`).
    pub path: String,
    /// Full content.
    pub contents: String,
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
    /// The files to write, each with its path relative to the crate root
    /// (`src/generated/types.rs`, `API.md`; see [`GeneratedFile::path`]).
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
    /// declare them: [`features::cargo_features`](crate::features::cargo_features)).
    pub group_features: bool,
    /// Whether some code is gated by a `serde` feature the crate's manifest must declare
    /// ([`JsonImpls::AsUsed`](crate::JsonImpls::AsUsed)), which `mock` must turn on.
    pub serde_feature: bool,
}
