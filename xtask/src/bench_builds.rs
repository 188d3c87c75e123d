//! `cargo xtask bench --builds` (and part of every full `bench`): how long the code we
//! generate takes to compile. For each giant document: generated lines, `cargo check` of the
//! whole crate, and of the crate with one per-group feature; then postpress-sdk's own clean
//! and incremental build. Written into its own marked section of `BENCHMARKS.md`, beside the
//! figures measured before per-group features and the leaner generated shapes existed.

use crate::marked::Marked;
use crate::measure::{SdkBuild, median, sdk_build};
use crate::process::{cargo, run};
use anyhow::{Context, Result};
use openapi_sdkgen::RUNTIME_PACKAGE;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The section of `BENCHMARKS.md` this command writes.
const SECTION: Marked = Marked {
    start: "<!-- builds: written by `cargo xtask bench --builds` -->",
    end: "<!-- builds: end -->",
    before: "\n## SDK overhead",
};

/// The giant documents, under the corpus folder.
pub const GIANTS: [&str; 5] = [
    "github.com/api.github.com.json",
    "stripe.com.json",
    "kubernetes.io.json",
    "loket.nl.json",
    "microsoft.com/graph.json",
];

/// `cargo check` seconds measured before this work (issue 22, same machine), by document.
const BEFORE_CHECK: [(&str, f64); 5] = [
    ("github.com/api.github.com.json", 20.5),
    ("stripe.com.json", 21.0),
    ("kubernetes.io.json", f64::NAN),
    ("loket.nl.json", 24.3),
    ("microsoft.com/graph.json", 438.0),
];

/// One giant's figures.
struct GiantBuild {
    label: String,
    /// The baseline's whole-crate check, measured in the same run.
    before: Option<Duration>,
    ops: usize,
    lines: usize,
    features: usize,
    split: bool,
    full: Duration,
    /// The feature checked alone, its operation count and the check time.
    one: Option<(String, usize, Duration)>,
    load: String,
}

