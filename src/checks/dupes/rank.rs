//! Ranking an index against a draft: BM25F over title and body, then the
//! best few re-scored with title similarity and shared phrases.

use super::index::{unpack_tf, Frozen, Index};
use super::text::{self, Token};
use super::{Candidate, Query};
use crate::issue::IssueRecord;
use std::collections::{HashMap, HashSet};

/// BM25 saturation.
const K1: f64 = 1.2;
/// Length normalisation of titles and bodies.
const B_TITLE: f64 = 0.5;
const B_BODY: f64 = 0.75;
/// A term in an issue's title counts this many times one in its body.
const TITLE_FIELD_WEIGHT: f64 = 3.0;
/// At most this many query terms are scored (title terms first, then the
/// body's most telling ones).
const MAX_QUERY_TERMS: usize = 128;
const MAX_BODY_QUERY_TERMS: usize = 80;
/// Issues re-scored in full after the first pass.
const RERANK_POOL: usize = 200;

/// Weights of the final score's parts; they add up to 1.
const W_TITLE_TERMS: f64 = 0.35;
const W_BODY_TERMS: f64 = 0.15;
const W_TITLE_SIM: f64 = 0.30;
const W_PHRASES: f64 = 0.20;

/// One term of the query with its weight in each part.
struct QTerm {
    /// Term index in the frozen index.
    index: usize,
    /// Word shown in reasons.
    word: String,
    idf: f64,
    /// Weight from the query title, and from the query body.
    w_title: f64,
    w_body: f64,
}

/// The query, analysed against one index.
struct Prepared {
    terms: Vec<QTerm>,
    /// Query title terms, as term indexes (None: not in the index).
    title_terms: Vec<Option<usize>>,
    title_idf_sum: f64,
    /// Term-index pairs of nearby query words, with a display phrase.
    pairs: HashMap<(usize, usize), String>,
    ideal_title: f64,
    ideal_body: f64,
    /// The weights of the score's parts, renormalised to the parts this
    /// query has (a title-only query has no body part).
    weights: [f64; 4],
}

