//! `sdkgen`: the generator on the command line. `generate` writes a standalone client crate
//! for an OpenAPI document, `check` tells whether such a crate is what the generator makes now,
//! and `diff` reports what changed between two documents and the version bump it implies.
//! Each command is a small type with a `run` in its own module; the work is the library's.

mod check;
mod diff;
mod generate;
mod recorded;

use clap::{Parser, Subcommand};
use openapi_sdkgen::FileError;
use recorded::SettingsError;
use std::fmt;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "sdkgen",
    version,
    about = "OpenAPI 3.x document -> typed async Rust client crate",
    after_help = "Exit status: 0 when all is well, 1 when `check` finds stale files or \
                  `diff --fail-on-breaking` a breaking change, 2 on an error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Generate(generate::Generate),
    Check(check::Check),
    Diff(diff::Diff),
}

/// How a command that ran to the end came out.
enum Outcome {
    /// Nothing to report.
    Clean,
    /// What the command looks for was found: stale files, breaking changes (exit status 1).
    Found,
}

/// Why a command stopped (exit status 2).
#[derive(Debug)]
enum Failure {
    /// A file could not be read or written, or the generator rejected the document.
    File(FileError),
    /// The crate's settings could not be had.
    Settings(SettingsError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::File(e) => e.fmt(f),
            Failure::Settings(e) => e.fmt(f),
        }
    }
}

impl From<FileError> for Failure {
    fn from(e: FileError) -> Self {
        Failure::File(e)
    }
}

impl From<SettingsError> for Failure {
    fn from(e: SettingsError) -> Self {
        Failure::Settings(e)
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate(command) => command.run(),
        Command::Check(command) => command.run(),
        Command::Diff(command) => command.run(),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Found) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
