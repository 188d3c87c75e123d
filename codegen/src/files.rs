//! The files around a generation run: the error that names the file it is about, and the
//! one way generated files are written (a temporary file beside the target, then a rename, so
//! a reader never sees half a file and an interrupted run leaves the old one whole).

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A failure of the file-level API ([`GeneratedCrate`](crate::GeneratedCrate),
/// [`Builder`](crate::Builder), [`diff::files`](crate::diff::files)), naming the file it is
/// about.
#[derive(Debug)]
#[non_exhaustive]
pub enum FileError {
    /// A file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file or folder could not be written (or a stale one removed).
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A names table is not TOML of the expected shape.
    NamesTable {
        /// The table's file.
        path: PathBuf,
        /// What is wrong, as the TOML reader says it.
        message: String,
    },
    /// The generator rejected a document.
    Generate {
        /// The document, as the caller labelled it (usually its path).
        document: String,
        /// The generator's error, naming the JSON pointer where it can.
        source: crate::Error,
    },
    /// A [`Builder`](crate::Builder) ran outside a build script: an environment variable Cargo
    /// sets for build scripts is missing.
    NotInBuildScript {
        /// The variable (`OUT_DIR`).
        variable: &'static str,
    },
    /// The manifest of a crate built with per-group features does not declare them all (the
    /// code behind a feature it lacks would never compile).
    MissingFeatures {
        /// The crate's `Cargo.toml`.
        manifest: PathBuf,
        /// The features it lacks.
        missing: Vec<String>,
        /// The `[features]` table the generated code needs, to copy into the manifest.
        table: String,
    },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Read { path, source } => write!(f, "reading {}: {source}", path.display()),
            FileError::Write { path, source } => write!(f, "writing {}: {source}", path.display()),
            FileError::NamesTable { path, message } => {
                write!(
                    f,
                    "{} is not a valid names table: {message}",
                    path.display()
                )
            }
            FileError::Generate { document, source } => write!(f, "{document}: {source}"),
            FileError::NotInBuildScript { variable } => write!(
                f,
                "{variable} is not set: the Builder writes into the build script's OUT_DIR \
                 (run it from build.rs, or use Builder::write_to with a folder)"
            ),
            FileError::MissingFeatures {
                manifest,
                missing,
                table,
            } => write!(
                f,
                "{} does not declare the features the generated code is gated by ({}); add \
                 them (or use GroupFeatures::Off):\n{table}",
                manifest.display(),
                missing.join(", ")
            ),
        }
    }
}

/// The message says the cause itself (`reading api.yaml: No such file or directory`), so
/// no `source` is given: a printed chain would say it twice.
impl std::error::Error for FileError {}

/// Reads a file, the error naming it.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, FileError> {
    std::fs::read(path).map_err(|source| FileError::Read {
        path: path.to_owned(),
        source,
    })
}

/// A text file as compared with generated text: `None` when it does not exist, line endings
/// normalised (a checkout with CRLF is not stale), bytes that are not UTF-8 replaced (such a
/// file is stale anyway).
pub(crate) fn read_text(path: &Path) -> Result<Option<String>, FileError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(normalize_line_endings(&String::from_utf8_lossy(
            &bytes,
        )))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FileError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// A unified diff from `old` to `new` (both the text of `path`), at most `max_lines` long:
/// how `sdkgen check` and `cargo xtask regen --check` show a stale file.
pub fn unified_diff(path: &str, old: &str, new: &str, max_lines: usize) -> String {
    let text = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > max_lines {
        format!(
            "{}\n... ({} more lines)",
            lines[..max_lines].join("\n"),
            lines.len() - max_lines
        )
    } else {
        text
    }
}

/// `text` with CRLF line endings made LF.
pub fn normalize_line_endings(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Writes `contents` to `path` atomically: into a new temporary file in the same folder
/// (created when missing), then renamed over `path`. Readers see the old file or the new one,
/// never a part; the temporary file is removed when anything fails.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), FileError> {
    let fail = |at: &Path| {
        let at = at.to_owned();
        move |source| FileError::Write { path: at, source }
    };
    let name = path.file_name().ok_or_else(|| FileError::Write {
        path: path.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"),
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(fail(dir))?;
    let (tmp, mut file) = temporary_beside(dir, &name.to_string_lossy()).map_err(fail(dir))?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.flush())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if let Err(source) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(FileError::Write {
            path: path.to_owned(),
            source,
        });
    }
    Ok(())
}

/// A new file in `dir` named after `name`, the process and a counter, so two writers (two
/// threads, two processes) never share one.
fn temporary_beside(dir: &Path, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut tries = 0;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(file) => return Ok((tmp, file)),
            // Left by a process with the same id that died mid-write: try the next name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 => tries += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/file.rs");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["file.rs"]);
    }

    #[test]
    fn a_failed_write_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        // A file where a folder should be.
        std::fs::write(dir.path().join("blocker"), "").unwrap();
        let err = write_atomic(&dir.path().join("blocker/x.rs"), b"x").unwrap_err();
        assert!(err.to_string().contains("blocker"), "{err}");
        assert_eq!(read_text(&dir.path().join("missing")).unwrap(), None);
    }
}
