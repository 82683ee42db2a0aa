//! octocrab's models made into the tool's: the one conversion from a
//! GitHub issue to the index's [`IssueRecord`], and the comment the Action
//! works with.

use chrono::SecondsFormat;
use octocrab::models::issues::{Comment as GhComment, Issue, IssueStateReason};
use octocrab::models::IssueState as GhState;

use crate::issue::{IssueRecord, IssueState};

/// A comment on an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub body: String,
    /// Login of the author.
    pub author: Option<String>,
    pub url: String,
}

impl From<GhComment> for Comment {
    fn from(c: GhComment) -> Comment {
        Comment {
            id: c.id.into_inner(),
            body: c.body.unwrap_or_default(),
            author: Some(c.user.login),
            url: c.html_url.to_string(),
        }
    }
}

/// The index's record of a GitHub issue; `None` for a pull request (the
/// issue endpoints list both).
pub(crate) fn issue_record(issue: Issue) -> Option<IssueRecord> {
    if issue.pull_request.is_some() {
        return None;
    }
    Some(IssueRecord {
        number: issue.number,
        title: issue.title,
        body: issue.body.unwrap_or_default(),
        state: match issue.state {
            GhState::Closed => IssueState::Closed,
            _ => IssueState::Open,
        },
        state_reason: issue.state_reason.as_ref().and_then(state_reason_text),
        url: issue.html_url.to_string(),
        labels: issue.labels.into_iter().map(|l| l.name).collect(),
        duplicate_of: None,
        updated_at: Some(issue.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        author: Some(issue.user.login),
    })
}

/// `completed`, `not_planned`, `duplicate`, `reopened`: GitHub's words.
fn state_reason_text(reason: &IssueStateReason) -> Option<String> {
    match serde_json::to_value(reason) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

/// GitHub's word for a `state_reason`, as octocrab's type.
pub(crate) fn state_reason(text: &str) -> Option<IssueStateReason> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_reasons_read_both_ways() {
        for word in ["completed", "not_planned", "duplicate", "reopened"] {
            let r = state_reason(word).unwrap();
            assert_eq!(state_reason_text(&r).as_deref(), Some(word));
        }
        assert!(state_reason("wontfix").is_none());
    }
}
