//! The instances `cargo xtask corpus --conformance` decodes, from json-schema-faker
//! (`tools/conformance-instances.mjs`), under a budget so no document can stall a corpus run.
//!
//! Three limits, each reported, none silent:
//! - a document with more than [`MAX_SCHEMAS`] schemas has a sample of them checked, chosen by
//!   a seeded hash of each pointer (deterministic, and stable when schemas are added);
//! - a schema whose instances take longer than [`SCHEMA_TIMEOUT`] (one json-schema-faker call
//!   can run for minutes on a deep, wide schema) has its process killed, is counted as timed
//!   out, and the run goes on with the next schema in a new process;
//! - once a document has spent [`DOCUMENT_BUDGET`], the schemas not yet done are counted as
//!   not reached.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::io::BufRead as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The most schemas of one document that are checked.
pub const MAX_SCHEMAS: usize = 300;
/// The longest one schema's instances may take before its process is killed.
pub const SCHEMA_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest one document's instances may take in all.
pub const DOCUMENT_BUDGET: Duration = Duration::from_secs(600);

/// What json-schema-faker made for one document.
#[derive(Debug, Default)]
pub struct Instances {
    /// Per pointer: `{"instances": [...], "failures": n, "failure": "..."}`.
    pub entries: serde_json::Map<String, Value>,
    /// Schemas the document has (component and response body schemas).
    pub schemas: usize,
    /// Schemas asked for (all of them, or the sample).
    pub sampled: usize,
    /// Schemas whose process was killed at [`SCHEMA_TIMEOUT`], in order.
    pub timed_out: Vec<String>,
    /// Schemas not started before [`DOCUMENT_BUDGET`] ran out.
    pub not_reached: usize,
}

/// The pointers checked: all of them when there are at most `max`, else the `max` whose
/// seeded hash is smallest, in their original order.
pub fn sample(pointers: &[String], max: usize, seed: u32) -> Vec<String> {
    if pointers.len() <= max {
        return pointers.to_vec();
    }
    let mut ranked: Vec<(u64, usize)> = pointers
        .iter()
        .enumerate()
        .map(|(i, p)| (fnv1a(seed, p), i))
        .collect();
    ranked.sort_unstable();
    let mut chosen: Vec<usize> = ranked.into_iter().take(max).map(|(_, i)| i).collect();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| pointers[i].clone()).collect()
}

