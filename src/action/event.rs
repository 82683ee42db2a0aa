//! The event that started the workflow, read from `GITHUB_EVENT_PATH` (never
//! from `${{ github.event }}`): which issue, what happened to it, and who
//! wrote it.

use crate::error::Error;
use serde::Deserialize;
use std::path::Path;

/// The `issues` activities checked; anything else is skipped.
pub const CHECKED_ACTIONS: [&str; 3] = ["opened", "edited", "reopened"];

/// What to do with an event.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Check(Box<IssueEvent>),
    /// Nothing to check; the reason, for a notice.
    Skip(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct IssueEvent {
    /// `opened`, `edited` or `reopened`.
    pub action: String,
    pub issue: Issue,
    /// `owner/name` from the payload, for when GITHUB_REPOSITORY is unset.
    pub repository: Option<String>,
}

/// The issue as the webhook payload gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    /// `null` when the body is empty.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
    /// OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIMER,
    /// FIRST_TIME_CONTRIBUTOR, MANNEQUIN or NONE.
    #[serde(default)]
    pub author_association: String,
    #[serde(default)]
    pub labels: Vec<Label>,
    /// `open` or `closed`.
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub html_url: String,
    /// Present when the "issue" is a pull request.
    #[serde(default)]
    pub pull_request: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub login: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Label {
    pub name: String,
}

impl Issue {
    pub fn author(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.login.as_str())
    }

    pub fn label_names(&self) -> Vec<String> {
        self.labels.iter().map(|l| l.name.clone()).collect()
    }

    pub fn body_text(&self) -> &str {
        self.body.as_deref().unwrap_or("")
    }
}

#[derive(Deserialize)]
struct Payload {
    action: Option<String>,
    issue: Option<Issue>,
    repository: Option<Repository>,
}

#[derive(Deserialize)]
struct Repository {
    full_name: String,
}

/// Reads the event `name` (GITHUB_EVENT_NAME) from the payload at `path`
/// (GITHUB_EVENT_PATH). Events other than `issues` are skipped without
/// reading the file.
pub fn read(name: &str, path: Option<&Path>) -> Result<Event, Error> {
    let name = name.trim();
    if name != "issues" {
        let shown = if name.is_empty() { "an unnamed" } else { name };
        return Ok(Event::Skip(format!(
            "{shown} event: preflight only checks `issues` events ({})",
            CHECKED_ACTIONS.join(", ")
        )));
    }
    let path = path.ok_or_else(|| {
        Error::Usage(
            "GITHUB_EVENT_PATH is not set; `preflight action` runs inside a GitHub Actions workflow"
                .into(),
        )
    })?;
    let text =
        crate::files::read_text_file_with(path, crate::files::EVENT).map_err(|e| match e {
            Error::Input { path, reason } => Error::Input {
                path,
                reason: format!("cannot read the event payload: {reason}"),
            },
            e => e,
        })?;
    parse(&text).map_err(|reason| Error::input(path, reason))
}

/// Parses an `issues` event payload.
pub fn parse(text: &str) -> Result<Event, String> {
    let payload: Payload = serde_json::from_str(text).map_err(|e| {
        format!(
            "is not an `issues` event payload: {}",
            crate::text::error_text(&e.to_string())
        )
    })?;
    let action = payload
        .action
        .ok_or("is not an `issues` event payload: it has no `action`")?;
    if !CHECKED_ACTIONS.contains(&action.as_str()) {
        return Ok(Event::Skip(format!(
            "issue {action}: preflight only checks issues {}",
            CHECKED_ACTIONS.join(", ")
        )));
    }
    let issue = payload
        .issue
        .ok_or("is not an `issues` event payload: it has no `issue`")?;
    if issue.pull_request.is_some() {
        return Ok(Event::Skip(format!(
            "#{} is a pull request, not an issue",
            issue.number
        )));
    }
    Ok(Event::Check(Box::new(IssueEvent {
        action,
        issue,
        repository: payload.repository.map(|r| r.full_name),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(action: &str, extra_issue: &str) -> String {
        format!(
            r#"{{
  "action": "{action}",
  "issue": {{
    "number": 42,
    "title": "Replies are shown at the top",
    "body": null,
    "user": {{ "login": "someone", "id": 1, "type": "User" }},
    "author_association": "NONE",
    "labels": [{{ "id": 7, "name": "bug", "color": "d73a4a" }}],
    "state": "open",
    "html_url": "https://github.com/acme/app/issues/42"{extra_issue}
  }},
  "repository": {{ "id": 9, "full_name": "acme/app", "name": "app" }},
  "sender": {{ "login": "someone" }}
}}"#
        )
    }

    #[test]
    fn opened_issue_is_checked() {
        let Event::Check(ev) = parse(&payload("opened", "")).unwrap() else {
            panic!("not checked");
        };
        assert_eq!(ev.action, "opened");
        assert_eq!(ev.issue.number, 42);
        assert_eq!(ev.issue.author(), "someone");
        assert_eq!(ev.issue.body_text(), "");
        assert_eq!(ev.issue.label_names(), ["bug"]);
        assert_eq!(ev.repository.as_deref(), Some("acme/app"));
    }

    #[test]
    fn other_activities_and_pull_requests_are_skipped() {
        assert!(
            matches!(parse(&payload("labeled", "")), Ok(Event::Skip(s)) if s.contains("labeled"))
        );
        assert!(matches!(parse(&payload("closed", "")), Ok(Event::Skip(_))));
        let pr = payload("opened", r#", "pull_request": { "url": "x" }"#);
        assert!(matches!(parse(&pr), Ok(Event::Skip(s)) if s.contains("pull request")));
    }

    #[test]
    fn non_issue_events_are_skipped_without_reading_the_file() {
        let missing = Path::new("/nonexistent/event.json");
        for name in ["pull_request", "pull_request_target", "push", ""] {
            assert!(
                matches!(read(name, Some(missing)), Ok(Event::Skip(_))),
                "{name}"
            );
        }
    }

    #[test]
    fn broken_event_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("event.json");
        std::fs::write(&path, "{ not json").unwrap();
        let e = read("issues", Some(&path)).unwrap_err().to_string();
        assert!(
            e.contains("event.json") && e.contains("not an `issues` event payload"),
            "{e}"
        );
        std::fs::write(&path, r#"{"action":"opened"}"#).unwrap();
        let e = read("issues", Some(&path)).unwrap_err().to_string();
        assert!(e.contains("no `issue`"), "{e}");
        let e = read("issues", Some(&dir.path().join("missing.json")))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read the event payload"), "{e}");
        assert!(read("issues", None)
            .unwrap_err()
            .to_string()
            .contains("GITHUB_EVENT_PATH"));
    }
}
