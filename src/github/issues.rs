//! Issues: search, the full listing (conditional and paginated), filing,
//! finding a filing again, labels, closing, and who the token is.

use chrono::{DateTime, Utc};
use octocrab::models::issues::Issue;
use octocrab::models::IssueState as GhState;
use octocrab::params::{self, Direction};
use serde::{Deserialize, Serialize};

use super::models::{issue_record, state_reason};
use super::pages::Conditional;
use super::{issue_path, path, GitHub, GitHubError, Result};
use crate::issue::IssueRecord;
use crate::repo::Repo;

/// Result of [`GitHub::list_issues`].
#[derive(Debug)]
pub enum ListOutcome {
    /// The conditional request got 304: nothing changed since that ETag.
    NotModified,
    Issues {
        /// Issues only (pull requests skipped), oldest update first.
        records: Vec<IssueRecord>,
        /// The first page's ETag, for the next conditional request; `None`
        /// when GitHub sent none or the listing was interrupted.
        etag: Option<String>,
        /// Set when a later page failed (typically a rate limit on a long
        /// sync): `records` holds the pages read before it, still in
        /// update order, so a caller can keep them and resume with `since`.
        interrupted: Option<GitHubError>,
    },
}

/// An issue to open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewIssue {
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    /// GitHub issue type, e.g. `Bug` (organisation repositories only).
    pub issue_type: Option<String>,
}

/// An issue that was opened (or found again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedIssue {
    pub number: u64,
    /// The web page of the issue.
    pub url: String,
    /// The labels asked for are not on the issue: refused (and the issue
    /// filed again without them) or silently dropped for lack of access.
    pub dropped_labels: bool,
    /// Same for the issue type.
    pub dropped_type: bool,
    /// The HTTP status with which GitHub refused the labels or the type
    /// (the issue was then filed without them); `None` when they were
    /// dropped without a word, or not dropped.
    pub refused: Option<u16>,
}

/// The body of `POST /repos/{o}/{r}/issues`. By hand: octocrab's
/// `CreateIssueBuilder` has no `type` (issue type) field.
#[derive(Serialize)]
struct CreateBody<'a> {
    title: &'a str,
    body: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    labels: &'a [String],
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    issue_type: Option<&'a str>,
}

/// The answer to a create: octocrab's issue, plus the `type` its model
/// lacks.
#[derive(Deserialize)]
struct Created {
    #[serde(flatten)]
    issue: Issue,
    #[serde(default, rename = "type")]
    issue_type: Option<IssueType>,
}

#[derive(Deserialize)]
struct IssueType {
    name: String,
}

