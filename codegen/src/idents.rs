//! Turning arbitrary strings from a document into valid, unique Rust identifiers.

use heck::{ToPascalCase, ToSnakeCase};
use std::collections::HashSet;

/// Words that cannot be identifiers (strict and reserved keywords of every edition).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Names the generated code itself relies on at type level; schemas may not take them.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Value", "Some", "None", "Ok", "Err",
];

/// Keeps ASCII letters and digits (after transliterating other scripts, so `café` is `cafe`),
/// turning every other run of characters into a word break. A string with no letters or
/// digits at all (`+`, `>=`, `$`) is spelled out from its symbols instead.
fn words(raw: &str) -> String {
    let ascii = deunicode::deunicode(raw);
    let mut out = String::with_capacity(ascii.len());
    let mut prev_sep = true;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_sep = false;
        } else if !prev_sep {
            out.push(' ');
            prev_sep = true;
        }
    }
    if out.is_empty() {
        return ascii
            .chars()
            .filter_map(symbol_word)
            .collect::<Vec<_>>()
            .join(" ");
    }
    out
}

fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "plus",
        '-' => "minus",
        '*' => "star",
        '/' => "slash",
        '\\' => "backslash",
        '<' => "lt",
        '>' => "gt",
        '=' => "eq",
        '!' => "not",
        '.' => "dot",
        ',' => "comma",
        ':' => "colon",
        ';' => "semicolon",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        '%' => "percent",
        '&' => "and",
        '|' => "or",
        '^' => "caret",
        '~' => "tilde",
        '?' => "question",
        '_' => "underscore",
        '\'' => "quote",
        '"' => "double quote",
        '(' | ')' => "paren",
        '[' | ']' => "bracket",
        '{' | '}' => "brace",
        _ => return None,
    })
}

/// Longest identifier taken from a document; longer names are cut (uniqueness is restored by
/// [`NameSet`]), so a 20 kB property name cannot make a 20 kB identifier.
const MAX_IDENT: usize = 64;

fn finish(mut ident: String, fallback: &str, digit_prefix: &str) -> String {
    // Identifiers are ASCII by construction, so any byte index is a char boundary.
    ident.truncate(MAX_IDENT);
    let ident = ident.trim_end_matches('_').to_owned();
    let mut ident = ident;
    if ident.is_empty() {
        ident = fallback.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert_str(0, digit_prefix);
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// Method names a generated struct has or inherits that a field's setter (named after the
/// field) must not take: the constructor, and trait methods that an inherent method of the
/// same name would shadow for every caller (`value.clone()` would call the setter).
pub const RESERVED_FIELD_METHODS: &[&str] = &[
    "new",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "hash",
    "cmp",
    "partial_cmp",
    "serialize",
    "deserialize",
    "from",
    "into",
    "try_from",
    "try_into",
    "to_owned",
    "to_string",
    "borrow",
    "borrow_mut",
    "type_id",
    "default",
];

/// A `PascalCase` type or variant name.
pub fn type_name(raw: &str) -> String {
    let ident = finish(words(raw).to_pascal_case(), "Unnamed", "T");
    if RESERVED_TYPES.contains(&ident.as_str()) {
        format!("{ident}Type")
    } else {
        ident
    }
}

/// A `snake_case` field, method or module name.
pub fn field_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "field", "_")
}

/// Hands out names that are unique within one namespace, suffixing `2`, `3`, ... on collision.
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    taken: HashSet<String>,
}

impl NameSet {
    /// A set with `names` already taken.
    pub fn reserving(names: &[&str]) -> Self {
        let mut set = Self::default();
        for name in names {
            set.reserve(name);
        }
        set
    }

    /// Marks `name` as used.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Whether `name` is free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Returns `base` or the first free `base2`, `base3`, ...
    pub fn unique(&mut self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arbitrary_strings_become_identifiers() {
        assert_eq!(type_name("account-list"), "AccountList");
        assert_eq!(type_name("2fa"), "T2fa");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("日本"), "RiBen");
        assert_eq!(type_name("+"), "Plus");
        assert_eq!(type_name(">="), "GtEq");
        assert_eq!(field_name("café"), "cafe");
        assert_eq!(field_name("$"), "dollar");
        assert_eq!(type_name("\u{202e}"), "Unnamed");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("r#type"), "r_type");
        assert_eq!(field_name("\"]; fn evil() {"), "fn_evil");
        assert_eq!(field_name("123abc"), "_123abc");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("@odata.type"), "odata_type");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut set = NameSet::default();
        assert_eq!(set.unique("a"), "a");
        assert_eq!(set.unique("a"), "a2");
        assert_eq!(set.unique("a"), "a3");
    }
}
