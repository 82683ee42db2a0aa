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

    /// Where the decision sends the draft, under `policy`: a vulnerability
    /// always to the private channel; a how-to question to Discussions; a
    /// support question to the admin once the probability of support
    /// reaches the policy's threshold (else the model's own).
    pub fn redirect_under(&self, policy: &crate::policy::Policy) -> Option<Redirect> {
        match self.verdict {
            Verdict::Security => Some(Redirect::Security),
            Verdict::Question => Some(Redirect::Discussions),
            _ if self.support >= policy.redirect.unwrap_or(self.thresholds.redirect) => {
                Some(Redirect::InstanceAdmin)
            }
            _ => None,
        }
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

/// Classifies a draft with the shipped model, on words alone.
pub fn triage(input: &TriageInput) -> Triage {
    triage_with(model::shipped(), input, None)
}

/// Classifies a draft with the shipped model, reading its meaning with
/// `embedder` too.
pub fn triage_embedded(
    input: &TriageInput,
    embedder: &crate::embed::Embedder,
) -> Result<Triage, crate::embed::EmbedError> {
    let model = model::shipped();
    let e = embed(embedder, &texts(model, input))?;
    Ok(triage_with(model, input, Some(&e)))
}

/// The embeddings of a draft's title, and of its title with its body.
pub fn embed(
    embedder: &crate::embed::Embedder,
    texts: &Texts,
) -> Result<Embeddings, crate::embed::EmbedError> {
    let whole = texts.whole();
    let mut v = embedder.embed(&[texts.title.trim(), &whole])?;
    let whole = v.pop().unwrap_or_default();
    let title = v.pop().unwrap_or_default();
    Ok(Embeddings { title, whole })
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
        reasons.extend(why(head, &texts, &extracted, &dense, class));
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
fn why(
    head: &model::Head,
    texts: &Texts,
    extracted: &Extracted,
    dense: &[f32],
    class: usize,
) -> Vec<Reason> {
    let contributions: Vec<(String, f64)> = head
        .fitted
        .sparse_contributions(&extracted.sparse, class)
        .into_iter()
        .filter_map(|(col, w)| Some((extracted.names.get(&col)?.clone(), w)))
        .collect();
    let mut parts = by_word(texts, &contributions);
    if !dense.is_empty() {
        parts.push((
            (
                "meaning",
                "what the whole text says, read by the sentence model".into(),
            ),
            head.fitted.dense_contribution(dense, class),
        ));
    }
    parts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let pro = parts.iter().filter(|p| p.1 >= 0.005).take(5);
    let con = parts.iter().rev().filter(|p| p.1 <= -0.005).take(2);
    pro.chain(con)
        .map(|((signal, evidence), w)| Reason {
            signal: signal.to_string(),
            weight: round(*w),
            evidence: evidence.clone(),
        })
        .collect()
}

/// The features' contributions gathered onto the words they come from,
/// since a word reads better than a character n-gram: a word pair's share
/// goes half to each word, a character n-gram's to the words that hold its
/// longest part.
fn by_word(texts: &Texts, contributions: &[(String, f64)]) -> Vec<((&'static str, String), f64)> {
    let fields = [
        ("t", "title", crate::text::words::words(&texts.title)),
        ("b", "text", crate::text::words::words(&texts.body)),
    ];
    let mut sums: std::collections::HashMap<(&'static str, String), f64> = Default::default();
    for (name, w) in contributions {
        let Some((ns, gram)) = name.split_once('|') else {
            continue;
        };
        let Some((_, field, words)) = fields.iter().find(|f| f.0 == ns) else {
            continue;
        };
        let owners: Vec<&String> = match gram.split_at(1) {
            ("f", g) => words
                .iter()
                .filter(|w| {
                    crate::text::terms(w, crate::text::Lang::English)
                        .iter()
                        .any(|t| t.term == g)
                })
                .take(3)
                .collect(),
            ("w", g) => g
                .split(' ')
                .filter_map(|x| words.iter().find(|w| *w == x))
                .collect(),
            ("c", g) => {
                let part = g.split(' ').max_by_key(|p| p.len()).unwrap_or("");
                let mut seen: Vec<&String> = Vec::new();
                for word in words
                    .iter()
                    .filter(|w| !part.is_empty() && w.contains(part))
                {
                    if !seen.contains(&word) && seen.len() < 5 {
                        seen.push(word);
                    }
                }
                seen
            }
            _ => Vec::new(),
        };
        for owner in &owners {
            *sums
                .entry((field, format!("\u{201c}{owner}\u{201d}")))
                .or_default() += w / owners.len() as f64;
        }
    }
    sums.into_iter().collect()
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
