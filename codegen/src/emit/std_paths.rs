//! Prelude names spelled short: `::std::option::Option<::std::string::String>` becomes
//! `Option<String>` wherever the file defines nothing of that name.
//!
//! Emitters write standard items by their absolute paths, because a document may well name a
//! schema `Option`, `Result` or `Box`, and a generated type of that name would shadow the
//! prelude. Most files define no such name, and there the long spelling only costs width:
//! prettyplease then breaks field types, signatures and calls over several lines. This pass
//! runs on a file's tokens just before formatting. It shortens a path only to a prelude name
//! that nothing in the file defines or imports (a conservative reading: any item, at any
//! depth, and any name in a `use`), so the meaning never changes.

use proc_macro2::{Group, Spacing, TokenStream, TokenTree};
use std::collections::HashSet;

/// Absolute paths and the prelude names they shorten to. Longer paths come first, so that
/// `::std::option::Option::Some` becomes `Some` rather than `Option::Some`.
const SHORT: &[(&[&str], &str)] = &[
    (&["std", "option", "Option", "Some"], "Some"),
    (&["std", "option", "Option", "None"], "None"),
    (&["std", "option", "Option"], "Option"),
    (&["std", "result", "Result", "Ok"], "Ok"),
    (&["std", "result", "Result", "Err"], "Err"),
    (&["std", "result", "Result"], "Result"),
    (&["std", "string", "String"], "String"),
    (&["std", "vec", "Vec"], "Vec"),
    (&["std", "boxed", "Box"], "Box"),
    (&["std", "default", "Default"], "Default"),
    (&["std", "convert", "Into"], "Into"),
    (&["std", "convert", "From"], "From"),
];

/// Keywords after which an identifier is the name of something the file defines.
const DEFINING: &[&str] = &[
    "struct", "enum", "union", "type", "trait", "fn", "mod", "const", "static",
];

/// Keywords that can stand right before a path.
const KEYWORDS: &[&str] = &[
    "impl", "dyn", "as", "return", "in", "mut", "ref", "move", "else", "match", "if", "while",
    "for", "let", "break", "where", "yield", "await",
];

/// `tokens` with every shortenable standard path spelled by its prelude name.
pub(super) fn shorten(tokens: TokenStream) -> TokenStream {
    let mut defined = HashSet::new();
    // A glob import (`use x::*;`) may bring in any name: such a file is left as it is.
    if collect_defined(tokens.clone(), &mut defined, false) == Globs::Present {
        return tokens;
    }
    let usable: Vec<(&[&str], &str)> = SHORT
        .iter()
        .filter(|(_, short)| !defined.contains(*short))
        .copied()
        .collect();
    if usable.is_empty() {
        return tokens;
    }
    rewrite(tokens, &usable)
}

/// Whether a `use` item of the tokens imports with `*`.
#[derive(Debug, PartialEq, Eq)]
enum Globs {
    Present,
    Absent,
}

/// Every identifier the tokens define (after a defining keyword) or import (anywhere in a
/// `use` item, up to its `;`), at any depth; and whether any `use` imports with `*`.
/// `inside_use` is set for the inside of a `use` tree's braces, where every identifier is an
/// imported name. Generic parameters are not collected: emitters name them `S`, `D`, `__A`
/// and the like, never after a prelude item.
fn collect_defined(tokens: TokenStream, out: &mut HashSet<String>, inside_use: bool) -> Globs {
    let mut globs = Globs::Absent;
    let mut in_use = inside_use;
    let mut after_keyword = false;
    for tt in tokens {
        match tt {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let name = text.strip_prefix("r#").unwrap_or(&text).to_owned();
                if in_use || after_keyword {
                    out.insert(name);
                }
                after_keyword = DEFINING.contains(&text.as_str());
                if text == "use" {
                    in_use = true;
                }
            }
            TokenTree::Group(group) => {
                if collect_defined(group.stream(), out, in_use) == Globs::Present {
                    globs = Globs::Present;
                }
                after_keyword = false;
            }
            TokenTree::Punct(punct) => {
                match punct.as_char() {
                    ';' => in_use = inside_use,
                    '*' if in_use => globs = Globs::Present,
                    _ => {}
                }
                after_keyword = false;
            }
            TokenTree::Literal(_) => after_keyword = false,
        }
    }
    globs
}

