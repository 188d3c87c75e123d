//! `sdkgen generate`, and the options it shares with `check`: how a crate is made from a
//! document.

use crate::recorded::Settings;
use crate::{Failure, Outcome};
use clap::{Args, ValueEnum};
use openapi_sdkgen::{FileError, GeneratedCrate, Names, Options, Phase, Progress, RuntimeSource};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Warnings printed at most; the rest are counted.
const WARNINGS_SHOWN: usize = 20;

/// Generate a standalone client crate from an OpenAPI document.
///
/// The crate depends on the runtime crate `openapi-sdkgen-runtime` alone, by this generator's
/// version. Writing it again changes only the files that differ; files of `src/generated/`
/// the generator no longer makes are removed.
#[derive(Args)]
pub struct Generate {
    #[command(flatten)]
    pub krate: CrateArgs,
}

/// `--group-features`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupFeaturesArg {
    /// Split from 250 operations and two groups up.
    Auto,
    /// Always split.
    On,
    /// Never split.
    Off,
}

impl GroupFeaturesArg {
    /// The value as the command line writes it (`auto`).
    pub fn name(self) -> &'static str {
        match self {
            GroupFeaturesArg::Auto => "auto",
            GroupFeaturesArg::On => "on",
            GroupFeaturesArg::Off => "off",
        }
    }

    /// The value the command line writes as `name`.
    pub fn named(name: &str) -> Option<Self> {
        Self::value_variants()
            .iter()
            .copied()
            .find(|v| v.name() == name)
    }
}

/// What a crate is made from, and how.
#[derive(Args)]
pub struct CrateArgs {
    /// The OpenAPI document (JSON or YAML, 3.0 or 3.1). Without it, the document and every
    /// option are those recorded in the crate's `Cargo.toml` when it was generated
    /// (`[package.metadata.sdkgen]`): `sdkgen generate --out DIR` regenerates a crate and
    /// `sdkgen check --out DIR` checks it the way it was made.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// The crate's folder (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Package name (default: from the document's title).
    #[arg(long)]
    pub name: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Map `format: date-time` and `date` strings to `String` instead of the runtime's
    /// `Timestamp` and `Date` (nothing checked, nothing fails to decode).
    #[arg(long)]
    pub dates_as_strings: bool,
    /// A names table (TOML): the names it pins are kept whatever the document's operationIds,
    /// titles or tags become. `generate` rewrites it with every name chosen (creating it when
    /// missing), so the next run keeps them too; `check` compares it.
    #[arg(long)]
    pub names: Option<PathBuf>,
    /// Depend on the runtime package in this folder (the one holding its `Cargo.toml`, e.g.
    /// `runtime` in a checkout of the generator) as well as by version; without it the crate
    /// takes the runtime from the registry.
    #[arg(long)]
    pub runtime_path: Option<PathBuf>,
    /// One Cargo feature per resource group (plus `full`, the default), so users compile
    /// only the groups they enable. Default: auto.
    #[arg(long, value_enum)]
    pub group_features: Option<GroupFeaturesArg>,
    /// Give every type JSON both ways, and every setter. By default a type is read or
    /// written as the API uses it, and the crate's `serde` feature adds the rest.
    #[arg(long)]
    pub json_both_ways: bool,
    /// Also write `src/generated/mcp.rs` and the crate's `mcp` feature: every operation as a
    /// Model Context Protocol tool (name, description, annotations, input JSON Schema) that
    /// the runtime executes through the client.
    #[arg(long)]
    pub mcp: bool,
}

/// A crate rendered in memory, with what it took.
pub struct Rendered {
    pub krate: GeneratedCrate,
    /// Reading the document and the names table.
    pub read: Duration,
}

