//! `preflight draft` and `preflight submit`: walk the form (or take the
//! answers from a file), check as you go, then file or redirect. Every
//! answer is saved the moment it is given. The pipeline itself is the
//! library's (`act::Session`, `checks::Checks`, `decision::decide`); this
//! asks the questions and tells the reporter what happened.

mod consult;
mod line;
mod prompts;
mod review;
mod tell;
mod textarea;
mod walk;

use super::args::{DraftArgs, Global};
use super::common::{display_name, services};
use super::render::{candidate_line, human_finding, reason_line};
use super::{exit, w, Failure, Io, Outcome};
use issue_preflight::act::{self, Session, Start};
use issue_preflight::checks::Checks;
use issue_preflight::decision::{Decision, OFFERED};
use issue_preflight::files::read_input;
use issue_preflight::services::Services;
use issue_preflight::text::printable;
use issue_preflight::Error;
use std::io::IsTerminal;

/// `preflight draft`.
pub fn run(global: &Global, args: DraftArgs, io: &mut Io<'_>) -> Outcome {
    let start = Start {
        template: args.template.clone(),
        instance: args.instance.clone(),
        handle: args.handle.clone(),
    };
    let interactive = !args.no_input && std::io::stdin().is_terminal();
    if let Some(file) = &args.answers {
        let services = services(global)?;
        let text = read_input(file)?;
        let forms = services.forms(false)?.set;
        let mut s = Session::from_draft_text(&services, forms, &text, &display_name(file), &start)?;
        if interactive {
            // With a terminal, answers from a file are defaults to review,
            // field by field.
            s.saved.next_field = 0;
            s.saved.title_done = false;
            return walk::walk(&services, s, args.web, io);
        }
        return scripted(&services, s, args.web, io);
    }
    if !interactive {
        return Err(Error::Usage(
            "`preflight draft` asks questions and needs a terminal; without one, pass --answers FILE --no-input".into(),
        )
        .into());
    }
    match &args.resume {
        Some(id) => {
            let services = services(global)?;
            let saved = prompts::pick_draft(&services.store(), id)?;
            // A draft resumes in the repository it was started for.
            let mut global = global.clone();
            if global.repo.is_none() {
                global.repo = saved.repo.parse().ok();
            }
            let services = super::common::services(&global)?;
            let forms = services.forms(false)?.set;
            let s = Session::resume(&services, forms, saved, &start)?;
            w(
                io.out,
                format!(
                    "Resuming draft {} ({} answers given).",
                    s.saved.id,
                    s.saved.draft.answers.len()
                ),
            )?;
            walk::walk(&services, s, args.web, io)
        }
        None => {
            let services = services(global)?;
            let forms = services.forms(false)?.set;
            let (form, spec) = match &args.template {
                Some(spec) => (forms.select(spec)?, Some(spec.as_str())),
                None => (prompts::choose_form(&forms)?, None),
            };
            let s = Session::new(&services, forms, form, spec, &start);
            walk::walk(&services, s, args.web, io)
        }
    }
}

/// `--answers FILE --no-input` and `submit`: the same checks, decision and
/// action, without a question.
pub fn scripted(services: &Services, mut s: Session, web: bool, io: &mut Io<'_>) -> Outcome {
    if let Some(url) = s.is_filed() {
        w(
            io.out,
            format!("Already filed: {} (draft {})", printable(url), s.saved.id),
        )?;
        return Ok(exit::CLEAN);
    }
    s.saved.title_done = true;
    s.saved.next_field = s.form.form.fields().count();
    let path = s.save()?;
    io.note(format_args!(
        "draft saved: {} ({})",
        s.saved.id,
        path.display()
    ))?;
    let submitted = act::submit(services, &mut s, web)?;
    show_checks(&submitted.checks, &submitted.decision, io)?;
    tell::acted(&submitted.acted, &s.saved.id, false, io)
}

/// The terminal's width in columns (80 when it cannot be told).
pub fn term_width() -> usize {
    #[cfg(unix)]
    {
        // SAFETY: TIOCGWINSZ fills the winsize it is given, nothing else.
        let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
        for fd in [libc::STDOUT_FILENO, libc::STDERR_FILENO, libc::STDIN_FILENO] {
            // SAFETY: as above; a descriptor that is no terminal fails.
            if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } == 0 && ws.ws_col > 0 {
                return usize::from(ws.ws_col);
            }
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|c| *c > 0)
        .unwrap_or(80)
}

/// The checks' findings, for people.
fn show_checks(c: &Checks, d: &Decision, io: &mut Io<'_>) -> Result<(), Failure> {
    for note in &c.notes {
        io.note(printable(note))?;
    }
    for f in &c.findings {
        w(io.out, human_finding(f, io.style))?;
    }
    w(
        io.out,
        format!(
            "triage: {} (confidence {:.2})",
            c.triage.verdict, c.triage.confidence
        ),
    )?;
    for r in c.triage.reasons.iter().take(4) {
        w(io.out, reason_line(r))?;
    }
    for cand in d.offered.iter().take(OFFERED) {
        w(
            io.out,
            format!("possible duplicate: {}", candidate_line(cand, io.style)),
        )?;
    }
    Ok(())
}
