//! A whole generated crate in memory (`Cargo.toml`, `src/lib.rs`, the generated modules,
//! `API.md`), written into a folder or compared with one. `sdkgen generate` and `check`,
//! `cargo xtask generate` and the [`Builder`](crate::Builder) all make their files here.

use crate::files::{FileError, read_text, write_atomic};
use crate::{GeneratedFile, Options, standalone};
use std::path::{Path, PathBuf};

/// The folder of a generated crate that holds only generated files: a file in it the
/// generator no longer makes is removed by [`GeneratedCrate::write`] and reported by
/// [`GeneratedCrate::stale`].
pub const GENERATED_DIR: &str = "src/generated";

/// The runtime's features a generated crate enables by default: TLS through rustls.
const RUNTIME_FEATURES: &[&str] = &["rustls-tls"];

/// Where a generated crate gets the runtime ([`RUNTIME_PACKAGE`](crate::RUNTIME_PACKAGE))
/// from: a version requirement a registry can satisfy, plus, while developing, a local
/// checkout of the runtime package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeSource {
    /// The runtime package's version: by default the generator's own
    /// ([`RUNTIME_VERSION`](crate::RUNTIME_VERSION)), the runtime the code is written for.
    pub version: String,
    /// A local checkout of the runtime package, or `None` for the registry alone.
    pub path: Option<PathBuf>,
}

impl Default for RuntimeSource {
    fn default() -> Self {
        Self {
            version: crate::RUNTIME_VERSION.to_owned(),
            path: None,
        }
    }
}

/// `openapi-sdkgen-runtime 0.1.0 at /path/to/runtime`, or `... from the registry`.
impl std::fmt::Display for RuntimeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", crate::RUNTIME_PACKAGE, self.version)?;
        match &self.path {
            Some(path) => write!(f, " at {}", path.display()),
            None => f.write_str(" from the registry"),
        }
    }
}

impl RuntimeSource {
    /// The runtime of this generator's version, from the registry.
    pub fn registry() -> Self {
        Self::default()
    }

    /// The runtime of this generator's version, from the checkout at `path` (made absolute
    /// when it exists, so the crate builds wherever it is moved on this machine).
    pub fn local(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        Self {
            path: Some(path.canonicalize().unwrap_or(path)),
            ..Self::default()
        }
    }
}

/// One file of a crate on disk that differs from what the generator makes now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    /// Path relative to the crate's folder.
    pub path: String,
    /// The file on disk (line endings normalised), `None` when it is missing.
    pub found: Option<String>,
    /// What the generator makes, `None` when it no longer makes this file.
    pub expected: Option<String>,
}

/// What [`GeneratedCrate::write`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files written (new or changed); files already as generated are left alone.
    pub written: usize,
    /// Files the generator no longer makes, removed from [`GENERATED_DIR`].
    pub removed: usize,
}

/// A standalone crate for one document, generated in memory.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// The package name (`my-api`).
    pub name: String,
    /// Every file, with paths relative to the crate's folder: `Cargo.toml`, `src/lib.rs`,
    /// then the generator's files (`src/generated/*`, `API.md`).
    pub files: Vec<GeneratedFile>,
    /// The generation run: warnings, counts, timings, the model and the names chosen. Its
    /// `files` are empty: they are in [`GeneratedCrate::files`].
    pub generated: crate::Generated,
}

