//! Ranking an index against a draft.
//!
//! Candidates: the top issues by words (BM25 of the draft's title against
//! issue titles, and of its whole text against theirs) together with the
//! top issues by meaning (cosine of sentence embeddings), when the index
//! and the draft have them. Each candidate is then scored by the learned
//! ranker ([`super::model`]) on a few features, each relative to the best
//! in the whole index: the original is usually the clear best match.

use super::index::{unpack_tf, Frozen, Index};
use super::model::{Head, Ranker};
use super::text::{self, Token};
use super::{Candidate, Query, Thresholds};
use crate::issue::IssueRecord;
use std::collections::{HashMap, HashSet};

/// BM25 saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The sentence embeddings of a draft: its title, and its title with the
/// start of its body.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryVectors {
    pub title: Vec<f32>,
    pub whole: Vec<f32>,
}

/// What the ranking found, and with which head.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub candidates: Vec<Candidate>,
    /// The thresholds of the head that scored them.
    pub thresholds: Thresholds,
    /// Whether meaning (embeddings) took part.
    pub embedded: bool,
}

pub(crate) fn idf(n: usize, df: u32) -> f64 {
    let n = n as f64;
    let df = f64::from(df);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// One query term present in the index.
struct QTerm {
    index: usize,
    word: String,
    idf: f64,
    in_title: bool,
}

/// Every issue's raw scores, and the pool maxima.
pub(crate) struct Scores {
    bm25_title: Vec<f32>,
    bm25_whole: Vec<f32>,
    cos_title: Option<Vec<f32>>,
    cos_whole: Option<Vec<f32>>,
    terms: Vec<QTerm>,
    /// The words of the query's title, folded, for title similarity.
    title_words: String,
}

impl Scores {
    fn max(v: &[f32], exclude: &HashSet<usize>) -> f64 {
        v.iter()
            .enumerate()
            .filter(|(d, _)| !exclude.contains(d))
            .map(|(_, x)| f64::from(*x))
            .fold(0.0, f64::max)
    }
}

/// The raw scores of every issue of the index for `query`.
pub(crate) fn score(index: &Index, query: &Query, qv: Option<&QueryVectors>) -> Scores {
    let f = index.frozen();
    let n = f.n_docs();
    let title = text::analyze_title(&query.title);
    let body = text::analyze_body(&query.text);
    let mut by_term: HashMap<usize, QTerm> = HashMap::new();
    for (t, in_title) in title
        .iter()
        .map(|t| (t, true))
        .chain(body.iter().map(|t| (t, false)))
    {
        if let Some(i) = f.lookup(text::term_key(&t.term)) {
            let e = by_term.entry(i).or_insert_with(|| QTerm {
                index: i,
                word: t.word.clone(),
                idf: idf(n, f.df(i)),
                in_title: false,
            });
            e.in_title |= in_title;
        }
    }
    let mut terms: Vec<QTerm> = by_term.into_values().collect();
    terms.sort_by(|a, b| b.idf.total_cmp(&a.idf).then(a.index.cmp(&b.index)));
    let mut bm25_title = vec![0f32; n];
    let mut bm25_whole = vec![0f32; n];
    let avg_whole = f.avg_title_len + f.avg_body_len;
    for t in &terms {
        f.for_each_posting(t.index, |d, packed| {
            let (tt, tb) = unpack_tf(packed);
            if t.in_title && tt > 0 {
                let norm = 1.0 - B + B * f64::from(f.title_len(d)) / f.avg_title_len;
                let tf = f64::from(tt);
                bm25_title[d] += (t.idf * tf * (K1 + 1.0) / (tf + K1 * norm)) as f32;
            }
            let len = f64::from(f.title_len(d)) + f64::from(f.body_len(d));
            let norm = 1.0 - B + B * len / avg_whole;
            let tf = f64::from(tt + tb);
            bm25_whole[d] += (t.idf * tf * (K1 + 1.0) / (tf + K1 * norm)) as f32;
        });
    }
    let usable = qv.filter(|_| index.vectors.is_some() && f.dim() > 0);
    Scores {
        bm25_title,
        bm25_whole,
        cos_title: usable.map(|v| f.dots(&v.title)),
        cos_whole: usable.map(|v| f.dots(&v.whole)),
        terms,
        title_words: words(&title),
    }
}

fn words(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| t.word.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The candidates of a query: the top `k` by words and, with embeddings,
/// the top `k` by meaning; `exclude` never enters (nor counts for the
/// pool maxima).
pub(crate) fn candidates(s: &Scores, k: usize, exclude: &HashSet<usize>) -> Vec<usize> {
    let n = s.bm25_title.len();
    let (mt, mw) = (
        Scores::max(&s.bm25_title, exclude),
        Scores::max(&s.bm25_whole, exclude),
    );
    let rel = |v: f32, m: f64| if m > 0.0 { f64::from(v) / m } else { 0.0 };
    let mut lexical: Vec<(f64, usize)> = (0..n)
        .filter(|d| !exclude.contains(d))
        .map(|d| {
            (
                0.5 * rel(s.bm25_title[d], mt) + 0.5 * rel(s.bm25_whole[d], mw),
                d,
            )
        })
        .filter(|(x, _)| *x > 0.0)
        .collect();
    let mut picked: Vec<usize> = top(&mut lexical, k);
    if let (Some(ct), Some(cw)) = (&s.cos_title, &s.cos_whole) {
        let mut meaning: Vec<(f64, usize)> = (0..n)
            .filter(|d| !exclude.contains(d))
            .map(|d| (f64::from(ct[d] + cw[d]), d))
            .filter(|(x, _)| *x != 0.0)
            .collect();
        for d in top(&mut meaning, k) {
            if !picked.contains(&d) {
                picked.push(d);
            }
        }
    }
    picked
}

fn top(v: &mut [(f64, usize)], k: usize) -> Vec<usize> {
    let by = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if v.len() > k {
        v.select_nth_unstable_by(k, by);
    }
    let cut = v.len().min(k);
    v[..cut].sort_by(by);
    v[..cut].iter().map(|x| x.1).collect()
}

/// The features of one candidate, in the order of [`super::model::EMBEDDED`]
/// (the words-only head reads the first three).
pub(crate) fn features(
    s: &Scores,
    d: usize,
    doc_title: &str,
    exclude: &HashSet<usize>,
) -> Vec<f64> {
    let rel = |v: f32, m: f64| if m > 0.0 { f64::from(v) / m } else { 0.0 };
    let doc_words = words(&text::analyze_title(doc_title));
    let sim = if s.title_words.is_empty() || doc_words.is_empty() {
        0.0
    } else {
        f64::from(similar::TextDiff::from_chars(s.title_words.as_str(), doc_words.as_str()).ratio())
    };
    let mut out = vec![
        rel(s.bm25_title[d], Scores::max(&s.bm25_title, exclude)),
        rel(s.bm25_whole[d], Scores::max(&s.bm25_whole, exclude)),
        sim,
    ];
    if let (Some(ct), Some(cw)) = (&s.cos_title, &s.cos_whole) {
        let (t, w) = (f64::from(ct[d]), f64::from(cw[d]));
        out.extend([
            t,
            w,
            t - Scores::max(ct, exclude),
            w - Scores::max(cw, exclude),
        ]);
    }
    out
}

/// The `limit` issues of `index` most likely to be the same as `query`,
/// best first, scored by `ranker` (with meaning when `qv` is given and the
/// index holds vectors of the same model). A known duplicate brings its
/// original in (placed just above it) rather than hiding it.
pub fn rank_with(
    index: &Index,
    query: &Query,
    qv: Option<&QueryVectors>,
    ranker: &Ranker,
    limit: usize,
) -> Ranked {
    let same_model =
        index.vectors.as_ref().map(|v| v.model.as_str()) == ranker.embedding_model.as_deref();
    let head_e = ranker
        .embedded
        .as_ref()
        .filter(|_| same_model && qv.is_some());
    let head = head_e.unwrap_or(&ranker.lexical);
    let thresholds = Thresholds {
        offer: head.offer,
        duplicate: head.duplicate,
    };
    let mut ranked = Ranked {
        candidates: Vec::new(),
        thresholds,
        embedded: head_e.is_some(),
    };
    if limit == 0 || index.is_empty() {
        return ranked;
    }
    let s = score(index, query, if head_e.is_some() { qv } else { None });
    if s.terms.is_empty() && s.cos_title.is_none() {
        return ranked;
    }
    let none = HashSet::new();
    let scored: Vec<(f64, Candidate)> = candidates(&s, ranker.candidates, &none)
        .into_iter()
        .map(|d| {
            let rec = index.record(d);
            let f = features(&s, d, &rec.title, &none);
            let p = head.probability(&f[..head.features.len()]);
            (p, candidate(&rec, p, &s, head, &f, d, index.frozen()))
        })
        .collect();
    ranked.candidates = with_originals(index, &s, head, scored, limit);
    ranked
}

/// Ranks with the shipped ranker, by words alone.
pub(crate) fn rank(index: &Index, query: &Query, limit: usize) -> Vec<Candidate> {
    rank_with(index, query, None, super::model::shipped(), limit).candidates
}

/// Known duplicates bring their original in, just above themselves. An
/// original is revisited only when its score rises, so chains of
/// duplicates settle, and cycles too.
fn with_originals(
    index: &Index,
    s: &Scores,
    head: &Head,
    scored: Vec<(f64, Candidate)>,
    limit: usize,
) -> Vec<Candidate> {
    let mut out: Vec<(Candidate, bool)> = scored.into_iter().map(|(_, c)| (c, false)).collect();
    out.sort_by(|a, b| {
        b.0.score
            .total_cmp(&a.0.score)
            .then(a.0.number.cmp(&b.0.number))
    });
    out.truncate(limit.max(10) * 2);
    let none = HashSet::new();
    let mut queue: Vec<usize> = (0..out.len()).rev().collect();
    while let Some(i) = queue.pop() {
        let Some(orig) = out[i].0.duplicate_of else {
            continue;
        };
        let (dup_number, dup_score) = (out[i].0.number, out[i].0.score);
        let reason = format!("#{dup_number} is a duplicate of #{orig}");
        if let Some(j) = out.iter().position(|(c, _)| c.number == orig) {
            if dup_score > out[j].0.score {
                out[j].0.score = dup_score;
                queue.push(j); // its own original, if any, follows it up
            }
            out[j].1 = true;
            if !out[j].0.why.contains(&reason) {
                out[j].0.why.insert(0, reason);
            }
        } else if let Some(d) = index.position(orig) {
            let rec = index.record(d);
            let f = features(s, d, &rec.title, &none);
            let p = head.probability(&f[..head.features.len()]);
            let mut c = candidate(&rec, p.max(dup_score), s, head, &f, d, index.frozen());
            c.why.insert(0, reason);
            out.push((c, true));
            queue.push(out.len() - 1);
        }
    }
    out.sort_by(|a, b| {
        b.0.score
            .total_cmp(&a.0.score)
            .then(b.1.cmp(&a.1))
            .then(a.0.number.cmp(&b.0.number))
    });
    out.truncate(limit);
    out.into_iter().map(|(c, _)| c).collect()
}

/// A candidate, with why it matched: the features that weighed most, in
/// words.
fn candidate(
    rec: &IssueRecord,
    p: f64,
    s: &Scores,
    head: &Head,
    f: &[f64],
    d: usize,
    frozen: &Frozen,
) -> Candidate {
    let mut why = Vec::new();
    let sim = f[2];
    if sim >= 0.5 {
        // Floor, not round: "100%" only for the same words.
        why.push(format!(
            "similar title ({:.0}% alike)",
            (sim * 100.0).floor()
        ));
    }
    if f.len() >= 5 {
        let contributions = head.contributions(&f[..head.features.len()]);
        let meaning = contributions
            .get(3..)
            .map_or(0.0, |c| c.iter().sum::<f64>());
        if meaning > 0.0 && f[3].max(f[4]) >= 0.5 {
            let (what, v) = if f[3] >= f[4] {
                ("the title", f[3])
            } else {
                ("the report", f[4])
            };
            why.push(format!("same meaning as {what} ({v:.2})"));
        }
    }
    let shared: Vec<&str> = s
        .terms
        .iter()
        .filter(|t| {
            let mut has = false;
            frozen.for_each_posting(t.index, |doc, _| has |= doc == d);
            has
        })
        .take(6)
        .map(|t| t.word.as_str())
        .collect();
    if !shared.is_empty() {
        why.push(format!("shared words: {}", shared.join(", ")));
    }
    Candidate {
        number: rec.number,
        title: rec.title.clone(),
        state: rec.state,
        url: rec.url.clone(),
        score: (p * 1000.0).round() / 1000.0,
        why,
        duplicate_of: rec.duplicate_of,
    }
}

#[cfg(test)]
mod tests;
