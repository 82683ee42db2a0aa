//! The one-shot checks from the outside: triage, dupes, index and contact,
//! with their exit codes.

use crate::support::*;
use predicates::prelude::*;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json_out(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn triage_files_a_bug_with_exit_0() {
    let out = preflight()
        .args(["triage", "--format", "json"])
        .arg(fixture("drafts/web-bug.yml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let j = json_out(&out);
    assert_eq!(j["verdict"], "bug");
    assert_eq!(j["redirect"], Value::Null);
    assert!(j["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["signal"].is_string() && r["weight"].is_number() && r["evidence"].is_string()));
}

#[test]
fn triage_redirects_a_support_question_with_exit_1() {
    let out = preflight()
        .args(["triage", "--format", "json"])
        .arg(fixture("drafts/support.yml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j = json_out(&out);
    assert_eq!(j["verdict"], "support");
    assert_eq!(j["redirect"], "instance-admin");
    let c = j["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c));
}

#[test]
fn triage_reads_free_text_from_stdin() {
    // The reasons quote the text (not only the title): what came on
    // standard input was read and weighed.
    preflight()
        .args(["triage", "--title", "My account was suspended"])
        .write_stdin("I can't log in anymore, my account on my server was suspended without any reason. Who do I ask to get it back?")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("support"))
        .stdout(predicate::str::contains("text: “"));
}

fn cache() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn index_import_status_and_offline_dupes() {
    let dir = cache();
    preflight()
        .arg("--cache-dir")
        .arg(dir.path())
        .args(["index", "import"])
        .arg(fixture("issues/sample.json"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Imported 6 issues"));
    preflight()
        .arg("--cache-dir")
        .arg(dir.path())
        .args(["index", "status"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("6 issues (4 open, 2 closed)"));
    let out = preflight()
        .arg("--cache-dir")
        .arg(dir.path())
        .args([
            "dupes",
            "--offline",
            "--format",
            "json",
            "--title",
            "Pinned posts change order when I edit one",
        ])
        .arg(fixture("drafts/web-bug.yml"))
        .output()
        .unwrap();
    let j = json_out(&out);
    let c = j["candidates"].as_array().unwrap();
    assert!(!c.is_empty());
    let top: Vec<u64> = c
        .iter()
        .take(2)
        .map(|c| c["number"].as_u64().unwrap())
        .collect();
    assert!(top.contains(&101) && top.contains(&107), "{j}");
    assert!(
        c.iter().all(|c| c["number"] != 106),
        "pull requests never come back"
    );
    for cand in c {
        let s = cand["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s));
        assert!(cand["why"].as_array().is_some());
        assert!(cand["url"]
            .as_str()
            .unwrap()
            .starts_with("https://github.com/mastodon/mastodon/issues/"));
    }
}

#[test]
fn when_the_search_api_fails_a_stale_index_still_answers() {
    let dir = cache();
    preflight()
        .arg("--cache-dir")
        .arg(dir.path())
        .args(["index", "import"])
        .arg(fixture("issues/sample.json"))
        .assert()
        .code(0);
    // GITHUB_API_URL points at a closed port: the search fails.
    let out = preflight()
        .arg("--cache-dir")
        .arg(dir.path())
        .args(["dupes", "--format", "json"])
        .arg(fixture("drafts/web-bug.yml"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("ranked against the local index"));
    assert_eq!(json_out(&out)["candidates"][0]["number"], 101);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a strong duplicate is a finding"
    );
}

#[test]
fn free_text_that_mentions_answers_is_still_free_text() {
    preflight()
        .args([
            "triage",
            "--format",
            "json",
            "--title",
            "I can't log in to my account",
        ])
        .write_stdin("My password reset email never arrives.\nanswers: none of the FAQ helped\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"verdict\": \"support\""));
}

#[test]
fn offline_dupes_without_an_index_says_how_to_make_one() {
    preflight()
        .arg("--cache-dir")
        .arg(cache().path())
        .args(["dupes", "--offline", "--title", "Pinned posts"])
        .arg(fixture("drafts/web-bug.yml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("preflight index sync"));
}

#[tokio::test(flavor = "multi_thread")]
async fn online_dupes_use_the_search_api_and_rerank() {
    let gh = MockServer::start().await;
    let items: Vec<Value> = serde_json::from_str::<Vec<Value>>(
        &std::fs::read_to_string(fixture("issues/sample.json")).unwrap(),
    )
    .unwrap();
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .and(query_param("per_page", "50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": items.len(), "incomplete_results": false, "items": items
        })))
        .expect(1..)
        .mount(&gh)
        .await;
    let out = preflight()
        .env("GITHUB_API_URL", gh.uri())
        .arg("--cache-dir")
        .arg(cache().path())
        .args(["dupes", "--format", "json"])
        .arg(fixture("drafts/web-bug.yml"))
        .output()
        .unwrap();
    let j = json_out(&out);
    assert_eq!(j["candidates"][0]["number"], 101, "{j}");
    let req = &gh.received_requests().await.unwrap()[0];
    let q = req
        .url
        .query_pairs()
        .find(|(k, _)| k == "q")
        .unwrap()
        .1
        .to_string();
    assert!(
        q.contains("repo:mastodon/mastodon") && q.contains("is:issue"),
        "{q}"
    );
}

#[test]
fn network_failure_is_exit_3_naming_the_host() {
    preflight()
        .args(["contact", "http://127.0.0.1:9"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("127.0.0.1:9"));
    preflight()
        .arg("--cache-dir")
        .arg(cache().path())
        .args(["dupes", "--title", "Pinned posts change order"])
        .arg(fixture("drafts/web-bug.yml"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("127.0.0.1:9"));
}

#[tokio::test(flavor = "multi_thread")]
async fn contact_names_the_admin() {
    let m = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(
                include_str!("../fixtures/mastodon/instance-v2.json")
                    .as_bytes()
                    .to_vec(),
                "application/json",
            ),
        )
        .mount(&m)
        .await;
    preflight()
        .args(["contact", &m.uri()])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("e-mail:  staff@mastodon.social"));
}

#[tokio::test(flavor = "multi_thread")]
async fn index_sync_then_a_repeat_sync_costs_one_conditional_request() {
    use wiremock::matchers::header;
    let gh = MockServer::start().await;
    let items: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture("issues/sample.json")).unwrap())
            .unwrap();
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .mount(&gh)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .set_body_json(items),
        )
        .with_priority(2)
        .mount(&gh)
        .await;
    let dir = cache();
    let sync = || {
        preflight()
            .env("GITHUB_API_URL", gh.uri())
            .env("GITHUB_TOKEN", "ghp_syncTestToken")
            .arg("--cache-dir")
            .arg(dir.path())
            .args(["index", "sync"])
            .output()
            .unwrap()
    };
    let first = sync();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("6 issues new or changed"));
    let before = gh.received_requests().await.unwrap().len();
    let second = sync();
    assert!(String::from_utf8_lossy(&second.stdout).contains("nothing new; 6 issues indexed"));
    let requests = gh.received_requests().await.unwrap();
    assert_eq!(
        requests.len() - before,
        1,
        "a sync with nothing new costs one request"
    );
    let last = requests.last().unwrap();
    assert!(
        last.url.query_pairs().any(|(k, _)| k == "since"),
        "incremental: {}",
        last.url
    );
    for out in [first, second] {
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("ghp_syncTestToken"));
    }
}
