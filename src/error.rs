//! The errors a command can end with, and the exit code each maps to.
//! Findings (lint errors, a support verdict, a strong duplicate) are not
//! errors: they are results, and exit 1 through the command's outcome.

use std::path::Path;

/// Exit codes, as PRODUCT.md fixes them.
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const INPUT: i32 = 2;
    pub const NETWORK: i32 = 3;
    /// Ctrl-C at a prompt (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// A file or standard input could not be used as input.
    #[error("{path}: {reason}")]
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
    #[error("{path}: {reason}")]
    State { path: String, reason: String },
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Network(_) => exit::NETWORK,
            Error::Interrupted(_) => exit::INTERRUPTED,
            _ => exit::INPUT,
        }
    }

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
