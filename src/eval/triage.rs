//! `preflight eval triage CORPUS.jsonl`: triage against a labelled corpus.
//!
//! Rows are the corpus `kind` (support, bug, feature, other), columns the
//! predicted verdicts. "Support" for the headline figures means a verdict
//! of `support` or `question` (both send the reporter away from the
//! tracker) against kind `support`. Records of kind `other` (forks,
//! works-as-intended, junk) have no right answer: they are counted apart and
//! left out of every precision and recall.

use crate::checks::triage::{Triage, Verdict};
use crate::eval::corpus::Record;

/// Corpus kinds, in row order.
pub const KINDS: [&str; 4] = ["support", "bug", "feature", "other"];
const SUPPORT: usize = 0;
const OTHER: usize = 3;

/// A record triage got wrong (kinds support, bug, feature only).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Miss {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub verdict: Verdict,
    pub confidence: f64,
    /// The signals behind the verdict, strongest first.
    pub signals: Vec<String>,
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvalReport {
    /// `matrix[kind][verdict]`: kinds in [`KINDS`] order, verdicts in [`Verdict::ALL`] order.
    pub matrix: [[usize; 6]; 4],
    /// Records whose kind is none of [`KINDS`]: not counted anywhere else.
    pub unknown_kind: usize,
    pub misses: Vec<Miss>,
}

fn col(v: Verdict) -> usize {
    Verdict::ALL.iter().position(|x| *x == v).unwrap_or(0)
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// The corpus kind a verdict is right for.
fn kind_of(v: Verdict) -> Option<usize> {
    match v {
        Verdict::Support | Verdict::Question => Some(SUPPORT),
        Verdict::Bug => Some(1),
        Verdict::Feature => Some(2),
        Verdict::Troubleshooting | Verdict::Security => None,
    }
}

impl EvalReport {
    /// Records per kind.
    pub fn kind_total(&self, kind: usize) -> usize {
        self.matrix[kind].iter().sum()
    }

    /// Support or question verdicts on support records.
    fn support_hits(&self) -> usize {
        self.matrix[SUPPORT][col(Verdict::Support)] + self.matrix[SUPPORT][col(Verdict::Question)]
    }

    /// Support or question verdicts on support, bug and feature records.
    fn support_predicted(&self) -> usize {
        (0..OTHER)
            .map(|k| self.matrix[k][col(Verdict::Support)] + self.matrix[k][col(Verdict::Question)])
            .sum()
    }

    /// Of the drafts sent away (support or question), the share that were
    /// support; `other` records left out.
    pub fn support_precision(&self) -> f64 {
        ratio(self.support_hits(), self.support_predicted())
    }

    /// Of the support records, the share sent away (support or question).
    pub fn support_recall(&self) -> f64 {
        ratio(self.support_hits(), self.kind_total(SUPPORT))
    }

    /// How many `other` records got a support or question verdict.
    pub fn other_redirected(&self) -> usize {
        self.matrix[OTHER][col(Verdict::Support)] + self.matrix[OTHER][col(Verdict::Question)]
    }

    /// Precision of one verdict (`other` records left out); `None` for a
    /// verdict no corpus kind stands for, or that was never given.
    pub fn precision(&self, v: Verdict) -> Option<f64> {
        let k = kind_of(v)?;
        let predicted: usize = (0..OTHER).map(|r| self.matrix[r][col(v)]).sum();
        (predicted > 0).then(|| ratio(self.matrix[k][col(v)], predicted))
    }

    /// Recall of one verdict; `None` for question (it shares kind `support`),
    /// troubleshooting and security (no corpus kind).
    pub fn recall(&self, v: Verdict) -> Option<f64> {
        if v == Verdict::Question {
            return None;
        }
        let k = kind_of(v)?;
        let total = self.kind_total(k);
        (total > 0).then(|| ratio(self.matrix[k][col(v)], total))
    }
}

/// Classifies every record and tallies the outcome.
pub fn evaluate(records: &[Record], classify: impl Fn(&Record) -> Triage) -> EvalReport {
    let mut report = EvalReport {
        matrix: [[0; 6]; 4],
        unknown_kind: 0,
        misses: Vec::new(),
    };
    for r in records {
        let Some(k) = KINDS.iter().position(|x| *x == r.kind) else {
            report.unknown_kind += 1;
            continue;
        };
        let t = classify(r);
        report.matrix[k][col(t.verdict)] += 1;
        if k != OTHER && kind_of(t.verdict) != Some(k) {
            report.misses.push(Miss {
                id: r.id.clone(),
                title: r.title.clone(),
                kind: r.kind.clone(),
                verdict: t.verdict,
                confidence: t.confidence,
                signals: t
                    .reasons
                    .iter()
                    .filter(|x| x.weight > 0.0)
                    .map(|x| format!("{} {:+}", x.signal, x.weight))
                    .collect(),
            });
        }
    }
    report
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2}"))
}

