use super::args::{Global, IndexCommand};
use super::common::{display_name, services};
use super::progress::Bar;
use super::{w, Io, Outcome};
use issue_preflight::checks::dupes::{records_from_github_reader, Index};
use issue_preflight::draft::store::now;
use issue_preflight::files::{open_input, IMPORT};
use issue_preflight::github::ListOutcome;
use issue_preflight::issue::IssueRecord;
use issue_preflight::text::printable;
use issue_preflight::Error;
use std::path::Path;

pub fn run(global: &Global, cmd: IndexCommand, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    let repo = services.repo().clone();
    let path = services.index_path();
    match cmd {
        IndexCommand::Status => {
            if !path.is_file() {
                w(
                    io.out,
                    format!(
                        "No index of {repo} at {}; run `preflight index sync` or `preflight index import FILE`.",
                        path.display()
                    ),
                )?;
                return Ok(0);
            }
            let index = load(&path)?;
            let open = index
                .issues()
                .iter()
                .filter(|i| i.state == issue_preflight::issue::IssueState::Open)
                .count();
            w(
                io.out,
                format!("Index of {} at {}", printable(&index.repo), path.display()),
            )?;
            w(
                io.out,
                format!(
                    "{} issues ({open} open, {} closed)",
                    index.len(),
                    index.len() - open
                ),
            )?;
            let age = index
                .meta
                .synced_at
                .map_or("never synced".to_string(), |t| {
                    format!("synced {}", ago(now().saturating_sub(t)))
                });
            w(io.out, age)?;
            if let Some(u) = &index.meta.last_updated_at {
                w(io.out, format!("newest change seen: {}", printable(u)))?;
            }
            Ok(0)
        }
        IndexCommand::Import { file } => {
            let bar = Bar::spinner(io, &format!("reading {}", display_name(&file)));
            // Dumps are big: read as a stream, up to files::IMPORT.
            let mut input = open_input(&file, IMPORT)?;
            let records = records_from_github_reader(&mut input, &display_name(&file));
            if input.exceeded() {
                return Err(input.too_big().into());
            }
            let records = records.map_err(|e| Error::Usage(e.to_string()))?;
            let mut index = if path.is_file() {
                load(&path)?
            } else {
                Index::new(&repo.to_string())
            };
            let n = records.len();
            note_newest(&mut index, &records);
            index.upsert_with(records, &bar);
            let note = embed(&services, &mut index, &bar)?;
            bar.set_message("writing the index");
            save(&index, &path)?;
            bar.finish();
            if let Some(note) = note {
                io.note(note)?;
            }
            io.info(format_args!("index: {}", path.display()))?;
            w(
                io.out,
                format!(
                    "Imported {n} issues; the index of {repo} now holds {}.",
                    index.len()
                ),
            )?;
            Ok(0)
        }
        IndexCommand::Sync => {
            let gh = services.github()?;
            let mut index = if path.is_file() {
                load(&path)?
            } else {
                Index::new(&repo.to_string())
            };
            io.info(format_args!(
                "index: {}; asking {} for issues updated since {}",
                path.display(),
                gh.api_host(),
                index.meta.last_updated_at.as_deref().unwrap_or("the start")
            ))?;
            let bar = Bar::spinner(io, &format!("downloading the issues of {repo}"));
            let outcome = services
                .block_on(gh.list_issues(
                    &repo,
                    index.meta.last_updated_at.as_deref(),
                    index.meta.etag.as_deref(),
                ))?
                .map_err(Error::from)?;
            match outcome {
                ListOutcome::NotModified => {
                    index.meta.synced_at = Some(now());
                    save(&index, &path)?;
                    bar.finish();
                    w(
                        io.out,
                        format!("{repo}: nothing new; {} issues indexed.", index.len()),
                    )?;
                    Ok(0)
                }
                ListOutcome::Issues {
                    records,
                    etag,
                    interrupted,
                } => {
                    let n = records.len();
                    note_newest(&mut index, &records);
                    index.upsert_with(records, &bar);
                    let note = embed(&services, &mut index, &bar)?;
                    if let Some(note) = note {
                        bar.suspend(|| io.note(note))?;
                    }
                    bar.set_message("writing the index");
                    if let Some(e) = interrupted {
                        // Keep what arrived; the next sync resumes from it.
                        save(&index, &path)?;
                        return Err(Error::Network(format!(
                            "{e} ({n} issues saved; run `preflight index sync` again to fetch the rest)"
                        ))
                        .into());
                    }
                    index.meta.etag = etag;
                    index.meta.synced_at = Some(now());
                    save(&index, &path)?;
                    bar.finish();
                    w(
                        io.out,
                        format!(
                            "{repo}: {n} issues new or changed; {} indexed.",
                            index.len()
                        ),
                    )?;
                    Ok(0)
                }
            }
        }
    }
}

/// Gives the issues that have none their sentence vectors, when the model
/// is there; otherwise says duplicate search will go by words.
fn embed(
    services: &issue_preflight::services::Services,
    index: &mut Index,
    bar: &Bar,
) -> Result<Option<String>, Error> {
    match services.embedder() {
        Ok(embedder) => {
            index
                .embed_missing(embedder, bar)
                .map_err(|e| Error::Usage(e.to_string()))?;
            Ok(None)
        }
        Err(why) => Ok(Some(format!(
            "{why}; the index holds no sentence vectors, so duplicate search goes by words"
        ))),
    }
}

fn note_newest(index: &mut Index, records: &[IssueRecord]) {
    let newest = records.iter().filter_map(|r| r.updated_at.clone()).max();
    if newest > index.meta.last_updated_at {
        index.meta.last_updated_at = newest;
    }
}

/// The index's own errors say what to do.
fn load(path: &Path) -> Result<Index, Error> {
    Index::load(path).map_err(|e| Error::state(path, e))
}

fn save(index: &Index, path: &Path) -> Result<(), Error> {
    index.save(path).map_err(|e| Error::state(path, e))
}

fn ago(secs: u64) -> String {
    match secs {
        s if s < 120 => format!("{s} seconds ago"),
        s if s < 7200 => format!("{} minutes ago", s / 60),
        s if s < 172_800 => format!("{} hours ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}
