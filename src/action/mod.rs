//! `preflight action`: the GitHub Action's entry point.
//!
//! On an `issues` event (opened, edited, reopened) it reads the body back
//! into the repository's forms, runs lint, triage and duplicate search, and
//! brings the issue to the state [`plan`] describes: one comment (created
//! once, updated in place, reduced to an all-clear), managed labels, and,
//! where configured, closing a support question. The event comes from
//! `GITHUB_EVENT_PATH`, never from workflow interpolation.
//!
//! Only a bad config or a broken event file fails the run (exit 2). Any
//! refusal from the API is a warning annotation: a missing label or a
//! token without write access must not turn the reporter's issue red.

pub mod comment;
pub mod config;
pub mod event;
pub mod outputs;
pub mod plan;

use crate::checks::{
    self,
    lint::{Finding, Rule, Severity},
};
use crate::cli::args::{ActionArgs, Global};
use crate::cli::{common, w, Io};
use crate::document::Document;
use crate::dupes::{self, Candidate, Index, Query};
use crate::error::Error;
use crate::form::{FormSet, Origin};
use crate::github::{Comment, GitHub, GitHubError};
use crate::mastodon::{self, Contact, Reach, ServerAddr};
use crate::redirect;
use crate::repo::Repo;
use crate::report::{escape_data, summary};
use crate::triage::{self, Redirect, Triage};
use comment::{Report, Vars};
use config::Config;
use event::{Event, IssueEvent};
use plan::{Desired, Existing, Identity, Step};
use std::path::PathBuf;
use std::time::Duration;

/// How long a server named in a support question gets to say who runs it.
const CONTACT_TIMEOUT: Duration = Duration::from_secs(5);
/// Issues fetched from the search API before ranking.
const SEARCH_LIMIT: usize = 30;

/// What GitHub tells a step through its environment.
#[derive(Debug, Clone, Default)]
struct Env {
    event_name: String,
    event_path: Option<PathBuf>,
    repository: Option<String>,
    output: Option<PathBuf>,
    summary: Option<PathBuf>,
    workspace: PathBuf,
}

impl Env {
    fn from_process() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Env {
            event_name: var("GITHUB_EVENT_NAME").unwrap_or_default(),
            event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
            repository: var("GITHUB_REPOSITORY"),
            output: var("GITHUB_OUTPUT").map(PathBuf::from),
            summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            workspace: var("GITHUB_WORKSPACE")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(".")),
        }
    }
}

pub fn run(global: &Global, args: ActionArgs, io: &mut Io<'_>) -> Result<i32, Error> {
    let env = Env::from_process();
    let mut config = Config::load(args.config.as_deref())?;
    config.apply_label_inputs(|k| std::env::var(k).ok());
    let ev = match event::read(&env.event_name, env.event_path.as_deref())? {
        Event::Skip(reason) => {
            annotate(io, "notice", &format!("nothing to check: {reason}"))?;
            return Ok(0);
        }
        Event::Check(ev) => ev,
    };
    let repo_name = env
        .repository
        .clone()
        .or_else(|| ev.repository.clone())
        .ok_or_else(|| {
            Error::Usage("GITHUB_REPOSITORY is not set and the event names no repository".into())
        })?;
    let repo: Repo = repo_name
        .parse()
        .map_err(|_| Error::Usage(format!("GITHUB_REPOSITORY `{repo_name}` is not OWNER/NAME")))?;
    if let Some(why) = plan::exemption(&ev.issue, &config) {
        annotate(io, "notice", &format!("left alone: {why}"))?;
        return Ok(0);
    }
    let gh = GitHub::from_env().map_err(Error::from)?;
    let mut dry_run = args.dry_run;
    if !dry_run && !gh.has_token() {
        annotate(
            io,
            "warning",
            "no token (set the `github-token` input or GITHUB_TOKEN): checking only, nothing is written",
        )?;
        dry_run = true;
    }
    let index_file = match &config.index {
        Some(p) => Some(p.clone()),
        None => common::index_path(global, &repo).ok(),
    };
    let ctx = Ctx {
        global,
        env: &env,
        config: &config,
        repo: &repo,
        ev: &ev,
        gh: &gh,
        close_support: args.close_support,
        dry_run,
        index_file,
    };
    common::runtime()?.block_on(ctx.check(io))
}

struct Ctx<'a> {
    global: &'a Global,
    env: &'a Env,
    config: &'a Config,
    repo: &'a Repo,
    ev: &'a IssueEvent,
    gh: &'a GitHub,
    close_support: bool,
    dry_run: bool,
    index_file: Option<PathBuf>,
}

