//! Every lint rule: a body or draft that triggers it, and one that does not.

use crate::support::*;
use issue_preflight::checks::lint::lint_document;
use issue_preflight::checks::lint::Finding;
use issue_preflight::draft::render;
use issue_preflight::draft::Document;
use issue_preflight::draft::{Answer, Answers, Draft};
use issue_preflight::form::FormSet;

fn embedded() -> FormSet {
    FormSet::embedded()
}

fn generic() -> FormSet {
    FormSet::from_dir(&fixture("forms/good")).unwrap()
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.code()).collect()
}

fn web_answers() -> Answers {
    let set = embedded();
    realistic_answers(&set.find("1.web_bug_report.yml").unwrap().form)
}

/// Lints a draft of the web-bug form with one answer changed.
fn lint_web(title: &str, key: &str, value: Option<&str>) -> Vec<Finding> {
    let set = embedded();
    let mut answers = web_answers();
    match value {
        Some(v) => {
            answers.insert(key.to_string(), Answer::Text(v.to_string()));
        }
        None => {
            answers.shift_remove(key);
        }
    }
    let draft = Draft {
        template: "1.web_bug_report.yml".into(),
        title: title.into(),
        answers,
        questions: Default::default(),
    };
    lint_document(
        &Document::from_draft(&set, draft, None, None).unwrap(),
        &set,
    )
}

fn lint_generic(answers: Answers, title: &str) -> Vec<Finding> {
    let set = generic();
    let draft = Draft {
        template: "bug.yml".into(),
        title: title.into(),
        answers,
        questions: Default::default(),
    };
    lint_document(
        &Document::from_draft(&set, draft, None, None).unwrap(),
        &set,
    )
}

fn generic_ok() -> Answers {
    let mut a = Answers::new();
    a.insert("version".into(), Answer::Text("v4.3.1".into()));
    a.insert(
        "steps".into(),
        Answer::Text("1. Open settings\n2. Save".into()),
    );
    a.insert(
        "browsers".into(),
        Answer::List(vec![
            "Firefox".into(),
            "Chrome, Chromium and friends".into(),
        ]),
    );
    a.insert(
        "terms".into(),
        Answer::List(vec!["I follow the code of conduct".into()]),
    );
    a
}

const GOOD_TITLE: &str = "Replies land at the top of the thread";

#[test]
fn realistic_drafts_are_clean() {
    assert_eq!(
        codes(&lint_web(GOOD_TITLE, "Expected behaviour", None)),
        ["missing-required"]
    );
    assert!(lint_web(GOOD_TITLE, "x", None).is_empty());
    assert!(lint_generic(generic_ok(), "[Bug]: Saving settings fails").is_empty());
}

#[test]
fn missing_required() {
    let f = lint_web(GOOD_TITLE, "Mastodon instance", Some("   "));
    assert_eq!(codes(&f), ["missing-required"]);
    assert_eq!(f[0].field.as_deref(), Some("Mastodon instance"));
    // An optional answer may stay empty.
    assert!(lint_web(GOOD_TITLE, "Detailed description", Some("")).is_empty());
}

#[test]
fn missing_required_in_a_body_says_no_response() {
    let set = embedded();
    let form = &set.find("1.web_bug_report.yml").unwrap().form;
    let body = render(form, &web_answers()).replace("v4.3.1", "_No response_");
    let doc = Document::from_body(&set, &body, None, None).unwrap();
    let f = lint_document(&doc, &set);
    assert_eq!(codes(&f), ["missing-required"]);
    assert_eq!(f[0].field.as_deref(), Some("Mastodon version"));
}

#[test]
fn placeholder_answer() {
    let f = lint_web(
        GOOD_TITLE,
        "Browser name and version",
        Some("Firefox 139.0.0"),
    );
    assert_eq!(codes(&f), ["placeholder"]);
    // It may be true (mastodon.social is a real server): a note, not a blocker.
    assert_eq!(f[0].severity.as_str(), "note");
    assert!(lint_web(GOOD_TITLE, "Mastodon instance", Some("mastodon.online")).is_empty());
}

#[test]
fn prefilled_value_untouched() {
    let f = lint_web(
        GOOD_TITLE,
        "Steps to reproduce the problem",
        Some("1.\n2.\n3.\n...\n"),
    );
    assert_eq!(codes(&f), ["prefilled-untouched"]);
    assert_eq!(f[0].severity.as_str(), "error");
    // Untouched optional prefilled text is only a note.
    let set = embedded();
    let form = &set.find("2.server_bug_report.yml").unwrap().form;
    let mut answers = realistic_answers(form);
    answers.insert(
        "Technical details".into(),
        Answer::Text(
            form.field("Technical details")
                .unwrap()
                .value
                .unwrap()
                .into(),
        ),
    );
    let draft = Draft {
        template: "2.server_bug_report.yml".into(),
        title: GOOD_TITLE.into(),
        answers,
        questions: Default::default(),
    };
    let f = lint_document(
        &Document::from_draft(&set, draft, None, None).unwrap(),
        &set,
    );
    assert_eq!(codes(&f), ["prefilled-untouched"]);
    assert_eq!(f[0].severity.as_str(), "note");
}

