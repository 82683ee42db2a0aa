//! Every number that decides what the tool does with a draft or an issue,
//! in one place: the thresholds of the decision ([`Policy`], which the
//! Action's config can set) and the fixed limits beside them.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Issues fetched from the search API before they are ranked locally.
pub const SEARCH_LIMIT: usize = 50;
/// Candidates shown to a reporter while drafting.
pub const OFFERED: usize = 3;
/// Probability of support from which the drafter asks its questions (does
/// it happen elsewhere, do you run the server, is it your account, could it
/// be misused) even when support is not the likeliest verdict: text alone
/// cannot settle support on reports it has never seen, the reporter can.
pub const QUESTIONS_AT: f64 = 0.25;
/// How long a Mastodon server gets to say who runs it.
pub const CONTACT_TIMEOUT: Duration = Duration::from_secs(8);
/// An index synced longer ago than this is refreshed through the search
/// API instead (and used only when the search fails).
pub const INDEX_FRESH_SECS: u64 = 7 * 24 * 3600;

/// How sure the checks must be before they act. Each threshold left unset
/// is the trained model's own, chosen by cross-validation when it was
/// trained (see `checks::triage::model` and `checks::dupes`); the Action's
/// config (`thresholds:` in `.github/preflight.yml`) may set any of them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Policy {
    /// Probability of support from which a draft is sent to the admin (the
    /// Action: labelled and told where to go). The model's own aims at
    /// precision 0.90 on held-out reports and is relaxed to what they
    /// support (see the triage model's `Thresholds`).
    pub redirect: Option<f64>,
    /// Stricter: from which the Action may close it, where configured. The
    /// model's own needs precision 0.97 on held-out reports, which the
    /// shipped model does not reach: it never closes by itself.
    pub close: Option<f64>,
    /// Duplicate score from which a candidate counts as the same issue.
    pub duplicate: Option<f64>,
    /// Duplicate score from which a candidate is offered (listed) at all;
    /// weaker matches cost the reporter's attention for nothing.
    #[serde(alias = "list")]
    pub offer: Option<f64>,
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
            if let Some(v) = v.filter(|v| !(0.0..=1.0).contains(v)) {
                return Err(format!(
                    "thresholds.{name} is {v}; give a number from 0 to 1"
                ));
            }
        }
        Ok(())
    }
}
