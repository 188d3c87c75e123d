//! [`Builder`]: the generator in a build script, writing a crate's client into `OUT_DIR`.

use crate::files::FileError;
use crate::generated_crate::{GeneratedCrate, RuntimeSource, WriteSummary, sync};
use crate::{Dates, GeneratedFile, GroupFeatures, JsonImpls, Options};
use std::path::{Path, PathBuf};

/// The folder of `OUT_DIR` the [`Builder`] writes into; the crate includes its `lib.rs`.
pub const OUT_DIR_FOLDER: &str = "sdkgen";

/// Warnings printed as `cargo::warning` lines at most; the rest are counted.
const WARNINGS_SHOWN: usize = 20;

/// Generates a client from an OpenAPI document in a build script.
///
/// The generated code goes into `$OUT_DIR/sdkgen/`: `lib.rs` (the `Client`, the runtime
/// re-exported as `engine`, and the generated modules, whose items it re-exports) and the
/// modules in `generated/`. The crate's `lib.rs` includes it **at the crate root** (the
/// generated code names `crate::Client` and `crate::engine`), and the crate depends on the
/// runtime, `openapi-sdkgen-runtime` of the generator's version, as a normal dependency. One
/// document per crate: a second would define a second `Client`.
///
/// `Cargo.toml`:
///
/// ```toml
/// [dependencies]
/// openapi-sdkgen-runtime = "0.1"
///
/// [build-dependencies]
/// # Without default features: the `cli` feature (the `sdkgen` binary) is not needed here.
/// openapi-sdkgen = { version = "0.1", default-features = false }
/// ```
///
/// `build.rs`:
///
/// ```no_run
/// fn main() {
///     if let Err(e) = openapi_sdkgen::Builder::new("openapi.yaml")
///         .names("names.toml") // optional: names pinned as `sdkgen generate --names` pins them
///         .write_to_out_dir()
///     {
///         // The error names the document and the JSON pointer, or the file.
///         panic!("generating the client: {e}");
///     }
/// }
/// ```
///
/// `src/lib.rs`:
///
/// ```ignore
/// include!(concat!(env!("OUT_DIR"), "/sdkgen/lib.rs"));
/// ```
///
/// The crate then has `Client::new(base_url, api_key)`, a method per operation
/// (`client.pets().list().send().await?`) and the types in `types`, as a crate made by
/// `sdkgen generate` has. [`write_to_out_dir`](Builder::write_to_out_dir) prints
/// `cargo::rerun-if-changed` for the document and the names table (so the build script runs
/// again only when one of them changes), each generator warning as a `cargo::warning` with
/// its JSON pointer, and `cargo::rustc-check-cfg` for the features the generated code may be
/// gated by (`mock`, `serde`, the group features), so an undeclared one is no warning.
///
/// The generated code is gated by Cargo features the crate declares itself when it wants
/// them: `mock = ["openapi-sdkgen-runtime/mock"]` (with `"serde"` added under
/// [`JsonImpls::AsUsed`]) compiles the typed stub server, `serde = []` gives the types
/// no request sends JSON both ways, and with [`mcp`](Builder::mcp),
/// `mcp = ["openapi-sdkgen-runtime/mcp"]` compiles the tool table. With [`GroupFeatures::On`] the crate must declare the
/// group features; a manifest that lacks one is an error whose message holds the
/// `[features]` table to add. The names table is read, never written (a build script does
/// not change its sources): the table of every name chosen is written beside the code as
/// `$OUT_DIR/sdkgen/names.toml`, to copy over the crate's to pin new names.
// The example is a whole `build.rs`, whose `main` is the point.
#[allow(clippy::needless_doctest_main)]
#[derive(Debug, Clone)]
pub struct Builder {
    document: PathBuf,
    names: Option<PathBuf>,
    crate_name: Option<String>,
    options: Options,
}

