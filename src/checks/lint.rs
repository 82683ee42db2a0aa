//! Lint: does the draft answer its form, and answer it usefully?
//!
//! Each rule has a stable code; front ends render the findings as text,
//! JSON or GitHub annotations.

use crate::draft::document::Document;
use crate::draft::parse::ParsedBody;
use crate::draft::{answer_for, Answer, Answers};
use crate::form::{Field, FieldKind, FormSet, IssueForm};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// GitHub's limit on an issue body, in characters.
pub const MAX_BODY_CHARS: usize = 65_536;
/// GitHub's limit on an issue title, in characters.
pub const MAX_TITLE_CHARS: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The rules, with their stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    MissingRequired,
    Placeholder,
    PrefilledUntouched,
    InvalidOption,
    RequiredCheckbox,
    TitleEmpty,
    TitleGeneric,
    TitlePrefixOnly,
    TitleTooLong,
    StepsNotSteps,
    VersionFormat,
    BodyTooLong,
    UnknownSection,
    UnknownAnswer,
    NoMatchingForm,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::MissingRequired => "missing-required",
            Rule::Placeholder => "placeholder",
            Rule::PrefilledUntouched => "prefilled-untouched",
            Rule::InvalidOption => "invalid-option",
            Rule::RequiredCheckbox => "required-checkbox",
            Rule::TitleEmpty => "title-empty",
            Rule::TitleGeneric => "title-generic",
            Rule::TitlePrefixOnly => "title-prefix-only",
            Rule::TitleTooLong => "title-too-long",
            Rule::StepsNotSteps => "steps-not-steps",
            Rule::VersionFormat => "version-format",
            Rule::BodyTooLong => "body-too-long",
            Rule::UnknownSection => "unknown-section",
            Rule::UnknownAnswer => "unknown-answer",
            Rule::NoMatchingForm => "no-matching-form",
        }
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Rule,
    pub severity: Severity,
    /// The field's label (or id), or `title` / `body`.
    pub field: Option<String>,
    pub message: String,
    pub hint: String,
    /// 1-based line in the body, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// What lint looks at.
pub struct LintInput<'a> {
    pub form: &'a IssueForm,
    pub answers: &'a Answers,
    /// The title, when known (a bare Markdown body has none).
    pub title: Option<&'a str>,
    /// The body as it will be or was filed, for its length.
    pub body: &'a str,
    /// Set when the answers were parsed from a Markdown body.
    pub parsed: Option<&'a ParsedBody>,
}

/// Runs every rule.
pub fn lint(input: &LintInput<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(title) = input.title {
        check_title(input.form, title, &mut out);
    }
    for field in input.form.fields() {
        let line = input.parsed.and_then(|p| p.lines.get(field.key()).copied());
        let mut push = |rule: Rule, severity: Severity, message: String, hint: String| {
            out.push(Finding {
                code: rule,
                severity,
                field: Some(field.key().to_string()),
                message,
                hint,
                line,
            })
        };
        let answer = answer_for(input.answers, &field);
        let missing_section = input.parsed.is_some_and(|p| !p.has(field.key()));
        check_field(&field, answer, missing_section, &mut push);
    }
    if let Some(parsed) = input.parsed {
        for s in &parsed.unknown {
            out.push(Finding {
                code: Rule::UnknownSection,
                severity: Severity::Warning,
                field: Some(s.heading.clone()),
                message: format!("section `### {}` is no field of this form", s.heading),
                hint: "the form may have changed since; move this text into a field of the form"
                    .into(),
                line: Some(s.line),
            });
        }
    } else {
        for key in crate::draft::unknown_keys(input.answers, input.form) {
            out.push(Finding {
                code: Rule::UnknownAnswer,
                severity: Severity::Warning,
                field: Some(key.to_string()),
                message: format!("answer `{key}` names no field of this form"),
                hint: "key answers by the field's id, or by its label where it has none".into(),
                line: None,
            });
        }
    }
    let chars = input.body.chars().count();
    if chars > MAX_BODY_CHARS {
        out.push(Finding {
            code: Rule::BodyTooLong,
            severity: Severity::Error,
            field: Some("body".into()),
            message: format!(
                "the body has {chars} characters; GitHub takes at most {MAX_BODY_CHARS}"
            ),
            hint: "move long logs into a gist or an attached file and link it".into(),
            line: None,
        });
    }
    out
}

