//! Triage: does a drafted issue belong on the tracker?
//!
//! A bug or a feature request is filed; a server operator's own install or
//! upgrade trouble has its own form (troubleshooting); a problem with one
//! account or one server goes to that server's admin (support); a
//! vulnerability goes to the private security channel.
//!
//! The verdict comes from a model trained on labelled real reports
//! ([`model`], [`train`]); its reasons are the features that weighed most.
//! Security is the one exception: one labelled vulnerability cannot train
//! a class, and a public issue cannot be taken back, so a short list of
//! vulnerability terms ([`security`]) decides it.

pub mod features;
pub mod model;
mod security;
pub mod train;

use crate::text::Boilerplate;
use features::{Extracted, Texts};
use model::{Model, Thresholds};
use serde::Serialize;

/// A draft as triage sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriageInput {
    pub title: String,
    /// The form's `type:` (e.g. "Bug", "Suggestion", "Troubleshooting")
    /// when the body came through a form.
    pub form_type: Option<String>,
    /// The form's name, e.g. "Bug Report (Web Interface)".
    pub form_name: Option<String>,
    /// Answers in form order: (field label, value). Empty answers are "".
    pub fields: Vec<(String, String)>,
    /// Text that belongs to no field (a free-text body, or text before the
    /// first heading).
    pub free_text: String,
}

/// Where a draft belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Bug,
    Feature,
    Troubleshooting,
    Support,
    /// A how-to question for the community: support that is about neither
    /// the reporter's account nor their server (the drafter asks).
    Question,
    Security,
}

/// Where a draft that doesn't belong on the tracker should go instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Redirect {
    InstanceAdmin,
    Discussions,
    Security,
}

/// One feature behind a verdict, with how much it pushed towards it
/// (negative: the strongest evidence for another verdict).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub signal: String,
    pub weight: f64,
    pub evidence: String,
}

/// A verdict, how sure it is, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Triage {
    pub verdict: Verdict,
    /// The model's probability of the verdict (0 to 1).
    pub confidence: f64,
    /// The probability of support, which the decision thresholds.
    pub support: f64,
    /// Every class's probability.
    pub scores: Vec<(Verdict, f64)>,
    /// The thresholds of the head that judged.
    #[serde(skip)]
    pub thresholds: Thresholds,
    /// Whether the sentence embeddings took part.
    pub embedded: bool,
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

    /// The probability of `v`.
    pub fn score(&self, v: Verdict) -> f64 {
        self.scores
            .iter()
            .find(|(c, _)| *c == v)
            .map_or(0.0, |(_, p)| *p)
    }
}

/// The sentence embeddings of a draft: of its title, and of the title with
/// the start of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    pub title: Vec<f32>,
    pub whole: Vec<f32>,
}

/// Classifies a draft with the shipped model, on words and facts alone.
pub fn triage(input: &TriageInput) -> Triage {
    triage_with(model::shipped(), input, None)
}

/// What a draft is read as: the texts the model and the sentence model
/// read.
pub fn texts(model: &Model, input: &TriageInput) -> Texts {
    let boilerplate = Boilerplate::new(model.config.boilerplate.iter().map(String::as_str));
    Texts::of(input, &boilerplate)
}

/// Classifies a draft with `model`, reading the embeddings too when given
/// (and the model has a head for them).
pub fn triage_with(model: &Model, input: &TriageInput, emb: Option<&Embeddings>) -> Triage {
    let texts = texts(model, input);
    let extracted = features::extract(&texts, &model.config);
    let dense = emb
        .filter(|_| model.embedded.is_some())
        .map(|e| dense(e, model.config.embedding_scale));
    let head = model.head(dense.is_some());
    let dense = dense.unwrap_or_default();
    let probs = head.fitted.probabilities(&extracted.sparse, &dense);
    let scores: Vec<(Verdict, f64)> = model.classes.iter().copied().zip(probs).collect();
    let p = |v: Verdict| {
        scores
            .iter()
            .find(|(c, _)| *c == v)
            .map_or(0.0, |(_, p)| *p)
    };
    let support = p(Verdict::Support);

    let (verdict, mut reasons) = if let Some(hit) = security::vulnerability(&texts) {
        (
            Verdict::Security,
            vec![Reason {
                signal: "vulnerability".into(),
                weight: 1.0,
                evidence: format!("names a kind of vulnerability: \u{201c}{hit}\u{201d}"),
            }],
        )
    } else {
        // The likeliest class. Acting on a support verdict (sending the
        // reporter away) takes more: the decision's threshold on `support`.
        let verdict = scores
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(Verdict::Bug, |(c, _)| *c);
        (verdict, Vec::new())
    };
    if let Some(class) = model.class_index(verdict) {
        reasons.extend(why(head, &extracted, &dense, class));
    }
    let confidence = if verdict == Verdict::Security {
        1.0
    } else {
        p(verdict)
    };
    Triage {
        verdict,
        confidence: round(confidence),
        support: round(support),
        scores: scores.iter().map(|(c, p)| (*c, round(*p))).collect(),
        thresholds: head.thresholds,
        embedded: !dense.is_empty(),
        reasons,
    }
}

/// The embedding block as the model reads it: both vectors, scaled.
pub fn dense(e: &Embeddings, scale: f32) -> Vec<f32> {
    e.title.iter().chain(&e.whole).map(|v| v * scale).collect()
}

/// The features that pushed most towards the verdict, and the strongest
/// ones against it.
fn why(head: &model::Head, extracted: &Extracted, dense: &[f32], class: usize) -> Vec<Reason> {
    let mut parts: Vec<(String, f64)> = head
        .fitted
        .sparse_contributions(&extracted.sparse, class)
        .into_iter()
        .filter_map(|(col, w)| Some((extracted.names.get(&col)?.clone(), w)))
        .collect();
    if !dense.is_empty() {
        parts.push((
            "e:meaning".into(),
            head.fitted.dense_contribution(dense, class),
        ));
    }
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let pro = parts.iter().filter(|p| p.1 > 0.01).take(5);
    let con = parts.iter().rev().filter(|p| p.1 < -0.01).take(2);
    pro.chain(con)
        .map(|(name, w)| {
            let field = if name.starts_with("t|") {
                "title"
            } else {
                "text"
            };
            let (signal, evidence) = match name.get(..3).map(|p| &p[2..]) {
                _ if name == "e:meaning" => (
                    "meaning".to_string(),
                    "what the whole text says, read by the sentence model".to_string(),
                ),
                Some("w") => (field.to_string(), format!("\u{201c}{}\u{201d}", &name[3..])),
                Some("c") => (
                    field.to_string(),
                    format!("\u{201c}\u{2026}{}\u{2026}\u{201d}", name[3..].trim()),
                ),
                _ => ("feature".to_string(), name.clone()),
            };
            Reason {
                signal,
                weight: round(*w),
                evidence,
            }
        })
        .collect()
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Whether the answers so far carry enough to speak up early (the
/// interactive drafter): some evidence beyond the form's own shape.
pub fn has_signal(t: &Triage) -> bool {
    t.reasons.iter().any(|r| {
        r.weight > 0.0
            && matches!(
                r.signal.as_str(),
                "title" | "text" | "meaning" | "vulnerability"
            )
    })
}