/// What a [`Builder`] wrote.
#[derive(Debug, Clone)]
pub struct Built {
    /// The file to `include!`: `<dir>/sdkgen/lib.rs`.
    pub lib: PathBuf,
    /// The generation run: warnings, counts and timings.
    pub generated: crate::Generated,
    /// Which files changed.
    pub summary: WriteSummary,
}

impl Builder {
    /// A builder for the document at `document` (JSON or YAML; a relative path is relative to
    /// the build script's folder, the crate's root), with the defaults of [`Options`]: typed
    /// dates, one module (no group features), JSON impls as the API uses them.
    pub fn new(document: impl Into<PathBuf>) -> Self {
        let document = document.into();
        Self {
            options: Options {
                spec_label: document.display().to_string(),
                ..Options::default()
            },
            document,
            names: None,
            crate_name: None,
        }
    }

    /// The crate's Rust name, used by the examples in method docs (which run as doctests).
    /// Default: the package name Cargo gives the build script, `-` made `_`; set it when the
    /// library target is named otherwise.
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// How `format: date-time` and `date` strings are typed.
    pub fn dates(mut self, dates: Dates) -> Self {
        self.options.dates = dates;
        self
    }

    /// Per-group Cargo features (the crate's manifest must declare them).
    pub fn group_features(mut self, group_features: GroupFeatures) -> Self {
        self.options.group_features = group_features;
        self
    }

    /// Which JSON impls the types get.
    pub fn json(mut self, json: JsonImpls) -> Self {
        self.options.json = json;
        self
    }

    /// Also generate the Model Context Protocol tool table (`generated/mcp.rs`): every
    /// operation as a tool an agent can call, compiled under the crate's own `mcp` feature
    /// (`mcp = ["openapi-sdkgen-runtime/mcp"]`), as `sdkgen generate --mcp` does.
    pub fn mcp(mut self, mcp: bool) -> Self {
        self.options.mcp = mcp;
        self
    }

    /// Turn every generator warning into an error.
    pub fn strict(mut self, strict: bool) -> Self {
        self.options.strict = strict;
        self
    }

    /// A names table (TOML, as `sdkgen generate --names` writes it) whose names are kept
    /// whatever the document's `operationId`s, titles or tags become. A missing file is an
    /// empty table.
    pub fn names(mut self, path: impl Into<PathBuf>) -> Self {
        self.names = Some(path.into());
        self
    }

    /// Generates into `$OUT_DIR/sdkgen/`, printing the build script's `cargo::` lines (see
    /// [`Builder`]), and checks that the crate's manifest declares the group features the
    /// code is gated by. Call it from `build.rs`.
    pub fn write_to_out_dir(self) -> Result<Built, FileError> {
        let out_dir =
            std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(FileError::NotInBuildScript {
                    variable: "OUT_DIR",
                })?;
        // Printed first: a failed run must also run again once the document is fixed.
        println!("cargo::rerun-if-changed={}", self.document.display());
        if let Some(names) = &self.names {
            println!("cargo::rerun-if-changed={}", names.display());
        }
        let name = self.crate_name.clone().or_else(|| {
            std::env::var("CARGO_PKG_NAME")
                .ok()
                .map(|n| n.replace('-', "_"))
        });
        let krate = self.render(name.as_deref())?;
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let features = gating_features(&krate, manifest_dir.as_deref())?;
        let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
        println!(
            "cargo::rustc-check-cfg=cfg(feature, values({}))",
            quoted.join(", ")
        );
        let warnings = &krate.generated.warnings;
        for w in warnings.iter().take(WARNINGS_SHOWN) {
            println!("cargo::warning={}", w.to_string().replace('\n', " "));
        }
        if warnings.len() > WARNINGS_SHOWN {
            println!(
                "cargo::warning={} more generator warnings (Builder::strict fails on any)",
                warnings.len() - WARNINGS_SHOWN
            );
        }
        write(krate, &out_dir)
    }

