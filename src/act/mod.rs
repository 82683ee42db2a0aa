//! Acting on the decision for a draft: file it ([`file`]), or hand the
//! drafted text to where it belongs ([`redirect`]). A [`Session`] is one
//! draft on its way: its form, its saved copy, and the reporter's server.
//! [`submit`] is the whole pipeline for a draft that nobody is asked about.
//!
//! Nothing here prints: each step returns what happened, and the front end
//! tells the reporter.

pub mod file;
pub mod redirect;

use crate::checks::{named_server, Checks, Scope};
use crate::decision::{decide_with, Decision, Outcome};
use crate::draft::store::{parse_draft, SavedDraft, Status, Store};
use crate::draft::{answer_for, Answer, Document, Draft};
use crate::error::Error;
use crate::form::{FieldKind, FormSet, LoadedForm};
use crate::mastodon::{normalize_server, server_of_handle, servers_in, ServerAddr};
use crate::services::{Named, Services};
use std::path::PathBuf;

/// One draft on its way to being filed or redirected.
#[derive(Debug, Clone)]
pub struct Session {
    pub forms: FormSet,
    pub form: LoadedForm,
    pub store: Store,
    pub saved: SavedDraft,
    /// The reporter's server as they named it (`--instance`, or typed when
    /// asked): any address may be contacted.
    pub instance: Option<String>,
    /// The reporter's account, for the message to their admin only.
    pub handle: Option<String>,
}

/// How a session starts.
#[derive(Debug, Clone, Default)]
pub struct Start {
    /// `--template`: a form's name, file name or path.
    pub template: Option<String>,
    /// `--instance`.
    pub instance: Option<String>,
    pub handle: Option<String>,
}

impl Session {
    /// A new draft of `form`. `spec` is how the form was named: a form
    /// given by path is saved by its full path, so that `--resume` finds it
    /// again from any folder.
    pub fn new(
        services: &Services,
        forms: FormSet,
        form: LoadedForm,
        spec: Option<&str>,
        start: &Start,
    ) -> Session {
        let template = match spec {
            Some(spec) if forms.find(spec).is_none() => {
                std::fs::canonicalize(spec).map_or(spec.to_string(), |p| p.display().to_string())
            }
            _ => form.file.clone(),
        };
        let mut saved = SavedDraft::new(&services.repo().to_string(), &template);
        saved.instance = start.instance.clone();
        Session {
            forms,
            form,
            store: services.store(),
            saved,
            instance: start.instance.clone(),
            handle: start.handle.clone(),
        }
    }

    /// A session for the draft in `text` (a draft YAML, or one the drafter
    /// saved). The same answers given again continue their saved draft, so
    /// a script run twice cannot file the same issue twice. A saved draft's
    /// id is only ever looked up in the store, never used to name a file.
    pub fn from_draft_text(
        services: &Services,
        forms: FormSet,
        text: &str,
        origin: &str,
        start: &Start,
    ) -> Result<Session, Error> {
        let (draft, saved) = parse_draft(text).map_err(|e| {
            Error::input(
                origin,
                format!("is not a draft (YAML with template, title, answers): {e}"),
            )
        })?;
        let spec = start
            .template
            .clone()
            .unwrap_or_else(|| draft.template.clone());
        if spec.trim().is_empty() {
            return Err(Error::input(
                origin,
                "names no `template`; add one or pass --template",
            ));
        }
        let form = forms.select(&spec)?;
        let mut s = Session::new(services, forms, form, Some(&spec), start);
        s.saved.draft.title = draft.title.clone();
        s.saved.draft.answers = draft.answers.clone();
        s.saved.draft.questions = draft.questions;
        let store = &s.store;
        let earlier = saved
            .and_then(|file| store.load(&file.id).ok())
            .or_else(|| continued(store, &s.saved.repo, &s.saved.draft));
        if let Some(mut e) = earlier {
            // What the file says now wins over the stored copy's answers.
            e.draft.title = draft.title;
            e.draft.answers = draft.answers;
            e.draft.questions = draft.questions;
            e.instance = start.instance.clone().or(e.instance);
            s.saved = e;
        }
        Ok(s)
    }

