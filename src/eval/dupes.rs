//! Duplicate search measured on labelled pairs: every labelled duplicate
//! whose original is in the corpus searches the other issues of its
//! repository; where does the original rank? Recall@1/5/10 and MRR, from
//! the shipped ranker or from cross-validation (see
//! `checks::dupes::train`).

use crate::checks::dupes::train::Outcome;
use std::fmt;

/// The figures of one ranker over the pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct DupesEval {
    /// Which ranker: "words" or "words and meaning", and how measured.
    pub label: String,
    /// 1-based rank of the original per pair (None: not among the
    /// candidates).
    pub ranks: Vec<(String, Option<usize>)>,
    /// Issues in the pools the queries searched, summed.
    pub pool: usize,
}

impl DupesEval {
    pub fn of(label: &str, outcomes: &[Outcome], pool: usize) -> DupesEval {
        DupesEval {
            label: label.to_string(),
            ranks: outcomes
                .iter()
                .filter(|o| o.is_duplicate)
                .map(|o| (o.id.clone(), o.rank))
                .collect(),
            pool,
        }
    }

    /// Share of pairs whose original ranked in the top `k`.
    pub fn recall_at(&self, k: usize) -> f64 {
        if self.ranks.is_empty() {
            return 0.0;
        }
        let hits = self
            .ranks
            .iter()
            .filter(|(_, r)| r.is_some_and(|r| r <= k))
            .count();
        hits as f64 / self.ranks.len() as f64
    }

    /// Mean reciprocal rank (0 for an original not found).
    pub fn mrr(&self) -> f64 {
        if self.ranks.is_empty() {
            return 0.0;
        }
        let sum: f64 = self
            .ranks
            .iter()
            .map(|(_, r)| r.map_or(0.0, |r| 1.0 / r as f64))
            .sum();
        sum / self.ranks.len() as f64
    }
}

impl fmt::Display for DupesEval {
    /// The figures; with `{:#}`, also every pair's rank.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            for (id, r) in &self.ranks {
                let r = r.map_or("-".to_string(), |r| r.to_string());
                writeln!(f, "  rank {r:>3}  {id}")?;
            }
        }
        write!(
            f,
            "{}: {} pairs, pools of {} issues on average: recall@1 {:.3}  recall@5 {:.3}  recall@10 {:.3}  MRR {:.3}",
            self.label,
            self.ranks.len(),
            self.pool,
            self.recall_at(1),
            self.recall_at(5),
            self.recall_at(10),
            self.mrr()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(rank: Option<usize>, dup: bool) -> Outcome {
        Outcome {
            id: "o/r#1".into(),
            rank,
            top: None,
            is_duplicate: dup,
        }
    }

    #[test]
    fn recall_and_mrr_over_the_pairs_only() {
        let e = DupesEval::of(
            "words",
            &[
                o(Some(1), true),
                o(Some(4), true),
                o(None, true),
                o(None, false),
            ],
            10,
        );
        assert_eq!(e.ranks.len(), 3);
        assert!((e.recall_at(1) - 1.0 / 3.0).abs() < 1e-9);
        assert!((e.recall_at(5) - 2.0 / 3.0).abs() < 1e-9);
        assert!((e.mrr() - (1.0 + 0.25) / 3.0).abs() < 1e-9);
        assert!(e.to_string().contains("recall@5 0.667"));
    }
}