    /// Generates into `<dir>/sdkgen/`, as [`write_to_out_dir`](Builder::write_to_out_dir)
    /// does into `OUT_DIR`, without printing anything or reading the manifest (for tests and
    /// tools). The crate name defaults to `api`.
    pub fn write_to(self, dir: &Path) -> Result<Built, FileError> {
        let name = self.crate_name.clone();
        write(self.render(name.as_deref())?, dir)
    }

    fn render(&self, rust_name: Option<&str>) -> Result<GeneratedCrate, FileError> {
        let bytes = crate::files::read(&self.document)?;
        let options = Options {
            names: match &self.names {
                Some(path) => crate::names_table::read(path)?,
                None => crate::Names::default(),
            },
            ..self.options.clone()
        };
        // The runtime is the crate's own dependency: the manifest written here is not used.
        let name = rust_name.unwrap_or("api");
        GeneratedCrate::render(&bytes, Some(name), &options, &RuntimeSource::registry())
    }
}

/// Writes `krate`'s code into `dir/sdkgen` in the layout `include!` needs.
fn write(krate: GeneratedCrate, dir: &Path) -> Result<Built, FileError> {
    let out = dir.join(OUT_DIR_FOLDER);
    let mut files = Vec::with_capacity(krate.files.len() + 1);
    for file in &krate.files {
        let path = match file.path.as_str() {
            "Cargo.toml" => continue,
            "src/lib.rs" => {
                files.push(GeneratedFile {
                    path: "lib.rs".into(),
                    contents: includable(&file.contents)?,
                });
                continue;
            }
            other => other.strip_prefix("src/").unwrap_or(other),
        };
        files.push(GeneratedFile {
            path: path.to_owned(),
            contents: file.contents.clone(),
        });
    }
    files.push(GeneratedFile {
        path: "names.toml".into(),
        contents: crate::names_table::render(&krate.generated.names),
    });
    let summary = sync(&out, &files, "generated")?;
    Ok(Built {
        lib: out.join("lib.rs"),
        generated: krate.generated,
        summary,
    })
}

/// A standalone crate's `lib.rs` as a file `include!` takes: without its inner attributes
/// (the crate docs and lint levels), which only a crate root or module file may carry. Its
/// `mod generated;` is found beside it: rustc resolves a module declared in an included file
/// from that file's folder.
fn includable(lib: &str) -> Result<String, FileError> {
    let emit_error = |e: syn::Error| FileError::Generate {
        document: "lib.rs".into(),
        source: crate::Error::Emit(e.to_string()),
    };
    let mut file = syn::parse_file(lib).map_err(emit_error)?;
    file.attrs.clear();
    file.shebang = None;
    Ok(format!(
        "// @generated by openapi-sdkgen's Builder. Do not edit.\n{}",
        prettyplease::unparse(&file)
    ))
}

/// The features the generated code is gated by, after checking that the crate's manifest
/// (`Cargo.toml` in `manifest_dir`, when known) declares the group features among them:
/// `mock`, `serde` and `mcp` are the crate's to declare or not.
fn gating_features(
    krate: &GeneratedCrate,
    manifest_dir: Option<&Path>,
) -> Result<Vec<String>, FileError> {
    let mut features = vec!["mock".to_owned(), "serde".to_owned()];
    if krate
        .files
        .iter()
        .any(|f| f.path == crate::emit::mcp::MCP_PATH)
    {
        features.push("mcp".to_owned());
    }
    if !krate.generated.group_features {
        return Ok(features);
    }
    let table = crate::features::cargo_features(&krate.generated.model);
    let needed: Vec<String> = features_of(&table)
        .into_iter()
        .filter(|k| k != "default")
        .collect();
    if let Some(dir) = manifest_dir {
        let manifest = dir.join("Cargo.toml");
        let declared = features_of(&String::from_utf8_lossy(&crate::files::read(&manifest)?));
        let missing: Vec<String> = (needed.iter())
            .filter(|f| !declared.contains(f))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingFeatures {
                manifest,
                missing,
                table,
            });
        }
    }
    features.extend(needed);
    Ok(features)
}