#[test]
fn invalid_dropdown_option() {
    let mut a = generic_ok();
    a.insert("browsers".into(), Answer::List(vec!["Netscape".into()]));
    let f = lint_generic(a, "[Bug]: Saving settings fails");
    assert_eq!(codes(&f), ["invalid-option"]);
    assert_eq!(f[0].field.as_deref(), Some("browsers"));
}

#[test]
fn invalid_checkbox_option() {
    let mut a = generic_ok();
    a.insert(
        "terms".into(),
        Answer::List(vec![
            "I follow the code of conduct".into(),
            "I am a robot".into(),
        ]),
    );
    assert_eq!(
        codes(&lint_generic(a, "[Bug]: Saving settings fails")),
        ["invalid-option"]
    );
}

#[test]
fn required_checkbox() {
    let mut a = generic_ok();
    a.insert(
        "terms".into(),
        Answer::List(vec!["I searched for duplicates".into()]),
    );
    assert_eq!(
        codes(&lint_generic(a, "[Bug]: Saving settings fails")),
        ["required-checkbox"]
    );
}

#[test]
fn titles() {
    assert_eq!(codes(&lint_web("", "x", None)), ["title-empty"]);
    assert_eq!(codes(&lint_web("Bug!", "x", None)), ["title-generic"]);
    assert_eq!(codes(&lint_web("help", "x", None)), ["title-generic"]);
    assert_eq!(
        codes(&lint_generic(generic_ok(), "[Bug]: ")),
        ["title-prefix-only"]
    );
    assert_eq!(
        codes(&lint_generic(generic_ok(), "[Bug]: question")),
        ["title-generic"]
    );
    let long = "Replies ".repeat(40);
    assert_eq!(codes(&lint_web(&long, "x", None)), ["title-too-long"]);
}

#[test]
fn steps_that_are_not_steps() {
    let f = lint_web(
        GOOD_TITLE,
        "Steps to reproduce the problem",
        Some("it does not work"),
    );
    assert_eq!(codes(&f), ["steps-not-steps"]);
    assert!(lint_web(
        GOOD_TITLE,
        "Steps to reproduce the problem",
        Some("- open a profile\n- press follow")
    )
    .is_empty());
}

#[test]
fn version_format() {
    for bad in ["latest", "Firefox 139", "four point three"] {
        assert_eq!(
            codes(&lint_web(GOOD_TITLE, "Mastodon version", Some(bad))),
            ["version-format"],
            "{bad}"
        );
    }
    for good in ["4.4.0-beta.1", "v4.5.0-nightly.2025-07-11", "3f9c2a1b"] {
        assert!(
            lint_web(GOOD_TITLE, "Mastodon version", Some(good)).is_empty(),
            "{good}"
        );
    }
}

#[test]
fn body_too_long() {
    let huge = "x".repeat(70_000);
    assert_eq!(
        codes(&lint_web(GOOD_TITLE, "Technical details", Some(&huge))),
        ["body-too-long"]
    );
    let big = "x".repeat(60_000);
    assert!(lint_web(GOOD_TITLE, "Technical details", Some(&big)).is_empty());
}

#[test]
fn unknown_section_and_unknown_answer() {
    let set = embedded();
    let form = &set.find("1.web_bug_report.yml").unwrap().form;
    let body = render(form, &web_answers());
    // A section after an input field cannot be that field's text.
    let edited = body.replace(
        "### Browser name and version",
        "### Screen reader\n\nNVDA 2024.1\n\n### Browser name and version",
    );
    let doc = Document::from_body(&set, &edited, None, None).unwrap();
    let f = lint_document(&doc, &set);
    assert_eq!(codes(&f), ["unknown-section"]);
    assert_eq!(f[0].field.as_deref(), Some("Screen reader"));
    assert!(lint_document(&Document::from_body(&set, &body, None, None).unwrap(), &set).is_empty());

    assert_eq!(
        codes(&lint_web(GOOD_TITLE, "Favourite colour", Some("blue"))),
        ["unknown-answer"]
    );
}

#[test]
fn body_matching_no_form() {
    let set = embedded();
    let doc =
        Document::from_body(&set, "Hi, my account is locked. Please help!", None, None).unwrap();
    assert!(doc.form.is_none());
    assert_eq!(codes(&lint_document(&doc, &set)), ["no-matching-form"]);
}

#[test]
fn the_best_matching_form_is_picked() {
    let set = embedded();
    for file in [
        "1.web_bug_report.yml",
        "2.server_bug_report.yml",
        "3.troubleshooting.yml",
        "4.feature_request.yml",
    ] {
        let form = &set.find(file).unwrap().form;
        let body = render(form, &realistic_answers(form));
        let doc = Document::from_body(&set, &body, None, None).unwrap();
        assert_eq!(doc.form.unwrap().file, file);
    }
}
