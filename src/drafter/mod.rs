//! `preflight draft` and `preflight submit`: walk the form (or take the
//! answers from a file), check as you go, then file or redirect. Every
//! answer is saved the moment it is given.

mod ask;
mod outcome;

use crate::checks::lint::{Finding, Severity};
use crate::checks::{dupes_query, named_server, triage_input};
use crate::cli::args::{DraftArgs, Global, SubmitArgs};
use crate::cli::common::{index_path, load_forms, repo};
use crate::cli::{w, Io};
use crate::decision::{decide, Decision, Thresholds};
use crate::document::Document;
use crate::dupes::Candidate;
use crate::error::{exit, Error};
use crate::form::{FormSet, LoadedForm};
use crate::input::read_input;
use crate::mastodon::Reach;
use crate::repo::Repo;
use crate::report;
use crate::store::{SavedDraft, Store};
use crate::triage::{triage, Triage};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

/// How long a Mastodon server may take to say who runs it.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(8);

/// One drafting session: the form, the saved draft, and where it goes.
pub struct Session {
    pub global: Global,
    pub repo: Repo,
    pub set: FormSet,
    pub form: LoadedForm,
    pub store: Store,
    pub saved: SavedDraft,
    pub web: bool,
    pub interactive: bool,
    pub instance: Option<String>,
    pub handle: Option<String>,
}

impl Session {
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

    /// The reporter's server, and where a lookup of it may go:
    /// `--instance` is the user's own choice (any server); one read from a
    /// saved draft or from the answers is untrusted text (public servers
    /// only).
    pub fn server(&self) -> Option<(String, Reach)> {
        self.instance
            .clone()
            .map(|s| (s, Reach::Anywhere))
            .or_else(|| self.saved.instance.clone().map(|s| (s, Reach::PublicOnly)))
            .or_else(|| named_server(&self.document()).map(|s| (s, Reach::PublicOnly)))
    }

    /// The reporter's handle, for the admin's message only; asked for on
    /// this path alone, and never saved into the issue.
    fn handle(&mut self, io: &mut Io<'_>) -> Result<Option<String>, Error> {
        if self.handle.is_none() && self.interactive {
            self.handle = ask::handle(io)?;
        }
        Ok(self.handle.clone())
    }
}

/// What the checks found.
pub struct Checks {
    pub findings: Vec<Finding>,
    pub triage: Triage,
    pub candidates: Vec<Candidate>,
}

/// Lint, triage and (when there is a title) duplicate search; a search
/// that cannot run is reported and skipped, never fatal.
pub fn run_checks(s: &Session, io: &mut Io<'_>, search: bool) -> Result<Checks, Error> {
    let doc = s.document();
    let findings = doc.lint(&s.set);
    let triage = triage(&triage_input(&doc));
    let candidates = if search && doc.title.as_deref().is_some_and(|t| !t.trim().is_empty()) {
        find_duplicates(s, &doc, io)?
    } else {
        Vec::new()
    };
    Ok(Checks {
        findings,
        triage,
        candidates,
    })
}

fn find_duplicates(s: &Session, doc: &Document, io: &mut Io<'_>) -> Result<Vec<Candidate>, Error> {
    let index = index_path(&s.global, &s.repo)?;
    match crate::cli::dupes_find(&s.repo, &index, &dupes_query(doc), 5, false) {
        Ok(found) => {
            if let Some(note) = found.note {
                w(io.err, format!("note: {note}"))?;
            }
            Ok(found.candidates)
        }
        Err(e) => {
            w(io.err, format!("note: duplicate search skipped: {e}"))?;
            Ok(Vec::new())
        }
    }
}

/// `preflight draft`.
pub fn run(global: &Global, args: DraftArgs, io: &mut Io<'_>) -> Result<i32, Error> {
    let store = Store::from_env()?;
    if let Some(file) = &args.answers {
        if !args.no_input && std::io::stdin().is_terminal() {
            // With a terminal, answers from a file are defaults to review,
            // field by field.
            let mut s = start(global, &args, store, Some(file))?;
            s.saved.next_field = 0;
            s.saved.title_done = false;
            return ask::walk(s, io);
        }
        return scripted(start(global, &args, store, Some(file))?, io);
    }
    if args.no_input || !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "`preflight draft` asks questions and needs a terminal; without one, pass --answers FILE --no-input".into(),
        ));
    }
    let session = match &args.resume {
        Some(id) => ask::resume(global, &args, store, id, io)?,
        None => start(global, &args, store, None)?,
    };
    ask::walk(session, io)
}

/// `preflight submit FILE`: the scripted drafter on a saved draft.
pub fn submit(global: &Global, args: SubmitArgs, io: &mut Io<'_>) -> Result<i32, Error> {
    let draft_args = DraftArgs {
        template: None,
        instance: args.instance,
        resume: None,
        web: args.web,
        answers: Some(args.file),
        no_input: true,
        handle: None,
    };
    let session = start(
        global,
        &draft_args,
        Store::from_env()?,
        draft_args.answers.as_deref(),
    )?;
    scripted(session, io)
}

