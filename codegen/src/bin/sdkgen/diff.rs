//! `sdkgen diff OLD NEW`: what changed between two documents for the crate generated from
//! them.

use crate::{Failure, Outcome};
use clap::Args;
use openapi_sdkgen::FileError;
use std::path::PathBuf;

/// Report what changed between two OpenAPI documents and the semver bump it implies.
///
/// Breaking and non-breaking changes of the documents (operations, parameters, bodies,
/// responses, schemas), then what they do to the generated Rust (methods, types, fields,
/// constructors), both generated with the names `--names` pins.
#[derive(Args)]
pub struct Diff {
    /// The old document (JSON or YAML).
    pub old: PathBuf,
    /// The new document.
    pub new: PathBuf,
    /// Exit with status 1 when any change is breaking.
    #[arg(long)]
    pub fail_on_breaking: bool,
    /// The crate's names table, so the Rust surface is compared with the names it pins.
    #[arg(long)]
    pub names: Option<PathBuf>,
    /// The crate's package name, for the semver line (default: from the new document's
    /// title).
    #[arg(long)]
    pub name: Option<String>,
    /// The crate's version now, for the semver line.
    #[arg(long, default_value = "0.1.0")]
    pub current_version: String,
}

impl Diff {
    pub fn run(self) -> Result<Outcome, Failure> {
        let pins = match &self.names {
            Some(path) => openapi_sdkgen::names_table::read(path)?,
            None => openapi_sdkgen::Names::default(),
        };
        let report = openapi_sdkgen::diff::files(&self.old, &self.new, &pins)?;
        let name = match self.name {
            Some(name) => name,
            None => title_name(&self.new)?,
        };
        print!("{}", report.render(&name, &self.current_version));
        match report.breaking().count() {
            n if n > 0 && self.fail_on_breaking => {
                eprintln!("diff: {n} breaking changes");
                Ok(Outcome::Found)
            }
            _ => Ok(Outcome::Clean),
        }
    }
}

/// The package name `generate` gives the crate of the document at `path`.
fn title_name(path: &std::path::Path) -> Result<String, FileError> {
    let bytes = std::fs::read(path).map_err(|source| FileError::Read {
        path: path.to_owned(),
        source,
    })?;
    let doc = openapi_sdkgen::parse_value(&bytes).map_err(|source| FileError::Generate {
        document: path.display().to_string(),
        source,
    })?;
    Ok(openapi_sdkgen::default_crate_name(
        doc["info"]["title"].as_str().unwrap_or_default(),
    ))
}
