//! `cargo xtask bench --builds` (and part of every full `bench`): how long the code we
//! generate takes to compile. For each giant document: generated lines, `cargo check` of the
//! whole crate, and of the crate with one per-group feature; then postpress-sdk's own clean
//! and incremental build. Written into its own marked section of `BENCHMARKS.md`, beside the
//! figures measured before per-group features and the leaner generated shapes existed.

use crate::bench::{SdkBuild, cargo, run, sdk_build};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const START: &str = "<!-- builds: written by `cargo xtask bench --builds` -->";
const END: &str = "<!-- builds: end -->";

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

/// `cargo check` of `krate` (dependencies built by a first, untimed check), after touching
/// its sources so only it is rebuilt.
fn check(krate: &Path, target: &Path, args: &[&str]) -> Result<Duration> {
    let cmd = |extra: &[&str]| {
        let mut c = Command::new(cargo());
        c.args(["check", "--quiet", "--manifest-path"])
            .arg(krate.join("Cargo.toml"))
            .args(extra)
            .env("CARGO_TARGET_DIR", target);
        c
    };
    run(&mut cmd(args))?;
    let lib = krate.join("src/lib.rs");
    let text = std::fs::read(&lib)?;
    std::fs::write(&lib, text)?;
    Ok(run(&mut cmd(args))?.0)
}

/// The median-sized feature (by operation count, then name): what a user who needs one
/// resource family typically enables.
fn median_feature(model: &codegen::ir::Model) -> Option<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for op in &model.operations {
        *counts
            .entry(codegen::features::feature_name(op))
            .or_default() += 1;
    }
    let mut sorted: Vec<(String, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    sorted.get(sorted.len() / 2).cloned()
}

fn giant(root: &Path, corpus: &Path, label: &str, work: &Path) -> Result<GiantBuild> {
    let spec = corpus.join(label);
    let bytes = std::fs::read(&spec).with_context(|| format!("reading {}", spec.display()))?;
    let out = work.join("giant");
    let _ = std::fs::remove_dir_all(&out);
    let runtime = crate::regen::RuntimeSource::of_repository(root, true);
    let made =
        crate::regen::write_standalone(&bytes, label, &out, Some("giant"), false, false, &runtime)?;
    let _ = std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"));
    let target = work.join("target-giants");
    let full = check(&out, &target, &[])?;
    let model = &made.generated.model;
    let split = made.generated.group_features;
    let one = match median_feature(model).filter(|_| split) {
        Some((name, ops)) => {
            let t = check(
                &out,
                &target,
                &["--no-default-features", "--features", &name],
            )?;
            Some((name, ops, t))
        }
        None => None,
    };
    Ok(GiantBuild {
        label: label.to_owned(),
        ops: made.generated.operations,
        lines: made.lines,
        features: codegen::features::all_features(model).len(),
        split,
        full,
        one,
        load: load_average(),
    })
}

/// Measures everything and returns the section's markdown.
pub fn measure(root: &Path, corpus: &Path, only: Option<&str>) -> Result<String> {
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work)?;
    let mut rows = Vec::new();
    for label in GIANTS.iter().filter(|g| only.is_none_or(|o| g.contains(o))) {
        if !corpus.join(label).exists() {
            eprintln!("bench: skipping {label}: not in {}", corpus.display());
            continue;
        }
        eprintln!("bench: cargo check of the generated crate: {label}");
        rows.push(giant(root, corpus, label, &work)?);
    }
    eprintln!("bench: postpress-sdk build times");
    let sdk_load = load_average();
    let sdk = sdk_build(root)?;
    Ok(section(&rows, &sdk, &sdk_load))
}

fn section(rows: &[GiantBuild], sdk: &SdkBuild, sdk_load: &str) -> String {
    let mut md = String::from(
        "## Compile time of generated code\n\n`cargo check` of the crate `cargo xtask generate` writes (dependencies already built; the crate's sources touched before each timed run), whole (`full`, the default) and with only one per-group feature (`--no-default-features --features X`, X the median-sized feature by operation count). \"Before\" is the whole-crate check measured before per-group features and the leaner generated shapes (issue 22); \"load\" is the 1-minute load average when the row was measured: the machine is shared with other builders, so compare the ratios within a row rather than seconds across runs.\n\n| spec | ops | features | lines | lines/op | check full s (before) | check one feature s | one / full | load |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let before = BEFORE_CHECK
            .iter()
            .find(|(l, _)| *l == r.label)
            .map(|(_, s)| *s)
            .filter(|s| s.is_finite())
            .map_or("-".to_owned(), |s| format!("{s:.1}"));
        let (one, ratio) = match &r.one {
            Some((name, ops, t)) => (
                format!("{:.1} (`{name}`, {ops} ops)", t.as_secs_f64()),
                format!("{:.2}", t.as_secs_f64() / r.full.as_secs_f64()),
            ),
            None => ("- (not split)".to_owned(), "-".to_owned()),
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} | {:.0} | {:.1} ({before}) | {one} | {ratio} | {} |",
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
            r.load
        );
    }
    let _ = writeln!(
        md,
        "\nTargets: Microsoft Graph with one feature under 30 s and whole under 200 s; GitHub and Stripe whole under 12 s.\n\n`postpress-sdk/src/generated`: {} lines for {} operations ({:.0} lines per operation; before: 16448 lines, 270 per operation, counted the same way; target at most 150). `cargo build -p postpress-sdk` with dependencies built: {:.2} s after `cargo clean -p postpress-sdk` (before: 9.70 s), {:.2} s after touching one generated module (before: 2.37 s); load {sdk_load}. The SDK is not split into per-group features: it builds in seconds whole, so features would only make every user name what they use.\n",
        sdk.lines,
        sdk.ops,
        sdk.lines as f64 / sdk.ops.max(1) as f64,
        sdk.clean.as_secs_f64(),
        sdk.incremental.as_secs_f64(),
    );
    md
}

/// `text` with the builds section replaced by (or, the first time, given) `section`.
pub fn with_section(text: &str, section: &str) -> String {
    let block = format!("{START}\n{}\n{END}\n", section.trim_end());
    if let (Some(a), Some(b)) = (text.find(START), text.find(END))
        && a < b
    {
        let after = text[b + END.len()..].trim_start_matches('\n');
        return format!("{}{block}\n{after}", &text[..a]);
    }
    match text.find("\n## SDK overhead") {
        Some(at) => format!("{}\n{block}{}", &text[..=at], &text[at..]),
        None => format!("{}\n\n{block}", text.trim_end()),
    }
}