/// What the checks found.
struct Checked {
    triage: Triage,
    redirect: Option<Redirect>,
    findings: Vec<Finding>,
    duplicates: Vec<Candidate>,
}

impl Ctx<'_> {
    async fn check(&self, io: &mut Io<'_>) -> Result<i32, Error> {
        let issue = &self.ev.issue;
        let forms = self.forms(io).await?;
        let doc = Document::from_body(&forms, issue.body_text(), None, Some(&issue.title))?;
        let findings = if forms.forms.is_empty() {
            Vec::new()
        } else {
            for_the_issue(doc.lint(&forms), &forms, self.repo)
        };
        let triage = triage::triage(&checks::triage_input(&doc));
        let redirect = triage.redirect().filter(|r| {
            *r == Redirect::Security || triage.confidence >= self.config.thresholds.redirect
        });
        let duplicates = if redirect.is_some() {
            Vec::new()
        } else {
            self.duplicates(&checks::dupes_query(&doc), io).await?
        };
        let checked = Checked {
            triage,
            redirect,
            findings,
            duplicates,
        };

        let server = checks::named_server(&doc).and_then(|s| mastodon::normalize_server(&s).ok());
        let contact = match (&checked.redirect, &server) {
            (Some(Redirect::InstanceAdmin), Some(addr)) if self.config.contact_lookup => {
                self.contact(addr, io).await?
            }
            _ => None,
        };
        let vars = self.vars(&forms, server.as_ref(), contact.as_ref());
        let closing = checked.redirect.is_some()
            && self
                .config
                .closes(checked.triage.verdict, self.close_support)
            && self.ev.action == "opened"
            && !issue.state.eq_ignore_ascii_case("closed");
        let report = Report {
            triage: &checked.triage,
            redirect: checked.redirect,
            findings: &checked.findings,
            duplicates: &checked.duplicates,
            closing,
        };
        let desired = Desired {
            comment: comment::render(&report, &self.config.messages, &vars),
            all_clear: comment::all_clear(&self.config.messages, &vars),
            labels: self.labels(&report),
            close: closing,
        };
        let existing = match self.gh.list_comments(self.repo, issue.number).await {
            Ok(comments) => self.existing(&comments, io).await?,
            Err(e) => {
                annotate(
                    io,
                    "warning",
                    &format!("could not list the comments, so none is written (to avoid a second one): {e}"),
                )?;
                Existing::Unknown
            }
        };
        let steps = plan::plan(
            &desired,
            &existing,
            &issue.label_names(),
            &self.config.managed_labels(),
        );
        let done = self.apply(&steps, io).await?;
        self.report(&checked, &desired, &done, io)?;
        Ok(0)
    }

    /// The Action's earlier comment among `comments`: one with the marker
    /// written by the token's own account, never someone else's (anyone
    /// can paste the marker). The account is asked of GitHub only when a
    /// marked comment is there to tell apart.
    async fn existing(&self, comments: &[Comment], io: &mut Io<'_>) -> Result<Existing, Error> {
        if !comments.iter().any(plan::is_marked) {
            return Ok(Existing::None);
        }
        let me = match self.gh.current_user_login().await {
            Ok(login) => Identity::Login(login),
            // The workflow's GITHUB_TOKEN and an App's installation token
            // cannot read `/user` (403); without a token there is no user.
            Err(
                GitHubError::Forbidden { .. }
                | GitHubError::NotFound { .. }
                | GitHubError::Unauthorized { .. }
                | GitHubError::NoToken { .. },
            ) => Identity::Bot,
            Err(e) => {
                annotate(
                    io,
                    "warning",
                    &format!("could not tell whose token this is, so no comment is written (to avoid a second one or editing someone else's): {e}"),
                )?;
                return Ok(Existing::Unknown);
            }
        };
        Ok(plan::find_existing(comments, &me))
    }

    /// The checkout's forms, else the repository's through the API, else
    /// (for Mastodon) the embedded ones. A repository without forms gets
    /// no lint, only triage and duplicate search.
    async fn forms(&self, io: &mut Io<'_>) -> Result<FormSet, Error> {
        if let Some(dir) = &self.global.templates {
            return FormSet::from_dir(dir);
        }
        let local = self.env.workspace.join(".github").join("ISSUE_TEMPLATE");
        if local.is_dir() {
            match FormSet::from_dir(&local) {
                Ok(set) if !set.forms.is_empty() => return Ok(set),
                Ok(_) => {}
                Err(e) => annotate(
                    io,
                    "warning",
                    &format!("the checkout's issue forms cannot be used ({e}); asking GitHub"),
                )?,
            }
        }
        let fallback = |why: String| -> (FormSet, Option<String>) {
            if self.repo.is_mastodon() {
                (
                    FormSet::embedded(),
                    Some(format!("{why}; using the embedded Mastodon forms")),
                )
            } else {
                (
                    no_forms(self.repo),
                    Some(format!("{why}; checking without forms")),
                )
            }
        };
        let (set, warning) = match self.gh.fetch_templates(self.repo, None).await {
            Ok(Some(files)) => {
                match FormSet::from_files(Origin::Remote(self.repo.to_string()), files) {
                    Ok(set) => (set, None),
                    Err(e) => fallback(format!(
                        "the issue forms of {} are invalid ({e})",
                        self.repo
                    )),
                }
            }
            Ok(None) => {
                if self.repo.is_mastodon() {
                    (FormSet::embedded(), None)
                } else {
                    (no_forms(self.repo), None)
                }
            }
            Err(e) => fallback(format!("could not read the issue forms from GitHub ({e})")),
        };
        if let Some(warning) = warning {
            annotate(io, "warning", &warning)?;
        }
        Ok(set)
    }

    /// Likely duplicates above the listing threshold, the issue itself
    /// left out: from the index when there is one, else the search API.
    async fn duplicates(&self, query: &Query, io: &mut Io<'_>) -> Result<Vec<Candidate>, Error> {
        if query.title.trim().is_empty() && query.text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let limit = self.config.max_duplicates + 1;
        let index = match &self.index_file {
            Some(path) if path.is_file() => match Index::load(path) {
                Ok(index) => Some(index),
                Err(e) => {
                    annotate(
                        io,
                        "warning",
                        &format!("the issue index cannot be used ({e}); using the search API"),
                    )?;
                    None
                }
            },
            _ => None,
        };
        let ranked = match index {
            Some(index) => dupes::rank(&index, query, limit),
            None => {
                let q = dupes::search_query(query, self.repo);
                match self.gh.search_issues(&q, SEARCH_LIMIT).await {
                    Ok(records) => dupes::rank_records(&records, query, limit),
                    Err(e) => {
                        annotate(
                            io,
                            "warning",
                            &format!("duplicate search failed, so none are listed: {e}"),
                        )?;
                        Vec::new()
                    }
                }
            }
        };
        Ok(ranked
            .into_iter()
            .filter(|c| c.number != self.ev.issue.number)
            .filter(|c| c.score >= self.config.thresholds.list)
            .take(self.config.max_duplicates)
            .collect())
    }

    /// The admin contact of the server a support question names. Only
    /// public https domains are asked, and only if every address they
    /// resolve to is public (the connection is pinned to those, and no
    /// redirect is followed): a runner never sends requests that a
    /// reporter's text points inside its network.
    async fn contact(&self, addr: &ServerAddr, io: &mut Io<'_>) -> Result<Option<Contact>, Error> {
        if !is_public_server(addr) {
            return Ok(None);
        }
        match mastodon::lookup_contact_with(addr, CONTACT_TIMEOUT, Reach::PublicOnly).await {
            Ok(c) => Ok(Some(c)),
            Err(e) => {
                w(io.out, format!("admin contact not found: {e}"))?;
                Ok(None)
            }
        }
    }

    fn vars(
        &self,
        forms: &FormSet,
        server: Option<&ServerAddr>,
        contact: Option<&Contact>,
    ) -> Vars {
        let repo = self.repo.to_string();
        let author = self.ev.issue.author();
        Vars {
            author: if author.is_empty() {
                String::new()
            } else {
                format!("@{author}")
            },
            server: server
                .map(|s| comment::inline(&s.domain))
                .unwrap_or_default(),
            admin: comment::admin_block(server.map(|s| s.domain.as_str()), contact),
            discussions: comment::discussions_link(
                &redirect::discussion_links(&forms.config),
                &repo,
            ),
            security: comment::security_link(
                &forms
                    .security
                    .as_deref()
                    .map(redirect::security_channels)
                    .unwrap_or_default(),
                &repo,
            ),
            repo,
        }
    }

    fn labels(&self, report: &Report<'_>) -> Vec<String> {
        let l = &self.config.labels;
        let mut out = Vec::new();
        if matches!(
            report.redirect,
            Some(Redirect::InstanceAdmin | Redirect::Discussions)
        ) {
            out.push(l.support.clone());
        }
        if report
            .duplicates
            .iter()
            .any(|c| c.score >= self.config.thresholds.duplicate)
        {
            out.push(l.duplicate.clone());
        }
        if report
            .shown_findings()
            .iter()
            .any(|f| f.severity == Severity::Error)
        {
            out.push(l.needs_info.clone());
        }
        out.retain(|l| !l.trim().is_empty());
        out
    }

    /// Carries out the steps (or, in a dry run, prints them); returns what
    /// was done, for the summary.
    async fn apply(&self, steps: &[Step], io: &mut Io<'_>) -> Result<Vec<String>, Error> {
        let number = self.ev.issue.number;
        let target = format!("{}#{number}", self.repo);
        let mut done = Vec::new();
        let mut comment_failed = false;
        if steps.is_empty() {
            w(io.out, format!("{target}: nothing to change"))?;
        }
        for step in steps {
            if self.dry_run {
                w(io.out, format!("dry run: would {step} on {target}"))?;
                if let Step::CreateComment { body } | Step::UpdateComment { body, .. } = step {
                    quote_block(io, body)?;
                }
                done.push(format!("would {step}"));
                continue;
            }
            if *step == Step::Close && comment_failed {
                annotate(
                    io,
                    "warning",
                    &format!("{target} is not closed: the comment saying why could not be written"),
                )?;
                done.push(format!("did not {step}"));
                continue;
            }
            let result = match step {
                Step::CreateComment { body } => self
                    .gh
                    .create_comment(self.repo, number, body)
                    .await
                    .map(|c| format!("created the preflight comment {}", c.url)),
                Step::UpdateComment { id, body } => self
                    .gh
                    .update_comment(self.repo, *id, body)
                    .await
                    .map(|c| format!("updated the preflight comment {}", c.url)),
                Step::AddLabels(labels) => {
                    match self.gh.add_labels(self.repo, number, labels).await {
                        Ok(now) => {
                            let dropped: Vec<&String> = labels
                                .iter()
                                .filter(|l| !now.iter().any(|n| n.eq_ignore_ascii_case(l)))
                                .collect();
                            if !dropped.is_empty() {
                                annotate(
                                    io,
                                    "warning",
                                    &format!(
                                        "GitHub did not add the label(s) {dropped:?} to {target}; the token may lack permission"
                                    ),
                                )?;
                            }
                            Ok(step.to_string())
                        }
                        Err(e) => Err(e),
                    }
                }
                Step::RemoveLabel(label) => self
                    .gh
                    .remove_label(self.repo, number, label)
                    .await
                    .map(|_| step.to_string()),
                Step::Close => self
                    .gh
                    .close_issue(self.repo, number, "not_planned")
                    .await
                    .map(|()| step.to_string()),
            };
            match result {
                Ok(what) => {
                    w(io.out, format!("{target}: {what}"))?;
                    done.push(what);
                }
                Err(e) => {
                    comment_failed |= matches!(
                        step,
                        Step::CreateComment { .. } | Step::UpdateComment { .. }
                    );
                    annotate(io, "warning", &format!("could not {step} on {target}: {e}"))?;
                    done.push(format!("failed to {step}"));
                }
            }
        }
        Ok(done)
    }

    /// Step outputs, the job summary and a notice with the verdict.
    fn report(
        &self,
        c: &Checked,
        desired: &Desired,
        done: &[String],
        io: &mut Io<'_>,
    ) -> Result<(), Error> {
        let issue = &self.ev.issue;
        let verdict = c.triage.verdict.as_str();
        let dupes_json = serde_json::Value::Array(
            c.duplicates
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "number": d.number,
                        "title": d.title,
                        "url": d.url,
                        "state": d.state,
                        "score": (d.score * 100.0).round() / 100.0,
                    })
                })
                .collect(),
        );
        let findings_json = serde_json::to_string(&c.findings).expect("plain data");
        let mut line = format!(
            "{}#{}: {verdict} (confidence {:.2})",
            self.repo, issue.number, c.triage.confidence
        );
        if !c.findings.is_empty() {
            line.push_str(&format!("; {}", summary(&c.findings)));
        }
        if !c.duplicates.is_empty() {
            line.push_str(&format!("; {} likely duplicate(s)", c.duplicates.len()));
        }
        annotate(io, "notice", &line)?;

        if let Some(path) = &self.env.output {
            outputs::write_outputs(
                path,
                &[
                    ("verdict", verdict.to_string()),
                    ("duplicates", dupes_json.to_string()),
                    ("findings", findings_json),
                ],
            )
            .map_err(|e| Error::state(path, format!("cannot write the step outputs ({e})")))?;
        }
        if let Some(path) = &self.env.summary {
            let mut md = format!(
                "### issue-preflight: {}#{}\n\n**Verdict:** {verdict}, confidence {:.2}\n\n",
                self.repo, issue.number, c.triage.confidence
            );
            if !c.findings.is_empty() {
                md.push_str(&format!("**Lint:** {}\n\n", summary(&c.findings)));
            }
            if !c.duplicates.is_empty() {
                let list: Vec<String> = c
                    .duplicates
                    .iter()
                    .map(|d| format!("#{} ({:.2})", d.number, d.score))
                    .collect();
                md.push_str(&format!("**Likely duplicates:** {}\n\n", list.join(", ")));
            }
            let heading = if self.dry_run {
                "Would do (dry run)"
            } else {
                "Done"
            };
            md.push_str(&format!("**{heading}:**\n"));
            if done.is_empty() {
                md.push_str("- nothing\n");
            }
            for d in done {
                md.push_str(&format!("- {}\n", comment::inline_with_code(d)));
            }
            if let Some(body) = &desired.comment {
                md.push_str(&format!(
                    "\n<details><summary>The comment</summary>\n\n{body}\n</details>\n"
                ));
            }
            outputs::write_summary(path, &md)
                .map_err(|e| Error::state(path, format!("cannot write the job summary ({e})")))?;
        }
        Ok(())
    }
}

