//! `preflight draft`: the three outcomes (filed, redirected to the admin,
//! API failure) through `--answers --no-input` and through the real binary
//! in a pseudo-terminal, plus Ctrl-C and `--resume`.

use crate::support::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::github_json;

pub(crate) const TOKEN: &str = "ghp_drafterTestToken0123456789";
const V2: &str = include_str!("../fixtures/mastodon/instance-v2.json");

/// A GitHub that finds no duplicates and creates issue #42 (or fails with
/// `create_status`).
pub(crate) async fn github(create_status: u16) -> MockServer {
    github_finding(create_status, vec![]).await
}

/// An issue as the search API lists it.
pub(crate) fn search_item(number: u64, title: &str, body: &str) -> Value {
    let mut issue = github_json::issue(
        "mastodon/mastodon",
        number,
        title,
        "open",
        "earlier-reporter",
    );
    issue["body"] = json!(body);
    issue["score"] = json!(1.0);
    issue
}

/// [`github`], whose search API lists `items`.
pub(crate) async fn github_finding(create_status: u16, items: Vec<Value>) -> MockServer {
    let gh = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": items.len(), "incomplete_results": false, "items": items
        })))
        .mount(&gh)
        .await;
    let created = if create_status == 201 {
        let mut issue = github_json::issue("mastodon/mastodon", 42, "x", "open", "reporter");
        issue["body"] = json!("x");
        issue["labels"] = json!([github_json::label(
            "mastodon/mastodon",
            1,
            "area/web interface"
        )]);
        issue["type"] = json!({
            "id": 1, "node_id": "IT_kwDOAAbcde4AAAAB", "name": "Bug",
            "description": "An unexpected problem or behavior", "color": "red",
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            "is_enabled": true
        });
        ResponseTemplate::new(201).set_body_json(issue)
    } else {
        ResponseTemplate::new(create_status).set_body_json(json!({
            "message": "Server Error", "documentation_url": "https://docs.github.com/rest"
        }))
    };
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(created)
        .mount(&gh)
        .await;
    gh
}

pub(crate) async fn mastodon() -> MockServer {
    let m = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(V2.as_bytes().to_vec(), "application/json"),
        )
        .mount(&m)
        .await;
    m
}