    /// A saved draft, continued.
    pub fn resume(
        services: &Services,
        forms: FormSet,
        saved: SavedDraft,
        start: &Start,
    ) -> Result<Session, Error> {
        if let Status::Filed { url, .. } = &saved.status {
            return Err(Error::Usage(format!(
                "draft {} was already filed as {url}; nothing to resume",
                saved.id
            )));
        }
        let form = forms.select(&saved.draft.template)?;
        let instance = start.instance.clone().or_else(|| saved.instance.clone());
        Ok(Session {
            forms,
            form,
            store: services.store(),
            saved,
            instance,
            handle: start.handle.clone(),
        })
    }

    pub fn save(&mut self) -> Result<PathBuf, Error> {
        self.store.save(&mut self.saved)
    }

    /// Writes a file beside the saved draft, e.g. the text handed over.
    pub fn write_side(&self, suffix: &str, text: &str) -> Result<PathBuf, Error> {
        self.store.write_side(&self.saved.id, suffix, text)
    }

    pub fn document(&self) -> Document {
        Document::for_form(
            self.form.clone(),
            self.saved.draft.title.clone(),
            self.saved.draft.answers.clone(),
        )
    }

    pub fn title(&self) -> String {
        self.saved.draft.title.trim().to_string()
    }

    /// The reporter's server and who named it. On purpose (any address):
    /// `--instance`, or what they typed when asked. Read from text (public
    /// addresses only): their handle, the form's instance answer, else the
    /// first server the title or the other answers name.
    pub fn server(&self) -> Option<(ServerAddr, Named)> {
        if let Some(s) = self.instance.as_deref().or(self.saved.instance.as_deref()) {
            if let Ok(addr) = normalize_server(s) {
                return Some((addr, Named::ByUser));
            }
        }
        let doc = self.document();
        let handle = self.handle.as_deref().and_then(server_of_handle);
        let mentioned = || {
            let title = doc.title.clone().unwrap_or_default();
            let answers = doc
                .meaningful_fields()
                .into_iter()
                .filter(|(label, _)| !is_instance_field(label))
                .map(|(_, v)| v);
            std::iter::once(title)
                .chain(answers)
                .flat_map(|t| servers_in(&t))
                .find(|s| normalize_server(s).is_ok())
        };
        handle
            .or_else(|| named_server(&doc))
            .or_else(mentioned)
            .and_then(|s| normalize_server(&s).ok())
            .map(|addr| (addr, Named::InText))
    }

    /// Whether the reporter named their server on purpose (`--instance`,
    /// or typed when asked).
    pub fn server_given(&self) -> bool {
        matches!(self.server(), Some((_, Named::ByUser)))
    }

    /// The reporter typed their server when asked: it may be contacted
    /// whatever it is, it is kept with the draft, and it answers the
    /// form's instance field.
    pub fn set_server(&mut self, typed: &str) -> Result<ServerAddr, Error> {
        let addr = normalize_server(typed).map_err(|e| Error::Usage(e.to_string()))?;
        self.instance = Some(typed.trim().to_string());
        self.saved.instance = self.instance.clone();
        if let Some(key) = self.instance_field().map(str::to_string) {
            self.saved
                .draft
                .answers
                .insert(key, Answer::Text(addr.domain.clone()));
        }
        Ok(addr)
    }

    /// The key of the form's field for the reporter's server ("Mastodon
    /// instance"), if it has one.
    pub fn instance_field(&self) -> Option<&str> {
        self.form
            .form
            .fields()
            .find(|f| is_instance_field(f.label) && f.kind == FieldKind::Input)
            .map(|f| f.key())
    }

    /// The server's own version, as its About page shows it (`v4.3.1`),
    /// when the server is known and may be asked.
    pub fn server_version(&self, services: &Services) -> Option<String> {
        let (addr, named) = self.server()?;
        let v = services.contact(&addr, named).ok()?.version?;
        Some(if v.starts_with(|c: char| c.is_ascii_digit()) {
            format!("v{v}")
        } else {
            v
        })
    }

