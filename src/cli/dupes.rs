use super::args::{DupesArgs, Global, SimpleFormat};
use super::common::{github, index_path, read_document, repo, runtime};
use super::{w, Io};
use crate::checks::dupes_query;
use crate::decision::Thresholds;
use crate::dupes::{rank, rank_records, search_query, Candidate, Index, Query};
use crate::error::{exit, Error};
use crate::repo::Repo;
use crate::report::printable;
use std::path::Path;

/// An index older than this is refreshed from the search API instead.
const FRESH_SECS: u64 = 7 * 24 * 3600;

pub fn run(global: &Global, args: DupesArgs, io: &mut Io<'_>) -> Result<i32, Error> {
    let repo = repo(global);
    let query = if args.input.file == "-" && args.input.title.is_some() && atty_stdin() {
        // `dupes --title T` alone searches by title.
        Query {
            title: args.input.title.clone().unwrap_or_default(),
            text: String::new(),
        }
    } else {
        let (_, doc) = read_document(global, &args.input)?;
        dupes_query(&doc)
    };
    if query.title.trim().is_empty() && query.text.trim().is_empty() {
        return Err(Error::Usage(
            "nothing to search for: give a body, a draft or --title".into(),
        ));
    }
    let limit = usize::from(args.limit);
    let index_file = index_path(global, &repo)?;
    let Found { candidates, note } = find(&repo, &index_file, &query, limit, args.offline)?;
    if let Some(note) = note {
        w(io.err, format!("note: {note}"))?;
    }
    match args.format {
        SimpleFormat::Json => {
            let list: Vec<serde_json::Value> = candidates
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "number": c.number,
                        "title": c.title,
                        "state": c.state,
                        "url": c.url,
                        "score": super::triage::round(c.score),
                        "why": c.why,
                        "duplicate_of": c.duplicate_of,
                    })
                })
                .collect();
            w(
                io.out,
                serde_json::to_string_pretty(&serde_json::json!({ "candidates": list }))
                    .expect("plain data"),
            )?;
        }
        SimpleFormat::Human => {
            if candidates.is_empty() {
                w(io.out, "No likely duplicates found.")?;
            }
            for c in &candidates {
                w(io.out, candidate_line(c, io.style))?;
                for why in &c.why {
                    w(io.out, format!("      {}", printable(why)))?;
                }
            }
        }
    }
    let strong = candidates
        .iter()
        .any(|c| c.score >= Thresholds::default().duplicate);
    Ok(if strong { exit::FINDINGS } else { exit::CLEAN })
}

pub(crate) fn candidate_line(c: &Candidate, style: crate::report::Style) -> String {
    format!(
        "{:.2}  #{} [{}] {}  {}",
        c.score,
        c.number,
        c.state,
        style.bold(&printable(&c.title)),
        printable(&c.url)
    )
}

fn atty_stdin() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
}

/// Candidates, and a note when they come from a stale index.
pub(crate) struct Found {
    pub candidates: Vec<Candidate>,
    pub note: Option<String>,
}

/// Candidates from the index when it is there and fresh (or when offline),
/// else from the search API, reranked locally; when the search fails, from
/// whatever index there is, said to be possibly stale.
pub(crate) fn find(
    repo: &Repo,
    index_file: &Path,
    query: &Query,
    limit: usize,
    offline: bool,
) -> Result<Found, Error> {
    let index = if index_file.exists() {
        Some(Index::load(index_file).map_err(|e| Error::state(index_file, e))?)
    } else {
        None
    };
    let fresh = index.as_ref().is_some_and(|i| {
        i.meta
            .synced_at
            .is_some_and(|t| crate::store::now().saturating_sub(t) < FRESH_SECS)
    });
    let ranked = |i: &Index, note| Found {
        candidates: rank(i, query, limit),
        note,
    };
    match &index {
        Some(i) if offline || fresh => return Ok(ranked(i, None)),
        None if offline => {
            return Err(Error::Usage(format!(
                "there is no local index of {repo} at {}; run `preflight index sync --repo {repo}` or `preflight index import FILE` first",
                index_file.display()
            )))
        }
        _ => {}
    }
    let searched = github().and_then(|gh| {
        let q = search_query(query, repo);
        Ok(runtime()?.block_on(gh.search_issues(&q, 50))?)
    });
    match (searched, &index) {
        (Ok(records), _) => Ok(Found {
            candidates: rank_records(&records, query, limit),
            note: None,
        }),
        (Err(e), Some(i)) => Ok(ranked(
            i,
            Some(format!(
                "the search API failed ({e}); ranked against the local index instead, which may be stale (`preflight index sync` refreshes it)"
            )),
        )),
        (Err(e), None) => Err(e),
    }
}
