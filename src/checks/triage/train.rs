//! Training the triage model on labelled reports, and measuring it the
//! only honest way: on folds it was not trained on.
//!
//! Every figure [`cross_validate`] gives comes from reports held out of
//! the fit, and the support thresholds are chosen inside each training
//! part (nested), so that even the threshold never saw the reports it is
//! measured on. [`train`] then fits on everything and sets the thresholds
//! from cross-validation on everything.

use super::features::{self, Config, Texts};
use super::model::{Head, Model, Thresholds, FORMAT};
use super::{dense, texts, triage_with, Embeddings, Triage, TriageInput, Verdict};
use crate::checks::triage_input;
use crate::corpus::Record;
use crate::draft::Document;
use crate::form::FormSet;
use crate::learn::{self, Options, Sample};
use std::collections::HashMap;

/// The classes the model learns: security has one labelled example, and
/// `other` (forks, works-as-intended, junk) is no verdict.
pub const CLASSES: [Verdict; 4] = [
    Verdict::Support,
    Verdict::Troubleshooting,
    Verdict::Bug,
    Verdict::Feature,
];

/// One labelled report, read as the pipeline reads an issue.
#[derive(Debug, Clone)]
pub struct Example {
    pub record: Record,
    pub input: TriageInput,
    pub emb: Option<Embeddings>,
}

impl Example {
    /// The class it trains, if any.
    fn class(&self) -> Option<usize> {
        CLASSES.iter().position(|c| c.as_str() == self.record.kind)
    }

    fn is_support(&self) -> bool {
        self.record.kind == "support"
    }
}

/// The reports of a corpus, their bodies read against Mastodon's forms.
pub fn examples(records: &[Record]) -> Vec<Example> {
    let forms = FormSet::embedded();
    records
        .iter()
        .map(|r| {
            let doc = Document::from_body(&forms, &r.body, None, Some(&r.title))
                .expect("a body without a named form always reads");
            Example {
                record: r.clone(),
                input: triage_input(&doc),
                emb: None,
            }
        })
        .collect()
}

/// Fills every example's embeddings. The texts are read with boilerplate
/// learned from all the examples (no label is used for it), as the model
/// trained on them will read new drafts.
pub fn embed_all(
    examples: &mut [Example],
    embedder: &crate::embed::Embedder,
    opts: &TrainOptions,
) -> Result<(), crate::embed::EmbedError> {
    let refs: Vec<&Example> = examples.iter().collect();
    let mut config = opts.config.clone();
    config.boilerplate = learn_boilerplate(&refs, opts.boilerplate_share);
    let shell = Model {
        format: FORMAT,
        config,
        classes: CLASSES.to_vec(),
        lexical: Head {
            fitted: learn::Fitted::empty(CLASSES.len()),
            thresholds: Thresholds {
                redirect: NEVER,
                close: NEVER,
            },
        },
        embedded: None,
        embedding_model: None,
    };
    let texts: Vec<Texts> = examples.iter().map(|e| texts(&shell, &e.input)).collect();
    let titles: Vec<&str> = texts.iter().map(|t| t.title.trim()).collect();
    let wholes: Vec<String> = texts.iter().map(Texts::whole).collect();
    let wholes: Vec<&str> = wholes.iter().map(String::as_str).collect();
    let t = embedder.embed(&titles)?;
    let w = embedder.embed(&wholes)?;
    for ((e, title), whole) in examples.iter_mut().zip(t).zip(w) {
        e.emb = Some(Embeddings { title, whole });
    }
    Ok(())
}

/// What training is told.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub config: Config,
    /// Regularisation (scikit-learn's `C`) of the words-only head.
    pub c_lexical: f64,
    /// … and of the head that reads embeddings too.
    pub c_embedded: f64,
    pub balanced: bool,
    pub folds: usize,
    pub seed: u64,
    /// Precision the redirect threshold must reach on held-out reports.
    pub redirect_precision: f64,
    /// Precision the closing threshold must reach.
    pub close_precision: f64,
    /// A template line is boilerplate when it recurs in this share of
    /// the training bodies (and in at least 3 of them).
    pub boilerplate_share: f64,
    /// Which embedding model made the examples' embeddings.
    pub embedding_model: Option<String>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            config: Config::default(),
            c_lexical: 0.3,
            c_embedded: 0.3,
            balanced: true,
            folds: 5,
            seed: 1,
            redirect_precision: 0.90,
            close_precision: 0.97,
            boilerplate_share: 0.01,
            embedding_model: None,
        }
    }
}

