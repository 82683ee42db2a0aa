//! Fitting the duplicate ranker on labelled pairs, and measuring it on
//! pairs it was not fitted on.
//!
//! Every labelled duplicate whose original is in the corpus is a query: it
//! searches the other issues of its repository. Its candidates (top by
//! words ∪ top by meaning) give one row each, the original a positive, the
//! others negatives. Folds are over clusters of pairs (pairs that share an
//! original stay together), so no fold learns an original it is tested on.
//! The "may be the same" threshold is chosen on held-out top-1 offers,
//! counting every issue that is no labelled duplicate as a query too.

use super::model::{Head, Ranker, EMBEDDED, FORMAT, LEXICAL};
use super::rank::{candidates, features, score, QueryVectors};
use super::{query_vectors, Index, Query};
use crate::corpus::Record;
use crate::embed::{EmbedError, Embedder};
use crate::issue::{IssueRecord, IssueState};
use crate::learn::{self, Features, Options, Sample};
use crate::progress::{Progress, Silent};
use std::collections::{HashMap, HashSet};

/// Candidates from each list (words, meaning).
pub const CANDIDATES: usize = 30;
/// Regularisation (scikit-learn's `C`): strong, seven features and 42 pairs.
pub const C: f64 = 0.1;
/// Seed of the folds.
pub const SEED: u64 = 1;

/// One query: an issue of the corpus searching its repository's others.
#[derive(Debug, Clone)]
pub struct Searcher {
    pub id: String,
    pub repo: String,
    pub query: Query,
    pub vectors: Option<QueryVectors>,
    /// The query's own place in its repository's index (never a candidate).
    pub own: usize,
    /// The labelled original's place, for a duplicate.
    pub original: Option<usize>,
    /// Pairs that share an original share a cluster (its number).
    pub cluster: Option<u64>,
}

/// The corpus as pools (one index per repository) and queries.
pub struct Prepared {
    pub pools: HashMap<String, Index>,
    pub queries: Vec<Searcher>,
}

fn issue(r: &Record) -> IssueRecord {
    IssueRecord {
        number: r.number().unwrap_or(0),
        title: r.title.clone(),
        body: r.body.clone(),
        state: IssueState::Open,
        url: r.url.clone(),
        ..IssueRecord::default()
    }
}

/// Indexes every repository of `records` (with vectors when `embedder` is
/// given) and makes every issue a query.
pub fn prepare(
    records: &[Record],
    embedder: Option<&Embedder>,
    progress: &dyn Progress,
) -> Result<Prepared, EmbedError> {
    let mut by_repo: HashMap<String, Vec<&Record>> = HashMap::new();
    for r in records.iter().filter(|r| r.number().is_some()) {
        by_repo.entry(r.repo().to_string()).or_default().push(r);
    }
    let mut pools = HashMap::new();
    let mut queries = Vec::new();
    let mut repos: Vec<&String> = by_repo.keys().collect();
    repos.sort();
    for repo in repos {
        let recs = &by_repo[repo];
        let mut index = Index::new(repo);
        index.upsert(recs.iter().map(|r| issue(r)).collect());
        if let Some(e) = embedder {
            index.embed_missing(e, progress)?;
        }
        for r in recs {
            // A pull request's number never enters the index.
            let Some(own) = r.number().and_then(|n| index.position(n)) else {
                continue;
            };
            let original = r.duplicate_of.as_deref().and_then(|o| {
                let (orepo, n) = o.rsplit_once('#')?;
                (orepo == repo).then(|| index.position(n.parse().ok()?))?
            });
            let query = Query {
                title: r.title.clone(),
                text: r.body.clone(),
            };
            let vectors = match embedder {
                Some(e) => Some(query_vectors(e, &query)?),
                None => None,
            };
            queries.push(Searcher {
                id: r.id.clone(),
                repo: repo.clone(),
                query,
                vectors,
                own,
                original,
                cluster: original.map(|o| o as u64),
            });
        }
        pools.insert(repo.clone(), index);
    }
    Ok(Prepared { pools, queries })
}

