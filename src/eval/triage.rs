//! Triage measured against labelled reports: the confusion matrix (rows
//! the corpus kind, columns the verdict), precision and recall per verdict,
//! and the headline: support precision (every support verdict on another
//! kind is wrong, troubleshooting and `other` included) and recall, on all
//! reports and on the clear ones (kind said by a maintainer or the labels);
//! and what the product does with it: the reports sent to their admin,
//! support being above the redirect threshold.

use crate::checks::triage::train::Example;
use crate::checks::triage::{Redirect, Triage, Verdict};
use crate::corpus::Record;
use crate::policy::Policy;

/// Corpus kinds, in row order.
pub const KINDS: [&str; 6] = [
    "support",
    "troubleshooting",
    "bug",
    "feature",
    "security",
    "other",
];

/// Verdicts, in column order.
pub const VERDICTS: [Verdict; 6] = [
    Verdict::Support,
    Verdict::Question,
    Verdict::Troubleshooting,
    Verdict::Bug,
    Verdict::Feature,
    Verdict::Security,
];

/// The kind a verdict is right for.
fn kind_of(v: Verdict) -> usize {
    match v {
        Verdict::Support | Verdict::Question => 0,
        Verdict::Troubleshooting => 1,
        Verdict::Bug => 2,
        Verdict::Feature => 3,
        Verdict::Security => 4,
    }
}

fn col(v: Verdict) -> usize {
    VERDICTS.iter().position(|x| *x == v).unwrap_or(0)
}

/// A report triage got wrong.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Miss {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub verdict: Verdict,
    pub confidence: f64,
}

/// One verdict for one labelled report.
#[derive(Debug, Clone)]
pub struct Judged<'a> {
    pub record: &'a Record,
    pub verdict: Verdict,
    pub confidence: f64,
    /// Whether the reporter would be sent to their admin or to
    /// Discussions: what the tool does, not only what it thinks.
    pub sent_away: bool,
}

