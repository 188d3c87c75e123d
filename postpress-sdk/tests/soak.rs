//! Soak: thousands of calls at concurrency 64 against the chaos server, a quarter of the
//! requests hit by a fault drawn with a fixed seed (resets before and after the request is read,
//! closes without an answer, 502/503, 429 with `Retry-After`, slow and truncated bodies, kept-
//! alive connections closed while idle).
//!
//! Required: every call ends in success or a typed error; no logical POST is applied twice;
//! every successful POST was applied exactly once; no panic; peak RSS within 1.5x of the RSS
//! after warm-up. 2,000 calls by default (a few seconds); `POSTPRESS_SOAK_REQUESTS` sets the
//! count, and `cargo xtask soak` runs 10,000 in release and writes the figures printed on the
//! `soak-report:` line into BENCHMARKS.md.

mod chaos;

use chaos::{ChaosServer, Fault, FaultPlan};
use futures_util::StreamExt;
use postpress_sdk::engine::{ApiClient as _, Method, Request, TransportFault};
use postpress_sdk::{Client, Error, RetryPolicy, types};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const SEED: u64 = 18;
const FAULT_RATE: f64 = 0.25;
const CONCURRENCY: usize = 64;

/// The three kinds of call the soak mixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Call {
    /// `GET /accounts/{id}`: retried after any transient fault.
    Get,
    /// A generated POST, which always carries an idempotency key: retried.
    KeyedPost,
    /// A POST without a key, through the engine: never sent twice.
    UnkeyedPost,
}

impl Call {
    fn of(i: usize) -> Call {
        match i % 10 {
            0..=5 => Call::Get,
            6..=8 => Call::KeyedPost,
            _ => Call::UnkeyedPost,
        }
    }
}

/// How a call ended.
struct Ended {
    call: Call,
    id: String,
    result: Result<(), Error>,
    latency: Duration,
}

