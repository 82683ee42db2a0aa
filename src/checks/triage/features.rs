//! What the triage model sees of a draft: hashed words, word pairs and
//! character 3- to 5-grams of the title and of the body (prose only: code,
//! links, markup, headings and the form's or template's boilerplate gone),
//! their terms as the shared analysis folds them (Mastodon's vocabulary,
//! and the words of other languages onto the English ones, so that what
//! was learned from English reports reads a German one too), and, when the
//! sentence-embedding model is there, the meaning of the title and of the
//! whole text.
//!
//! Of a draft's shape only the kind of form it came through is seen (a
//! bug form, a feature form): it tells bugs from features well, since
//! hardly a feature request comes through a bug form. Finer facts (steps
//! given, a version named) are left out on purpose: on held-out reports
//! they made the model worse, since support questions arrive through the
//! bug forms too. They serve lint and the drafter's questions instead.

use super::TriageInput;
use crate::learn::{bucket, Features};
use crate::text::{self, Boilerplate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How features are made: stored with the model, so that the features of
/// a draft always match the ones the model was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Hashed columns: `2^bits`.
    pub bits: u32,
    /// Word pairs besides single words.
    pub bigrams: bool,
    /// Character n-grams, from 3 to this (0: none).
    pub chars: usize,
    /// Body words read at most (the rest is logs and quotes).
    pub max_body_words: usize,
    /// How much the embedding block weighs beside the words (each block
    /// is unit length before this).
    pub embedding_scale: f32,
    /// Lines of old issue templates that recur in many bodies, learned
    /// from the corpus at training time.
    pub boilerplate: Vec<String>,
    /// How much the kind of form (its `type:`) weighs, as one column
    /// beside the unit-length word blocks (0: not seen). Models trained
    /// before it read as 0.
    #[serde(default)]
    pub form_kind: f32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bits: 16,
            bigrams: true,
            chars: 5,
            max_body_words: 800,
            embedding_scale: 2.0,
            boilerplate: Vec::new(),
            form_kind: 0.5,
        }
    }
}

/// The text a draft is judged on: its title, and its body as prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    pub title: String,
    pub body: String,
    /// The form's `type:` in lower case ("bug", "suggestion"…), when the
    /// draft came through a form.
    pub form: Option<String>,
}

impl Texts {
    pub fn of(input: &TriageInput, boilerplate: &Boilerplate) -> Texts {
        let mut body = String::new();
        for (_, value) in &input.fields {
            if !value.trim().is_empty() {
                body.push_str(value);
                body.push('\n');
            }
        }
        body.push_str(&input.free_text);
        let body = text::words::prose(&without_headings(&boilerplate.strip(&body)));
        Texts {
            title: text::words::prose(&input.title),
            body,
            form: input.form_type.as_deref().map(|t| t.trim().to_lowercase()),
        }
    }

    /// What the sentence model reads for the whole draft: the title, then
    /// the start of the body (the model reads 256 tokens at most).
    pub fn whole(&self) -> String {
        let cut = text::words::floor_char_boundary(&self.body, 2000);
        format!("{}\n{}", self.title.trim(), self.body[..cut].trim())
    }
}