/// Lines that recur across many bodies: an old template's boilerplate.
fn learn_boilerplate(examples: &[&Example], share: f64) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for e in examples {
        let mut seen = std::collections::HashSet::new();
        for line in e.record.body.lines() {
            let key = crate::text::words::words(line).join(" ");
            if !key.is_empty() && seen.insert(key.clone()) {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    let min = ((examples.len() as f64 * share).ceil() as usize).max(3);
    let mut lines: Vec<String> = counts
        .into_iter()
        .filter(|(_, n)| *n >= min)
        .map(|(l, _)| l)
        .collect();
    lines.sort();
    lines
}

/// Fits a model (both heads where every example has embeddings) on
/// `examples`; thresholds as given.
fn fit(examples: &[&Example], opts: &TrainOptions, thresholds: [Thresholds; 2]) -> Model {
    let mut config = opts.config.clone();
    config.boilerplate = learn_boilerplate(examples, opts.boilerplate_share);
    let model_of = |config: Config, lexical: Head, embedded: Option<Head>| Model {
        format: FORMAT,
        config,
        classes: CLASSES.to_vec(),
        lexical,
        embedded,
        embedding_model: opts.embedding_model.clone(),
    };
    // The features depend only on the config, so one shell model reads
    // every example.
    let shell = model_of(
        config.clone(),
        Head {
            fitted: learn::Fitted::empty(CLASSES.len()),
            thresholds: thresholds[0],
        },
        None,
    );
    let trainable: Vec<&&Example> = examples.iter().filter(|e| e.class().is_some()).collect();
    let sparse: Vec<_> = trainable
        .iter()
        .map(|e| {
            let t: Texts = texts(&shell, &e.input);
            features::extract(&t, &config).sparse
        })
        .collect();
    let samples = |with_emb: bool| -> Vec<Sample> {
        trainable
            .iter()
            .zip(&sparse)
            .map(|(e, s)| Sample {
                sparse: s.clone(),
                dense: if with_emb {
                    e.emb
                        .as_ref()
                        .map(|x| dense(x, config.embedding_scale))
                        .unwrap_or_default()
                } else {
                    vec![]
                },
                class: e.class().expect("filtered"),
            })
            .collect()
    };
    let learn_opts = |c: f64| Options {
        classes: CLASSES.len(),
        c,
        balanced: opts.balanced,
        max_iter: 400,
    };
    let lexical = Head {
        fitted: learn::fit(&samples(false), &learn_opts(opts.c_lexical)),
        thresholds: thresholds[0],
    };
    let embedded =
        (!trainable.is_empty() && trainable.iter().all(|e| e.emb.is_some())).then(|| Head {
            fitted: learn::fit(&samples(true), &learn_opts(opts.c_embedded)),
            thresholds: thresholds[1],
        });
    model_of(config, lexical, embedded)
}

/// Stratified folds: each report's fold, the same for the same seed.
fn folds(examples: &[Example], k: usize, seed: u64) -> Vec<usize> {
    let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in examples.iter().enumerate() {
        by_kind.entry(e.record.kind.as_str()).or_default().push(i);
    }
    let mut kinds: Vec<&str> = by_kind.keys().copied().collect();
    kinds.sort_unstable();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut fold = vec![0; examples.len()];
    let mut next = 0;
    for kind in kinds {
        let mut ids = by_kind[kind].clone();
        for i in (1..ids.len()).rev() {
            ids.swap(i, rng.below(i + 1));
        }
        for id in ids {
            fold[id] = next % k;
            next += 1;
        }
    }
    fold
}

/// A small xorshift generator: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }
}

/// The smallest threshold on the probability of support at which the
/// reports above it are support at least `precision` of the time (and at
/// least 3 are); above every score when none is.
pub fn choose_threshold(scored: &[(f64, bool)], precision: f64) -> f64 {
    let mut s: Vec<(f64, bool)> = scored.to_vec();
    s.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best = NEVER;
    let mut hits = 0;
    for (i, (p, ok)) in s.iter().enumerate() {
        hits += usize::from(*ok);
        let n = i + 1;
        let tie_next = s.get(i + 1).is_some_and(|x| x.0 == *p);
        if !tie_next && n >= 3 && hits as f64 / n as f64 >= precision {
            best = *p;
        }
    }
    best
}

/// The redirect threshold for `precision`, or, where held-out reports
/// cannot support it, for the highest precision down to 0.60 (in steps of
/// 0.05) that they can: sending someone to their admin is only ever
/// offered to the reporter, who may decline. Closing is never relaxed.
pub fn relaxed_threshold(scored: &[(f64, bool)], precision: f64) -> f64 {
    let mut target = precision;
    while target >= 0.6 - 1e-9 {
        let t = choose_threshold(scored, target);
        if t < NEVER {
            return t;
        }
        target -= 0.05;
    }
    NEVER
}

/// Above any probability: a threshold no report reaches.
pub const NEVER: f64 = 1.01;

/// Held-out verdicts for every example, per head.
#[derive(Debug, Clone)]
pub struct Heldout {
    /// Verdicts of the words-only head.
    pub lexical: Vec<Triage>,
    /// Verdicts of the embedding head, where the examples have embeddings.
    pub embedded: Option<Vec<Triage>>,
    /// The thresholds chosen inside each fold, per head.
    pub fold_thresholds: Vec<[Thresholds; 2]>,
}

/// Cross-validation: each fold judged by a model fitted on the others,
/// with thresholds chosen on the others by an inner cross-validation.
pub fn cross_validate(examples: &[Example], opts: &TrainOptions) -> Heldout {
    let fold = folds(examples, opts.folds, opts.seed);
    let with_emb = !examples.is_empty() && examples.iter().all(|e| e.emb.is_some());
    let mut lexical: Vec<Option<Triage>> = vec![None; examples.len()];
    let mut embedded: Vec<Option<Triage>> = vec![None; examples.len()];
    let mut fold_thresholds = Vec::new();
    for f in 0..opts.folds {
        let train_part: Vec<Example> = examples
            .iter()
            .zip(&fold)
            .filter(|(_, g)| **g != f)
            .map(|(e, _)| e.clone())
            .collect();
        let thresholds = thresholds_by_cv(&train_part, opts);
        fold_thresholds.push(thresholds);
        let refs: Vec<&Example> = train_part.iter().collect();
        let model = fit(&refs, opts, thresholds);
        for (i, e) in examples.iter().enumerate().filter(|(i, _)| fold[*i] == f) {
            lexical[i] = Some(triage_with(&model, &e.input, None));
            if with_emb {
                embedded[i] = Some(triage_with(&model, &e.input, e.emb.as_ref()));
            }
        }
    }
    let done = |v: Vec<Option<Triage>>| {
        v.into_iter()
            .map(|t| t.expect("every fold judged"))
            .collect()
    };
    Heldout {
        lexical: done(lexical),
        embedded: with_emb.then(|| done(embedded)),
        fold_thresholds,
    }
}

/// Thresholds for both heads from held-out scores within `examples`.
fn thresholds_by_cv(examples: &[Example], opts: &TrainOptions) -> [Thresholds; 2] {
    let k = opts.folds.clamp(2, 4);
    let fold = folds(examples, k, opts.seed ^ 0x5EED);
    let with_emb = !examples.is_empty() && examples.iter().all(|e| e.emb.is_some());
    let mut scored: [Vec<(f64, bool)>; 2] = [Vec::new(), Vec::new()];
    let placeholder = Thresholds {
        redirect: NEVER,
        close: NEVER,
    };
    for f in 0..k {
        let refs: Vec<&Example> = examples
            .iter()
            .zip(&fold)
            .filter(|(_, g)| **g != f)
            .map(|(e, _)| e)
            .collect();
        let model = fit(&refs, opts, [placeholder; 2]);
        for (i, e) in examples.iter().enumerate().filter(|(i, _)| fold[*i] == f) {
            let _ = i;
            scored[0].push((triage_with(&model, &e.input, None).support, e.is_support()));
            if with_emb {
                scored[1].push((
                    triage_with(&model, &e.input, e.emb.as_ref()).support,
                    e.is_support(),
                ));
            }
        }
    }
    let pick = |s: &[(f64, bool)]| Thresholds {
        redirect: relaxed_threshold(s, opts.redirect_precision),
        close: choose_threshold(s, opts.close_precision),
    };
    [pick(&scored[0]), pick(&scored[1])]
}

/// The model fitted on every example, its thresholds from
/// cross-validation on every example.
pub fn train(examples: &[Example], opts: &TrainOptions) -> Model {
    let thresholds = thresholds_by_cv(examples, opts);
    let refs: Vec<&Example> = examples.iter().collect();
    fit(&refs, opts, thresholds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(kind: &str, title: &str, body: &str) -> Example {
        let record: Record = serde_json::from_value(serde_json::json!({
            "id": format!("o/r#{}", title.len()), "title": title, "body": body,
            "kind": kind, "confidence": "high"
        }))
        .unwrap();
        Example {
            input: TriageInput {
                title: title.into(),
                free_text: body.into(),
                ..TriageInput::default()
            },
            record,
            emb: None,
        }
    }

    /// A small corpus written for this test: each kind with its own words.
    fn corpus() -> Vec<Example> {
        let mut out = Vec::new();
        for i in 0..12 {
            out.push(example(
                "support",
                &format!("My account is locked {i}"),
                "I cannot log in to my account, please ask the admin to unlock it",
            ));
            out.push(example(
                "troubleshooting",
                &format!("Sidekiq fails after upgrade {i}"),
                "Running the migration on my server fails with a database error",
            ));
            out.push(example(
                "bug",
                &format!("Button does nothing {i}"),
                "Steps: click the reply button. Expected a reply box. Actual: nothing",
            ));
            out.push(example(
                "feature",
                &format!("Please add a setting {i}"),
                "It would be great to have an option to pin a column",
            ));
        }
        out
    }

    #[test]
    fn training_is_deterministic_and_learns_the_kinds() {
        let ex = corpus();
        let opts = TrainOptions {
            folds: 3,
            ..TrainOptions::default()
        };
        let a = train(&ex, &opts);
        let b = train(&ex, &opts);
        assert_eq!(
            a.to_bytes(),
            b.to_bytes(),
            "the same corpus, the same model"
        );
        let t = triage_with(
            &a,
            &TriageInput {
                title: "Account locked".into(),
                free_text: "please ask the admin to unlock my account".into(),
                ..TriageInput::default()
            },
            None,
        );
        assert_eq!(t.verdict, Verdict::Support, "{t:?}");
        let held = cross_validate(&ex, &opts);
        let right = held
            .lexical
            .iter()
            .zip(&ex)
            .filter(|(t, e)| t.verdict.as_str() == e.record.kind)
            .count();
        assert!(right >= ex.len() * 9 / 10, "{right} of {}", ex.len());
    }

    #[test]
    fn thresholds_reach_their_precision_or_are_never_reached() {
        let s = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.6, true),
            (0.5, false),
        ];
        assert_eq!(choose_threshold(&s, 0.6), 0.5);
        assert_eq!(choose_threshold(&s, 0.75), 0.6);
        assert_eq!(choose_threshold(&s, 0.9), NEVER, "fewer than 3 above");
        assert_eq!(choose_threshold(&[(0.9, false); 5], 0.5), NEVER);
    }

    #[test]
    fn folds_are_stratified_and_seeded() {
        let ex = corpus();
        let f = folds(&ex, 4, 7);
        assert_eq!(f, folds(&ex, 4, 7));
        for g in 0..4 {
            let support = ex
                .iter()
                .zip(&f)
                .filter(|(e, x)| **x == g && e.is_support())
                .count();
            assert_eq!(support, 3);
        }
    }
}
