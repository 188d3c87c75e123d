//! How a crate was made, recorded in its own manifest: `generate` writes the settings it used
//! into `[package.metadata.sdkgen]` of the crate's `Cargo.toml`, and `generate` or `check`
//! given the crate's folder alone (no `--spec`) read them back. A crate is then regenerated
//! and checked the way it was made, without repeating its options (and without a check that
//! fails only because one was forgotten).
//!
//! Paths are recorded relative to the crate's folder, so the record holds wherever the
//! repository is checked out.

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
                group_features: self.group_features,
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
            (
                "--group-features",
                !matches!(self.group_features, GroupFeaturesArg::Auto),
            ),
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
        relative(&absolute(&self.out), &absolute(path))
            .to_string_lossy()
            .into_owned()
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
            "group-features = \"{}\"\nstrict = {}\ndates-as-strings = {}\njson-both-ways = {}\nmcp = {}\n",
            match self.group_features {
                GroupFeaturesArg::Auto => "auto",
                GroupFeaturesArg::On => "on",
                GroupFeaturesArg::Off => "off",
            },
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
    let group_features = match text_of("group-features")?.as_deref() {
        None | Some("auto") => GroupFeaturesArg::Auto,
        Some("on") => GroupFeaturesArg::On,
        Some("off") => GroupFeaturesArg::Off,
        Some(other) => {
            return Err(no_record(format!(
                "`group-features` is `{other}`, not auto, on or off"
            )));
        }
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

/// `path` made absolute and, where it exists, with its links resolved (a crate folder not
/// made yet is taken lexically).
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_owned())
}

/// `to` relative to the folder `from` (both absolute); `to` itself when they share no root.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.to_owned();
    }
    let mut path: PathBuf = from[common..].iter().map(|_| "..").collect();
    path.extend(&to_parts[common..]);
    if path.as_os_str().is_empty() {
        path.push(".");
    }
    path
}

/// A TOML basic string (JSON's escapes are TOML's).
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn paths_are_relative_to_the_crate_folder() {
        let rel = |from: &str, to: &str| relative(Path::new(from), Path::new(to));
        assert_eq!(rel("/r/gen", "/r/api.yaml"), Path::new("../api.yaml"));
        assert_eq!(rel("/r/gen", "/r/gen/api.yaml"), Path::new("api.yaml"));
        assert_eq!(rel("/r/a/b", "/r/c/d.json"), Path::new("../../c/d.json"));
        assert_eq!(rel("/r/gen", "/r/gen"), Path::new("."));
    }
}
