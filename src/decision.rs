//! The decision: what happens to a draft or an issue once it is checked.
//!
//! One [`decide`] serves every front end, with one [`Policy`] holding every
//! number that decides. Precedence: security first (a public issue cannot
//! be taken back), then the redirects, then duplicates, then lint errors.
//!
//! Where the front ends still differ, it is by what they can do, not by
//! what they decide: the drafter can ask the reporter (and a reporter may
//! overrule a redirect or a duplicate, except a security report), `submit`
//! cannot ask and so stops at anything but [`Outcome::File`], and the Action
//! never files (the issue exists): it turns the decision into a comment,
//! labels and, where configured, closing.

use crate::checks::dupes::Candidate;
use crate::checks::lint::Severity;
use crate::checks::triage::{Redirect, Triage, Verdict};
use crate::checks::Checks;
use crate::draft::{Facts, Settled};
pub use crate::policy::{Policy, OFFERED, QUESTIONS_AT};
use serde::Serialize;

/// What happens to the draft or issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "kebab-case")]
pub enum Outcome {
    /// Nothing stands in the way.
    File,
    /// Lint errors to fix first.
    Fix { errors: usize },
    /// The draft belongs elsewhere.
    Redirect { to: Redirect },
    /// The reporter runs the server: the Troubleshooting form asks for
    /// what helps with their own install.
    Troubleshooting,
    /// An existing issue is very likely the same.
    Duplicate {
        number: u64,
        url: String,
        score: f64,
    },
}

/// The decision, with what each front end shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// Where the draft belongs instead, when triage is sure enough (even
    /// when the outcome is another, e.g. lint errors come after it).
    pub redirect: Option<Redirect>,
    /// Candidates worth showing, best first: at or above `offer`.
    pub offered: Vec<Candidate>,
    /// The best candidate at or above `duplicate`, if any.
    pub strong_duplicate: Option<Candidate>,
    /// Lint errors.
    pub errors: usize,
    /// Sure enough to close (the Action, where configured).
    pub closable: bool,
}

/// Decides for checked answers.
pub fn decide(checks: &Checks, policy: &Policy) -> Decision {
    decide_with(checks, &Facts::default(), policy)
}

/// Decides for checked answers and what the reporter said when asked: the
/// answers settle what text cannot (a vulnerability is never filed, a
/// server's own trouble goes to its admin or, for the one who runs it, to
/// the Troubleshooting form; a problem seen elsewhere too is filed).
pub fn decide_with(checks: &Checks, facts: &Facts, policy: &Policy) -> Decision {
    let t = &checks.triage;
    let redirect = match facts.settle() {
        Some(Settled::Security) => Some(Redirect::Security),
        Some(Settled::OwnServer) if t.verdict != Verdict::Security => Some(Redirect::InstanceAdmin),
        Some(Settled::Software | Settled::Troubleshooting) if t.verdict != Verdict::Security => {
            None
        }
        _ => t.redirect_under(policy),
    };
    let troubleshooting = facts.settle() == Some(Settled::Troubleshooting);
    let (offer_at, duplicate_at) = duplicate_thresholds(policy, &checks.ranked_by);
    let offered: Vec<Candidate> = checks
        .candidates
        .iter()
        .filter(|c| c.score >= offer_at)
        .cloned()
        .collect();
    let strong_duplicate = checks
        .candidates
        .iter()
        .filter(|c| c.score >= duplicate_at)
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .cloned();
    let errors = checks
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let closable = redirect.is_some()
        && matches!(t.verdict, Verdict::Support | Verdict::Question)
        && t.support >= policy.close.unwrap_or(t.thresholds.close);
    let outcome = if let Some(to) = redirect {
        Outcome::Redirect { to }
    } else if troubleshooting {
        Outcome::Troubleshooting
    } else if let Some(c) = &strong_duplicate {
        let (number, url) = original_of(c);
        Outcome::Duplicate {
            number,
            url,
            score: c.score,
        }
    } else if errors > 0 {
        Outcome::Fix { errors }
    } else {
        Outcome::File
    };
    Decision {
        outcome,
        redirect,
        offered,
        strong_duplicate,
        errors,
        closable,
    }
}

/// Whether triage is neither clearly for filing nor clearly for
/// redirecting, so that the drafter asks what text cannot settle: the
/// likeliest verdict is support or troubleshooting, or the probability of
/// support reaches [`QUESTIONS_AT`], and the policy does not redirect the
/// draft already.
pub fn uncertain(t: &Triage, policy: &Policy) -> bool {
    t.redirect_under(policy).is_none()
        && (matches!(t.verdict, Verdict::Support | Verdict::Troubleshooting)
            || t.support >= QUESTIONS_AT)
}

