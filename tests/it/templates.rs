//! `preflight templates`: list, show and check.

use crate::support::*;
use predicates::prelude::*;

#[test]
fn list_shows_the_embedded_mastodon_forms_offline() {
    preflight()
        .args(["templates", "list"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1.web_bug_report.yml"))
        .stdout(predicate::str::contains("Feature Request"))
        .stdout(predicate::str::contains(
            "https://github.com/mastodon/mastodon/discussions",
        ));
}

#[test]
fn list_and_show_a_local_folder() {
    preflight()
        .arg("--templates")
        .arg(fixture("forms/good"))
        .args(["templates", "show", "bug"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "- Browsers [id: browsers]: dropdown (several), required",
        ))
        .stdout(predicate::str::contains("title prefix: [Bug]: "));
}

#[test]
fn show_an_unknown_form_lists_the_known_ones() {
    preflight()
        .args(["templates", "show", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no form `nope`"))
        .stderr(predicate::str::contains("Feature Request"));
}

#[test]
fn check_accepts_good_forms() {
    preflight()
        .args(["templates", "check"])
        .arg(fixture("forms/good"))
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn check_names_file_line_and_column() {
    let cases = [
        ("duplicate-id.yml", 9, "duplicate id `version`"),
        ("duplicate-label.yml", 9, "duplicate label `Version`"),
        ("empty-dropdown.yml", 7, "has no options"),
        ("unknown-key.yml", 7, "colour"),
        ("unknown-type.yml", 4, "slider"),
        ("missing-name.yml", 1, "name"),
    ];
    for (file, line, text) in cases {
        let path = fixture("forms/bad").join(file);
        let out = preflight()
            .args(["templates", "check"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let prefix = format!("{}:{line}:", path.display());
        assert!(stdout.starts_with(&prefix), "{file}: {stdout}");
        assert!(stdout.contains(text), "{file}: {stdout}");
    }
}
