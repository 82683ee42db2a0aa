//! The GitHub client against a loopback server speaking GitHub's real
//! response shapes.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use issue_preflight::github::{
    GitHub, GitHubError, ListOutcome, NewIssue, Options, TemplateCache, Token,
};
use issue_preflight::issue::IssueState;
use issue_preflight::repo::Repo;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::github_json;

const TOKEN: &str = "ghp_Z9yXtestTOKENnotReal0123456789abcd";

fn fast() -> Options {
    Options {
        max_retries: 2,
        backoff_base: Duration::from_millis(10),
        max_total_wait: Duration::from_secs(3),
        secondary_wait: Duration::from_millis(20),
        connect_timeout: Duration::from_secs(2),
        deadline: Duration::from_secs(5),
        ..Options::default()
    }
}

fn client(server: &MockServer) -> GitHub {
    GitHub::with_options(&server.uri(), Token::new(TOKEN).unwrap(), fast()).unwrap()
}

fn anonymous(server: &MockServer) -> GitHub {
    GitHub::with_options(&server.uri(), None, fast()).unwrap()
}

fn repo() -> Repo {
    "mastodon/mastodon".parse().unwrap()
}

fn host_of(server: &MockServer) -> String {
    server.uri().trim_start_matches("http://").to_string()
}

