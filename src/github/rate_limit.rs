//! `GET /rate_limit`: how many requests the token (or this address, without
//! one) has left. The call itself costs nothing against the limit.

use serde::{Deserialize, Serialize};

use super::{Call, GitHub, Result, Verb};

/// One of GitHub's budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct Budget {
    pub limit: u64,
    pub remaining: u64,
    /// Unix time at which `remaining` goes back to `limit`.
    pub reset: u64,
}

/// The budgets the tool spends: REST calls, and searches (the duplicate
/// search without an index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RateLimits {
    pub core: Budget,
    pub search: Option<Budget>,
}

impl GitHub {
    /// The rate limits in force for this client's token (or address).
    pub async fn rate_limit(&self) -> Result<RateLimits> {
        #[derive(Deserialize)]
        struct Resources {
            core: Budget,
            search: Option<Budget>,
        }
        #[derive(Deserialize)]
        struct Answer {
            resources: Resources,
        }
        let action = "read the rate limit";
        let url = self.url(&["rate_limit"], &[]);
        let answer = self.send(&Call::new(Verb::Get, url, action)).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, action, "rate limit endpoint"));
        }
        let a: Answer = self.json(&answer)?;
        Ok(RateLimits {
            core: a.resources.core,
            search: a.resources.search,
        })
    }
}