impl GeneratedCrate {
    /// Generates the crate of the document `bytes` (JSON or YAML). `name` is the package name
    /// (default: [`default_crate_name`] of the document's title); `options.crate_name` is
    /// replaced by its Rust spelling, since method docs carry examples that use it, and
    /// `options.spec_label` names the document in file headers and in the error.
    pub fn render(
        bytes: &[u8],
        name: Option<&str>,
        options: &Options,
        runtime: &RuntimeSource,
    ) -> Result<Self, FileError> {
        let failed = |source| FileError::Generate {
            document: options.spec_label.clone(),
            source,
        };
        let name = match name {
            Some(name) => name.to_owned(),
            None => {
                let doc = crate::parse_value(bytes).map_err(failed)?;
                default_crate_name(doc["info"]["title"].as_str().unwrap_or_default())
            }
        };
        let options = Options {
            crate_name: Some(name.replace('-', "_")),
            ..options.clone()
        };
        let mut generated = crate::generate(bytes, &options).map_err(failed)?;
        let runtime_path = runtime.path.as_ref().map(|p| p.display().to_string());
        let runtime = standalone::Runtime {
            package: crate::RUNTIME_PACKAGE,
            version: &runtime.version,
            path: runtime_path.as_deref(),
            features: RUNTIME_FEATURES,
        };
        let lib = standalone::lib_rs(&generated.model, runtime, generated.serde_feature)
            .map_err(failed)?;
        let features = generated
            .group_features
            .then(|| crate::features::cargo_features(&generated.model));
        let manifest = standalone::cargo_toml(
            &name,
            runtime,
            features.as_deref(),
            generated.serde_feature,
            options.mcp,
        );
        let mut files = vec![
            GeneratedFile {
                path: "Cargo.toml".into(),
                contents: manifest,
            },
            GeneratedFile {
                path: "src/lib.rs".into(),
                contents: lib,
            },
        ];
        files.append(&mut generated.files);
        Ok(Self {
            name,
            files,
            generated,
        })
    }

    /// Lines of Rust (`lib.rs` and the generated modules).
    pub fn rust_lines(&self) -> usize {
        (self.files.iter())
            .filter(|f| f.path.ends_with(".rs"))
            .map(|f| f.contents.lines().count())
            .sum()
    }

    /// Writes the crate into `dir` (created when missing): each file that differs, atomically,
    /// and removes the files of [`GENERATED_DIR`] the generator no longer makes.
    pub fn write(&self, dir: &Path) -> Result<WriteSummary, FileError> {
        sync(dir, &self.files, GENERATED_DIR)
    }

    /// The files of the crate in `dir` that differ from what the generator makes now (a
    /// missing file, a changed one, one of [`GENERATED_DIR`] it no longer makes); empty when
    /// the crate is up to date. Nothing is written.
    pub fn stale(&self, dir: &Path) -> Result<Vec<StaleFile>, FileError> {
        stale(dir, &self.files, GENERATED_DIR)
    }
}

/// The package name for a document titled `title`: its words in kebab case, `api-` first when
/// that would not start with a letter (`Pet Store` -> `pet-store`).
pub fn default_crate_name(title: &str) -> String {
    let mut name = crate::field_name(title).replace('_', "-");
    if name.is_empty() || name.starts_with(|c: char| !c.is_ascii_alphabetic()) {
        name.insert_str(0, "api-");
    }
    name
}

/// Writes `files` (paths relative to `dir`) under `dir` where the file there differs (line
/// endings normalised), atomically, and removes the files directly in `dir/owned` that are not
/// among them: that folder holds only generated files. [`GeneratedCrate::write`] is this for a
/// standalone crate; a crate that keeps some files of its own beside the generated ones passes
/// only those it generates. Public as [`sync_files`](crate::sync_files).
pub fn sync(dir: &Path, files: &[GeneratedFile], owned: &str) -> Result<WriteSummary, FileError> {
    let mut summary = WriteSummary::default();
    for file in files {
        let path = dir.join(&file.path);
        if read_text(&path)?.as_deref() != Some(file.contents.as_str()) {
            write_atomic(&path, file.contents.as_bytes())?;
            summary.written += 1;
        }
    }
    for path in leftovers(dir, files, owned)? {
        std::fs::remove_file(dir.join(&path)).map_err(|source| FileError::Write {
            path: dir.join(&path),
            source,
        })?;
        summary.removed += 1;
    }
    Ok(summary)
}

