//! The decision: file the draft, hold it back, or send the reporter
//! elsewhere. Security first (a public issue cannot be taken back), then
//! the redirects, then duplicates, then lint errors.

use crate::checks::lint::{Finding, Severity};
use crate::dupes::Candidate;
use crate::triage::{Redirect, Triage};
use serde::Serialize;

/// How sure the checks must be before they act.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Triage confidence needed to redirect a support question.
    pub redirect: f64,
    /// Duplicate score from which a candidate counts as the same issue.
    pub duplicate: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            redirect: 0.5,
            duplicate: 0.75,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "kebab-case")]
pub enum Decision {
    /// Nothing stands in the way.
    File,
    /// Lint errors to fix first.
    Fix { errors: usize },
    /// The draft belongs elsewhere.
    Redirect { to: Redirect },
    /// An existing issue is very likely the same.
    Duplicate {
        number: u64,
        url: String,
        score: f64,
    },
}

pub fn decide(
    findings: &[Finding],
    triage: &Triage,
    candidates: &[Candidate],
    t: Thresholds,
) -> Decision {
    if let Some(to) = triage.redirect() {
        if to == Redirect::Security || triage.confidence >= t.redirect {
            return Decision::Redirect { to };
        }
    }
    if let Some(c) = candidates.iter().find(|c| c.score >= t.duplicate) {
        // A known duplicate points on to its original.
        let (number, url) = match c.duplicate_of {
            Some(original) => (
                original,
                c.url
                    .rsplit_once('/')
                    .map_or(c.url.clone(), |(base, _)| format!("{base}/{original}")),
            ),
            None => (c.number, c.url.clone()),
        };
        return Decision::Duplicate {
            number,
            url,
            score: c.score,
        };
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if errors > 0 {
        return Decision::Fix { errors };
    }
    Decision::File
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::lint::Rule;
    use crate::issue::IssueState;
    use crate::triage::Verdict;

    fn triage(verdict: Verdict, confidence: f64) -> Triage {
        Triage {
            verdict,
            confidence,
            reasons: vec![],
        }
    }

    fn candidate(score: f64) -> Candidate {
        Candidate {
            number: 7,
            title: "t".into(),
            state: IssueState::Open,
            url: "u".into(),
            score,
            why: vec![],
            duplicate_of: None,
        }
    }

    fn error() -> Finding {
        Finding {
            code: Rule::MissingRequired,
            severity: Severity::Error,
            field: None,
            message: String::new(),
            hint: String::new(),
            line: None,
        }
    }

    #[test]
    fn order_of_precedence() {
        let t = Thresholds::default();
        // Security wins even when unsure.
        assert_eq!(
            decide(
                &[error()],
                &triage(Verdict::Security, 0.1),
                &[candidate(0.9)],
                t
            ),
            Decision::Redirect {
                to: Redirect::Security
            }
        );
        assert_eq!(
            decide(&[], &triage(Verdict::Support, 0.8), &[candidate(0.9)], t),
            Decision::Redirect {
                to: Redirect::InstanceAdmin
            }
        );
        // An unsure support verdict does not send anyone away.
        assert_eq!(
            decide(&[], &triage(Verdict::Support, 0.3), &[], t),
            Decision::File
        );
        assert!(matches!(
            decide(&[error()], &triage(Verdict::Bug, 0.9), &[candidate(0.9)], t),
            Decision::Duplicate { number: 7, .. }
        ));
        assert_eq!(
            decide(&[error()], &triage(Verdict::Bug, 0.9), &[candidate(0.5)], t),
            Decision::Fix { errors: 1 }
        );
        assert_eq!(
            decide(&[], &triage(Verdict::Feature, 0.9), &[candidate(0.5)], t),
            Decision::File
        );
    }
}