/// One candidate of one query, with its features.
#[derive(Debug, Clone)]
pub struct Row {
    pub doc: usize,
    pub features: Vec<f64>,
    pub original: bool,
}

/// The candidates of a query and their features (seven with vectors,
/// three without).
pub fn rows(p: &Prepared, q: &Searcher, embedded: bool) -> Vec<Row> {
    let index = &p.pools[&q.repo];
    let vectors = if embedded { q.vectors.as_ref() } else { None };
    let s = score(index, &q.query, vectors);
    let exclude: HashSet<usize> = [q.own].into();
    candidates(&s, CANDIDATES, &exclude)
        .into_iter()
        .map(|d| Row {
            doc: d,
            features: features(&s, d, &index.record(d).title, &exclude),
            original: Some(d) == q.original,
        })
        .collect()
}

/// A head fitted on rows: standardised features, logistic regression.
pub fn fit_head(rows: &[&Row], names: &[&str], c: f64) -> Head {
    let k = names.len();
    let n = rows.len().max(1) as f64;
    let mean: Vec<f64> = (0..k)
        .map(|j| rows.iter().map(|r| r.features[j]).sum::<f64>() / n)
        .collect();
    let sd: Vec<f64> = (0..k)
        .map(|j| {
            let v = rows
                .iter()
                .map(|r| (r.features[j] - mean[j]).powi(2))
                .sum::<f64>()
                / n;
            v.sqrt().max(1e-6)
        })
        .collect();
    let samples: Vec<Sample> = rows
        .iter()
        .map(|r| Sample {
            sparse: Features::default(),
            dense: (0..k)
                .map(|j| ((r.features[j] - mean[j]) / sd[j]) as f32)
                .collect(),
            class: usize::from(r.original),
        })
        .collect();
    let fitted = learn::fit(
        &samples,
        &Options {
            classes: 2,
            c,
            balanced: false,
            max_iter: 500,
        },
    );
    Head {
        features: names.iter().map(|s| s.to_string()).collect(),
        mean,
        sd,
        // Two-class softmax is a logistic regression on the difference.
        weights: fitted
            .dense
            .iter()
            .map(|w| f64::from(w[1] - w[0]))
            .collect(),
        bias: f64::from(fitted.bias[1] - fitted.bias[0]),
        offer: 0.5,
        duplicate: 0.8,
    }
}

/// How one query fared on held-out folds.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: String,
    /// 1-based rank of the original, for a duplicate (None: not found).
    pub rank: Option<usize>,
    /// The probability of the top candidate, and whether it is the original.
    pub top: Option<(f64, bool)>,
    pub is_duplicate: bool,
}

/// Folds over clusters: each duplicate's fold, and every other query's.
fn folds(p: &Prepared, k: usize, seed: u64) -> Vec<usize> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut clusters: Vec<(String, u64)> = p
        .queries
        .iter()
        .filter_map(|q| q.cluster.map(|c| (q.repo.clone(), c)))
        .collect();
    clusters.sort();
    clusters.dedup();
    for i in (1..clusters.len()).rev() {
        clusters.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    let fold_of: HashMap<(String, u64), usize> = clusters
        .into_iter()
        .enumerate()
        .map(|(i, c)| (c, i % k))
        .collect();
    p.queries
        .iter()
        .map(|q| match q.cluster {
            Some(c) => fold_of[&(q.repo.clone(), c)],
            None => (next() % k as u64) as usize,
        })
        .collect()
}

/// Cross-validated outcomes of every query, for the words-only head
/// (`embedded == false`) or the one with embeddings.
pub fn cross_validate(p: &Prepared, embedded: bool, c: f64, k: usize, seed: u64) -> Vec<Outcome> {
    let names: &[&str] = if embedded { &EMBEDDED } else { &LEXICAL };
    let fold = folds(p, k, seed);
    let all_rows: Vec<Vec<Row>> = p.queries.iter().map(|q| rows(p, q, embedded)).collect();
    let mut out: Vec<Option<Outcome>> = vec![None; p.queries.len()];
    for f in 0..k {
        let train: Vec<&Row> = p
            .queries
            .iter()
            .enumerate()
            .filter(|(i, q)| fold[*i] != f && q.original.is_some())
            .flat_map(|(i, _)| all_rows[i].iter())
            .collect();
        let head = fit_head(&train, names, c);
        for (i, q) in p.queries.iter().enumerate().filter(|(i, _)| fold[*i] == f) {
            out[i] = Some(judge(q, &all_rows[i], &head));
        }
    }
    out.into_iter()
        .map(|o| o.expect("every fold judged"))
        .collect()
}

