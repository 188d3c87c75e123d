//! A names table (TOML, as the repository's `specs/names.toml`): the names a crate's
//! operations and types were given, pinned so that a changed `operationId`, title or tag never
//! renames anything. Read before generating ([`Options::names`](crate::Options::names)), and
//! rewritten from the names the generator reports ([`Generated::names`](crate::Generated::names):
//! new items added, vanished ones dropped).

use crate::FileError;
use crate::pins::{MethodName, Names};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The table as written in the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesFile {
    #[serde(default)]
    operations: BTreeMap<String, OperationEntry>,
    #[serde(default)]
    types: BTreeMap<String, String>,
    #[serde(default)]
    variants: BTreeMap<String, String>,
    #[serde(default)]
    constructors: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationEntry {
    group: String,
    method: String,
}

/// Reads a names table; a missing file is an empty table.
pub fn read(path: &Path) -> Result<Names, FileError> {
    let Some(text) = crate::files::read_text(path)? else {
        return Ok(Names::default());
    };
    parse(&text).map_err(|e| FileError::NamesTable {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

fn parse(text: &str) -> Result<Names, toml::de::Error> {
    let file: NamesFile = toml::from_str(text)?;
    Ok(Names {
        operations: file
            .operations
            .into_iter()
            .map(|(key, e)| {
                let name = MethodName {
                    group: e.group,
                    method: e.method,
                };
                (key, name)
            })
            .collect(),
        types: file.types,
        variants: file.variants,
        constructors: file.constructors,
    })
}

/// A TOML basic string. JSON's string escapes are all valid in TOML basic strings.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The file's text: one line per item, sorted by key (the maps are ordered), so the file is
/// the same for the same names and a change shows up as a one-line diff.
pub fn render(names: &Names) -> String {
    let mut out = String::from(
        "# Names of the generated crate's methods and types, pinned by openapi-sdkgen (the file\n\
         # `sdkgen generate --names` reads and rewrites; a build script's `Builder::names` reads).\n\
         # An item listed here keeps its name whatever its operationId, title or position in\n\
         # the document becomes. New items are added and vanished ones dropped when the file\n\
         # is rewritten; edit a name here to rename it on purpose. [constructors] pins the order of each\n\
         # type's `new` arguments (wire names), whatever order the document lists them in.\n\n[operations]\n",
    );
    for (key, name) in &names.operations {
        out.push_str(&format!(
            "{} = {{ group = {}, method = {} }}\n",
            quoted(key),
            quoted(&name.group),
            quoted(&name.method)
        ));
    }
    out.push_str("\n[types]\n");
    for (at, name) in &names.types {
        out.push_str(&format!("{} = {}\n", quoted(at), quoted(name)));
    }
    out.push_str("\n[variants]\n");
    for (at, name) in &names.variants {
        out.push_str(&format!("{} = {}\n", quoted(at), quoted(name)));
    }
    out.push_str("\n[constructors]\n");
    for (at, args) in &names.constructors {
        let args: Vec<String> = args.iter().map(|a| quoted(a)).collect();
        out.push_str(&format!("{} = [{}]\n", quoted(at), args.join(", ")));
    }
    out
}

/// What changed between the pinned table and the names a run chose.
#[derive(Debug, Default)]
pub struct Changes {
    /// Items named for the first time.
    pub added: usize,
    /// Items whose pins were dropped because they are no longer in the document, as
    /// `key -> name` lines.
    pub dropped: Vec<String>,
}

/// Compares the table read with the table chosen.
pub fn changes(pinned: &Names, chosen: &Names) -> Changes {
    let mut c = Changes::default();
    c.added += (chosen.operations.keys())
        .filter(|k| !pinned.operations.contains_key(*k))
        .count();
    c.added += (chosen.types.keys())
        .filter(|k| !pinned.types.contains_key(*k))
        .count();
    for (key, name) in &pinned.operations {
        if !chosen.operations.contains_key(key) {
            c.dropped
                .push(format!("{key} -> {}.{}", name.group, name.method));
        }
    }
    c.added += (chosen.variants.keys())
        .filter(|k| !pinned.variants.contains_key(*k))
        .count();
    c.added += (chosen.constructors.keys())
        .filter(|k| !pinned.constructors.contains_key(*k))
        .count();
    for (pinned, chosen) in [
        (&pinned.types, &chosen.types),
        (&pinned.variants, &chosen.variants),
    ] {
        for (at, name) in pinned {
            if !chosen.contains_key(at) {
                c.dropped.push(format!("{at} -> {name}"));
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_reads_back_and_is_sorted() {
        let mut names = Names::default();
        names.operations.insert(
            "POST /a/{id}".into(),
            MethodName {
                group: "a".into(),
                method: "create".into(),
            },
        );
        names.operations.insert(
            "GET /a".into(),
            MethodName {
                group: "a".into(),
                method: "list".into(),
            },
        );
        names
            .types
            .insert("#/components/schemas/Odd\"Key\\".into(), "OddKey".into());
        names
            .variants
            .insert("#/components/schemas/U/oneOf/0".into(), "First".into());
        names.constructors.insert(
            "#/components/schemas/Odd\"Key\\".into(),
            vec!["b".into(), "a\"".into()],
        );
        let text = render(&names);
        assert_eq!(parse(&text).unwrap(), names);
        assert!(text.find("GET /a").unwrap() < text.find("POST /a").unwrap());
    }

    #[test]
    fn a_bad_table_is_an_error_naming_the_problem() {
        let err = parse("[operations]\n\"GET /a\" = { group = \"a\" }\n").unwrap_err();
        assert!(format!("{err:#}").contains("method"), "{err:#}");
    }
}
