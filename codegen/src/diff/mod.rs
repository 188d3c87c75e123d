//! What changed between two OpenAPI documents, split into breaking and non-breaking changes
//! for the crate generated from them, and the semver bump that implies.
//!
//! The comparison walks operations (by method and path), their parameters, request bodies and
//! success responses, following `$ref`s into the schemas. A change is breaking when code
//! written against the old crate could stop compiling or stop working: something removed, a
//! new requirement, a changed type, a removed enum value or success status. Then both
//! documents are generated with the same pinned names and the Rust surfaces compared
//! ([`surface`]): a method, type or field renamed or removed, a field's type or a
//! constructor's arguments changed, is breaking even where the document walk saw nothing.
//!
//! It reads the raw JSON trees rather than the typed document: a diff must work on documents
//! the generator would reject or repair, and report them as written.
//!
//! ```no_run
//! # fn main() -> Result<(), openapi_sdkgen::FileError> {
//! use std::path::Path;
//! let pins = openapi_sdkgen::Names::default(); // or `names_table::read` of the crate's table
//! let report = openapi_sdkgen::diff::files(Path::new("old.yaml"), Path::new("new.yaml"), &pins)?;
//! print!("{}", report.render("my-api", "0.3.1")); // ... "my-api 0.3.1 becomes 0.4.0"
//! if report.breaking().next().is_some() {
//!     std::process::exit(1);
//! }
//! # Ok(()) }
//! ```

mod surface;
mod walk;

use crate::{FileError, Names};
use serde_json::Value;
use std::path::Path;

/// One reported change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether code written against the old crate may stop compiling or working.
    pub breaking: bool,
    /// Where: `GET /accounts`, `schema Account`, `Rust surface`.
    pub at: String,
    /// What: `operation removed`, `property `name` became required`.
    pub what: String,
}

/// The changes between two documents.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The document's changes, sorted, then the breaking changes of the Rust surface.
    pub changes: Vec<Change>,
    /// What the changes do to the generated Rust (see [`surface`]), one line each, when it
    /// was compared.
    pub surface: Vec<String>,
    /// Why the Rust surface was not compared (a document the generator rejects), when so.
    pub surface_skipped: Option<String>,
}

const OPERATION_ID_CHANGED: &str = "operationId changed";
const METHOD_NAMES_FOLLOW: &str = "(method names follow it)";
const METHOD_NAME_PINNED: &str = "(the method's name is pinned)";

impl Report {
    /// The breaking changes.
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking)
    }

    /// Whether the documents describe the same API.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The version after this change: for 0.x crates a breaking change bumps the minor
    /// number and anything else the patch number (Cargo's reading of semver); from 1.0 on,
    /// breaking bumps the major and additions the minor.
    pub fn next_version(&self, current: &str) -> String {
        let mut parts = current
            .split(['.', '-', '+'])
            .take(3)
            .map(|p| p.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) = (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
        let breaking = self.breaking().next().is_some();
        let additions = !self.changes.is_empty();
        match (major, breaking, additions) {
            (_, _, false) => format!("{major}.{minor}.{patch}"),
            (0, true, _) => format!("0.{}.0", minor + 1),
            (0, false, _) => format!("0.{minor}.{}", patch + 1),
            (_, true, _) => format!("{}.0.0", major + 1),
            (_, false, _) => format!("{major}.{}.0", minor + 1),
        }
    }

    /// The report with the Rust surface's changes (see `surface`) added: a change that can
    /// stop user code compiling (or, for a constructor's arguments, put values in other
    /// fields) is breaking even where the document walk saw nothing.
    pub fn with_surface(mut self, lines: Vec<String>) -> Self {
        self.surface = lines;
        self.pinned_method_names();
        self.surface_breaks();
        self
    }

    /// With the surface compared, a changed operationId whose method kept its name (it is
    /// pinned) breaks nothing.
    fn pinned_method_names(&mut self) {
        for c in &mut self.changes {
            let renamed = |line: &String| {
                line.contains(" renamed to ") && line.ends_with(&format!("({})", c.at))
            };
            if c.what.starts_with(OPERATION_ID_CHANGED) && !self.surface.iter().any(renamed) {
                c.breaking = false;
                c.what = c.what.replace(METHOD_NAMES_FOLLOW, METHOD_NAME_PINNED);
            }
        }
    }

    /// A surface change that can stop user code compiling is breaking even where the
    /// document walk saw nothing (a property removed inside an `allOf`, say).
    fn surface_breaks(&mut self) {
        for line in &self.surface {
            if surface::is_breaking(line) {
                self.changes.push(Change {
                    breaking: true,
                    at: "Rust surface".into(),
                    what: line.clone(),
                });
            }
        }
    }

    /// The human-readable report: the changes, breaking ones first, the surface's lines,
    /// and the version `crate_name` at `version` moves to.
    pub fn render(&self, crate_name: &str, version: &str) -> String {
        let skipped = match &self.surface_skipped {
            Some(why) => format!("Rust surface not compared: {why}\n"),
            None => String::new(),
        };
        format!("{skipped}{}", self.render_changes(crate_name, version))
    }

    fn render_changes(&self, crate_name: &str, version: &str) -> String {
        let mut surface = String::new();
        if !self.surface.is_empty() {
            surface.push_str(&format!("Rust surface ({}):\n", self.surface.len()));
            for line in &self.surface {
                surface.push_str(&format!("  - {line}\n"));
            }
        }
        if self.is_empty() {
            return format!("diff: no API changes\n{surface}");
        }
        let mut out = String::new();
        let breaking: Vec<_> = self.breaking().collect();
        let other: Vec<_> = self.changes.iter().filter(|c| !c.breaking).collect();
        for (title, list) in [("Breaking", &breaking), ("Non-breaking", &other)] {
            if list.is_empty() {
                continue;
            }
            out.push_str(&format!("{title} changes ({}):\n", list.len()));
            for c in list.iter() {
                out.push_str(&format!("  - {}: {}\n", c.at, c.what));
            }
        }
        out.push_str(&surface);
        let next = self.next_version(version);
        out.push_str(&format!(
            "semver: {} -> {crate_name} {version} becomes {next}\n",
            if breaking.is_empty() {
                "compatible"
            } else {
                "breaking"
            }
        ));
        out
    }
}

