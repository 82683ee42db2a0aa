//! The last step of a drafting session: the preview, edits, and filing.

use super::consult::send_away;
use super::line::NoAnswer;
use super::prompts::{ask_field, ask_title, confirm, stopped};
use super::{show_checks, tell};
use crate::cli::{exit, w, Failure, Io, Outcome};
use inquire::Select;
use issue_preflight::act::{file, Acted, Session};
use issue_preflight::checks::triage::Redirect;
use issue_preflight::checks::Checks;
use issue_preflight::decision::decide_with;
use issue_preflight::draft::store::Status;
use issue_preflight::draft::{answer_for, render, Answer};
use issue_preflight::services::Services;
use issue_preflight::text::printable;

/// Lint, preview, edits, and filing. `declined`: why the draft looked like
/// it belonged elsewhere, when the reporter chose to go on with it.
pub fn review(
    services: &Services,
    mut s: Session,
    web: bool,
    declined: Option<String>,
    io: &mut Io<'_>,
) -> Outcome {
    let form = s.form.form.clone();
    let id = s.saved.id.clone();
    let mut last_preview: Option<String> = None;
    loop {
        let checks = Checks::local(services, &s.forms, &s.document());
        let decision = decide_with(&checks, &s.saved.draft.questions, services.policy());
        // Whatever was answered before: a vulnerability is never filed.
        if decision.redirect == Some(Redirect::Security) {
            return send_away(services, &mut s, Redirect::Security, io);
        }
        let preview = preview_text(&s);
        w(io.out, "\n── Preview ──")?;
        match &last_preview {
            Some(old) if *old != preview => {
                let diff = similar::TextDiff::from_lines(old, &preview);
                show(
                    io,
                    &diff
                        .unified_diff()
                        .header("last preview", "now")
                        .to_string(),
                )?;
            }
            _ => show(io, &preview)?,
        }
        last_preview = Some(preview);
        if !checks.findings.is_empty() {
            w(io.out, "")?;
            show_checks(&checks, &decision, io)?;
        }
        if let Some(why) = &declined {
            w(
                io.out,
                format!("\nReminder: you chose to file this although {why}."),
            )?;
        }
        let blocked = decision.errors > 0;
        let mut options = Vec::new();
        if !blocked {
            options.push("File it".to_string());
        }
        options.push("Edit an answer".into());
        options.push("Edit the title".into());
        options.push("Save and quit".into());
        let msg = if blocked {
            "Fix the errors above before filing:"
        } else {
            "Ready. What now?"
        };
        let pick = match Select::new(msg, options).prompt() {
            Ok(p) => p,
            // Esc: leave, after asking.
            Err(e) => match NoAnswer::from(e) {
                NoAnswer::Back => {
                    if confirm("Leave now? Your answers are saved.", false)
                        .map_err(|e| stopped(e, Some(&id)))?
                    {
                        "Save and quit".to_string()
                    } else {
                        continue;
                    }
                }
                other => return Err(stopped(other, Some(&id)).into()),
            },
        };
        match pick.as_str() {
            "File it" => {
                let filed = file::file(services, &mut s, web)?;
                return tell::acted(&Acted::Filed(filed), &id, true, io);
            }
            "Edit the title" => {
                match ask_title(&form, &s.saved.draft.title, io.style.color) {
                    Ok(t) => s.saved.draft.title = t,
                    Err(NoAnswer::Back) => continue,
                    Err(e) => return Err(stopped(e, Some(&id)).into()),
                }
                s.save()?;
            }
            "Edit an answer" => {
                // Labels are the form's text: shown sanitised, picked by place.
                let labels: Vec<String> = form.fields().map(|f| printable(f.label)).collect();
                let picked = match Select::new("Which answer?", labels).raw_prompt() {
                    Ok(p) => p,
                    Err(e) => match NoAnswer::from(e) {
                        NoAnswer::Back => continue,
                        other => return Err(stopped(other, Some(&id)).into()),
                    },
                };
                let field = form
                    .fields()
                    .nth(picked.index)
                    .expect("chosen from the form");
                let current = answer_for(&s.saved.draft.answers, &field).cloned();
                let key = field.key().to_string();
                let mut keep = |text: &str| {
                    s.saved
                        .draft
                        .answers
                        .insert(key.clone(), Answer::Text(text.to_string()));
                    let _ = s.save();
                };
                let a = match ask_field(&field, current.as_ref(), io, &mut keep) {
                    Ok(a) => a,
                    Err(NoAnswer::Back) => continue,
                    Err(e) => return Err(stopped(e, Some(&id)).into()),
                };
                s.saved.draft.answers.insert(field.key().to_string(), a);
                s.save()?;
            }
            _ => {
                w(
                    io.out,
                    format!("Saved. `preflight draft --resume {id}` picks it up again."),
                )?;
                s.saved.status = Status::Drafting;
                s.save()?;
                return Ok(exit::CLEAN);
            }
        }
    }
}

/// Shows text that holds the reporter's answers, line by line, without
/// what could drive the terminal.
fn show(io: &mut Io<'_>, text: &str) -> Result<(), Failure> {
    for line in text.lines() {
        w(io.out, printable(line))?;
    }
    Ok(())
}

fn preview_text(s: &Session) -> String {
    let f = &s.form.form;
    let mut out = format!("Title: {}\n", s.saved.draft.title.trim());
    if !f.labels.is_empty() {
        out.push_str(&format!("Labels: {}\n", f.labels.join(", ")));
    }
    if let Some(t) = &f.issue_type {
        out.push_str(&format!("Type: {t}\n"));
    }
    out.push('\n');
    out.push_str(&render(f, &s.saved.draft.answers));
    out.push('\n');
    let answers = s.saved.draft.questions.lines();
    if !answers.is_empty() {
        out.push_str("\nYour answers to the drafter's questions (not part of the issue):\n");
        for a in answers {
            out.push_str(&format!("  {a}\n"));
        }
    }
    out
}
