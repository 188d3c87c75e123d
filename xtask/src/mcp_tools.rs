//! `cargo xtask corpus --mcp`: the MCP tool table of each document. The crate is generated
//! with `--mcp` and built with its `mcp` feature; the table's own tests run in it (the test
//! file `generated_crates.rs` uses too: every tool named once, every input schema standing
//! alone, a call missing a required argument refused by name before anything is sent); and
//! every input schema is validated by Ajv against the JSON Schema 2020-12 meta-schema
//! (`tools/check-tool-schemas.mjs`), a checker the generator did not write.

use crate::conformance::{self, Crate};
use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::process::Command;

/// The table's tests, shared with `xtask/tests/generated_crates.rs`.
const TABLE_TESTS: &str = include_str!("../tests/generated_crates_input/mcp_tools.rs");

/// What one document's tool table did.
#[derive(Debug, Default, Clone)]
pub struct McpTools {
    pub tools: usize,
    /// Tools whose input schema Ajv refused: (tool, what it said).
    pub invalid: Vec<(String, String)>,
}

/// Builds the crate with its `mcp` feature, runs the table's tests, and validates every input
/// schema.
pub fn run(krate: &Crate<'_>) -> Result<McpTools> {
    prepare(krate)?;
    let work = krate.dir.join("mcp");
    std::fs::create_dir_all(&work)?;
    let schemas_path = work.join("schemas.json");
    let _ = std::fs::remove_file(&schemas_path);
    conformance::test_in_crate(
        krate,
        "mcp_tools",
        "mcp",
        &[("MCP_TOOL_SCHEMAS", &schemas_path)],
    )?;
    let out = Command::new("node")
        .arg(krate.root.join("tools/check-tool-schemas.mjs"))
        .arg(&schemas_path)
        .output()
        .context("running node (is Node.js installed?)")?;
    if !out.status.success() {
        bail!(
            "check-tool-schemas.mjs failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or_default()
        );
    }
    let answer: Value =
        serde_json::from_slice(&out.stdout).context("reading check-tool-schemas.mjs's answer")?;
    let invalid = answer["invalid"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            let text = |key: &str| i[key].as_str().unwrap_or_default().to_owned();
            (text("tool"), text("errors"))
        })
        .collect();
    Ok(McpTools {
        tools: answer["tools"].as_u64().unwrap_or_default() as usize,
        invalid,
    })
}

/// Writes the table's tests beside the generated crate, with the dev-dependencies they use.
fn prepare(krate: &Crate<'_>) -> Result<()> {
    let tests = krate.dir.join("tests");
    std::fs::create_dir_all(&tests)?;
    std::fs::write(
        tests.join("mcp_tools.rs"),
        TABLE_TESTS.replace("the_crate", krate.rust_name),
    )?;
    let manifest_path = krate.dir.join("Cargo.toml");
    let mut manifest = std::fs::read_to_string(&manifest_path)?;
    // Versions as in the workspace (its lock file, copied beside the crate, pins them).
    let wanted = [
        ("tokio", r#"tokio = { version = "1", features = ["full"] }"#),
        ("serde_json", r#"serde_json = "1""#),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(name, _)| !manifest.contains(&format!("\n{name} = ")))
        .map(|(_, line)| *line)
        .collect();
    if !missing.is_empty() {
        let lines = missing.join("\n");
        match manifest.find("[dev-dependencies]\n") {
            Some(at) => {
                let after = at + "[dev-dependencies]\n".len();
                manifest.insert_str(after, &format!("{lines}\n"));
            }
            None => manifest.push_str(&format!("\n[dev-dependencies]\n{lines}\n")),
        }
        std::fs::write(&manifest_path, manifest)?;
    }
    Ok(())
}

/// Tool-table figures over all documents of a run.
#[derive(Default)]
pub struct Totals {
    pub documents: usize,
    pub failed_runs: usize,
    pub tools: usize,
    pub invalid: usize,
}

impl Totals {
    pub fn of<'a>(runs: impl IntoIterator<Item = Option<&'a Result<McpTools, String>>>) -> Self {
        let mut t = Self::default();
        for run in runs.into_iter().flatten() {
            t.documents += 1;
            match run {
                Ok(m) => {
                    t.tools += m.tools;
                    t.invalid += m.invalid.len();
                }
                Err(_) => t.failed_runs += 1,
            }
        }
        t
    }

    pub fn summary(&self) -> String {
        format!(
            "{} documents, {} tools: input schemas valid (JSON Schema 2020-12, Ajv) {}, invalid {}; table builds or tests failed {}",
            self.documents,
            self.tools,
            self.tools - self.invalid,
            self.invalid,
            self.failed_runs
        )
    }
}
