//! issue-preflight: check a GitHub issue before it is filed.
//!
//! The library is the pipeline, one module a step:
//!
//! template source ([`form::source`]) → form model ([`form`]) → draft
//! ([`draft`]: answers, the rendered body, saved drafts) → checks
//! ([`checks`]: lint, triage, duplicate search) → decision ([`decision`])
//! → act ([`act`]: file, redirect; [`action`]: the GitHub Action's comment,
//! labels and closing).
//!
//! Beside it: the network clients ([`github`], [`mastodon`]), the process's
//! one runtime and clients ([`services`]), text handling shared by the
//! checks ([`text`]), bounded file access ([`files`]), the one YAML loader
//! ([`yaml`]), evaluation on a labelled corpus ([`eval`]) and how long
//! operations report how far they got ([`progress`]). The front ends (the
//! `preflight` binary's commands, the interactive drafter, the Action's
//! entry point) live in the binary; the library never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod act;
pub mod action;
pub mod checks;
pub mod corpus;
pub mod decision;
pub mod draft;
pub mod embed;
pub mod error;
pub mod eval;
pub mod files;
pub mod form;
pub mod github;
pub mod http;
pub mod issue;
pub mod learn;
pub mod mastodon;
pub mod policy;
pub mod progress;
pub mod repo;
pub mod services;
pub mod text;
pub mod yaml;

pub use error::{Error, Result};
