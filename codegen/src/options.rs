//! What a caller chooses about a generation run. A leaf: every step reads these, none of
//! them reads a step.

use crate::pins::Names;

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
    /// A feature per group (see [`features`](crate::features)), `full` by default.
    On,
    /// [`On`](GroupFeatures::On) from [`GROUP_FEATURE_THRESHOLD`](crate::features::GROUP_FEATURE_THRESHOLD) operations and
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
    /// [`conformance::TABLE_PATH`](crate::conformance::TABLE_PATH)): every component and response body schema with the type
    /// that decodes it.
    pub conformance_table: bool,
    /// Names pinned from an earlier run: a pinned operation or schema keeps its name whatever
    /// its `operationId`, title or tag becomes.
    pub names: Names,
    /// Per-group Cargo features; [`Generated::group_features`](crate::Generated::group_features) says what was chosen.
    pub group_features: GroupFeatures,
    /// Which JSON impls each type gets.
    pub json: JsonImpls,
    /// Also emit `src/generated/mcp.rs` behind the crate's `mcp` feature: every operation as
    /// a Model Context Protocol tool description (name, description, annotations, input JSON
    /// Schema) that the runtime's `mcp` module executes through the engine.
    pub mcp: bool,
}
