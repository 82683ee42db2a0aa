//! `GET /rate_limit`: how many requests the token (or this address, without
//! one) has left. The call itself costs nothing against the limit.

use serde::{Deserialize, Serialize};

use super::{GitHub, Result};

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
        let action = "read the rate limit";
        let call = self.call("GET", "/rate_limit", action, "rate limit endpoint");
        let limits = self
            .crab()?
            .ratelimit()
            .get()
            .await
            .map_err(|e| self.fail(&call, e))?;
        let budget = |r: &octocrab::models::Rate| Budget {
            limit: r.limit as u64,
            remaining: r.remaining as u64,
            reset: r.reset,
        };
        Ok(RateLimits {
            core: budget(&limits.resources.core),
            search: Some(budget(&limits.resources.search)),
        })
    }
}
