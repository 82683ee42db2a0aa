//! The errors the library ends with. Callers branch on the variant: the
//! binary maps each to its exit code in one place (`cli::exit_code`).
//! Findings (lint errors, a support verdict, a strong duplicate) are not
//! errors: they are results.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// A file or standard input could not be used as input.
    #[error("{}", located(path, reason))]
    Input { path: String, reason: String },
    /// A YAML file is not a valid issue form or config.
    #[error("{file}:{line}:{col}: {message}")]
    Form {
        file: String,
        line: usize,
        col: usize,
        message: String,
    },
    /// A network or API failure; the message names the host.
    #[error("{0}")]
    Network(String),
    /// The reporter stopped at a prompt; the draft is saved.
    #[error("{0}")]
    Interrupted(String),
    /// Local state (drafts, cache) could not be read or written.
    #[error("{}", located(path, reason))]
    State { path: String, reason: String },
}

/// `path: reason`, or the reason alone when it names the path already
/// (as the index's errors do), so that no message says it twice.
fn located(path: &str, reason: &str) -> String {
    if !path.is_empty() && reason.contains(path) {
        reason.to_string()
    } else {
        format!("{path}: {reason}")
    }
}

impl Error {
    pub fn input(path: impl AsRef<Path>, reason: impl Into<String>) -> Self {
        Error::Input {
            path: path.as_ref().display().to_string(),
            reason: reason.into(),
        }
    }

    pub fn state(path: impl AsRef<Path>, reason: impl std::fmt::Display) -> Self {
        Error::State {
            path: path.as_ref().display().to_string(),
            reason: reason.to_string(),
        }
    }
}

/// A network failure stays one (exit 3); GitHub refusing what was asked
/// (no token, no such repository) is the user's to fix (exit 2).
impl From<crate::github::GitHubError> for Error {
    fn from(e: crate::github::GitHubError) -> Self {
        if e.exit_code() == 3 {
            Error::Network(e.to_string())
        } else {
            Error::Usage(e.to_string())
        }
    }
}

impl From<crate::mastodon::ContactError> for Error {
    fn from(e: crate::mastodon::ContactError) -> Self {
        if e.exit_code() == 3 {
            Error::Network(e.to_string())
        } else {
            Error::Usage(e.to_string())
        }
    }
}

/// Fetching the model: the network, or a file the server sent that is not
/// the pinned one, is a network failure (exit 3: nothing the user typed is
/// wrong, and running again heals a corrupted transfer); a folder that
/// cannot be written is local state (exit 2); a malformed endpoint is usage.
impl From<crate::embed::FetchError> for Error {
    fn from(e: crate::embed::FetchError) -> Self {
        match &e {
            crate::embed::FetchError::Write { path, .. } => Error::state(path, &e),
            crate::embed::FetchError::BadEndpoint { .. } => Error::Usage(e.to_string()),
            _ => Error::Network(e.to_string()),
        }
    }
}
