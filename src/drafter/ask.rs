//! The interactive walk through a form, with inquire. Every answer is
//! saved before the next question; Ctrl-C leaves a draft to resume.

use super::{find_duplicates, has_errors, outcome, run_checks, show_checks, start, Session};
use crate::checks::lint::{is_generic_title, is_mastodon_version, MAX_TITLE_CHARS};
use crate::checks::triage_input;
use crate::cli::args::{DraftArgs, Global};
use crate::cli::{w, Io};
use crate::decision::Thresholds;
use crate::draft::{answer_for, initial_answer, Answer};
use crate::error::{exit, Error};
use crate::file::open_in_browser;
use crate::form::{Field, FieldKind, FormSet, IssueForm, LoadedForm};
use crate::report::printable;
use crate::store::{Status, Store};
use crate::triage::{has_signal, triage, Redirect};
use inquire::validator::Validation;
use inquire::{Confirm, Editor, InquireError, MultiSelect, Select, Text};

/// Maps an aborted prompt to an error that says where the draft is.
fn stopped(e: InquireError, id: Option<&str>) -> Error {
    let saved = id.map_or(String::new(), |id| {
        format!("; your answers are saved: `preflight draft --resume {id}` continues")
    });
    match e {
        InquireError::OperationInterrupted | InquireError::OperationCanceled => {
            Error::Interrupted(format!("stopped{saved}"))
        }
        InquireError::NotTTY => {
            Error::Usage("no terminal to ask questions on; pass --answers FILE --no-input".into())
        }
        other => Error::Usage(format!("the prompt failed: {other}{saved}")),
    }
}

/// The form, chosen from the repository's forms by name and description.
pub fn choose_form(set: &FormSet) -> Result<LoadedForm, Error> {
    struct Choice<'a>(&'a LoadedForm);
    impl std::fmt::Display for Choice<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let d = self.0.form.description.trim().replace('\n', " ");
            write!(f, "{}: {d}", self.0.form.name)
        }
    }
    let options: Vec<Choice> = set.forms.iter().map(Choice).collect();
    let chosen = Select::new("Which form fits your report?", options)
        .with_help_message("questions about your own account or server are answered by your server's admin, not here")
        .prompt()
        .map_err(|e| stopped(e, None))?;
    Ok(chosen.0.clone())
}

/// A saved draft, by id or chosen from the open ones.
pub fn resume(
    global: &Global,
    args: &DraftArgs,
    store: Store,
    id: &str,
    io: &mut Io<'_>,
) -> Result<Session, Error> {
    let saved = if id.is_empty() {
        let open = store.open_drafts();
        if open.is_empty() {
            return Err(Error::Usage(format!(
                "no saved drafts to resume in {}; start one with `preflight draft`",
                store.dir().display()
            )));
        }
        struct Item(crate::store::SavedDraft);
        impl std::fmt::Display for Item {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let title = if self.0.draft.title.trim().is_empty() {
                    "(no title yet)"
                } else {
                    self.0.draft.title.trim()
                };
                write!(
                    f,
                    "{title}  [{}; {} answers; {}]",
                    self.0.draft.template,
                    self.0.draft.answers.len(),
                    self.0.id
                )
            }
        }
        Select::new("Which draft?", open.into_iter().map(Item).collect())
            .prompt()
            .map_err(|e| stopped(e, None))?
            .0
    } else {
        store.load(id)?
    };
    if let Status::Filed { url, .. } = &saved.status {
        return Err(Error::Usage(format!(
            "draft {} was already filed as {url}; nothing to resume",
            saved.id
        )));
    }
    let mut global = global.clone();
    if global.repo.is_none() {
        global.repo = saved.repo.parse().ok();
    }
    let mut args_template = DraftArgs {
        template: Some(saved.draft.template.clone()),
        ..args.clone()
    };
    args_template.instance = args.instance.clone().or_else(|| saved.instance.clone());
    let mut s = start(&global, &args_template, store, None)?;
    w(
        io.out,
        format!(
            "Resuming draft {} ({} answers given).",
            saved.id,
            saved.draft.answers.len()
        ),
    )?;
    s.saved = saved;
    Ok(s)
}

