//! Warnings and errors, each naming where in the document it arose.

use std::fmt;

/// Something the generator degraded (usually to `serde_json::Value`) instead of failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer into the document (`#/components/schemas/Foo/properties/bar`).
    pub pointer: String,
    /// What happened.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Collects warnings during one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Warnings in the order they were found.
    pub warnings: Vec<Warning>,
    /// Set by [`Diagnostics::quiet`]: warnings are dropped.
    quiet: bool,
}

impl Diagnostics {
    /// A collector that keeps nothing, for looking at a shape whose problems are reported
    /// where it is converted (so they are not reported twice).
    pub(crate) fn quiet() -> Self {
        Self {
            warnings: Vec::new(),
            quiet: true,
        }
    }

    /// Records a warning at `pointer`.
    pub fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        if self.quiet {
            return;
        }
        self.warnings.push(Warning {
            pointer: pointer.into(),
            message: message.into(),
        });
    }
}

/// A failure that stops generation.
#[derive(Debug)]
pub enum Error {
    /// The bytes are neither JSON nor YAML.
    Syntax {
        /// Which parser was used.
        format: &'static str,
        /// Line and column or byte offset, as the parser reports it.
        location: String,
        /// The parser's message.
        message: String,
    },
    /// The document parses but is not a usable OpenAPI 3.x document.
    Invalid {
        /// JSON pointer to the offending node.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// `--strict` was set and warnings occurred.
    Strict(Vec<Warning>),
    /// Emitted tokens did not form valid Rust (a generator bug, reported rather than panicking).
    Emit(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax {
                format,
                location,
                message,
            } => {
                write!(
                    f,
                    "the document is not valid {format} ({location}): {message}"
                )
            }
            Error::Invalid { pointer, message } => write!(f, "{pointer}: {message}"),
            Error::Strict(warnings) => {
                write!(f, "{} warning(s) in strict mode", warnings.len())?;
                for w in warnings.iter().take(20) {
                    write!(f, "\n  {w}")?;
                }
                Ok(())
            }
            Error::Emit(m) => write!(f, "internal generator error: {m}"),
        }
    }
}

impl std::error::Error for Error {}