/// Compares two parsed documents (the document walk alone; see [`Report::with_surface`]).
pub fn compare(old: &Value, new: &Value) -> Report {
    Report {
        changes: walk::changes(old, new),
        ..Report::default()
    }
}

/// The Rust-surface changes between two documents (JSON or YAML bytes), both generated with
/// the names `pins` pins: one line each (`method accounts().list() removed (GET /accounts)`,
/// `field Account.name: String -> Option<String>`), sorted. An error when the generator
/// rejects either document (named `the old document` or `the new document`).
pub fn surface(old: &[u8], new: &[u8], pins: &Names) -> Result<Vec<String>, FileError> {
    surface::compare(old, new, pins)
}

/// The whole diff of two document files: read, [`compare`]d, and their Rust surfaces
/// compared with the names `pins` pins ([`Report::with_surface`]); when the generator rejects
/// a document the surface is left out, saying why in [`Report::surface_skipped`]. An error
/// names the file that cannot be read or parsed.
pub fn files(old: &Path, new: &Path, pins: &Names) -> Result<Report, FileError> {
    let read = |path: &Path| -> Result<(Vec<u8>, Value), FileError> {
        let bytes = crate::files::read(path)?;
        let value = crate::parse_value(&bytes).map_err(|source| FileError::Generate {
            document: path.display().to_string(),
            source,
        })?;
        Ok((bytes, value))
    };
    let ((old_bytes, old), (new_bytes, new)) = (read(old)?, read(new)?);
    let report = compare(&old, &new);
    Ok(match surface::compare(&old_bytes, &new_bytes, pins) {
        Ok(lines) => report.with_surface(lines),
        Err(why) => Report {
            surface_skipped: Some(why.to_string()),
            ..report
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
    }

    #[test]
    fn client_wide_parameters_are_not_changes() {
        let op = |params: Value| json!({"/a": {"parameters": params, "get": {"responses": {"200": {"description": ""}}}}});
        let old = doc(op(json!([])), json!({}));
        let new = doc(
            op(
                json!([{"name": "port", "in": "query", "x-client-wide": true, "schema": {"type": "integer"}}]),
            ),
            json!({}),
        );
        let r = compare(&old, &new);
        assert_eq!(r.changes.len(), 0, "{}", r.render("sdk", "0.1.0"));
    }

    #[test]
    fn a_skipped_surface_is_said_first() {
        let report = Report {
            surface_skipped: Some("the old document: bad".into()),
            ..Report::default()
        };
        assert_eq!(
            report.render("sdk", "0.1.0"),
            "Rust surface not compared: the old document: bad\ndiff: no API changes\n"
        );
    }

    #[test]
    fn classifies_changes() {
        let old = doc(
            json!({"/a": {"get": {"operationId": "getA", "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}},
                   "/gone": {"delete": {"responses": {"204": {"description": ""}}}}}),
            json!({"A": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": ["x", "y"]}}}}),
        );
        let new = doc(
            json!({"/a": {"get": {"operationId": "getA", "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer"}}, {"name": "r", "in": "query", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}, "202": {"description": ""}}}},
                   "/b": {"get": {"responses": {"200": {"description": ""}}}}}),
            json!({"A": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": ["x", "z"]}, "extra": {"type": "string"}}}}),
        );
        let r = compare(&old, &new);
        let text = r.render("sdk", "0.3.1");
        for breaking in [
            "DELETE /gone: operation removed",
            "GET /a query parameter `q`: type changed from string to integer",
            "GET /a: query parameter `r` added as required",
            "schema A `kind`: enum value \"y\" removed",
        ] {
            assert!(
                r.breaking()
                    .any(|c| format!("{}: {}", c.at, c.what) == breaking),
                "{breaking}\n{text}"
            );
        }
        for compatible in [
            "GET /b: operation added",
            "GET /a: success status 202 added",
            "schema A: property `extra` added",
        ] {
            assert!(
                r.changes
                    .iter()
                    .any(|c| !c.breaking && format!("{}: {}", c.at, c.what) == compatible),
                "{compatible}\n{text}"
            );
        }
        assert!(text.contains("sdk 0.3.1 becomes 0.4.0"), "{text}");
        assert_eq!(compare(&old, &old).next_version("0.3.1"), "0.3.1");
    }
}