/// Every query's outcome under `head` (the shipped ranker's, say).
pub fn judge_all(p: &Prepared, head: &Head, embedded: bool) -> Vec<Outcome> {
    p.queries
        .iter()
        .map(|q| judge(q, &rows(p, q, embedded), head))
        .collect()
}

/// The average size of the pools the duplicates searched.
pub fn mean_pool(p: &Prepared) -> usize {
    let sizes: Vec<usize> = p
        .queries
        .iter()
        .filter(|q| q.original.is_some())
        .map(|q| p.pools[&q.repo].len() - 1)
        .collect();
    sizes.iter().sum::<usize>() / sizes.len().max(1)
}

/// A query's outcome under `head`.
fn judge(q: &Searcher, rows: &[Row], head: &Head) -> Outcome {
    let mut scored: Vec<(f64, &Row)> = rows
        .iter()
        .map(|r| (head.probability(&r.features[..head.features.len()]), r))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.doc.cmp(&b.1.doc)));
    Outcome {
        id: q.id.clone(),
        rank: scored.iter().position(|(_, r)| r.original).map(|i| i + 1),
        top: scored.first().map(|(p, r)| (*p, r.original)),
        is_duplicate: q.original.is_some(),
    }
}

/// The offer threshold: the one that makes the most correct top-1 offers
/// for the fewest wrong ones (best F1 over every query, held out); and the
/// duplicate threshold: the lowest, at least the offer's, that the top
/// match of at most 2% of the issues with no labelled duplicate reaches.
/// (Labels are incomplete: many "wrong" offers are the same problem, never
/// marked, so strict precision would ask for a threshold nothing reaches.)
pub fn choose_thresholds(outcomes: &[Outcome]) -> (f64, f64) {
    let pairs = outcomes.iter().filter(|o| o.is_duplicate).count().max(1) as f64;
    let mut tops: Vec<(f64, bool)> = outcomes.iter().filter_map(|o| o.top).collect();
    tops.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut best_f1, mut offer) = (0.0, 1.0);
    let mut right = 0usize;
    for (i, (p, ok)) in tops.iter().enumerate() {
        right += usize::from(*ok);
        if tops.get(i + 1).is_some_and(|n| n.0 == *p) {
            continue;
        }
        let precision = right as f64 / (i + 1) as f64;
        let recall = right as f64 / pairs;
        let f1 = if right == 0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        if f1 > best_f1 {
            best_f1 = f1;
            offer = *p;
        }
    }
    let mut alone: Vec<f64> = outcomes
        .iter()
        .filter(|o| !o.is_duplicate)
        .filter_map(|o| o.top.map(|t| t.0))
        .collect();
    alone.sort_by(|a, b| b.total_cmp(a));
    let allowed = alone.len() / 50;
    // Just above the (allowed + 1)-th highest score of a lone issue.
    let duplicate = alone.get(allowed).map_or(offer, |p| p + 0.001).max(offer);
    (round(offer), round(duplicate.min(1.0)))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).floor() / 1000.0
}

