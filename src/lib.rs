//! issue-preflight: check a GitHub issue before it is filed.
//!
//! The pipeline, one module a step: template source ([`form::source`]) →
//! form model ([`form`]) → draft ([`draft`], [`body`]) → checks
//! ([`checks::lint`]) → decision → action.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod body;
pub mod checks;
pub mod cli;
pub mod corpus;
pub mod document;
pub mod draft;
pub mod error;
pub mod form;
pub mod input;
pub mod issue;
pub mod repo;
pub mod report;

pub use error::{Error, Result};
