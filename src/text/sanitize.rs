//! Untrusted text (issue titles and bodies, answers, what servers say) made
//! safe to show.

/// Text made safe to print on one terminal line: control characters
/// (escape sequences, line breaks) and bidirectional overrides would let it
/// redraw or disguise what the terminal shows.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
                '\u{FFFD}'
            }
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_defuses_escapes_and_bidi() {
        assert_eq!(
            printable("a\x1b[2Jb\nc\u{202E}d"),
            "a\u{FFFD}[2Jb c\u{FFFD}d"
        );
    }
}