/// The ranker fitted on every pair, its thresholds from cross-validation.
pub fn train(p: &Prepared, with_embeddings: Option<String>, c: f64, seed: u64) -> Ranker {
    let head_for = |embedded: bool| {
        let names: &[&str] = if embedded { &EMBEDDED } else { &LEXICAL };
        let outcomes = cross_validate(p, embedded, c, 5, seed);
        let rows: Vec<Row> = p
            .queries
            .iter()
            .filter(|q| q.original.is_some())
            .flat_map(|q| rows(p, q, embedded))
            .collect();
        let refs: Vec<&Row> = rows.iter().collect();
        let mut head = fit_head(&refs, names, c);
        let (offer, duplicate) = choose_thresholds(&outcomes);
        head.offer = offer;
        head.duplicate = duplicate;
        head
    };
    Ranker {
        format: FORMAT,
        candidates: CANDIDATES,
        lexical: head_for(false),
        embedded: with_embeddings.is_some().then(|| head_for(true)),
        embedding_model: with_embeddings,
    }
}

/// [`prepare`] without progress, for tests.
pub fn prepare_quietly(records: &[Record]) -> Prepared {
    prepare(records, None, &Silent).expect("no embedder, no embedding error")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(n: u64, title: &str, body: &str, dup: Option<u64>) -> Record {
        serde_json::from_value(serde_json::json!({
            "id": format!("o/r#{n}"), "url": format!("https://github.com/o/r/issues/{n}"),
            "title": title, "body": body, "kind": "bug",
            "duplicate_of": dup.map(|d| format!("o/r#{d}")),
        }))
        .unwrap()
    }

    /// Pairs written for this test: each duplicate re-words its original.
    fn corpus() -> Vec<Record> {
        let topics = [
            (
                "Pinned posts lose their order",
                "after editing a pinned post the order changes",
            ),
            (
                "Emoji picker is slow",
                "the custom emoji picker lags with many emojis",
            ),
            (
                "Polls overflow on phones",
                "the poll options are cut off on small screens",
            ),
            (
                "Header image upload fails",
                "uploading a profile header gives error 422",
            ),
            (
                "Search ignores accents",
                "searching for cafe does not find café",
            ),
            (
                "Lists lose their members",
                "members vanish from my lists after a while",
            ),
            (
                "Boost undo missing",
                "cannot undo a boost from the notification",
            ),
            (
                "Dark mode flickers",
                "the dark theme flashes white when loading",
            ),
        ];
        let mut out = Vec::new();
        for (i, (t, b)) in topics.iter().enumerate() {
            let n = 10 + 2 * i as u64;
            out.push(rec(n, t, b, None));
            out.push(rec(
                n + 1,
                &format!("{t} again"),
                &format!("Also: {b}"),
                Some(n),
            ));
        }
        out.push(rec(
            99,
            "Unrelated crash on startup",
            "the app crashes",
            None,
        ));
        out
    }

    #[test]
    fn the_original_ranks_first_on_held_out_pairs() {
        let p = prepare_quietly(&corpus());
        let outcomes = cross_validate(&p, false, 0.1, 4, 7);
        let dups: Vec<&Outcome> = outcomes.iter().filter(|o| o.is_duplicate).collect();
        assert_eq!(dups.len(), 8);
        assert!(
            dups.iter().filter(|o| o.rank == Some(1)).count() >= 7,
            "{dups:#?}"
        );
    }

    #[test]
    fn training_is_deterministic_and_thresholds_ordered() {
        let p = prepare_quietly(&corpus());
        let a = train(&p, None, 0.1, 7);
        let b = train(&p, None, 0.1, 7);
        assert_eq!(a, b);
        assert!(a.lexical.offer <= a.lexical.duplicate);
        assert!(a.lexical.weights.iter().any(|w| *w > 0.0));
    }

    #[test]
    fn thresholds_follow_the_held_out_offers() {
        let o = |p: f64, ok: bool, dup: bool| Outcome {
            id: String::new(),
            rank: None,
            top: Some((p, ok)),
            is_duplicate: dup,
        };
        let outcomes = [
            o(0.9, true, true),
            o(0.8, true, true),
            o(0.7, false, false),
            o(0.6, true, true),
            o(0.3, false, false),
            o(0.2, false, true),
        ];
        let (offer, duplicate) = choose_thresholds(&outcomes);
        assert_eq!(offer, 0.6);
        // Above the best score of an issue with no labelled duplicate.
        assert_eq!(duplicate, 0.701);
    }
}
