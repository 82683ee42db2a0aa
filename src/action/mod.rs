//! The GitHub Action: on an `issues` event (opened, edited, reopened) it
//! reads the body back into the repository's forms, runs the same checks
//! and the same decision as the drafter, and brings the issue to the state
//! [`plan`] describes: one comment (created once, updated in place, reduced
//! to an all-clear), managed labels, and, where configured, closing a
//! support question. The event comes from `GITHUB_EVENT_PATH`, never from
//! workflow interpolation.
//!
//! Only a bad config or a broken event file fails the run. Any refusal
//! from the API is a warning annotation: a missing label or a token without
//! write access must not turn the reporter's issue red.

pub mod comment;
pub mod config;
pub mod event;
pub mod outputs;
pub mod plan;
mod run;
pub mod workflow;

pub use run::{run, Env, Log, Options};
