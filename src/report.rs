//! Rendering findings for people, for machines (JSON) and for GitHub
//! (workflow-command annotations): one source of truth, three views.

use crate::checks::lint::{Finding, Severity};
use std::fmt::Write as _;

/// ANSI colour, only where the output is a terminal and NO_COLOR is unset.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn detect(is_terminal: bool) -> Style {
        Style {
            color: is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        self.paint(code, s.as_str())
    }
}

/// Text from issues and answers, made safe to print on one terminal line:
/// control characters (escape sequences, line breaks) and bidirectional
/// overrides would let it redraw or disguise what the terminal shows.
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

/// One line a triage reason: `  +3.00  signal: evidence`.
pub fn reason_line(r: &crate::triage::Reason) -> String {
    format!(
        "  {:+.2}  {}: {}",
        r.weight,
        r.signal,
        printable(&r.evidence)
    )
}

/// One line a finding: `error[code] field: message (hint: …)`.
pub fn human_finding(f: &Finding, style: Style) -> String {
    let mut line = format!("{}[{}]", style.severity(f.severity), f.code.code());
    if let Some(field) = &f.field {
        let _ = write!(line, " {}:", style.bold(&printable(field)));
    }
    let _ = write!(line, " {}", printable(&f.message));
    if !f.hint.is_empty() {
        let _ = write!(line, " (hint: {})", f.hint);
    }
    line
}

/// `N errors, N warnings, N notes`.
pub fn summary(findings: &[Finding]) -> String {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Note), "note")
    )
}

/// A GitHub workflow command: `::error file=…,line=…,title=…::message`.
pub fn github_annotation(f: &Finding, file: Option<&str>) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(file) = file {
        props.push(format!("file={}", escape_property(file)));
        if let Some(line) = f.line {
            props.push(format!("line={line}"));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("preflight {}", f.code.code()))
    ));
    let mut msg = match &f.field {
        Some(field) => format!("{field}: {}", f.message),
        None => f.message.clone(),
    };
    if !f.hint.is_empty() {
        let _ = write!(msg, " (hint: {})", f.hint);
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&msg))
}

/// Escaping of a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::lint::Rule;

    fn finding() -> Finding {
        Finding {
            code: Rule::MissingRequired,
            severity: Severity::Error,
            field: Some("Mastodon version".into()),
            message: "line one\nline: two, 100%".into(),
            hint: String::new(),
            line: Some(7),
        }
    }

    #[test]
    fn annotation_escapes_message_and_properties() {
        let a = github_annotation(&finding(), Some("a,b:c.md"));
        assert_eq!(
            a,
            "::error file=a%2Cb%3Ac.md,line=7,title=preflight missing-required::Mastodon version: line one%0Aline: two, 100%25"
        );
    }

    #[test]
    fn printable_defuses_escapes_and_bidi() {
        assert_eq!(
            printable("a\x1b[2Jb\nc\u{202E}d"),
            "a\u{FFFD}[2Jb c\u{FFFD}d"
        );
        let mut f = finding();
        f.message = "`\x1b]0;pwned\x07` is not a version".into();
        assert!(!human_finding(&f, Style { color: false }).contains('\x1b'));
    }

    #[test]
    fn plain_style_has_no_escape_codes() {
        let line = human_finding(&finding(), Style { color: false });
        assert!(!line.contains('\x1b'));
        assert!(line.starts_with("error[missing-required] Mastodon version:"));
        let colored = human_finding(&finding(), Style { color: true });
        assert!(colored.contains("\x1b[1;31m"));
    }
}
