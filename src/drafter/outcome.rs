//! Acting on the decision: file the issue, or hand the drafted text to
//! where it belongs. Shared by the interactive and the scripted drafter.

use super::Session;
use crate::body::render;
use crate::cli::common::runtime;
use crate::cli::{w, Io};
use crate::error::{exit, Error};
use crate::file::{
    copy_to_clipboard, html_base, open_in_browser, paste_sheet, prefilled_url, wants_screenshots,
};
use crate::github::{GitHub, NewIssue};
use crate::mastodon::Mastodon;
use crate::redirect::{admin_message, discussion_links, handover_text, mailto, security_channels};
use crate::store::{now, Status};
use crate::triage::Redirect;

/// Files the draft; returns the exit code. On an API failure the draft is
/// kept, and the error names what to run next.
pub fn file(s: &mut Session, io: &mut Io<'_>) -> Result<i32, Error> {
    if let Status::Filed { url, .. } = &s.saved.status {
        w(io.out, format!("Already filed: {url}"))?;
        return Ok(exit::CLEAN);
    }
    let form = s.form.clone();
    let title = s.saved.draft.title.trim().to_string();
    let body = render(&form.form, &s.saved.draft.answers);
    let gh = if s.web {
        None
    } else {
        Some(GitHub::from_env()?)
    };
    let Some(gh) = gh.filter(GitHub::has_token) else {
        return file_on_the_web(s, io);
    };
    let rt = runtime()?;

    // A create request that got no answer may still have created the
    // issue: look for it before filing again.
    if let Status::Filing { since } = s.saved.status {
        // A token that cannot name its user (an app's) still lets us look
        // for the title among everyone's recent issues.
        let me = match rt.block_on(gh.current_user_login()) {
            Ok(login) => login,
            Err(e) if e.is_network() => return Err(e.into()),
            Err(_) => String::new(),
        };
        let found = rt.block_on(gh.find_issue_by_title(&s.repo, &title, &me, Some(since)))?;
        if let Some(found) = found {
            w(
                io.out,
                format!("This draft was already filed: {}", found.url),
            )?;
            s.saved.status = Status::Filed {
                url: found.url,
                number: Some(found.number),
            };
            s.save()?;
            return Ok(exit::CLEAN);
        }
    }

    s.saved.status = Status::Filing { since: now() };
    s.save()?;
    let new = NewIssue {
        title,
        body,
        labels: form.form.labels.clone(),
        issue_type: form.form.issue_type.clone(),
    };
    match rt.block_on(gh.create_issue(&s.repo, &new)) {
        Ok(created) => {
            s.saved.status = Status::Filed {
                url: created.url.clone(),
                number: Some(created.number),
            };
            s.save()?;
            w(
                io.out,
                format!("Filed #{}: {}", created.number, created.url),
            )?;
            if created.dropped_labels || created.dropped_type {
                w(
                    io.out,
                    "The labels or the issue type were not set (no permission to set them); maintainers will add them.",
                )?;
            }
            if wants_screenshots(&form.form) {
                w(
                    io.out,
                    format!(
                        "A screenshot or a short recording helps with a visual bug: open {} and drag the files into a comment (the API cannot upload them).",
                        created.url
                    ),
                )?;
            }
            Ok(exit::CLEAN)
        }
        Err(e) => {
            // Only a request that may have reached GitHub keeps `Filing`.
            use crate::github::GitHubError as E;
            if !(e.is_network() || matches!(e, E::Server { .. } | E::Malformed { .. })) {
                s.saved.status = Status::Drafting;
            }
            s.save()?;
            Err(Error::Network(format!(
                "{e}; nothing is lost: the draft is saved as {}, and `preflight draft --resume {}` files it again",
                s.saved.id, s.saved.id
            )))
        }
    }
}

