//! Every crate's modules import one way: the graph of `crate::module` references between the
//! top-level modules of each crate's `src/` has no cycle (a step of the generator never
//! reaches back into an earlier one; the runtime never into the API layer). Test code
//! (`#[cfg(test)] mod tests`) is left out: a test may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)
            .expect("readable source folder")
            .flatten()
        {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// The identifiers that follow `prefix` in `code` (`crate::a`, `crate::{a, b::c}`).
fn referenced(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + prefix.len()..];
        rest = after;
        // `$crate::` is the runtime's macros naming themselves; `foo_crate::` is another path.
        if before.is_some_and(|c| c == '$' || c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name = ident(part.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(after);
            // `super::types::#ty` inside `quote!` is code being generated, not a call.
            if !after[name.len()..].starts_with("::#") {
                out.insert(name);
            }
        }
    }
    out
}

/// The code of a file without its comments and its `#[cfg(test)] mod tests { .. }` tail.
fn production_code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable source");
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules of `src` and the ones each references.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(src).expect("src folder").flatten() {
        let p = entry.path();
        let name = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if p.is_dir() && name != "bin" {
            modules.insert(name, rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs")
            && !["lib", "main"].contains(&name.as_str())
        {
            // `a.rs` and its folder `a/` are one module.
            modules.entry(name).or_default().push(p);
        }
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    let mut edges = BTreeMap::new();
    for (module, files) in &modules {
        let mut to = BTreeSet::new();
        for file in files {
            let code = production_code(file);
            let mut refs = referenced(&code, "crate::");
            // In a top-level file, `super::` is the crate root.
            if file.parent() == Some(src) {
                refs.extend(referenced(&code, "super::"));
            }
            to.extend(
                refs.into_iter()
                    .filter(|r| names.contains(r) && r != module),
            );
        }
        edges.insert(module.clone(), to);
    }
    edges
}

/// A cycle of `edges`, if there is one.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(at.to_owned(), 1);
        path.push(at.to_owned());
        for next in &edges[at] {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = path.iter().position(|p| p == next).unwrap_or(0);
                    let mut cycle = path[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, edges, state, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        state.insert(at.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for start in edges.keys() {
        if !state.contains_key(start.as_str())
            && let Some(c) = visit(start, edges, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_crate_has_an_import_cycle() {
    for krate in ["codegen", "runtime", "postpress-sdk", "xtask"] {
        let edges = graph(&root().join(krate).join("src"));
        assert!(edges.len() > 2, "{krate}: modules found");
        if let Some(cycle) = find_cycle(&edges) {
            panic!(
                "{krate}/src: the modules import in a cycle: {}",
                cycle.join(" -> ")
            );
        }
    }
}

/// `code` without the bodies of its `quote!` calls: the code an emitter writes names the
/// generated crate's modules (`super::types`), not the emitter's.
fn without_quoted(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("quote!") {
        out.push_str(&rest[..at]);
        let after = rest[at + "quote!".len()..].trim_start();
        let Some(open) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '{' | '(' | '['))
        else {
            out.push_str("quote!");
            rest = after;
            continue;
        };
        let close = match open {
            '{' => '}',
            '(' => ')',
            _ => ']',
        };
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    end = i + c.len_utf8();
                    break;
                }
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Which emitter modules of `codegen/src/emit/` each one names (`super::x` or
/// `crate::emit::x`).
fn emitter_references() -> BTreeMap<String, BTreeSet<String>> {
    let dir = root().join("codegen/src/emit");
    let mut out = BTreeMap::new();
    for file in rust_files(&dir) {
        let name = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name == "mod" {
            continue;
        }
        let code = without_quoted(&production_code(&file));
        let mut refs = referenced(&code, "super::");
        refs.extend(referenced(&code, "crate::emit::"));
        refs.remove(&name);
        out.insert(name, refs);
    }
    out
}

/// The emitters (one output each) never call into each other: what two of them need is in
/// a shared piece, and what they need to know about the model is in the facts step.
#[test]
fn no_emitter_calls_into_another() {
    const EMITTERS: [&str; 8] = [
        "types",
        "operations",
        "mock",
        "index",
        "examples",
        "conformance",
        "standalone",
        "features",
    ];
    let refs = emitter_references();
    assert!(refs.contains_key("types"), "emitters found: {refs:?}");
    for (emitter, names) in &refs {
        if !EMITTERS.contains(&emitter.as_str()) {
            continue;
        }
        // `features` states gates for all of them; it is a shared piece too.
        let called: Vec<&String> = (names.iter())
            .filter(|n| EMITTERS.contains(&n.as_str()) && *n != "features")
            .collect();
        assert!(
            called.is_empty(),
            "emit/{emitter}.rs calls into another emitter: {called:?}"
        );
    }
}

#[test]
fn the_check_finds_a_cycle() {
    let mut edges = BTreeMap::new();
    edges.insert("load".to_owned(), BTreeSet::from(["lower".to_owned()]));
    edges.insert("lower".to_owned(), BTreeSet::from(["normalize".to_owned()]));
    edges.insert("normalize".to_owned(), BTreeSet::from(["load".to_owned()]));
    assert_eq!(
        find_cycle(&edges),
        Some(vec![
            "load".into(),
            "lower".into(),
            "normalize".into(),
            "load".into()
        ])
    );
    let code = "use crate::{a, b::c};\nlet x = crate::d::e; $crate::f; other_crate::g; quote!(crate::h::#x)";
    assert_eq!(
        without_quoted("a quote! { use super::types; } b quote!(x) c"),
        "a  b  c"
    );
    assert_eq!(
        referenced(code, "crate::"),
        BTreeSet::from(["a".into(), "b".into(), "d".into()])
    );
}
