//! The questions: picking a form or a draft, the title, and each kind of
//! field. Lines of text are read with the line editor ([`super::line`]),
//! choices with inquire. Esc goes back a step; a prompt stopped with Ctrl-C
//! says where the draft is.

use super::super::Io;
use super::line::{Asked, Check, Line, NoAnswer};
use super::textarea::ask_textarea;
use inquire::validator::Validation;
use inquire::{Confirm, MultiSelect, Select};
use issue_preflight::checks::lint::{
    is_generic_title, is_version_field, read_version, VersionAnswer, MAX_TITLE_CHARS,
};
use issue_preflight::draft::store::{SavedDraft, Store};
use issue_preflight::draft::Answer;
use issue_preflight::form::{Field, FieldKind, FormSet, IssueForm, LoadedForm};
use issue_preflight::text::printable;
use issue_preflight::Error;

/// Maps a prompt that ended without an answer to an error that says
/// where the draft is.
pub fn stopped(e: NoAnswer, id: Option<&str>) -> Error {
    let saved = id.map_or(String::new(), |id| {
        format!("; your answers are saved: `preflight draft --resume {id}` continues")
    });
    match e {
        NoAnswer::Back | NoAnswer::Interrupted => Error::Interrupted(format!("stopped{saved}")),
        NoAnswer::Failed(why) => Error::Usage(format!("the prompt failed: {why}{saved}")),
    }
}

/// Yes or no; Esc is "no".
pub fn confirm(question: &str, default: bool) -> Asked<bool> {
    match Confirm::new(question).with_default(default).prompt() {
        Err(inquire::InquireError::OperationCanceled) => Ok(false),
        other => other.map_err(NoAnswer::from),
    }
}

/// The form, chosen from the repository's forms by name and description.
pub fn choose_form(set: &FormSet) -> Result<LoadedForm, Error> {
    struct Choice<'a>(&'a LoadedForm);
    impl std::fmt::Display for Choice<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let d = self.0.form.description.trim();
            write!(f, "{}: {}", printable(&self.0.form.name), printable(d))
        }
    }
    let options: Vec<Choice> = set.forms.iter().map(Choice).collect();
    let chosen = Select::new("Which form fits your report?", options)
        .with_help_message("questions about your own account or server are answered by your server's admin, not here")
        .prompt()
        .map_err(|e| stopped(e.into(), None))?;
    Ok(chosen.0.clone())
}

/// A saved draft, by id or chosen from the open ones.
pub fn pick_draft(store: &Store, id: &str) -> Result<SavedDraft, Error> {
    if !id.is_empty() {
        return store.load(id);
    }
    let open = store.open_drafts();
    if open.is_empty() {
        return Err(Error::Usage(format!(
            "no saved drafts to resume in {}; start one with `preflight draft`",
            store.dir().display()
        )));
    }
    struct Item(SavedDraft);
    impl std::fmt::Display for Item {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let title = if self.0.draft.title.trim().is_empty() {
                "(no title yet)".to_string()
            } else {
                printable(self.0.draft.title.trim())
            };
            write!(
                f,
                "{title}  [{}; {} answers; {}]",
                printable(&self.0.draft.template),
                self.0.draft.answers.len(),
                printable(&self.0.id)
            )
        }
    }
    Ok(
        Select::new("Which draft?", open.into_iter().map(Item).collect())
            .prompt()
            .map_err(|e| stopped(e.into(), None))?
            .0,
    )
}

/// The reporter's handle, for the admin's message (Esc or Enter skips).
pub fn handle(color: bool) -> Result<Option<String>, Error> {
    let h = Line::new(
        "Your account on that server, for the admin's message (e.g. @you@example.social):",
    )
    .help(Some(
        "it goes only into the message for your admin, never into a public issue; Enter to skip",
    ))
    .color(color)
    .ask();
    match h {
        Ok(h) => Ok(Some(h.trim().to_string()).filter(|s| !s.is_empty())),
        Err(NoAnswer::Back) => Ok(None),
        Err(e) => Err(stopped(e, None)),
    }
}

/// The title: something that tells this problem apart.
pub fn ask_title(form: &IssueForm, current: &str, color: bool) -> Asked<String> {
    let prefix = form.title.clone().unwrap_or_default();
    let initial = if current.trim().is_empty() {
        prefix.clone()
    } else {
        current.to_string()
    };
    Line::new("Title:")
        .initial(&initial)
        .help(Some(
            "a few words that tell this problem apart, e.g. `Replies land at the top of threads`",
        ))
        .color(color)
        .check(move |t: &str| {
            let t = t.trim();
            if t.is_empty() || (!prefix.trim().is_empty() && t == prefix.trim()) {
                Check::Invalid("say in a few words what goes wrong".into())
            } else if is_generic_title(t.strip_prefix(prefix.trim()).unwrap_or(t)) {
                Check::Invalid(
                    "that title would fit any issue; name what you did and what went wrong".into(),
                )
            } else if t.chars().count() > MAX_TITLE_CHARS {
                Check::Invalid(format!("at most {MAX_TITLE_CHARS} characters"))
            } else {
                Check::Ok
            }
        })
        .ask()
        .map(|t| t.trim().to_string())
}