    /// Moves the draft to another form: answers go over by label, the
    /// title stays, and the walk starts again from the new form's first
    /// field. Gives the labels of the answers the new form has no field for.
    pub fn switch_form(&mut self, form: LoadedForm) -> Vec<String> {
        let old = std::mem::take(&mut self.saved.draft.answers);
        let mut dropped = Vec::new();
        for field in self.form.form.fields() {
            let Some(a) = answer_for(&old, &field).filter(|a| !a.is_empty()) else {
                continue;
            };
            match form.form.field(field.label) {
                Some(to) if to.kind == field.kind => {
                    self.saved
                        .draft
                        .answers
                        .insert(to.key().to_string(), a.clone());
                }
                _ => dropped.push(field.label.to_string()),
            }
        }
        self.saved.draft.template = form.file.clone();
        self.saved.next_field = 0;
        self.form = form;
        dropped
    }

    pub fn is_filed(&self) -> Option<&str> {
        match &self.saved.status {
            Status::Filed { url, .. } => Some(url),
            _ => None,
        }
    }
}

/// Whether a field asks for the reporter's server ("Mastodon instance").
pub fn is_instance_field(label: &str) -> bool {
    let l = label.to_lowercase();
    l.contains("instance") || l.contains("server address")
}

/// The form for people who run the server, if the repository has one.
pub fn troubleshooting_form(forms: &FormSet) -> Option<&LoadedForm> {
    forms.forms.iter().find(|f| {
        f.form
            .issue_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("troubleshooting"))
            || f.form.name.to_lowercase().contains("troubleshoot")
    })
}

/// The saved draft these very answers belong to, if any.
fn continued(store: &Store, repo: &str, draft: &Draft) -> Option<SavedDraft> {
    store
        .list()
        .into_iter()
        .find(|e| e.repo == repo && e.draft == *draft)
}

/// What was done with a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Acted {
    Filed(file::Filed),
    Redirected(redirect::Redirected),
    /// An existing issue is the same; nothing was filed.
    Duplicate {
        number: u64,
        url: String,
    },
    /// Lint errors stand in the way; the draft is saved.
    Fix {
        errors: usize,
    },
    /// The reporter runs the server: this form is the one to use.
    UseForm {
        file: String,
        name: String,
    },
}

/// The whole pipeline for a draft nobody is asked about (`submit`,
/// `draft --answers --no-input`): checks, decision, and acting on it.
pub struct Submitted {
    pub checks: Checks,
    pub decision: Decision,
    pub acted: Acted,
}

/// Checks the session's draft, decides, and acts: files it, or redirects,
/// or stops at a duplicate or lint errors. Nobody can be asked, so every
/// outcome but filing stops the draft here.
pub fn submit(services: &Services, s: &mut Session, web: bool) -> Result<Submitted, Error> {
    let doc = s.document();
    let scope = Scope {
        search: true,
        limit: 5,
        ..Scope::default()
    };
    let checks = Checks::run(services, &s.forms, &doc, &scope)?;
    let decision = decide_with(&checks, &s.saved.draft.questions, services.policy());
    let acted = carry_out(services, s, &decision.outcome, web)?;
    Ok(Submitted {
        checks,
        decision,
        acted,
    })
}

/// Carries out an outcome for the session's draft.
pub fn carry_out(
    services: &Services,
    s: &mut Session,
    outcome: &Outcome,
    web: bool,
) -> Result<Acted, Error> {
    Ok(match outcome {
        Outcome::File => Acted::Filed(file::file(services, s, web)?),
        Outcome::Redirect { to } => Acted::Redirected(redirect::redirect(services, s, *to)?),
        Outcome::Duplicate { number, url, .. } => {
            s.saved.status = Status::Redirected { to: url.clone() };
            s.save()?;
            Acted::Duplicate {
                number: *number,
                url: url.clone(),
            }
        }
        Outcome::Fix { errors } => {
            s.save()?;
            Acted::Fix { errors: *errors }
        }
        Outcome::Troubleshooting => match troubleshooting_form(&s.forms)
            .filter(|f| f.file != s.form.file)
            .map(|f| (f.file.clone(), f.form.name.clone()))
        {
            Some((file, name)) => {
                s.save()?;
                Acted::UseForm { file, name }
            }
            // Already on it, or the repository has none: file as it is.
            _ => Acted::Filed(file::file(services, s, web)?),
        },
    })
}