/// The error names the host and never shows the token, in Display or Debug.
fn assert_clean(err: &GitHubError, host: &str) {
    let text = err.to_string();
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(!format!("{err:?}").contains(TOKEN), "token leaked in Debug");
    assert!(text.contains(host), "host not named: {text}");
    assert!(!text.contains('\n'), "not one line: {text}");
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

fn user(login: &str) -> Value {
    github_json::user(login)
}

/// An issue as `GET /repos/{o}/{r}/issues` returns it.
fn issue(number: u64, title: &str, state: &str, labels: &[&str]) -> Value {
    let base = "https://api.github.com/repos/mastodon/mastodon";
    json!({
        "url": format!("{base}/issues/{number}"),
        "repository_url": base,
        "labels_url": format!("{base}/issues/{number}/labels{{/name}}"),
        "comments_url": format!("{base}/issues/{number}/comments"),
        "events_url": format!("{base}/issues/{number}/events"),
        "html_url": format!("https://github.com/mastodon/mastodon/issues/{number}"),
        "id": 2_000_000_000u64 + number,
        "node_id": "I_kwDOAAbcde6abcdef",
        "number": number,
        "title": title,
        "user": user("alice"),
        "labels": labels.iter().enumerate().map(|(i, l)| json!({
            "id": 100 + i, "node_id": "LA_kwDOAAbcde8AAAAB", "url": format!("{base}/labels/{l}"),
            "name": l, "color": "d73a4a", "default": false, "description": null
        })).collect::<Vec<_>>(),
        "state": state,
        "locked": false,
        "assignee": null,
        "assignees": [],
        "milestone": null,
        "comments": 2,
        "created_at": "2025-06-01T10:00:00Z",
        "updated_at": format!("2025-06-{:02}T10:00:00Z", 1 + number % 28),
        "closed_at": if state == "closed" { json!("2025-06-20T10:00:00Z") } else { Value::Null },
        "author_association": "NONE",
        "type": null,
        "active_lock_reason": null,
        "sub_issues_summary": { "total": 0, "completed": 0, "percent_completed": 0 },
        "body": format!("### Steps to reproduce the problem\n\nIssue {number}"),
        "closed_by": null,
        "reactions": {
            "url": format!("{base}/issues/{number}/reactions"),
            "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
            "confused": 0, "heart": 0, "rocket": 0, "eyes": 0
        },
        "timeline_url": format!("{base}/issues/{number}/timeline"),
        "performed_via_github_app": null,
        "state_reason": if state == "closed" { json!("completed") } else { Value::Null }
    })
}

/// A pull request as it appears in issue lists and searches.
fn pull(number: u64, title: &str) -> Value {
    let mut v = issue(number, title, "open", &[]);
    v["draft"] = json!(false);
    v["pull_request"] = json!({
        "url": format!("https://api.github.com/repos/mastodon/mastodon/pulls/{number}"),
        "html_url": format!("https://github.com/mastodon/mastodon/pull/{number}"),
        "diff_url": format!("https://github.com/mastodon/mastodon/pull/{number}.diff"),
        "patch_url": format!("https://github.com/mastodon/mastodon/pull/{number}.patch"),
        "merged_at": null
    });
    v
}

fn error_body(message: &str) -> Value {
    json!({
        "message": message,
        "documentation_url": "https://docs.github.com/rest",
        "status": "404"
    })
}

#[tokio::test]
async fn search_maps_issues_and_skips_pull_requests() {
    let server = MockServer::start().await;
    let mut closed = issue(
        30_001,
        "Login fails with 2FA",
        "closed",
        &["bug", "status/to triage"],
    );
    closed["body"] = Value::Null;
    closed["score"] = json!(1.0);
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .and(query_param("q", "repo:mastodon/mastodon is:issue 2FA login"))
        .and(query_param("per_page", "5"))
        .and(header("authorization", bearer().as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 3,
            "incomplete_results": false,
            "items": [closed, pull(30_002, "Fix 2FA login"), issue(30_003, "2FA prompt loops", "open", &[])]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let found = client(&server)
        .search_issues("repo:mastodon/mastodon is:issue 2FA login", 5)
        .await
        .unwrap();

    let numbers: Vec<u64> = found.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [30_001, 30_003]);
    let first = &found[0];
    assert_eq!(first.title, "Login fails with 2FA");
    assert_eq!(first.body, "");
    assert_eq!(first.state, IssueState::Closed);
    assert_eq!(first.state_reason.as_deref(), Some("completed"));
    assert_eq!(first.labels, ["bug", "status/to triage"]);
    assert_eq!(first.author.as_deref(), Some("alice"));
    assert_eq!(
        first.url,
        "https://github.com/mastodon/mastodon/issues/30001"
    );
    assert!(first.updated_at.is_some());
}

#[tokio::test]
async fn list_follows_link_pages_and_keeps_the_first_etag() {
    let server = MockServer::start().await;
    let next = format!(
        "{}/repositories/15983176/issues?state=all&per_page=100&sort=updated&direction=asc&since=2025-01-01T00%3A00%3A00Z&page=2",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .and(query_param("state", "all"))
        .and(query_param("per_page", "100"))
        .and(query_param("sort", "updated"))
        .and(query_param("direction", "asc"))
        .and(query_param("since", "2025-01-01T00:00:00Z"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "W/\"5f2c0ff1\"")
                .insert_header(
                    "link",
                    format!("<{next}>; rel=\"next\", <{next}>; rel=\"last\"").as_str(),
                )
                .set_body_json(json!([issue(1, "one", "open", &[]), pull(2, "two")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    // A page of pull requests only adds nothing but must not end the walk.
    let last = next.replace("page=2", "page=3");
    Mock::given(method("GET"))
        .and(path("/repositories/15983176/issues"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "W/\"page2\"")
                .insert_header("link", format!("<{last}>; rel=\"next\"").as_str())
                .set_body_json(json!([pull(4, "four")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/15983176/issues"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([issue(
            3,
            "three",
            "closed",
            &["bug"]
        )])))
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server)
        .list_issues(&repo(), Some("2025-01-01T00:00:00Z"), None)
        .await
        .unwrap();
    match outcome {
        ListOutcome::Issues {
            records,
            etag,
            interrupted,
        } => {
            let numbers: Vec<u64> = records.iter().map(|r| r.number).collect();
            assert_eq!(numbers, [1, 3]);
            assert_eq!(etag.as_deref(), Some("W/\"5f2c0ff1\""));
            assert!(interrupted.is_none());
        }
        other => panic!("expected issues, got {other:?}"),
    }
}

#[tokio::test]
async fn repeated_conditional_list_is_not_modified() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .and(header("if-none-match", "W/\"5f2c0ff1\""))
        .respond_with(
            ResponseTemplate::new(304)
                .insert_header("etag", "W/\"5f2c0ff1\"")
                .insert_header("x-ratelimit-remaining", "4999"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let outcome = client(&server)
        .list_issues(&repo(), None, Some("W/\"5f2c0ff1\""))
        .await
        .unwrap();
    assert!(matches!(outcome, ListOutcome::NotModified), "{outcome:?}");
}

#[tokio::test]
async fn a_later_page_hitting_the_rate_limit_keeps_what_was_read() {
    let server = MockServer::start().await;
    let next = format!("{}/repositories/1/issues?page=2", server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"first\"")
                .insert_header("link", format!("<{next}>; rel=\"next\"").as_str())
                .set_body_json(json!([issue(7, "seven", "open", &[])])),
        )
        .mount(&server)
        .await;
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 1800;
    Mock::given(method("GET"))
        .and(path("/repositories/1/issues"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                .set_body_json(error_body("API rate limit exceeded for 203.0.113.7.")),
        )
        .mount(&server)
        .await;

    match anonymous(&server)
        .list_issues(&repo(), None, None)
        .await
        .unwrap()
    {
        ListOutcome::Issues {
            records,
            etag,
            interrupted,
        } => {
            assert_eq!(records.len(), 1);
            assert_eq!(records[0].number, 7);
            assert_eq!(
                etag, None,
                "an interrupted listing must not be cached as complete"
            );
            assert!(interrupted
                .expect("interruption reported")
                .is_rate_limited());
        }
        other => panic!("expected partial issues, got {other:?}"),
    }
}

#[tokio::test]
async fn exhausted_rate_limit_fails_at_once_naming_host_and_reset() {
    let server = MockServer::start().await;
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-limit", "10")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-used", "10")
                .insert_header("x-ratelimit-resource", "search")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                .set_body_json(json!({
                    "message": "API rate limit exceeded for 203.0.113.7. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
                    "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
                })),
        )
        .expect(2)
        .mount(&server)
        .await;
    let host = host_of(&server);

    let started = Instant::now();
    let err = anonymous(&server)
        .search_issues("crash", 10)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "waited for an hour-long limit"
    );
    assert!(err.is_rate_limited(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "{host} refused the request: rate limit exhausted until "
        )),
        "{text}"
    );
    assert!(
        text.contains(" UTC") && text.ends_with("wait or set GITHUB_TOKEN"),
        "{text}"
    );
    assert_eq!(err.exit_code(), 3);

    let err = client(&server)
        .search_issues("crash", 10)
        .await
        .unwrap_err();
    assert_clean(&err, &host);
    assert!(err.to_string().ends_with("wait and try again"), "{err}");
}

#[tokio::test]
async fn secondary_limit_with_retry_after_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("retry-after", "1")
                .set_body_json(error_body(
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                )),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user("alice")))
        .expect(1)
        .mount(&server)
        .await;

    let started = Instant::now();
    let login = client(&server).current_user_login().await.unwrap();
    assert_eq!(login, "alice");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After not honoured"
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([issue(
            5,
            "five",
            "open",
            &[]
        )])))
        .expect(1)
        .mount(&server)
        .await;
    let gh = client(&server);
    match gh.list_issues(&repo(), None, None).await.unwrap() {
        ListOutcome::Issues { records, .. } => assert_eq!(records[0].number, 5),
        other => panic!("{other:?}"),
    }

    // A server that keeps failing: 1 attempt + max_retries (2), then an error.
    let failing = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body("Service Unavailable")))
        .expect(3)
        .mount(&failing)
        .await;
    let err = client(&failing).search_issues("x", 1).await.unwrap_err();
    assert!(
        matches!(
            err,
            GitHubError::Server {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_clean(&err, &host_of(&failing));
}

#[tokio::test]
async fn malformed_answers_name_the_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("<!DOCTYPE html><html>proxy login</html>"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": [] })))
        .mount(&server)
        .await;
    let gh = client(&server);
    let host = host_of(&server);

    let err = gh.search_issues("x", 3).await.unwrap_err();
    assert!(matches!(err, GitHubError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("GET /search/issues"), "{err}");
    assert_clean(&err, &host);

    let err = gh.list_issues(&repo(), None, None).await.unwrap_err();
    assert!(matches!(err, GitHubError::Malformed { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("GET /repos/mastodon/mastodon/issues"),
        "{err}"
    );
    assert_clean(&err, &host);
}

#[tokio::test]
async fn refused_token_is_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "message": "Bad credentials",
            "documentation_url": "https://docs.github.com/rest",
            "status": "401"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).search_issues("x", 3).await.unwrap_err();
    assert!(matches!(err, GitHubError::Unauthorized { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("GITHUB_TOKEN") && text.contains("gh auth login"),
        "{text}"
    );
    assert_clean(&err, &host_of(&server));
}

#[tokio::test]
async fn unknown_repository_is_not_found_naming_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/nobody/nothing/issues"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/repos/nobody/nothing/contents/.github/ISSUE_TEMPLATE",
        ))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/nobody/nothing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    let gh = client(&server);
    let nothing: Repo = "nobody/nothing".parse().unwrap();

    let err = gh.list_issues(&nothing, None, None).await.unwrap_err();
    assert!(matches!(err, GitHubError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string().contains("repository nobody/nothing"),
        "{err}"
    );
    assert_clean(&err, &host_of(&server));

    let err = gh.fetch_templates(&nothing, None).await.unwrap_err();
    assert!(
        err.to_string().contains("repository nobody/nothing"),
        "{err}"
    );
    assert_clean(&err, &host_of(&server));
}

#[tokio::test]
async fn unreachable_api_is_a_network_error_naming_the_host() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let gh = GitHub::with_options(
        &format!("http://127.0.0.1:{port}"),
        Token::new(TOKEN).unwrap(),
        fast(),
    )
    .unwrap();
    let err = gh.search_issues("x", 1).await.unwrap_err();
    assert!(err.is_network(), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("could not reach 127.0.0.1:{port}: ")),
        "{err}"
    );
    assert_clean(&err, &format!("127.0.0.1:{port}"));
}

#[tokio::test]
async fn refused_labels_and_type_are_dropped_and_the_issue_filed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .and(header("authorization", bearer().as_str()))
        .and(body_partial_json(json!({
            "title": "Crash when uploading AVIF",
            "labels": ["bug", "status/to triage"],
            "type": "Bug"
        })))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "message": "Validation Failed",
            "errors": [{ "value": "status/to triage", "resource": "Label", "field": "name", "code": "invalid" }],
            "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue",
            "status": "422"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .and(|req: &Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            body.get("labels").is_none()
                && body.get("type").is_none()
                && body["body"] == "### Steps\n\nUpload"
        })
        .respond_with(ResponseTemplate::new(201).set_body_json(issue(
            34_000,
            "Crash when uploading AVIF",
            "open",
            &[],
        )))
        .expect(1)
        .mount(&server)
        .await;

    let created = client(&server)
        .create_issue(
            &repo(),
            &NewIssue {
                title: "Crash when uploading AVIF".into(),
                body: "### Steps\n\nUpload".into(),
                labels: vec!["bug".into(), "status/to triage".into()],
                issue_type: Some("Bug".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(created.number, 34_000);
    assert_eq!(
        created.url,
        "https://github.com/mastodon/mastodon/issues/34000"
    );
    assert!(
        created.dropped_labels && created.dropped_type,
        "{created:?}"
    );
}

#[tokio::test]
async fn silently_dropped_labels_are_noticed_and_writes_need_a_token() {
    let server = MockServer::start().await;
    let mut answer = issue(34_001, "Typo", "open", &[]);
    answer["type"] = json!({ "id": 1, "node_id": "IT_kwDO", "name": "Bug", "description": "An unexpected problem", "color": "red" });
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(201).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    let new = NewIssue {
        title: "Typo".into(),
        body: "x".into(),
        labels: vec!["bug".into()],
        issue_type: Some("Bug".into()),
    };
    let created = client(&server).create_issue(&repo(), &new).await.unwrap();
    assert!(created.dropped_labels, "{created:?}");
    assert!(!created.dropped_type, "{created:?}");

    let err = anonymous(&server)
        .create_issue(&repo(), &new)
        .await
        .unwrap_err();
    assert!(matches!(err, GitHubError::NoToken { .. }), "{err:?}");
    assert!(err.to_string().contains("GITHUB_TOKEN"), "{err}");
}

#[tokio::test]
async fn a_server_error_on_create_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .and(query_param("creator", "alice"))
        .and(query_param("sort", "created"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            pull(9, "Title"),
            issue(8, "Other", "open", &[]),
            issue(7, "Title ", "open", &[])
        ])))
        .mount(&server)
        .await;
    let gh = client(&server);
    let new = NewIssue {
        title: "Title".into(),
        body: "b".into(),
        ..NewIssue::default()
    };
    let err = gh.create_issue(&repo(), &new).await.unwrap_err();
    assert!(
        matches!(
            err,
            GitHubError::Server {
                status: 502,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_clean(&err, &host_of(&server));

    let again = gh
        .find_issue_by_title(&repo(), "Title", "alice", None)
        .await
        .unwrap();
    assert_eq!(again.map(|i| i.number), Some(7));
}

pub(crate) fn contents_entry(server: &MockServer, name: &str, sha: &str, kind: &str) -> Value {
    let p = format!(".github/ISSUE_TEMPLATE/{name}");
    let api = format!(
        "{}/repos/mastodon/mastodon/contents/{p}?ref=main",
        server.uri()
    );
    json!({
        "name": name,
        "path": p,
        "sha": sha,
        "size": 1234,
        "url": api,
        "html_url": format!("https://github.com/mastodon/mastodon/blob/main/{p}"),
        "git_url": format!("https://api.github.com/repos/mastodon/mastodon/git/blobs/{sha}"),
        "download_url": if kind == "file" { json!(format!("https://raw.githubusercontent.com/mastodon/mastodon/main/{p}")) } else { Value::Null },
        "type": kind,
        "_links": {
            "self": api,
            "git": format!("https://api.github.com/repos/mastodon/mastodon/git/blobs/{sha}"),
            "html": format!("https://github.com/mastodon/mastodon/blob/main/{p}")
        }
    })
}

/// Base64 as the contents API sends it: standard alphabet, a newline every
/// 60 characters.
fn base64_lines(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out.as_bytes()
        .chunks(60)
        .map(|l| String::from_utf8_lossy(l).into_owned() + "\n")
        .collect()
}

pub(crate) fn contents_file(server: &MockServer, name: &str, sha: &str, text: &str) -> Value {
    let mut v = contents_entry(server, name, sha, "file");
    v["content"] = json!(base64_lines(text.as_bytes()));
    v["encoding"] = json!("base64");
    v
}

#[tokio::test]
async fn templates_are_fetched_cached_and_revalidated() {
    let server = MockServer::start().await;
    let bug = "name: Bug Report (Web Interface)\ndescription: If something isn’t working as expected\nlabels: [bug, 'status/to triage', 'area/web interface']\ntype: Bug\nbody:\n  - type: textarea\n    attributes:\n      label: Steps to reproduce the problem\n      value: |\n        1.\n        2.\n    validations:\n      required: true\n";
    let config = "blank_issues_enabled: false\ncontact_links:\n  - name: GitHub Discussions\n    url: https://github.com/mastodon/mastodon/discussions\n    about: Please ask and answer questions here.\n";
    let dir_path = "/repos/mastodon/mastodon/contents/.github/ISSUE_TEMPLATE";

    // The revalidation: same ETag, 304.
    Mock::given(method("GET"))
        .and(path(dir_path))
        .and(header("if-none-match", "\"dir-v1\""))
        .respond_with(ResponseTemplate::new(304).insert_header("etag", "\"dir-v1\""))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(dir_path))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"dir-v1\"")
                .set_body_json(json!([
                    contents_entry(&server, "1.web_bug_report.yml", "aaa111", "file"),
                    contents_entry(&server, "README.md", "bbb222", "file"),
                    contents_entry(&server, "config.yml", "ccc333", "file"),
                    contents_entry(&server, "drafts", "ddd444", "dir"),
                ])),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{dir_path}/1.web_bug_report.yml")))
        .respond_with(ResponseTemplate::new(200).set_body_json(contents_file(
            &server,
            "1.web_bug_report.yml",
            "aaa111",
            bug,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{dir_path}/config.yml")))
        .respond_with(ResponseTemplate::new(200).set_body_json(contents_file(
            &server,
            "config.yml",
            "ccc333",
            config,
        )))
        .expect(1)
        .mount(&server)
        .await;

    let tmp = tempfile::tempdir().unwrap();
    let cache = TemplateCache::new(tmp.path().join("forms"));
    let gh = client(&server);

    let first = gh
        .fetch_templates(&repo(), Some(&cache))
        .await
        .unwrap()
        .expect("forms");
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["1.web_bug_report.yml", "config.yml"]);
    assert_eq!(first[0].1, bug);
    assert_eq!(first[1].1, config);

    let second = gh
        .fetch_templates(&repo(), Some(&cache))
        .await
        .unwrap()
        .expect("forms");
    assert_eq!(second, first);
    assert_eq!(cache.cached(gh.api_base(), &repo()), Some(first));

    let on_disk: String = std::fs::read_dir(cache.dir())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!on_disk.contains(TOKEN), "token written to the cache");
}

#[tokio::test]
async fn a_repository_without_forms_is_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/plain/contents/.github/ISSUE_TEMPLATE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Not Found")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/plain"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(github_json::repository("octo", "plain")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let plain: Repo = "octo/plain".parse().unwrap();
    assert_eq!(
        client(&server).fetch_templates(&plain, None).await.unwrap(),
        None
    );
}

fn comment(server: &MockServer, id: u64, body: &str, login: &str) -> Value {
    json!({
        "url": format!("{}/repos/mastodon/mastodon/issues/comments/{id}", server.uri()),
        "html_url": format!("https://github.com/mastodon/mastodon/issues/42#issuecomment-{id}"),
        "issue_url": "https://api.github.com/repos/mastodon/mastodon/issues/42",
        "id": id,
        "node_id": "IC_kwDOAAbcde6abcdef",
        "user": user(login),
        "created_at": "2025-06-01T10:00:00Z",
        "updated_at": "2025-06-01T10:00:00Z",
        "author_association": "NONE",
        "body": body,
        "reactions": { "total_count": 0 },
        "performed_via_github_app": null
    })
}

#[tokio::test]
async fn action_calls_comment_label_and_close() {
    let server = MockServer::start().await;
    let issue_path = "/repos/mastodon/mastodon/issues/42";
    let page2 = format!(
        "{}/repositories/1/issues/42/comments?per_page=100&page=2",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(format!("{issue_path}/comments")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{page2}>; rel=\"next\"").as_str())
                .set_body_json(json!([comment(&server, 1, "me too", "bob")])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/1/issues/42/comments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([comment(
            &server,
            2,
            "<!-- issue-preflight -->\nold",
            "github-actions[bot]"
        )])))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/mastodon/mastodon/issues/comments/2"))
        .and(body_partial_json(
            json!({ "body": "<!-- issue-preflight -->\nnew" }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(comment(
            &server,
            2,
            "<!-- issue-preflight -->\nnew",
            "github-actions[bot]",
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{issue_path}/comments")))
        .and(body_partial_json(json!({ "body": "hello" })))
        .respond_with(ResponseTemplate::new(201).set_body_json(comment(
            &server,
            3,
            "hello",
            "github-actions[bot]",
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{issue_path}/labels")))
        .and(body_partial_json(json!({ "labels": ["support"] })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            github_json::label("mastodon/mastodon", 1, "support"),
            github_json::label("mastodon/mastodon", 2, "bug")
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{issue_path}/labels/status%2Fto%20triage")))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("Label does not exist")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{issue_path}/labels/bug")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(issue_path))
        .and(body_partial_json(
            json!({ "state": "closed", "state_reason": "not_planned" }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(issue(42, "q", "closed", &[])))
        .expect(1)
        .mount(&server)
        .await;

    let gh = client(&server);
    let r = repo();
    let comments = gh.list_comments(&r, 42).await.unwrap();
    assert_eq!(comments.iter().map(|c| c.id).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(comments[1].author.as_deref(), Some("github-actions[bot]"));
    let ours = comments
        .iter()
        .find(|c| c.body.starts_with("<!-- issue-preflight -->"))
        .unwrap();

    let updated = gh
        .update_comment(&r, ours.id, "<!-- issue-preflight -->\nnew")
        .await
        .unwrap();
    assert_eq!(updated.body, "<!-- issue-preflight -->\nnew");
    assert_eq!(gh.create_comment(&r, 42, "hello").await.unwrap().id, 3);
    assert_eq!(
        gh.add_labels(&r, 42, &["support".to_string()])
            .await
            .unwrap(),
        ["support", "bug"]
    );
    assert!(!gh.remove_label(&r, 42, "status/to triage").await.unwrap());
    assert!(gh.remove_label(&r, 42, "bug").await.unwrap());
    gh.close_issue(&r, 42, "not_planned").await.unwrap();
}

#[tokio::test]
async fn permission_refusal_is_forbidden_not_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues/42/labels"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "4990")
                .set_body_json(error_body("Resource not accessible by integration")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .add_labels(&repo(), 42, &["support".to_string()])
        .await
        .unwrap_err();
    assert!(matches!(err, GitHubError::Forbidden { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("Resource not accessible by integration"),
        "{err}"
    );
    assert_clean(&err, &host_of(&server));
}

// ----- the limits every request gets -------------------------------------------

fn with(server_uri: &str, options: Options) -> GitHub {
    GitHub::with_options(server_uri, Token::new(TOKEN).unwrap(), options).unwrap()
}

#[tokio::test]
async fn a_dripping_server_is_given_up_at_the_deadline() {
    let port = crate::support::dripping_server();
    let host = format!("127.0.0.1:{port}");
    let gh = with(
        &format!("http://{host}"),
        Options {
            deadline: Duration::from_millis(1500),
            deadline_after_stall: Duration::from_millis(500),
            ..fast()
        },
    );
    let started = Instant::now();
    let err = gh.search_issues("crash", 5).await.unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(err.is_network(), "{err:?}");
    assert_eq!(err.exit_code(), 3);
    assert_eq!(
        err.to_string(),
        format!("could not reach {host}: no complete answer within 1.5 s; check the network connection or GITHUB_API_URL")
    );
    assert_clean(&err, &host);

    // Not retried, and the next request to the host that stalled gets the
    // short deadline: a command gives up in about one deadline.
    let started = Instant::now();
    let err = gh.list_issues(&repo(), None, None).await.unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1400), "took {took:?}");
    assert!(
        err.to_string().contains("no complete answer within 500 ms"),
        "{err}"
    );
}

#[tokio::test]
async fn an_answer_over_the_size_cap_is_refused_naming_host_and_limit() {
    let server = MockServer::start().await;
    let many: Vec<Value> = (1..=20).map(|n| issue(n, "big", "open", &[])).collect();
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(many)))
        .expect(1)
        .mount(&server)
        .await;
    let gh = with(
        &server.uri(),
        Options {
            max_response_bytes: 16 * 1024,
            ..fast()
        },
    );
    let err = gh.list_issues(&repo(), None, None).await.unwrap_err();
    assert!(matches!(err, GitHubError::Malformed { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{} sent an unexpected answer to GET /repos/mastodon/mastodon/issues: it is larger than the 16 KB allowed",
            host_of(&server)
        )
    );
    assert_eq!(err.exit_code(), 3);
}

#[tokio::test]
async fn an_exhausted_limit_that_resets_soon_is_waited_out() {
    let server = MockServer::start().await;
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 1;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-limit", "30")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-used", "30")
                .insert_header("x-ratelimit-resource", "search")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                .set_body_json(error_body("API rate limit exceeded for user ID 1234567.")),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 1, "incomplete_results": false,
            "items": [issue(9, "nine", "open", &[])]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let found = client(&server).search_issues("nine", 5).await.unwrap();
    assert_eq!(found[0].number, 9);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "x-ratelimit-reset not honoured"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_for_a_write() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues/42/comments"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(error_body("You have exceeded a secondary rate limit.")),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues/42/comments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(comment(&server, 5, "hi", "bob")))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let c = client(&server)
        .create_comment(&repo(), 42, "hi")
        .await
        .unwrap();
    assert_eq!(c.id, 5);
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_changed_list_answers_the_conditional_request_with_a_new_etag() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .and(header("if-none-match", "W/\"old\""))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "W/\"new\"")
                .set_body_json(json!([issue(11, "eleven", "open", &[])])),
        )
        .expect(1)
        .mount(&server)
        .await;
    match client(&server)
        .list_issues(&repo(), Some("2025-06-01T00:00:00Z"), Some("W/\"old\""))
        .await
        .unwrap()
    {
        ListOutcome::Issues { records, etag, .. } => {
            assert_eq!(records[0].number, 11);
            assert_eq!(etag.as_deref(), Some("W/\"new\""));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn search_follows_link_pages_until_it_has_enough() {
    let server = MockServer::start().await;
    let page2 = format!("{}/search/issues?q=pinned&per_page=2&page=2", server.uri());
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 5, "incomplete_results": false,
            "items": [issue(3, "three", "open", &[]), issue(4, "four", "open", &[])]
        })))
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .and(query_param("per_page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    format!("<{page2}>; rel=\"next\", <{page2}>; rel=\"last\"").as_str(),
                )
                .set_body_json(json!({
                    "total_count": 5, "incomplete_results": false,
                    "items": [issue(1, "one", "open", &[]), pull(2, "two")]
                })),
        )
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    let found = client(&server).search_issues("pinned", 2).await.unwrap();
    let numbers: Vec<u64> = found.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 3], "a pull request does not count");
}

#[tokio::test]
async fn a_link_to_another_host_is_not_followed_and_the_token_stays_home() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    let away = format!(
        "{}/repositories/1/issues/42/comments?page=2",
        elsewhere.uri()
    );
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues/42/comments"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{away}>; rel=\"next\"").as_str())
                .set_body_json(json!([comment(&server, 1, "first", "bob")])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"e\"")
                .insert_header(
                    "link",
                    format!(
                        "<{}/repositories/1/issues?page=2>; rel=\"next\"",
                        elsewhere.uri()
                    )
                    .as_str(),
                )
                .set_body_json(json!([issue(1, "one", "open", &[])])),
        )
        .mount(&server)
        .await;
    let gh = client(&server);
    let err = gh.list_comments(&repo(), 42).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("its Link header points to another host"),
        "{err}"
    );
    assert_clean(&err, &host_of(&server));
    match gh.list_issues(&repo(), None, None).await.unwrap() {
        ListOutcome::Issues {
            records,
            etag,
            interrupted,
        } => {
            assert_eq!(records.len(), 1);
            assert_eq!(etag, None);
            assert!(interrupted.is_some());
        }
        other => panic!("{other:?}"),
    }
    elsewhere.verify().await;
}

#[tokio::test]
async fn a_renamed_repository_redirect_is_followed_on_the_api_host_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/old-name/issues"))
        .respond_with(
            ResponseTemplate::new(301).insert_header(
                "location",
                format!(
                    "{}/repositories/15983176/issues?state=all&per_page=100",
                    server.uri()
                )
                .as_str(),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/15983176/issues"))
        .and(header("authorization", bearer().as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([issue(
            5,
            "five",
            "open",
            &[]
        )])))
        .expect(1)
        .mount(&server)
        .await;
    let renamed: Repo = "mastodon/old-name".parse().unwrap();
    match client(&server)
        .list_issues(&renamed, None, None)
        .await
        .unwrap()
    {
        ListOutcome::Issues { records, .. } => assert_eq!(records[0].number, 5),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_search_answer_without_items_is_malformed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "total_count": 0, "incomplete_results": false })),
        )
        .mount(&server)
        .await;
    let err = client(&server).search_issues("x", 3).await.unwrap_err();
    assert!(matches!(err, GitHubError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("GET /search/issues"), "{err}");
    assert_clean(&err, &host_of(&server));
}