/// (offer, duplicate): the policy's, else those of the ranker head that
/// scored the candidates.
pub fn duplicate_thresholds(policy: &Policy, own: &crate::checks::dupes::Thresholds) -> (f64, f64) {
    (
        policy.offer.unwrap_or(own.offer),
        policy.duplicate.unwrap_or(own.duplicate),
    )
}

/// A known duplicate points on to its original.
pub fn original_of(c: &Candidate) -> (u64, String) {
    match c.duplicate_of {
        Some(original) => (
            original,
            c.url
                .rsplit_once('/')
                .map_or(c.url.clone(), |(base, _)| format!("{base}/{original}")),
        ),
        None => (c.number, c.url.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::lint::{Finding, Rule};
    use crate::checks::triage::model::Thresholds;
    use crate::issue::IssueState;

    /// The model's own thresholds in these tests.
    const OWN: Thresholds = Thresholds {
        redirect: 0.6,
        close: 0.9,
    };

    /// Checks with a verdict, the probability of support, lint errors and
    /// candidates of these scores.
    fn checks(verdict: Verdict, support: f64, errors: usize, scores: &[f64]) -> Checks {
        Checks {
            findings: (0..errors)
                .map(|_| Finding {
                    code: Rule::MissingRequired,
                    severity: Severity::Error,
                    field: None,
                    message: String::new(),
                    hint: String::new(),
                    line: None,
                })
                .collect(),
            triage: Triage {
                verdict,
                confidence: support.max(0.4),
                support,
                scores: vec![(Verdict::Support, support)],
                thresholds: OWN,
                embedded: false,
                reasons: vec![],
            },
            candidates: scores
                .iter()
                .enumerate()
                .map(|(i, &score)| Candidate {
                    number: 7 + i as u64,
                    title: "t".into(),
                    state: IssueState::Open,
                    url: format!("https://github.com/o/r/issues/{}", 7 + i),
                    score,
                    why: vec![],
                    duplicate_of: None,
                })
                .collect(),
            ranked_by: crate::checks::dupes::thresholds(),
            notes: vec![],
        }
    }

    fn outcome(c: &Checks) -> Outcome {
        decide(c, &Policy::default()).outcome
    }

    #[test]
    fn security_wins_even_when_unsure() {
        let c = checks(Verdict::Security, 0.1, 1, &[0.99]);
        assert_eq!(
            outcome(&c),
            Outcome::Redirect {
                to: Redirect::Security
            }
        );
        assert!(!decide(&c, &Policy::default()).closable);
    }

    #[test]
    fn a_sure_support_verdict_redirects_before_duplicates_and_errors() {
        let c = checks(Verdict::Support, 0.95, 1, &[0.99]);
        assert_eq!(
            outcome(&c),
            Outcome::Redirect {
                to: Redirect::InstanceAdmin
            }
        );
        let d = decide(&c, &Policy::default());
        assert_eq!(d.errors, 1);
        assert_eq!(d.strong_duplicate.map(|c| c.number), Some(7));
        assert!(d.closable);
    }

    #[test]
    fn support_is_acted_on_from_the_models_threshold_or_the_policys() {
        // Below the model's own threshold, even as the likeliest verdict.
        let below = checks(Verdict::Support, OWN.redirect - 0.01, 0, &[]);
        assert_eq!(outcome(&below), Outcome::File);
        assert_eq!(decide(&below, &Policy::default()).redirect, None);
        // At it, it redirects.
        let at = checks(Verdict::Support, OWN.redirect, 0, &[]);
        assert!(matches!(outcome(&at), Outcome::Redirect { .. }));
        // A policy's threshold wins over the model's, both ways.
        let lower = Policy {
            redirect: Some(0.3),
            ..Policy::default()
        };
        assert!(decide(&below, &lower).redirect.is_some());
        let higher = Policy {
            redirect: Some(0.99),
            ..Policy::default()
        };
        assert_eq!(decide(&at, &higher).redirect, None);
    }

    #[test]
    fn a_question_goes_to_discussions() {
        let c = checks(Verdict::Question, 0.2, 0, &[]);
        assert_eq!(
            outcome(&c),
            Outcome::Redirect {
                to: Redirect::Discussions
            }
        );
    }

    #[test]
    fn closing_needs_the_stricter_threshold() {
        let p = Policy::default();
        let below = checks(Verdict::Support, OWN.close - 0.01, 0, &[]);
        assert!(decide(&below, &p).redirect.is_some());
        assert!(!decide(&below, &p).closable);
        let at = checks(Verdict::Support, OWN.close, 0, &[]);
        assert!(decide(&at, &p).closable);
        let stricter = Policy {
            close: Some(0.99),
            ..Policy::default()
        };
        assert!(!decide(&at, &stricter).closable);
    }

    #[test]
    fn a_strong_duplicate_comes_before_lint_errors() {
        let (offer, strong) =
            duplicate_thresholds(&Policy::default(), &crate::checks::dupes::thresholds());
        let c = checks(Verdict::Bug, 0.1, 1, &[offer, strong]);
        assert_eq!(
            outcome(&c),
            Outcome::Duplicate {
                number: 8,
                url: "https://github.com/o/r/issues/8".into(),
                score: strong
            }
        );
        let d = decide(&c, &Policy::default());
        assert_eq!(
            d.offered.iter().map(|c| c.number).collect::<Vec<_>>(),
            [7, 8]
        );
    }

    #[test]
    fn weak_candidates_are_neither_offered_nor_strong() {
        let p = Policy::default();
        let (offer, strong) = duplicate_thresholds(&p, &crate::checks::dupes::thresholds());
        let c = checks(Verdict::Bug, 0.1, 1, &[offer - 0.01, strong - 0.01]);
        let d = decide(&c, &p);
        assert_eq!(d.outcome, Outcome::Fix { errors: 1 });
        assert_eq!(d.offered.len(), 1);
        assert_eq!(d.strong_duplicate, None);
        assert_eq!(
            outcome(&checks(Verdict::Feature, 0.1, 0, &[offer - 0.01])),
            Outcome::File
        );
        // The policy's thresholds win over the ranker's.
        let strict = Policy {
            duplicate: Some(1.0),
            offer: Some(1.0),
            ..Policy::default()
        };
        let d = decide(&checks(Verdict::Bug, 0.1, 0, &[strong]), &strict);
        assert!(d.offered.is_empty() && d.strong_duplicate.is_none());
    }

    #[test]
    fn a_known_duplicate_points_to_its_original() {
        let (_, strong) =
            duplicate_thresholds(&Policy::default(), &crate::checks::dupes::thresholds());
        let mut c = checks(Verdict::Bug, 0.1, 0, &[strong]);
        c.candidates[0].duplicate_of = Some(3);
        assert_eq!(
            outcome(&c),
            Outcome::Duplicate {
                number: 3,
                url: "https://github.com/o/r/issues/3".into(),
                score: strong
            }
        );
    }

    #[test]
    fn the_reporters_answers_settle_what_the_text_cannot() {
        let p = Policy::default();
        let bug = checks(Verdict::Bug, 0.2, 0, &[]);
        let f = |elsewhere, runs_server, own_account, misuse| Facts {
            elsewhere,
            runs_server,
            own_account,
            misuse,
        };
        // Only on their server, which they don't run: its admins.
        assert_eq!(
            decide_with(&bug, &f(Some(false), Some(false), None, None), &p).outcome,
            Outcome::Redirect {
                to: Redirect::InstanceAdmin
            }
        );
        // They run it: the Troubleshooting form, not "your admin".
        assert_eq!(
            decide_with(&bug, &f(Some(false), Some(true), None, None), &p).outcome,
            Outcome::Troubleshooting
        );
        // Could be misused: the private channel, whatever else.
        assert_eq!(
            decide_with(&bug, &f(Some(true), None, None, Some(true)), &p).outcome,
            Outcome::Redirect {
                to: Redirect::Security
            }
        );
        // Seen elsewhere too: filed, even when the text reads as support.
        let support = checks(Verdict::Support, 0.99, 0, &[]);
        assert_eq!(
            decide_with(&support, &f(Some(true), None, None, None), &p).outcome,
            Outcome::File
        );
        // Answers never file a vulnerability the text names.
        let vuln = checks(Verdict::Security, 0.0, 0, &[]);
        assert_eq!(
            decide_with(
                &vuln,
                &f(Some(true), Some(false), Some(false), Some(false)),
                &p
            )
            .outcome,
            Outcome::Redirect {
                to: Redirect::Security
            }
        );
        // No answers: the text decides.
        assert_eq!(
            decide_with(&bug, &Facts::default(), &p).outcome,
            Outcome::File
        );
    }

    #[test]
    fn the_questions_are_for_what_is_neither_clearly_filed_nor_redirected() {
        let p = Policy::default();
        let t = |v, support| checks(v, support, 0, &[]).triage;
        assert!(uncertain(&t(Verdict::Support, 0.4), &p));
        assert!(uncertain(&t(Verdict::Troubleshooting, 0.1), &p));
        assert!(uncertain(&t(Verdict::Bug, QUESTIONS_AT), &p));
        assert!(!uncertain(&t(Verdict::Bug, QUESTIONS_AT - 0.01), &p));
        assert!(!uncertain(&t(Verdict::Feature, 0.0), &p));
        // Clearly redirected: nothing to ask.
        assert!(!uncertain(&t(Verdict::Support, OWN.redirect), &p));
        assert!(!uncertain(&t(Verdict::Security, 0.5), &p));
    }

    #[test]
    fn policy_values_outside_zero_to_one_are_refused() {
        let mut p = Policy::default();
        assert!(p.validate().is_ok());
        p.close = Some(1.5);
        assert!(p.validate().unwrap_err().contains("thresholds.close"));
    }
}
