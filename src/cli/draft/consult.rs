//! What the drafter does between answers: checks the draft so far and,
//! when the text alone cannot settle where it belongs, asks. First the
//! reporter's server (so that its admins can be found), then up to three
//! questions; their answers go into the one decision. A redirect is
//! explained before it is offered; a vulnerability is never filed; "I run
//! this server" moves the draft to the Troubleshooting form.

use super::line::{Asked, Check, Line, NoAnswer};
use super::prompts::{confirm, handle, stopped};
use super::tell;
use crate::cli::{w, Failure, Io};
use inquire::Select;
use issue_preflight::act::{redirect, troubleshooting_form, Acted, Session};
use issue_preflight::checks::triage::{has_signal, Redirect, Triage, Verdict};
use issue_preflight::checks::Checks;
use issue_preflight::decision::{decide_with, uncertain};
use issue_preflight::draft::{Facts, Question, Settled};
use issue_preflight::mastodon::normalize_server;
use issue_preflight::services::Services;
use issue_preflight::text::printable;

/// What the walk keeps between answers.
#[derive(Debug, Default)]
pub struct Walk {
    /// The questions were asked (at most once a draft).
    pub asked: bool,
    /// A redirect read from the text alone was offered.
    pub offered: bool,
    /// Why the draft looked like it belonged elsewhere, when the reporter
    /// chose to file it anyway: the review reminds them.
    pub declined: Option<String>,
    /// Answers carried over from another form: not asked again.
    pub carried: Vec<String>,
    /// The reporter typed their server when asked: the form's instance
    /// field holds it and is not asked again.
    pub server_typed: bool,
    /// The server's own version, once looked up.
    pub version: Option<Option<String>>,
    /// "It also happens elsewhere" is to go into the description.
    pub elsewhere_note: bool,
}

/// Where the walk goes on.
pub enum Next {
    Go,
    /// Redirected, or otherwise finished: the exit code.
    Done(i32),
    /// The draft moved to another form: walk it from its first field.
    Restart,
}

/// The sentence "reproduced elsewhere" adds to the description.
pub const ELSEWHERE_NOTE: &str = "It also happens on another server, or when logged out.";

/// Checks the draft so far and acts on what the checks and the answers
/// say; `Next::Go` goes on with the form.
pub fn consult(
    services: &Services,
    s: &mut Session,
    walk: &mut Walk,
    io: &mut Io<'_>,
) -> Result<Next, Failure> {
    let checks = Checks::local(services, &s.forms, &s.document());
    let policy = services.policy();
    let t = &checks.triage;
    let d = decide_with(&checks, &s.saved.draft.questions, policy);
    if d.redirect == Some(Redirect::Security) {
        // Never filed in public, whatever was answered.
        explain_text(t, Redirect::Security, io)?;
        return send_away(services, s, Redirect::Security, io).map(Next::Done);
    }
    // A server's own trouble on the form for it is where it belongs.
    let settled_by_form = t.verdict == Verdict::Troubleshooting
        && troubleshooting_form(&s.forms).is_some_and(|f| f.file == s.form.file);
    if !walk.asked && !settled_by_form && has_signal(t) && uncertain(t, policy) {
        walk.asked = true;
        let id = s.saved.id.clone();
        w(
            io.out,
            format!(
                "\nThis may be for your own server's admins rather than for the developers (support {:.0}%), but the text alone cannot tell.",
                t.support * 100.0
            ),
        )?;
        if !s.server_given() && !walk.server_typed && instance_unanswered(s) {
            match ask_server(s, io) {
                Ok(true) => walk.server_typed = true,
                Ok(false) | Err(NoAnswer::Back) => {}
                Err(e) => return Err(stopped(e, Some(&id)).into()),
            }
            s.save()?;
        }
        match ask_questions(s, io) {
            Ok(()) | Err(NoAnswer::Back) => {}
            Err(e) => return Err(stopped(e, Some(&id)).into()),
        }
        s.save()?;
        let facts = s.saved.draft.questions;
        return match facts.settle() {
            Some(Settled::Security) => {
                w(
                    io.out,
                    "\nIf it could be misused, it must not be reported in public.",
                )?;
                send_away(services, s, Redirect::Security, io).map(Next::Done)
            }
            Some(Settled::Troubleshooting) => to_troubleshooting(s, io),
            Some(Settled::OwnServer) => {
                let why = if facts.own_account == Some(true) {
                    "it is about your own account, which only your server's admins can see and change"
                } else {
                    "it happens only on your server, which you don't run: its admins can look into it, the Mastodon developers cannot"
                };
                w(
                    io.out,
                    format!("\nThis is for your server's admins: {why}."),
                )?;
                offer(services, s, walk, Redirect::InstanceAdmin, why, io)
            }
            Some(Settled::Software) => {
                w(io.out, "\nThen it is Mastodon's: going on with the report.")?;
                walk.elsewhere_note = confirm(
                    &format!("Add \"{ELSEWHERE_NOTE}\" to the description?"),
                    true,
                )
                .map_err(|e| stopped(e, Some(&id)))?;
                Ok(Next::Go)
            }
            None => {
                w(io.out, "\nGoing on with the report.")?;
                Ok(Next::Go)
            }
        };
    }
    match d.redirect {
        Some(to) if !walk.offered && has_signal(t) => {
            walk.offered = true;
            explain_text(t, to, io)?;
            offer(services, s, walk, to, "of what the text says", io)
        }
        _ => Ok(Next::Go),
    }
}

