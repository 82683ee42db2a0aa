//! The duplicate ranker's weights, learned from labelled pairs
//! (`models/dupes.json`, made by `cargo run --release --example train --
//! dupes CORPUS`): a logistic regression over a few features of a
//! (draft, issue) pair, one head for words alone and one that also reads
//! the sentence embeddings, each with the thresholds chosen for it by
//! cross-validation.

use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The features of the words-only head, in order.
pub const LEXICAL: [&str; 3] = ["bm25_title_rel", "bm25_whole_rel", "title_similarity"];
/// The features of the head with embeddings, in order.
pub const EMBEDDED: [&str; 7] = [
    "bm25_title_rel",
    "bm25_whole_rel",
    "title_similarity",
    "cos_title",
    "cos_whole",
    "cos_title_rel",
    "cos_whole_rel",
];

/// One head: standardised features, weights, and its thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub features: Vec<String>,
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
    pub weights: Vec<f64>,
    pub bias: f64,
    /// From this probability a candidate is shown as "may be the same".
    pub offer: f64,
    /// From this probability it is taken for the same issue.
    pub duplicate: f64,
}

impl Head {
    /// The probability that a pair with these features is a duplicate.
    pub fn probability(&self, f: &[f64]) -> f64 {
        let z: f64 = self.bias
            + f.iter()
                .zip(&self.mean)
                .zip(&self.sd)
                .zip(&self.weights)
                .map(|(((x, m), s), w)| w * (x - m) / s.max(1e-9))
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Each feature's share of the logit, for the reasons.
    pub fn contributions(&self, f: &[f64]) -> Vec<f64> {
        f.iter()
            .zip(&self.mean)
            .zip(&self.sd)
            .zip(&self.weights)
            .map(|(((x, m), s), w)| w * (x - m) / s.max(1e-9))
            .collect()
    }
}

/// The ranker file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranker {
    pub format: u32,
    /// Candidates taken from each list (words, meaning) before scoring.
    pub candidates: usize,
    pub lexical: Head,
    pub embedded: Option<Head>,
    /// The embedding model the embedded head was trained with.
    pub embedding_model: Option<String>,
}

pub const FORMAT: u32 = 1;

/// The ranker this build ships.
pub fn shipped() -> &'static Ranker {
    static RANKER: LazyLock<Ranker> = LazyLock::new(|| {
        serde_json::from_str(include_str!("../../../models/dupes.json"))
            .expect("the shipped duplicate ranker is this build's own")
    });
    &RANKER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_ranker_reads_and_its_heads_fit_their_features() {
        let r = shipped();
        assert_eq!(r.format, FORMAT);
        assert_eq!(r.lexical.features, LEXICAL);
        assert_eq!(r.lexical.weights.len(), LEXICAL.len());
        if let Some(e) = &r.embedded {
            assert_eq!(e.features, EMBEDDED);
            assert!(e.offer <= e.duplicate);
        }
        assert!(r.lexical.offer <= r.lexical.duplicate);
    }

    #[test]
    fn probability_grows_with_a_positive_weight() {
        let h = Head {
            features: vec!["x".into()],
            mean: vec![0.5],
            sd: vec![0.25],
            weights: vec![2.0],
            bias: -1.0,
            offer: 0.5,
            duplicate: 0.8,
        };
        assert!(h.probability(&[0.9]) > h.probability(&[0.5]));
        assert!((h.probability(&[0.5]) - 1.0 / (1.0 + 1f64.exp())).abs() < 1e-12);
        assert_eq!(h.contributions(&[0.75]), [2.0]);
    }
}
