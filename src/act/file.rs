//! Filing: through the API with a token, or as a prefilled new-issue URL
//! without one (then the answers go to a file to paste from).

use super::redirect::encode;
use super::Session;
use crate::checks::triage::Verdict;
use crate::draft::store::{now, Status};
use crate::draft::{answer_for, render, Answers, Facts};
use crate::error::Error;
use crate::form::{FieldKind, IssueForm};
use crate::github::{GitHubError, NewIssue};
use crate::repo::Repo;
use crate::services::Services;
use std::path::PathBuf;

/// How a draft was filed.
#[derive(Debug, Clone, PartialEq)]
pub enum Filed {
    /// Opened through the API.
    New {
        number: u64,
        url: String,
        /// The labels and the issue type asked for that are not on the
        /// issue, by name (`label "area/web interface"`), and why.
        dropped: Option<Dropped>,
        /// A visual bug: a screenshot would help, and only the web page
        /// can take one.
        screenshots: bool,
    },
    /// Filed before: by an earlier run, or by a create request whose
    /// answer never came.
    Already { url: String },
    /// No token (or `--web`): a page to finish on.
    Web {
        url: String,
        /// Set when the URL cannot carry the answers: the file holding
        /// them, ready to paste field by field, and its text.
        paste: Option<(PathBuf, String)>,
        /// Whether this is for lack of a token (rather than `--web`).
        no_token: bool,
    },
}

/// What GitHub left off a new issue, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// `labels "a", "b"`, `issue type "Bug"`.
    pub what: Vec<String>,
    pub why: String,
}

