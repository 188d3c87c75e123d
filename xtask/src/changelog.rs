//! `postpress-sdk/CHANGELOG.md` and the crate's version, kept in step with the document by
//! `regen`: the changes since the committed spec are added to the changelog's `Unreleased`
//! section, and the version is at least the bump those unreleased changes imply over the last
//! released version (the newest `## X.Y.Z` heading).

use openapi_sdkgen::diff::{Change, Report};

const UNRELEASED: &str = "## Unreleased";
const BREAKING: &str = "### Breaking";
const OTHER: &str = "### Non-breaking";

/// A new changelog, with the current version as the first release.
pub fn initial(version: &str) -> String {
    format!(
        "# Changelog\n\nChanges to the SDK's API. `cargo xtask regen` writes the Unreleased section from\n\
         the document's diff and bumps the crate's version to match.\n\n## {version}\n\n- First release.\n"
    )
}

/// The changelog's unreleased changes.
fn unreleased(text: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    let Some(start) = text.find(UNRELEASED) else {
        return changes;
    };
    let mut breaking = false;
    for line in text[start + UNRELEASED.len()..].lines() {
        if line.starts_with("## ") {
            break;
        }
        if line.starts_with(BREAKING) {
            breaking = true;
        } else if line.starts_with(OTHER) {
            breaking = false;
        } else if let Some(entry) = line.strip_prefix("- ") {
            let (at, what) = entry.split_once(": ").unwrap_or(("", entry));
            changes.push(Change {
                breaking,
                at: at.to_owned(),
                what: what.to_owned(),
            });
        }
    }
    changes
}

/// The newest released version: the first `## X.Y.Z` heading.
fn released(text: &str) -> Option<&str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .find(|v| v.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::trim)
}

/// The changelog with `report`'s changes merged into its Unreleased section (each entry
/// once, breaking ones first), and the version the unreleased changes require.
pub fn update(text: &str, report: &Report, fallback_version: &str) -> (String, String) {
    let mut entries = unreleased(text);
    for c in &report.changes {
        if !entries.contains(c) {
            entries.push(c.clone());
        }
    }
    entries.sort();
    entries.dedup();
    let released = released(text).unwrap_or(fallback_version).to_owned();
    let required = Report {
        changes: entries.clone(),
        ..Report::default()
    }
    .next_version(&released);
    if entries.is_empty() {
        return (text.to_owned(), required);
    }
    let mut section = format!("{UNRELEASED}\n");
    for (title, breaking) in [(BREAKING, true), (OTHER, false)] {
        let list: Vec<&Change> = entries.iter().filter(|c| c.breaking == breaking).collect();
        if list.is_empty() {
            continue;
        }
        section.push_str(&format!("\n{title}\n\n"));
        for c in list {
            section.push_str(&format!("- {}: {}\n", c.at, c.what));
        }
    }
    section.push('\n');
    // Replace the old section (up to the next `## ` heading), or insert before the first
    // release.
    let out = match text.find(UNRELEASED) {
        Some(start) => {
            let rest = &text[start + UNRELEASED.len()..];
            let end = rest
                .find("\n## ")
                .map_or(text.len(), |i| start + UNRELEASED.len() + i + 1);
            format!("{}{section}{}", &text[..start], &text[end..])
        }
        None => match text.find("\n## ") {
            Some(i) => format!("{}{section}{}", &text[..=i], &text[i + 1..]),
            None => format!("{text}\n{section}"),
        },
    };
    (out, required)
}

/// `a < b` for `X.Y.Z` versions (missing or unreadable parts count as 0).
pub fn older(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> {
        v.split(['.', '-', '+'])
            .take(3)
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    parts(a) < parts(b)
}

/// The manifest with its package version set to `version` (the first `version = "…"` line).
pub fn with_version(manifest: &str, version: &str) -> String {
    let mut done = false;
    let mut out: Vec<String> = Vec::new();
    for line in manifest.lines() {
        if !done && line.starts_with("version = \"") {
            out.push(format!("version = \"{version}\""));
            done = true;
        } else {
            out.push(line.to_owned());
        }
    }
    let mut text = out.join("\n");
    if manifest.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(breaking: bool, at: &str, what: &str) -> Change {
        Change {
            breaking,
            at: at.into(),
            what: what.into(),
        }
    }

    #[test]
    fn unreleased_changes_accumulate_and_decide_the_bump() {
        let text = initial("0.1.0");
        let added = Report {
            changes: vec![change(false, "GET /a", "operation added")],
            ..Report::default()
        };
        let (text, version) = update(&text, &added, "0.1.0");
        assert_eq!(version, "0.1.1");
        assert!(
            text.contains(
                "## Unreleased\n\n### Non-breaking\n\n- GET /a: operation added\n\n## 0.1.0"
            ),
            "{text}"
        );
        let removed = Report {
            changes: vec![change(true, "GET /b", "operation removed")],
            ..Report::default()
        };
        let (text, version) = update(&text, &removed, "0.1.0");
        assert_eq!(version, "0.2.0");
        assert!(
            text.contains("### Breaking\n\n- GET /b: operation removed\n"),
            "{text}"
        );
        assert!(text.contains("- GET /a: operation added"), "{text}");
        // The same report again changes nothing.
        assert_eq!(update(&text, &removed, "0.1.0").0, text);
        assert!(older("0.1.9", "0.2.0") && !older("0.2.0", "0.2.0"));
    }

    #[test]
    fn only_the_package_version_changes() {
        let manifest = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\ny = { version = \"1\" }\n";
        assert_eq!(
            with_version(manifest, "0.2.0"),
            manifest.replace("0.1.0", "0.2.0")
        );
    }
}