impl Settings {
    /// The generation options these settings ask for, with `pins` pinned.
    fn options(&self, pins: Names) -> Options {
        Options {
            strict: self.strict,
            dates: if self.dates_as_strings {
                openapi_sdkgen::Dates::Text
            } else {
                openapi_sdkgen::Dates::Typed
            },
            spec_label: self.spec_label(),
            names: pins,
            group_features: match self.group_features {
                GroupFeaturesArg::Auto => openapi_sdkgen::GroupFeatures::Auto,
                GroupFeaturesArg::On => openapi_sdkgen::GroupFeatures::On,
                GroupFeaturesArg::Off => openapi_sdkgen::GroupFeatures::Off,
            },
            json: if self.json_both_ways {
                openapi_sdkgen::JsonImpls::BothWays
            } else {
                openapi_sdkgen::JsonImpls::AsUsed
            },
            mcp: self.mcp,
            progress: Progress::new(|phase| match phase {
                Phase::Lower { paths, schemas } => {
                    eprintln!("sdkgen: lowering {paths} paths and {schemas} schemas")
                }
                Phase::Emit { operations, types } => {
                    eprintln!("sdkgen: writing {operations} operations and {types} types")
                }
                // The size is in the first line already.
                _ => {}
            }),
            ..Options::default()
        }
    }

    pub fn runtime(&self) -> RuntimeSource {
        match &self.runtime_path {
            Some(path) => RuntimeSource::local(path),
            None => RuntimeSource::registry(),
        }
    }

    /// Reads the document (and names table) and generates the crate in memory, with
    /// progress and the generator's warnings on stderr. The manifest ends with the record of
    /// these settings.
    pub fn render(&self) -> Result<Rendered, FileError> {
        let started = Instant::now();
        let bytes = std::fs::read(&self.spec).map_err(|source| FileError::Read {
            path: self.spec.clone(),
            source,
        })?;
        let pins = match &self.names {
            Some(path) => openapi_sdkgen::names_table::read(path)?,
            None => Names::default(),
        };
        let read = started.elapsed();
        eprintln!(
            "sdkgen: generating from {} ({})",
            self.spec.display(),
            size(bytes.len())
        );
        let mut krate = GeneratedCrate::render(
            &bytes,
            self.name.as_deref(),
            &self.options(pins),
            &self.runtime(),
        )
        .map_err(|e| match e {
            // Named as given on the command line (the label is the path from the crate).
            FileError::Generate { source, .. } => FileError::Generate {
                document: self.spec.display().to_string(),
                source,
            },
            other => other,
        })?;
        if let Some(manifest) = krate.files.iter_mut().find(|f| f.path == "Cargo.toml") {
            manifest.contents.push_str(&self.record());
        }
        let t = &krate.generated.timings;
        eprintln!(
            "sdkgen: load {}, ir {}, emit {}, format {} ({} operations, {} types)",
            ms(t.load),
            ms(t.ir),
            ms(t.emit),
            ms(t.format),
            krate.generated.operations,
            krate.generated.types
        );
        print_warnings(&krate.generated.warnings);
        Ok(Rendered { krate, read })
    }
}

/// The generator's warnings on stderr, each with its JSON pointer.
fn print_warnings(warnings: &[openapi_sdkgen::Warning]) {
    for w in warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("warning: {w}");
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "warning: {} more (--strict turns warnings into errors)",
            warnings.len() - WARNINGS_SHOWN
        );
    }
}

fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{} KiB", bytes / 1024),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

impl Generate {
    pub fn run(self) -> Result<Outcome, Failure> {
        let args = &self.krate.settings()?;
        let started = Instant::now();
        let Rendered { krate, read, .. } = args.render()?;
        let write_started = Instant::now();
        let summary = krate.write(&args.out)?;
        if let Some(path) = &args.names {
            openapi_sdkgen::write_atomic(
                path,
                openapi_sdkgen::names_table::render(&krate.generated.names).as_bytes(),
            )?;
        }
        eprintln!(
            "sdkgen: read {}, write {} ({} files written, {} removed)",
            ms(read),
            ms(write_started.elapsed()),
            summary.written,
            summary.removed
        );
        let g = &krate.generated;
        println!(
            "generate: {} -> {} ({}: {} operations, {} types, {} warnings, {:.2?})",
            args.spec.display(),
            args.out.display(),
            krate.name,
            g.operations,
            g.types,
            g.warnings.len(),
            started.elapsed()
        );
        let runtime = args.runtime();
        let hint = match runtime.path {
            Some(_) => "",
            None => " (--runtime-path DIR builds against a local checkout)",
        };
        println!("runtime: {runtime}{hint}");
        Ok(Outcome::Clean)
    }
}
