//! Every number that decides what the tool does with a draft or an issue,
//! in one place: the thresholds of the decision ([`Policy`], which the
//! Action's config can set) and the fixed limits beside them.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Issues fetched from the search API before they are ranked locally.
pub const SEARCH_LIMIT: usize = 50;
/// Candidates shown to a reporter while drafting.
pub const OFFERED: usize = 3;
/// How long a Mastodon server gets to say who runs it.
pub const CONTACT_TIMEOUT: Duration = Duration::from_secs(8);
/// An index synced longer ago than this is refreshed through the search
/// API instead (and used only when the search fails).
pub const INDEX_FRESH_SECS: u64 = 7 * 24 * 3600;

/// How sure the checks must be before they act. The Action's config
/// (`thresholds:` in `.github/preflight.yml`) sets the same fields.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Policy {
    /// Triage confidence from which a support question or a question is
    /// sent where it belongs (the Action: labelled and told where to go).
    pub redirect: f64,
    /// Stricter: from which the Action may close it, where configured.
    pub close: f64,
    /// Duplicate score from which a candidate counts as the same issue.
    pub duplicate: f64,
    /// Duplicate score from which a candidate is offered (listed) at all;
    /// weaker matches cost the reporter's attention for nothing.
    #[serde(alias = "list")]
    pub offer: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            redirect: 0.5,
            close: 0.8,
            duplicate: 0.75,
            offer: 0.5,
        }
    }
}

impl Policy {
    /// Every threshold is a probability-like score from 0 to 1.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("redirect", self.redirect),
            ("close", self.close),
            ("duplicate", self.duplicate),
            ("offer", self.offer),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!(
                    "thresholds.{name} is {v}; give a number from 0 to 1"
                ));
            }
        }
        Ok(())
    }
}
