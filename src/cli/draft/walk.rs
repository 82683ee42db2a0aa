//! The interactive walk through a form. Every answer is saved before the
//! next question; Ctrl-C leaves a draft to resume (a draft with nothing in
//! it is not kept); Esc goes back one step, and from the first step asks
//! before leaving. After every answer the draft is checked
//! ([`consult`](super::consult)); after the steps, likely duplicates are
//! offered.

use super::consult::{consult, Next, Walk, ELSEWHERE_NOTE};
use super::line::NoAnswer;
use super::prompts::{ask_field, ask_title, confirm, stopped};
use super::{review, tell};
use crate::cli::desktop::open_in_browser;
use crate::cli::{exit, w, Failure, Io, Outcome};
use inquire::Select;
use issue_preflight::act::{is_instance_field, Acted, Session};
use issue_preflight::checks::dupes::{self, Candidate, Search};
use issue_preflight::checks::dupes_query;
use issue_preflight::checks::lint::{is_unknown, is_version_field};
use issue_preflight::decision::{duplicate_thresholds, original_of, OFFERED};
use issue_preflight::draft::store::Status;
use issue_preflight::draft::{answer_for, Answer};
use issue_preflight::form::FieldKind;
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
    let id = s.saved.id.clone();
    // Saved from the first answer on: a draft with none is not kept.
    let path = if s.saved.has_answers() {
        s.save()?
    } else {
        s.store.path(&id)?
    };
    w(
        io.out,
        format!(
            "{} — draft {} (saved as you go in {})",
            printable(&s.form.form.name),
            id,
            path.display()
        ),
    )?;
    for note in s.form.form.notes() {
        w(io.out, "")?;
        for line in note.trim().lines() {
            w(io.out, printable(line))?;
        }
    }
    w(io.out, "")?;

    let mut walk = Walk {
        asked: !s.saved.draft.questions.is_empty(),
        ..Walk::default()
    };
    let mut searched = false;
    // Step 0 is the title, step i the form's field i - 1.
    let mut step = if s.saved.title_done {
        s.saved.next_field + 1
    } else {
        0
    };
    loop {
        let form = s.form.form.clone();
        let fields: Vec<_> = form.fields().collect();
        if step > fields.len() {
            break;
        }
        if step == 0 {
            match ask_title(&form, &s.saved.draft.title, io.style.color) {
                Ok(title) => {
                    s.saved.draft.title = title;
                    s.saved.title_done = true;
                    s.save()?;
                }
                Err(NoAnswer::Back) => {
                    if leave(&mut s, io)? {
                        return Ok(exit::CLEAN);
                    }
                    continue;
                }
                Err(e) => return Err(stop(&s, e)),
            }
            step = 1;
            // A title such as "I can't log in" is signal enough to speak up.
            match consult(services, &mut s, &mut walk, io)? {
                Next::Go => {}
                Next::Done(code) => return Ok(code),
                Next::Restart => step = 1,
            }
            continue;
        }
        let i = step - 1;
        let field = &fields[i];
        if skipped(&s, &walk, field.key(), field.label) {
            step += 1;
            continue;
        }
        let mut current = answer_for(&s.saved.draft.answers, field)
            .cloned()
            .or_else(|| issue_preflight::draft::initial_answer(field));
        if current.as_ref().is_none_or(Answer::is_empty) {
            current = prefill(services, &s, &mut walk, field.label, io)?.or(current);
        }
        let asked = {
            let key = field.key().to_string();
            let mut keep = |text: &str| keep_partial(&mut s, &key, text);
            ask_field(field, current.as_ref(), io, &mut keep)
        };
        let mut answer = match asked {
            Ok(a) => a,
            Err(NoAnswer::Back) => {
                step -= 1;
                while step > 0 && skipped(&s, &walk, fields[step - 1].key(), fields[step - 1].label)
                {
                    step -= 1;
                }
                s.saved.next_field = step.saturating_sub(1);
                s.save()?;
                continue;
            }
            Err(e) => return Err(stop(&s, e)),
        };
        if is_version_field(field.label) && is_unknown(&answer.as_text()) {
            answer = looked_up(services, &s, &mut walk, answer, io)?;
        }
        if walk.elsewhere_note && is_description(field.label, field.kind) {
            answer = with_note(answer);
            walk.elsewhere_note = false;
        }
        s.saved
            .draft
            .answers
            .insert(field.key().to_string(), answer);
        s.saved.next_field = step;
        s.save()?;

        match consult(services, &mut s, &mut walk, io)? {
            Next::Go => {}
            Next::Done(code) => return Ok(code),
            Next::Restart => {
                walk.carried = s.saved.draft.answers.keys().cloned().collect();
                step = 1;
                continue;
            }
        }
        let first_text = fields
            .iter()
            .position(|f| matches!(f.kind, FieldKind::Textarea));
        let is_steps = field.label.to_lowercase().contains("steps") || Some(i) == first_text;
        if !searched && is_steps {
            searched = true;
            if let Some(code) = offer_duplicates(services, &mut s, io)? {
                return Ok(code);
            }
        }
        step += 1;
    }
    if walk.elsewhere_note {
        add_elsewhere_note(&mut s);
        s.save()?;
    }
    review::review(services, s, web, walk.declined, io)
}

