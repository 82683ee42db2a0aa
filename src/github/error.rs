//! What can go wrong talking to GitHub, one sentence each.
//!
//! No variant ever carries the token: messages quoted from GitHub are scrubbed
//! of it before they are stored (see `GitHub::clean`).

/// A failure of the GitHub API or of the network on the way to it.
///
/// The CLI maps every variant to exit code 3 except the two configuration
/// errors, which are usage errors (exit code 2); [`GitHubError::exit_code`]
/// says which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitHubError {
    /// `GITHUB_API_URL` is not an http(s) URL.
    #[error("GITHUB_API_URL `{value}` is not an http(s) URL; unset it or set it to e.g. https://api.github.com")]
    BadApiUrl { value: String },

    /// The token found in `source` cannot be sent in an HTTP header.
    #[error("the token in {source_name} contains spaces or control characters; set it again without them")]
    BadToken { source_name: String },

    /// An operation that needs a token was asked for without one.
    #[error("{host} needs a token to {action}; set GITHUB_TOKEN or run `gh auth login`")]
    NoToken { host: String, action: String },

    /// 401: the token was refused.
    #[error("the token was refused by {host}; check GITHUB_TOKEN or run `gh auth login`")]
    Unauthorized { host: String },

    /// 404: the repository, issue or resource does not exist (or is private).
    #[error("{host} has no {what}, or it is private and the token cannot see it; check the name")]
    NotFound { host: String, what: String },

    /// 403 that is not a rate limit: the token lacks the permission.
    #[error("{host} refused to {action}: {message}; check that the token may do this")]
    Forbidden {
        host: String,
        action: String,
        message: String,
    },

    /// Primary or secondary rate limit, and waiting would exceed the budget.
    #[error("{host} refused the request: {detail}; {advice}")]
    RateLimited {
        host: String,
        /// e.g. "rate limit exhausted until 14:05 UTC".
        detail: String,
        /// "wait or set GITHUB_TOKEN" without a token, "wait and try again" with one.
        advice: String,
        /// Unix time at which the limit resets, when GitHub said.
        reset_at: Option<u64>,
    },

    /// 422 or another 4xx GitHub explained.
    #[error("{host} rejected the request to {action} (HTTP {status}): {message}")]
    Rejected {
        host: String,
        action: String,
        status: u16,
        message: String,
    },

    /// 5xx, after the retries.
    #[error(
        "{host} failed with HTTP {status} to {action} after {attempts} attempt(s); try again later"
    )]
    Server {
        host: String,
        action: String,
        status: u16,
        attempts: u32,
    },

    /// Could not connect, or the connection failed or timed out.
    #[error("could not reach {host}: {detail}; check the network connection or GITHUB_API_URL")]
    Network { host: String, detail: String },

    /// The answer was not the JSON shape GitHub sends for that endpoint.
    #[error("{host} sent an unexpected answer to {endpoint}: {detail}")]
    Malformed {
        host: String,
        endpoint: String,
        detail: String,
    },
}

impl GitHubError {
    /// 2 for configuration mistakes the user fixes (bad URL, bad token text),
    /// 3 for network and API failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            GitHubError::BadApiUrl { .. } | GitHubError::BadToken { .. } => 2,
            _ => 3,
        }
    }

    /// True for a rate limit, so a caller can fall back (e.g. to a local index).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, GitHubError::RateLimited { .. })
    }

    /// True when the network (not GitHub) failed, so a caller can go offline.
    pub fn is_network(&self) -> bool {
        matches!(self, GitHubError::Network { .. })
    }
}
