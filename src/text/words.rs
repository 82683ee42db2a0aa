//! From Markdown to words, in time linear in the text: what people wrote
//! ([`prose`]: code blocks, URLs, images, HTML tags and comments dropped),
//! and its words ([`words`]: lower-cased, compatibility-folded, accents
//! kept apart from their letters; runs of kana and ideographs one
//! character a word, as those scripts write no spaces).
//!
//! Every scan that looks ahead for a closing mark is bounded, or consumes
//! what it scans, so that no input (a megabyte of `<a` or `![`) costs more
//! than a pass or two over it.

use unicode_normalization::UnicodeNormalization;

/// How far a tag, an image or a link target is looked for before the mark
/// that opened it is taken as plain text.
const LOOKAHEAD: usize = 512;

/// Whether a character belongs to a script written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ff66}'..='\u{ff9f}') // half-width katakana
}

/// The prose of a Markdown text: fenced code blocks, inline code, URLs,
/// images, HTML comments and tags are replaced by a space; the rest is
/// kept as written, line by line.
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if t.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        strip_inline(line, &mut out);
        out.push('\n');
    }
    out
}

/// One line without inline code, URLs, images, comments and tags.
fn strip_inline(line: &str, out: &mut String) {
    let mut scan = Scan {
        line,
        absent: [0; 3],
    };
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        let rest = &line[i..];
        let skip = if rest.starts_with("http://") || rest.starts_with("https://") {
            // Consumes what it scans.
            Some(
                rest.find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | ']' | '"'))
                    .unwrap_or(rest.len()),
            )
        } else if rest.starts_with("<!--") {
            // Consumes what it scans: a comment never closed hides the rest
            // of the line, as in HTML.
            Some(rest.find("-->").map_or(rest.len(), |p| p + 3))
        } else if rest.starts_with("![") {
            scan.find(i, Mark::Paren).map(|p| p - i + 1)
        } else if c == '<' {
            scan.find(i + 1, Mark::Angle)
                .filter(|&p| p > i + 1 && is_tag(&line[i + 1..p]))
                .map(|p| p - i + 1)
        } else if c == '`' {
            scan.find(i + 1, Mark::Tick).map(|p| p - i + 1)
        } else {
            None
        };
        match skip {
            Some(n) => {
                out.push(' ');
                i += n;
            }
            None => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Mark {
    Paren,
    Angle,
    Tick,
}

impl Mark {
    fn char(self) -> char {
        match self {
            Mark::Paren => ')',
            Mark::Angle => '>',
            Mark::Tick => '`',
        }
    }
}

/// Looks for closing marks within [`LOOKAHEAD`] bytes, remembering how far
/// each mark is known to be absent, so that a line full of opening marks
/// is still scanned about once.
struct Scan<'a> {
    line: &'a str,
    /// Per mark: not found anywhere before this offset.
    absent: [usize; 3],
}

impl Scan<'_> {
    /// The offset of `mark` at or after `from`, within the look-ahead.
    fn find(&mut self, from: usize, mark: Mark) -> Option<usize> {
        let limit = floor_char_boundary(self.line, from + LOOKAHEAD);
        let known = &mut self.absent[mark as usize];
        let start = ceil_char_boundary(self.line, from.max(*known).min(limit));
        let found = self.line[start..limit].find(mark.char());
        #[cfg(test)]
        LOOKED.with(|l| l.set(l.get() + found.map_or(limit - start, |p| p + 1)));
        match found {
            Some(p) => Some(start + p),
            None => {
                *known = limit;
                None
            }
        }
    }
}

fn ceil_char_boundary(s: &str, at: usize) -> usize {
    let mut i = at.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
thread_local! {
    /// Bytes looked ahead at for closing marks: the work that could make a
    /// scan quadratic.
    static LOOKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `a href="…"`, `/div`, `br/`: what an HTML tag looks like inside `<…>`.
fn is_tag(inner: &str) -> bool {
    let name = inner.trim_start_matches('/');
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The largest index `<= at` that is a char boundary of `s`.
pub fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    let mut i = at;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Lower-cased words: runs of letters and digits, compatibility-folded
/// (full-width forms, ligatures) and stripped of combining accents
/// (`café` → `cafe`). An apostrophe inside a word joins it (`don't` →
/// `dont`); anything else separates words. Kana and ideographs are one
/// word each.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.nfkd().filter(|c| !is_combining(*c)).nfc().peekable();
    while let Some(c) = chars.next() {
        if is_cjk(c) {
            flush(&mut cur, &mut out);
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’')
            && !cur.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphabetic())
        {
            // Inside a word: dropped, the word kept together.
        } else {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn flush(cur: &mut String, out: &mut Vec<String>) {
    if !cur.is_empty() {
        out.push(std::mem::take(cur));
    }
}

/// Combining marks (accents once decomposed).
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
        // The kana voicing marks stay: they change the word.
        && !matches!(c, '\u{3099}' | '\u{309a}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_drops_code_links_images_and_markup() {
        let md = "See https://x.example/a?b=c and ![shot](https://x.example/s.png).\n```\nlet x = 1;\n```\n<!-- hidden --><b>bold</b> `code` stays <3 and a<b";
        let p = prose(md);
        assert!(!p.contains("x.example") && !p.contains("let x") && !p.contains("hidden"));
        assert!(!p.contains("<b>") && !p.contains("code"));
        assert!(
            p.contains("bold") && p.contains("stays <3") && p.contains("a<b"),
            "{p}"
        );
    }

    #[test]
    fn words_fold_case_width_and_accents() {
        assert_eq!(
            words("Can't LOG-in: Café ＡＢＣ"),
            ["cant", "log", "in", "cafe", "abc"]
        );
        assert_eq!(
            words("ログインできない"),
            ["ロ", "グ", "イ", "ン", "で", "き", "な", "い"]
        );
    }

    #[test]
    fn hostile_markup_costs_a_bounded_look_ahead_per_byte() {
        // Each of these would rescan the rest of the line per mark if the
        // look-ahead were unbounded: the work must stay a small multiple
        // of the length.
        for unit in ["<a", "![", "`", "<!--x", "<a href=x>", "<<<<"] {
            let text = unit.repeat(200_000 / unit.len());
            LOOKED.with(|l| l.set(0));
            prose(&text);
            let looked = LOOKED.with(|l| l.get());
            assert!(
                looked <= 3 * (text.len() + LOOKAHEAD),
                "{unit:?}: looked at {looked} bytes for {}",
                text.len()
            );
        }
    }
}
