use super::args::{DupesArgs, Global, SimpleFormat};
use super::common::{read_document, services};
use super::render::{candidate_line, round};
use super::{findings_code, w, Io, Outcome};
use issue_preflight::checks::dupes::Query;
use issue_preflight::checks::dupes::{self, Search};
use issue_preflight::checks::dupes_query;
use issue_preflight::text::printable;
use issue_preflight::Error;
use std::io::IsTerminal;

pub fn run(global: &Global, args: DupesArgs, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    let query =
        if args.input.file == "-" && args.input.title.is_some() && std::io::stdin().is_terminal() {
            // `dupes --title T` alone searches by title.
            Query {
                title: args.input.title.clone().unwrap_or_default(),
                text: String::new(),
            }
        } else {
            let (_, doc) = read_document(&services, &args.input, io)?;
            dupes_query(&doc)
        };
    if query.title.trim().is_empty() && query.text.trim().is_empty() {
        return Err(
            Error::Usage("nothing to search for: give a body, a draft or --title".into()).into(),
        );
    }
    let search = Search {
        limit: usize::from(args.limit),
        offline: args.offline,
        index: None,
        lenient: false,
    };
    if io.verbose() {
        let path = services.index_path();
        io.info(format_args!(
            "duplicate search: {}; index {} ({})",
            if args.offline {
                "the local index only (--offline)"
            } else {
                "the local index while fresh, else GitHub's search"
            },
            path.display(),
            if path.is_file() { "present" } else { "missing" }
        ))?;
    }
    let found = dupes::find(&services, &query, &search)?;
    if let Some(note) = &found.note {
        io.note(printable(note))?;
    }
    let candidates = found.candidates;
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
                        "score": round(c.score),
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
    let (_, duplicate) =
        issue_preflight::decision::duplicate_thresholds(services.policy(), &found.thresholds);
    let strong = candidates.iter().any(|c| c.score >= duplicate);
    Ok(findings_code(strong))
}
