//! What a caller chooses about a generation run. Every step reads these and they read no
//! step: their one import is the pinned-names table they carry (`pins`, which names the IR's
//! HTTP methods and nothing else).

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
    /// Told as each phase of the run starts, with what it is about to work through: for a
    /// command line or a build script that shows progress on long documents.
    pub progress: Progress,
}

/// A phase of a generation run, as [`Progress`] is told of it when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// Reading the document (JSON or YAML, then 3.1 lowered and breaches repaired).
    Load {
        /// The document's size in bytes.
        bytes: usize,
    },
    /// Deciding the types and operations (every name) from the loaded document.
    Lower {
        /// The document's paths.
        paths: usize,
        /// Its component schemas.
        schemas: usize,
    },
    /// Writing and formatting the Rust files.
    Emit {
        /// The operations to write.
        operations: usize,
        /// The types to write.
        types: usize,
    },
}

/// Where [`Options::progress`] reports phases; by default nowhere.
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<dyn Fn(Phase) + Send + Sync>>);

impl Progress {
    /// Reports each phase to `report` as it starts.
    pub fn new(report: impl Fn(Phase) + Send + Sync + 'static) -> Self {
        Self(Some(std::sync::Arc::new(report)))
    }

    pub(crate) fn tell(&self, phase: Phase) {
        if let Some(report) = &self.0 {
            report(phase);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(reported)"
        } else {
            "Progress(none)"
        })
    }
}