/// Lint findings for a document read against `set`, most severe first.
pub fn lint_document(doc: &Document, set: &FormSet) -> Vec<Finding> {
    let mut findings = match &doc.form {
        None => {
            let names: Vec<&str> = set.forms.iter().map(|f| f.form.name.as_str()).collect();
            vec![no_matching_form(&names)]
        }
        Some(form) => {
            let mut f = lint(&LintInput {
                form: &form.form,
                answers: &doc.answers,
                title: doc.title.as_deref(),
                body: &doc.body,
                parsed: doc.parsed.as_ref(),
            });
            // A named form none of whose headings appear: say so once
            // rather than only listing every missing answer.
            if let Some(p) = &doc.parsed {
                if p.lines.is_empty() && !doc.body.trim().is_empty() {
                    f.insert(0, no_matching_form(&[form.form.name.as_str()]));
                }
            }
            f
        }
    };
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
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

/// A finding for a body that matches none of the forms.
pub fn no_matching_form(forms: &[&str]) -> Finding {
    Finding {
        code: Rule::NoMatchingForm,
        severity: Severity::Error,
        field: Some("body".into()),
        message: "the body matches none of the repository's issue forms".into(),
        hint: format!(
            "file it through one of the forms ({}), or name one with --template",
            forms.join(", ")
        ),
        line: None,
    }
}

fn check_title(form: &IssueForm, title: &str, out: &mut Vec<Finding>) {
    let mut push = |rule, message: String, hint: &str| {
        out.push(Finding {
            code: rule,
            severity: Severity::Error,
            field: Some("title".into()),
            message,
            hint: hint.into(),
            line: None,
        })
    };
    let trimmed = title.trim();
    let prefix = form.title.as_deref().map(str::trim).unwrap_or("");
    if trimmed.is_empty() {
        push(
            Rule::TitleEmpty,
            "the title is empty".into(),
            "say in a few words what goes wrong, e.g. `Reply button does nothing in threads`",
        );
        return;
    }
    if !prefix.is_empty() && trimmed == prefix {
        push(
            Rule::TitlePrefixOnly,
            format!("the title is only the form's prefix `{prefix}`"),
            "add a few words after the prefix that say what goes wrong",
        );
        return;
    }
    let len = trimmed.chars().count();
    if len > MAX_TITLE_CHARS {
        push(
            Rule::TitleTooLong,
            format!("the title has {len} characters; GitHub takes at most {MAX_TITLE_CHARS}"),
            "shorten the title and move the details into the body",
        );
    }
    let rest = trimmed.strip_prefix(prefix).unwrap_or(trimmed);
    if is_generic_title(rest) {
        push(
            Rule::TitleGeneric,
            format!("the title `{trimmed}` says nothing about this problem"),
            "name what you did and what went wrong, so maintainers and searches can tell it apart",
        );
    }
}

/// Titles that would fit any issue.
pub fn is_generic_title(title: &str) -> bool {
    const GENERIC: &[&str] = &[
        "bug",
        "bugs",
        "bug report",
        "a bug",
        "help",
        "help me",
        "please help",
        "need help",
        "issue",
        "an issue",
        "issues",
        "question",
        "a question",
        "problem",
        "a problem",
        "problems",
        "error",
        "an error",
        "errors",
        "feature",
        "feature request",
        "request",
        "suggestion",
        "idea",
        "enhancement",
        "mastodon",
        "mastodon bug",
        "mastodon issue",
        "broken",
        "it's broken",
        "not working",
        "doesn't work",
        "does not work",
        "it doesn't work",
        "crash",
        "urgent",
        "test",
        "hi",
        "hello",
        "bug found",
        "new issue",
        "untitled",
        "todo",
        "fix",
        "fix it",
        "please fix",
        "report",
        "support",
    ];
    let folded: String = title
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    folded.is_empty() || GENERIC.contains(&folded.as_str())
}

fn check_field(
    field: &Field<'_>,
    answer: Option<&Answer>,
    missing_section: bool,
    push: &mut dyn FnMut(Rule, Severity, String, String),
) {
    let label = field.label;
    let empty = answer.is_none_or(Answer::is_empty);
    match field.kind {
        FieldKind::Checkboxes => {
            let ticked = answer.map(Answer::as_list).unwrap_or_default();
            for t in &ticked {
                if !field
                    .checkbox_options
                    .iter()
                    .any(|o| o.label.trim() == t.trim())
                {
                    push(
                        Rule::InvalidOption,
                        Severity::Error,
                        format!("`{t}` is not one of the checkboxes of `{label}`"),
                        format!("tick only: {}", field.option_labels().join("; ")),
                    );
                }
            }
            for o in field.checkbox_options.iter().filter(|o| o.required) {
                if !ticked.iter().any(|t| t.trim() == o.label.trim()) {
                    push(
                        Rule::RequiredCheckbox,
                        Severity::Error,
                        format!("the required checkbox `{}` is not ticked", o.label),
                        "read it and tick it: the form requires it".into(),
                    );
                }
            }
            return;
        }
        FieldKind::Dropdown => {
            for v in answer.map(Answer::as_list).unwrap_or_default() {
                if !v.trim().is_empty()
                    && !field.dropdown_options.iter().any(|o| o.trim() == v.trim())
                {
                    push(
                        Rule::InvalidOption,
                        Severity::Error,
                        format!("`{v}` is not an option of `{label}`"),
                        format!("choose one of: {}", field.option_labels().join("; ")),
                    );
                }
            }
        }
        FieldKind::Input | FieldKind::Textarea => {}
    }

    if empty {
        if field.required {
            let message = if missing_section {
                format!("the required section `{label}` is missing")
            } else {
                format!("the required answer `{label}` is empty")
            };
            push(
                Rule::MissingRequired,
                Severity::Error,
                message,
                field
                    .description
                    .map_or("answer it".to_string(), |d| format!("answer: {}", d.trim())),
            );
        }
        return;
    }
    let Some(Answer::Text(text)) = answer else {
        return;
    };
    let severity = if field.required {
        Severity::Error
    } else {
        Severity::Note
    };
    if let Some(p) = field.placeholder {
        if same_text(text, p) {
            // GitHub never submits a placeholder, so the reporter typed it:
            // often a copied example, sometimes the truth (`mastodon.social`
            // is a real server). Worth a second look, never a blocker.
            push(
                Rule::Placeholder,
                Severity::Note,
                format!("the answer is the form's own example `{}`", p.trim()),
                "if that is really your answer, nothing to do; otherwise give your own".into(),
            );
            return;
        }
    }
    if let Some(v) = field.value {
        if same_text(text, v) || is_empty_list_template(text) {
            push(
                Rule::PrefilledUntouched,
                severity,
                "the answer is still the form's prefilled text".to_string(),
                "replace the prefilled text with your own answer".into(),
            );
            return;
        }
    }
    if is_steps_field(label) && !looks_like_steps(text) {
        push(
            Rule::StepsNotSteps,
            Severity::Warning,
            "this does not read as steps someone else could follow".to_string(),
            "write numbered steps, one action each: 1. Open … 2. Click … 3. See …".into(),
        );
    }
    if is_version_field(label) {
        match read_version(text) {
            VersionAnswer::Version(_) => {}
            VersionAnswer::Unknown => push(
                Rule::VersionFormat,
                Severity::Note,
                "the version is not known".to_string(),
                "the bottom of the server's About page shows it (e.g. v4.3.1), if you can find it"
                    .into(),
            ),
            VersionAnswer::NotAVersion => push(
                Rule::VersionFormat,
                Severity::Error,
                format!("`{}` is not a Mastodon version", text.trim()),
                "copy it from the bottom of the server's About page, e.g. v4.3.1 or 4.4.0-beta.1, or write \"I don't know\""
                    .into(),
            ),
        }
    }
}

fn same_text(a: &str, b: &str) -> bool {
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    squash(a) == squash(b)
}

/// `1.\n2.\n3.\n...`: a numbered list with nothing written into it.
fn is_empty_list_template(text: &str) -> bool {
    static EMPTY_ITEM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(\d+[.)]|[-*+]|\.\.\.|…)\s*$").expect("valid regex"));
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.len() >= 2 && lines.iter().all(|l| EMPTY_ITEM.is_match(l))
}

