//! All integration tests, one binary: one link step for the whole suite.

mod support;

mod cli_errors;
mod checks_cli;
mod contract;
mod drafter;
mod github_client;
mod mastodon_contact;
mod lint_rules;
mod roundtrip;
mod templates;
