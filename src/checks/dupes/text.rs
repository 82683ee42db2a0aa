//! Issues and drafts as duplicate search reads them: the shared analysis
//! (src/text) over the prose of the title and of the body, without the
//! forms' headings, GitHub's `_No response_` and the template lines
//! learned from the corpus. Every issue and every query goes through these
//! same functions, so the index and the query always agree on terms.

use crate::text::{self, Boilerplate};
use std::sync::LazyLock;

pub(crate) use crate::text::words::floor_char_boundary;
pub(crate) use crate::text::Term as Token;

/// Bodies are analysed up to this many bytes: the rest of a long body is
/// almost always logs or stack traces that only add noise.
pub(crate) const MAX_ANALYZED_BYTES: usize = 16 * 1024;

/// Content terms of a title.
pub(crate) fn analyze_title(title: &str) -> Vec<Token> {
    let prose = text::words::prose(title);
    text::terms(&prose, text::language(&prose))
}

/// Content terms of an issue body or of a draft's answers, boilerplate
/// removed first.
pub(crate) fn analyze_body(body: &str) -> Vec<Token> {
    let cut = floor_char_boundary(body, MAX_ANALYZED_BYTES);
    let prose = text::words::prose(&strip_boilerplate(&body[..cut]));
    text::terms(&prose, text::language(&prose))
}

/// The template lines the triage model learned from the corpus: the old
/// issue template's instructions and pledges.
static LEARNED: LazyLock<Boilerplate> = LazyLock::new(|| {
    Boilerplate::new(
        crate::checks::triage::model::shipped()
            .config
            .boilerplate
            .iter()
            .map(String::as_str),
    )
});

/// The body without headings, `_No response_` and template lines; what the
/// reporter wrote stays.
pub(crate) fn strip_boilerplate(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        let t = line.trim_start();
        let heading = t.starts_with('#') && t.trim_start_matches('#').starts_with(' ');
        if !heading && !LEARNED.is_boilerplate(line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A stable 64-bit hash (FNV-1a) of a term: the index keys terms by it, so
/// it must never change without a new index format.
pub(crate) fn term_key(term: &str) -> u64 {
    crate::learn::fnv1a(term.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze_body(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn headings_and_blank_answers_are_not_terms() {
        let body = "### Steps to reproduce the problem\n\n1. Open a thread\n\n### Detailed description\n\n_No response_\n";
        assert_eq!(terms(body), terms("Open a thread"));
    }

    #[test]
    fn the_same_words_give_the_same_terms_in_titles_and_bodies() {
        let a: Vec<String> = analyze_title("Toots vanish")
            .into_iter()
            .map(|t| t.term)
            .collect();
        assert_eq!(a, terms("posts disappear"));
        assert_eq!(term_key("post"), term_key("post"));
        assert_ne!(term_key("post"), term_key("boost"));
    }
}