/// Whether the form's instance field, if it has one, is still unanswered.
fn instance_unanswered(s: &Session) -> bool {
    s.instance_field()
        .is_none_or(|key| s.saved.draft.answers.get(key).is_none_or(|a| a.is_empty()))
}

/// Asks for the reporter's server, starting from the one the text names;
/// `false` when they gave none.
fn ask_server(s: &mut Session, io: &mut Io<'_>) -> Asked<bool> {
    let guess = s.server().map(|(a, _)| a.domain).unwrap_or_default();
    let typed = Line::new("Which Mastodon server is your account on?")
        .initial(&guess)
        .help(Some(
            "its admins are the ones who can help with accounts and with that server, e.g. mastodon.social; Enter on nothing skips",
        ))
        .color(io.style.color)
        .check(|t: &str| match normalize_server(t) {
            _ if t.trim().is_empty() => Check::Ok,
            Ok(_) => Check::Ok,
            Err(e) => Check::Invalid(e.to_string()),
        })
        .ask()?;
    if typed.trim().is_empty() {
        return Ok(false);
    }
    match s.set_server(&typed) {
        Ok(addr) => {
            let _ = writeln!(io.out, "  Your server: {}", printable(&addr.domain));
            Ok(true)
        }
        Err(_) => Ok(false),
    }
}

const YES: &str = "Yes";
const NO: &str = "No";
const DONT_KNOW: &str = "I don't know";

/// Up to three questions, each with why it matters; Esc goes back one.
fn ask_questions(s: &mut Session, io: &mut Io<'_>) -> Asked<()> {
    let _ = writeln!(io.out, "A few questions settle it:");
    let mut facts: Facts = s.saved.draft.questions;
    let mut asked: Vec<Question> = Vec::new();
    while let Some(q) = facts.next_question(&asked) {
        let pick = Select::new(q.text(), vec![YES, NO, DONT_KNOW])
            .with_help_message(&format!("why it matters: {}", q.why()))
            .prompt()
            .map_err(NoAnswer::from);
        match pick {
            Ok(a) => {
                q.record(
                    &mut facts,
                    match a {
                        YES => Some(true),
                        NO => Some(false),
                        _ => None,
                    },
                );
                asked.push(q);
            }
            Err(NoAnswer::Back) => match asked.pop() {
                Some(prev) => prev.record(&mut facts, None),
                None => return Err(NoAnswer::Back),
            },
            Err(e) => return Err(e),
        }
        s.saved.draft.questions = facts;
        let _ = s.save();
    }
    Ok(())
}

/// The reasons the text gives for a redirect, before it is offered.
fn explain_text(t: &Triage, to: Redirect, io: &mut Io<'_>) -> Result<(), Failure> {
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
    Ok(())
}

/// Offers the redirect (its reason already shown); declining goes on with
/// the report, and the review will remind the reporter why.
fn offer(
    services: &Services,
    s: &mut Session,
    walk: &mut Walk,
    to: Redirect,
    why: &str,
    io: &mut Io<'_>,
) -> Result<Next, Failure> {
    let go = confirm(
        "Go there now instead of filing here? Your text comes along.",
        true,
    )
    .map_err(|e| stopped(e, Some(&s.saved.id)))?;
    if go {
        return send_away(services, s, to, io).map(Next::Done);
    }
    let place = match to {
        Redirect::InstanceAdmin => "your server's admins",
        Redirect::Discussions => "the community's Discussions",
        Redirect::Security => "the private security channel",
    };
    walk.declined = Some(format!("it looked like one for {place}, because {why}"));
    w(io.out, "Going on with the report.\n")?;
    Ok(Next::Go)
}

/// "I run this server": the Troubleshooting form, with the answers so far.
fn to_troubleshooting(s: &mut Session, io: &mut Io<'_>) -> Result<Next, Failure> {
    let Some(form) = troubleshooting_form(&s.forms)
        .filter(|f| f.file != s.form.file)
        .cloned()
    else {
        w(io.out, "\nGoing on with the report.")?;
        return Ok(Next::Go);
    };
    w(
        io.out,
        format!(
            "\nYou run this server: its trouble belongs in the form \"{}\", which asks for what helps with your own install (logs, versions, how it is deployed).",
            printable(&form.form.name)
        ),
    )?;
    let switch = confirm("Switch to that form? Your answers come along.", true)
        .map_err(|e| stopped(e, Some(&s.saved.id)))?;
    if !switch {
        w(io.out, "Going on with the report.\n")?;
        return Ok(Next::Go);
    }
    let name = form.form.name.clone();
    let left = s.switch_form(form);
    s.save()?;
    w(
        io.out,
        format!("\n{} — your answers came along.", printable(&name)),
    )?;
    if !left.is_empty() {
        let left: Vec<String> = left.iter().map(|l| printable(l)).collect();
        w(
            io.out,
            format!("  Not in this form, left out: {}.", left.join(", ")),
        )?;
    }
    Ok(Next::Restart)
}

/// Redirects the reporter, asking for their account first where it helps
/// the message to their admin.
pub fn send_away(
    services: &Services,
    s: &mut Session,
    to: Redirect,
    io: &mut Io<'_>,
) -> Result<i32, Failure> {
    if to == Redirect::InstanceAdmin && s.handle.is_none() && s.server().is_some() {
        s.handle = handle(io.style.color)?;
    }
    let r = redirect::redirect(services, s, to)?;
    tell::acted(&Acted::Redirected(r), &s.saved.id, true, io)
}
