//! Measuring duplicate search on a labelled corpus: every issue labelled as
//! a duplicate whose original is in the corpus is searched for (title and
//! body) among the other issues of its repository; where does the original
//! rank?

use crate::checks::dupes::{rank, Index, Query};
use crate::corpus::Record;
use crate::issue::IssueRecord;
use std::fmt;

/// One duplicate pair and how the ranker did on it.
#[derive(Debug, Clone, PartialEq)]
pub struct PairResult {
    /// `owner/repo#N` of the duplicate (the query).
    pub query: String,
    /// `owner/repo#M` of its original.
    pub original: String,
    /// 1-based rank of the original, if it was found at all.
    pub rank: Option<usize>,
}

/// Recall and MRR over the corpus's duplicate pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct DupesEval {
    pub pairs: Vec<PairResult>,
    /// Size of the pool each query searched (issues of the repository, less
    /// the query itself), summed over pairs.
    pub pool_sizes: Vec<usize>,
    /// Whether the `duplicate_of` links of issues filed before each query
    /// were known to the ranker.
    pub with_links: bool,
}

impl DupesEval {
    /// Share of pairs whose original ranked in the top `k`.
    pub fn recall_at(&self, k: usize) -> f64 {
        if self.pairs.is_empty() {
            return 0.0;
        }
        let hits = self
            .pairs
            .iter()
            .filter(|p| p.rank.is_some_and(|r| r <= k))
            .count();
        hits as f64 / self.pairs.len() as f64
    }

    /// Mean reciprocal rank (0 for an original not found).
    pub fn mrr(&self) -> f64 {
        if self.pairs.is_empty() {
            return 0.0;
        }
        let sum: f64 = self
            .pairs
            .iter()
            .map(|p| p.rank.map_or(0.0, |r| 1.0 / r as f64))
            .sum();
        sum / self.pairs.len() as f64
    }
}

impl fmt::Display for DupesEval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "duplicate search: {} pairs ({})",
            self.pairs.len(),
            if self.with_links {
                "duplicate links of earlier issues known"
            } else {
                "content only"
            }
        )?;
        for p in &self.pairs {
            let rank = p.rank.map_or("-".to_string(), |r| r.to_string());
            writeln!(f, "  rank {rank:>3}  {} -> {}", p.query, p.original)?;
        }
        write!(
            f,
            "recall@1 {:.3}  recall@5 {:.3}  recall@10 {:.3}  MRR {:.3}",
            self.recall_at(1),
            self.recall_at(5),
            self.recall_at(10),
            self.mrr()
        )
    }
}

/// Evaluates [`rank`] on `records` from text alone: the pool knows no
/// duplicate links, so no label of any pair helps another.
pub fn evaluate(records: &[Record]) -> DupesEval {
    run(records, false)
}

/// As [`evaluate`], but issues filed before each query (lower numbers) keep
/// their `duplicate_of` links, as GitHub would know them by then: measures
/// the ranker together with [`rank`]'s "bring in the original" rule.
pub fn evaluate_with_links(records: &[Record]) -> DupesEval {
    run(records, true)
}

fn run(records: &[Record], with_links: bool) -> DupesEval {
    let mut pairs = Vec::new();
    let mut pool_sizes = Vec::new();
    for (qi, q) in records.iter().enumerate() {
        let Some(orig_id) = q.duplicate_of.as_deref() else {
            continue;
        };
        let Some((orig_repo, orig_number)) = split_id(orig_id) else {
            continue;
        };
        if orig_repo != q.repo() || q.number().is_none() {
            continue;
        }
        let pool: Vec<IssueRecord> = records
            .iter()
            .enumerate()
            .filter(|(i, r)| *i != qi && r.repo() == q.repo() && r.number().is_some())
            .map(|(_, r)| to_issue(r, with_links && r.number() < q.number()))
            .collect();
        if !pool.iter().any(|r| r.number == orig_number) {
            continue;
        }
        let mut index = Index::new(q.repo());
        index.upsert(pool);
        let query = Query {
            title: q.title.clone(),
            text: q.body.clone(),
        };
        let ranked = rank(&index, &query, index.len());
        let rank = ranked
            .iter()
            .position(|c| c.number == orig_number)
            .map(|p| p + 1);
        pool_sizes.push(index.len());
        pairs.push(PairResult {
            query: q.id.clone(),
            original: orig_id.to_string(),
            rank,
        });
    }
    DupesEval {
        pairs,
        pool_sizes,
        with_links,
    }
}