impl<'a> Judged<'a> {
    /// A triage of `record`, sent away under the model's own thresholds.
    pub fn of(record: &'a Record, t: &Triage) -> Judged<'a> {
        Judged {
            record,
            verdict: t.verdict,
            confidence: t.confidence,
            sent_away: matches!(
                t.redirect_under(&Policy::default()),
                Some(Redirect::InstanceAdmin | Redirect::Discussions)
            ),
        }
    }
}

/// The tally of an evaluation.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Tally {
    /// `matrix[kind][verdict]`, in [`KINDS`] and [`VERDICTS`] order.
    pub matrix: [[usize; 6]; 6],
    /// The same for clear reports only.
    pub clear: [[usize; 6]; 6],
    /// Reports sent away, by kind; and the clear ones.
    pub sent: [usize; 6],
    pub sent_clear: [usize; 6],
    pub unknown_kind: usize,
    pub misses: Vec<Miss>,
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

impl Tally {
    pub fn of(judged: &[Judged<'_>]) -> Tally {
        let mut t = Tally::default();
        for j in judged {
            let Some(k) = KINDS.iter().position(|x| *x == j.record.kind) else {
                t.unknown_kind += 1;
                continue;
            };
            let c = col(j.verdict);
            t.matrix[k][c] += 1;
            if j.record.is_clear() {
                t.clear[k][c] += 1;
            }
            if j.sent_away {
                t.sent[k] += 1;
                if j.record.is_clear() {
                    t.sent_clear[k] += 1;
                }
            }
            if kind_of(j.verdict) != k {
                t.misses.push(Miss {
                    id: j.record.id.clone(),
                    title: j.record.title.clone(),
                    kind: j.record.kind.clone(),
                    verdict: j.verdict,
                    confidence: j.confidence,
                });
            }
        }
        t
    }

    fn given(m: &[[usize; 6]; 6], v: Verdict) -> usize {
        m.iter().map(|row| row[col(v)]).sum()
    }

    /// Of the reports given `v`, the share of its kind (every other kind
    /// counts as wrong).
    pub fn precision(&self, v: Verdict) -> Option<f64> {
        ratio(
            self.matrix[kind_of(v)][col(v)],
            Self::given(&self.matrix, v),
        )
    }

    /// Of the reports of `v`'s kind, the share given `v`.
    pub fn recall(&self, v: Verdict) -> Option<f64> {
        let k = kind_of(v);
        ratio(self.matrix[k][col(v)], self.matrix[k].iter().sum())
    }

    /// Support and question verdicts: both send the reporter away.
    fn sent_away(m: &[[usize; 6]; 6], kind: Option<usize>) -> usize {
        let cols = [col(Verdict::Support), col(Verdict::Question)];
        match kind {
            Some(k) => cols.iter().map(|c| m[k][*c]).sum(),
            None => m
                .iter()
                .map(|row| cols.iter().map(|c| row[*c]).sum::<usize>())
                .sum(),
        }
    }

    /// (precision, recall) of sending support reports away, on every
    /// report (`clear == false`) or on the clear ones.
    pub fn support(&self, clear: bool) -> (Option<f64>, Option<f64>) {
        let m = if clear { &self.clear } else { &self.matrix };
        let hits = Self::sent_away(m, Some(0));
        (
            ratio(hits, Self::sent_away(m, None)),
            ratio(hits, m[0].iter().sum()),
        )
    }

    /// The tally of held-out verdicts, one for each training example.
    pub fn of_examples(examples: &[Example], verdicts: &[Triage]) -> Tally {
        let judged: Vec<Judged> = examples
            .iter()
            .zip(verdicts)
            .map(|(e, t)| Judged::of(&e.record, t))
            .collect();
        Tally::of(&judged)
    }

    /// (precision, recall on the clear reports) of actually sending
    /// reporters away: the figure a redirect's threshold is chosen for.
    pub fn redirected(&self) -> (Option<f64>, Option<f64>) {
        (
            ratio(self.sent[0], self.sent.iter().sum()),
            ratio(self.sent_clear[0], self.clear[0].iter().sum()),
        )
    }

    /// Support precision on every report, recall on the clear ones: the
    /// figures the issue tracker's targets name.
    pub fn headline(&self) -> (Option<f64>, Option<f64>) {
        (self.support(false).0, self.support(true).1)
    }
}

fn f(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2}"))
}

impl std::fmt::Display for Tally {
    /// The summary; with `{:#}`, also every miss.
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: usize = self.matrix.iter().flatten().sum();
        writeln!(
            out,
            "{total} reports{}",
            if self.unknown_kind > 0 {
                format!(" ({} of unknown kind skipped)", self.unknown_kind)
            } else {
                String::new()
            }
        )?;
        write!(out, "{:<16}", "kind \\ verdict")?;
        for v in VERDICTS {
            write!(out, "{:>16}", v.as_str())?;
        }
        writeln!(out)?;
        for (k, name) in KINDS.iter().enumerate() {
            write!(out, "{name:<16}")?;
            for n in self.matrix[k] {
                write!(out, "{n:>16}")?;
            }
            writeln!(out)?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{:<16}{:>8}{:>11}{:>8}",
            "verdict", "given", "precision", "recall"
        )?;
        for v in VERDICTS {
            writeln!(
                out,
                "{:<16}{:>8}{:>11}{:>8}",
                v.as_str(),
                Self::given(&self.matrix, v),
                f(self.precision(v)),
                f(self.recall(v))
            )?;
        }
        let (pa, ra) = self.support(false);
        let (pc, rc) = self.support(true);
        writeln!(out)?;
        writeln!(
            out,
            "support, all reports:   precision {} recall {}",
            f(pa),
            f(ra)
        )?;
        writeln!(
            out,
            "support, clear reports: precision {} recall {}",
            f(pc),
            f(rc)
        )?;
        let (ps, rs) = self.redirected();
        writeln!(
            out,
            "sent away (above the redirect threshold): {} reports, precision {} recall {} (clear)",
            self.sent.iter().sum::<usize>(),
            f(ps),
            f(rs)
        )?;
        if out.alternate() && !self.misses.is_empty() {
            writeln!(out, "\nmisses:")?;
            for m in &self.misses {
                writeln!(
                    out,
                    "  {} [{} → {} {:.2}] {}",
                    m.id, m.kind, m.verdict, m.confidence, m.title
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: &str, clear: bool) -> Record {
        serde_json::from_value(serde_json::json!({
            "id": "o/r#1", "title": "t", "body": "", "kind": kind,
            "confidence": if clear { "high" } else { "medium" }
        }))
        .unwrap()
    }

    #[test]
    fn support_precision_counts_every_other_kind_as_wrong() {
        let recs = [
            rec("support", true),
            rec("support", false),
            rec("troubleshooting", true),
            rec("other", true),
            rec("bug", true),
        ];
        let verdicts = [
            Verdict::Support,
            Verdict::Bug,
            Verdict::Support,
            Verdict::Question,
            Verdict::Bug,
        ];
        let judged: Vec<Judged> = recs
            .iter()
            .zip(verdicts)
            .enumerate()
            .map(|(i, (record, verdict))| Judged {
                record,
                verdict,
                confidence: 0.9,
                // The first and the fourth are sure enough to send away.
                sent_away: i == 0 || i == 3,
            })
            .collect();
        let t = Tally::of(&judged);
        assert_eq!(t.support(false), (Some(1.0 / 3.0), Some(0.5)));
        // Clear reports: one clear support, found.
        assert_eq!(t.support(true), (Some(1.0 / 3.0), Some(1.0)));
        assert_eq!(t.headline(), (Some(1.0 / 3.0), Some(1.0)));
        assert_eq!(t.precision(Verdict::Bug), Some(0.5));
        assert_eq!(t.recall(Verdict::Bug), Some(1.0));
        assert_eq!(t.misses.len(), 3);
        // Of two sent away, one was support; the one clear support was.
        assert_eq!(t.redirected(), (Some(0.5), Some(1.0)));
        assert!(t
            .to_string()
            .contains("support, all reports:   precision 0.33 recall 0.50"));
    }
}
