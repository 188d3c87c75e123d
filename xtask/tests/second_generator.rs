//! A second, established generator reads the document as the SDK does: openapi-generator's
//! Python client (pinned PyPI package `openapi-generator-cli`, which bundles the generator's
//! jar) must send the same wire names as the SDK's request builders (parameters, multipart
//! fields and file parts) for every operation. The work is done by
//! `tools/second-generator/compare.py`, which installs what it needs into
//! `target/second-generator/` and fails, never skips, when it cannot (no Java, no python3 venv,
//! no registry). Run it alone with `cargo test -p xtask --test second_generator`.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn openapi_generator_sends_the_same_wire_names() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let script = root.join("tools/second-generator/compare.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg("--work")
        .arg(root.join("target/second-generator"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    print!("{stdout}");
    assert!(
        out.status.success(),
        "the second generator disagrees or could not run (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    assert!(
        stdout.contains(" passed, 0 failed"),
        "no closing count:\n{stdout}"
    );
}