/// Without a token (or with `--web`): a prefilled new-issue URL, and the
/// answers in a file where the URL cannot carry them.
fn file_on_the_web(s: &mut Session, io: &mut Io<'_>) -> Result<i32, Error> {
    let title = s.saved.draft.title.trim().to_string();
    let p = prefilled_url(
        &html_base(),
        &s.repo,
        &s.form.file,
        &s.form.form,
        &title,
        &s.saved.draft.answers,
    );
    if !s.web {
        w(
            io.out,
            "No GitHub token (GITHUB_TOKEN, GH_TOKEN or `gh auth login`): finish on the web instead.",
        )?;
    }
    w(
        io.out,
        format!("Open this page to file the issue:\n  {}", p.url),
    )?;
    if !p.complete {
        let text = paste_sheet(&s.form.form, &title, &s.saved.draft.answers);
        let sheet = s.write_side("paste.txt", &text)?;
        if s.interactive {
            if let Some(tool) = copy_to_clipboard(&text) {
                w(
                    io.out,
                    format!("(your answers are also on the clipboard, via {tool})"),
                )?;
            }
        }
        w(
            io.out,
            format!(
                "The form's fields cannot be prefilled through the URL; your answers are in {}, ready to paste field by field.",
                sheet.display()
            ),
        )?;
    }
    if s.interactive && open_in_browser(&p.url) {
        w(io.out, "(opened in your browser)")?;
    }
    s.saved.status = Status::Redirected { to: p.url };
    s.save()?;
    Ok(exit::CLEAN)
}

/// Sends the reporter elsewhere with their text; returns the exit code.
pub fn redirect(s: &mut Session, to: Redirect, io: &mut Io<'_>) -> Result<i32, Error> {
    let text = handover_text(
        &s.form.form,
        s.saved.draft.title.trim(),
        &s.saved.draft.answers,
    );
    let file = s.write_side("handover.txt", &text)?;
    let target = match to {
        Redirect::InstanceAdmin => to_admin(s, &text, io)?,
        Redirect::Discussions => {
            let links = discussion_links(&s.set.config);
            w(
                io.out,
                "Questions are answered in the community, not on the issue tracker:",
            )?;
            if links.is_empty() {
                w(io.out, format!("  {}/discussions", s.repo.html_url()))?;
            }
            for (name, url) in &links {
                w(io.out, format!("  {name}: {url}"))?;
            }
            links
                .first()
                .map_or(format!("{}/discussions", s.repo.html_url()), |l| {
                    l.1.clone()
                })
        }
        Redirect::Security => {
            w(
                io.out,
                "This looks like a security vulnerability. Never report it in a public issue; use a private channel:",
            )?;
            let channels = s
                .set
                .security
                .as_deref()
                .map(security_channels)
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| vec![format!("{}/security/advisories/new", s.repo.html_url())]);
            for c in &channels {
                w(io.out, format!("  {c}"))?;
            }
            channels[0].clone()
        }
    };
    w(
        io.out,
        format!(
            "Your text is saved in {}, ready to paste or mail. Nothing was filed.",
            file.display()
        ),
    )?;
    s.saved.status = Status::Redirected { to: target };
    s.save()?;
    Ok(exit::FINDINGS)
}

fn to_admin(s: &mut Session, text: &str, io: &mut Io<'_>) -> Result<String, Error> {
    w(
        io.out,
        "This is for the admins of your own Mastodon server: only they can see and change your account and their server. The Mastodon developers cannot.",
    )?;
    let Some((server, reach)) = s.server() else {
        w(
            io.out,
            "Your server's admins are listed on its About page (https://YOUR-SERVER/about).",
        )?;
        return Ok("instance admin".into());
    };
    let handle = s.handle(io)?;
    let title = s.saved.draft.title.trim().to_string();
    let lookup = runtime()?.block_on(Mastodon::new(super::LOOKUP_TIMEOUT).lookup(&server, reach));
    match lookup {
        Ok(contact) => {
            w(
                io.out,
                format!("Your server: {} ({})", contact.title, contact.domain),
            )?;
            if let Some(email) = &contact.email {
                w(io.out, format!("  Write to: {email}"))?;
                w(
                    io.out,
                    format!("  Mail link: {}", mailto(email, &title, text)),
                )?;
            }
            if let Some(h) = contact.admin_handle() {
                w(io.out, format!("  Or message the admin account {h}:"))?;
                w(
                    io.out,
                    format!("    {}", admin_message(&contact, handle.as_deref(), &title)),
                )?;
            }
            if contact.email.is_none() && contact.account.is_none() {
                w(
                    io.out,
                    format!(
                        "  The server publishes no contact; see {}",
                        contact.about_url
                    ),
                )?;
            }
            Ok(format!("admin of {}", contact.domain))
        }
        Err(e) => {
            let about = crate::mastodon::normalize_server(&server)
                .map(|a| a.about_url())
                .unwrap_or_else(|_| format!("https://{server}/about"));
            w(io.out, format!("Could not look up the admins: {e}"))?;
            w(
                io.out,
                format!("Their contact is on the server's About page: {about}"),
            )?;
            Ok(format!("admin of {server}"))
        }
    }
}
