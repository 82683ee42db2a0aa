//! The checks a draft goes through: lint against its form, triage, and
//! duplicate search. Front ends call these; none of them prints.

pub mod lint;

use crate::document::Document;
use crate::dupes::Query;
use crate::triage::TriageInput;

/// The draft as triage sees it: answers that are still the form's
/// prefilled text or example count as no answer.
pub fn triage_input(doc: &Document) -> TriageInput {
    TriageInput {
        title: doc.title.clone().unwrap_or_default(),
        form_type: doc.form.as_ref().and_then(|f| f.form.issue_type.clone()),
        form_name: doc.form.as_ref().map(|f| f.form.name.clone()),
        fields: doc.meaningful_fields(),
        free_text: doc.free_text(),
    }
}

/// The draft as duplicate search sees it: the title and the answers that
/// carry words (not versions, browsers or the prefilled text).
pub fn dupes_query(doc: &Document) -> Query {
    let text = if doc.form.is_some() {
        doc.meaningful_fields()
            .into_iter()
            .filter(|(label, _)| !is_context_field(label))
            .map(|(_, v)| v)
            .filter(|v| !v.trim().is_empty())
            .chain(std::iter::once(doc.free_text()))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        doc.body.clone()
    };
    Query {
        title: doc.title.clone().unwrap_or_default(),
        text,
    }
}

/// Fields that describe the reporter's set-up rather than the problem.
fn is_context_field(label: &str) -> bool {
    let l = label.to_lowercase();
    [
        "version",
        "browser",
        "operating system",
        "instance",
        "environment",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// The server a draft names in a field such as `Mastodon instance`.
pub fn named_server(doc: &Document) -> Option<String> {
    doc.meaningful_fields()
        .into_iter()
        .find_map(|(label, value)| {
            let l = label.to_lowercase();
            let v = value.trim();
            ((l.contains("instance") || l.contains("server"))
                && !v.is_empty()
                && !v.contains(char::is_whitespace))
            .then(|| v.to_string())
        })
}