fn requests() -> usize {
    std::env::var("POSTPRESS_SOAK_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

async fn one_call(client: &Client, i: usize) -> Ended {
    let call = Call::of(i);
    let id = format!("soak-{i}");
    let started = Instant::now();
    let result = match call {
        Call::Get => client.accounts().get("acc_1").send().await.map(drop),
        Call::KeyedPost => client
            .posts()
            .add_reaction(types::AddPostReactionRequest::new(
                types::AddPostReactionRequestRequired {
                    account_id: "acc_1".into(),
                    post_id: id.clone(),
                },
            ))
            .send()
            .await
            .map(drop),
        Call::UnkeyedPost => {
            let mut req = Request::new(Method::POST, "/posts/reaction");
            req.json_body(&serde_json::json!({ "post_id": id }))
                .expect("a JSON body");
            client.engine().execute(req).await.map(drop)
        }
    };
    Ended {
        call,
        id,
        result,
        latency: started.elapsed(),
    }
}

/// A name for how a call ended, or `None` for an error the soak does not expect (untyped
/// in spirit: a decode error, a configuration error, a fault of unknown kind).
fn outcome(result: &Result<(), Error>) -> Option<String> {
    let err = match result {
        Ok(()) => return Some("ok".into()),
        Err(e) => e,
    };
    if let Some(status) = err.as_api().map(|a| a.status.as_u16()) {
        return matches!(status, 429 | 502 | 503).then(|| format!("api_{status}"));
    }
    match err.transport_fault() {
        Some(TransportFault::ConnectionLost) => Some("connection_lost".into()),
        Some(TransportFault::BodyCutShort) => Some("body_cut_short".into()),
        _ => None,
    }
}

/// Resident set size now and at its peak, in KiB (Linux; `None` elsewhere).
fn rss_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(rank).copied().unwrap_or_default()
}

/// Running totals: each call is folded in as it ends, so that the harness itself does not
/// grow with the number of calls (the soak measures memory).
#[derive(Default)]
struct Tally {
    calls: usize,
    outcomes: BTreeMap<String, usize>,
    unexpected: Vec<String>,
    applied_wrongly: Vec<String>,
    latencies: Vec<Duration>,
}

impl Tally {
    fn add(&mut self, e: Ended, server: &ChaosServer) {
        self.calls += 1;
        self.latencies.push(e.latency);
        match outcome(&e.result) {
            Some(name) => *self.outcomes.entry(name).or_default() += 1,
            None => self
                .unexpected
                .push(format!("{:?} {}: {:?}", e.call, e.id, e.result)),
        }
        // A POST that succeeded was applied before its answer left the server.
        if e.call != Call::Get && e.result.is_ok() && server.applied(&e.id) != 1 {
            let n = server.applied(&e.id);
            self.applied_wrongly.push(format!("{} applied {n}", e.id));
        }
    }
}

async fn run(
    client: &Client,
    server: &ChaosServer,
    range: std::ops::Range<usize>,
    tally: &mut Tally,
) {
    let mut ended = futures_util::stream::iter(range)
        .map(|i| one_call(client, i))
        .buffer_unordered(CONCURRENCY);
    while let Some(e) = ended.next().await {
        tally.add(e, server);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_call_ends_typed_and_nothing_is_applied_twice() {
    let total = requests();
    let server = ChaosServer::start(FaultPlan::seeded(SEED, FAULT_RATE)).await;
    let client = Client::builder()
        .api_key("pp_test_soak")
        .base_url(&server.url)
        .retry_policy(RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(2),
        })
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");

    let started = Instant::now();
    let mut tally = Tally {
        latencies: Vec::with_capacity(total),
        ..Tally::default()
    };
    // Warm-up: every path (faults, retries, new connections) has run and the allocator has
    // settled before the baseline is taken.
    let warm_up = (total / 5).max(CONCURRENCY);
    run(&client, &server, 0..warm_up, &mut tally).await;
    let rss_after_warm_up = rss_kib("VmRSS:");
    run(&client, &server, warm_up..total, &mut tally).await;
    let peak_rss = rss_kib("VmHWM:");
    let wall = started.elapsed();
    let Tally {
        calls,
        outcomes,
        unexpected,
        applied_wrongly,
        mut latencies,
    } = tally;
    let twice = server.applied_twice();
    let faults = server.faults();
    let faulty: usize = faults
        .iter()
        .filter(|(f, _)| **f != Fault::None)
        .map(|(_, n)| n)
        .sum();
    let arrivals = server.arrivals();
    latencies.sort();

    let report = serde_json::json!({
        "calls": calls,
        "concurrency": CONCURRENCY,
        "seed": SEED,
        "requests_received": arrivals,
        "connections": server.connections(),
        "retries": arrivals.saturating_sub(calls),
        "faults": faults.iter().map(|(f, n)| (f.name(), *n)).collect::<BTreeMap<_, _>>(),
        "fault_share": faulty as f64 / arrivals.max(1) as f64,
        "outcomes": outcomes,
        "unexpected_errors": unexpected.len(),
        "applied_twice": twice.len(),
        "success_not_applied_once": applied_wrongly.len(),
        "p50_ms": percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        "p99_ms": percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        "wall_s": wall.as_secs_f64(),
        "rss_after_warm_up_kib": rss_after_warm_up,
        "peak_rss_kib": peak_rss,
    });
    println!("soak-report: {report}");

    assert_eq!(calls, total, "every call ended");
    assert!(
        unexpected.is_empty(),
        "untyped or unexpected errors: {unexpected:#?}"
    );
    assert!(twice.is_empty(), "applied twice: {twice:?}");
    assert!(applied_wrongly.is_empty(), "{applied_wrongly:?}");
    assert!(
        faulty as f64 >= 0.2 * arrivals as f64,
        "at least 20% of requests faulted: {faulty} of {arrivals}"
    );
    if let (Some(warm), Some(peak)) = (rss_after_warm_up, peak_rss) {
        assert!(
            peak as f64 <= 1.5 * warm as f64,
            "peak RSS {peak} KiB over 1.5x the {warm} KiB after warm-up"
        );
    }
}
