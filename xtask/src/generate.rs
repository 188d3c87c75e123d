//! `cargo xtask generate` (any document -> standalone crate, written by the library's
//! [`GeneratedCrate`] as `sdkgen generate` writes it, without the record of its options that
//! the command adds to the manifest), and the standalone crates the corpus,
//! the benchmarks and the conformance runs generate the same way; where a tree's runtime is.

use crate::files::write_atomic;
use anyhow::{Context, Result};
use openapi_sdkgen::{GeneratedCrate, RuntimeSource};
use std::path::Path;
use std::time::Instant;

/// The SDK's folder, which held the runtime before it had its own crate.
const SDK_DIR: &str = "postpress-sdk";

/// The runtime of the repository at `root`, from its folder (and by version).
pub fn local_runtime(root: &Path) -> RuntimeSource {
    RuntimeSource::local(root.join(RUNTIME_DIR))
}

/// The runtime package's folder in the repository.
const RUNTIME_DIR: &str = "runtime";

/// The runtime package of the tree at `root`: `runtime/`, or for a tree from before the
/// runtime had its own crate (a benchmark's baseline), `postpress-sdk/`, which held it.
pub fn runtime_dir(root: &Path) -> std::path::PathBuf {
    let dir = root.join(RUNTIME_DIR);
    if dir.join("Cargo.toml").is_file() {
        dir
    } else {
        root.join(SDK_DIR)
    }
}

/// The name of the package in [`runtime_dir`] of the tree at `root`, from its manifest: the
/// package that tree's generated crates take their runtime from ([`RUNTIME_PACKAGE`] since
/// the runtime has its own crate, `postpress-sdk` before). For this tree it is the library's
/// constant; a benchmark's baseline, an older tree, may predate the split.
///
/// [`RUNTIME_PACKAGE`]: openapi_sdkgen::RUNTIME_PACKAGE
pub fn runtime_package(root: &Path) -> Result<String> {
    let manifest = runtime_dir(root).join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("parsing {}", manifest.display()))?;
    table
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_owned)
        .with_context(|| format!("{}: no [package] name", manifest.display()))
}

/// What writing a standalone crate produced.
pub struct Standalone {
    pub generated: openapi_sdkgen::Generated,
    /// Lines of Rust written (lib.rs and the generated modules).
    pub lines: usize,
    /// Time spent writing files.
    pub write: std::time::Duration,
}

/// What a standalone crate of the corpus or a benchmark is generated with, beyond its surface.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    /// Warnings are errors.
    pub strict: bool,
    /// The conformance table (schema pointer to type), for the conformance and examples runs.
    pub conformance_table: bool,
    /// The MCP tool table (`--mcp`).
    pub mcp: bool,
}

/// Generates a standalone crate for `bytes` into `out` with the defaults of `generate`
/// (typed dates, group features by size, JSON as used), as the corpus and the benchmarks do.
pub fn write_standalone(
    bytes: &[u8],
    label: &str,
    out: &Path,
    name: Option<&str>,
    extras: Extras,
    runtime: &RuntimeSource,
) -> Result<Standalone> {
    let options = openapi_sdkgen::Options {
        strict: extras.strict,
        spec_label: label.to_owned(),
        conformance_table: extras.conformance_table,
        mcp: extras.mcp,
        group_features: openapi_sdkgen::GroupFeatures::Auto,
        ..openapi_sdkgen::Options::default()
    };
    write_standalone_with(bytes, out, name, &options, runtime)
}

/// The library's [`GeneratedCrate`], rendered and written into `out`.
fn write_standalone_with(
    bytes: &[u8],
    out: &Path,
    name: Option<&str>,
    options: &openapi_sdkgen::Options,
    runtime: &RuntimeSource,
) -> Result<Standalone> {
    let krate = GeneratedCrate::render(bytes, name, options, runtime)?;
    let write_started = Instant::now();
    krate.write(out)?;
    Ok(Standalone {
        lines: krate.rust_lines(),
        generated: krate.generated,
        write: write_started.elapsed(),
    })
}