/// The create requests GitHub received, as JSON.
pub(crate) async fn created(gh: &MockServer) -> Vec<Value> {
    gh.received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

pub(crate) fn env(cmd: &mut std::process::Command, gh_uri: &str, state: &Path) {
    cmd.env("GITHUB_API_URL", gh_uri)
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GH_TOKEN")
        .env("XDG_STATE_HOME", state)
        .env("XDG_CACHE_HOME", state.join("cache"))
        .env("PREFLIGHT_NO_BROWSER", "1")
        .env("NO_COLOR", "1")
        .env("PATH", "/usr/bin:/bin")
        .env_remove("EDITOR")
        .env_remove("VISUAL");
}

/// Now, as GitHub writes timestamps.
fn issue_preflight_now() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub(crate) fn drafts_dir(state: &Path) -> PathBuf {
    state.join("issue-preflight/drafts")
}

pub(crate) fn saved_drafts(state: &Path) -> Vec<Value> {
    std::fs::read_dir(drafts_dir(state))
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "yml"))
                .map(|e| serde_yaml_to_json(&std::fs::read_to_string(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default()
}

fn serde_yaml_to_json(text: &str) -> Value {
    let v: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    serde_json::to_value(v).unwrap()
}

/// drafts/web-bug.yml: its title, and the body GitHub makes of it,
/// written by hand (tests/fixtures/golden/web-bug-typed.md).
pub(crate) const WEB_BUG_TITLE: &str = "Pinned posts lose their order after editing one";

pub(crate) fn web_bug_body() -> String {
    crate::golden::golden("web-bug-typed")
}

fn scripted(gh: &MockServer, state: &Path, draft: &str, extra: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"));
    env(&mut cmd, &gh.uri(), state);
    cmd.args(["draft", "--no-input", "--answers"])
        .arg(fixture(draft))
        .args(extra)
        .stdin(std::process::Stdio::null());
    let out = cmd.output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains(TOKEN), "the token leaked: {all}");
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_bug_report_is_filed_with_the_golden_body() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let out = scripted(&gh, state.path(), "drafts/web-bug.yml", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Filed #42: https://github.com/mastodon/mastodon/issues/42"),
        "{stdout}"
    );
    assert!(
        stdout.contains("screenshot"),
        "a web bug gets the attachment hint: {stdout}"
    );
    let sent = created(&gh).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["title"], WEB_BUG_TITLE);
    assert_eq!(sent[0]["body"], web_bug_body().as_str());
    assert_eq!(sent[0]["labels"], json!(["area/web interface"]));
    assert_eq!(sent[0]["type"], "Bug");
    let drafts = saved_drafts(state.path());
    assert_eq!(drafts[0]["status"]["state"], "filed");
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_support_question_goes_to_the_admin_and_files_nothing() {
    let gh = github(201).await;
    let m = mastodon().await;
    let state = tempfile::tempdir().unwrap();
    let out = scripted(
        &gh,
        state.path(),
        "drafts/support.yml",
        &["--instance", &m.uri(), "--handle", "@me@social.example.org"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Write to: staff@mastodon.social"),
        "{stdout}"
    );
    assert!(
        stdout.contains("mailto:staff@mastodon.social?subject=I%20can%27t%20log%20in"),
        "{stdout}"
    );
    assert!(stdout.contains("I'm @me@social.example.org"), "{stdout}");
    assert!(created(&gh).await.is_empty(), "nothing may be filed");
    let handover = std::fs::read_dir(drafts_dir(state.path()))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".handover.txt"))
        .expect("the drafted text is handed over in a file");
    let text = std::fs::read_to_string(handover.path()).unwrap();
    assert!(text.contains("The reset email never arrives in my inbox"));
    assert!(
        !text.contains("@me@social.example.org"),
        "the handle stays out of the text"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_api_failure_keeps_the_draft_and_exits_3() {
    let gh = github(500).await;
    let state = tempfile::tempdir().unwrap();
    let out = scripted(&gh, state.path(), "drafts/web-bug.yml", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
    let drafts = saved_drafts(state.path());
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        drafts[0]["answers"]["Actual behaviour"],
        "The edited post jumps to the top of the pinned list"
    );
    assert_ne!(drafts[0]["status"]["state"], "filed");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_answers_are_never_filed_twice() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let first = scripted(&gh, state.path(), "drafts/web-bug.yml", &[]);
    assert_eq!(first.status.code(), Some(0));
    let again = scripted(&gh, state.path(), "drafts/web-bug.yml", &[]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout)
        .contains("Already filed: https://github.com/mastodon/mastodon/issues/42"));
    assert_eq!(created(&gh).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_an_unanswered_create_it_looks_for_the_issue_before_filing_again() {
    let gh = github(502).await;
    let state = tempfile::tempdir().unwrap();
    let out = scripted(&gh, state.path(), "drafts/web-bug.yml", &[]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(saved_drafts(state.path())[0]["status"]["state"], "filing");

    // The 502 came after GitHub had created the issue after all.
    let title = WEB_BUG_TITLE;
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(github_json::user("reporter")))
        .mount(&gh)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json({
            // The same title by the same person years ago is another issue.
            let mut old = github_json::issue("mastodon/mastodon", 12, title, "closed", "reporter");
            old["created_at"] = json!("2019-03-01T10:00:00Z");
            let mut new = github_json::issue("mastodon/mastodon", 43, title, "open", "reporter");
            new["created_at"] = json!(issue_preflight_now());
            json!([old, new])
        }))
        .mount(&gh)
        .await;
    let out = scripted(&gh, state.path(), "drafts/web-bug.yml", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("already filed: https://github.com/mastodon/mastodon/issues/43"),
        "{stdout}"
    );
    assert_eq!(created(&gh).await.len(), 1, "no second create request");
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_with_lint_errors_are_held_back_with_exit_1() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let out = scripted(&gh, state.path(), "drafts/sloppy.yml", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error[title-generic]") && stdout.contains("error[version-format]"),
        "{stdout}"
    );
    assert!(created(&gh).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_draft_is_submitted_once_github_is_back() {
    let down = github(500).await;
    let state = tempfile::tempdir().unwrap();
    assert_eq!(
        scripted(&down, state.path(), "drafts/web-bug.yml", &[])
            .status
            .code(),
        Some(3)
    );
    let saved = std::fs::read_dir(drafts_dir(state.path()))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "yml"))
        .unwrap();

    let up = github(201).await;
    // Before filing again it looks for the issue: GitHub has none.
    Mock::given(method("GET"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&up)
        .await;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"));
    env(&mut cmd, &up.uri(), state.path());
    let out = cmd
        .arg("submit")
        .arg(&saved)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Filed #42"), "{stdout}");
    let drafts = saved_drafts(state.path());
    assert_eq!(drafts.len(), 1, "the same draft, not a copy");
    assert_eq!(drafts[0]["status"]["state"], "filed");
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_security_report_is_never_filed() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let out = scripted(&gh, state.path(), "drafts/security.yml", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Never report it in a public issue"),
        "{stdout}"
    );
    assert!(created(&gh).await.is_empty(), "a vulnerability was filed");
}

/// The existing issue that the web-bug fixture duplicates, word for word,
/// with a title that tries to drive the terminal.
pub(crate) fn the_same_issue() -> Value {
    search_item(
        7,
        "Pinned posts lose their order after editing one \u{1b}[31mred\u{1b}[0m\u{202e}",
        &web_bug_body(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn scripted_strong_duplicate_is_not_filed() {
    let gh = github_finding(201, vec![the_same_issue()]).await;
    let state = tempfile::tempdir().unwrap();
    let out = scripted(&gh, state.path(), "drafts/web-bug.yml", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "#7 looks like the same problem: https://github.com/mastodon/mastodon/issues/7"
        ),
        "{stdout}"
    );
    assert!(created(&gh).await.is_empty(), "a known duplicate was filed");
    // The candidate's title is shown, but cannot drive the terminal.
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{202e}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("\u{fffd}[31mred"), "{stdout}");
}

#[test]
fn without_a_terminal_and_without_answers_it_refuses_instead_of_hanging() {
    preflight()
        .arg("draft")
        .env("XDG_STATE_HOME", tempfile::tempdir().unwrap().path())
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--answers FILE --no-input"));
}

pub(crate) mod pty {
    //! The real binary in a pseudo-terminal, answered key by key.
    use super::*;
    use rexpect::session::{spawn_with_options, Options, PtySession};

    pub(crate) const ENTER: &str = "\r";

    /// Types `text` and Enter. rexpect buffers until a newline, and a raw
    /// terminal's Enter is a carriage return, so flush by hand.
    pub(crate) fn type_line(p: &mut PtySession, text: &str) {
        p.send(text).unwrap();
        p.send(ENTER).unwrap();
        p.flush().unwrap();
    }

    pub(crate) fn spawn(gh_uri: &str, state: &Path, args: &[&str]) -> PtySession {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"));
        env(&mut cmd, gh_uri, state);
        cmd.env("TERM", "xterm").arg("draft").args(args);
        spawn_with_options(
            cmd,
            Options::new()
                .timeout_ms(Some(15_000))
                .strip_ansi_escape_codes(true),
        )
        .unwrap()
    }

    /// inquire switches the terminal to raw mode after drawing a prompt;
    /// keys sent before that are dropped, so give it a moment.
    pub(crate) fn settle() {
        std::thread::sleep(Duration::from_millis(150));
    }

    pub(crate) fn answer(p: &mut PtySession, prompt: &str, text: &str) {
        p.exp_string(prompt)
            .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
        settle();
        type_line(p, text);
    }

    /// A textarea without an editor: one line at a time, then an empty
    /// line (numbered templates get their numbers from the drafter).
    pub(crate) fn lines(p: &mut PtySession, lines: &[&str]) {
        p.exp_string("an empty line ends the answer").unwrap();
        for l in lines {
            p.exp_string("? |").unwrap();
            settle();
            type_line(p, l);
        }
        p.exp_string("? |").unwrap();
        settle();
        type_line(p, "");
    }

    pub(crate) fn exit_code(p: &mut PtySession) -> Option<i32> {
        match p.process_mut().wait().unwrap() {
            rexpect::process::WaitStatus::Exited(_, c) => Some(c),
            _ => None,
        }
    }

    pub(crate) const STEPS: [&str; 3] = [
        "Pin three posts on your profile",
        "Edit the text of the second pinned post",
        "Reload the profile page",
    ];

    /// Title, steps, expected: the first half of the web-bug fixture.
    pub(crate) fn first_half(p: &mut PtySession) {
        answer(
            p,
            "Title:",
            "Pinned posts lose their order after editing one",
        );
        lines(p, &STEPS);
        answer(
            p,
            "Expected behaviour",
            "The pinned posts keep the order they were pinned in",
        );
    }

    /// The rest of the web-bug fixture, from `Actual behaviour` on.
    pub(crate) fn second_half(p: &mut PtySession) {
        answer(
            p,
            "Actual behaviour",
            "The edited post jumps to the top of the pinned list",
        );
        p.exp_string("Detailed description").unwrap();
        lines(p, &["It happens in the advanced web interface too."]);
        answer(p, "Mastodon instance", "social.example.org");
        answer(p, "Mastodon version", "v4.3.1");
        answer(p, "Browser name and version", "Chromium 131");
        answer(p, "Operating system", "Fedora 41");
        p.exp_string("Technical details").unwrap();
        lines(p, &[]);
    }

    pub(crate) async fn check_filed_like_the_fixture(gh: &MockServer) {
        let sent = created(gh).await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0]["title"], WEB_BUG_TITLE);
        assert_eq!(sent[0]["body"], web_bug_body().as_str());
        assert_eq!(sent[0]["labels"], json!(["area/web interface"]));
    }

    /// Drafts the whole web-bug fixture from the first question and
    /// chooses "File it"; the exit code and everything printed.
    async fn file_the_whole_report(gh: &MockServer, state: &Path) -> (Option<i32>, String) {
        let (uri, st) = (gh.uri(), state.to_path_buf());
        tokio::task::spawn_blocking(move || {
            let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
            first_half(&mut p);
            second_half(&mut p);
            p.exp_string("Ready. What now?").unwrap();
            settle();
            type_line(&mut p, "");
            let out = p.exp_eof().unwrap();
            (exit_code(&mut p), out)
        })
        .await
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn full_web_bug_report_is_filed() {
        let gh = github(201).await;
        let state = tempfile::tempdir().unwrap();
        let (code, out) = file_the_whole_report(&gh, state.path()).await;
        assert!(out.contains("Filed #42"), "{out}");
        assert_eq!(code, Some(0), "{out}");
        check_filed_like_the_fixture(&gh).await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn support_question_is_redirected_to_the_admin_early() {
        let gh = github(201).await;
        let m = mastodon().await;
        let state = tempfile::tempdir().unwrap();
        let (uri, st, murl) = (gh.uri(), state.path().to_path_buf(), m.uri());
        let (code, out) = tokio::task::spawn_blocking(move || {
            let mut p = spawn(
                &uri,
                &st,
                &["--template", "web_bug_report", "--instance", &murl],
            );
            answer(&mut p, "Title:", "I can't log in to my account anymore");
            // Asked before the rest of the form is written: text alone
            // cannot settle it, the reporter can.
            p.exp_string("the text alone cannot tell").unwrap();
            answer(&mut p, "another server, or when logged out?", "No");
            answer(&mut p, "Do you run this server yourself", "No");
            // The reason comes before the offer.
            p.exp_string("it happens only on your server, which you don't run")
                .unwrap();
            answer(&mut p, "Go there now instead of filing here?", "y");
            answer(
                &mut p,
                "Your account on that server",
                "@me@social.example.org",
            );
            let out = p.exp_eof().unwrap();
            (exit_code(&mut p), out)
        })
        .await
        .unwrap();
        assert!(out.contains("Write to: staff@mastodon.social"), "{out}");
        assert!(out.contains("Nothing was filed"), "{out}");
        assert_eq!(code, Some(1), "{out}");
        assert!(created(&gh).await.is_empty());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn ctrl_c_halfway_then_resume_restores_every_answer() {
        let gh = github(201).await;
        let state = tempfile::tempdir().unwrap();
        let (uri, st) = (gh.uri(), state.path().to_path_buf());
        let code = tokio::task::spawn_blocking(move || {
            let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
            first_half(&mut p);
            p.exp_string("Actual behaviour").unwrap();
            settle();
            p.send_control('c').unwrap();
            p.flush().unwrap();
            let out = p.exp_eof().unwrap();
            assert!(out.contains("--resume"), "{out}");
            exit_code(&mut p)
        })
        .await
        .unwrap();
        assert_eq!(code, Some(130));
        let drafts = saved_drafts(state.path());
        assert_eq!(drafts.len(), 1);
        let id = drafts[0]["id"].as_str().unwrap().to_string();
        assert_eq!(
            drafts[0]["answers"]["Expected behaviour"],
            "The pinned posts keep the order they were pinned in"
        );

        let (uri, st) = (gh.uri(), state.path().to_path_buf());
        let (code, out) = tokio::task::spawn_blocking(move || {
            let mut p = spawn(&uri, &st, &["--resume", &id]);
            p.exp_string("Resuming draft").unwrap();
            // It goes on where it stopped: no title, steps or expected again.
            second_half(&mut p);
            p.exp_string("Ready. What now?").unwrap();
            settle();
            type_line(&mut p, "");
            let out = p.exp_eof().unwrap();
            (exit_code(&mut p), out)
        })
        .await
        .unwrap();
        assert!(!out.contains("Title:"), "{out}");
        assert_eq!(code, Some(0), "{out}");
        check_filed_like_the_fixture(&gh).await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn ctrl_c_inside_a_long_answer_keeps_the_lines_typed() {
        let gh = github(201).await;
        let state = tempfile::tempdir().unwrap();
        let (uri, st) = (gh.uri(), state.path().to_path_buf());
        let code = tokio::task::spawn_blocking(move || {
            let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
            answer(
                &mut p,
                "Title:",
                "Pinned posts lose their order after editing one",
            );
            p.exp_string("an empty line ends the answer").unwrap();
            for l in &STEPS[..2] {
                p.exp_string("? |").unwrap();
                settle();
                type_line(&mut p, l);
            }
            p.exp_string("? | 3.").unwrap();
            settle();
            p.send_control('c').unwrap();
            p.flush().unwrap();
            p.exp_eof().unwrap();
            exit_code(&mut p)
        })
        .await
        .unwrap();
        assert_eq!(code, Some(130));
        let drafts = saved_drafts(state.path());
        assert_eq!(
            drafts[0]["answers"]["Steps to reproduce the problem"],
            "1. Pin three posts on your profile\n2. Edit the text of the second pinned post"
        );
        assert_eq!(
            drafts[0]["next_field"], 0,
            "the field is asked again on resume"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_500_on_create_keeps_the_draft_and_exits_3() {
        let gh = github(500).await;
        let state = tempfile::tempdir().unwrap();
        let (code, out) = file_the_whole_report(&gh, state.path()).await;
        assert_eq!(code, Some(3), "{out}");
        assert!(out.contains("--resume"), "{out}");
        let drafts = saved_drafts(state.path());
        assert_eq!(drafts[0]["answers"]["Operating system"], "Fedora 41");
    }

    pub(crate) const DOWN: &str = "\x1b[B";

    /// rexpect hands the terminal's bytes over one char each: read them
    /// back as the UTF-8 they are.
    pub(crate) fn utf8(out: &str) -> String {
        let bytes: Vec<u8> = out.chars().map(|c| c as u32 as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
    pub(crate) const SPACE: &str = " ";

    /// Sends keys to a prompt once it is drawn.
    pub(crate) fn keys(p: &mut PtySession, prompt: &str, keys: &[&str]) {
        p.exp_string(prompt)
            .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
        settle();
        for k in keys {
            p.send(k).unwrap();
            p.flush().unwrap();
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_duplicate_offer_is_shown_cleaned_and_taking_it_files_nothing() {
        let gh = github_finding(201, vec![the_same_issue()]).await;
        let state = tempfile::tempdir().unwrap();
        let (uri, st) = (gh.uri(), state.path().to_path_buf());
        let (code, out) = tokio::task::spawn_blocking(move || {
            let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
            answer(&mut p, "Title:", WEB_BUG_TITLE);
            lines(&mut p, &STEPS);
            // Right after the steps, before the rest of the form.
            p.exp_string("These existing issues may be the same problem")
                .unwrap();
            let list = p.exp_string("Is one of them your problem?").unwrap();
            settle();
            type_line(&mut p, "#7 is the same");
            let out = list + &p.exp_eof().unwrap();
            (exit_code(&mut p), utf8(&out))
        })
        .await
        .unwrap();
        assert!(out.contains("#7 [open]"), "{out}");
        // The hostile title is shown defused: escape and bidi characters
        // become U+FFFD (a raw escape would have been eaten by the terminal).
        assert!(out.contains("\u{fffd}[31mred"), "{out}");
        assert!(!out.contains('\u{202e}'), "{out}");
        assert!(out.contains("#7 looks like the same problem"), "{out}");
        assert_eq!(code, Some(1), "{out}");
        assert!(created(&gh).await.is_empty(), "filed despite the duplicate");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_vulnerability_added_in_the_review_is_never_filed() {
        let gh = github(201).await;
        let state = tempfile::tempdir().unwrap();
        let (uri, st) = (gh.uri(), state.path().to_path_buf());
        let (code, out) = tokio::task::spawn_blocking(move || {
            let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
            first_half(&mut p);
            second_half(&mut p);
            answer(&mut p, "Ready. What now?", "Edit an answer");
            answer(&mut p, "Which answer?", "Detailed description");
            answer(&mut p, "Keep this answer?", "write it again");
            lines(
                &mut p,
                &["This is a stored XSS vulnerability: an attacker can run script in other people's sessions."],
            );
            let out = p.exp_eof().unwrap();
            (exit_code(&mut p), out)
        })
        .await
        .unwrap();
        assert!(out.contains("Never report it in a public issue"), "{out}");
        assert_eq!(code, Some(1), "{out}");
        assert!(created(&gh).await.is_empty(), "a vulnerability was filed");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn multi_select_dropdowns_and_checkboxes_reach_the_body() {
        let gh = github(201).await;
        let state = tempfile::tempdir().unwrap();
        let forms = fixture("forms/good");
        let (uri, st) = (gh.uri(), state.path().to_path_buf());
        let (code, out) = tokio::task::spawn_blocking(move || {
            let forms = forms.to_string_lossy().to_string();
            let mut p = spawn(&uri, &st, &["--templates", &forms, "--template", "bug.yml"]);
            // The title starts with the form's `[Bug]: ` prefix.
            answer(
                &mut p,
                "Title:",
                "Media uploads stall at 99% on slow connections",
            );
            answer(&mut p, "Mastodon version", "v4.2.0");
            lines(
                &mut p,
                &["Throttle the connection to 3G", "Attach a 20 MB video"],
            );
            // Firefox, then the second browser; Enter.
            keys(&mut p, "Browsers", &[SPACE, DOWN, SPACE, ENTER]);
            answer(&mut p, "Severity", "High");
            p.exp_string("Logs").unwrap();
            lines(&mut p, &["upload stalled after 19.8 MB"]);
            // Only the required box.
            keys(&mut p, "Code of conduct", &[SPACE, ENTER]);
            answer(&mut p, "Ready. What now?", "");
            let out = p.exp_eof().unwrap();
            (exit_code(&mut p), out)
        })
        .await
        .unwrap();
        assert_eq!(code, Some(0), "{out}");
        let sent = created(&gh).await;
        assert_eq!(sent.len(), 1, "{out}");
        assert_eq!(
            sent[0]["title"],
            "[Bug]: Media uploads stall at 99% on slow connections"
        );
        assert!(
            sent[0]["body"] == crate::golden::golden("choices").as_str(),
            "filed {:?}",
            sent[0]["body"]
        );
    }
}
