//! `preflight doctor` against a fake GitHub: what it reports, that it never
//! shows the token, and that it exits 1 only when something needs fixing.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_doctorTestToken1234567890";

/// GitHub's `GET /rate_limit` answer, as documented, trimmed of budgets
/// the tool does not spend.
fn rate_limit(core_remaining: u64) -> serde_json::Value {
    let budget = |limit: u64, remaining: u64| json!({"limit": limit, "used": limit - remaining, "remaining": remaining, "reset": 1_900_000_000u64});
    json!({
        "resources": {
            "core": budget(5000, core_remaining),
            "search": budget(30, 28),
            "graphql": budget(5000, 5000),
            "integration_manifest": budget(5000, 5000),
            "code_search": budget(10, 10)
        },
        "rate": budget(5000, core_remaining)
    })
}

struct Ran {
    code: Option<i32>,
    stdout: String,
}

fn doctor(api: &str, cache: &Path, env: &[(&str, &str)], args: &[&str]) -> Ran {
    let out = preflight()
        .env("GITHUB_API_URL", api)
        .env("XDG_STATE_HOME", cache.join("state"))
        .env_remove("PREFLIGHT_MODEL")
        .env_remove("PREFLIGHT_INSTANCE")
        .arg("--cache-dir")
        .arg(cache.join("cache"))
        .envs(env.iter().copied())
        .arg("doctor")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
        "the token was printed"
    );
    Ran {
        code: out.status.code(),
        stdout,
    }
}

fn line<'a>(out: &'a str, topic: &str) -> &'a str {
    out.lines()
        .find(|l| l.split_whitespace().nth(1) == Some(topic))
        .unwrap_or_else(|| panic!("no {topic} line in:\n{out}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn all_is_well_with_a_token_that_github_accepts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rate_limit"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(rate_limit(4990)))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let out = tokio::task::spawn_blocking({
        let dir = dir.path().to_path_buf();
        move || doctor(&uri, &dir, &[("GITHUB_TOKEN", TOKEN)], &[])
    })
    .await
    .unwrap();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(line(&out.stdout, "token").starts_with("ok"));
    assert!(line(&out.stdout, "token").contains("GITHUB_TOKEN"));
    let gh = line(&out.stdout, "github");
    assert!(gh.starts_with("ok"), "{gh}");
    assert!(gh.contains("4990 of 5000 left"), "{gh}");
    assert!(gh.contains("28 of 30 left"), "{gh}");
    assert!(line(&out.stdout, "forms").contains("4 from the embedded Mastodon forms"));
    assert!(line(&out.stdout, "cache").starts_with("ok"));
    assert!(line(&out.stdout, "state").starts_with("ok"));
    // No index yet: a note with its fix, not a failure.
    assert!(line(&out.stdout, "index").starts_with("note"));
    assert!(
        out.stdout.contains("fix: `preflight index sync`"),
        "{}",
        out.stdout
    );
    // No model: a note with its fix, not a failure.
    let m = line(&out.stdout, "model");
    assert!(m.starts_with("note") && m.contains("by words alone"), "{m}");
    assert!(
        out.stdout.contains("fix: `preflight model fetch`"),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_or_an_exhausted_limit_needs_fixing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rate_limit"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Bad credentials", "status": "401"})),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let d = dir.path().to_path_buf();
    let out =
        tokio::task::spawn_blocking(move || doctor(&uri, &d, &[("GITHUB_TOKEN", TOKEN)], &[]))
            .await
            .unwrap();
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(line(&out.stdout, "github").starts_with("fail"));
    assert!(
        out.stdout.contains("fix: set a valid token"),
        "{}",
        out.stdout
    );

    let empty = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rate_limit"))
        .respond_with(ResponseTemplate::new(200).set_body_json(rate_limit(0)))
        .mount(&empty)
        .await;
    let uri = empty.uri();
    let d = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || doctor(&uri, &d, &[], &[]))
        .await
        .unwrap();
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    let gh = line(&out.stdout, "github");
    assert!(
        gh.starts_with("fail") && gh.contains("exhausted until"),
        "{gh}"
    );
    assert!(
        out.stdout.contains("fix: wait, or set GITHUB_TOKEN"),
        "{}",
        out.stdout
    );
    assert!(line(&out.stdout, "token").starts_with("note"));
}

#[test]
fn offline_is_said_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on port 9.
    let out = doctor("http://127.0.0.1:9", dir.path(), &[], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    let gh = line(&out.stdout, "github");
    assert!(
        gh.starts_with("note") && gh.contains("could not reach"),
        "{gh}"
    );
}

#[test]
fn a_broken_index_a_bad_model_folder_and_a_bad_instance_each_get_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("cache/index/mastodon__mastodon.idx");
    std::fs::create_dir_all(index.parent().unwrap()).unwrap();
    std::fs::write(&index, "not an index").unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(model.join("config.json"), "{}").unwrap();
    let model = model.to_string_lossy().into_owned();
    let out = doctor(
        "http://127.0.0.1:9",
        dir.path(),
        &[("PREFLIGHT_MODEL", &model)],
        &["--instance", "not a server"],
    );
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(line(&out.stdout, "index").starts_with("fail"));
    assert!(
        out.stdout.contains("run `preflight index sync`"),
        "{}",
        out.stdout
    );
    let m = line(&out.stdout, "model");
    assert!(
        m.starts_with("fail") && m.contains("tokenizer.json, model.safetensors"),
        "{m}"
    );
    assert!(line(&out.stdout, "instance").starts_with("fail"));
}

#[test]
fn a_good_index_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    preflight()
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .args(["index", "import"])
        .arg(fixture("issues/sample.json"))
        .assert()
        .success();
    let out = doctor("http://127.0.0.1:9", dir.path(), &[], &[]);
    let index = line(&out.stdout, "index");
    assert!(
        index.starts_with("ok") && index.contains("issues of mastodon/mastodon"),
        "{index}"
    );
}
