//! Triage: does a drafted issue belong on the tracker?
//!
//! A bug or a feature request is filed; a server operator's own install or
//! upgrade trouble has its own form; a problem with one account or one
//! server goes to that server's admin; a how-to question goes to
//! Discussions; a vulnerability goes to the private security channel.
//!
//! Deterministic, offline and cheap: weighted word and structure signals
//! (see `signals`), no model. Every verdict carries its reasons and a
//! confidence; drafts in a language the rules don't cover get a low one.

mod lang;
mod signals;
mod text;

use signals::{Draft, Hit};

/// A draft as triage sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriageInput {
    pub title: String,
    /// The form's `type:` (e.g. "Bug", "Suggestion", "Troubleshooting") when the body came through a form.
    pub form_type: Option<String>,
    /// The form's name, e.g. "Bug Report (Web Interface)".
    pub form_name: Option<String>,
    /// Answers in form order: (field label, value). Empty answers are "" (never "_No response_").
    pub fields: Vec<(String, String)>,
    /// Text that belongs to no field (a free-text body, or text before the first heading).
    pub free_text: String,
}

/// Where a draft belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Bug,
    Feature,
    Troubleshooting,
    Support,
    Question,
    Security,
}

/// Where a draft that doesn't belong on the tracker should go instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Redirect {
    InstanceAdmin,
    Discussions,
    Security,
}

/// One signal behind a verdict. A positive weight argues for the verdict,
/// a negative one is the strongest evidence that argued for another.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reason {
    pub signal: String,
    pub weight: f64,
    pub evidence: String,
}

/// A verdict, how sure it is (0 to 1), and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Triage {
    pub verdict: Verdict,
    pub confidence: f64,
    pub reasons: Vec<Reason>,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Bug,
        Verdict::Feature,
        Verdict::Troubleshooting,
        Verdict::Support,
        Verdict::Question,
        Verdict::Security,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Bug => "bug",
            Verdict::Feature => "feature",
            Verdict::Troubleshooting => "troubleshooting",
            Verdict::Support => "support",
            Verdict::Question => "question",
            Verdict::Security => "security",
        }
    }

    pub fn redirect(&self) -> Option<Redirect> {
        match self {
            Verdict::Support => Some(Redirect::InstanceAdmin),
            Verdict::Question => Some(Redirect::Discussions),
            Verdict::Security => Some(Redirect::Security),
            Verdict::Bug | Verdict::Feature | Verdict::Troubleshooting => None,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Triage {
    pub fn redirect(&self) -> Option<Redirect> {
        self.verdict.redirect()
    }
}

/// Support and question scores together must reach this…
const REDIRECT_MIN: f64 = 2.0;
/// …and beat every filing verdict by this much: a wrong redirect sends a
/// real bug away, so ties go to filing.
const REDIRECT_MARGIN: f64 = 0.5;
/// Any vulnerability wording wins: a public issue cannot be taken back.
const SECURITY_MIN: f64 = 4.0;
/// Confidence ceiling for drafts in a language the rules don't cover.
const UNCOVERED_CAP: f64 = 0.25;

/// Classifies a draft.
pub fn triage(input: &TriageInput) -> Triage {
    let draft = Draft::new(input);
    let hits = signals::detect(&draft);
    decide(&draft, hits)
}

/// Whether the answers so far carry enough signal to say anything (used by
/// the interactive drafter to speak early).
pub fn has_signal(t: &Triage) -> bool {
    let support: f64 = t
        .reasons
        .iter()
        .map(|r| r.weight)
        .filter(|w| *w > 0.0)
        .sum();
    t.confidence >= 0.5 && support >= 2.0
}

fn decide(draft: &Draft, hits: Vec<Hit>) -> Triage {
    let score = |v: Verdict| -> f64 {
        hits.iter()
            .filter(|h| h.verdict == v)
            .map(|h| h.weight)
            .sum()
    };
    let s = score(Verdict::Support);
    let q = score(Verdict::Question);
    let redirect = s + q;
    let filing = [
        (Verdict::Bug, score(Verdict::Bug)),
        (Verdict::Feature, score(Verdict::Feature)),
        (Verdict::Troubleshooting, score(Verdict::Troubleshooting)),
    ];
    // Highest filing score; ties keep the earlier (bug before feature).
    let mut best_filing = filing[0];
    for f in &filing[1..] {
        if f.1 > best_filing.1 {
            best_filing = *f;
        }
    }
    let default_filing = match draft.form {
        signals::Form::Suggestion => Verdict::Feature,
        signals::Form::Troubleshooting => Verdict::Troubleshooting,
        _ => Verdict::Bug,
    };

    let x = score(Verdict::Security);
    let (verdict, top, second) = if x >= SECURITY_MIN {
        (Verdict::Security, x, redirect.max(best_filing.1))
    } else if redirect >= REDIRECT_MIN && redirect >= best_filing.1 + REDIRECT_MARGIN {
        let v = if s >= q {
            Verdict::Support
        } else {
            Verdict::Question
        };
        (v, redirect, best_filing.1)
    } else if best_filing.1 <= 0.0 {
        (default_filing, 0.0, redirect)
    } else {
        let second = filing
            .iter()
            .filter(|(v, _)| *v != best_filing.0)
            .map(|(_, w)| *w)
            .fold(redirect, f64::max);
        (best_filing.0, best_filing.1, second)
    };

    // Sure when the winner is both strong and well ahead.
    let margin = top - second;
    let ahead = 1.0 / (1.0 + (-1.5 * margin).exp());
    let strength = 1.0 - (-top / 2.0).exp();
    let mut confidence = (ahead * strength).clamp(0.0, 1.0);

    let family = |v: Verdict| match verdict {
        Verdict::Support | Verdict::Question => matches!(v, Verdict::Support | Verdict::Question),
        w => v == w,
    };
    let mut pro: Vec<&Hit> = hits.iter().filter(|h| family(h.verdict)).collect();
    let mut con: Vec<&Hit> = hits.iter().filter(|h| !family(h.verdict)).collect();
    pro.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    con.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut reasons: Vec<Reason> = pro
        .into_iter()
        .map(|h| reason(h.signal, h.weight, &h.evidence))
        .chain(
            con.into_iter()
                .take(3)
                .map(|h| reason(h.signal, -h.weight, &h.evidence)),
        )
        .collect();
    if reasons.is_empty() {
        reasons.push(reason(
            "no-signal",
            0.0,
            "nothing in the draft points anywhere; going by the form used",
        ));
    }
    if !draft.lang.covered {
        confidence = confidence.min(UNCOVERED_CAP);
        reasons.push(reason(
            "language-not-covered",
            0.0,
            &format!(
                "the draft looks like {} ({}); the rules don't cover it",
                draft.lang.name, draft.lang.code
            ),
        ));
    }
    Triage {
        verdict,
        confidence: (confidence * 100.0).round() / 100.0,
        reasons,
    }
}

fn reason(signal: &str, weight: f64, evidence: &str) -> Reason {
    const MAX: usize = 120;
    let evidence = if evidence.chars().count() > MAX {
        let cut: String = evidence.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        evidence.to_string()
    };
    Reason {
        signal: signal.to_string(),
        weight: (weight * 100.0).round() / 100.0,
        evidence,
    }
}

#[cfg(test)]
mod tests;