pub(crate) fn idf(n: usize, df: u32) -> f64 {
    let n = n as f64;
    let df = f64::from(df);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn prepare(f: &Frozen, query: &Query) -> Prepared {
    let n = f.n_docs();
    let title = text::analyze_title(&query.title);
    let body = text::analyze_body(&query.text);
    let index_of = |t: &Token| f.lookup(text::term_key(&t.term));

    // Query term frequencies.
    let mut by_term: HashMap<usize, (String, u32, u32)> = HashMap::new();
    for t in &title {
        if let Some(i) = index_of(t) {
            by_term.entry(i).or_insert_with(|| (t.word.clone(), 0, 0)).1 += 1;
        }
    }
    for t in &body {
        if let Some(i) = index_of(t) {
            by_term.entry(i).or_insert_with(|| (t.word.clone(), 0, 0)).2 += 1;
        }
    }
    let mut terms: Vec<QTerm> = by_term
        .into_iter()
        .map(|(index, (word, tt, tb))| {
            let w_title = if tt > 0 { 1.0 } else { 0.0 };
            let w_body = if tb > 0 {
                (1.0 + f64::from(tb).ln()).min(2.5) / 2.5
            } else {
                0.0
            };
            QTerm {
                index,
                word,
                idf: idf(n, f.df(index)),
                w_title,
                w_body,
            }
        })
        .collect();
    // Title terms first, then body terms by how much they can tell.
    terms.sort_by(|a, b| {
        (b.w_title > 0.0)
            .cmp(&(a.w_title > 0.0))
            .then((b.w_body * b.idf).total_cmp(&(a.w_body * a.idf)))
            .then(a.index.cmp(&b.index))
    });
    let mut body_only = 0;
    terms.retain(|t| {
        if t.w_title > 0.0 {
            return true;
        }
        body_only += 1;
        body_only <= MAX_BODY_QUERY_TERMS
    });
    terms.truncate(MAX_QUERY_TERMS);
    let ideal_title = terms.iter().map(|t| t.w_title * t.idf).sum();
    let ideal_body = terms.iter().map(|t| t.w_body * t.idf).sum();

    let title_terms: Vec<Option<usize>> = title.iter().map(index_of).collect();
    let title_idf_sum = title_terms
        .iter()
        .map(|t| t.unwrap_or(usize::MAX))
        .collect::<HashSet<usize>>()
        .into_iter()
        .map(|t| {
            if t == usize::MAX {
                idf(n, 0)
            } else {
                idf(n, f.df(t))
            }
        })
        .sum();
    let mut pairs = HashMap::new();
    let body_seq: Vec<&Token> = body.iter().take(super::index::SEQ_BODY_TERMS).collect();
    for part in [title.iter().collect::<Vec<_>>(), body_seq] {
        for (i, a) in part.iter().enumerate() {
            for (gap, b) in part.iter().skip(i + 1).take(2).enumerate() {
                if let (Some(x), Some(y)) = (index_of(a), index_of(b)) {
                    // Two terms folded from one expression are no phrase.
                    if x != y && a.surface != b.surface {
                        let sep = if gap == 0 { " " } else { " … " };
                        pairs
                            .entry((x.min(y), x.max(y)))
                            .or_insert_with(|| format!("{}{sep}{}", a.word, b.word));
                    }
                }
            }
        }
    }
    let has_title = ideal_title > 0.0;
    let has_body = ideal_body > 0.0;
    let raw = [
        if has_title { W_TITLE_TERMS } else { 0.0 },
        if has_body { W_BODY_TERMS } else { 0.0 },
        if has_title { W_TITLE_SIM } else { 0.0 },
        W_PHRASES,
    ];
    let sum: f64 = raw.iter().sum();
    Prepared {
        terms,
        title_terms,
        title_idf_sum,
        pairs,
        ideal_title,
        ideal_body,
        weights: raw.map(|w| w / sum),
    }
}

/// Pairs of nearby terms in a sequence (window of three, unordered).
fn seq_pairs(seq: &[usize], out: &mut HashSet<(usize, usize)>) {
    for (i, a) in seq.iter().enumerate() {
        for b in seq.iter().skip(i + 1).take(2) {
            if a != b {
                out.insert((*a.min(b), *a.max(b)));
            }
        }
    }
}

/// The parts of one issue's score.
struct Scored {
    doc: usize,
    title_terms: f64,
    body_terms: f64,
    title_sim: f64,
    phrases: f64,
    shared_terms: Vec<String>,
    shared_phrases: Vec<String>,
}

impl Scored {
    fn total(&self, w: &[f64; 4]) -> f64 {
        (w[0] * self.title_terms
            + w[1] * self.body_terms
            + w[2] * self.title_sim
            + w[3] * self.phrases)
            .clamp(0.0, 1.0)
    }
}

pub(crate) fn rank(index: &Index, query: &Query, limit: usize) -> Vec<Candidate> {
    if limit == 0 || index.is_empty() {
        return Vec::new();
    }
    let f = index.frozen();
    let n = f.n_docs();
    let q = prepare(f, query);
    if q.terms.is_empty() {
        return Vec::new();
    }

    // First pass: BM25F of the query's title terms and body terms.
    let mut s_title = vec![0f32; n];
    let mut s_body = vec![0f32; n];
    let mut matched: Vec<u128> = vec![0; n];
    for (qi, t) in q.terms.iter().enumerate() {
        f.for_each_posting(t.index, |d, packed| {
            let (tt, tb) = unpack_tf(packed);
            let nt = 1.0 - B_TITLE + B_TITLE * f64::from(f.title_len(d)) / f.avg_title_len;
            let nb = 1.0 - B_BODY + B_BODY * f64::from(f.body_len(d)) / f.avg_body_len;
            let tf = TITLE_FIELD_WEIGHT * f64::from(tt) / nt + f64::from(tb) / nb;
            let sat = tf / (K1 + tf);
            s_title[d] += (t.w_title * t.idf * sat) as f32;
            s_body[d] += (t.w_body * t.idf * sat) as f32;
            matched[d] |= 1u128 << qi;
        });
    }
    let norm_title = |d: usize| {
        if q.ideal_title > 0.0 {
            f64::from(s_title[d]) / q.ideal_title
        } else {
            0.0
        }
    };
    let norm_body = |d: usize| {
        if q.ideal_body > 0.0 {
            // Long drafts share only part of their words with any issue.
            (2.0 * f64::from(s_body[d]) / q.ideal_body).min(1.0)
        } else {
            0.0
        }
    };
    let mut pool: Vec<usize> = (0..n).filter(|d| matched[*d] != 0).collect();
    let first = |d: usize| q.weights[0] * norm_title(d) + q.weights[1] * norm_body(d);
    if pool.len() > RERANK_POOL {
        pool.select_nth_unstable_by(RERANK_POOL - 1, |a, b| {
            first(*b).total_cmp(&first(*a)).then(a.cmp(b))
        });
        pool.truncate(RERANK_POOL);
    }

    let score_doc = |d: usize| -> Scored {
        let (title_seq, body_seq) = f.seq(d);
        let title_sim = title_similarity(f, &q, &title_seq);
        let mut dp = HashSet::new();
        seq_pairs(&title_seq, &mut dp);
        seq_pairs(&body_seq, &mut dp);
        let mut shared: Vec<(f64, &String)> = q
            .pairs
            .iter()
            .filter(|(k, _)| dp.contains(k))
            .map(|((a, b), s)| ((idf(n, f.df(*a)) + idf(n, f.df(*b))) / 2.0, s))
            .collect();
        shared.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        // In units of the rarest possible pair, so that the part means the
        // same in a pool of a hundred issues or of fifty thousand.
        let weight: f64 = shared.iter().map(|(w, _)| w).sum::<f64>() / idf(n, 1);
        let phrases = 1.0 - (-weight / 1.5).exp();
        let mut terms: Vec<&QTerm> = q
            .terms
            .iter()
            .enumerate()
            .filter(|(qi, _)| matched[d] & (1u128 << qi) != 0)
            .map(|(_, t)| t)
            .collect();
        terms.sort_by(|a, b| {
            ((b.w_title + b.w_body) * b.idf).total_cmp(&((a.w_title + a.w_body) * a.idf))
        });
        Scored {
            doc: d,
            title_terms: norm_title(d),
            body_terms: norm_body(d),
            title_sim,
            phrases,
            shared_terms: terms.iter().take(6).map(|t| t.word.clone()).collect(),
            shared_phrases: shared.iter().take(3).map(|(_, s)| (*s).clone()).collect(),
        }
    };

    let mut scored: Vec<(f64, Scored)> = pool
        .into_iter()
        .map(|d| {
            let s = score_doc(d);
            (s.total(&q.weights), s)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.doc.cmp(&b.1.doc)));

    // Only the issues that can still make the list are decoded.
    scored.truncate(limit.max(10) * 2);
    let mut out: Vec<(Candidate, bool)> = scored
        .iter()
        .map(|(score, s)| (candidate(&index.record(s.doc), *score, s), false))
        .collect();

    // Known duplicates bring their original in, just above themselves.
    // An original is revisited only when its score rises, so chains of
    // duplicates settle, and cycles too.
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
            let s = score_doc(d);
            let mut c = candidate(&index.record(d), s.total(&q.weights).max(dup_score), &s);
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

/// Similarity of two titles: the `similar` crate's word-level ratio on the
/// normalised titles, averaged with an overlap of their terms weighted by
/// how rare each term is.
fn title_similarity(f: &Frozen, q: &Prepared, doc_title: &[usize]) -> f64 {
    let qt: Vec<usize> = q
        .title_terms
        .iter()
        .map(|t| t.unwrap_or(usize::MAX))
        .collect();
    if qt.is_empty() || doc_title.is_empty() {
        return 0.0;
    }
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &qt, doc_title);
    let ratio = f64::from(similar::get_diff_ratio(&ops, qt.len(), doc_title.len()));
    let n = f.n_docs();
    let doc_set: HashSet<usize> = doc_title.iter().copied().collect();
    let q_set: HashSet<usize> = qt.iter().copied().collect();
    let shared: f64 = q_set
        .iter()
        .filter(|t| doc_set.contains(t))
        .map(|t| idf(n, f.df(*t)))
        .sum();
    let doc_sum: f64 = doc_set.iter().map(|t| idf(n, f.df(*t))).sum();
    let dice = 2.0 * shared / (q.title_idf_sum + doc_sum).max(1e-9);
    0.5 * ratio + 0.5 * dice.min(1.0)
}

fn candidate(rec: &IssueRecord, score: f64, s: &Scored) -> Candidate {
    let mut why = Vec::new();
    if s.title_sim >= 0.35 {
        why.push(format!(
            "similar title ({:.0}% alike)",
            (s.title_sim * 100.0).round()
        ));
    }
    if !s.shared_phrases.is_empty() {
        let quoted: Vec<String> = s.shared_phrases.iter().map(|p| format!("“{p}”")).collect();
        why.push(format!("shared phrases: {}", quoted.join(", ")));
    }
    if !s.shared_terms.is_empty() {
        why.push(format!("shared terms: {}", s.shared_terms.join(", ")));
    }
    Candidate {
        number: rec.number,
        title: rec.title.clone(),
        state: rec.state,
        url: rec.url.clone(),
        score: (score * 1000.0).round() / 1000.0,
        why,
        duplicate_of: rec.duplicate_of,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{rank, rank_records};
    use super::*;

    fn rec(number: u64, title: &str, body: &str) -> IssueRecord {
        IssueRecord {
            number,
            title: title.into(),
            body: body.into(),
            url: format!("https://github.com/o/r/issues/{number}"),
            ..IssueRecord::default()
        }
    }

    fn pool() -> Vec<IssueRecord> {
        vec![
            rec(
                10,
                "Scheduled posts are published twice",
                "When I schedule a status it shows up two times on my profile.",
            ),
            rec(
                11,
                "Let me undo a boost from the notification",
                "Reblogging by accident happens; undo should be in the notification.",
            ),
            rec(
                12,
                "Custom emoji picker is slow with many emojis",
                "Our server has 3000 custom emojis and the picker lags.",
            ),
            rec(
                13,
                "Content warning text is not shown in the notification",
                "The CW of a reply is missing from notifications, so the spoiler is revealed.",
            ),
            rec(
                14,
                "Translate button missing for posts in Esperanto",
                "No translation is offered for Esperanto toots.",
            ),
            rec(
                15,
                "Polls with 4 options overflow on mobile",
                "The fourth poll option is cut off on small screens.",
            ),
            rec(
                16,
                "Profile header image does not upload",
                "Uploading a header picture fails with error 422.",
            ),
        ]
    }

    #[test]
    fn true_duplicate_ranks_first() {
        let q = Query {
            title: "Spoiler of replies not displayed in notifications".into(),
            text: "### Steps to reproduce the problem\n\n1. Someone replies to me with a content warning\n\
                   2. Open notifications\n\n### Expected behaviour\n\nThe content warning is shown\n\n\
                   ### Actual behaviour\n\nThe hidden text is revealed\n\n### Detailed description\n\n_No response_"
                .into(),
        };
        let got = rank_records(&pool(), &q, 5);
        assert_eq!(got[0].number, 13, "{got:#?}");
        assert!(got[0].score > 0.0 && got[0].score <= 1.0);
        assert!(
            got[0].why.iter().any(|w| w.contains("cw")),
            "{:?}",
            got[0].why
        );
    }

    #[test]
    fn title_evidence_outweighs_repetition_in_a_body() {
        let records = vec![
            rec(
                40,
                "Hashtag autocomplete ignores accents",
                "Typing a tag with é shows nothing.",
            ),
            rec(
                41,
                "Weekly digest email layout",
                "The digest covered hashtag autocomplete, accents in search, autocomplete \
                 for hashtags, accent folding, autocomplete speed and hashtag trends.",
            ),
            rec(
                42,
                "Trends page is empty",
                "No hashtags trend on small servers.",
            ),
        ];
        let q = Query {
            title: "Autocomplete for hashtags fails on accented characters".into(),
            text: "When I type a hashtag with accents, autocomplete suggests nothing.".into(),
        };
        let got = rank_records(&records, &q, 3);
        assert_eq!(got[0].number, 40, "{got:#?}");
        assert!(
            got[0].why.iter().any(|w| w.starts_with("similar title")),
            "{got:#?}"
        );
    }

    #[test]
    fn vocabulary_folding_finds_paraphrases() {
        let q = Query {
            title: "Toots get posted 2 times when scheduled".into(),
            text: String::new(),
        };
        let got = rank_records(&pool(), &q, 3);
        assert_eq!(got[0].number, 10, "{got:#?}");
        let q = Query {
            title: "Cancel a reblog right from the notif".into(),
            text: String::new(),
        };
        assert_eq!(rank_records(&pool(), &q, 3)[0].number, 11);
    }

    #[test]
    fn scores_are_sorted_and_limited() {
        let q = Query {
            title: "notification".into(),
            text: "notifications for posts and boosts".into(),
        };
        let got = rank_records(&pool(), &q, 2);
        assert_eq!(got.len(), 2);
        assert!(got[0].score >= got[1].score);
        assert!(rank_records(&pool(), &q, 0).is_empty());
        let nothing = Query {
            title: "the and of".into(),
            text: String::new(),
        };
        assert!(rank_records(&pool(), &nothing, 5).is_empty());
    }

    #[test]
    fn known_duplicate_brings_in_its_original() {
        let mut records = pool();
        // #20 duplicates #15 but shares no words with the query; #15 does
        // not match the query at all on its own.
        records.push(IssueRecord {
            duplicate_of: Some(15),
            ..rec(
                20,
                "Voting widget overflows on phones",
                "Voting widget overflows on narrow phones.",
            )
        });
        let mut index = Index::new("o/r");
        index.upsert(records);
        let q = Query {
            title: "Voting widget overflows".into(),
            text: "on phones".into(),
        };
        let got = rank(&index, &q, 5);
        let numbers: Vec<u64> = got.iter().map(|c| c.number).collect();
        assert_eq!(&numbers[..2], &[15, 20], "{got:#?}");
        assert_eq!(got[1].duplicate_of, Some(15));
        assert!(got[0].why.iter().any(|w| w == "#20 is a duplicate of #15"));
        assert_eq!(got[0].score, got[1].score);
    }

    #[test]
    fn duplicate_chains_and_cycles_settle() {
        let mut records = pool();
        records.push(IssueRecord {
            duplicate_of: Some(21),
            ..rec(
                20,
                "Voting widget overflows on phones",
                "Voting widget overflows.",
            )
        });
        records.push(IssueRecord {
            duplicate_of: Some(15),
            ..rec(21, "Unrelated words entirely", "Nothing in common.")
        });
        records.push(IssueRecord {
            duplicate_of: Some(31),
            ..rec(30, "Quokka gallery freezes", "The quokka gallery freezes.")
        });
        records.push(IssueRecord {
            duplicate_of: Some(30),
            ..rec(31, "Marsupial pictures", "Pictures of marsupials.")
        });
        let q = Query {
            title: "Voting widget overflows".into(),
            text: String::new(),
        };
        let numbers: Vec<u64> = rank_records(&records, &q, 3)
            .iter()
            .map(|c| c.number)
            .collect();
        // #20 → #21 → #15: the whole chain comes in, originals first.
        assert_eq!(numbers, vec![15, 21, 20]);
        let q = Query {
            title: "Quokka gallery freezes".into(),
            text: String::new(),
        };
        let got = rank_records(&records, &q, 5);
        // A cycle (#30 ↔ #31) ends: both listed once, at the same score.
        let mut top: Vec<u64> = got.iter().take(2).map(|c| c.number).collect();
        top.sort();
        assert_eq!(top, vec![30, 31], "{got:#?}");
        assert_eq!(got[0].score, got[1].score);
        assert_eq!(got.iter().filter(|c| c.number == 31).count(), 1);
    }
}
