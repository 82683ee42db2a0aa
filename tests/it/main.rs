//! All integration tests, one binary: one link step for the whole suite.

mod support;

mod action;
mod checks_cli;
mod cli_errors;
mod contract;
mod doctor;
mod drafter;
mod github_client;
mod golden;
mod layout;
mod lint_rules;
mod manners;
mod mastodon_contact;
mod roundtrip;
mod templates;
mod triage_regressions;