fn split_id(id: &str) -> Option<(&str, u64)> {
    let (repo, n) = id.rsplit_once('#')?;
    Some((repo, n.parse().ok()?))
}

fn to_issue(r: &Record, with_links: bool) -> IssueRecord {
    let duplicate_of = if with_links {
        r.duplicate_of
            .as_deref()
            .and_then(split_id)
            .filter(|(repo, _)| *repo == r.repo())
            .map(|(_, n)| n)
    } else {
        None
    };
    IssueRecord {
        number: r.number().unwrap_or_default(),
        title: r.title.clone(),
        body: r.body.clone(),
        url: r.url.clone(),
        labels: r.labels.clone(),
        duplicate_of,
        ..IssueRecord::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, title: &str, body: &str, dup: Option<&str>) -> Record {
        Record {
            id: id.into(),
            url: String::new(),
            title: title.into(),
            body: body.into(),
            kind: "feature".into(),
            confidence: "high".into(),
            duplicate_of: dup.map(str::to_string),
            labels: vec![],
        }
    }

    #[test]
    fn measures_rank_of_the_original() {
        let records = vec![
            record(
                "o/r#1",
                "Allow editing posts",
                "Let people edit a toot after posting it.",
                None,
            ),
            record(
                "o/r#2",
                "Dark mode follows the system",
                "Use prefers-color-scheme.",
                None,
            ),
            record(
                "o/r#3",
                "Polls cannot be edited",
                "Editing a poll is impossible.",
                None,
            ),
            record(
                "o/r#4",
                "Edit toots",
                "I want to modify my toots after sending.",
                Some("o/r#1"),
            ),
            // Its original is in another repository: not a pair here.
            record("x/y#5", "Edit toots", "Same thing.", Some("o/r#1")),
            // Original missing from the corpus: skipped.
            record("o/r#6", "Something", "Else.", Some("o/r#99")),
        ];
        let e = evaluate(&records);
        assert!(!e.with_links);
        assert_eq!(e.pairs.len(), 1);
        assert_eq!(e.pairs[0].rank, Some(1));
        assert_eq!(e.pool_sizes, vec![4]);
        assert_eq!(e.recall_at(1), 1.0);
        assert_eq!(e.mrr(), 1.0);
        let shown = e.to_string();
        assert!(
            shown.contains("o/r#4 -> o/r#1") && shown.contains("recall@5 1.000"),
            "{shown}"
        );
    }

    #[test]
    fn links_count_only_from_earlier_issues() {
        // #3 and #5 both duplicate #1, which shares no words with them.
        let records = vec![
            record("o/r#1", "Zebra crossing", "Stripes everywhere.", None),
            record(
                "o/r#2",
                "Polls overflow on phones",
                "The poll is cut off.",
                None,
            ),
            record(
                "o/r#3",
                "Quokka picture uploads fail",
                "Uploading the quokka fails.",
                Some("o/r#1"),
            ),
            record(
                "o/r#5",
                "Quokka picture uploads fail again",
                "Uploading a quokka fails.",
                Some("o/r#1"),
            ),
        ];
        let with = evaluate_with_links(&records);
        // #5 finds #3, an earlier known duplicate of #1, which brings #1 in;
        // #3 cannot use the later #5's link.
        let rank_of = |e: &DupesEval, q: &str| e.pairs.iter().find(|p| p.query == q).unwrap().rank;
        assert_eq!(rank_of(&with, "o/r#5"), Some(1));
        assert_ne!(rank_of(&with, "o/r#3"), Some(1));
        let without = evaluate(&records);
        assert_ne!(rank_of(&without, "o/r#5"), Some(1));
    }

    #[test]
    fn metrics_average_over_pairs() {
        let e = DupesEval {
            pairs: vec![
                PairResult {
                    query: "a".into(),
                    original: "b".into(),
                    rank: Some(2),
                },
                PairResult {
                    query: "c".into(),
                    original: "d".into(),
                    rank: None,
                },
            ],
            pool_sizes: vec![10, 10],
            with_links: false,
        };
        assert_eq!(e.recall_at(1), 0.0);
        assert_eq!(e.recall_at(5), 0.5);
        assert!((e.mrr() - 0.25).abs() < 1e-9);
    }
}
