//! An existing issue as the tool keeps it: what GitHub returns, cut down to
//! what duplicate search, the index and the Action need.

use serde::{Deserialize, Serialize};

/// Open or closed, as GitHub says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum IssueState {
    #[default]
    Open,
    Closed,
}

impl std::fmt::Display for IssueState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IssueState::Open => "open",
            IssueState::Closed => "closed",
        })
    }
}

/// One issue (never a pull request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct IssueRecord {
    pub number: u64,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub state: IssueState,
    /// `completed`, `not_planned`, `duplicate`, `reopened` or none.
    #[serde(default)]
    pub state_reason: Option<String>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub labels: Vec<String>,
    /// The original, where this issue is known to duplicate another.
    #[serde(default)]
    pub duplicate_of: Option<u64>,
    /// RFC 3339, as GitHub gives it; drives incremental sync.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// The author's login.
    #[serde(default)]
    pub author: Option<String>,
}
