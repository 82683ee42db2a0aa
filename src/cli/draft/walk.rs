//! The interactive walk through a form. Every answer is saved before the
//! next question; Ctrl-C leaves a draft to resume. Triage runs after every
//! answer and speaks up as soon as the decision would send the draft
//! elsewhere; after the steps, likely duplicates are offered.

use super::prompts::{ask_field, ask_title, handle, stopped};
use super::{review, tell};
use crate::cli::desktop::open_in_browser;
use crate::cli::{exit, w, Failure, Io, Outcome};
use inquire::{Confirm, Select};
use issue_preflight::act::{redirect, Acted, Session};
use issue_preflight::checks::dupes::{self, Search};
use issue_preflight::checks::dupes_query;
use issue_preflight::checks::triage::{has_signal, Redirect};
use issue_preflight::checks::Checks;
use issue_preflight::decision::{decide, original_of, OFFERED};
use issue_preflight::draft::store::Status;
use issue_preflight::draft::{answer_for, Answer};
use issue_preflight::form::{Field, FieldKind};
use issue_preflight::services::Services;
use issue_preflight::text::printable;

/// Asks every question not yet answered, checking as it goes; then the
/// preview, and filing.
pub fn walk(services: &Services, mut s: Session, web: bool, io: &mut Io<'_>) -> Outcome {
    if let Some(url) = s.is_filed() {
        w(
            io.out,
            format!("Already filed: {} (draft {})", printable(url), s.saved.id),
        )?;
        return Ok(exit::CLEAN);
    }
    let form = s.form.form.clone();
    let id = s.saved.id.clone();
    let path = s.save()?;
    w(
        io.out,
        format!(
            "{} — draft {} (saved as you go in {})",
            printable(&form.name),
            id,
            path.display()
        ),
    )?;
    for note in form.notes() {
        w(io.out, "")?;
        for line in note.trim().lines() {
            w(io.out, printable(line))?;
        }
    }
    w(io.out, "")?;

    let mut offered = false;
    if !s.saved.title_done {
        s.saved.draft.title =
            ask_title(&form, &s.saved.draft.title).map_err(|e| stopped(e, Some(&id)))?;
        s.saved.title_done = true;
        s.save()?;
        // A title such as "I can't log in" is signal enough to speak up.
        if let Some(code) = offer_redirect(services, &mut s, &mut offered, io)? {
            return Ok(code);
        }
    }

    let fields: Vec<Field<'_>> = form.fields().collect();
    let mut searched = false;
    let first_text = fields
        .iter()
        .position(|f| matches!(f.kind, FieldKind::Textarea));
    for (i, field) in fields.iter().enumerate().skip(s.saved.next_field) {
        let current = answer_for(&s.saved.draft.answers, field)
            .cloned()
            .or_else(|| issue_preflight::draft::initial_answer(field));
        let answer = {
            let key = field.key().to_string();
            let mut keep = |text: &str| keep_partial(&mut s, &key, text);
            ask_field(field, current.as_ref(), io, &mut keep).map_err(|e| stopped(e, Some(&id)))?
        };
        s.saved
            .draft
            .answers
            .insert(field.key().to_string(), answer);
        s.saved.next_field = i + 1;
        s.save()?;

        if let Some(code) = offer_redirect(services, &mut s, &mut offered, io)? {
            return Ok(code);
        }
        let is_steps = field.label.to_lowercase().contains("steps") || Some(i) == first_text;
        if !searched && is_steps {
            searched = true;
            if let Some(code) = offer_duplicates(services, &mut s, io)? {
                return Ok(code);
            }
        }
    }
    review::review(services, s, web, io)
}

/// Saves an answer still being typed, without moving on to the next field:
/// a resumed draft asks that field again, with this text to keep.
fn keep_partial(s: &mut Session, key: &str, text: &str) {
    s.saved
        .draft
        .answers
        .insert(key.to_string(), Answer::Text(text.to_string()));
    // A failed save is reported by the save after the answer is complete.
    let _ = s.save();
}

