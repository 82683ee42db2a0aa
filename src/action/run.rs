//! One run of the Action: the event's issue through the checks and the
//! decision, then the comment, labels and closing that follow from them.

use super::comment::{self, Report, Vars};
use super::config::Config;
use super::event::{self, Event, IssueEvent};
use super::plan::{self, Desired, Existing, Identity, Step};
use super::{outputs, workflow};
use crate::act::redirect;
use crate::checks::lint::{summary, Finding, Rule};
use crate::checks::triage::Redirect;
use crate::checks::{named_server, Checks, Scope};
use crate::decision::{decide, Decision};
use crate::draft::Document;
use crate::error::Error;
use crate::form::FormSet;
use crate::github::{Comment, GitHub, GitHubError};
use crate::mastodon::{self, Contact, ServerAddr};
use crate::repo::Repo;
use crate::services::{Named, Services};
use std::path::PathBuf;

/// What GitHub tells a step through its environment.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub event_name: String,
    pub event_path: Option<PathBuf>,
    pub repository: Option<String>,
    pub output: Option<PathBuf>,
    pub summary: Option<PathBuf>,
    pub workspace: PathBuf,
}

impl Env {
    pub fn from_process() -> Env {
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

    /// The event, and the repository it is about.
    ///
    /// An event about another repository than `GITHUB_REPOSITORY` is
    /// refused, not warned about: the issue number is the event's, the
    /// writes go to `GITHUB_REPOSITORY`, so going on would comment on,
    /// label or close an unrelated issue. GitHub never starts a workflow
    /// that way; a mismatch is a replayed or forged event file.
    pub fn event(&self) -> Result<(Event, Option<Repo>), Error> {
        let ev = event::read(&self.event_name, self.event_path.as_deref())?;
        let Event::Check(issue_ev) = &ev else {
            return Ok((ev, None));
        };
        if let (Some(env), Some(payload)) = (&self.repository, &issue_ev.repository) {
            if !env.trim().eq_ignore_ascii_case(payload.trim()) {
                return Err(Error::Usage(format!(
                    "the event is about {} but GITHUB_REPOSITORY is {}; an issue of one cannot be checked in the other, so nothing is done",
                    crate::text::printable_cut(payload, 100),
                    crate::text::printable_cut(env, 100)
                )));
            }
        }
        let name = self
            .repository
            .clone()
            .or_else(|| issue_ev.repository.clone())
            .ok_or_else(|| {
                Error::Usage(
                    "GITHUB_REPOSITORY is not set and the event names no repository".into(),
                )
            })?;
        let repo = name.parse().map_err(|_| {
            Error::Usage(format!(
                "GITHUB_REPOSITORY `{}` is not OWNER/NAME",
                crate::text::printable_cut(&name, 100)
            ))
        })?;
        Ok((ev, Some(repo)))
    }
}

/// How this run behaves.
#[derive(Debug, Clone)]
pub struct Options {
    pub config: Config,
    pub env: Env,
    /// `--close-support`.
    pub close_support: bool,
    /// Print what would be done; write nothing to GitHub.
    pub dry_run: bool,
}

/// What the run says, line by line, as the step's log shows it: workflow
/// commands (annotations) and plain lines. The library never prints; the
/// binary writes these out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Log {
    pub lines: Vec<String>,
}

impl Log {
    pub fn notice(&mut self, message: &str) {
        self.lines.push(workflow::annotation("notice", message));
    }

    pub fn warning(&mut self, message: &str) {
        self.lines.push(workflow::annotation("warning", message));
    }

    pub fn say(&mut self, line: impl Into<String>) {
        self.lines.push(crate::text::printable(&line.into()));
    }

    fn quote(&mut self, text: &str) {
        self.lines.extend(workflow::quoted_block(text));
    }
}

/// Checks the issue of the event in `opts.env` and brings it to the state
/// the decision asks for. `services` must be for the event's repository
/// (see [`Env::event`]).
pub fn run(
    services: &Services,
    ev: &IssueEvent,
    opts: &Options,
    log: &mut Log,
) -> Result<(), Error> {
    if let Some(why) = plan::exemption(&ev.issue, &opts.config) {
        log.notice(&format!("left alone: {why}"));
        return Ok(());
    }
    // The step's files are written last: find out now, before anything is
    // written to GitHub, whether they can be.
    for path in [&opts.env.output, &opts.env.summary].into_iter().flatten() {
        outputs::check_writable(path).map_err(|e| {
            Error::state(
                path,
                format!("cannot be written ({e}), so nothing is done on GitHub either"),
            )
        })?;
    }
    let gh = services.github()?;
    let mut dry_run = opts.dry_run;
    if !dry_run && !gh.has_token() {
        log.warning(
            "no token (set the `github-token` input or GITHUB_TOKEN): checking only, nothing is written",
        );
        dry_run = true;
    }
    let ctx = Ctx {
        services,
        gh,
        ev,
        opts,
        dry_run,
    };
    ctx.check(log)
}

