//! Doc comments from document prose: made safe for rustdoc (no accidental doctests, no bidi
//! controls) and emitted as `#[doc = "..."]` string literals, so nothing in the text can ever
//! become code.

use proc_macro2::TokenStream;
use quote::quote;

/// Removes characters that rustc refuses or that could disguise text, and stops Markdown code
/// blocks from being compiled as doctests.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.lines() {
        let line: String = line
            .chars()
            .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}'))
            .filter(|c| !c.is_control() || *c == '\t')
            .collect();
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            if !in_fence && rest.trim().is_empty() {
                out.push_str("```text\n");
            } else {
                out.push_str("```");
                out.push_str(if in_fence { "" } else { "text" });
                out.push('\n');
            }
            in_fence = !in_fence;
            continue;
        }
        // Indentation would turn prose into an (untested, uncompilable) code block.
        out.push_str(if in_fence { &line } else { trimmed });
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// Doc lines for paragraphs of document prose (cleaned; empty ones skipped), separated by
/// blank lines.
fn doc_lines(paragraphs: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs {
        let p = clean(p);
        if p.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(p.lines().map(|l| format!(" {l}")));
    }
    lines
}

/// `#[doc]` attributes for paragraphs of document prose.
pub(crate) fn attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote!(#(#[doc = #lines])*)
}

/// `#[doc]` attributes for prose followed by text the generator wrote itself (a usage
/// example), which is kept as is: its code blocks are meant to be compiled as doctests.
pub(crate) fn attrs_with_code(paragraphs: &[String], generated: &str) -> TokenStream {
    let mut lines = doc_lines(paragraphs);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(generated.lines().map(|l| format!(" {l}")));
    quote!(#(#[doc = #lines])*)
}

/// Inner `#![doc]` attributes, for module docs.
pub(crate) fn inner_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote!(#(#![doc = #lines])*)
}

/// Document text as it may sit inside a code span of a generated doc: one line, no controls
/// or bidi characters, backticks neutralised. For names that macros quote in their docs.
pub(crate) fn inline(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}'))
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// A doc override for a name that is both code and doc text in a macro call: `None` when the
/// name is safe in a doc as it is, else its [`inline`] form.
pub(crate) fn inline_override(text: &str) -> Option<String> {
    let safe = inline(text);
    (safe != text).then_some(safe)
}

/// Inline code in docs, with backticks neutralised.
pub(crate) fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

/// Docs for a type or field from the IR.
pub(crate) fn of(doc: &crate::ir::Doc) -> TokenStream {
    let mut parts = Vec::new();
    if let Some(t) = &doc.title {
        parts.push(t.clone());
    }
    if let Some(d) = &doc.description
        && doc.title.as_deref() != Some(d.as_str())
    {
        parts.push(d.clone());
    }
    if let Some(d) = &doc.default {
        parts.push(format!("Default: {}", code(&truncate(d))));
    }
    if let Some(e) = &doc.example {
        parts.push(format!("Example: {}", code(&truncate(e))));
    }
    attrs(&parts)
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 200 {
        format!("{}...", s.chars().take(200).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_is_one_line_without_backticks_or_controls() {
        assert_eq!(inline("a`b\n```\nc\u{202E}d\te"), "a'b ''' cd e");
        assert_eq!(inline_override("page_size"), None);
        assert_eq!(inline_override("x\ny").as_deref(), Some("x y"));
    }
}