/// Lint's hints speak to someone at a terminal; on an issue that is filed
/// already, a body that fits no form is fixed on the web.
fn for_the_issue(mut findings: Vec<Finding>, forms: &FormSet, repo: &Repo) -> Vec<Finding> {
    for f in &mut findings {
        if f.code == Rule::NoMatchingForm {
            let names: Vec<&str> = forms.forms.iter().map(|f| f.form.name.as_str()).collect();
            f.hint = format!(
                "edit the issue into the sections of one of the forms ({}), or open it again through {}/issues/new/choose",
                names.join(", "),
                repo.html_url()
            );
        }
    }
    findings
}

fn no_forms(repo: &Repo) -> FormSet {
    FormSet {
        origin: Origin::Remote(repo.to_string()),
        forms: Vec::new(),
        config: Default::default(),
        security: None,
    }
}

/// A workflow command (`::notice`, `::warning`) on one line: untrusted text
/// cannot start a line of its own.
fn annotate(io: &mut Io<'_>, level: &str, message: &str) -> Result<(), Error> {
    w(
        io.out,
        format!("::{level} title=issue-preflight::{}", escape_data(message)),
    )
}

/// Prints text that quotes the issue with workflow commands turned off, so
/// that a line such as `::add-mask::` in it is shown, not obeyed.
fn quote_block(io: &mut Io<'_>, text: &str) -> Result<(), Error> {
    let token = format!("preflight-{}", outputs::random_hex());
    w(io.out, format!("::stop-commands::{token}"))?;
    w(io.out, text.trim_end())?;
    w(io.out, format!("::{token}::"))
}

