//! The checks a draft goes through: lint against its form, triage, and
//! duplicate search (in `crate::triage` and `crate::dupes`).

pub mod lint;
