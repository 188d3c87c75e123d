//! Sections of `BENCHMARKS.md` that one command owns: the text between two HTML comment
//! markers, rewritten by that command and carried over untouched by the others.

/// One owned section: its markers, and the heading it goes before the first time.
pub struct Marked {
    /// The opening marker.
    pub start: &'static str,
    /// The closing marker.
    pub end: &'static str,
    /// Where a file without the section gets it: before this text (`"\n## Reproduce"`), else
    /// at the end.
    pub before: &'static str,
}

impl Marked {
    /// The section's text in `text` (between the markers, trimmed), if it has one.
    pub fn existing<'t>(&self, text: &'t str) -> Option<&'t str> {
        let a = text.find(self.start)?;
        let b = text.find(self.end)?;
        (a < b).then(|| text[a + self.start.len()..b].trim())
    }

    /// `text` with the section replaced by `section`, or, the first time, given it.
    pub fn replace(&self, text: &str, section: &str) -> String {
        let block = format!("{}\n{}\n{}\n", self.start, section.trim_end(), self.end);
        if let (Some(a), Some(b)) = (text.find(self.start), text.find(self.end))
            && a < b
        {
            let after = text[b + self.end.len()..].trim_start_matches('\n');
            return format!("{}{block}\n{after}", &text[..a]);
        }
        match text.find(self.before) {
            Some(at) => format!("{}\n{block}{}", &text[..=at], &text[at..]),
            None => format!("{}\n\n{block}", text.trim_end()),
        }
    }
}
