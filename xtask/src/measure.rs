//! Measurements `bench` and `bench_builds` share: lines of generated code, operations of a
//! document, the SDK's own build times, and the median every timing is reported as.

use crate::process::{cargo, run};
use anyhow::Result;
use std::path::Path;
use std::time::Duration;

/// The median of some timings (the upper one of an even count), `None` for none.
pub fn median(mut times: Vec<Duration>) -> Option<Duration> {
    times.sort();
    times.get(times.len() / 2).copied()
}

/// The SDK's size and build times.
pub struct SdkBuild {
    /// Every `.rs` line of `src/generated`.
    pub lines: usize,
    /// The lines a default build compiles: without the modules `src/generated/mod.rs` gates
    /// behind a `#[cfg(..)]` (the `mock` feature's stubs, the test-only example checks).
    pub default_lines: usize,
    pub ops: usize,
    pub clean: Duration,
    pub incremental: Duration,
}

/// The SDK's own build: from clean (dependencies built) and after touching one module.
pub fn sdk_build(root: &Path, target: Option<&Path>) -> Result<SdkBuild> {
    let cargo_in = |args: &[&str]| {
        let mut c = cargo();
        c.current_dir(root).args(args);
        if let Some(t) = target {
            c.env("CARGO_TARGET_DIR", t);
        }
        run(&mut c)
    };
    let build = || cargo_in(&["build", "--quiet", "-p", "postpress-sdk"]);
    build()?;
    cargo_in(&["clean", "--quiet", "-p", "postpress-sdk"])?;
    let (clean, _) = build()?;
    let module = root.join("postpress-sdk/src/generated/accounts.rs");
    let text = std::fs::read(&module)?;
    std::fs::write(&module, &text)?;
    let (incremental, _) = build()?;
    let generated = root.join("postpress-sdk/src/generated");
    let lines = rust_lines(&generated);
    Ok(SdkBuild {
        lines,
        default_lines: lines - gated_module_lines(&generated),
        ops: operations(&root.join("specs/postpress.json")),
        clean,
        incremental,
    })
}

/// Lines of every `.rs` file under `dir` (`target` folders skipped).
pub fn rust_lines(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|f| f != "target") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "rs") {
                n += std::fs::read_to_string(&p)
                    .map(|s| s.lines().count())
                    .unwrap_or(0);
            }
        }
    }
    n
}

/// The lines of the modules `dir/mod.rs` declares right under a `#[cfg(..)]` attribute.
fn gated_module_lines(dir: &Path) -> usize {
    let Ok(root) = std::fs::read_to_string(dir.join("mod.rs")) else {
        return 0;
    };
    let lines: Vec<&str> = root.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|w| w[0].starts_with("#[cfg("))
        .filter_map(|w| {
            let name = w[1].strip_prefix("pub ").unwrap_or(w[1]);
            name.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_owned)
        })
        .map(|module| {
            std::fs::read_to_string(dir.join(format!("{module}.rs")))
                .map(|s| s.lines().count())
                .unwrap_or(0)
        })
        .sum()
}

pub fn operations(spec: &Path) -> usize {
    let Ok(bytes) = std::fs::read(spec) else {
        return 0;
    };
    let Ok(doc) = openapi_sdkgen::parse_value(&bytes) else {
        return 0;
    };
    doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .filter(|(m, _)| {
            [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&m.as_str())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_or_the_upper_middle() {
        let s = Duration::from_secs;
        assert_eq!(median(vec![s(3), s(1), s(2)]), Some(s(2)));
        assert_eq!(median(vec![s(4), s(1), s(3), s(2)]), Some(s(3)));
        assert_eq!(median(Vec::new()), None);
    }
}