/// Fields not asked: answers carried over from another form, and the
/// instance field once the reporter typed their server.
fn skipped(s: &Session, walk: &Walk, key: &str, label: &str) -> bool {
    let answered = s
        .saved
        .draft
        .answers
        .get(key)
        .is_some_and(|a| !a.is_empty());
    answered
        && (walk.carried.iter().any(|k| k == key)
            || (walk.server_typed && is_instance_field(label)))
}

/// What a field starts with when nothing was answered yet: the server
/// named with `--instance` for the instance field, the server's own
/// version for the version field.
fn prefill(
    services: &Services,
    s: &Session,
    walk: &mut Walk,
    label: &str,
    io: &mut Io<'_>,
) -> Result<Option<Answer>, Failure> {
    if is_instance_field(label) {
        let given = s
            .server()
            .filter(|_| s.server_given())
            .map(|(a, _)| Answer::Text(a.domain));
        return Ok(given);
    }
    if is_version_field(label) {
        if let Some(v) = server_version(services, s, walk) {
            w(
                io.out,
                format!(
                    "  (your server says it runs {}; change it if that's not right)",
                    printable(&v)
                ),
            )?;
            return Ok(Some(Answer::Text(v)));
        }
    }
    Ok(None)
}

/// The server's version, looked up once.
fn server_version(services: &Services, s: &Session, walk: &mut Walk) -> Option<String> {
    walk.version
        .get_or_insert_with(|| s.server_version(services))
        .clone()
}

/// "I don't know" for the version: the server's, where it says; else kept,
/// with a note.
fn looked_up(
    services: &Services,
    s: &Session,
    walk: &mut Walk,
    answer: Answer,
    io: &mut Io<'_>,
) -> Result<Answer, Failure> {
    match server_version(services, s, walk) {
        Some(v) => {
            w(
                io.out,
                format!(
                    "  Your server says it runs {}: that goes in the report.",
                    printable(&v)
                ),
            )?;
            Ok(Answer::Text(v))
        }
        None => {
            w(
                io.out,
                "  Kept as you wrote it: the version is at the bottom of your server's About page, if you find it later (Edit an answer, in the review).",
            )?;
            Ok(answer)
        }
    }
}

fn is_description(label: &str, kind: FieldKind) -> bool {
    kind == FieldKind::Textarea && label.to_lowercase().contains("description")
}

fn with_note(answer: Answer) -> Answer {
    let text = answer.as_text();
    if text.contains(ELSEWHERE_NOTE) {
        return answer;
    }
    Answer::Text(if text.trim().is_empty() {
        ELSEWHERE_NOTE.to_string()
    } else {
        format!("{}\n\n{ELSEWHERE_NOTE}", text.trim_end())
    })
}

/// The note for a description asked before the reporter agreed to it.
fn add_elsewhere_note(s: &mut Session) {
    let form = s.form.form.clone();
    let Some(field) = form.fields().find(|f| is_description(f.label, f.kind)) else {
        return;
    };
    let current = answer_for(&s.saved.draft.answers, &field)
        .cloned()
        .unwrap_or(Answer::Text(String::new()));
    let key = field.key().to_string();
    s.saved.draft.answers.insert(key, with_note(current));
}

