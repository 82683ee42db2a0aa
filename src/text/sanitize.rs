//! Untrusted text (issue titles and bodies, answers, forms, what servers
//! say, parser messages) made safe to show. This is the one sanitiser:
//! every view (terminal lines, workflow commands, comments, errors) goes
//! through [`printable`] or one of the functions built on it.

/// The longest error line shown, in characters.
pub const ERROR_MAX_CHARS: usize = 400;
/// The longest name a parser's message may quote, in characters.
const QUOTED_NAME_MAX: usize = 40;

/// Text made safe to print on one terminal line: control characters
/// (escape sequences, line breaks) and bidirectional controls would let it
/// redraw or disguise what the terminal shows.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| one_line_char(c).unwrap_or(c))
        .collect()
}

/// Like [`printable`], but line breaks stay: for previews of several lines.
/// A `\r` is dropped (it would move the cursor back over the line).
pub fn printable_lines(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '\r')
        .map(|c| match c {
            '\n' => '\n',
            c => one_line_char(c).unwrap_or(c),
        })
        .collect()
}

/// [`printable`], cut to at most `max` characters (an ellipsis marks a cut).
pub fn printable_cut(text: &str, max: usize) -> String {
    let one = printable(text);
    if one.chars().count() <= max {
        return one;
    }
    let cut: String = one.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// The replacement of a character that must not reach a terminal as it is.
fn one_line_char(c: char) -> Option<char> {
    match c {
        '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
        c if c.is_control() => Some('\u{FFFD}'),
        // Bidirectional embeddings, overrides, isolates and marks.
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => Some('\u{FFFD}'),
        _ => None,
    }
}

/// A parser's message (serde, YAML, JSON) fit to show in an error: the
/// values it quotes (`invalid type: string "…"`) are dropped, since they
/// are the file's content; quoted names (`` unknown field `x` ``) are cut
/// short; the whole is one printable line of bounded length.
pub fn error_text(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(ERROR_MAX_CHARS * 4));
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // serde quotes strings with `{:?}`: `"…"` with `\"` escapes.
            '"' => {
                while let Some(q) = chars.next() {
                    match q {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                if out.ends_with(' ') {
                    out.pop();
                }
            }
            '`' => {
                let mut name = String::new();
                let mut closed = false;
                for q in chars.by_ref() {
                    if q == '`' {
                        closed = true;
                        break;
                    }
                    if name.chars().count() <= QUOTED_NAME_MAX {
                        name.push(q);
                    }
                }
                out.push('`');
                out.push_str(&printable_cut(&name, QUOTED_NAME_MAX));
                if closed {
                    out.push('`');
                }
            }
            c => out.push(c),
        }
        if out.len() > ERROR_MAX_CHARS * 4 {
            break;
        }
    }
    printable_cut(out.trim(), ERROR_MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_defuses_escapes_and_bidi() {
        assert_eq!(
            printable("a\x1b[2Jb\nc\u{202E}d\u{2028}e\u{061C}\x07"),
            "a\u{FFFD}[2Jb c\u{FFFD}d e\u{FFFD}\u{FFFD}"
        );
        assert_eq!(
            printable_lines("a\x1b]0;t\x07\r\nb\u{2067}"),
            "a\u{FFFD}]0;t\u{FFFD}\nb\u{FFFD}"
        );
    }

    #[test]
    fn cut_marks_the_cut() {
        assert_eq!(printable_cut("abcdef", 4), "abc…");
        assert_eq!(printable_cut("abc", 4), "abc");
    }

    #[test]
    fn parser_messages_lose_the_values_they_quote() {
        assert_eq!(
            error_text(r#"invalid type: string "root:x:0:0:\"root\"", expected struct IssueForm"#),
            "invalid type: string, expected struct IssueForm"
        );
        let long = format!("unknown field `{}`, expected `name`", "k".repeat(900_000));
        let e = error_text(&long);
        assert!(e.len() < 200, "{e}");
        assert!(e.ends_with("…`, expected `name`"), "{e}");
        assert_eq!(error_text("a\nb\x1b"), "a b\u{FFFD}");
        assert!(error_text(&"x".repeat(1_000_000)).chars().count() <= ERROR_MAX_CHARS);
    }
}
