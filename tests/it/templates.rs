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

/// Another repository's live forms: fetched over the contents API, cached,
/// and read from the cache when GitHub fails.
#[tokio::test(flavor = "multi_thread")]
async fn live_forms_of_another_repository_are_fetched_and_cached() {
    use crate::github_client::{contents_entry, contents_file};
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let gh = MockServer::start().await;
    let dir = "/repos/acme/app/contents/.github/ISSUE_TEMPLATE";
    let form = std::fs::read_to_string(fixture("forms/good/bug.yml")).unwrap();
    Mock::given(method("GET"))
        .and(path(dir))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([contents_entry(&gh, "bug.yml", "sha1", "file")])),
        )
        .up_to_n_times(1)
        .mount(&gh)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{dir}/bug.yml")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(contents_file(&gh, "bug.yml", "sha1", &form)),
        )
        .up_to_n_times(1)
        .mount(&gh)
        .await;
    let cache = tempfile::tempdir().unwrap();
    let list = || {
        preflight()
            .env("GITHUB_API_URL", gh.uri())
            .arg("--cache-dir")
            .arg(cache.path())
            .args(["--repo", "acme/app", "templates", "list"])
            .output()
            .unwrap()
    };
    let first = list();
    let out = String::from_utf8_lossy(&first.stdout);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        out.contains("acme/app on GitHub") && out.contains("bug.yml"),
        "{out}"
    );

    // GitHub now refuses: the cached forms still serve.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
        )
        .mount(&gh)
        .await;
    let again = list();
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(
        out.contains("bug.yml") && out.contains("cached copy"),
        "{out}"
    );
}

#[test]
fn check_without_paths_checks_the_forms_in_use() {
    preflight()
        .args(["templates", "check"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("5 files checked, 0 with problems"));
    preflight()
        .arg("--templates")
        .arg(fixture("forms/bad"))
        .args(["templates", "check"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "duplicate-id.yml:9:5: duplicate id `version`",
        ));
}
