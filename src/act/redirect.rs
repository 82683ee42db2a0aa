//! Sending a reporter elsewhere, with their text: to their own server's
//! admin, to Discussions, or to the private security channel.

use super::Session;
use crate::checks::triage::Redirect;
use crate::draft::store::Status;
use crate::draft::NO_RESPONSE;
use crate::draft::{answer_for, Answers};
use crate::error::Error;
use crate::form::{FormConfig, IssueForm};
use crate::mastodon::Contact;
use crate::services::Services;
use std::path::PathBuf;

/// Where the reporter was sent, with what to show them.
#[derive(Debug, Clone, PartialEq)]
pub struct Redirected {
    pub to: Target,
    /// The drafted text, saved beside the draft, ready to paste or mail.
    pub handover: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The admins of the reporter's server.
    Admin(Admin),
    /// The repository's community channels: (name, url).
    Discussions(Vec<(String, String)>),
    /// The private channels for vulnerabilities: links and addresses.
    Security(Vec<String>),
}

/// The reporter's server, as far as it is known.
#[derive(Debug, Clone, PartialEq)]
pub enum Admin {
    /// No server known: its About page lists its admins.
    Unknown,
    /// The server answered: who runs it, a `mailto:` link with the text,
    /// and a short message for the admin account.
    Found {
        contact: Box<Contact>,
        mailto: Option<String>,
        message: Option<String>,
    },
    /// The server could not say (`why`); its About page still can.
    Unreachable {
        server: String,
        about: String,
        why: String,
    },
}

/// Sends the session's reporter where `to` says, with their text; the
/// draft is marked as redirected.
pub fn redirect(services: &Services, s: &mut Session, to: Redirect) -> Result<Redirected, Error> {
    let title = s.title();
    let text = handover_text(&s.form.form, &title, &s.saved.draft.answers);
    let handover = s.write_side("handover.txt", &text)?;
    let repo_url = services.repo().html_url();
    let (target, status) = match to {
        Redirect::InstanceAdmin => {
            let admin = admin(services, s, &title, &text);
            let status = match &admin {
                Admin::Unknown => "instance admin".to_string(),
                Admin::Found { contact, .. } => format!("admin of {}", contact.domain),
                Admin::Unreachable { server, .. } => format!("admin of {server}"),
            };
            (Target::Admin(admin), status)
        }
        Redirect::Discussions => {
            let links = discussion_links(&s.forms.config);
            let first = links
                .first()
                .map_or(format!("{repo_url}/discussions"), |l| l.1.clone());
            let links = if links.is_empty() {
                vec![("Discussions".to_string(), first.clone())]
            } else {
                links
            };
            (Target::Discussions(links), first)
        }
        Redirect::Security => {
            let channels = s
                .forms
                .security
                .as_deref()
                .map(security_channels)
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| vec![format!("{repo_url}/security/advisories/new")]);
            let first = channels[0].clone();
            (Target::Security(channels), first)
        }
    };
    s.saved.status = Status::Redirected { to: status };
    s.save()?;
    Ok(Redirected {
        to: target,
        handover,
    })
}

fn admin(services: &Services, s: &Session, title: &str, text: &str) -> Admin {
    let Some((server, named)) = s.server() else {
        return Admin::Unknown;
    };
    match services.contact(&server, named) {
        Ok(contact) => Admin::Found {
            mailto: contact.email.as_deref().map(|e| mailto(e, title, text)),
            message: contact
                .admin_handle()
                .map(|_| admin_message(&contact, s.handle.as_deref(), title)),
            contact: Box::new(contact),
        },
        Err(e) => Admin::Unreachable {
            server: server.domain.clone(),
            about: server.about_url(),
            why: e.to_string(),
        },
    }
}
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as they are in a `mailto:` or query component.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The drafted text in form order, ready to paste or mail.
pub fn handover_text(form: &IssueForm, title: &str, answers: &Answers) -> String {
    let mut out = format!("{title}\n");
    for field in form.fields() {
        let value = answer_for(answers, &field)
            .map(|a| a.as_list().join(", "))
            .unwrap_or_default();
        let value = value.trim();
        if value.is_empty() || value == NO_RESPONSE {
            continue;
        }
        out.push_str(&format!("\n{}:\n{}\n", field.label, value));
    }
    out
}

/// `mailto:` with subject and body filled in (RFC 6068).
pub fn mailto(to: &str, subject: &str, body: &str) -> String {
    format!(
        "mailto:{}?subject={}&body={}",
        to.trim(),
        encode(subject),
        encode(&body.replace('\n', "\r\n"))
    )
}

/// A short private message for the admin's account (Mastodon's 500
/// characters), naming the reporter so the admin can find the account.
pub fn admin_message(contact: &Contact, handle: Option<&str>, title: &str) -> String {
    let to = contact
        .admin_handle()
        .map(|h| format!("{h} "))
        .unwrap_or_default();
    let who = handle
        .map(|h| format!("I'm {} on {}. ", h.trim(), contact.domain))
        .unwrap_or_default();
    let mut msg = format!("{to}Hello! {who}I need help with my account or this server: {title}");
    if let Some(email) = &contact.email {
        msg.push_str(&format!(" May I send the details to {email}?"));
    }
    if msg.chars().count() > 480 {
        msg = msg.chars().take(477).collect::<String>() + "…";
    }
    msg
}

/// The private channels named in SECURITY.md: advisory form links and
/// e-mail addresses.
pub fn security_channels(security_md: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in security_md.split(|c: char| c.is_whitespace() || "()<>[]".contains(c)) {
        let w = word.trim_matches(|c: char| ",.;:`*\"'".contains(c));
        let is_link = w.starts_with("https://") && w.contains("/security");
        let is_mail = w.contains('@')
            && !w.starts_with('@')
            && w.rsplit_once('@').is_some_and(|(_, d)| d.contains('.'))
            && !w.contains('/');
        if (is_link || is_mail) && !out.iter().any(|o| o == w) {
            out.push(w.trim_start_matches("mailto:").to_string());
        }
    }
    out
}

/// Where questions go: the repository's contact links.
pub fn discussion_links(config: &FormConfig) -> Vec<(String, String)> {
    config
        .contact_links
        .iter()
        .map(|l| (l.name.clone(), l.url.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_encodes_everything_but_unreserved() {
        let m = mailto("admin@example.org", "Can't log in & more", "a\nb = c?");
        assert_eq!(
            m,
            "mailto:admin@example.org?subject=Can%27t%20log%20in%20%26%20more&body=a%0D%0Ab%20%3D%20c%3F"
        );
    }

    #[test]
    fn security_channels_come_from_the_policy() {
        let md = "Use [the form](https://github.com/acme/app/security/advisories/new) or write to <sec@acme.example>. Follow @acme on Mastodon.";
        assert_eq!(
            security_channels(md),
            [
                "https://github.com/acme/app/security/advisories/new",
                "sec@acme.example"
            ]
        );
    }

    #[test]
    fn admin_message_names_the_reporter_and_stays_short() {
        let contact = Contact {
            domain: "social.example".into(),
            title: "Example".into(),
            email: Some("help@social.example".into()),
            account: None,
            about_url: "https://social.example/about".into(),
            rules: vec![],
            api_version: 2,
            version: None,
        };
        let m = admin_message(&contact, Some("@me@social.example"), &"x".repeat(600));
        assert!(m.contains("I'm @me@social.example on social.example"));
        assert!(m.chars().count() <= 480);
    }
}
