//! `cargo xtask soak`: the long soak of the SDK runtime. It runs the SDK's own soak test (the
//! chaos server and the checks live there, once) in release with more calls, and writes the
//! figures of its `soak-report:` line into a section of `BENCHMARKS.md`, leaving the rest of
//! the file as it was.

use crate::files::write_atomic;
use crate::marked::Marked;
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::Path;

/// The section of `BENCHMARKS.md` this command writes.
const SECTION: Marked = Marked {
    start: "<!-- soak: written by `cargo xtask soak` -->",
    end: "<!-- soak: end -->",
    before: "\n## Reproduce",
};

/// Runs `requests` calls through the soak test and records the figures.
pub fn run(root: &Path, requests: usize) -> Result<()> {
    let mut cmd = crate::process::cargo();
    cmd.current_dir(root)
        .args(["test", "--release", "-p", "postpress-sdk", "--test", "soak"])
        .args(["--", "--nocapture"])
        .env("POSTPRESS_SOAK_REQUESTS", requests.to_string());
    eprintln!("soak: {requests} calls (building the test in release first)");
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("soak-report: "));
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
        bail!(
            "the soak failed{}:\n{}",
            line.map(|l| format!(" (figures: {l})")).unwrap_or_default(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    let line = line.context("the soak test printed no `soak-report:` line")?;
    let report: Value = serde_json::from_str(line).context("reading the soak report")?;
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    write_atomic(&path, with_section(&old, &section(&report)).as_bytes())?;
    println!("soak: wrote the soak section of {}", path.display());
    Ok(())
}

/// `text` with the soak section replaced by `section`, or added before `## Reproduce` (or at
/// the end) when there is none yet.
pub fn with_section(text: &str, section: &str) -> String {
    SECTION.replace(text, section)
}

/// The soak section of an old `BENCHMARKS.md`, to carry over when the rest is rewritten.
pub fn existing_section(text: &str) -> Option<String> {
    SECTION.existing(text).map(str::to_owned)
}

fn section(r: &Value) -> String {
    let n = |key: &str| r[key].as_f64().unwrap_or(f64::NAN);
    let table = |key: &str| {
        let mut rows = String::new();
        if let Some(map) = r[key].as_object() {
            for (name, count) in map {
                rows.push_str(&format!("| {name} | {count} |\n"));
            }
        }
        rows
    };
    let rss = match (
        r["rss_after_warm_up_kib"].as_u64(),
        r["peak_rss_kib"].as_u64(),
    ) {
        (Some(warm), Some(peak)) => format!(
            "RSS after warm-up {warm} KiB, peak {peak} KiB ({:.2}x; required: at most 1.5x).",
            peak as f64 / warm as f64
        ),
        _ => "RSS not measured on this platform.".into(),
    };
    format!(
        "## Soak under injected faults\n\n\
         `cargo xtask soak` (`cargo test --release -p postpress-sdk --test soak` with \
         `POSTPRESS_SOAK_REQUESTS`): {calls} calls at concurrency {conc} against the project's \
         chaos server on 127.0.0.1 (seed {seed}); 60% GET, 30% POST with an idempotency key, \
         10% POST without one. {received} requests reached the server over {conns} connections: \
         {retries} retries; {share:.1}% of requests were hit by a fault.\n\n\
         | fault injected | requests |\n|---|---:|\n{faults}\n\
         | outcome | calls |\n|---|---:|\n{outcomes}\n\
         Logical POSTs applied twice: **{twice}**; successful calls not applied exactly once: \
         **{wrong}**; errors other than a typed API or connection error: **{unexpected}**.\n\n\
         Latency per call, retries included: p50 {p50:.1} ms, p99 {p99:.1} ms; {wall:.1} s in \
         all. {rss}\n",
        calls = r["calls"],
        conc = r["concurrency"],
        seed = r["seed"],
        received = r["requests_received"],
        conns = r["connections"],
        retries = r["retries"],
        share = n("fault_share") * 100.0,
        faults = table("faults"),
        outcomes = table("outcomes"),
        twice = r["applied_twice"],
        wrong = r["success_not_applied_once"],
        unexpected = r["unexpected_errors"],
        p50 = n("p50_ms"),
        p99 = n("p99_ms"),
        wall = n("wall_s"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_is_added_once_then_replaced_in_place() {
        let doc = "# Benchmarks\n\n## SDK overhead\n\nx\n\n## Reproduce\n\ncmd\n";
        let once = with_section(doc, "## Soak\n\nfirst\n");
        assert!(once.contains("first"));
        assert!(once.find("## Soak").unwrap() < once.find("## Reproduce").unwrap());
        let twice = with_section(&once, "## Soak\n\nsecond\n");
        assert!(!twice.contains("first") && twice.contains("second"));
        assert_eq!(twice.matches(SECTION.start).count(), 1);
        assert!(twice.ends_with("## Reproduce\n\ncmd\n"), "{twice}");
        assert_eq!(
            existing_section(&twice).as_deref(),
            Some("## Soak\n\nsecond")
        );
    }
}
