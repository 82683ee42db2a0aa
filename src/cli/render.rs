//! The library's results as text: findings, triage reasons and candidates
//! for people, and lint findings as GitHub annotations. JSON comes from
//! the results' own serde shapes.

use issue_preflight::action::workflow;
use issue_preflight::checks::dupes::Candidate;
use issue_preflight::checks::lint::{Finding, Severity};
use issue_preflight::checks::triage::Reason;
use issue_preflight::text::printable;
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

/// One line a triage reason: `  +3.00  signal: evidence`.
pub fn reason_line(r: &Reason) -> String {
    format!(
        "  {:+.2}  {}: {}",
        r.weight,
        printable(&r.signal),
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
        let _ = write!(line, " (hint: {})", printable(&f.hint));
    }
    line
}

/// A finding as a workflow command: `::error file=…,line=…,title=…::message`.
pub fn github_annotation(f: &Finding, file: Option<&str>) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let line = f.line.map(|l| l.to_string());
    let title = format!("preflight {}", f.code.code());
    let mut props: Vec<(&str, &str)> = Vec::new();
    if let Some(file) = file {
        props.push(("file", file));
        if let Some(line) = &line {
            props.push(("line", line));
        }
    }
    props.push(("title", &title));
    let mut msg = match &f.field {
        Some(field) => format!("{field}: {}", f.message),
        None => f.message.clone(),
    };
    if !f.hint.is_empty() {
        let _ = write!(msg, " (hint: {})", f.hint);
    }
    workflow::command(level, &props, &msg)
}

/// One line a candidate: `0.89  #101 [open] Title  URL`.
pub fn candidate_line(c: &Candidate, style: Style) -> String {
    format!(
        "{:.2}  #{} [{}] {}  {}",
        c.score,
        c.number,
        c.state,
        style.bold(&printable(&c.title)),
        printable(&c.url)
    )
}

/// Scores and confidences as JSON shows them.
pub fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use issue_preflight::checks::lint::Rule;

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
    fn findings_shown_to_people_carry_no_escapes() {
        let mut f = finding();
        f.message = "`\x1b]0;pwned\x07` is not a version".into();
        f.hint = "\x1b[2J".into();
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