fn rewrite(tokens: TokenStream, usable: &[(&[&str], &str)]) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        // `::std::…` starts a path unless a path segment comes before it (`crate::std::…`);
        // after punctuation (`->`, `<`, `(`, `,`) or a keyword (`impl`, `dyn`, `as`) it is a
        // path of its own. Only a `:` can begin one, so other tokens skip the checks.
        let starts_path = || match out.last() {
            Some(TokenTree::Ident(ident)) => KEYWORDS.contains(&ident.to_string().as_str()),
            _ => true,
        };
        if is_colon(&trees[i], Spacing::Joint)
            && starts_path()
            && let Some((len, short)) = match_path(&trees[i..], usable)
        {
            out.push(TokenTree::Ident(proc_macro2::Ident::new(
                short,
                trees[i + 1].span(),
            )));
            i += len;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), rewrite(group.stream(), usable));
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// The length in tokens and the short name of the standard path at the start of `trees`, if
/// one is there: `:: std :: option :: Option`, with `::` as two joint-then-alone colons.
fn match_path<'a>(trees: &[TokenTree], usable: &[(&[&str], &'a str)]) -> Option<(usize, &'a str)> {
    for (segments, short) in usable {
        let len = segments.len() * 3;
        if trees.len() < len {
            continue;
        }
        let matched = segments.iter().enumerate().all(|(k, seg)| {
            let at = k * 3;
            is_colon(&trees[at], Spacing::Joint)
                && is_colon(&trees[at + 1], Spacing::Alone)
                && matches!(&trees[at + 2], TokenTree::Ident(id) if id == seg)
        });
        // When `Some` itself is defined, `::std::option::Option::Some` falls through to the
        // `Option` entry and reads `Option::Some`, which is still the prelude's.
        if matched {
            return Some((len, short));
        }
    }
    None
}

fn is_colon(tt: &TokenTree, spacing: Spacing) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == spacing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn text(tokens: TokenStream) -> String {
        shorten(tokens).to_string()
    }

    #[test]
    fn prelude_paths_are_spelled_short() {
        let out = text(quote! {
            pub struct Pet { pub name: ::std::option::Option<::std::vec::Vec<::std::string::String>> }
            fn f() -> ::std::result::Result<(), ()> { ::std::result::Result::Ok(()) }
            fn g() -> ::std::option::Option<u8> { ::std::option::Option::None }
            fn h(x: impl ::std::convert::Into<::std::string::String>) -> &mut dyn ::std::convert::From<u8> { todo!() }
        });
        assert_eq!(
            out,
            quote! {
                pub struct Pet { pub name: Option<Vec<String>> }
                fn f() -> Result<(), ()> { Ok(()) }
                fn g() -> Option<u8> { None }
                fn h(x: impl Into<String>) -> &mut dyn From<u8> { todo!() }
            }
            .to_string()
        );
    }

    #[test]
    fn a_name_the_file_defines_keeps_the_long_path() {
        let out = text(quote! {
            pub struct Option { pub inner: ::std::option::Option<u8> }
            pub enum Wrapper { Some(::std::boxed::Box<u8>) }
            mod m { pub fn f() -> ::std::option::Option<u8> { ::std::option::Option::Some(1) } }
        });
        assert!(out.contains(":: std :: option :: Option < u8 >"), "{out}");
        // `Some` is not defined at module level (a variant is not), but `Option` is; the
        // variant path shortens to `Some` all the same, which the prelude provides.
        assert!(out.contains("Some (1)"), "{out}");
        assert!(out.contains("Box < u8 >"), "{out}");
    }

    #[test]
    fn imported_names_keep_the_long_path() {
        let out = text(quote! {
            pub use crate::engine::{Result, Error};
            fn f() -> ::std::result::Result<u8, ()> { ::std::result::Result::Ok(1) }
        });
        assert!(out.contains(":: std :: result :: Result < u8"), "{out}");
        // `Ok` is not imported, so the variant is spelled short.
        assert!(out.contains("{ Ok (1) }"), "{out}");
    }

    #[test]
    fn a_file_with_a_glob_import_is_left_as_it_is() {
        let tokens = quote! {
            use super::{types::*, Other};
            fn f() -> ::std::option::Option<u8> { ::std::option::Option::None }
        };
        assert_eq!(text(tokens.clone()), tokens.to_string());
        let plain = quote! {
            use super::*;
            fn f(x: &::std::string::String) -> usize { x.len() * 2 }
        };
        assert_eq!(text(plain.clone()), plain.to_string());
    }

    #[test]
    fn paths_inside_other_paths_and_macros() {
        let out = text(quote! {
            type A = crate::std::option::Option<u8>;
            crate::engine::m!(x: ::std::string::String);
        });
        // A path that does not start with `::std` stays; macro arguments are shortened.
        assert!(out.contains("crate :: std :: option :: Option"), "{out}");
        assert!(out.contains("x : String"), "{out}");
    }
}
