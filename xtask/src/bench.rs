//! `cargo xtask bench`: every speed and memory claim, measured side by side in one run, and
//! written to `BENCHMARKS.md` (plus an SVG chart). Timings are medians of alternating runs;
//! comparisons are ratios measured in the same run, never against numbers from elsewhere.

use crate::files::write_atomic;
use crate::measure::{median, operations, rust_lines};
use crate::process::{cargo, run};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Settings of one run.
pub struct Settings {
    pub quick: bool,
    pub corpus: Option<PathBuf>,
    /// Only the compile-time section ([`crate::bench_builds`]).
    pub builds: bool,
    /// With `builds`: only the giants whose path contains this.
    pub only: Option<String>,
    /// An earlier source tree to measure the compile-time figures against, in the same run.
    pub baseline: Option<PathBuf>,
}

/// One generator timing: wall time of the whole process, and our phase split.
#[derive(Clone, Default)]
struct GenTiming {
    wall: Duration,
    phases: Vec<(String, f64)>,
}

struct SpecRow {
    label: String,
    bytes: u64,
    ops: usize,
    ours: GenTiming,
    progenitor: Option<Duration>,
    our_lines: usize,
    progenitor_lines: Option<usize>,
    our_check: Option<Duration>,
    progenitor_check: Option<Duration>,
}

struct Bench {
    root: PathBuf,
    work: PathBuf,
    ours: PathBuf,
    runs: usize,
    log: String,
}

impl Bench {
    fn say(&mut self, line: &str) {
        eprintln!("bench: {line}");
    }