impl GitHub {
    /// `GET /search/issues?q=…`, at most `limit` issues (pull requests are
    /// skipped), best match first. The query string is the caller's.
    pub async fn search_issues(&self, q: &str, limit: usize) -> Result<Vec<IssueRecord>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let call = self.call("GET", "/search/issues", "search issues", "search endpoint");
        let crab = self.crab()?;
        let per_page = u8::try_from(limit.min(100)).unwrap_or(100);
        let first = crab
            .search()
            .issues_and_pull_requests(q)
            .per_page(per_page)
            .send()
            .await
            .map_err(|e| self.fail(&call, e))?;
        let (mut records, failed) = self
            .follow_pages(&crab, first, &call, limit, issue_record)
            .await;
        if let Some(e) = failed {
            return Err(e);
        }
        records.truncate(limit);
        Ok(records)
    }

    /// All issues of `repo` (pull requests skipped), least recently updated
    /// first, optionally only those updated at or after `since` (RFC 3339;
    /// a value that is not is ignored, which lists everything). With
    /// `etag`, the first page is a conditional request: a 304 costs
    /// nothing against the rate limit and gives [`ListOutcome::NotModified`].
    pub async fn list_issues(
        &self,
        repo: &Repo,
        since: Option<&str>,
        etag: Option<&str>,
    ) -> Result<ListOutcome> {
        let route = path(&["repos", &repo.owner, &repo.name, "issues"]);
        let action = format!("list the issues of {repo}");
        let not_found = format!("repository {repo}");
        let call = self.call("GET", &route, &action, &not_found);
        let crab = self.crab()?;
        let handler = crab.issues(&repo.owner, &repo.name);
        let mut list = handler
            .list()
            .state(params::State::All)
            .per_page(100u8)
            .sort(params::issues::Sort::Updated)
            .direction(Direction::Ascending);
        if let Some(t) = since.and_then(|s| DateTime::parse_from_rfc3339(s).ok()) {
            list = list.since(t.with_timezone(&Utc));
        }
        // octocrab's builder sends no If-None-Match: its parameters go out
        // through the conditional GET.
        let query = serde_urlencoded::to_string(&list).map_err(|e| GitHubError::Network {
            host: self.host.clone(),
            detail: format!("the request could not be built ({e})"),
        })?;
        let (head, body) = match self
            .conditional(&crab, &format!("{route}?{query}"), etag, &call)
            .await?
        {
            Conditional::NotModified => return Ok(ListOutcome::NotModified),
            Conditional::Fresh { head, body } => (head, body),
        };
        let first_etag = Conditional::etag(&head);
        let first = self.list_page::<Issue>(head, body, &call).await?;
        let (records, interrupted) = self
            .follow_pages(&crab, first, &call, usize::MAX, issue_record)
            .await;
        Ok(ListOutcome::Issues {
            records,
            etag: if interrupted.is_some() {
                None
            } else {
                first_etag
            },
            interrupted,
        })
    }

    /// Opens an issue. If GitHub refuses the labels or the type (422, or
    /// 403 for permission), files it once more without them and says so in
    /// [`CreatedIssue::dropped_labels`]/[`CreatedIssue::dropped_type`].
    ///
    /// Never retried on a 5xx or a dropped connection (the issue may exist
    /// by then): use [`GitHub::find_issue_by_title`] before filing again.
    pub async fn create_issue(&self, repo: &Repo, new: &NewIssue) -> Result<CreatedIssue> {
        let action = format!("open an issue in {repo}");
        self.require_token(&action)?;
        let not_found = format!("repository {repo}");
        let route = path(&["repos", &repo.owner, &repo.name, "issues"]);
        let call = self.call("POST", &route, &action, &not_found);
        let crab = self.crab()?;
        let extras = !new.labels.is_empty() || new.issue_type.is_some();
        let full = CreateBody {
            title: &new.title,
            body: &new.body,
            labels: &new.labels,
            issue_type: new.issue_type.as_deref(),
        };
        let mut answer = crab.post::<_, Created>(&route, Some(&full)).await;
        let mut retried = false;
        let mut refused = None;
        if let Err(octocrab::Error::GitHub { source, .. }) = &answer {
            if extras && matches!(source.status_code.as_u16(), 422 | 403) {
                refused = Some(source.status_code.as_u16());
                let bare = CreateBody {
                    labels: &[],
                    issue_type: None,
                    ..full
                };
                answer = crab.post::<_, Created>(&route, Some(&bare)).await;
                retried = true;
            }
        }
        let created = answer.map_err(|e| self.fail(&call, e))?;
        let labels_there = new.labels.iter().all(|want| {
            created
                .issue
                .labels
                .iter()
                .any(|have| have.name.eq_ignore_ascii_case(want))
        });
        let type_there = match (&new.issue_type, &created.issue_type) {
            (None, _) => true,
            (Some(want), Some(t)) => t.name.eq_ignore_ascii_case(want),
            (Some(_), None) => false,
        };
        Ok(CreatedIssue {
            number: created.issue.number,
            url: created.issue.html_url.to_string(),
            dropped_labels: !new.labels.is_empty() && (retried || !labels_there),
            dropped_type: new.issue_type.is_some() && (retried || !type_there),
            refused,
        })
    }

    /// The login the token belongs to (`GET /user`).
    pub async fn current_user_login(&self) -> Result<String> {
        let action = "tell who the token belongs to";
        self.require_token(action)?;
        let call = self.call("GET", "/user", action, "user for this token");
        let crab = self.crab()?;
        let me = crab
            .current()
            .user()
            .await
            .map_err(|e| self.fail(&call, e))?;
        Ok(me.login)
    }

    /// An issue of `repo` opened by `author` with exactly this title (after
    /// trimming), among the author's 30 most recent; used after a timeout to
    /// avoid filing twice. Uses the issue list rather than search, which
    /// lags behind new issues.
    pub async fn find_issue_by_title(
        &self,
        repo: &Repo,
        title: &str,
        author: &str,
        created_since: Option<u64>,
    ) -> Result<Option<CreatedIssue>> {
        // Clocks differ: allow ten minutes before the attempt began.
        let since = created_since.and_then(|t| {
            DateTime::<Utc>::from_timestamp(i64::try_from(t.saturating_sub(600)).ok()?, 0)
        });
        let route = path(&["repos", &repo.owner, &repo.name, "issues"]);
        let action = format!("list the issues of {repo}");
        let not_found = format!("repository {repo}");
        let call = self.call("GET", &route, &action, &not_found);
        let crab = self.crab()?;
        let handler = crab.issues(&repo.owner, &repo.name);
        let mut list = handler
            .list()
            .state(params::State::All)
            .sort(params::issues::Sort::Created)
            .direction(Direction::Descending)
            .per_page(30u8);
        if !author.is_empty() {
            list = list.creator(author);
        }
        let page = list.send().await.map_err(|e| self.fail(&call, e))?;
        let want = title.trim();
        Ok(page
            .items
            .into_iter()
            .filter(|i| i.pull_request.is_none())
            .find(|i| {
                i.title.trim() == want
                    && since.is_none_or(|s| i.created_at >= s)
                    && (author.is_empty() || i.user.login.eq_ignore_ascii_case(author))
            })
            .map(|i| CreatedIssue {
                number: i.number,
                url: i.html_url.to_string(),
                dropped_labels: false,
                dropped_type: false,
                refused: None,
            }))
    }

    // ----- for the Action ---------------------------------------------------

    /// Adds labels; returns the labels now on the issue.
    pub async fn add_labels(
        &self,
        repo: &Repo,
        number: u64,
        labels: &[String],
    ) -> Result<Vec<String>> {
        let action = format!("label {repo}#{number}");
        self.require_token(&action)?;
        let route = issue_path(repo, number, &["labels"]);
        let not_found = format!("issue {repo}#{number}");
        let call = self.call("POST", &route, &action, &not_found);
        let crab = self.crab()?;
        let now = crab
            .issues(&repo.owner, &repo.name)
            .add_labels(number, labels)
            .await
            .map_err(|e| self.fail(&call, e))?;
        Ok(now.into_iter().map(|l| l.name).collect())
    }

    /// Removes one label; `Ok(false)` when it was not on the issue.
    pub async fn remove_label(&self, repo: &Repo, number: u64, label: &str) -> Result<bool> {
        let action = format!("remove label `{label}` from {repo}#{number}");
        self.require_token(&action)?;
        let route = issue_path(repo, number, &["labels", label]);
        let not_found = format!("issue {repo}#{number}");
        let call = self.call("DELETE", &route, &action, &not_found);
        let crab = self.crab()?;
        match crab
            .issues(&repo.owner, &repo.name)
            .remove_label(number, label)
            .await
        {
            Ok(_) => Ok(true),
            Err(octocrab::Error::GitHub { source, .. }) if source.status_code.as_u16() == 404 => {
                Ok(false)
            }
            Err(e) => Err(self.fail(&call, e)),
        }
    }

    /// Closes an issue with a `state_reason` (`completed`, `not_planned`,
    /// `duplicate`).
    pub async fn close_issue(&self, repo: &Repo, number: u64, reason: &str) -> Result<()> {
        let action = format!("close {repo}#{number}");
        self.require_token(&action)?;
        let route = issue_path(repo, number, &[]);
        let not_found = format!("issue {repo}#{number}");
        let call = self.call("PATCH", &route, &action, &not_found);
        // GitHub answers 422 to a reason it does not know; so do we, at once.
        let Some(reason) = state_reason(reason) else {
            return Err(GitHubError::Rejected {
                host: self.host.clone(),
                action,
                status: 422,
                message: format!("`{reason}` is not a state_reason GitHub knows"),
            });
        };
        let crab = self.crab()?;
        crab.issues(&repo.owner, &repo.name)
            .update(number)
            .state(GhState::Closed)
            .state_reason(reason)
            .send()
            .await
            .map_err(|e| self.fail(&call, e))?;
        Ok(())
    }
}
