//! Helpers the xtask integration tests share.

use std::path::{Path, PathBuf};

/// Copies the tree `from` into `to` (created if missing), leaving out build output (`target`).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

/// The `cargo` running the tests, with stdin from `/dev/null`: cargo's rustc probe reads stdin,
/// and an inherited one (a background job's) makes it fail.
#[allow(dead_code)] // not every test crate that includes this module starts cargo
pub fn cargo() -> std::process::Command {
    let mut cmd =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.stdin(std::process::Stdio::null());
    cmd
}

/// Copies the workspace at `root` into `scratch` (cleared first): every member the root
/// manifest lists, with the root `Cargo.toml` and `Cargo.lock`, so the copy builds with the
/// same pinned dependencies. A member added to the workspace is copied without a change here.
#[allow(dead_code)] // not every test crate that includes this module copies the workspace
pub fn copy_workspace(root: &Path, scratch: &Path) {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch).expect("clear the previous copy");
    }
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .expect("the root manifest")
        .parse()
        .expect("the root manifest is TOML");
    let members = manifest["workspace"]["members"]
        .as_array()
        .expect("[workspace] members");
    for member in members {
        let dir: PathBuf = member.as_str().expect("a member path").into();
        copy_tree(&root.join(&dir), &scratch.join(&dir));
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(root.join(file), scratch.join(file)).expect("copy manifest");
    }
}