/// FNV-1a (64 bits) of the seed and the text: a fixed hash, unlike std's, across runs and
/// versions.
fn fnv1a(seed: u32, text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.to_le_bytes().iter().chain(text.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// How a run of instances is asked for and limited.
pub struct Request<'a> {
    pub document: &'a Value,
    pub pointers: &'a [String],
    pub count: usize,
    pub seed: u32,
    /// The `conformance-instances.mjs` to run.
    pub script: &'a Path,
    /// A scratch folder.
    pub work: &'a Path,
    pub max_schemas: usize,
    pub schema_timeout: Duration,
    pub document_budget: Duration,
}

/// Runs json-schema-faker over the sampled pointers, restarting it past any schema that
/// times out.
pub fn make(request: &Request<'_>) -> Result<Instances> {
    let chosen = sample(request.pointers, request.max_schemas, request.seed);
    let mut made = Instances {
        schemas: request.pointers.len(),
        sampled: chosen.len(),
        ..Instances::default()
    };
    let document_path = request.work.join("document.json");
    std::fs::write(&document_path, serde_json::to_vec(request.document)?)?;
    let started = Instant::now();
    let mut remaining: &[String] = &chosen;
    while !remaining.is_empty() {
        let left = request.document_budget.saturating_sub(started.elapsed());
        if left.is_zero() {
            made.not_reached = remaining.len();
            break;
        }
        let (stop, answered) =
            run_until_stalled(request, &document_path, remaining, left, &mut made)?;
        remaining = &remaining[answered.min(remaining.len())..];
        match stop {
            Stop::Finished if remaining.is_empty() => {}
            Stop::Finished => bail!(
                "json-schema-faker ended with {} of {} schemas unanswered",
                remaining.len(),
                chosen.len()
            ),
            Stop::SchemaTimedOut => {
                if let Some((first, rest)) = remaining.split_first() {
                    made.timed_out.push(first.clone());
                    remaining = rest;
                }
            }
            Stop::BudgetSpent => {
                made.not_reached = remaining.len();
                break;
            }
        }
    }
    let _ = std::fs::remove_file(&document_path);
    Ok(made)
}

enum Stop {
    /// The process answered every pointer it was given.
    Finished,
    /// No answer came for [`Request::schema_timeout`]: the next pointer is the culprit.
    SchemaTimedOut,
    /// The document's budget ran out.
    BudgetSpent,
}

/// One json-schema-faker process over `pointers`, collecting its lines into `made` until it
/// ends, stalls on one schema, or `left` runs out; a process that is stopped is killed.
/// Returns why it stopped and how many pointers (the first ones) it answered.
fn run_until_stalled(
    request: &Request<'_>,
    document_path: &Path,
    pointers: &[String],
    left: Duration,
    made: &mut Instances,
) -> Result<(Stop, usize)> {
    let request_path = request.work.join("request.json");
    let body = serde_json::json!({
        "pointers": pointers,
        "count": request.count,
        "seed": request.seed,
    });
    std::fs::write(&request_path, serde_json::to_vec(&body)?)?;
    let stderr_path = request.work.join("instances.stderr");
    let mut child = Command::new("node")
        .arg(request.script)
        .arg(document_path)
        .arg(&request_path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_path)?)
        .spawn()
        .context("running node (is Node.js installed?)")?;
    let stdout = child.stdout.take().context("node's standard output")?;
    let (lines, received) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + left;
    let mut answered = 0;
    let stop = loop {
        let now = Instant::now();
        if now >= deadline {
            break Stop::BudgetSpent;
        }
        match received.recv_timeout(request.schema_timeout.min(deadline - now)) {
            Ok(line) => {
                let mut entry: serde_json::Map<String, Value> =
                    serde_json::from_str(&line).context("reading json-schema-faker's output")?;
                let pointer = match entry.remove("pointer") {
                    Some(Value::String(p)) => p,
                    _ => bail!("json-schema-faker's output line names no pointer"),
                };
                made.entries.insert(pointer, Value::Object(entry));
                answered += 1;
            }
            Err(RecvTimeoutError::Timeout) if Instant::now() >= deadline => {
                break Stop::BudgetSpent;
            }
            Err(RecvTimeoutError::Timeout) => break Stop::SchemaTimedOut,
            Err(RecvTimeoutError::Disconnected) => break Stop::Finished,
        }
    };
    if !matches!(stop, Stop::Finished) {
        // Only this child, which this function started.
        let _ = child.kill();
    }
    let status = child.wait()?;
    let _ = reader.join();
    if matches!(stop, Stop::Finished) && !status.success() {
        let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        bail!(
            "json-schema-faker failed (run `npm ci --prefix tools` first?): {}",
            stderr
                .lines()
                .find(|l| l.contains("Error"))
                .unwrap_or_default()
        );
    }
    let _ = std::fs::remove_file(&stderr_path);
    let _ = std::fs::remove_file(&request_path);
    Ok((stop, answered))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for json-schema-faker with the same protocol: one instance per pointer,
    /// except that it loops forever on a pointer ending in `Hangs` and exits on one ending
    /// in `Exits`.
    const FAKE: &str = r#"
import { readFileSync, writeSync } from 'node:fs';
const { pointers } = JSON.parse(readFileSync(process.argv[3], 'utf8'));
for (const pointer of pointers) {
  if (pointer.endsWith('Hangs')) for (;;) {}
  if (pointer.endsWith('Exits')) process.exit(0);
  writeSync(1, JSON.stringify({ pointer, instances: [pointer.length], failures: 0, failure: '' }) + '\n');
}
"#;

    fn run_fake(names: &[&str], schema_timeout: Duration, budget: Duration) -> Result<Instances> {
        let dir = tempfile::tempdir()?;
        let script = dir.path().join("fake.mjs");
        std::fs::write(&script, FAKE)?;
        let pointers: Vec<String> = names
            .iter()
            .map(|n| format!("#/components/schemas/{n}"))
            .collect();
        make(&Request {
            document: &serde_json::json!({}),
            pointers: &pointers,
            count: 1,
            seed: 19,
            script: &script,
            work: dir.path(),
            max_schemas: MAX_SCHEMAS,
            schema_timeout,
            document_budget: budget,
        })
    }

    #[test]
    fn a_schema_that_hangs_is_killed_and_counted_and_the_others_are_still_made() {
        let made = run_fake(
            &["A", "Hangs", "B", "AlsoHangs", "C"],
            Duration::from_secs(2),
            Duration::from_secs(600),
        )
        .expect("the run ends");
        assert_eq!(
            made.timed_out,
            [
                "#/components/schemas/Hangs",
                "#/components/schemas/AlsoHangs"
            ]
        );
        let made_for: Vec<&str> = made.entries.keys().map(String::as_str).collect();
        assert_eq!(
            made_for,
            [
                "#/components/schemas/A",
                "#/components/schemas/B",
                "#/components/schemas/C"
            ]
        );
        assert_eq!((made.schemas, made.sampled, made.not_reached), (5, 5, 0));
    }

    #[test]
    fn schemas_left_when_the_document_budget_runs_out_are_counted_as_not_reached() {
        let made = run_fake(
            &["A", "Hangs", "B", "C"],
            Duration::from_secs(600),
            Duration::from_secs(2),
        )
        .expect("the run ends");
        assert_eq!(made.entries.len(), 1);
        assert!(made.timed_out.is_empty());
        assert_eq!(made.not_reached, 3);
    }

    #[test]
    fn a_generator_that_stops_answering_is_an_error() {
        let err = run_fake(
            &["A", "Exits", "B"],
            Duration::from_secs(60),
            Duration::from_secs(600),
        )
        .expect_err("two schemas unanswered");
        assert!(err.to_string().contains("2 of 3"), "{err}");
    }

    fn pointers(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("#/components/schemas/S{i}"))
            .collect()
    }

    #[test]
    fn a_small_document_is_checked_whole() {
        let all = pointers(5);
        assert_eq!(sample(&all, 5, 19), all);
    }

    #[test]
    fn a_sample_is_deterministic_in_document_order_and_stable_when_schemas_are_added() {
        let all = pointers(100);
        let chosen = sample(&all, 10, 19);
        assert_eq!(chosen.len(), 10);
        assert_eq!(chosen, sample(&all, 10, 19));
        let positions: Vec<usize> = chosen
            .iter()
            .map(|p| all.iter().position(|q| q == p).unwrap_or(usize::MAX))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        // A schema added to the document displaces at most one of those chosen.
        let mut more = all.clone();
        more.push("#/components/schemas/Added".into());
        let again = sample(&more, 10, 19);
        let kept = chosen.iter().filter(|p| again.contains(p)).count();
        assert!(kept >= 9, "{kept}");
        assert_ne!(chosen, sample(&all, 10, 20), "the seed picks the sample");
    }
}