impl std::fmt::Display for EvalReport {
    /// The summary; with `{:#}`, also every miss.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: usize = (0..4).map(|k| self.kind_total(k)).sum();
        writeln!(
            f,
            "triage on {total} records: {} support, {} bug, {} feature, {} other{}",
            self.kind_total(0),
            self.kind_total(1),
            self.kind_total(2),
            self.kind_total(3),
            if self.unknown_kind > 0 {
                format!(" ({} of unknown kind skipped)", self.unknown_kind)
            } else {
                String::new()
            }
        )?;
        writeln!(f)?;
        write!(f, "{:<10}", "kind")?;
        for v in Verdict::ALL {
            write!(f, "{:>16}", v.as_str())?;
        }
        writeln!(f)?;
        for (k, name) in KINDS.iter().enumerate() {
            write!(f, "{name:<10}")?;
            for n in self.matrix[k] {
                write!(f, "{n:>16}")?;
            }
            writeln!(f)?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<16}{:>10}{:>10}{:>10}",
            "verdict", "given", "precision", "recall"
        )?;
        for v in Verdict::ALL {
            let given: usize = (0..OTHER).map(|k| self.matrix[k][col(v)]).sum();
            writeln!(
                f,
                "{:<16}{:>10}{:>10}{:>10}",
                v.as_str(),
                given,
                pct(self.precision(v)),
                pct(self.recall(v))
            )?;
        }
        writeln!(
            f,
            "(other records left out; question is scored against kind support)"
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "support (verdict support or question vs kind support): precision {:.2} ({}/{}), recall {:.2} ({}/{})",
            self.support_precision(),
            self.support_hits(),
            self.support_predicted(),
            self.support_recall(),
            self.support_hits(),
            self.kind_total(SUPPORT)
        )?;
        writeln!(
            f,
            "other: {} of {} got a support or question verdict",
            self.other_redirected(),
            self.kind_total(OTHER)
        )?;
        if f.alternate() && !self.misses.is_empty() {
            writeln!(f)?;
            writeln!(f, "misses:")?;
            for m in &self.misses {
                writeln!(
                    f,
                    "  {} [{} → {} {:.2}] {}\n      {}",
                    m.id,
                    m.kind,
                    m.verdict,
                    m.confidence,
                    m.title,
                    m.signals.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::triage::Reason;

    fn rec(id: &str, kind: &str) -> Record {
        serde_json::from_value(serde_json::json!({"id": id, "title": id, "kind": kind})).unwrap()
    }

    fn says(v: Verdict) -> Triage {
        Triage {
            verdict: v,
            confidence: 0.9,
            reasons: vec![Reason {
                signal: "x".into(),
                weight: 1.0,
                evidence: String::new(),
            }],
        }
    }

    #[test]
    fn figures() {
        let records = [
            rec("a#1", "support"),
            rec("a#2", "support"),
            rec("a#3", "bug"),
            rec("a#4", "feature"),
            rec("a#5", "other"),
            rec("a#6", "mystery"),
        ];
        let report = evaluate(&records, |r| match r.id.as_str() {
            "a#1" => says(Verdict::Question),
            "a#2" => says(Verdict::Bug),
            "a#3" => says(Verdict::Support),
            "a#5" => says(Verdict::Support),
            _ => says(Verdict::Feature),
        });
        assert_eq!(report.support_precision(), 0.5);
        assert_eq!(report.support_recall(), 0.5);
        assert_eq!(report.other_redirected(), 1);
        assert_eq!(report.unknown_kind, 1);
        assert_eq!(report.precision(Verdict::Feature), Some(1.0));
        assert_eq!(report.recall(Verdict::Bug), Some(0.0));
        assert_eq!(report.precision(Verdict::Troubleshooting), None);
        assert_eq!(report.misses.len(), 2);
        let shown = format!("{report}");
        assert!(
            shown.contains("precision 0.50 (1/2), recall 0.50 (1/2)"),
            "{shown}"
        );
        assert!(shown.contains("other: 1 of 1"), "{shown}");
        assert!(!shown.contains("misses:"));
        assert!(format!("{report:#}").contains("a#2"));
    }

    #[test]
    fn nothing_predicted_is_zero_not_nan() {
        let report = evaluate(&[rec("a#1", "support")], |_| says(Verdict::Bug));
        assert_eq!(report.support_precision(), 0.0);
        assert_eq!(report.support_recall(), 0.0);
    }
}
