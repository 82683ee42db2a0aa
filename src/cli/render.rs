//! The library's results as text: findings, triage reasons and candidates
//! for people, and lint findings as GitHub annotations. JSON comes from
//! the results' own serde shapes.

use super::args::ColorWhen;
use anstream::ColorChoice;
use clap::ValueEnum;
use issue_preflight::action::workflow;
use issue_preflight::checks::dupes::Candidate;
use issue_preflight::checks::lint::{Finding, Severity};
use issue_preflight::checks::triage::Reason;
use issue_preflight::text::printable;
use std::fmt::Write as _;

/// ANSI colour on standard output, or none.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour as `--color` says; under `auto`, by the rules clap's own help
    /// follows (anstream's): not with NO_COLOR, always with CLICOLOR_FORCE,
    /// else only on a terminal (and not TERM=dumb). Call [`use_color`] first.
    pub fn detect() -> Style {
        Style {
            color: anstream::AutoStream::choice(&std::io::stdout()) != ColorChoice::Never,
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

/// Makes `--color` the choice of the whole process (clap's help and errors
/// included). Before clap has parsed the command line, `when` is read from
/// it by hand ([`color_in_args`]) so that `--color never --help` holds too.
pub fn use_color(when: ColorWhen) {
    match when {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    }
    .write_global();
}

/// `--color WHEN` or `--color=WHEN` among the arguments, if given (the
/// last one wins, as with clap); an unknown value is left to clap.
pub fn color_in_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<ColorWhen> {
    let mut found = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--color") {
            Some("") => args.next().map(|v| v.to_string_lossy().into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(v) = value.and_then(|v| ColorWhen::from_str(&v, true).ok()) {
            found = Some(v);
        }
    }
    found
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
    fn color_is_read_from_the_arguments_before_clap() {
        let args = |a: &[&str]| color_in_args(a.iter().map(std::ffi::OsString::from));
        assert_eq!(
            args(&["preflight", "--color", "never", "--help"]),
            Some(ColorWhen::Never)
        );
        assert_eq!(
            args(&["preflight", "lint", "--color=always"]),
            Some(ColorWhen::Always)
        );
        assert_eq!(args(&["preflight", "lint", "--", "--color=always"]), None);
        assert_eq!(args(&["preflight", "--color", "purple"]), None);
        assert_eq!(args(&["preflight", "--colorful"]), None);
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