/// A server worth asking: https, a domain name with a dot, no IP address,
/// no port, nothing local or reserved. (The lookup checks this again, and
/// the addresses the name resolves to; this only keeps the log quiet about
/// names that were never going to be asked.)
fn is_public_server(addr: &ServerAddr) -> bool {
    mastodon::check_public_server(addr).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> ServerAddr {
        mastodon::normalize_server(s).unwrap()
    }

    #[test]
    fn only_public_https_servers_are_asked() {
        assert!(is_public_server(&addr("mastodon.social")));
        assert!(is_public_server(&addr("@alice@social.example.org")));
        for s in [
            "http://mastodon.social",
            "127.0.0.1",
            "http://127.0.0.1:3000",
            "localhost",
            "https://[::1]",
            "social.example:8443",
            "printer.local",
            "169.254.169.254",
            "social.example",
            "mastodon.test",
            "2130706433",
            "https://[::ffff:127.0.0.1]",
            "https://mastodon.social:443@10.0.0.5",
            "metadata.google.internal",
            "foo.localhost",
            "router.lan",
            "x.home.arpa",
            "1.0.0.127.in-addr.arpa",
            "hidden.onion",
        ] {
            if let Ok(a) = mastodon::normalize_server(s) {
                assert!(!is_public_server(&a), "{s} would be asked");
            }
        }
    }
}
