//! Measuring triage and duplicate search on a labelled corpus of real
//! issues (the format of `eval-dev/issues.jsonl`).

pub mod dupes;
pub mod triage;

pub use crate::corpus::Record;
