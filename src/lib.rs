//! issue-preflight: check a GitHub issue before it is filed.
//!
//! The pipeline, one module a step: template source ([`form::source`]) →
//! form model ([`form`]) → draft ([`draft`], [`body`]) → checks
//! ([`checks::lint`]) → decision → action.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod action;
pub mod body;
pub mod checks;
pub mod cli;
pub mod corpus;
pub mod decision;
pub mod document;
pub mod draft;
pub mod drafter;
pub mod dupes;
pub mod embed;
pub mod error;
pub mod file;
pub mod form;
pub mod github;
pub mod input;
pub mod issue;
pub mod mastodon;
pub mod redirect;
pub mod repo;
pub mod report;
pub mod store;
pub mod triage;

pub use error::{Error, Result};