    fn ours_once(&self, spec: &Path, out: &Path) -> Result<GenTiming> {
        // A fresh folder: files of an earlier spec would be counted as this one's.
        let _ = std::fs::remove_dir_all(out);
        let (wall, text) = run(Command::new(&self.ours)
            .args(["generate", "--name", "bench-crate", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(out)
            .arg("--runtime-path")
            .arg(crate::generate::runtime_dir(&self.root)))?;
        let phases = text
            .lines()
            .find_map(|l| l.strip_prefix("phases-ms: "))
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|kv| {
                        let (k, v) = kv.split_once('=')?;
                        Some((k.to_owned(), v.parse().ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(GenTiming { wall, phases })
    }

    fn progenitor_once(&self, spec: &Path, out: &Path) -> Result<Duration> {
        let _ = std::fs::remove_dir_all(out);
        let (wall, _) = run(cargo()
            .args([
                "progenitor",
                "--interface",
                "builder",
                "-n",
                "bench-crate",
                "-v",
                "0.1.0",
                "-i",
            ])
            .arg(spec)
            .arg("-o")
            .arg(out))?;
        Ok(wall)
    }

    /// Alternating runs of both generators; medians.
    fn compare(
        &mut self,
        spec: &Path,
        with_progenitor: bool,
    ) -> Result<(GenTiming, Option<Duration>)> {
        let ours_out = self.work.join("ours");
        let theirs_out = self.work.join("progenitor");
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        let mut phases = Vec::new();
        for _ in 0..self.runs {
            let t = self.ours_once(spec, &ours_out)?;
            ours.push(t.wall);
            phases.push(t.phases);
            if with_progenitor {
                theirs.push(self.progenitor_once(spec, &theirs_out)?);
            }
        }
        // Phases of the median run by wall time.
        let mut order: Vec<usize> = (0..ours.len()).collect();
        order.sort_by_key(|&i| ours[i]);
        let mid = order[order.len() / 2];
        Ok((
            GenTiming {
                wall: ours[mid],
                phases: phases[mid].clone(),
            },
            // None without progenitor: no runs of it.
            median(theirs),
        ))
    }

    /// `cargo check` time of a generated crate, with its dependencies already built in
    /// `target` (a first check warms them).
    fn check_time(&self, krate: &Path, target: &Path) -> Result<Duration> {
        let _ = std::fs::copy(self.root.join("Cargo.lock"), krate.join("Cargo.lock"));
        // The crate sits under this workspace's target/: it must be a workspace of its own.
        let manifest = krate.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)?;
        if !text.lines().any(|l| l.trim() == "[workspace]") {
            std::fs::write(&manifest, format!("{text}\n[workspace]\n"))?;
        }
        let check = || {
            run(cargo()
                .args(["check", "--quiet", "--manifest-path"])
                .arg(krate.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", target))
        };
        check()?;
        // Touch the crate's sources so the second check rebuilds the crate and only it.
        let lib = krate.join("src/lib.rs");
        let text = std::fs::read(&lib)?;
        std::fs::write(&lib, text)?;
        Ok(check()?.0)
    }
}

/// The vendor-shaped fixture document, one of the generator-speed inputs.
fn vendor_fixture_path(root: &Path) -> PathBuf {
    root.join("fixtures/vendor-shape/vendor-shape.json")
}

/// A list of corpus specs by name (`dev-sample`), one path per line.
fn corpus_list(root: &Path, name: &str) -> PathBuf {
    root.join(format!("xtask/corpus/{name}.txt"))
}

/// Criterion medians in nanoseconds, by (group, benchmark).
type Estimates = Vec<((String, String), f64)>;

/// Everything one run measured, for the report.
struct Measured {
    own: Vec<SpecRow>,
    peers: Vec<SpecRow>,
    estimates: Estimates,
    memory: String,
    log: String,
    quick: bool,
    elapsed: Duration,
}

impl Measured {
    fn estimate(&self, group: &str, name: &str) -> Option<f64> {
        self.estimates
            .iter()
            .find(|((g, n), _)| g == group && n == name)
            .map(|(_, v)| *v)
    }
}

/// The criterion benchmarks the report reads, by (group, benchmark).
const ESTIMATES: [(&str, &str); 8] = [
    ("request", "sdk"),
    ("request", "reqwest"),
    ("request", "reqwest_with_timeout"),
    ("request_concurrency_32", "sdk"),
    ("request_concurrency_32", "reqwest"),
    ("request_concurrency_32", "reqwest_with_timeout"),
    ("decode_account_list_250", "typed"),
    ("decode_account_list_250", "value"),
];

/// Runs everything and writes `BENCHMARKS.md` and `docs/bench/generator.svg`.
pub fn run_all(root: &Path, settings: Settings) -> Result<()> {
    let started = Instant::now();
    let corpus = match settings.corpus {
        Some(c) => c,
        None => root.join(".corpus/package/api"),
    };
    if settings.builds {
        let section = crate::bench_builds::measure(
            root,
            &corpus,
            settings.only.as_deref(),
            settings.baseline.as_deref(),
            build_runs(settings.quick),
        )?;
        let previous = std::fs::read_to_string(root.join("BENCHMARKS.md")).unwrap_or_default();
        let md = crate::bench_builds::with_section(&previous, &section);
        write_atomic(&root.join("BENCHMARKS.md"), md.as_bytes())?;
        println!(
            "bench: wrote the builds section of BENCHMARKS.md in {:.0?}",
            started.elapsed()
        );
        return Ok(());
    }
    let mut b = prepare(root, settings.quick)?;
    let have_progenitor = progenitor_installed();
    let own = own_documents(&mut b, &corpus)?;
    let peers = if have_progenitor {
        against_progenitor(&mut b, &corpus, settings.quick)?
    } else {
        Vec::new()
    };
    let (estimates, memory) = runtime(&mut b, settings.quick)?;
    b.say("compile time of generated code");
    let builds = crate::bench_builds::measure(
        root,
        &corpus,
        None,
        settings.baseline.as_deref(),
        build_runs(settings.quick),
    )?;
    let chart = root.join("docs/bench/generator.svg");
    chart_svg(&chart, &peers, &own)?;
    let measured = Measured {
        own,
        peers,
        estimates,
        memory,
        log: b.log,
        quick: settings.quick,
        elapsed: started.elapsed(),
    };
    let md = crate::bench_builds::with_section(&report(&measured), &builds);
    // The soak section comes from `cargo xtask soak`; keep it across rewrites.
    let previous = std::fs::read_to_string(root.join("BENCHMARKS.md")).unwrap_or_default();
    let md = match crate::soak::existing_section(&previous) {
        Some(soak) => crate::soak::with_section(&md, &soak),
        None => md,
    };
    write_atomic(&root.join("BENCHMARKS.md"), md.as_bytes())?;
    println!(
        "bench: wrote BENCHMARKS.md and {} in {:.0?}",
        chart.display(),
        started.elapsed()
    );
    Ok(())
}

/// Timed `cargo check` runs per figure of the compile-time section: fewer than the
/// generator's timings, since the largest check takes minutes.
fn build_runs(quick: bool) -> usize {
    if quick { 1 } else { 3 }
}

/// Builds the release generator and sets up the work folder.
fn prepare(root: &Path, quick: bool) -> Result<Bench> {
    eprintln!("bench: building xtask in release");
    run(cargo()
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask"]))?;
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work)?;
    Ok(Bench {
        root: root.to_path_buf(),
        work,
        ours: root.join("target/release/xtask"),
        runs: if quick { 3 } else { 5 },
        log: String::new(),
    })
}

fn progenitor_installed() -> bool {
    let found = cargo()
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!(
            "bench: cargo-progenitor not found; install it with `cargo install cargo-progenitor --version 0.15.1 --locked`"
        );
    }
    found
}

/// 1. Our generator on the project's own documents and the giants.
fn own_documents(b: &mut Bench, corpus: &Path) -> Result<Vec<SpecRow>> {
    let mut rows = Vec::new();
    let mut inputs: Vec<(String, PathBuf)> = vec![
        (
            "specs/postpress.json".into(),
            b.root.join("specs/postpress.json"),
        ),
        ("vendor-shape.json".into(), vendor_fixture_path(&b.root)),
    ];
    for giant in [
        "github.com/api.github.com.json",
        "stripe.com.json",
        "kubernetes.io.json",
        "loket.nl.json",
        "microsoft.com/graph.json",
    ] {
        inputs.push((giant.into(), corpus.join(giant)));
    }
    for (label, path) in &inputs {
        if !path.exists() {
            b.say(&format!(
                "skipping {label}: not found (run `cargo xtask corpus` once to fetch the corpus)"
            ));
            continue;
        }
        b.say(&format!("generator speed: {label}"));
        let (ours, _) = b.compare(path, false)?;
        rows.push(SpecRow {
            label: label.clone(),
            bytes: std::fs::metadata(path)?.len(),
            ops: operations(path),
            ours,
            progenitor: None,
            our_lines: 0,
            progenitor_lines: None,
            our_check: None,
            progenitor_check: None,
        });
    }
    Ok(rows)
}

/// 2. Against cargo-progenitor on the largest dev-sample specs it can handle.
fn against_progenitor(b: &mut Bench, corpus: &Path, quick: bool) -> Result<Vec<SpecRow>> {
    let work = b.work.clone();
    let list = std::fs::read_to_string(corpus_list(&b.root, "dev-sample")).unwrap_or_default();
    let mut specs: Vec<(u64, String)> = list
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| Some((std::fs::metadata(corpus.join(l)).ok()?.len(), l.to_owned())))
        .collect();
    specs.sort_by(|a, b| b.cmp(a));
    let wanted = if quick { 4 } else { 10 };
    let mut rows = Vec::new();
    for (size, spec) in specs {
        if rows.len() == wanted {
            break;
        }
        let path = corpus.join(&spec);
        if b.progenitor_once(&path, &work.join("probe")).is_err() {
            b.log
                .push_str(&format!("- `{spec}`: cargo-progenitor fails; skipped\n"));
            continue;
        }
        b.say(&format!("vs progenitor: {spec}"));
        let (ours, theirs) = b.compare(&path, true)?;
        let our_lines = rust_lines(&work.join("ours/src"));
        let their_lines = rust_lines(&work.join("progenitor/src"));
        let our_check = b
            .check_time(&work.join("ours"), &work.join("target-ours"))
            .ok();
        let their_check = b
            .check_time(&work.join("progenitor"), &work.join("target-progenitor"))
            .ok();
        rows.push(SpecRow {
            label: spec,
            bytes: size,
            ops: operations(&path),
            ours,
            progenitor: theirs,
            our_lines,
            progenitor_lines: Some(their_lines),
            our_check,
            progenitor_check: their_check,
        });
    }
    Ok(rows)
}

/// 4. Runtime overhead (criterion medians) and pagination memory (the bench's summary line).
fn runtime(b: &mut Bench, quick: bool) -> Result<(Estimates, String)> {
    let root = b.root.clone();
    b.say("SDK overhead (criterion)");
    let (warm, measure) = if quick { ("1", "3") } else { ("2", "8") };
    run(cargo().current_dir(&root).args([
        "bench",
        "-p",
        "postpress-sdk",
        "--bench",
        "overhead",
        "--",
        "--warm-up-time",
        warm,
        "--measurement-time",
        measure,
    ]))?;
    let estimate = |group: &str, name: &str| -> Option<f64> {
        let path = root.join(format!(
            "target/criterion/{group}/{name}/new/estimates.json"
        ));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        v["median"]["point_estimate"].as_f64()
    };
    let estimates = ESTIMATES
        .iter()
        .filter_map(|(g, n)| Some((((*g).to_owned(), (*n).to_owned()), estimate(g, n)?)))
        .collect();
    b.say("pagination memory");
    let (_, memory) = run(cargo().current_dir(&root).args([
        "bench",
        "-p",
        "postpress-sdk",
        "--bench",
        "pagination_memory",
    ]))?;
    let memory = memory
        .lines()
        .find_map(|l| l.strip_prefix("pagination-memory: "))
        .unwrap_or("not measured")
        .to_owned();
    Ok((estimates, memory))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map_or("?".into(), |k| format!("{} GiB", k / 1024 / 1024));
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem} RAM; {rustc}")
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

/// `BENCHMARKS.md`: one section per measurement.
fn report(m: &Measured) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "<!-- written by `cargo xtask bench`; rerun it rather than editing -->\n# Benchmarks\n"
    );
    let _ = writeln!(
        md,
        "Machine: {}. Run: `cargo xtask bench{}` ({:.0?} in all). Timings are medians of {} runs; every comparison was measured in the same run, runs alternating between the two tools.\n",
        machine(),
        if m.quick { " --quick" } else { "" },
        m.elapsed,
        if m.quick { 3 } else { 5 }
    );
    md.push_str(&generator_section(m));
    md.push_str(&peer_section(m));
    md.push_str(&runtime_section(m));
    md
}

fn generator_section(m: &Measured) -> String {
    let mut md = String::new();
    md.push_str("## Generator speed\n\nWhole process (`target/release/xtask generate`), wall time, with the phases the generator reports. `load` is parsing the document, `format` is prettyplease: the two physical floors.\n\n");
    md.push_str("| spec | size | operations | total s | read | load | IR | emit | format | write (ms) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in &m.own {
        let p = |k: &str| {
            r.ours
                .phases
                .iter()
                .find(|(n, _)| n == k)
                .map_or("-".into(), |(_, v)| format!("{v:.0}"))
        };
        let _ = writeln!(
            md,
            "| `{}` | {:.1} MB | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.label,
            r.bytes as f64 / 1e6,
            r.ops,
            secs(r.ours.wall),
            p("read"),
            p("load"),
            p("ir"),
            p("emit"),
            p("format"),
            p("write")
        );
    }
    md
}

fn peer_section(m: &Measured) -> String {
    let mut md = String::new();
    md.push_str("\nTargets: GitHub under 3 s, Microsoft Graph under 15 s.\n\n");
    md.push_str("## Against cargo-progenitor 0.15.1\n\nThe largest specs of `dev-sample.txt` that cargo-progenitor (`--interface builder`) can generate. Chart: [docs/bench/generator.svg](docs/bench/generator.svg).\n\n");
    if m.peers.is_empty() {
        md.push_str("Not measured: cargo-progenitor is not installed (`cargo install cargo-progenitor --version 0.15.1 --locked`).\n\n");
    } else {
        md.push_str("| spec | ops | ours s | progenitor s | speed-up | lines/op ours | lines/op progenitor | check ms/op ours | check ms/op progenitor |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        let mut ratios = Vec::new();
        for r in &m.peers {
            let theirs = r.progenitor.unwrap_or_default();
            let ratio = theirs.as_secs_f64() / r.ours.wall.as_secs_f64().max(1e-9);
            ratios.push(ratio);
            let per_op = |n: usize| {
                if r.ops == 0 {
                    "-".to_owned()
                } else {
                    format!("{:.0}", n as f64 / r.ops as f64)
                }
            };
            let check = |d: Option<Duration>| {
                d.map_or("-".into(), |d| {
                    if r.ops == 0 {
                        "-".into()
                    } else {
                        format!("{:.1}", d.as_secs_f64() * 1000.0 / r.ops as f64)
                    }
                })
            };
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {:.1}x | {} | {} | {} | {} |",
                r.label,
                r.ops,
                secs(r.ours.wall),
                secs(theirs),
                ratio,
                per_op(r.our_lines),
                r.progenitor_lines.map_or("-".into(), per_op),
                check(r.our_check),
                check(r.progenitor_check)
            );
        }
        ratios.sort_by(f64::total_cmp);
        let _ = writeln!(
            md,
            "\nMedian speed-up: **{:.1}x** (target: at least 5x).\n",
            ratios[ratios.len() / 2]
        );
        if !m.log.is_empty() {
            let _ = writeln!(
                md,
                "<details><summary>{} larger specs cargo-progenitor could not generate (skipped: the comparison is on the ones it handles)</summary>\n\n{}\n</details>\n",
                m.log.lines().count(),
                m.log
            );
        }
    }
    md
}

fn runtime_section(m: &Measured) -> String {
    let mut md = String::new();
    md.push_str("## SDK overhead\n\n`cargo bench -p postpress-sdk --bench overhead` (criterion; medians): a loopback axum server answers every request with one 20-item `AccountList`; the bare baseline is `reqwest` plus `serde_json` into the same generated type. Ratio = bare time / SDK time (throughput of the SDK relative to bare). The SDK arms a per-attempt timeout timer on every request (60 s by default); the last two columns give the bare client the same timer.\n\n| case | SDK | bare reqwest | ratio | bare + same timeout | ratio |\n|---|---:|---:|---:|---:|---:|\n");
    for (group, label) in [
        ("request", "one request at a time"),
        ("request_concurrency_32", "32 concurrent requests"),
    ] {
        if let (Some(s), Some(r)) = (m.estimate(group, "sdk"), m.estimate(group, "reqwest")) {
            let timed = m.estimate(group, "reqwest_with_timeout");
            let _ = writeln!(
                md,
                "| {label} | {:.1} µs | {:.1} µs | {:.2}x | {} | {} |",
                s / 1000.0,
                r / 1000.0,
                r / s,
                timed.map_or("-".into(), |t| format!("{:.1} µs", t / 1000.0)),
                timed.map_or("-".into(), |t| format!("{:.2}x", t / s))
            );
        }
    }
    if let (Some(t), Some(v)) = (
        m.estimate("decode_account_list_250", "typed"),
        m.estimate("decode_account_list_250", "value"),
    ) {
        let _ = writeln!(
            md,
            "\nDecoding a 250-item `AccountList`: {:.0} µs into the generated types, {:.0} µs into `serde_json::Value` ({:.2}x).\n",
            t / 1000.0,
            v / 1000.0,
            t / v
        );
    }
    md.push_str("Target: at least 0.95x of bare reqwest.\n\n");
    let _ = writeln!(
        md,
        "## Pagination memory\n\n`cargo bench -p postpress-sdk --bench pagination_memory`: 100,000 items over 400 pages through `.items()`.\n\n`{}` (peak RSS over RSS after the first page; target: within 2x).\n",
        m.memory
    );
    md.push_str("## Reproduce\n\n```sh\ncargo install cargo-progenitor --version 0.15.1 --locked   # the peer\ncargo xtask corpus --list xtask/corpus/giants.txt --no-check   # fetches the corpus once\ncargo xtask bench            # everything above, about 15 minutes plus the giants' checks\ncargo xtask bench --builds   # only the compile-time section (--only graph: one giant)\ncargo bench -p openapi-sdkgen # in-process generation (criterion)\ncargo bench -p postpress-sdk # runtime overhead and pagination memory\n```\n");
    md
}

/// A grouped bar chart: generator seconds per spec, ours beside cargo-progenitor's.
fn chart_svg(path: &Path, peers: &[SpecRow], own: &[SpecRow]) -> Result<()> {
    use plotters::prelude::*;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let rows: Vec<(String, f64, Option<f64>)> = peers
        .iter()
        .chain(own.iter())
        .map(|r| {
            let name = r
                .label
                .rsplit('/')
                .next()
                .unwrap_or(&r.label)
                .trim_end_matches(".json")
                .to_owned();
            (
                name,
                r.ours.wall.as_secs_f64(),
                r.progenitor.map(|d| d.as_secs_f64()),
            )
        })
        .collect();
    let max = rows
        .iter()
        .map(|(_, a, b)| a.max(b.unwrap_or(0.0)))
        .fold(0.1, f64::max)
        * 1.1;
    let height = 60 + 28 * rows.len() as u32;
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (900, height));
        let area = backend.into_drawing_area();
        area.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let mut chart = ChartBuilder::on(&area)
            .caption("Generator wall time per spec (s): this project (blue) vs cargo-progenitor (orange)", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(230)
            .build_cartesian_2d(0.0..max, 0..rows.len())
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows.len())
            .y_label_formatter(&|i| names.get(*i).cloned().unwrap_or_default())
            .draw()
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let blue = RGBColor(52, 101, 164);
        let orange = RGBColor(230, 126, 34);
        chart
            .draw_series(
                rows.iter().enumerate().map(|(i, r)| {
                    Rectangle::new([(0.0, i), (r.1, i)], blue.filled().stroke_width(9))
                }),
            )
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        chart
            .draw_series(rows.iter().enumerate().filter_map(|(i, r)| {
                r.2.map(|t| {
                    Rectangle::new([(0.0, i), (t, i)], orange.mix(0.6).filled().stroke_width(3))
                })
            }))
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        area.present().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    write_atomic(path, svg.as_bytes())
}
