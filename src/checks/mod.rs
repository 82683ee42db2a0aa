//! The checks a draft or an issue goes through: lint against its form,
//! triage, and duplicate search. [`Checks::run`] is what every front end
//! calls; each check is also usable alone. Nothing here prints.

pub mod dupes;
pub mod lint;
pub mod triage;

use crate::draft::Document;
use crate::error::Error;
use crate::form::FormSet;
use crate::policy::Policy;
use crate::services::Services;
use dupes::Search;
use dupes::{Candidate, Query};
use lint::Finding;
use triage::{Triage, TriageInput};

/// What the checks found.
#[derive(Debug, Clone, PartialEq)]
pub struct Checks {
    /// Lint findings, most severe first.
    pub findings: Vec<Finding>,
    pub triage: Triage,
    /// Possible duplicates, best first.
    pub candidates: Vec<Candidate>,
    /// The thresholds of the ranker head that scored the candidates.
    pub ranked_by: dupes::Thresholds,
    /// What a front end should pass on: a search that could not run, a
    /// stale index.
    pub notes: Vec<String>,
}

/// How far the checks go.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Look for duplicates (a draft without a title is not searched).
    pub search: bool,
    pub offline: bool,
    /// An index to use whatever its age.
    pub index: Option<std::path::PathBuf>,
    /// Left out of the candidates: the issue being checked.
    pub exclude: Option<u64>,
    /// At most this many candidates.
    pub limit: usize,
}

impl Checks {
    /// Lint, triage and duplicate search. A draft that triage already
    /// sends elsewhere is not searched: a redirect comes before
    /// duplicates. A search that cannot run is a note, never a failure.
    pub fn run(
        services: &Services,
        forms: &FormSet,
        doc: &Document,
        scope: &Scope,
    ) -> Result<Checks, Error> {
        let mut checks = Checks::local(services, forms, doc);
        let query = dupes_query(doc);
        let searchable = scope.search
            && !query.title.trim().is_empty()
            && !redirected(&checks.triage, services.policy());
        if searchable {
            let search = Search {
                limit: scope.limit + usize::from(scope.exclude.is_some()),
                offline: scope.offline,
                index: scope.index.clone(),
                lenient: true,
            };
            let found = dupes::find(services, &query, &search)?;
            checks.notes.extend(found.note);
            checks.ranked_by = found.thresholds;
            checks.candidates = found
                .candidates
                .into_iter()
                .filter(|c| Some(c.number) != scope.exclude)
                .take(scope.limit)
                .collect();
        }
        Ok(checks)
    }

    /// Lint and triage, with the sentence-embedding model when there is
    /// one (a note says so when there is none): no network, no index.
    pub fn local(services: &Services, forms: &FormSet, doc: &Document) -> Checks {
        let input = triage_input(doc);
        let mut notes = Vec::new();
        let triage = match services.embedder() {
            Ok(embedder) => triage::triage_embedded(&input, embedder).unwrap_or_else(|e| {
                notes.push(format!("{e}; judging by words alone"));
                triage::triage(&input)
            }),
            Err(why) => {
                notes.push(format!("{why}; judging by words alone"));
                triage::triage(&input)
            }
        };
        Checks {
            findings: lint::lint_document(doc, forms),
            triage,
            candidates: Vec::new(),
            ranked_by: dupes::thresholds(),
            notes,
        }
    }

    /// Lint and triage by words alone: what needs no model, no network
    /// and no index.
    pub fn offline(forms: &FormSet, doc: &Document) -> Checks {
        Checks {
            findings: lint::lint_document(doc, forms),
            triage: triage::triage(&triage_input(doc)),
            candidates: Vec::new(),
            ranked_by: dupes::thresholds(),
            notes: Vec::new(),
        }
    }
}

fn redirected(t: &Triage, policy: &Policy) -> bool {
    t.redirect_under(policy).is_some()
}

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
