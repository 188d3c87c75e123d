//! How a crate was made, recorded in its own manifest: `generate` writes the settings it used
//! into `[package.metadata.sdkgen]` of the crate's `Cargo.toml`, and `generate` or `check`
//! given the crate's folder alone (no `--spec`) read them back. A crate is then regenerated
//! and checked the way it was made, without repeating its options (and without a check that
//! fails only because one was forgotten).
//!
//! Paths are recorded relative to the crate's folder, with `/` between their parts, so the
//! record holds wherever the repository is checked out and on any system. (The runtime's
//! path dependency, which the generator writes, stays absolute: a checkout moved with
//! `--runtime-path` is regenerated once.)

use crate::generate::{CrateArgs, GroupFeaturesArg};
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The table of the crate's manifest that holds the record.
const TABLE: &str = "package.metadata.sdkgen";

/// Everything a crate is made from: the command line's options, or the crate's record.
#[derive(Debug, Clone)]
pub struct Settings {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub name: Option<String>,
    pub strict: bool,
    pub dates_as_strings: bool,
    pub names: Option<PathBuf>,
    pub runtime_path: Option<PathBuf>,
    pub group_features: GroupFeaturesArg,
    pub json_both_ways: bool,
    pub mcp: bool,
}

/// Why the settings could not be had.
#[derive(Debug)]
pub enum SettingsError {
    /// No `--spec`, and the crate's manifest cannot be read.
    NoManifest { manifest: PathBuf, reason: String },
    /// No `--spec`, and the crate's manifest holds no record (or one of another shape).
    NoRecord { manifest: PathBuf, reason: String },
    /// No `--spec`, but options that the record would override.
    OptionsWithoutSpec {
        out: PathBuf,
        options: Vec<&'static str>,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::NoManifest { manifest, reason } => write!(
                f,
                "no --spec, and {} cannot be read to find how the crate was made ({reason}); \
                 give --spec",
                manifest.display()
            ),
            SettingsError::NoRecord { manifest, reason } => write!(
                f,
                "no --spec, and {} has no usable [{TABLE}] record of how the crate was made \
                 ({reason}); give --spec and the options to generate with",
                manifest.display()
            ),
            SettingsError::OptionsWithoutSpec { out, options } => write!(
                f,
                "{} without --spec: the options come from the record in {}; give --spec \
                 with every option to set them anew",
                options.join(", "),
                out.join("Cargo.toml").display()
            ),
        }
    }
}

impl std::error::Error for SettingsError {}

impl CrateArgs {
    /// The settings the command line gives, or, without `--spec`, those recorded in the
    /// crate at `--out`.
    pub fn settings(&self) -> Result<Settings, SettingsError> {
        match &self.spec {
            Some(spec) => Ok(Settings {
                spec: spec.clone(),
                out: self.out.clone(),
                name: self.name.clone(),
                strict: self.strict,
                dates_as_strings: self.dates_as_strings,
                names: self.names.clone(),
                runtime_path: self.runtime_path.clone(),
                group_features: self.group_features.unwrap_or(GroupFeaturesArg::Auto),
                json_both_ways: self.json_both_ways,
                mcp: self.mcp,
            }),
            None => {
                let given = self.options_given();
                if !given.is_empty() {
                    return Err(SettingsError::OptionsWithoutSpec {
                        out: self.out.clone(),
                        options: given,
                    });
                }
                read(&self.out)
            }
        }
    }

    /// The options set to something other than their default.
    fn options_given(&self) -> Vec<&'static str> {
        let flags = [
            ("--name", self.name.is_some()),
            ("--strict", self.strict),
            ("--dates-as-strings", self.dates_as_strings),
            ("--names", self.names.is_some()),
            ("--runtime-path", self.runtime_path.is_some()),
            ("--group-features", self.group_features.is_some()),
            ("--json-both-ways", self.json_both_ways),
            ("--mcp", self.mcp),
        ];
        flags
            .into_iter()
            .filter_map(|(flag, given)| given.then_some(flag))
            .collect()
    }
}

impl Settings {
    /// `path` relative to the crate's folder, as the record and the file headers write it.
    fn path_from_crate(&self, path: &Path) -> String {
        slashed(&relative(&absolute(&self.out), &absolute(path)))
    }

    /// How the generated files' headers name the document: by its path from the crate's
    /// folder, so they read the same whatever folder the command was run from.
    pub fn spec_label(&self) -> String {
        self.path_from_crate(&self.spec)
    }

    /// The record of these settings: a manifest table whose paths are relative to the crate.
    pub fn record(&self) -> String {
        let path = |p: &Path| toml_string(&self.path_from_crate(p));
        let mut text = format!(
            "\n# How `sdkgen generate` made this crate: `sdkgen generate --out DIR` and\n\
             # `sdkgen check --out DIR` without --spec use these (paths relative to this folder).\n\
             [{TABLE}]\nspec = {}\n",
            path(&self.spec)
        );
        if let Some(name) = &self.name {
            text.push_str(&format!("name = {}\n", toml_string(name)));
        }
        if let Some(names) = &self.names {
            text.push_str(&format!("names = {}\n", path(names)));
        }
        if let Some(runtime) = &self.runtime_path {
            text.push_str(&format!("runtime-path = {}\n", path(runtime)));
        }
        text.push_str(&format!(
            "group-features = {}\nstrict = {}\ndates-as-strings = {}\njson-both-ways = {}\nmcp = {}\n",
            toml_string(self.group_features.name()),
            self.strict,
            self.dates_as_strings,
            self.json_both_ways,
            self.mcp
        ));
        text
    }
}

