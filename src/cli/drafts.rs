//! `preflight drafts list | show | rm | prune`: the drafts `preflight
//! draft` saved, over the library's store.

use super::args::{DraftsCommand, Global};
use super::common::services;
use super::{exit, w, Io, Outcome};
use issue_preflight::draft::store::{SavedDraft, Status};
use issue_preflight::text::{printable, printable_cut};
use issue_preflight::Error;

pub fn run(global: &Global, cmd: DraftsCommand, io: &mut Io<'_>) -> Outcome {
    let store = services(global)?.store();
    match cmd {
        DraftsCommand::List => {
            let drafts = store.list();
            if drafts.is_empty() {
                io.note(format_args!("no saved drafts in {}", store.dir().display()))?;
                return Ok(exit::CLEAN);
            }
            for d in &drafts {
                w(io.out, line(d))?;
            }
        }
        DraftsCommand::Show { id } => {
            let d = store.load(&id)?;
            w(io.out, format!("draft:    {}", d.id))?;
            w(io.out, format!("repo:     {}", printable(&d.repo)))?;
            w(
                io.out,
                format!("form:     {}", printable(&d.draft.template)),
            )?;
            w(io.out, format!("status:   {}", status(&d.status)))?;
            w(io.out, format!("updated:  {}", when(d.updated)))?;
            if let Some(i) = &d.instance {
                w(io.out, format!("server:   {}", printable(i)))?;
            }
            w(
                io.out,
                format!("title:    {}", printable(d.draft.title.trim())),
            )?;
            for (label, answer) in &d.draft.answers {
                w(io.out, format!("\n### {}", printable(label)))?;
                for l in answer.as_text().lines() {
                    w(io.out, printable(l))?;
                }
            }
            let answers = d.draft.questions.lines();
            if !answers.is_empty() {
                w(io.out, "\nAnswers to the drafter's questions:")?;
                for a in answers {
                    w(io.out, format!("  {a}"))?;
                }
            }
        }
        DraftsCommand::Rm { ids } => {
            for id in ids {
                store.remove(&id)?;
                w(io.out, format!("deleted {id}"))?;
            }
        }
        DraftsCommand::Prune { dry_run } => {
            let gone: Vec<SavedDraft> = store
                .list()
                .into_iter()
                .filter(|d| d.is_done() || !d.has_answers())
                .collect();
            for d in &gone {
                if !dry_run {
                    store.remove(&d.id).map_err(|e| {
                        Error::state(store.dir(), format!("pruning stopped at {}: {e}", d.id))
                    })?;
                }
                let verb = if dry_run { "would delete" } else { "deleted" };
                w(io.out, format!("{verb} {}", line(d)))?;
            }
            if gone.is_empty() {
                io.note("nothing to prune: every draft is still being written")?;
            }
        }
    }
    Ok(exit::CLEAN)
}

/// One draft on one line: id, status, last change, answers, title.
fn line(d: &SavedDraft) -> String {
    let answers = d.draft.answers.values().filter(|a| !a.is_empty()).count();
    let title = if d.draft.title.trim().is_empty() {
        "(no title)".to_string()
    } else {
        printable_cut(d.draft.title.trim(), 60)
    };
    format!(
        "{}  {:<10}  {}  {answers:>2} answer{}  {title}",
        d.id,
        status(&d.status),
        when(d.updated),
        if answers == 1 { " " } else { "s" },
    )
}

fn status(s: &Status) -> String {
    match s {
        Status::Drafting => "drafting".into(),
        Status::Filing { .. } => "filing".into(),
        Status::Filed { .. } => "filed".into(),
        Status::Redirected { .. } => "redirected".into(),
    }
}

/// Seconds since 1970 as `2025-07-11 10:00 UTC`.
fn when(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| chrono::DateTime::<chrono::Utc>::from_timestamp(s, 0))
        .map_or_else(
            || secs.to_string(),
            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
}
