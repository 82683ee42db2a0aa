//! What the user hands over (a draft YAML, a rendered issue body or free
//! text), read against the repository's forms: the common input of lint,
//! triage and duplicate search.

use super::parse::{self, ParsedBody};
use super::render;
use super::{answer_for, Answers, Draft};
use crate::error::Error;
use crate::form::{FieldKind, FormSet, LoadedForm};
use indexmap::IndexMap;

/// How the form was chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum FormChoice {
    /// Named with `--template` or in the draft.
    Named,
    /// Picked from the body's headings: `matched` of the form's `fields`.
    Detected { matched: usize, fields: usize },
    /// No form fits.
    None,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub form: Option<LoadedForm>,
    pub choice: FormChoice,
    pub title: Option<String>,
    pub answers: Answers,
    /// The body as filed, or as it would be filed.
    pub body: String,
    /// Present when the answers came from a Markdown body.
    pub parsed: Option<ParsedBody>,
}

impl Document {
    /// Reads `text`: a draft (YAML with `template`/`answers`) or a body.
    pub fn read(
        set: &FormSet,
        text: &str,
        origin: &str,
        template: Option<&str>,
        title: Option<&str>,
    ) -> Result<Document, Error> {
        let text = strip_bom(text);
        if super::looks_like_draft(text) {
            match super::store::parse_draft(text) {
                Ok((draft, _)) => return Document::from_draft(set, draft, template, title),
                // Free text may have a line that starts with `answers:`;
                // only a file that names its template is surely a draft.
                Err(e) if text.lines().any(|l| l.starts_with("template:")) => {
                    return Err(Error::input(origin, format!("is not a valid draft: {e}")))
                }
                Err(_) => {}
            }
        }
        Document::from_body(set, text, template, title)
    }

    /// A draft's answers against its form (or `template` if given).
    pub fn from_draft(
        set: &FormSet,
        draft: Draft,
        template: Option<&str>,
        title: Option<&str>,
    ) -> Result<Document, Error> {
        let spec = template.unwrap_or(&draft.template);
        if spec.trim().is_empty() {
            return Err(Error::Usage(
                "the draft names no `template`; add one or pass --template".into(),
            ));
        }
        let form = set.select(spec)?;
        let title = title.map_or(draft.title, str::to_string);
        Ok(Document::for_form(form, title, draft.answers))
    }

    /// Answers to a form already chosen.
    pub fn for_form(form: LoadedForm, title: String, answers: Answers) -> Document {
        let body = render::render(&form.form, &answers);
        Document {
            form: Some(form),
            choice: FormChoice::Named,
            title: Some(title),
            answers,
            body,
            parsed: None,
        }
    }

    /// A rendered body, against `template` or the form it matches best.
    pub fn from_body(
        set: &FormSet,
        text: &str,
        template: Option<&str>,
        title: Option<&str>,
    ) -> Result<Document, Error> {
        let text = strip_bom(text);
        let (form, choice) = match template {
            Some(spec) => (Some(set.select(spec)?), FormChoice::Named),
            None => match parse::detect_form(set, text) {
                Some(d) => (
                    Some(d.form.clone()),
                    FormChoice::Detected {
                        matched: d.matched,
                        fields: d.fields,
                    },
                ),
                None => (None, FormChoice::None),
            },
        };
        let parsed = form.as_ref().map(|f| parse::parse(&f.form, text));
        Ok(Document {
            answers: parsed
                .as_ref()
                .map(|p| p.answers.clone())
                .unwrap_or_default(),
            form,
            choice,
            title: title.map(str::to_string),
            body: text.to_string(),
            parsed,
        })
    }

    /// Answers as text by key, in form order (for JSON output and triage).
    pub fn fields(&self) -> IndexMap<String, String> {
        let mut out = IndexMap::new();
        if let Some(form) = &self.form {
            for field in form.form.fields() {
                if let Some(a) = answer_for(&self.answers, &field) {
                    let text = match field.kind {
                        FieldKind::Checkboxes => a.as_list().join("\n"),
                        _ => a.as_text(),
                    };
                    out.insert(field.key().to_string(), text);
                }
            }
        }
        out
    }

    /// Text that belongs to no field: the whole body when no form fits.
    pub fn free_text(&self) -> String {
        match &self.parsed {
            None if self.form.is_none() => self.body.clone(),
            None => String::new(),
            Some(p) => {
                let mut parts = vec![p.preamble.clone()];
                parts.extend(
                    p.unknown
                        .iter()
                        .map(|s| format!("{}\n{}", s.heading, s.content)),
                );
                parts.retain(|s| !s.trim().is_empty());
                parts.join("\n\n")
            }
        }
    }

    /// Label → answer, in form order, with the form's untouched prefilled
    /// text treated as no answer (it carries no signal). An answer equal to
    /// a placeholder was typed by the reporter, so it stays.
    pub fn meaningful_fields(&self) -> Vec<(String, String)> {
        let Some(form) = &self.form else {
            return Vec::new();
        };
        form.form
            .fields()
            .map(|field| {
                let text = answer_for(&self.answers, &field)
                    .map(|a| a.as_list().join("\n"))
                    .unwrap_or_default();
                let untouched = field.value.is_some_and(|v| squash(v) == squash(&text));
                (
                    field.label.to_string(),
                    if untouched { String::new() } else { text },
                )
            })
            .collect()
    }
}

/// A leading byte-order mark would hide the first `###` heading.
fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_hides_no_section() {
        let set = FormSet::embedded();
        let body = "### Pitch\n\nPin columns\n\n### Motivation\n\nThey get lost\n";
        let plain = Document::from_body(&set, body, None, None).unwrap();
        let marked = Document::from_body(&set, &format!("\u{FEFF}{body}"), None, None).unwrap();
        assert_eq!(marked.fields(), plain.fields());
        assert_eq!(marked.body, plain.body);
        assert!(plain.fields().contains_key("Pitch"), "{:?}", plain.fields());
    }
}