fn is_steps_field(label: &str) -> bool {
    let l = label.to_lowercase();
    l.contains("steps") || l.contains("reproduce") || l.contains("reproduction")
}

/// At least two list items with content, or prose long enough to hold
/// several steps.
pub fn looks_like_steps(text: &str) -> bool {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(\d+[.):]|[-*+•]|step\s*\d+[:.)]?)\s*\S").expect("valid regex")
    });
    let items = text
        .lines()
        .filter(|l| {
            ITEM.is_match(&l.to_lowercase())
                && l.trim()
                    .trim_start_matches(|c: char| !c.is_alphabetic())
                    .len()
                    >= 3
        })
        .count();
    if items >= 2 {
        return true;
    }
    let words = text.split_whitespace().count();
    let sentences = text
        .split(['.', '!', '?', '\n'])
        .filter(|s| s.split_whitespace().count() >= 3)
        .count();
    sentences >= 2 && words >= 15
}

/// Whether a field asks for the Mastodon version.
pub fn is_version_field(label: &str) -> bool {
    let l = label.to_lowercase();
    l.contains("mastodon") && l.contains("version")
}

/// What an answer to "Mastodon version" says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionAnswer {
    /// A version, normalised: `Mastodon v4.3.1` is `v4.3.1`.
    Version(String),
    /// "I don't know", and the like: kept, with a note.
    Unknown,
    NotAVersion,
}

