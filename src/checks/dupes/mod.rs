//! Duplicate search: is the issue being drafted already filed?
//!
//! - [`rank`] scores a local [`Index`] (kept by `preflight index sync`)
//!   against a draft; [`rank_records`] does the same for issues fetched from
//!   GitHub's search API, whose query [`search_query`] builds.
//! - Text goes through one analyser (form boilerplate and stop words
//!   dropped, Mastodon vocabulary folded, light stemming), so that "toot",
//!   "post" and "status", or "CW" and "content warning", meet.
//! - [`evaluate`] measures the ranker on the labelled corpus.
//!
//! - [`find`] picks the source: the index, the search API, or both.
//!
//! Nothing here prints; only [`find`] touches the network, through the
//! run's services.

mod find;
mod import;
mod index;
mod query;
mod rank;
mod text;

pub use find::{find, Found, Search};
pub use import::{
    records_from_github_file, records_from_github_json, records_from_github_reader, ImportError,
};
pub use index::{Index, IndexError, SyncMeta, FORMAT_VERSION, SNIPPET_BYTES};
pub use query::search_query;

use crate::issue::{IssueRecord, IssueState};
use serde::Serialize;

/// What the reporter is about to file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub title: String,
    /// The answers, or the rendered body.
    pub text: String,
}

/// An existing issue that may be the same as the draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub number: u64,
    pub title: String,
    pub state: IssueState,
    pub url: String,
    /// 0 to 1, comparable across queries and index sizes. Ranking
    /// evidence, not a verdict: on the development corpus true duplicates
    /// scored 0.25–0.66 while the best unrelated match reached 0.70, so a
    /// "strong duplicate" threshold should sit high (around 0.6) and the
    /// list should be shown for people to judge.
    pub score: f64,
    /// Why it matched, for people: similar title, shared phrases and terms,
    /// known duplicate links.
    pub why: Vec<String>,
    /// Set when this issue is itself a known duplicate of another.
    pub duplicate_of: Option<u64>,
}

/// The `limit` issues of `index` most likely to be the same as `query`, best
/// first. An issue known to duplicate another brings its original in (placed
/// just above it) rather than hiding it.
pub fn rank(index: &Index, query: &Query, limit: usize) -> Vec<Candidate> {
    rank::rank(index, query, limit)
}

/// Ranks issues fetched from the search API (no index on disk). Pull
/// requests (`/pull/` URLs) are ignored.
pub fn rank_records(records: &[IssueRecord], query: &Query, limit: usize) -> Vec<Candidate> {
    let mut index = Index::new("");
    index.upsert(records.to_vec());
    rank::rank(&index, query, limit)
}

/// The ranker's own thresholds on a candidate's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// From this score a candidate is shown as "may be the same".
    pub offer: f64,
    /// From this score it is taken for the same issue.
    pub duplicate: f64,
}

/// The thresholds that go with the ranker's scores.
pub fn thresholds() -> Thresholds {
    Thresholds {
        offer: 0.5,
        duplicate: 0.75,
    }
}
