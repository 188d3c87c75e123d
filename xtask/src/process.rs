//! Child processes: the nested `cargo` every command starts, and running one to completion.
//!
//! Every child gets `/dev/null` as stdin, however it is started (`output()` does that anyway,
//! `status()` and `spawn()` would hand over ours). Cargo probes rustc by piping a crate through
//! `rustc -`; an inherited stdin (a background job's, a runner's open pipe) would become that
//! crate, and cargo caches the failed probe in `target/.rustc_info.json`.

use anyhow::{Context, Result, bail};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `cargo` that runs xtask (`$CARGO`), with stdin from `/dev/null`.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to completion (`output()`: stdin is `/dev/null`): its wall time and its stdout then stderr; an error quoting the
/// first 20 lines when it fails.
pub fn run(cmd: &mut Command) -> Result<(Duration, String)> {
    let started = Instant::now();
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    let elapsed = started.elapsed();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() {
        bail!(
            "{cmd:?} failed:\n{}",
            text.lines().take(20).collect::<Vec<_>>().join("\n")
        );
    }
    Ok((elapsed, text))
}