/// The system load average, so a reader can tell how contended the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// `cargo check` of `krate`, timed: a from-scratch check of the crate itself. Incremental
/// compilation is off, so nothing of an earlier check of the same crate is reused. An untimed
/// check of its runtime package `runtime` (and so of every dependency) comes first, every
/// time: the runtime is a path dependency that changes with the tree under test, and its check
/// must not land in the crate's figure.
fn check(krate: &Path, runtime: &str, target: &Path, args: &[&str]) -> Result<Duration> {
    let manifest = krate.join("Cargo.toml");
    run(cargo()
        .args(["check", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(["-p", runtime])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0"))?;
    let lib = krate.join("src/lib.rs");
    let text = std::fs::read(&lib)?;
    std::fs::write(&lib, text)?;
    Ok(run(cargo()
        .args(["check", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0"))?
    .0)
}

/// The median-sized feature (by operation count, then name): what a user who needs one
/// resource family typically enables.
fn median_feature(model: &openapi_sdkgen::ir::Model) -> Option<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for op in &model.operations {
        *counts.entry(op.feature.clone()).or_default() += 1;
    }
    let mut sorted: Vec<(String, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    sorted.get(sorted.len() / 2).cloned()
}

/// An earlier source tree of this repository, measured in the same run as the figures
/// "before": its generator (built once) and its runtime.
pub struct Baseline {
    /// The tree (`git archive main | tar -x -C DIR`).
    pub root: PathBuf,
    /// Its `xtask` binary.
    xtask: PathBuf,
    /// Its own target folder.
    target: PathBuf,
    /// The package its generated crates take their runtime from (the tree may predate the
    /// runtime's own crate).
    runtime_package: String,
}

impl Baseline {
    /// Builds the tree's `xtask` and keeps a copy of the binary.
    pub fn prepare(root: &Path, work: &Path) -> Result<Self> {
        eprintln!("bench: building the baseline's xtask in {}", root.display());
        // A target folder of its own: two trees of one workspace in one folder overwrite
        // each other's artifacts (Cargo names a workspace's crates by their relative path).
        let target = work.join("target-baseline");
        run(cargo()
            .current_dir(root)
            .args(["build", "--quiet", "-p", "xtask"])
            .env("CARGO_TARGET_DIR", &target))?;
        let xtask = work.join("baseline-xtask");
        std::fs::copy(target.join("debug/xtask"), &xtask)
            .context("copying the baseline's xtask")?;
        Ok(Self {
            root: root.to_path_buf(),
            xtask,
            target,
            runtime_package: crate::generate::runtime_package(root)?,
        })
    }

    /// The crate the baseline's generator writes for `spec`, in its own folder.
    fn generate(&self, spec: &Path, work: &Path) -> Result<PathBuf> {
        let out = work.join("giant-baseline");
        let _ = std::fs::remove_dir_all(&out);
        // The baseline's xtask must take its own tree for the checkout (the runtime's
        // version among other things), not the one `cargo xtask` told this process about.
        run(Command::new(&self.xtask)
            .env_remove("CARGO_MANIFEST_DIR")
            .current_dir(&self.root)
            .args(["generate", "--name", "giant", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .arg("--runtime-path")
            .arg(crate::generate::runtime_dir(&self.root)))?;
        let _ = std::fs::copy(self.root.join("Cargo.lock"), out.join("Cargo.lock"));
        Ok(out)
    }
}

fn giant(
    root: &Path,
    corpus: &Path,
    label: &str,
    work: &Path,
    baseline: Option<&Baseline>,
    runs: usize,
) -> Result<GiantBuild> {
    let spec = corpus.join(label);
    let bytes = std::fs::read(&spec).with_context(|| format!("reading {}", spec.display()))?;
    let out = work.join("giant");
    let _ = std::fs::remove_dir_all(&out);
    let runtime = crate::generate::local_runtime(root);
    let made = crate::generate::write_standalone(
        &bytes,
        label,
        &out,
        Some("giant"),
        crate::generate::Extras::default(),
        &runtime,
    )?;
    let _ = std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"));
    let target = work.join("target-giants");
    let before_crate = match baseline {
        Some(b) => Some((b.generate(&spec, work)?, b.runtime_package.as_str())),
        None => None,
    };
    // Whole-crate checks alternate between this tree's crate and the baseline's, so a spell of
    // load on the shared machine falls on both; each figure is the median of its runs.
    let mut full_times = Vec::new();
    let mut before_times = Vec::new();
    for _ in 0..runs.max(1) {
        full_times.push(check(&out, RUNTIME_PACKAGE, &target, &[])?);
        if let Some((krate, runtime)) = &before_crate {
            before_times.push(check(krate, runtime, &target, &[])?);
        }
    }
    let full = median(full_times).unwrap_or_default();
    let before = median(before_times);
    let model = &made.generated.model;
    let split = made.generated.group_features;
    let one = match median_feature(model).filter(|_| split) {
        Some((name, ops)) => {
            let args = ["--no-default-features", "--features", &name];
            let times = (0..runs.max(1))
                .map(|_| check(&out, RUNTIME_PACKAGE, &target, &args))
                .collect::<Result<Vec<_>>>()?;
            Some((name, ops, median(times).unwrap_or_default()))
        }
        None => None,
    };
    Ok(GiantBuild {
        label: label.to_owned(),
        before,
        ops: made.generated.operations,
        lines: made.lines,
        features: openapi_sdkgen::features::all_features(model).len(),
        split,
        full,
        one,
        load: load_average(),
    })
}

/// Measures everything and returns the section's markdown.
pub fn measure(
    root: &Path,
    corpus: &Path,
    only: Option<&str>,
    baseline: Option<&Path>,
    runs: usize,
) -> Result<String> {
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work)?;
    let baseline = match baseline {
        Some(dir) => Some(Baseline::prepare(dir, &work)?),
        None => None,
    };
    let mut rows = Vec::new();
    for label in GIANTS.iter().filter(|g| only.is_none_or(|o| g.contains(o))) {
        if !corpus.join(label).exists() {
            eprintln!("bench: skipping {label}: not in {}", corpus.display());
            continue;
        }
        eprintln!("bench: cargo check of the generated crate: {label}");
        rows.push(giant(root, corpus, label, &work, baseline.as_ref(), runs)?);
    }
    let previous = std::fs::read_to_string(root.join("BENCHMARKS.md")).unwrap_or_default();
    // `--only sdk` measures the SDK alone; `--only <giant>` leaves its paragraph as it was.
    let sdk = match only {
        Some(o) if o != "sdk" => previous_line(&previous, SDK_LINE).unwrap_or_default(),
        _ => {
            eprintln!("bench: postpress-sdk build times");
            let load = load_average();
            let before = match &baseline {
                Some(b) => Some(sdk_build(&b.root, Some(&b.target))?),
                None => None,
            };
            sdk_paragraph(&sdk_build(root, None)?, before.as_ref(), &load)
        }
    };
    Ok(section(&rows, &previous, &sdk, runs))
}

/// How the SDK paragraph of the section starts.
const SDK_LINE: &str = "`postpress-sdk/src/generated`:";

/// The line starting with `prefix` in the builds section of an earlier `BENCHMARKS.md`.
fn previous_line(previous: &str, prefix: &str) -> Option<String> {
    SECTION
        .existing(previous)?
        .lines()
        .find(|l| l.starts_with(prefix))
        .map(str::to_owned)
}

/// The section; a giant not measured this run (`--only`) keeps its row from `previous`.
fn section(rows: &[GiantBuild], previous: &str, sdk: &str, runs: usize) -> String {
    let mut md = format!(
        "## Compile time of generated code\n\n`cargo check` of the crate `cargo xtask generate` writes (dependencies already built; incremental compilation off, so each timed run checks the crate from scratch): whole (`full`, the default), and with only one per-group feature (`--no-default-features --features X`, X the median-sized feature by operation count). Each check in the table is the median of {runs} run(s), the whole-crate checks of this tree's crate and the baseline's alternating. \"Baseline\" is the same check of the crate the earlier tree given with `--baseline` generates (here: `main` before this work), measured in the same run; \"recorded\" is the earlier whole-crate figure of issue 22, taken on a quieter machine. \"load\" is the 1-minute load average when the row was measured: the machine is shared with other builders, so compare ratios within a row rather than seconds across rows. Rows can come from separate `--builds --only` runs. Crates are checked as users get them: each type written only where a request sends it (the crate's `serde` feature, which adds the rest, off).\n\n| spec | ops | features | lines (per op) | check full s | baseline s | full / baseline | one feature s | one / baseline | recorded s | load |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let ratio = |a: Duration, b: Option<Duration>| {
        b.map_or("-".to_owned(), |b| {
            format!("{:.2}", a.as_secs_f64() / b.as_secs_f64())
        })
    };
    for label in GIANTS {
        let Some(r) = rows.iter().find(|r| r.label == label) else {
            if let Some(row) = previous_line(previous, &format!("| `{label}` |")) {
                let _ = writeln!(md, "{row}");
            }
            continue;
        };
        let recorded = BEFORE_CHECK
            .iter()
            .find(|(l, _)| *l == r.label)
            .map(|(_, s)| *s)
            .filter(|s| s.is_finite())
            .map_or("-".to_owned(), |s| format!("{s:.1}"));
        let (one, one_ratio) = match &r.one {
            Some((name, ops, t)) => (
                format!("{:.1} (`{name}`, {ops} ops)", t.as_secs_f64()),
                ratio(*t, r.before),
            ),
            None => ("- (not split)".to_owned(), "-".to_owned()),
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} ({:.0}) | {:.1} | {} | {} | {one} | {one_ratio} | {recorded} | {} |",
            r.label,
            r.ops,
            if r.split {
                r.features.to_string()
            } else {
                "-".into()
            },
            r.lines,
            r.lines as f64 / r.ops.max(1) as f64,
            r.full.as_secs_f64(),
            r.before
                .map_or("-".to_owned(), |b| format!("{:.1}", b.as_secs_f64())),
            ratio(r.full, r.before),
            r.load
        );
    }
    let _ = writeln!(
        md,
        "\nTargets: Microsoft Graph with one feature under 30 s and whole under 200 s; GitHub and Stripe whole under 12 s.\n\n{sdk}"
    );
    md
}

/// The SDK's paragraph: size and build times, beside the baseline's from the same run.
fn sdk_paragraph(sdk: &SdkBuild, before: Option<&SdkBuild>, load: &str) -> String {
    let per_op = |b: &SdkBuild| b.lines as f64 / b.ops.max(1) as f64;
    let default_per_op = |b: &SdkBuild| b.default_lines as f64 / b.ops.max(1) as f64;
    let was = |f: &dyn Fn(&SdkBuild) -> String| {
        before.map_or(String::new(), |b| format!(" (baseline: {})", f(b)))
    };
    format!(
        "{SDK_LINE} {} lines for {} operations, {:.1} lines per operation{} (every `.rs` line of the folder over the document's operations, as issue 22 counted; target at most 150); {} lines, {:.1} per operation{}, compiled by a default build (without the `mock` feature's stubs and the test-only example checks). `cargo build -p postpress-sdk` with dependencies built: {:.2} s after `cargo clean -p postpress-sdk`{}, {:.2} s after touching one generated module{}; load {load}. The SDK is not split into per-group features: it builds in seconds whole, so features would only make every user name what they use.",
        sdk.lines,
        sdk.ops,
        per_op(sdk),
        was(&|b| format!("{} lines, {:.1} per operation", b.lines, per_op(b))),
        sdk.default_lines,
        default_per_op(sdk),
        was(&|b| format!(
            "{} lines, {:.1} per operation",
            b.default_lines,
            default_per_op(b)
        )),
        sdk.clean.as_secs_f64(),
        was(&|b| format!("{:.2} s", b.clean.as_secs_f64())),
        sdk.incremental.as_secs_f64(),
        was(&|b| format!("{:.2} s", b.incremental.as_secs_f64())),
    )
}

/// `text` with the builds section replaced by (or, the first time, given) `section`.
pub fn with_section(text: &str, section: &str) -> String {
    SECTION.replace(text, section)
}