/// Reads an answer to "Mastodon version": a version as [`is_mastodon_version`]
/// accepts it, after a leading "Mastodon" or "version" (`Mastodon v4.3.1`,
/// `version: 4.2`); or "I don't know".
pub fn read_version(text: &str) -> VersionAnswer {
    let t = text.trim();
    if is_unknown(t) {
        return VersionAnswer::Unknown;
    }
    let mut rest = t;
    for word in ["mastodon", "version"] {
        if rest.len() >= word.len()
            && rest.is_char_boundary(word.len())
            && rest[..word.len()].eq_ignore_ascii_case(word)
        {
            rest = rest[word.len()..].trim_start_matches([':', ' ', '\t']);
        }
    }
    if !rest.is_empty() && is_mastodon_version(rest) {
        VersionAnswer::Version(rest.trim().to_string())
    } else {
        VersionAnswer::NotAVersion
    }
}

/// "I don't know", "dunno", "not sure", "unknown", "?"…
pub fn is_unknown(text: &str) -> bool {
    let t: String = text
        .trim()
        .to_lowercase()
        .replace(['\u{2019}', '`'], "'")
        .chars()
        .filter(|c| !matches!(c, '.' | '!'))
        .collect();
    matches!(
        t.trim(),
        "?" | "??"
            | "???"
            | "idk"
            | "dunno"
            | "unknown"
            | "not sure"
            | "no idea"
            | "n/a"
            | "don't know"
            | "dont know"
            | "do not know"
            | "i don't know"
            | "i dont know"
            | "i do not know"
            | "i'm not sure"
            | "im not sure"
    )
}

/// `v4.3.1`, `4.4.0-beta.1`, `v4.5.0-nightly.2025-07-11`, `4.3.1+glitch`,
/// a commit hash, or `main` at a commit; trailing remarks in brackets are
/// tolerated.
pub fn is_mastodon_version(text: &str) -> bool {
    static VERSION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix) ^ (
                v? \d{1,2} \. \d{1,3} (\. \d{1,3})? ([-.][0-9a-z]+([.-][0-9a-z]+)*)? (\+[0-9a-z.\-]+)?
              | [0-9a-f]{7,40}
              | (main|master|nightly) ([\s@:\-/]+ ([0-9a-f]{7,40} | \d{4}-\d{2}-\d{2}))?
            ) (\s* ([(\[].*)?)? $",
        )
        .expect("valid regex")
    });
    VERSION.is_match(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for ok in [
            "v4.3.1",
            "4.4.0-beta.1",
            "v4.5.0-nightly.2025-07-11",
            "4.3",
            "4.3.1+glitch",
            "v4.2.10 (glitch-soc)",
            "a1b2c3d",
            "main@0123abcd",
            "nightly 2025-07-11",
            "v4.3.2+glitch",
            "4.2.10+hometown-1.1.1",
        ] {
            assert!(is_mastodon_version(ok), "{ok}");
        }
        for bad in [
            "latest",
            "Firefox 139",
            "the newest one",
            "4",
            "mastodon.social",
            "",
        ] {
            assert!(!is_mastodon_version(bad), "{bad}");
        }
    }

    #[test]
    fn version_answers_are_normalised_or_unknown() {
        let v = |s: &str| VersionAnswer::Version(s.into());
        assert_eq!(read_version("Mastodon v4.3.1"), v("v4.3.1"));
        assert_eq!(read_version(" mastodon version: 4.2 "), v("4.2"));
        assert_eq!(read_version("v4.3.2+glitch"), v("v4.3.2+glitch"));
        assert_eq!(
            read_version("4.2.10+hometown-1.1.1"),
            v("4.2.10+hometown-1.1.1")
        );
        assert_eq!(read_version("0123abcd"), v("0123abcd"));
        for unknown in [
            "I don't know",
            "i don\u{2019}t know.",
            "idk",
            "?",
            "Not sure",
        ] {
            assert_eq!(read_version(unknown), VersionAnswer::Unknown, "{unknown}");
        }
        for bad in ["latest", "Mastodon", "Firefox 139", ""] {
            assert_eq!(read_version(bad), VersionAnswer::NotAVersion, "{bad}");
        }
    }

    #[test]
    fn steps() {
        assert!(looks_like_steps(
            "1. Open a post\n2. Click reply\n3. Nothing happens"
        ));
        assert!(looks_like_steps("- log in\n- open settings"));
        assert!(looks_like_steps(
            "Open the settings page of the web app. Then click on the appearance tab and pick the dark theme."
        ));
        assert!(!looks_like_steps("it is broken"));
        assert!(!looks_like_steps("1. see title"));
        assert!(!looks_like_steps("1.\n2.\n3."));
    }

    #[test]
    fn generic_titles() {
        assert!(is_generic_title("Bug"));
        assert!(is_generic_title("  HELP!! "));
        assert!(is_generic_title("feature request"));
        assert!(!is_generic_title("Reply button does nothing in threads"));
    }

    #[test]
    fn list_template() {
        assert!(is_empty_list_template("1.\n2.\n3.\n..."));
        assert!(!is_empty_list_template("1. Open\n2.\n3."));
    }
}