/// Markdown headings say what a section is, not what the reporter says.
fn without_headings(body: &str) -> String {
    body.lines()
        .filter(|l| {
            let t = l.trim_start();
            let hashes = t.len() - t.trim_start_matches('#').len();
            !(1..=6).contains(&hashes) || !t[hashes..].starts_with(' ')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A draft's features, and the name of each column, for the reasons.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub sparse: Features,
    pub names: HashMap<u32, String>,
}

/// The sparse features of a draft: the title's and the body's blocks,
/// each of log counts scaled to unit length, added.
pub fn extract(texts: &Texts, config: &Config) -> Extracted {
    let mut pairs: Vec<(u32, f32)> = Vec::new();
    let mut names = HashMap::new();
    let title = text::words::words(&texts.title);
    let mut body = text::words::words(&texts.body);
    body.truncate(config.max_body_words);
    let lang = text::language(&format!("{}\n{}", texts.title, texts.body));
    let folded = |t: &str, max: usize| -> Vec<String> {
        text::terms(t, lang)
            .into_iter()
            .take(max)
            .map(|t| t.term)
            .collect()
    };
    let folded_title = folded(&texts.title, usize::MAX);
    let folded_body = folded(&texts.body, config.max_body_words);
    for (ns, words, terms) in [("t", &title, &folded_title), ("b", &body, &folded_body)] {
        // Ordered, so that float sums (and so the model trained on them)
        // are the same on every run.
        let mut counts: BTreeMap<u32, (f32, String)> = BTreeMap::new();
        let folded_names = terms.iter().map(|t| format!("{ns}|f{t}"));
        for name in grams(ns, words, config).into_iter().chain(folded_names) {
            let col = bucket(&name, config.bits);
            counts.entry(col).or_insert((0.0, name)).0 += 1.0;
        }
        let norm = counts
            .values()
            .map(|(c, _)| (1.0 + c.ln()).powi(2))
            .sum::<f32>()
            .sqrt();
        for (col, (c, name)) in counts {
            pairs.push((col, (1.0 + c.ln()) / norm.max(f32::MIN_POSITIVE)));
            names.insert(col, name);
        }
    }
    if let Some(kind) = texts.form.as_ref().filter(|_| config.form_kind > 0.0) {
        let name = format!("k|{kind}");
        let col = bucket(&name, config.bits);
        pairs.push((col, config.form_kind));
        names.insert(col, name);
    }
    Extracted {
        sparse: Features::from_pairs(pairs),
        names,
    }
}

/// `t|wword`, `t|wword pair`, `t|cgra` (title) or `b|…` (body).
fn grams(ns: &str, words: &[String], config: &Config) -> Vec<String> {
    let mut out: Vec<String> = words.iter().map(|w| format!("{ns}|w{w}")).collect();
    if config.bigrams {
        out.extend(words.windows(2).map(|p| format!("{ns}|w{} {}", p[0], p[1])));
    }
    if config.chars >= 3 && !words.is_empty() {
        let chars: Vec<char> = format!(" {} ", words.join(" ")).chars().collect();
        for n in 3..=config.chars {
            out.extend(
                chars
                    .windows(n)
                    .map(|g| format!("{ns}|c{}", g.iter().collect::<String>())),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, body: &str) -> TriageInput {
        TriageInput {
            title: title.into(),
            free_text: body.into(),
            ..TriageInput::default()
        }
    }

    #[test]
    fn words_pairs_and_grams_become_named_columns() {
        let i = input(
            "Can't log in",
            "My account on social.example says suspended.",
        );
        let texts = Texts::of(&i, &Boilerplate::default());
        let e = extract(&texts, &Config::default());
        let names: Vec<&String> = e.names.values().collect();
        for want in [
            "t|wcant",
            "t|wlog in",
            "b|waccount",
            "b|wmy account",
            "b|c sus",
            "t|cog ",
        ] {
            assert!(
                names.iter().any(|n| *n == want),
                "{want} missing from {names:?}"
            );
        }
        // Title and body blocks are each unit length.
        let total: f32 = e.sparse.val.iter().map(|v| v * v).sum();
        assert!((total - 2.0).abs() < 1e-3, "{total}");
    }

    #[test]
    fn hashing_matches_the_research_test_vectors() {
        // Column numbers the trainer and the model file agree on.
        assert_eq!(bucket("t|wsuspended", 18), 53267);
        assert_eq!(bucket("t|wmy account", 18), 178623);
        assert_eq!(bucket("b|caccou", 18), 95149);
        assert_eq!(bucket("t|wsuspended", 16), 53267 & 0xffff);
    }

    #[test]
    fn boilerplate_code_and_links_are_not_features() {
        let i = input(
            "Crash",
            "### What happened\nPlease describe the problem here\n```\nstack trace here\n```\nSee https://example.org/x",
        );
        let b = Boilerplate::new(["Please describe the problem here"]);
        let texts = Texts::of(&i, &b);
        assert!(!texts.body.contains("describe") && !texts.body.contains("stack"));
        assert!(!texts.body.contains("What happened"), "{}", texts.body);
        assert!(!texts.body.contains("example.org"), "{}", texts.body);
    }
}