/// Esc on the first step: leave, after asking. A draft with nothing in it
/// is not kept.
fn leave(s: &mut Session, io: &mut Io<'_>) -> Result<bool, Failure> {
    let kept = s.saved.has_answers();
    let q = if kept {
        "Leave now? Your answers are saved."
    } else {
        "Leave now? Nothing was written yet, so no draft is kept."
    };
    if !confirm(q, false).map_err(|e| stop(s, e))? {
        return Ok(false);
    }
    if kept {
        w(
            io.out,
            format!(
                "Saved. `preflight draft --resume {}` picks it up again.",
                s.saved.id
            ),
        )?;
    } else {
        forget(s);
    }
    Ok(true)
}

/// Stopped at a prompt: the error says where the draft is, and a draft
/// without answers is not kept.
fn stop(s: &Session, e: NoAnswer) -> Failure {
    if s.saved.has_answers() {
        return stopped(e, Some(&s.saved.id)).into();
    }
    forget(s);
    stopped(e, None).into()
}

fn forget(s: &Session) {
    if s.store.path(&s.saved.id).is_ok_and(|p| p.is_file()) {
        let _ = s.store.remove(&s.saved.id);
    }
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

/// Shows likely duplicates, each with how close it is, compactly enough
/// for a small terminal; the reporter may say one is the same problem.
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
    let (offer, strong) = duplicate_thresholds(services.policy(), &found.thresholds);
    let candidates: Vec<Candidate> = found
        .candidates
        .into_iter()
        .filter(|c| c.score >= offer)
        .take(OFFERED)
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let width = super::term_width();
    w(io.out, "\nThese existing issues may be the same problem:")?;
    for c in &candidates {
        w(io.out, cut(&strength_line(c, strong), width))?;
        w(io.out, cut(&format!("     {}", printable(&c.title)), width))?;
    }
    const NONE: &str = "None of these: go on";
    const OPEN: &str = "Open one in the browser";
    loop {
        let mut options = vec![NONE.to_string()];
        for c in &candidates {
            options.push(format!("#{} is the same problem", c.number));
        }
        options.push(OPEN.to_string());
        let pick = match Select::new("Is one of them your problem?", options.clone()).prompt() {
            Ok(p) => p,
            Err(e) => match NoAnswer::from(e) {
                NoAnswer::Back => return Ok(None),
                other => return Err(stop(s, other)),
            },
        };
        let i = options.iter().position(|o| *o == pick).unwrap_or(0);
        if i == 0 {
            return Ok(None);
        }
        if i <= candidates.len() {
            let (number, url) = original_of(&candidates[i - 1]);
            s.saved.status = Status::Redirected { to: url.clone() };
            s.save()?;
            let acted = Acted::Duplicate { number, url };
            return tell::acted(&acted, &s.saved.id, true, io).map(Some);
        }
        let numbers: Vec<String> = candidates
            .iter()
            .map(|c| format!("#{}", c.number))
            .collect();
        let Ok(which) = Select::new("Which one?", numbers).raw_prompt() else {
            continue;
        };
        let url = &candidates[which.index].url;
        if !open_in_browser(url) {
            w(io.out, format!("  {}", printable(url)))?;
        }
    }
}

/// `  #7 [open] 92% · very likely the same · similar title`.
fn strength_line(c: &Candidate, strong: f64) -> String {
    let words = if c.score >= strong {
        "very likely the same"
    } else {
        "possibly the same"
    };
    let why = c
        .why
        .first()
        .map(|w| format!(" · {}", printable(w)))
        .unwrap_or_default();
    format!(
        "  #{} [{}] {:.0}% · {words}{why}",
        c.number,
        c.state,
        (c.score * 100.0).round()
    )
}

/// At most `width` characters, an ellipsis marking the cut.
fn cut(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_string();
    }
    let mut out: String = line.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_to_the_terminal() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        assert_eq!(
            with_note(Answer::Text("x".into())).as_text(),
            format!("x\n\n{ELSEWHERE_NOTE}")
        );
        assert_eq!(
            with_note(Answer::Text(String::new())).as_text(),
            ELSEWHERE_NOTE
        );
    }
}
