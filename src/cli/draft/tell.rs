//! Telling the reporter what was done with their draft.

use super::super::desktop;
use super::super::{exit, w, Failure, Io};
use issue_preflight::act::file::Filed;
use issue_preflight::act::redirect::{Admin, Redirected, Target};
use issue_preflight::act::Acted;
use issue_preflight::text::printable as p;

/// What was done, for people; returns the exit code.
pub fn acted(acted: &Acted, id: &str, interactive: bool, io: &mut Io<'_>) -> Result<i32, Failure> {
    match acted {
        Acted::Filed(f) => filed(f, interactive, io),
        Acted::Redirected(r) => redirected(r, io),
        Acted::Duplicate { number, url } => {
            w(
                io.out,
                format!(
                    "#{number} looks like the same problem: {}\nNothing was filed. Add a 👍 reaction there, or a comment with anything new you know.",
                    p(url)
                ),
            )?;
            Ok(exit::FINDINGS)
        }
        Acted::UseForm { file, name } => {
            w(
                io.out,
                format!(
                    "You run this server: its trouble belongs in the form \"{}\", which asks for what helps (logs, versions, how it is deployed). Nothing was filed; `preflight draft --template {} --answers FILE` carries your answers over.",
                    p(name),
                    p(file)
                ),
            )?;
            Ok(exit::FINDINGS)
        }
        Acted::Fix { errors } => {
            w(
                io.err,
                format!(
                    "error: the answers have {errors} problem{} to fix before filing (draft {id} is saved)",
                    if *errors == 1 { "" } else { "s" },
                ),
            )?;
            Ok(exit::FINDINGS)
        }
    }
}

fn filed(f: &Filed, interactive: bool, io: &mut Io<'_>) -> Result<i32, Failure> {
    match f {
        Filed::New {
            number,
            url,
            dropped,
            screenshots,
        } => {
            w(io.out, format!("Filed #{number}: {}", p(url)))?;
            if let Some(d) = dropped {
                w(
                    io.out,
                    format!(
                        "Not set on the issue: the {}. {}; maintainers will add them.",
                        p(&d.what.join(" and the ")),
                        p(&d.why)
                    ),
                )?;
            }
            if *screenshots {
                w(
                    io.out,
                    format!(
                        "A screenshot or a short recording helps with a visual bug: open {} and drag the files into a comment (the API cannot upload them).",
                        p(url)
                    ),
                )?;
            }
        }
        Filed::Already { url } => w(io.out, format!("This draft was already filed: {}", p(url)))?,
        Filed::Web {
            url,
            paste,
            no_token,
        } => {
            if *no_token {
                w(
                    io.out,
                    "No GitHub token (GITHUB_TOKEN, GH_TOKEN or `gh auth login`): finish on the web instead.",
                )?;
            }
            w(
                io.out,
                format!("Open this page to file the issue:\n  {}", p(url)),
            )?;
            if let Some((sheet, text)) = paste {
                if interactive {
                    if let Some(tool) = desktop::copy_to_clipboard(text) {
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
            if interactive && desktop::open_in_browser(url) {
                w(io.out, "(opened in your browser)")?;
            }
        }
    }
    Ok(exit::CLEAN)
}

fn redirected(r: &Redirected, io: &mut Io<'_>) -> Result<i32, Failure> {
    match &r.to {
        Target::Admin(admin) => {
            w(
                io.out,
                "This is for the admins of your own Mastodon server: only they can see and change your account and their server. The Mastodon developers cannot.",
            )?;
            match admin {
                Admin::Unknown => w(
                    io.out,
                    "Your server's admins are listed on its About page (https://YOUR-SERVER/about).",
                )?,
                Admin::Found {
                    contact,
                    mailto,
                    message,
                } => {
                    w(
                        io.out,
                        format!(
                            "Your server: {} ({})",
                            p(&contact.title),
                            p(&contact.domain)
                        ),
                    )?;
                    if let (Some(email), Some(m)) = (&contact.email, mailto) {
                        w(io.out, format!("  Write to: {}", p(email)))?;
                        w(io.out, format!("  Mail link: {}", p(m)))?;
                    }
                    if let (Some(h), Some(m)) = (contact.admin_handle(), message) {
                        w(io.out, format!("  Or message the admin account {}:", p(&h)))?;
                        w(io.out, format!("    {}", p(m)))?;
                    }
                    if contact.email.is_none() && contact.account.is_none() {
                        w(
                            io.out,
                            format!(
                                "  The server publishes no contact; see {}",
                                p(&contact.about_url)
                            ),
                        )?;
                    }
                }
                Admin::Unreachable { about, why, .. } => {
                    w(io.out, format!("Could not look up the admins: {}", p(why)))?;
                    w(
                        io.out,
                        format!("Their contact is on the server's About page: {}", p(about)),
                    )?;
                }
            }
        }
        Target::Discussions(links) => {
            w(
                io.out,
                "Questions are answered in the community, not on the issue tracker:",
            )?;
            for (name, url) in links {
                w(io.out, format!("  {}: {}", p(name), p(url)))?;
            }
        }
        Target::Security(channels) => {
            w(
                io.out,
                "This looks like a security vulnerability. Never report it in a public issue; use a private channel:",
            )?;
            for c in channels {
                w(io.out, format!("  {}", p(c)))?;
            }
        }
    }
    w(
        io.out,
        format!(
            "Your text is saved in {}, ready to paste or mail. Nothing was filed.",
            r.handover.display()
        ),
    )?;
    Ok(exit::FINDINGS)
}
