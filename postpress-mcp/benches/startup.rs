//! Startup: from spawning `postpress-mcp` to the answer of its first `tools/list` over stdio
//! (initialize, the initialized notification, then tools/list, as an agent host starts it).
//! The baseline in the same run is the same binary started for `--version`: the cost of
//! starting the process at all, which an agent host pays for any server.
//!
//! `cargo bench -p postpress-mcp --bench startup`

use criterion::{Criterion, criterion_group, criterion_main};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_postpress-mcp");

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"startup-bench","version":"0"}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
const LIST: &str = r#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#;

/// Starts the server, lists its tools, and returns how many it listed.
fn first_tools_list() -> usize {
    let mut child = Command::new(BINARY)
        // Never contacted: listing tools sends nothing to the API.
        .env("POSTPRESS_API_KEY", "pp_test_startup")
        .env("POSTPRESS_BASE_URL", "http://127.0.0.1:9/v1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("postpress-mcp starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    writeln!(stdin, "{INITIALIZE}").expect("initialize sent");
    let _ = lines
        .next()
        .expect("an initialize answer")
        .expect("readable");
    writeln!(stdin, "{INITIALIZED}\n{LIST}").expect("tools/list sent");
    let answer = lines
        .next()
        .expect("a tools/list answer")
        .expect("readable");
    drop(stdin);
    let _ = child.wait();
    let answer: serde_json::Value = serde_json::from_str(&answer).expect("JSON-RPC");
    answer["result"]["tools"].as_array().map_or(0, Vec::len)
}

fn startup(c: &mut Criterion) {
    assert_eq!(first_tools_list(), 61, "every operation is a tool");
    let mut g = c.benchmark_group("startup");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    g.bench_function("to_first_tools_list", |b| b.iter(first_tools_list));
    g.bench_function("baseline_version", |b| {
        b.iter(|| {
            let status = Command::new(BINARY)
                .arg("--version")
                .stdout(Stdio::null())
                .status()
                .expect("runs");
            assert!(status.success());
        })
    });
    g.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