/// Says early when the decision would send the draft elsewhere, and offers
/// to go there, once. A security report is never offered a choice, and is
/// stopped whenever it shows, even after a declined offer.
fn offer_redirect(
    services: &Services,
    s: &mut Session,
    offered: &mut bool,
    io: &mut Io<'_>,
) -> Result<Option<i32>, Failure> {
    let checks = Checks::local(services, &s.forms, &s.document());
    let Some(to) = decide(&checks, services.policy()).redirect else {
        return Ok(None);
    };
    let t = &checks.triage;
    if to != Redirect::Security && (*offered || !has_signal(t)) {
        return Ok(None);
    }
    *offered = true;
    let what = match to {
        Redirect::InstanceAdmin => "a question for your own server's admin",
        Redirect::Discussions => "a question for the community (Discussions)",
        Redirect::Security => "a security vulnerability",
    };
    w(
        io.out,
        format!(
            "\nThis looks like {what} (confidence {:.2}), because:",
            t.confidence
        ),
    )?;
    for r in t.reasons.iter().filter(|r| r.weight > 0.0).take(4) {
        w(
            io.out,
            format!("  - {}: {}", printable(&r.signal), printable(&r.evidence)),
        )?;
    }
    if to == Redirect::Security {
        // Never filed in public, whatever the answer.
        return send_away(services, s, to, io).map(Some);
    }
    let go = Confirm::new("Go there now instead of filing here? Your text comes along.")
        .with_default(true)
        .prompt()
        .map_err(|e| stopped(e, Some(&s.saved.id)))?;
    if go {
        return send_away(services, s, to, io).map(Some);
    }
    w(io.out, "Going on with the report.\n")?;
    Ok(None)
}

/// Redirects the reporter, asking for their account first where it helps
/// the message to their admin.
pub fn send_away(services: &Services, s: &mut Session, to: Redirect, io: &mut Io<'_>) -> Outcome {
    if to == Redirect::InstanceAdmin && s.handle.is_none() && s.server().is_some() {
        s.handle = handle()?;
    }
    let r = redirect::redirect(services, s, to)?;
    tell::acted(&Acted::Redirected(r), &s.saved.id, true, io)
}

/// Shows likely duplicates; the reporter may say one is the same problem.
fn offer_duplicates(
    services: &Services,
    s: &mut Session,
    io: &mut Io<'_>,
) -> Result<Option<i32>, Failure> {
    let query = dupes_query(&s.document());
    let search = Search {
        limit: 5,
        lenient: true,
        ..Search::default()
    };
    let found = dupes::find(services, &query, &search)?;
    if let Some(note) = &found.note {
        io.note(printable(note))?;
    }
    let (offer, _) =
        issue_preflight::decision::duplicate_thresholds(services.policy(), &found.thresholds);
    let candidates: Vec<_> = found
        .candidates
        .into_iter()
        .filter(|c| c.score >= offer)
        .take(OFFERED)
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    w(io.out, "\nThese existing issues may be the same problem:")?;
    for c in &candidates {
        w(
            io.out,
            format!(
                "  #{} [{}] {}  {}",
                c.number,
                c.state,
                printable(&c.title),
                printable(&c.url)
            ),
        )?;
        for why in c.why.iter().take(3) {
            w(io.out, format!("      {}", printable(why)))?;
        }
    }
    loop {
        let mut options = vec!["None of these: go on".to_string()];
        for c in &candidates {
            options.push(format!("#{} is the same problem", c.number));
        }
        for c in &candidates {
            options.push(format!("Open #{} in the browser", c.number));
        }
        let pick = Select::new("Is one of them your problem?", options.clone())
            .prompt()
            .map_err(|e| stopped(e, Some(&s.saved.id)))?;
        let i = options.iter().position(|o| *o == pick).unwrap_or(0);
        if i == 0 {
            return Ok(None);
        }
        let c = &candidates[(i - 1) % candidates.len()];
        if i <= candidates.len() {
            let (number, url) = original_of(c);
            s.saved.status = Status::Redirected { to: url.clone() };
            s.save()?;
            let acted = Acted::Duplicate { number, url };
            return tell::acted(&acted, &s.saved.id, true, io).map(Some);
        }
        if !open_in_browser(&c.url) {
            w(io.out, format!("  {}", printable(&c.url)))?;
        }
    }
}
