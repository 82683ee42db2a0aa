//! Golden bodies: for each Mastodon form (and a form with every element
//! type), the exact Markdown GitHub makes of a set of answers, written by
//! hand as fixture files (tests/fixtures/golden/NAME.md beside the draft
//! NAME.yml), never produced by `render`. Rendering, reading back and
//! filing are each held to them byte for byte.

use crate::support::*;
use issue_preflight::draft::parse::parse;
use issue_preflight::draft::{render, Answer, Draft};
use issue_preflight::form::FormSet;
use serde_json::json;
use std::path::PathBuf;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// (fixture name, the forms it is for, labels and type the form sets)
const GOLDEN: [(&str, Forms, &[&str], Option<&str>); 5] = [
    (
        "web-bug",
        Forms::Embedded,
        &["area/web interface"],
        Some("Bug"),
    ),
    ("server-bug", Forms::Embedded, &[], Some("Bug")),
    (
        "troubleshooting",
        Forms::Embedded,
        &["status/to triage"],
        Some("Troubleshooting"),
    ),
    ("feature", Forms::Embedded, &[], Some("Suggestion")),
    ("choices", Forms::Fixture, &["bug", "triage"], Some("Bug")),
];

#[derive(Clone, Copy)]
enum Forms {
    Embedded,
    /// tests/fixtures/forms/good: dropdowns, checkboxes, `render:`.
    Fixture,
}

impl Forms {
    fn set(self) -> FormSet {
        match self {
            Forms::Embedded => FormSet::embedded(),
            Forms::Fixture => FormSet::from_dir(&self.dir().unwrap()).unwrap(),
        }
    }

    fn dir(self) -> Option<PathBuf> {
        match self {
            Forms::Embedded => None,
            Forms::Fixture => Some(fixture("forms/good")),
        }
    }
}

fn draft(name: &str) -> Draft {
    let text = std::fs::read_to_string(fixture(&format!("golden/{name}.yml"))).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

pub fn golden(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("golden/{name}.md"))).unwrap()
}

#[test]
fn answers_render_exactly_as_github_renders_them() {
    for (name, forms, ..) in GOLDEN {
        let d = draft(name);
        let set = forms.set();
        let form = &set.find(&d.template).unwrap().form;
        let body = render(form, &d.answers);
        assert!(
            body == golden(name),
            "{name}: rendered\n{body:?}\nGitHub makes\n{:?}",
            golden(name)
        );
    }
}

#[test]
fn a_golden_body_reads_back_into_its_answers() {
    for (name, forms, ..) in GOLDEN {
        let d = draft(name);
        let set = forms.set();
        let form = &set.find(&d.template).unwrap().form;
        let parsed = parse(form, &golden(name));
        assert!(parsed.unknown.is_empty(), "{name}: {:?}", parsed.unknown);
        for field in form.fields() {
            let given = issue_preflight::draft::answer_for(&d.answers, &field);
            let read = parsed.answers.get(field.key());
            let norm = |a: Option<&Answer>| {
                a.map(|a| {
                    a.as_list()
                        .iter()
                        .map(|s| issue_preflight::draft::render::normalize(s))
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
            };
            assert_eq!(
                norm(read),
                norm(given),
                "{name}: field `{}` read back differently",
                field.label
            );
        }
    }
}

async fn github() -> MockServer {
    let gh = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 0, "incomplete_results": false, "items": []
        })))
        .mount(&gh)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/mastodon/mastodon/issues"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(crate::github_json::issue(
                "mastodon/mastodon",
                42,
                "x",
                "open",
                "reporter",
            )),
        )
        .mount(&gh)
        .await;
    gh
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_is_filed_with_exactly_the_golden_body() {
    for (name, forms, labels, issue_type) in GOLDEN {
        let gh = github().await;
        let state = tempfile::tempdir().unwrap();
        let mut cmd = preflight();
        cmd.env("GITHUB_API_URL", gh.uri())
            .env("GITHUB_TOKEN", "ghp_goldenTestToken0123456789")
            .env("XDG_STATE_HOME", state.path())
            .env("XDG_CACHE_HOME", state.path().join("cache"))
            .arg("submit")
            .arg(fixture(&format!("golden/{name}.yml")));
        if let Some(dir) = forms.dir() {
            cmd.arg("--templates").arg(dir);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let sent: Vec<serde_json::Value> = gh
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.method.as_str() == "POST")
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
        assert_eq!(sent.len(), 1, "{name}: filed once");
        assert!(
            sent[0]["body"] == golden(name).as_str(),
            "{name}: filed\n{:?}\nGitHub makes\n{:?}",
            sent[0]["body"],
            golden(name)
        );
        assert_eq!(sent[0]["title"], draft(name).title.as_str(), "{name}");
        if labels.is_empty() {
            assert!(sent[0].get("labels").is_none(), "{name}: {}", sent[0]);
        } else {
            assert_eq!(sent[0]["labels"], json!(labels), "{name}");
        }
        assert_eq!(sent[0]["type"], json!(issue_type), "{name}");
    }
}
