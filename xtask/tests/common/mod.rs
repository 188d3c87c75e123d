//! Helpers the xtask integration tests share.

use std::path::Path;

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