struct Ctx<'a> {
    services: &'a Services,
    gh: &'a GitHub,
    ev: &'a IssueEvent,
    opts: &'a Options,
    dry_run: bool,
}

impl Ctx<'_> {
    fn repo(&self) -> &Repo {
        self.services.repo()
    }

    fn config(&self) -> &Config {
        &self.opts.config
    }

    fn check(&self, log: &mut Log) -> Result<(), Error> {
        let issue = &self.ev.issue;
        let forms = self.services.forms(true)?;
        if let Some(note) = &forms.note {
            log.warning(note);
        }
        let forms = forms.set;
        let doc = Document::from_body(&forms, issue.body_text(), None, Some(&issue.title))?;
        let scope = Scope {
            search: true,
            offline: false,
            index: self.config().index.clone(),
            exclude: Some(issue.number),
            limit: self.config().max_duplicates,
        };
        let mut checks = Checks::run(self.services, &forms, &doc, &scope)?;
        for note in &checks.notes {
            log.warning(note);
        }
        if forms.forms.is_empty() {
            // A repository without forms gets no lint, only triage and
            // duplicate search.
            checks.findings.clear();
        } else {
            checks.findings = for_the_issue(checks.findings, &forms, self.repo());
        }
        let decision = decide(&checks, self.services.policy());

        let server = named_server(&doc).and_then(|s| mastodon::normalize_server(&s).ok());
        let contact = match (&decision.redirect, &server) {
            (Some(Redirect::InstanceAdmin), Some(addr)) if self.config().contact_lookup => {
                self.contact(addr, log)
            }
            _ => None,
        };
        let vars = self.vars(&forms, server.as_ref(), contact.as_ref());
        // Only a new issue is closed: an edit or a reopening is someone
        // answering the comment, and closing again would fight them.
        let closing = decision.closable
            && self
                .config()
                .closes(checks.triage.verdict, self.opts.close_support)
            && self.ev.action == "opened"
            && !issue.state.eq_ignore_ascii_case("closed");
        let report = Report {
            triage: &checks.triage,
            redirect: decision.redirect,
            findings: &checks.findings,
            duplicates: &decision.offered,
            closing,
        };
        let desired = Desired {
            comment: comment::render(&report, &self.config().messages, &vars),
            all_clear: comment::all_clear(&self.config().messages, &vars),
            labels: self.labels(&report, &decision),
            close: closing,
        };
        let existing = match self
            .services
            .block_on(self.gh.list_comments(self.repo(), issue.number))?
        {
            Ok(comments) => self.existing(&comments, log)?,
            Err(e) => {
                log.warning(&format!(
                    "could not list the comments, so none is written (to avoid a second one): {e}"
                ));
                Existing::Unknown
            }
        };
        let steps = plan::plan(
            &desired,
            &existing,
            &issue.label_names(),
            &self.config().managed_labels(),
        );
        let done = self.apply(&steps, log)?;
        self.report(&checks, &decision, &desired, &done, log)
    }

    /// The Action's earlier comment among `comments`: one with the marker
    /// written by the token's own account, never someone else's (anyone
    /// can paste the marker). The account is asked of GitHub only when a
    /// marked comment is there to tell apart.
    fn existing(&self, comments: &[Comment], log: &mut Log) -> Result<Existing, Error> {
        if !comments.iter().any(plan::is_marked) {
            return Ok(Existing::None);
        }
        let me = match self.services.block_on(self.gh.current_user_login())? {
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
                log.warning(&format!(
                    "could not tell whose token this is, so no comment is written (to avoid a second one or editing someone else's): {e}"
                ));
                return Ok(Existing::Unknown);
            }
        };
        Ok(plan::find_existing(comments, &me))
    }

    /// The admin contact of the server a support question names: read from
    /// the issue, so only public servers are asked.
    fn contact(&self, addr: &ServerAddr, log: &mut Log) -> Option<Contact> {
        if mastodon::check_public_server(addr).is_err() {
            return None;
        }
        match self.services.contact(addr, Named::InText) {
            Ok(c) => Some(c),
            Err(e) => {
                log.say(format!("admin contact not found: {e}"));
                None
            }
        }
    }

    fn vars(
        &self,
        forms: &FormSet,
        server: Option<&ServerAddr>,
        contact: Option<&Contact>,
    ) -> Vars {
        let repo = self.repo().to_string();
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

    fn labels(&self, report: &Report<'_>, decision: &Decision) -> Vec<String> {
        let l = &self.config().labels;
        let mut out = Vec::new();
        if matches!(
            decision.redirect,
            Some(Redirect::InstanceAdmin | Redirect::Discussions)
        ) {
            out.push(l.support.clone());
        }
        if decision.strong_duplicate.is_some() {
            out.push(l.duplicate.clone());
        }
        if report
            .shown_findings()
            .iter()
            .any(|f| f.severity == crate::checks::lint::Severity::Error)
        {
            out.push(l.needs_info.clone());
        }
        out.retain(|l| !l.trim().is_empty());
        out
    }

    /// Carries out the steps (or, in a dry run, says them); returns what
    /// was done, for the summary.
    fn apply(&self, steps: &[Step], log: &mut Log) -> Result<Vec<String>, Error> {
        let number = self.ev.issue.number;
        let target = format!("{}#{number}", self.repo());
        let mut done = Vec::new();
        let mut comment_failed = false;
        if steps.is_empty() {
            log.say(format!("{target}: nothing to change"));
        }
        for step in steps {
            if self.dry_run {
                log.say(format!("dry run: would {step} on {target}"));
                if let Step::CreateComment { body } | Step::UpdateComment { body, .. } = step {
                    log.quote(body);
                }
                done.push(format!("would {step}"));
                continue;
            }
            if *step == Step::Close && comment_failed {
                log.warning(&format!(
                    "{target} is not closed: the comment saying why could not be written"
                ));
                done.push(format!("did not {step}"));
                continue;
            }
            let result = self.services.block_on(self.carry_out(step, &target, log))?;
            match result {
                Ok(what) => {
                    log.say(format!("{target}: {what}"));
                    done.push(what);
                }
                Err(e) => {
                    comment_failed |= matches!(
                        step,
                        Step::CreateComment { .. } | Step::UpdateComment { .. }
                    );
                    log.warning(&format!("could not {step} on {target}: {e}"));
                    done.push(format!("failed to {step}"));
                }
            }
        }
        Ok(done)
    }

    async fn carry_out(
        &self,
        step: &Step,
        target: &str,
        log: &mut Log,
    ) -> Result<String, GitHubError> {
        let repo = self.repo();
        let number = self.ev.issue.number;
        match step {
            Step::CreateComment { body } => self
                .gh
                .create_comment(repo, number, body)
                .await
                .map(|c| format!("created the preflight comment {}", c.url)),
            Step::UpdateComment { id, body } => self
                .gh
                .update_comment(repo, *id, body)
                .await
                .map(|c| format!("updated the preflight comment {}", c.url)),
            Step::AddLabels(labels) => {
                let now = self.gh.add_labels(repo, number, labels).await?;
                let dropped: Vec<&String> = labels
                    .iter()
                    .filter(|l| !now.iter().any(|n| n.eq_ignore_ascii_case(l)))
                    .collect();
                if !dropped.is_empty() {
                    log.warning(&format!(
                        "GitHub did not add the label(s) {dropped:?} to {target}; the token may lack permission"
                    ));
                }
                Ok(step.to_string())
            }
            Step::RemoveLabel(label) => self
                .gh
                .remove_label(repo, number, label)
                .await
                .map(|_| step.to_string()),
            Step::Close => self
                .gh
                .close_issue(repo, number, "not_planned")
                .await
                .map(|()| step.to_string()),
        }
    }

    /// Step outputs, the job summary and a notice with the verdict.
    fn report(
        &self,
        c: &Checks,
        decision: &Decision,
        desired: &Desired,
        done: &[String],
        log: &mut Log,
    ) -> Result<(), Error> {
        let issue = &self.ev.issue;
        let verdict = c.triage.verdict.as_str();
        let shown = &decision.offered;
        let dupes_json = serde_json::Value::Array(
            shown
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
            self.repo(),
            issue.number,
            c.triage.confidence
        );
        if !c.findings.is_empty() {
            line.push_str(&format!("; {}", summary(&c.findings)));
        }
        if !shown.is_empty() {
            line.push_str(&format!("; {} likely duplicate(s)", shown.len()));
        }
        log.notice(&line);

        let env = &self.opts.env;
        if let Some(path) = &env.output {
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
        if let Some(path) = &env.summary {
            let mut md = format!(
                "### issue-preflight: {}#{}\n\n**Verdict:** {verdict}, confidence {:.2}\n\n",
                self.repo(),
                issue.number,
                c.triage.confidence
            );
            if !c.findings.is_empty() {
                md.push_str(&format!("**Lint:** {}\n\n", summary(&c.findings)));
            }
            if !shown.is_empty() {
                let list: Vec<String> = shown
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