/// The settings recorded in the crate at `out`.
fn read(out: &Path) -> Result<Settings, SettingsError> {
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| SettingsError::NoManifest {
        manifest: manifest.clone(),
        reason: e.to_string(),
    })?;
    let no_record = |reason: String| SettingsError::NoRecord {
        manifest: manifest.clone(),
        reason,
    };
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| no_record(e.message().to_owned()))?;
    let record = ["package", "metadata", "sdkgen"]
        .iter()
        .try_fold(&table, |t, key| t.get(*key)?.as_table())
        .ok_or_else(|| no_record(format!("no [{TABLE}] table")))?;
    let text_of = |key: &str| -> Result<Option<String>, SettingsError> {
        match record.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| no_record(format!("`{key}` is not a string"))),
        }
    };
    let flag = |key: &str| -> Result<bool, SettingsError> {
        match record.get(key) {
            None => Ok(false),
            Some(value) => value
                .as_bool()
                .ok_or_else(|| no_record(format!("`{key}` is not true or false"))),
        }
    };
    let path = |key: &str| -> Result<Option<PathBuf>, SettingsError> {
        Ok(text_of(key)?.map(|p| out.join(p)))
    };
    let spec = path("spec")?.ok_or_else(|| no_record("no `spec`".to_owned()))?;
    let group_features = match text_of("group-features")? {
        None => GroupFeaturesArg::Auto,
        Some(name) => GroupFeaturesArg::named(&name).ok_or_else(|| {
            no_record(format!("`group-features` is `{name}`, not auto, on or off"))
        })?,
    };
    Ok(Settings {
        spec,
        out: out.to_owned(),
        name: text_of("name")?,
        strict: flag("strict")?,
        dates_as_strings: flag("dates-as-strings")?,
        names: path("names")?,
        runtime_path: path("runtime-path")?,
        group_features,
        json_both_ways: flag("json-both-ways")?,
        mcp: flag("mcp")?,
    })
}

/// `path` made absolute with its links resolved: its deepest folder that exists is resolved
/// (a crate folder not made yet is not), and the rest follows it, `.` and `..` applied.
fn absolute(path: &Path) -> PathBuf {
    let whole = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = whole.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(resolved) = existing.canonicalize() {
            break without_verbatim(resolved);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            // `..` as the last part, or nothing exists: lexically, as given.
            _ => {
                rest.clear();
                break whole.clone();
            }
        }
    };
    let mut out = base;
    for part in rest.iter().rev() {
        out.push(part);
    }
    lexical(&out)
}

/// `path` with `.` dropped and each `..` taking the part before it away.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A resolved Windows path without its `\\?\` prefix, so it compares with paths written the
/// usual way (`canonicalize` adds it; elsewhere nothing changes).
fn without_verbatim(path: PathBuf) -> PathBuf {
    match path.to_str().and_then(|p| p.strip_prefix(r"\\?\")) {
        Some(plain) if !plain.starts_with("UNC") => PathBuf::from(plain),
        _ => path,
    }
}

/// A relative path with `/` between its parts, as it is recorded on any system.
fn slashed(path: &Path) -> String {
    if path.is_absolute() {
        return path.to_string_lossy().into_owned();
    }
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// `to` relative to the folder `from` (both absolute); `to` itself when they share no root.
fn relative(from: &Path, to: &Path) -> PathBuf {
    match pathdiff::diff_paths(to, from) {
        Some(path) if path.as_os_str().is_empty() => PathBuf::from("."),
        Some(path) => path,
        None => to.to_owned(),
    }
}

/// A TOML string, as the TOML writer quotes it.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn a_folder_not_made_yet_is_resolved_through_the_part_that_exists() {
        let dir = std::env::temp_dir().canonicalize().unwrap();
        let made = super::absolute(&dir.join("sdkgen-not-made/../sdkgen-x/./crate"));
        assert_eq!(made, dir.join("sdkgen-x/crate"));
        assert_eq!(super::slashed(Path::new("../a/b.yaml")), "../a/b.yaml");
    }

    #[test]
    fn paths_are_relative_to_the_crate_folder() {
        let rel = |from: &str, to: &str| relative(Path::new(from), Path::new(to));
        assert_eq!(rel("/r/gen", "/r/api.yaml"), Path::new("../api.yaml"));
        assert_eq!(rel("/r/gen", "/r/gen/api.yaml"), Path::new("api.yaml"));
        assert_eq!(rel("/r/a/b", "/r/c/d.json"), Path::new("../../c/d.json"));
        assert_eq!(rel("/r/gen", "/r/gen"), Path::new("."));
    }
}
