//! A draft: the answers to one form, keyed by field id or label, plus the
//! title. This is what the drafter saves, `--answers` reads and `lint` takes
//! as YAML; [`render`] makes the issue body GitHub would make of it,
//! [`parse`] reads a body back, [`document`] reads whatever the user hands
//! over against the forms, and [`store`] keeps drafts on disk.

pub mod document;
pub mod facts;
pub mod parse;
pub mod render;
pub mod store;

pub use document::{Document, FormChoice};
pub use facts::{Facts, Question, Settled, MAX_QUESTIONS};
pub use render::{render, NO_RESPONSE};

use crate::form::{Field, FieldKind, IssueForm};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// One answer: text for inputs, textareas and single dropdowns; a list for
/// multi-select dropdowns and ticked checkboxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    List(Vec<String>),
}

/// People write `Mastodon version: 4.3`, `Done: true` or leave an answer
/// empty in a draft file: any scalar is text, nothing is an empty answer,
/// a list of scalars is a list.
impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, SeqAccess, Visitor};
        struct Scalar(String);
        impl<'de> Deserialize<'de> for Scalar {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match d.deserialize_any(AnswerVisitor)? {
                    Answer::Text(t) => Ok(Scalar(t)),
                    Answer::List(_) => Err(D::Error::custom(
                        "a list item must be plain text, not another list",
                    )),
                }
            }
        }
        struct AnswerVisitor;
        impl<'de> Visitor<'de> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text, or a list of texts")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Answer, E> {
                Ok(Answer::Text(v))
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }
            fn visit_unit<E: Error>(self) -> Result<Answer, E> {
                Ok(Answer::Text(String::new()))
            }
            fn visit_none<E: Error>(self) -> Result<Answer, E> {
                Ok(Answer::Text(String::new()))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Answer, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
                let mut items = Vec::new();
                while let Some(Scalar(s)) = seq.next_element()? {
                    items.push(s);
                }
                Ok(Answer::List(items))
            }
        }
        d.deserialize_any(AnswerVisitor)
    }
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
    /// The reporter's answers to the drafter's questions.
    #[serde(default, skip_serializing_if = "Facts::is_empty")]
    pub questions: Facts,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_scalar_is_an_answer() {
        let d: Draft = crate::yaml::from_str(
            "template: t\nanswers:\n  Version: 4.3\n  Count: 3\n  Done: true\n  Empty:\n  Browsers: [Firefox, 12]\n",
        )
        .unwrap();
        assert_eq!(d.answers["Version"], Answer::Text("4.3".into()));
        assert_eq!(d.answers["Count"], Answer::Text("3".into()));
        assert_eq!(d.answers["Done"], Answer::Text("true".into()));
        assert_eq!(d.answers["Empty"], Answer::Text(String::new()));
        assert_eq!(
            d.answers["Browsers"],
            Answer::List(vec!["Firefox".into(), "12".into()])
        );
        let nested = crate::yaml::from_str::<Draft>("template: t\nanswers:\n  X: [[a]]\n");
        assert!(nested.unwrap_err().to_string().contains("not another list"));
    }
}
