//! Bad input ends in one sentence naming the culprit, with exit 2; never a
//! panic or a hang.

use crate::support::*;
use predicates::prelude::*;

fn one_sentence_error(out: &std::process::Output, code: i32, culprit: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(culprit), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_file() {
    let out = preflight()
        .args(["lint", "/nonexistent/body.md"])
        .output()
        .unwrap();
    one_sentence_error(&out, 2, "/nonexistent/body.md: no such file");
}

#[test]
fn directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = preflight().arg("lint").arg(dir.path()).output().unwrap();
    one_sentence_error(&out, 2, "is a directory");
}

#[test]
fn invalid_utf8() {
    let out = preflight()
        .arg("lint")
        .arg(fixture("invalid-utf8.md"))
        .output()
        .unwrap();
    one_sentence_error(&out, 2, "is not UTF-8");
}

#[test]
fn yaml_that_is_no_form() {
    let out = preflight()
        .args(["lint", "--template"])
        .arg(fixture("not-yaml.yml"))
        .arg("-")
        .write_stdin("### Steps\n\n1. a\n")
        .output()
        .unwrap();
    one_sentence_error(&out, 2, "not-yaml.yml:");
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let out = preflight()
        .args(["templates", "check"])
        .arg(fixture("alias-bomb.yml"))
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("alias-bomb.yml:"));
    let out = preflight()
        .args(["lint", "--template"])
        .arg(fixture("alias-bomb.yml"))
        .arg("-")
        .write_stdin("x")
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    one_sentence_error(&out, 2, "alias-bomb.yml:");
}

#[test]
fn ten_megabyte_body() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.md");
    std::fs::write(&path, "a".repeat(10_000_000)).unwrap();
    let out = preflight().arg("lint").arg(&path).output().unwrap();
    one_sentence_error(
        &out,
        2,
        "huge.md: is 10,000,000 bytes; preflight reads at most 1,048,576 bytes (1 MiB)",
    );
    let out = preflight()
        .arg("lint")
        .write_stdin("a".repeat(10_000_000))
        .output()
        .unwrap();
    one_sentence_error(
        &out,
        2,
        "standard input: is longer than 1,048,576 bytes (1 MiB)",
    );
}

#[test]
fn draft_naming_an_unknown_form() {
    preflight()
        .arg("lint")
        .write_stdin("template: nope\ntitle: x\nanswers: {}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no form `nope`"));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    preflight().arg("frobnicate").assert().code(2);
}

#[test]
fn lint_exit_codes() {
    preflight()
        .args(["lint", "--title", "Replies land at the top"])
        .write_stdin(
            "template: 4.feature_request.yml\ntitle: Pin hashtag columns\nanswers:\n  Pitch: Let people pin a hashtag column.\n  Motivation: Columns get lost among many.\n",
        )
        .assert()
        .code(0)
        .stdout(predicate::str::contains("clean"));
    preflight()
        .arg("lint")
        .write_stdin("template: 4.feature_request.yml\ntitle: Pin hashtag columns\nanswers:\n  Pitch: Let people pin a hashtag column.\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[missing-required] Motivation:"));
}
