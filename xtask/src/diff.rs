//! `diff` as this repository runs it: the comparison is the library's
//! ([`openapi_sdkgen::diff`]); here are the repository's facts it needs (the SDK's version, the
//! committed spec).

use anyhow::Result;
use openapi_sdkgen::diff::Report;
use serde_json::Value;
use std::path::Path;

/// `cargo xtask diff OLD NEW`: the report, printed, for the SDK at its version, with the
/// names `pins` pins.
pub fn run(
    old: &Path,
    new: &Path,
    crate_name: &str,
    version: &str,
    pins: &openapi_sdkgen::Names,
) -> Result<Report> {
    let report = openapi_sdkgen::diff::files(old, new, pins)?;
    print!("{}", report.render(crate_name, version));
    Ok(report)
}

/// The SDK crate's version, from its manifest.
pub fn sdk_version(root: &Path) -> String {
    std::fs::read_to_string(root.join("postpress-sdk/Cargo.toml"))
        .ok()
        .and_then(|text| manifest_version(&text))
        .unwrap_or_else(|| "0.0.0".into())
}

/// The `version = "…"` of a package manifest's text.
pub fn manifest_version(manifest: &str) -> Option<String> {
    manifest.lines().find_map(|l| {
        l.strip_prefix("version = \"")?
            .strip_suffix('"')
            .map(str::to_owned)
    })
}

/// A file as the last commit has it (`git show HEAD:<path>`); `None` without git, without a
/// commit, or when the commit has no such file.
pub fn at_head(root: &Path, path: &str) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("HEAD:{path}")])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What changed between the committed spec (`git show HEAD:<spec>`) and `current`; `None`
/// when git or the commit is unavailable (a fresh export, say).
pub fn against_head(root: &Path, spec: &str, current: &Value) -> Option<Report> {
    let old = openapi_sdkgen::parse_value(at_head(root, spec)?.as_bytes()).ok()?;
    Some(openapi_sdkgen::diff::compare(&old, current))
}
