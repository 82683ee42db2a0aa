//! A draft: the answers to one form, keyed by field id or label, plus the
//! title. This is what the drafter saves, `--answers` reads and `lint` takes
//! as YAML.

use crate::form::{Field, FieldKind, IssueForm};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// One answer: text for inputs, textareas and single dropdowns; a list for
/// multi-select dropdowns and ticked checkboxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    List(Vec<String>),
}

impl Answer {
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(t) => t.trim().is_empty(),
            Answer::List(l) => l.iter().all(|s| s.trim().is_empty()),
        }
    }

    /// The answer as one text, lists joined as GitHub joins dropdown values.
    pub fn as_text(&self) -> String {
        match self {
            Answer::Text(t) => t.clone(),
            Answer::List(l) => l.join(", "),
        }
    }

    /// The answer as a list of chosen options.
    pub fn as_list(&self) -> Vec<String> {
        match self {
            Answer::Text(t) if t.trim().is_empty() => Vec::new(),
            Answer::Text(t) => vec![t.clone()],
            Answer::List(l) => l.clone(),
        }
    }
}

pub type Answers = IndexMap<String, Answer>;

/// A drafted issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// The form: its file name or name.
    pub template: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub answers: Answers,
}

/// The answer to `field`, looked up by id, then by label (any case).
pub fn answer_for<'a>(answers: &'a Answers, field: &Field<'_>) -> Option<&'a Answer> {
    if let Some(a) = answers.get(field.key()) {
        return Some(a);
    }
    let label = field.label.trim();
    answers
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(label) || Some(k.as_str()) == field.id)
        .map(|(_, a)| a)
}

/// Keys of `answers` that name no field of the form.
pub fn unknown_keys<'a>(answers: &'a Answers, form: &IssueForm) -> Vec<&'a str> {
    answers
        .keys()
        .filter(|k| form.field(k).is_none())
        .map(String::as_str)
        .collect()
}

/// The answer a field starts with: its prefilled value, or the dropdown's
/// default option.
pub fn initial_answer(field: &Field<'_>) -> Option<Answer> {
    match field.kind {
        FieldKind::Input | FieldKind::Textarea => field.value.map(|v| Answer::Text(v.to_string())),
        FieldKind::Dropdown => field
            .default
            .and_then(|d| field.dropdown_options.get(d))
            .map(|o| Answer::Text(o.clone())),
        FieldKind::Checkboxes => None,
    }
}

/// Whether the draft YAML looks like a draft rather than a Markdown body.
pub fn looks_like_draft(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_end();
        l.starts_with("answers:") || l.starts_with("template:")
    }) && !text.lines().any(|l| l.starts_with("### "))
}
