//! All integration tests, one binary: one link step for the whole suite.

mod support;

mod action;
mod checks_cli;
mod cli_errors;
mod contract;
mod doctor;
mod drafter;
mod drafter_questions;
#[cfg(feature = "embed")]
mod embed_reference;
#[cfg(feature = "embed")]
mod embed_tiny;
mod github_client;
mod github_json;
mod golden;
mod hardening;
mod hostile;
mod layout;
mod lint_rules;
mod manners;
mod mastodon_contact;
mod model;
mod roundtrip;
mod templates;
mod triage_regressions;
mod views;