/// A new session, from an answers file or from scratch (the form then
/// chosen interactively unless `--template` names it).
fn start(
    global: &Global,
    args: &DraftArgs,
    store: Store,
    answers: Option<&str>,
) -> Result<Session, Error> {
    let set = load_forms(global)?;
    let repo = repo(global);
    let mut earlier: Option<SavedDraft> = None;
    let (form, draft, spec) = match answers {
        Some(file) => {
            let text = read_input(file)?;
            let (draft, saved) = crate::store::parse_draft(&text).map_err(|e| {
                Error::input(
                    file,
                    format!("is not a draft (YAML with template, title, answers): {e}"),
                )
            })?;
            // A draft the drafter saved keeps its id and status.
            earlier = saved;
            let spec = args
                .template
                .clone()
                .unwrap_or_else(|| draft.template.clone());
            if spec.trim().is_empty() {
                return Err(Error::input(
                    file,
                    "names no `template`; add one or pass --template",
                ));
            }
            (set.select(&spec)?, Some(draft), Some(spec))
        }
        None => match &args.template {
            Some(spec) => (set.select(spec)?, None, Some(spec.clone())),
            None => (ask::choose_form(&set)?, None, None),
        },
    };
    // A form given by path is saved by its full path, so that `--resume`
    // finds it again from any folder.
    let template = match spec {
        Some(spec) if set.find(&spec).is_none() => {
            std::fs::canonicalize(&spec).map_or(spec, |p| p.display().to_string())
        }
        _ => form.file.clone(),
    };
    let mut saved = SavedDraft::new(&repo.to_string(), &template);
    if let Some(d) = draft {
        saved.draft.title = d.title;
        saved.draft.answers = d.answers;
        // The same answers given again continue their saved draft, so a
        // script run twice cannot file the same issue twice.
        if let Some(e) = earlier.or_else(|| {
            store
                .list()
                .into_iter()
                .find(|e| e.repo == saved.repo && e.draft == saved.draft)
        }) {
            saved = e;
        }
    }
    saved.instance = args.instance.clone().or(saved.instance);
    Ok(Session {
        global: global.clone(),
        repo,
        set,
        form,
        store,
        saved,
        web: args.web,
        interactive: !args.no_input && std::io::stdin().is_terminal(),
        instance: args.instance.clone(),
        handle: args.handle.clone(),
    })
}

/// `--answers FILE --no-input`: the same checks, decision and action,
/// without a question.
fn scripted(mut s: Session, io: &mut Io<'_>) -> Result<i32, Error> {
    if let crate::store::Status::Filed { url, .. } = &s.saved.status {
        w(
            io.out,
            format!("Already filed: {url} (draft {})", s.saved.id),
        )?;
        return Ok(exit::CLEAN);
    }
    s.saved.title_done = true;
    s.saved.next_field = s.form.form.fields().count();
    let path = s.save()?;
    w(
        io.err,
        format!("draft saved: {} ({})", s.saved.id, path.display()),
    )?;
    let checks = run_checks(&s, io, true)?;
    show_checks(&checks, io)?;
    let decision = decide(
        &checks.findings,
        &checks.triage,
        &checks.candidates,
        Thresholds::default(),
    );
    act(&mut s, decision, io)
}

/// Carries out a decision; returns the exit code.
pub fn act(s: &mut Session, decision: Decision, io: &mut Io<'_>) -> Result<i32, Error> {
    match decision {
        Decision::File => outcome::file(s, io),
        Decision::Redirect { to } => outcome::redirect(s, to, io),
        Decision::Duplicate { number, url, .. } => {
            w(
                io.out,
                format!(
                    "#{number} looks like the same problem: {url}\nNothing was filed. Add a 👍 reaction there, or a comment with anything new you know."
                ),
            )?;
            s.saved.status = crate::store::Status::Redirected { to: url };
            s.save()?;
            Ok(exit::FINDINGS)
        }
        Decision::Fix { errors } => {
            w(
                io.err,
                format!(
                    "error: the answers have {errors} problem{} to fix before filing (draft {} is saved)",
                    if errors == 1 { "" } else { "s" },
                    s.saved.id
                ),
            )?;
            Ok(exit::FINDINGS)
        }
    }
}

/// The checks' findings, for people.
pub fn show_checks(c: &Checks, io: &mut Io<'_>) -> Result<(), Error> {
    for f in &c.findings {
        w(io.out, report::human_finding(f, io.style))?;
    }
    w(
        io.out,
        format!(
            "triage: {} (confidence {:.2})",
            c.triage.verdict, c.triage.confidence
        ),
    )?;
    for r in c.triage.reasons.iter().take(4) {
        w(io.out, crate::report::reason_line(r))?;
    }
    for cand in c.candidates.iter().take(3) {
        w(
            io.out,
            format!(
                "possible duplicate: {:.2} #{} {} {}",
                cand.score,
                cand.number,
                crate::report::printable(&cand.title),
                crate::report::printable(&cand.url)
            ),
        )?;
    }
    Ok(())
}

/// Whether the findings block filing.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
