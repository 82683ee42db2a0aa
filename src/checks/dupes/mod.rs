//! Duplicate search: is the issue being drafted already filed?
//!
//! - [`rank_with`] scores a local [`Index`] (kept by `preflight index
//!   sync`, with sentence embeddings when the model is there) against a
//!   draft with the learned ranker ([`model`]); [`rank_records`] does the
//!   same for issues fetched from GitHub's search API, whose query
//!   [`search_query`] builds.
//! - Text goes through the shared analysis (src/text): Mastodon's
//!   vocabulary folded, stop words dropped, stemmed, so that "toot",
//!   "post" and "status", or "CW" and "content warning", meet.
//! - [`find`] picks the source: the index, the search API, or both.
//! - [`train`] fits the ranker on labelled pairs; `eval::dupes` measures it.
//!
//! Nothing here prints; only [`find`] touches the network, through the
//! run's services.

mod find;
mod import;
mod index;
pub mod model;
mod query;
mod rank;
mod text;
pub mod train;

pub use find::{find, Found, Search};
pub use import::{
    records_from_github_file, records_from_github_json, records_from_github_reader, ImportError,
};
pub use index::{
    Index, IndexError, Quantized, SyncMeta, VectorMeta, FORMAT_VERSION, SNIPPET_BYTES,
    VECTOR_TOKENS,
};
pub use query::search_query;
pub use rank::{rank_with, QueryVectors, Ranked};

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
    /// The ranker's probability that it is the same issue (0 to 1),
    /// comparable across queries and index sizes.
    pub score: f64,
    /// Why it matched, for people: similar title, same meaning, shared
    /// words, known duplicate links.
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

/// Ranks issues fetched from the search API (no index on disk), by words.
/// Pull requests (`/pull/` URLs) are ignored.
pub fn rank_records(records: &[IssueRecord], query: &Query, limit: usize) -> Vec<Candidate> {
    let mut index = Index::new("");
    index.upsert(records.to_vec());
    rank::rank(&index, query, limit)
}

/// The sentence embeddings of a draft, as the ranker reads them: the
/// title, and the title with the start of the answers.
pub fn query_vectors(
    embedder: &crate::embed::Embedder,
    query: &Query,
) -> Result<QueryVectors, crate::embed::EmbedError> {
    let whole = format!(
        "{}\n{}",
        query.title.trim(),
        text::strip_boilerplate(&query.text)
    );
    let mut v = embedder.embed(&[query.title.trim(), &whole])?;
    let whole = v.pop().unwrap_or_default();
    let title = v.pop().unwrap_or_default();
    Ok(QueryVectors { title, whole })
}

/// The ranker's own thresholds on a candidate's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// From this score a candidate is shown as "may be the same".
    pub offer: f64,
    /// From this score it is taken for the same issue.
    pub duplicate: f64,
}

/// The thresholds of the shipped ranker's words-only head: what a score
/// means when nothing says which head gave it.
pub fn thresholds() -> Thresholds {
    let h = &model::shipped().lexical;
    Thresholds {
        offer: h.offer,
        duplicate: h.duplicate,
    }
}