impl Dropped {
    fn of(created: &crate::github::CreatedIssue, form: &IssueForm, repo: &Repo) -> Option<Dropped> {
        let quoted = |l: &[String]| {
            l.iter()
                .map(|x| format!("\"{x}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut what = Vec::new();
        if created.dropped_labels {
            let s = if form.labels.len() == 1 { "" } else { "s" };
            what.push(format!("label{s} {}", quoted(&form.labels)));
        }
        if let Some(t) = form.issue_type.as_ref().filter(|_| created.dropped_type) {
            what.push(format!("issue type \"{t}\""));
        }
        if what.is_empty() {
            return None;
        }
        let why = match created.refused {
            Some(422) => format!("GitHub refused them (HTTP 422): {repo} may not have them, so the issue was filed without"),
            Some(status) => format!("GitHub refused them (HTTP {status}): the token may not set them, so the issue was filed without"),
            None => format!("GitHub left them off without a word: only people with triage access to {repo} can set them"),
        };
        Some(Dropped { what, why })
    }
}

/// Files the session's draft, through the API when there is a token and
/// `web` is not asked for, else as a prefilled URL. On an API failure the
/// draft is kept, and the error names what to run next.
pub fn file(services: &Services, s: &mut Session, web: bool) -> Result<Filed, Error> {
    if let Some(url) = s.is_filed() {
        return Ok(Filed::Already {
            url: url.to_string(),
        });
    }
    let gh = if web { None } else { Some(services.github()?) };
    let Some(gh) = gh.filter(|g| g.has_token()) else {
        return on_the_web(services.repo(), s, !web);
    };
    let repo = services.repo().clone();
    let title = s.title();

    // A create request that got no answer may still have created the
    // issue: look for it before filing again.
    if let Status::Filing { since } = s.saved.status {
        // A token that cannot name its user (an app's) still lets us look
        // for the title among everyone's recent issues.
        let me = match services.block_on(gh.current_user_login())? {
            Ok(login) => login,
            Err(e) if e.is_network() => return Err(e.into()),
            Err(_) => String::new(),
        };
        let found =
            services.block_on(gh.find_issue_by_title(&repo, &title, &me, Some(since)))??;
        if let Some(found) = found {
            s.saved.status = Status::Filed {
                url: found.url.clone(),
                number: Some(found.number),
            };
            s.save()?;
            return Ok(Filed::Already { url: found.url });
        }
    }

    s.saved.status = Status::Filing { since: now() };
    s.save()?;
    let form = &s.form.form;
    let new = NewIssue {
        title,
        body: render(form, &s.saved.draft.answers),
        labels: form.labels.clone(),
        issue_type: form.issue_type.clone(),
    };
    match services.block_on(gh.create_issue(&repo, &new))? {
        Ok(created) => {
            s.saved.status = Status::Filed {
                url: created.url.clone(),
                number: Some(created.number),
            };
            s.save()?;
            let dropped = Dropped::of(&created, &s.form.form, &repo);
            let doc = s.document();
            let verdict = crate::checks::triage::triage(&crate::checks::triage_input(&doc)).verdict;
            Ok(Filed::New {
                number: created.number,
                url: created.url,
                dropped,
                screenshots: wants_screenshots(&s.form.form, verdict, &s.saved.draft.questions),
            })
        }
        Err(e) => {
            // Only a request that may have reached GitHub keeps `Filing`.
            if !(e.is_network()
                || matches!(
                    e,
                    GitHubError::Server { .. } | GitHubError::Malformed { .. }
                ))
            {
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

/// A prefilled new-issue URL, and the answers in a file where the URL
/// cannot carry them.
fn on_the_web(repo: &Repo, s: &mut Session, no_token: bool) -> Result<Filed, Error> {
    let title = s.title();
    let form = &s.form;
    let p = prefilled_url(
        &html_base(),
        repo,
        &form.file,
        &form.form,
        &title,
        &s.saved.draft.answers,
    );
    let paste = if p.complete {
        None
    } else {
        let text = paste_sheet(&form.form, &title, &s.saved.draft.answers);
        Some((s.write_side("paste.txt", &text)?, text))
    };
    s.saved.status = Status::Redirected { to: p.url.clone() };
    s.save()?;
    Ok(Filed::Web {
        url: p.url,
        paste,
        no_token,
    })
}

/// Past this, GitHub's new-issue URLs break.
pub const MAX_URL_CHARS: usize = 8_000;

/// `https://github.com`, or the Enterprise server GitHub Actions names.
pub fn html_base() -> String {
    std::env::var("GITHUB_SERVER_URL")
        .ok()
        .filter(|s| s.starts_with("http"))
        .map_or_else(
            || "https://github.com".to_string(),
            |s| s.trim_end_matches('/').to_string(),
        )
}

/// A new-issue URL and what did not fit in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefilled {
    pub url: String,
    /// Whether every answer is in the URL (only fields with an `id` can be).
    pub complete: bool,
}

/// `/issues/new?template=FILE&title=…&<id>=…`; falls back to template and
/// title alone when the answers would make it too long.
pub fn prefilled_url(
    base: &str,
    repo: &Repo,
    form_file: &str,
    form: &IssueForm,
    title: &str,
    answers: &Answers,
) -> Prefilled {
    let short = format!(
        "{base}/{repo}/issues/new?template={}&title={}",
        encode(form_file),
        encode(title)
    );
    let mut url = short.clone();
    let mut complete = true;
    for field in form.fields() {
        let Some(answer) = answer_for(answers, &field).filter(|a| !a.is_empty()) else {
            continue;
        };
        let Some(id) = field.id else {
            complete = false;
            continue;
        };
        let value = match field.kind {
            FieldKind::Checkboxes => {
                // Checkboxes cannot be prefilled through the URL.
                complete = false;
                continue;
            }
            _ => answer.as_list().join(","),
        };
        url.push_str(&format!("&{}={}", encode(id), encode(&value)));
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Prefilled {
            url: short,
            complete: false,
        };
    }
    Prefilled { url, complete }
}

/// What to paste into the form, field by field, when the URL cannot carry
/// the answers.
pub fn paste_sheet(form: &IssueForm, title: &str, answers: &Answers) -> String {
    let mut out = format!(
        "Title:\n{title}\n\nPaste each answer into its field of the form \"{}\".\n",
        form.name
    );
    for field in form.fields() {
        let value = answer_for(answers, &field)
            .map(|a| a.as_list().join("\n"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n--- {} ---\n{}\n",
            field.label,
            value.trim_end()
        ));
    }
    out.push_str("\n--- The whole body, as GitHub renders it ---\n");
    out.push_str(&render(form, answers));
    out.push('\n');
    out
}

/// Whether the report would gain from a screenshot or a recording: a bug
/// in a graphical interface.
pub fn wants_screenshots(form: &IssueForm, verdict: Verdict, facts: &Facts) -> bool {
    // An account's or one server's trouble (a suspension, a lock-out) has
    // nothing to show, whatever form it came through.
    verdict == Verdict::Bug && facts.own_account != Some(true) && is_visual_form(form)
}

/// The form of the web interface, or another visual one.
fn is_visual_form(form: &IssueForm) -> bool {
    let text = format!(
        "{} {} {}",
        form.name,
        form.description,
        form.labels.join(" ")
    )
    .to_lowercase();
    [
        "web interface",
        "user interface",
        " ui",
        "visual",
        "display",
        "frontend",
    ]
    .iter()
    .any(|k| text.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Answer;
    use crate::form::FormSet;

    #[test]
    fn mastodon_forms_have_no_ids_so_the_url_carries_template_and_title() {
        let set = FormSet::embedded();
        let f = set.find("1.web_bug_report.yml").unwrap();
        let mut answers = Answers::new();
        answers.insert("Expected behaviour".into(), Answer::Text("works".into()));
        let p = prefilled_url(
            "https://github.com",
            &Repo::mastodon(),
            &f.file,
            &f.form,
            "Replies & threads",
            &answers,
        );
        assert_eq!(
            p.url,
            "https://github.com/mastodon/mastodon/issues/new?template=1.web_bug_report.yml&title=Replies%20%26%20threads"
        );
        assert!(!p.complete);
        let none = Facts::default();
        assert!(wants_screenshots(&f.form, Verdict::Bug, &none));
        // Not for an account's trouble, even through the web form.
        assert!(!wants_screenshots(&f.form, Verdict::Support, &none));
        let own = Facts {
            own_account: Some(true),
            ..Facts::default()
        };
        assert!(!wants_screenshots(&f.form, Verdict::Bug, &own));
        assert!(!wants_screenshots(
            &set.find("2.server_bug_report.yml").unwrap().form,
            Verdict::Bug,
            &none
        ));
    }

    #[test]
    fn fields_with_ids_are_prefilled_until_the_url_gets_too_long() {
        let yaml = "name: B\ndescription: d\nbody:\n  - type: input\n    id: version\n    attributes:\n      label: Version\n  - type: textarea\n    id: logs\n    attributes:\n      label: Logs\n";
        let form = crate::form::check::parse_form(yaml, "b.yml").unwrap();
        let repo: Repo = "acme/app".parse().unwrap();
        let mut answers = Answers::new();
        answers.insert("version".into(), Answer::Text("1.2.3".into()));
        let p = prefilled_url("https://github.com", &repo, "b.yml", &form, "T", &answers);
        assert_eq!(
            p.url,
            "https://github.com/acme/app/issues/new?template=b.yml&title=T&version=1.2.3"
        );
        assert!(p.complete);
        answers.insert("logs".into(), Answer::Text("x".repeat(9_000)));
        let p = prefilled_url("https://github.com", &repo, "b.yml", &form, "T", &answers);
        assert_eq!(
            p.url,
            "https://github.com/acme/app/issues/new?template=b.yml&title=T"
        );
        assert!(!p.complete);
    }
}
