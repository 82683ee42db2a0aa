//! Where duplicate candidates come from: the local index when it is there
//! and fresh, else GitHub's search API ranked locally, else a stale index
//! with a note. Every front end goes through [`find`].

use super::{model, rank_with, search_query, Candidate, Index, Query, Thresholds};
use crate::draft::store::now;
use crate::error::Error;
use crate::policy::{INDEX_FRESH_SECS, SEARCH_LIMIT};
use crate::services::Services;
use std::path::PathBuf;

/// Candidates, the thresholds of the head that scored them, and a note
/// when they come from a fallback.
#[derive(Debug, Clone)]
pub struct Found {
    pub candidates: Vec<Candidate>,
    pub thresholds: Thresholds,
    /// Whether meaning (the sentence embeddings) took part.
    pub embedded: bool,
    pub note: Option<String>,
}

/// How to look for duplicates.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub limit: usize,
    /// The local index only; never the network.
    pub offline: bool,
    /// An index to use whatever its age (the Action's `index:`), instead
    /// of the default one, which is used only while fresh.
    pub index: Option<PathBuf>,
    /// Failures become notes (the drafter, the Action) instead of errors
    /// (the `dupes` command).
    pub lenient: bool,
}

/// Candidates for `query`, best first: from the index when it is
/// there and fresh (or named, or when offline), else from the search
/// API, ranked locally; when the search fails, from whatever index
/// there is, said to be possibly stale.
pub fn find(services: &Services, query: &Query, search: &Search) -> Result<Found, Error> {
    let repo = services.repo();
    let named = search.index.is_some();
    let path = search
        .index
        .clone()
        .unwrap_or_else(|| services.index_path());
    let mut note = None;
    let index = if path.is_file() {
        match Index::load(&path) {
            Ok(i) => Some(i),
            Err(e) if search.lenient && !search.offline => {
                note = Some(format!(
                    "the issue index cannot be used ({e}); using the search API"
                ));
                None
            }
            // The index's own errors say what to do.
            Err(e) => return Err(Error::state(&path, e)),
        }
    } else {
        None
    };
    let fresh = index.as_ref().is_some_and(|i| {
        i.meta
            .synced_at
            .is_some_and(|t| now().saturating_sub(t) < INDEX_FRESH_SECS)
    });
    // The draft's meaning, when the model is there (asked for once).
    let vectors = std::cell::OnceCell::new();
    let vectors = || {
        vectors
            .get_or_init(|| {
                let e = services.embedder().ok()?;
                super::query_vectors(e, query).ok()
            })
            .as_ref()
    };
    let ranked = |i: &Index, note: Option<String>| {
        let r = rank_with(i, query, vectors(), model::shipped(), search.limit);
        Found {
            candidates: r.candidates,
            thresholds: r.thresholds,
            embedded: r.embedded,
            note,
        }
    };
    match &index {
        Some(i) if search.offline || fresh || named => return Ok(ranked(i, note)),
        None if search.offline => {
            return Err(Error::Usage(format!(
                "there is no local index of {repo} at {}; run `preflight index sync --repo {repo}` or `preflight index import FILE` first",
                path.display()
            )))
        }
        _ => {}
    }
    let searched = services.github().and_then(|gh| {
        let q = search_query(query, repo);
        Ok(services.block_on(gh.search_issues(&q, SEARCH_LIMIT))??)
    });
    match (searched, index) {
        (Ok(records), _) => {
            // The search's issues, read for meaning too when the model is
            // there: a few dozen embeddings.
            let mut found = Index::new(&repo.to_string());
            found.upsert(records);
            if let (Ok(e), Some(_)) = (services.embedder(), vectors()) {
                let _ = found.embed_missing(e, &crate::progress::Silent);
            }
            Ok(ranked(&found, note))
        }
        (Err(e), Some(i)) => Ok(ranked(
            &i,
            Some(format!(
                "the search API failed ({e}); ranked against the local index instead, which may be stale (`preflight index sync` refreshes it)"
            )),
        )),
        (Err(e), None) if search.lenient => Ok(Found {
            candidates: Vec::new(),
            thresholds: super::thresholds(),
            embedded: false,
            note: Some(format!("duplicate search skipped: {e}")),
        }),
        (Err(e), None) => Err(e),
    }
}
