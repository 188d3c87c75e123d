//! `sdkgen check`: the crate a document makes now, compared with the one on disk.

use crate::generate::{CrateArgs, Rendered};
use crate::{Failure, Outcome};
use clap::Args;
use openapi_sdkgen::StaleFile;

/// Check that a generated crate is what the generator makes now; write nothing.
///
/// Takes the options the crate was generated with (`generate` and `check` take the same;
/// without `--spec`, those recorded in the crate's manifest), regenerates it in memory and compares each file, line endings normalised. Exits 1 with a
/// unified diff of each stale file (and of the names table, with `--names`).
#[derive(Args)]
pub struct Check {
    #[command(flatten)]
    pub krate: CrateArgs,
    /// Lines of diff shown per stale file at most.
    #[arg(long, default_value_t = 40)]
    pub max_diff_lines: usize,
}

impl Check {
    pub fn run(self) -> Result<Outcome, Failure> {
        let args = &self.krate.settings()?;
        let Rendered { krate, .. } = args.render()?;
        let mut stale = krate.stale(&args.out)?;
        if let Some(path) = &args.names {
            let expected = openapi_sdkgen::names_table::render(&krate.generated.names);
            let found = std::fs::read(path)
                .ok()
                .map(|b| openapi_sdkgen::normalize_line_endings(&String::from_utf8_lossy(&b)));
            if found.as_deref() != Some(expected.as_str()) {
                stale.push(StaleFile {
                    path: path.display().to_string(),
                    found,
                    expected: Some(expected),
                });
            }
        }
        if stale.is_empty() {
            println!(
                "check: {} is up to date ({} files)",
                args.out.display(),
                krate.files.len()
            );
            return Ok(Outcome::Clean);
        }
        for file in &stale {
            eprintln!("{}", describe(file, &args.out, self.max_diff_lines));
        }
        let how = match self.krate.spec {
            None => format!(
                "`sdkgen generate --out {}` regenerates it as its manifest records",
                args.out.display()
            ),
            Some(_) => "run `sdkgen generate` with the same options".to_owned(),
        };
        eprintln!(
            "check: {} of {} files of {} are stale; {how}",
            stale.len(),
            krate.files.len(),
            args.out.display()
        );
        Ok(Outcome::Found)
    }
}

/// A stale file as a unified diff from the file on disk to what the generator makes, at
/// most `max_lines` long; a file the generator no longer makes as one line.
fn describe(file: &StaleFile, dir: &std::path::Path, max_lines: usize) -> String {
    let Some(expected) = &file.expected else {
        return format!("{} is no longer generated", dir.join(&file.path).display());
    };
    let found = file.found.as_deref().unwrap_or_default();
    openapi_sdkgen::unified_diff(&file.path, found, expected, max_lines)
}