/// The reporter's handle, for the admin's message.
pub fn handle(_io: &mut Io<'_>) -> Result<Option<String>, Error> {
    let h = Text::new(
        "Your account on that server, for the admin's message (e.g. @you@example.social):",
    )
    .with_help_message(
        "it goes only into the message for your admin, never into a public issue; Enter to skip",
    )
    .prompt_skippable()
    .map_err(|e| stopped(e, None))?;
    Ok(h.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

/// Asks every question not yet answered, checking as it goes; then the
/// preview, and filing.
pub fn walk(mut s: Session, io: &mut Io<'_>) -> Result<i32, Error> {
    if let Status::Filed { url, .. } = &s.saved.status {
        w(
            io.out,
            format!("Already filed: {url} (draft {})", s.saved.id),
        )?;
        return Ok(exit::CLEAN);
    }
    let form: IssueForm = s.form.form.clone();
    let id = s.saved.id.clone();
    let path = s.save()?;
    w(
        io.out,
        format!(
            "{} — draft {} (saved as you go in {})",
            form.name,
            id,
            path.display()
        ),
    )?;
    for note in form.notes() {
        w(io.out, format!("\n{}", note.trim()))?;
    }
    w(io.out, "")?;

    let mut offered = false;
    if !s.saved.title_done {
        s.saved.draft.title =
            ask_title(&form, &s.saved.draft.title).map_err(|e| stopped(e, Some(&id)))?;
        s.saved.title_done = true;
        s.save()?;
        // A title such as "I can't log in" is signal enough to speak up.
        if let Some(code) = offer_redirect(&mut s, &mut offered, io)? {
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
            .or_else(|| initial_answer(field));
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

        if !offered {
            if let Some(code) = offer_redirect(&mut s, &mut offered, io)? {
                return Ok(code);
            }
        }
        let is_steps = field.label.to_lowercase().contains("steps") || Some(i) == first_text;
        if !searched && is_steps {
            searched = true;
            if let Some(code) = offer_duplicates(&mut s, io)? {
                return Ok(code);
            }
        }
    }
    review(s, io)
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

/// Says early when the draft belongs elsewhere, and offers to go there.
fn offer_redirect(
    s: &mut Session,
    offered: &mut bool,
    io: &mut Io<'_>,
) -> Result<Option<i32>, Error> {
    let t = triage(&triage_input(&s.document()));
    let Some(to) = t.redirect() else {
        return Ok(None);
    };
    if !(has_signal(&t)
        && (to == Redirect::Security || t.confidence >= Thresholds::default().redirect))
    {
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
            format!("  - {}: {}", r.signal, printable(&r.evidence)),
        )?;
    }
    if to == Redirect::Security {
        // Never filed in public, whatever the answer.
        return outcome::redirect(s, to, io).map(Some);
    }
    let go = Confirm::new("Go there now instead of filing here? Your text comes along.")
        .with_default(true)
        .prompt()
        .map_err(|e| stopped(e, Some(&s.saved.id)))?;
    if go {
        return outcome::redirect(s, to, io).map(Some);
    }
    w(io.out, "Going on with the report.\n")?;
    Ok(None)
}

/// Shows likely duplicates; the reporter may say one is the same problem.
fn offer_duplicates(s: &mut Session, io: &mut Io<'_>) -> Result<Option<i32>, Error> {
    let doc = s.document();
    let candidates: Vec<_> = find_duplicates(s, &doc, io)?
        .into_iter()
        .filter(|c| c.score >= 0.3)
        .take(3)
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
            let d = crate::decision::Decision::Duplicate {
                number: c.number,
                url: c.url.clone(),
                score: c.score,
            };
            return super::act(s, d, io).map(Some);
        }
        if !open_in_browser(&c.url) {
            w(io.out, format!("  {}", c.url))?;
        }
    }
}

/// Lint, preview, edits, and filing.
fn review(mut s: Session, io: &mut Io<'_>) -> Result<i32, Error> {
    let form = s.form.form.clone();
    let id = s.saved.id.clone();
    let mut last_preview: Option<String> = None;
    loop {
        let checks = run_checks(&s, io, false)?;
        if let Some(to) = checks
            .triage
            .redirect()
            .filter(|r| *r == Redirect::Security)
        {
            return outcome::redirect(&mut s, to, io);
        }
        let preview = preview_text(&s);
        w(io.out, "\n── Preview ──")?;
        match &last_preview {
            Some(old) if *old != preview => {
                let diff = similar::TextDiff::from_lines(old, &preview);
                w(
                    io.out,
                    diff.unified_diff()
                        .header("last preview", "now")
                        .to_string(),
                )?;
            }
            _ => w(io.out, &preview)?,
        }
        last_preview = Some(preview);
        if !checks.findings.is_empty() {
            w(io.out, "")?;
            show_checks(
                &super::Checks {
                    findings: checks.findings.clone(),
                    triage: checks.triage.clone(),
                    candidates: vec![],
                },
                io,
            )?;
        }
        let blocked = has_errors(&checks.findings);
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
        let pick = Select::new(msg, options)
            .prompt()
            .map_err(|e| stopped(e, Some(&id)))?;
        match pick.as_str() {
            "File it" => return outcome::file(&mut s, io),
            "Edit the title" => {
                s.saved.draft.title =
                    ask_title(&form, &s.saved.draft.title).map_err(|e| stopped(e, Some(&id)))?;
                s.save()?;
            }
            "Edit an answer" => {
                let labels: Vec<String> = form.fields().map(|f| f.label.to_string()).collect();
                let label = Select::new("Which answer?", labels)
                    .prompt()
                    .map_err(|e| stopped(e, Some(&id)))?;
                let field = form
                    .fields()
                    .find(|f| f.label == label)
                    .expect("chosen from the form");
                let current = answer_for(&s.saved.draft.answers, &field).cloned();
                let key = field.key().to_string();
                let mut keep = |text: &str| keep_partial(&mut s, &key, text);
                let a = ask_field(&field, current.as_ref(), io, &mut keep)
                    .map_err(|e| stopped(e, Some(&id)))?;
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
    out.push_str(&crate::body::render(f, &s.saved.draft.answers));
    out.push('\n');
    out
}

fn ask_title(form: &IssueForm, current: &str) -> Result<String, InquireError> {
    let prefix = form.title.clone().unwrap_or_default();
    let initial = if current.trim().is_empty() {
        prefix.clone()
    } else {
        current.to_string()
    };
    Text::new("Title:")
        .with_initial_value(&initial)
        .with_help_message(
            "a few words that tell this problem apart, e.g. `Replies land at the top of threads`",
        )
        .with_validator(move |t: &str| {
            let t = t.trim();
            Ok(
                if t.is_empty() || (!prefix.trim().is_empty() && t == prefix.trim()) {
                    Validation::Invalid("say in a few words what goes wrong".into())
                } else if is_generic_title(t.strip_prefix(prefix.trim()).unwrap_or(t)) {
                    Validation::Invalid(
                        "that title would fit any issue; name what you did and what went wrong"
                            .into(),
                    )
                } else if t.chars().count() > MAX_TITLE_CHARS {
                    Validation::Invalid(format!("at most {MAX_TITLE_CHARS} characters").into())
                } else {
                    Validation::Valid
                },
            )
        })
        .prompt()
}

/// Asks one field. `partial` receives a long answer while it is being
/// typed, so that Ctrl-C halfway through loses none of it.
fn ask_field(
    field: &Field<'_>,
    current: Option<&Answer>,
    io: &mut Io<'_>,
    partial: &mut dyn FnMut(&str),
) -> Result<Answer, InquireError> {
    let label = format!(
        "{}{}",
        field.label,
        if field.required { "" } else { " (optional)" }
    );
    let help = field.description.map(|d| d.trim().replace('\n', " "));
    match field.kind {
        FieldKind::Input => {
            let initial = current.map(Answer::as_text).unwrap_or_default();
            let required = field.required;
            let version = {
                let l = field.label.to_lowercase();
                l.contains("mastodon") && l.contains("version")
            };
            let mut p = Text::new(&label)
                .with_initial_value(&initial)
                .with_validator(move |t: &str| {
                    Ok(if required && t.trim().is_empty() {
                        Validation::Invalid("this answer is required".into())
                    } else if version && !t.trim().is_empty() && !is_mastodon_version(t) {
                        Validation::Invalid(
                            "a Mastodon version, as on the server's About page, e.g. v4.3.1".into(),
                        )
                    } else {
                        Validation::Valid
                    })
                });
            if let Some(ph) = field.placeholder {
                p = p.with_placeholder(ph);
            }
            if let Some(h) = &help {
                p = p.with_help_message(h);
            }
            Ok(Answer::Text(p.prompt()?.trim().to_string()))
        }
        FieldKind::Textarea => ask_textarea(field, &label, help.as_deref(), current, io, partial),
        FieldKind::Dropdown => {
            let mut options: Vec<String> = field.dropdown_options.to_vec();
            let chosen = current.map(Answer::as_list).unwrap_or_default();
            if field.multiple {
                let defaults: Vec<usize> = options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| chosen.contains(o))
                    .map(|(i, _)| i)
                    .collect();
                let required = field.required;
                let picked = MultiSelect::new(&label, options)
                    .with_default(&defaults)
                    .with_validator(move |l: &[inquire::list_option::ListOption<&String>]| {
                        Ok(if required && l.is_empty() {
                            Validation::Invalid("choose at least one".into())
                        } else {
                            Validation::Valid
                        })
                    })
                    .prompt()?;
                return Ok(Answer::List(picked));
            }
            if !field.required {
                options.push("(no answer)".into());
            }
            let start = chosen
                .first()
                .and_then(|c| options.iter().position(|o| o == c))
                .or(field.default)
                .unwrap_or(0);
            let picked = Select::new(&label, options)
                .with_starting_cursor(start)
                .prompt()?;
            Ok(Answer::Text(if picked == "(no answer)" {
                String::new()
            } else {
                picked
            }))
        }
        FieldKind::Checkboxes => {
            let options: Vec<String> = field
                .checkbox_options
                .iter()
                .map(|o| o.label.clone())
                .collect();
            let ticked = current.map(Answer::as_list).unwrap_or_default();
            let defaults: Vec<usize> = options
                .iter()
                .enumerate()
                .filter(|(_, o)| ticked.contains(o))
                .map(|(i, _)| i)
                .collect();
            let required: Vec<String> = field
                .checkbox_options
                .iter()
                .filter(|o| o.required)
                .map(|o| o.label.clone())
                .collect();
            let picked = MultiSelect::new(&label, options)
                .with_default(&defaults)
                .with_validator(move |l: &[inquire::list_option::ListOption<&String>]| {
                    let missing: Vec<&String> = required
                        .iter()
                        .filter(|r| !l.iter().any(|o| o.value == *r))
                        .collect();
                    Ok(if missing.is_empty() {
                        Validation::Valid
                    } else {
                        Validation::Invalid(
                            format!(
                                "required: {}",
                                missing
                                    .iter()
                                    .map(|s| s.as_str())
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            )
                            .into(),
                        )
                    })
                })
                .prompt()?;
            Ok(Answer::List(picked))
        }
    }
}

/// A textarea: the reporter's editor where one is set, else line by line.
fn ask_textarea(
    field: &Field<'_>,
    label: &str,
    help: Option<&str>,
    current: Option<&Answer>,
    io: &mut Io<'_>,
    partial: &mut dyn FnMut(&str),
) -> Result<Answer, InquireError> {
    let current = current.map(Answer::as_text).unwrap_or_default();
    let has_editor = ["VISUAL", "EDITOR"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    if has_editor {
        let mut p = Editor::new(label)
            .with_predefined_text(&current)
            .with_file_extension(".md");
        if let Some(h) = help {
            p = p.with_help_message(h);
        }
        let required = field.required;
        let p = p.with_validator(move |t: &str| {
            Ok(if required && t.trim().is_empty() {
                Validation::Invalid("this answer is required".into())
            } else {
                Validation::Valid
            })
        });
        return Ok(Answer::Text(crate::body::render::normalize(&p.prompt()?)));
    }
    // No editor: a line at a time. A prefilled answer that is not just the
    // form's template can be kept as it is.
    let template = field.value.is_some_and(|v| {
        crate::body::render::normalize(v) == crate::body::render::normalize(&current)
    });
    if !current.trim().is_empty() && !template {
        let _ = writeln!(io.out, "{label} — current answer:\n{current}");
        let _ = io.out.flush();
        if Confirm::new("Keep this answer?")
            .with_default(true)
            .prompt()?
        {
            return Ok(Answer::Text(current));
        }
    }
    let numbered = field
        .value
        .is_some_and(|v| v.trim_start().starts_with("1."));
    let _ = writeln!(
        io.out,
        "{label}{}\n  (one line at a time; an empty line ends the answer)",
        help.map(|h| format!(": {h}")).unwrap_or_default()
    );
    let _ = io.out.flush();
    loop {
        let mut lines: Vec<String> = Vec::new();
        loop {
            let prefix = if numbered {
                format!("{}. ", lines.len() + 1)
            } else {
                String::new()
            };
            let line = Text::new("|").with_initial_value(&prefix).prompt()?;
            let bare = line.trim();
            if bare.is_empty() || (numbered && bare == prefix.trim()) {
                break;
            }
            lines.push(line.trim_end().to_string());
            partial(&lines.join("\n"));
        }
        if !lines.is_empty() || !field.required {
            return Ok(Answer::Text(lines.join("\n")));
        }
        let _ = writeln!(io.out, "  This answer is required.");
    }
}
