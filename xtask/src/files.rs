//! The checkout the tasks work on ([`workspace_root`]), and the library's file helpers as the
//! tasks use them: atomic writes (anyhow errors), line-ending normalisation, unified diffs.
//! Write-if-changed and check mode live with their users (`regen`, the library's crate sync).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// The checkout `cargo xtask` was run in, found at run time. A path baked in at compile time
/// would be wrong whenever clones share a `CARGO_TARGET_DIR`: cargo then reuses the binary built
/// in one clone for another, and it would read and rewrite the first clone's files.
pub fn workspace_root() -> Result<PathBuf> {
    // `cargo run` (so `cargo xtask`) names the package it runs in the process's environment.
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR")
        && let Some(root) = Path::new(&dir).parent()
        && is_checkout(root)
    {
        return Ok(root.to_path_buf());
    }
    let cwd = std::env::current_dir().context("reading the current directory")?;
    cwd.ancestors()
        .find(|dir| is_checkout(dir))
        .map(Path::to_path_buf)
        .with_context(|| {
            format!(
                "{} is not inside a checkout of this repository (no Cargo.toml with an xtask/ \
                 beside it in any parent folder); run from inside one or pass --root DIR",
                cwd.display()
            )
        })
}

fn is_checkout(dir: &Path) -> bool {
    dir.join("Cargo.toml").is_file() && dir.join("xtask/Cargo.toml").is_file()
}

/// Writes `contents` to `path` atomically: the library's [`openapi_sdkgen::write_atomic`] (temp
/// file in the same folder, then rename), as every generated file is written.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    Ok(openapi_sdkgen::write_atomic(path, contents)?)
}

/// Normalises line endings so a checkout with CRLF does not look stale.
pub fn normalize(text: &str) -> String {
    openapi_sdkgen::normalize_line_endings(text)
}

/// A short unified diff between the file on disk and the expected text.
pub use openapi_sdkgen::unified_diff;