/// What [`sync_files`](crate::sync_files) would change, writing nothing: the files of `files`
/// that differ from the ones under `dir` (missing or changed), then the files directly in
/// `dir/owned` not among them (with `expected: None`). Empty when `dir` is up to date. Public
/// as [`stale_files`](crate::stale_files).
pub fn stale(
    dir: &Path,
    files: &[GeneratedFile],
    owned: &str,
) -> Result<Vec<StaleFile>, FileError> {
    let mut out = Vec::new();
    for file in files {
        let found = read_text(&dir.join(&file.path))?;
        if found.as_deref() != Some(file.contents.as_str()) {
            out.push(StaleFile {
                path: file.path.clone(),
                found,
                expected: Some(file.contents.clone()),
            });
        }
    }
    for path in leftovers(dir, files, owned)? {
        out.push(StaleFile {
            found: read_text(&dir.join(&path))?,
            path,
            expected: None,
        });
    }
    Ok(out)
}

/// The files directly in `dir/owned` (a missing folder has none) that `files` does not
/// name, as paths relative to `dir`, sorted.
fn leftovers(dir: &Path, files: &[GeneratedFile], owned: &str) -> Result<Vec<String>, FileError> {
    let folder = dir.join(owned);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(FileError::Read {
                path: folder,
                source,
            });
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| FileError::Read {
            path: folder.clone(),
            source,
        })?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = format!("{owned}/{}", entry.file_name().to_string_lossy());
        if !files.iter().any(|f| f.path == path) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.0.3\ninfo: {title: Pet Store, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '204': {description: Done.}\n";

    fn pets() -> GeneratedCrate {
        let options = Options {
            spec_label: "pets.yaml".into(),
            ..Options::default()
        };
        GeneratedCrate::render(DOC.as_bytes(), None, &options, &RuntimeSource::registry()).unwrap()
    }

    #[test]
    fn names_the_crate_after_the_title() {
        assert_eq!(pets().name, "pet-store");
        assert!(default_crate_name("3D API").starts_with("api-"));
    }

    #[test]
    fn writes_then_is_up_to_date_and_reports_edits_and_leftovers() {
        let krate = pets();
        let dir = tempfile::tempdir().unwrap();
        let first = krate.write(dir.path()).unwrap();
        assert_eq!(first.written, krate.files.len());
        assert_eq!(krate.write(dir.path()).unwrap(), WriteSummary::default());
        assert_eq!(krate.stale(dir.path()).unwrap(), []);

        // A CRLF checkout is not stale.
        let lib = dir.path().join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).unwrap();
        std::fs::write(&lib, text.replace('\n', "\r\n")).unwrap();
        assert_eq!(krate.stale(dir.path()).unwrap(), []);

        std::fs::write(&lib, "// edited\n").unwrap();
        std::fs::write(dir.path().join("src/generated/old.rs"), "").unwrap();
        std::fs::create_dir(dir.path().join("src/generated/kept")).unwrap();
        let stale = krate.stale(dir.path()).unwrap();
        let paths: Vec<_> = stale.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["src/lib.rs", "src/generated/old.rs"]);
        assert_eq!(stale[0].found.as_deref(), Some("// edited\n"));
        assert_eq!(stale[1].expected, None);

        let again = krate.write(dir.path()).unwrap();
        assert_eq!((again.written, again.removed), (1, 1));
        assert_eq!(krate.stale(dir.path()).unwrap(), []);
        assert!(dir.path().join("src/generated/kept").is_dir());
    }

    #[test]
    fn a_rejected_document_is_an_error_naming_it() {
        let options = Options {
            spec_label: "broken.yaml".into(),
            ..Options::default()
        };
        let err =
            GeneratedCrate::render(b"{", None, &options, &RuntimeSource::registry()).unwrap_err();
        assert!(err.to_string().starts_with("broken.yaml: "), "{err}");
    }

    #[test]
    fn the_manifest_depends_on_the_runtime_alone() {
        let krate = pets();
        let manifest = &krate.files[0].contents;
        let table: toml::Table = manifest.parse().unwrap();
        let deps = table["dependencies"].as_table().unwrap();
        assert_eq!(deps.keys().collect::<Vec<_>>(), [crate::RUNTIME_PACKAGE]);
        assert_eq!(
            deps[crate::RUNTIME_PACKAGE]["version"].as_str(),
            Some(crate::RUNTIME_VERSION)
        );
    }
}
