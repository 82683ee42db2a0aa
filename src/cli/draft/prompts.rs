//! The questions, with inquire: picking a form or a draft, the title, and
//! each kind of field. Every prompt that is aborted says where the draft is.

use super::super::Io;
use inquire::validator::Validation;
use inquire::{Confirm, Editor, InquireError, MultiSelect, Select, Text};
use issue_preflight::checks::lint::{is_generic_title, is_mastodon_version, MAX_TITLE_CHARS};
use issue_preflight::draft::render::normalize;
use issue_preflight::draft::store::{SavedDraft, Store};
use issue_preflight::draft::Answer;
use issue_preflight::form::{Field, FieldKind, FormSet, IssueForm, LoadedForm};
use issue_preflight::text::printable;
use issue_preflight::Error;

/// Maps an aborted prompt to an error that says where the draft is.
pub fn stopped(e: InquireError, id: Option<&str>) -> Error {
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
            let d = self.0.form.description.trim();
            write!(f, "{}: {}", printable(&self.0.form.name), printable(d))
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
            .map_err(|e| stopped(e, None))?
            .0,
    )
}

/// The reporter's handle, for the admin's message.
pub fn handle() -> Result<Option<String>, Error> {
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

pub fn ask_title(form: &IssueForm, current: &str) -> Result<String, InquireError> {
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
pub fn ask_field(
    field: &Field<'_>,
    current: Option<&Answer>,
    io: &mut Io<'_>,
    partial: &mut dyn FnMut(&str),
) -> Result<Answer, InquireError> {
    // A form is someone else's text: shown through the sanitiser.
    let label = format!(
        "{}{}",
        printable(field.label),
        if field.required { "" } else { " (optional)" }
    );
    let help = field.description.map(|d| printable(d.trim()));
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
            let placeholder = field.placeholder.map(printable);
            if let Some(ph) = &placeholder {
                p = p.with_placeholder(ph);
            }
            if let Some(h) = &help {
                p = p.with_help_message(h);
            }
            Ok(Answer::Text(p.prompt()?.trim().to_string()))
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
        return Ok(Answer::Text(normalize(&p.prompt()?)));
    }
    // No editor: a line at a time. A prefilled answer that is not just the
    // form's template can be kept as it is.
    let template = field
        .value
        .is_some_and(|v| normalize(v) == normalize(&current));
    if !current.trim().is_empty() && !template {
        let shown: Vec<String> = current.lines().map(printable).collect();
        let _ = writeln!(io.out, "{label} — current answer:\n{}", shown.join("\n"));
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
