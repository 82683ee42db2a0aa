//! Render answers exactly as GitHub renders a submitted issue form.

use crate::draft::{answer_for, Answers};
use crate::form::{FieldKind, IssueForm};

/// What GitHub writes for an empty optional answer.
pub const NO_RESPONSE: &str = "_No response_";

/// The issue body for these answers: `### label`, a blank line, the value.
pub fn render(form: &IssueForm, answers: &Answers) -> String {
    let mut sections = Vec::new();
    for field in form.fields() {
        let answer = answer_for(answers, &field);
        let value = match field.kind {
            FieldKind::Checkboxes => {
                let ticked = answer.map(|a| a.as_list()).unwrap_or_default();
                field
                    .checkbox_options
                    .iter()
                    .map(|o| {
                        let on = ticked.iter().any(|t| t.trim() == o.label.trim());
                        format!("- [{}] {}", if on { "X" } else { " " }, o.label)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            FieldKind::Dropdown => {
                let chosen = answer.map(|a| a.as_list()).unwrap_or_default();
                let chosen: Vec<&str> = chosen
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect();
                if chosen.is_empty() {
                    NO_RESPONSE.to_string()
                } else {
                    chosen.join(", ")
                }
            }
            FieldKind::Input | FieldKind::Textarea => {
                let text = normalize(&answer.map(|a| a.as_text()).unwrap_or_default());
                match (text.is_empty(), field.render) {
                    (true, _) => NO_RESPONSE.to_string(),
                    (false, Some(lang)) => format!("```{lang}\n{text}\n```"),
                    (false, None) => text,
                }
            }
        };
        sections.push(format!("### {}\n\n{}", field.label, value));
    }
    sections.join("\n\n")
}

/// An answer as GitHub keeps it: no blank lines around it, no trailing
/// white space, Unix line ends.
pub fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => lines[s..=e].join("\n").trim_end().to_string(),
        _ => String::new(),
    }
}