/// Asks one field. `partial` receives a long answer while it is being
/// typed, so that Ctrl-C halfway through loses none of it.
pub fn ask_field(
    field: &Field<'_>,
    current: Option<&Answer>,
    io: &mut Io<'_>,
    partial: &mut dyn FnMut(&str),
) -> Asked<Answer> {
    // A form is someone else's text: shown through the sanitiser.
    let label = format!(
        "{}{}",
        printable(field.label),
        if field.required { "" } else { " (optional)" }
    );
    let help = field.description.map(|d| printable(d.trim()));
    let color = io.style.color;
    match field.kind {
        FieldKind::Input => {
            let initial = current.map(Answer::as_text).unwrap_or_default();
            let placeholder = field.placeholder.map(printable);
            let required = field.required;
            let version = is_version_field(field.label);
            let prompt = format!("{label}:");
            let typed = Line::new(&prompt)
                .initial(&initial)
                .placeholder(placeholder.as_deref())
                .help(help.as_deref())
                .color(color)
                .check(move |t: &str| check_input(t, required, version))
                .ask()?;
            let typed = typed.trim().to_string();
            Ok(Answer::Text(match read_version(&typed) {
                VersionAnswer::Version(v) if version => v,
                _ => typed,
            }))
        }
        FieldKind::Textarea => ask_textarea(field, &label, help.as_deref(), current, io, partial),
        FieldKind::Dropdown => {
            let mut options: Vec<Shown> = field.dropdown_options.iter().map(Shown::of).collect();
            let chosen = current.map(Answer::as_list).unwrap_or_default();
            if field.multiple {
                let defaults: Vec<usize> = options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| chosen.contains(&o.0))
                    .map(|(i, _)| i)
                    .collect();
                let required = field.required;
                let picked = MultiSelect::new(&label, options)
                    .with_default(&defaults)
                    .with_validator(move |l: &[inquire::list_option::ListOption<&Shown>]| {
                        Ok(if required && l.is_empty() {
                            Validation::Invalid("choose at least one".into())
                        } else {
                            Validation::Valid
                        })
                    })
                    .prompt()?;
                return Ok(Answer::List(picked.into_iter().map(|o| o.0).collect()));
            }
            if !field.required {
                options.push(Shown::of(NO_ANSWER));
            }
            let start = chosen
                .first()
                .and_then(|c| options.iter().position(|o| o.0 == *c))
                .or(field.default)
                .unwrap_or(0);
            let picked = Select::new(&label, options)
                .with_starting_cursor(start)
                .prompt()?;
            Ok(Answer::Text(if picked.0 == NO_ANSWER {
                String::new()
            } else {
                picked.0
            }))
        }
        FieldKind::Checkboxes => {
            let options: Vec<Shown> = field
                .checkbox_options
                .iter()
                .map(|o| Shown::of(&o.label))
                .collect();
            let ticked = current.map(Answer::as_list).unwrap_or_default();
            let defaults: Vec<usize> = options
                .iter()
                .enumerate()
                .filter(|(_, o)| ticked.contains(&o.0))
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
                .with_validator(move |l: &[inquire::list_option::ListOption<&Shown>]| {
                    let missing: Vec<&String> = required
                        .iter()
                        .filter(|r| !l.iter().any(|o| o.value.0 == **r))
                        .collect();
                    Ok(if missing.is_empty() {
                        Validation::Valid
                    } else {
                        Validation::Invalid(
                            format!(
                                "required: {}",
                                missing
                                    .iter()
                                    .map(|s| printable(s))
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            )
                            .into(),
                        )
                    })
                })
                .prompt()?;
            Ok(Answer::List(picked.into_iter().map(|o| o.0).collect()))
        }
    }
}

/// The check of a one-line answer: a required one may not be empty; a
/// Mastodon version is one as lint reads it (`Mastodon v4.3.1`, a fork's,
/// a nightly build, a commit), or "I don't know".
pub fn check_input(t: &str, required: bool, version: bool) -> Check {
    if t.trim().is_empty() {
        return if required {
            Check::Invalid("this answer is required (Esc goes back, Ctrl-C saves and stops)".into())
        } else {
            Check::Ok
        };
    }
    if version && read_version(t) == VersionAnswer::NotAVersion {
        return Check::Invalid(
            "not a Mastodon version: copy it from the bottom of the server's About page (e.g. v4.3.1), or type \"I don't know\"".into(),
        );
    }
    Check::Ok
}

const NO_ANSWER: &str = "(no answer)";

/// An option of a form: its text as given, shown through the sanitiser.
#[derive(Clone)]
struct Shown(String);

impl Shown {
    fn of(s: impl Into<String>) -> Shown {
        Shown(s.into())
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&printable(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_check_lets_every_honest_answer_through() {
        for ok in [
            "Mastodon v4.3.1",
            "v4.3.2+glitch",
            "4.2.10+hometown-1.1.1",
            "v4.5.0-nightly.2025-07-11",
            "0123abcd",
            "I don't know",
        ] {
            assert_eq!(check_input(ok, true, true), Check::Ok, "{ok}");
        }
        assert!(
            matches!(check_input("latest", true, true), Check::Invalid(m) if m.contains("I don't know"))
        );
        assert!(matches!(check_input(" ", true, false), Check::Invalid(_)));
        assert_eq!(check_input("", false, true), Check::Ok);
    }
}