/// The names of a manifest's `[features]` table (none when it does not parse: Cargo says why).
fn features_of(manifest: &str) -> Vec<String> {
    manifest
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| Some(t.get("features")?.as_table()?.keys().cloned().collect()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_an_includable_lib_beside_its_modules() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("api.yaml");
        std::fs::write(
            &doc,
            "openapi: 3.0.3\ninfo: {title: T, description: 'see https://example.com', version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '204': {description: Done.}\n",
        )
        .unwrap();
        let built = Builder::new(&doc).write_to(dir.path()).unwrap();
        let lib = std::fs::read_to_string(&built.lib).unwrap();
        assert!(!lib.contains("#!["), "{lib}");
        assert!(!lib.contains("//!"), "{lib}");
        assert!(lib.contains("mod generated;"), "{lib}");
        assert!(lib.contains("pub struct Client"), "{lib}");
        let out = dir.path().join(OUT_DIR_FOLDER);
        assert!(out.join("generated/mod.rs").is_file());
        assert!(out.join("generated/openapi.json").is_file());
        assert!(out.join("names.toml").is_file());
        assert!(!out.join("Cargo.toml").exists());
        assert_eq!(built.summary.removed, 0);
        // A second run changes nothing.
        let again = Builder::new(&doc).write_to(dir.path()).unwrap();
        assert_eq!(again.summary, WriteSummary::default());
    }

    #[test]
    fn group_features_the_manifest_lacks_are_an_error_with_the_table_to_add() {
        let dir = tempfile::tempdir().unwrap();
        let doc = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      tags: [alpha]\n      responses: {'204': {description: Done.}}\n  /b:\n    get:\n      tags: [beta]\n      responses: {'204': {description: Done.}}\n";
        let options = Options {
            group_features: GroupFeatures::On,
            ..Options::default()
        };
        let krate = GeneratedCrate::render(
            doc.as_bytes(),
            Some("t"),
            &options,
            &RuntimeSource::default(),
        )
        .unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[package]\nname = \"t\"\n[features]\nalpha = []\n",
        )
        .unwrap();
        let err = gating_features(&krate, Some(dir.path())).unwrap_err();
        let FileError::MissingFeatures { missing, table, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(missing, &["beta", "full"].map(String::from), "{err}");
        assert!(table.contains("full = [\"alpha\", \"beta\"]"), "{table}");
        assert!(err.to_string().contains("Cargo.toml"), "{err}");

        std::fs::write(&manifest, format!("[package]\nname = \"t\"\n{table}")).unwrap();
        let features = gating_features(&krate, Some(dir.path())).unwrap();
        assert_eq!(features, ["mock", "serde", "alpha", "beta", "full"]);
    }

    #[test]
    fn the_mcp_tool_table_is_generated_when_asked_and_its_feature_declared_to_rustc() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("api.yaml");
        std::fs::write(
            &doc,
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '204': {description: Done.}\n",
        )
        .unwrap();
        let without = Builder::new(&doc).render(None).unwrap();
        assert!(
            !gating_features(&without, None)
                .unwrap()
                .contains(&"mcp".to_owned())
        );
        let built = Builder::new(&doc).mcp(true).write_to(dir.path()).unwrap();
        let out = dir.path().join(OUT_DIR_FOLDER);
        let table = std::fs::read_to_string(out.join("generated/mcp.rs")).unwrap();
        assert!(table.contains("name: \"default_list_pets\""), "{table}");
        let root = std::fs::read_to_string(out.join("generated/mod.rs")).unwrap();
        assert!(root.contains("#[cfg(feature = \"mcp\")]"), "{root}");
        assert!(built.generated.operations == 1);
        let with = Builder::new(&doc).mcp(true).render(None).unwrap();
        assert!(
            gating_features(&with, None)
                .unwrap()
                .contains(&"mcp".to_owned())
        );
    }

    #[test]
    fn a_missing_document_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = Builder::new(dir.path().join("nope.yaml"))
            .write_to(dir.path())
            .unwrap_err();
        assert!(err.to_string().contains("nope.yaml"), "{err}");
    }
}