/// Generates a standalone crate for any document. With `names`, the names in that table are
/// kept and the table is rewritten with every name chosen (created when missing).
pub fn generate(
    spec: &Path,
    out: &Path,
    name: Option<&str>,
    options: openapi_sdkgen::Options,
    names: Option<&Path>,
    runtime: &RuntimeSource,
) -> Result<()> {
    let started = Instant::now();
    let bytes = std::fs::read(spec).with_context(|| format!("reading {}", spec.display()))?;
    let pins = match names {
        Some(path) => openapi_sdkgen::names_table::read(path)?,
        None => openapi_sdkgen::Names::default(),
    };
    let read = started.elapsed();
    let options = openapi_sdkgen::Options {
        spec_label: spec.display().to_string(),
        names: pins,
        ..options
    };
    let Standalone {
        generated, write, ..
    } = write_standalone_with(&bytes, out, name, &options, runtime)?;
    if let Some(path) = names {
        write_atomic(
            path,
            openapi_sdkgen::names_table::render(&generated.names).as_bytes(),
        )?;
    }
    let t = &generated.timings;
    println!(
        "generate: {} -> {} ({} operations, {} types, {} warnings, {:.2?})",
        spec.display(),
        out.display(),
        generated.operations,
        generated.types,
        generated.warnings.len(),
        started.elapsed()
    );
    let hint = match runtime.path {
        Some(_) => "",
        None => " (--runtime-path DIR builds against a local checkout)",
    };
    println!("runtime: {runtime}{hint}");
    // One machine-readable line for `cargo xtask bench`.
    println!(
        "phases-ms: read={:.1} load={:.1} ir={:.1} emit={:.1} format={:.1} write={:.1}",
        ms(read),
        ms(t.load),
        ms(t.ir),
        ms(t.emit),
        ms(t.format),
        ms(write)
    );
    Ok(())
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(dir: &Path, name: &str) {
        std::fs::create_dir_all(dir).unwrap();
        let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n");
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    }

    /// This tree's runtime package is the one the library writes into generated manifests.
    #[test]
    fn this_trees_runtime_package_is_the_librarys() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(runtime_dir(root), root.join(RUNTIME_DIR));
        assert_eq!(
            runtime_package(root).unwrap(),
            openapi_sdkgen::RUNTIME_PACKAGE
        );
    }

    /// A tree from before the runtime had its own crate (a benchmark's baseline) took it from
    /// the SDK; once `runtime/` exists, from there, whatever the SDK's manifest says.
    #[test]
    fn an_older_trees_runtime_package_comes_from_its_workspace() {
        let tree = tempfile::tempdir().unwrap();
        package(&tree.path().join(SDK_DIR), "postpress-sdk");
        assert_eq!(runtime_dir(tree.path()), tree.path().join(SDK_DIR));
        assert_eq!(runtime_package(tree.path()).unwrap(), "postpress-sdk");
        package(&tree.path().join(RUNTIME_DIR), "openapi-sdkgen-runtime");
        assert_eq!(runtime_dir(tree.path()), tree.path().join(RUNTIME_DIR));
        assert_eq!(
            runtime_package(tree.path()).unwrap(),
            "openapi-sdkgen-runtime"
        );
    }

    /// The generator writes code for the runtime of its own version (`RUNTIME_VERSION`), so
    /// the two packages are released together, at one version.
    #[test]
    fn the_runtime_is_versioned_with_the_generator() {
        let manifest = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/Cargo.toml"),
        )
        .expect("runtime/Cargo.toml");
        let table: toml::Table = manifest.parse().expect("runtime/Cargo.toml parses");
        let version = table["package"]["version"].as_str().expect("a version");
        assert_eq!(version, openapi_sdkgen::RUNTIME_VERSION);
        assert_eq!(
            openapi_sdkgen::RUNTIME_VERSION,
            openapi_sdkgen::GENERATOR_VERSION
        );
    }
}
