//! The embedded forms against the real ones in ../shared, and the real
//! forms through render, parse and lint.

use crate::support::*;
use issue_preflight::draft::{parse::parse, render};
use issue_preflight::form::check::parse_form;
use issue_preflight::form::{Element, FormSet};

fn load(dir: &std::path::Path, file: &str) -> issue_preflight::form::IssueForm {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    parse_form(&text, file).unwrap()
}

#[test]
fn embedded_forms_match_the_real_ones_field_by_field() {
    let Some(dir) = real_templates() else { return };
    let embedded = FormSet::embedded();
    assert_eq!(
        embedded
            .forms
            .iter()
            .map(|f| f.file.as_str())
            .collect::<Vec<_>>(),
        REAL_FORMS
    );
    for file in REAL_FORMS {
        let real = load(&dir, file);
        let ours = &embedded.find(file).unwrap().form;
        assert_eq!(ours.name, real.name, "{file}: name");
        assert_eq!(ours.labels, real.labels, "{file}: labels");
        assert_eq!(ours.issue_type, real.issue_type, "{file}: type");
        assert_eq!(ours.title, real.title, "{file}: title");
        assert_eq!(ours.body.len(), real.body.len(), "{file}: element count");
        for (i, (a, b)) in ours.body.iter().zip(&real.body).enumerate() {
            assert_eq!(
                std::mem::discriminant(a),
                std::mem::discriminant(b),
                "{file}: body[{i}] type"
            );
            if let (Element::Markdown { .. }, Element::Markdown { .. }) = (a, b) {
                continue;
            }
            let (fa, fb) = (a.field().unwrap(), b.field().unwrap());
            assert_eq!(fa.label, fb.label, "{file}: body[{i}] label");
            assert_eq!(fa.id, fb.id, "{file}: body[{i}] id");
            assert_eq!(fa.required, fb.required, "{file}: body[{i}] required");
            assert_eq!(fa.value, fb.value, "{file}: body[{i}] prefilled value");
            assert_eq!(
                fa.placeholder, fb.placeholder,
                "{file}: body[{i}] placeholder"
            );
            assert_eq!(fa.render, fb.render, "{file}: body[{i}] render");
            assert_eq!(
                fa.option_labels(),
                fb.option_labels(),
                "{file}: body[{i}] options"
            );
        }
    }
    let real_config = std::fs::read_to_string(dir.join("config.yml")).unwrap();
    let real_config =
        issue_preflight::form::check::parse_config(&real_config, "config.yml").unwrap();
    assert_eq!(
        embedded.config.blank_issues_enabled,
        real_config.blank_issues_enabled
    );
    assert_eq!(
        embedded
            .config
            .contact_links
            .iter()
            .map(|l| &l.url)
            .collect::<Vec<_>>(),
        real_config
            .contact_links
            .iter()
            .map(|l| &l.url)
            .collect::<Vec<_>>()
    );
}

#[test]
fn real_forms_round_trip_render_parse_render() {
    let Some(dir) = real_templates() else { return };
    for file in REAL_FORMS {
        let form = load(&dir, file);
        let answers = realistic_answers(&form);
        let body = render(&form, &answers);
        let parsed = parse(&form, &body);
        assert!(parsed.unknown.is_empty(), "{file}: {:?}", parsed.unknown);
        assert_eq!(parsed.answers, answers, "{file}: answers survive");
        assert_eq!(
            render(&form, &parsed.answers),
            body,
            "{file}: identical body"
        );
        // GitHub's own line ends and an edited preamble change nothing.
        let crlf = format!("Edited: see below\r\n\r\n{}", body.replace('\n', "\r\n"));
        let parsed = parse(&form, &crlf);
        assert_eq!(render(&form, &parsed.answers), body, "{file}: CRLF");
        assert_eq!(parsed.preamble, "Edited: see below");
    }
}

#[test]
fn real_forms_filled_realistically_lint_clean_and_report_their_fields() {
    let Some(dir) = real_templates() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for file in REAL_FORMS {
        let path = dir.join(file);
        let form = load(&dir, file);
        let answers = realistic_answers(&form);
        let body_path = tmp.path().join(format!("{file}.md"));
        std::fs::write(&body_path, render(&form, &answers)).unwrap();
        let out = preflight()
            .args(["lint", "--format", "json", "--template"])
            .arg(&path)
            .arg(&body_path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{file}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            json["findings"].as_array().unwrap().len(),
            0,
            "{file}: {json}"
        );
        assert_eq!(json["template"], form.name.as_str());
        for f in form.fields() {
            assert_eq!(
                json["fields"][f.key()].as_str().unwrap(),
                answers[f.key()].as_text(),
                "{file}: field {}",
                f.label
            );
        }

        // Each required answer removed, in turn: exit 1, naming that field.
        for req in form.fields().filter(|f| f.required) {
            let mut less = answers.clone();
            less.shift_remove(req.key());
            std::fs::write(&body_path, render(&form, &less)).unwrap();
            let out = preflight()
                .args(["lint", "--format", "json", "--template"])
                .arg(&path)
                .arg(&body_path)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{file} without {}", req.label);
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(
                json["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| { f["field"] == req.label && f["code"] == "missing-required" }),
                "{file} without {}: {json}",
                req.label
            );
        }
    }
}

#[test]
fn real_forms_pass_templates_check() {
    let Some(dir) = real_templates() else { return };
    let mut cmd = preflight();
    cmd.args(["templates", "check"]);
    for f in REAL_FORMS {
        cmd.arg(dir.join(f));
    }
    cmd.arg(dir.join("config.yml"));
    cmd.assert().code(0);
}
