//! The triage regression table (tests/triage-regressions/cases.yml): each
//! hand-written draft must be judged on its side (a question for someone
//! else, or a report for the tracker), and a known gap must stay wrong
//! until it is taken out of the table's gaps, so that both regressions and
//! fixes are noticed.
//!
//! The side is the verdict of the words-alone model the binary embeds, not
//! the redirect: that model's scores never clear the redirect threshold on
//! their own (its held-out precision is too low to send anyone away), and
//! when a report is sent away is the decision's business, tested there.

use issue_preflight::checks::triage::Verdict;
use issue_preflight::checks::Checks;
use issue_preflight::draft::Document;
use issue_preflight::form::FormSet;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Case {
    name: String,
    want: Side,
    /// Why triage gets this one wrong, where it does.
    #[serde(default)]
    known_gap: Option<String>,
    title: String,
    body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Side {
    /// A question for the reporter's server admin or for Discussions.
    Away,
    /// A report for the tracker (or, for a vulnerability, the private
    /// channel).
    File,
}

fn cases() -> Vec<Case> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/triage-regressions/cases.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn side(case: &Case, set: &FormSet) -> Side {
    let doc = Document::from_body(set, &case.body, None, Some(&case.title)).unwrap();
    let checks = Checks::offline(set, &doc);
    match checks.triage.verdict {
        Verdict::Support | Verdict::Question => Side::Away,
        Verdict::Bug | Verdict::Feature | Verdict::Troubleshooting | Verdict::Security => {
            Side::File
        }
    }
}

#[test]
fn the_table_is_balanced_and_its_names_unique() {
    let all = cases();
    let away = all.iter().filter(|c| c.want == Side::Away).count();
    assert!(
        away >= 20 && all.len() - away >= 20,
        "{away} of {}",
        all.len()
    );
    let mut names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len(), "case names are unique");
}

#[test]
fn every_case_ends_up_where_the_table_says() {
    let set = FormSet::embedded();
    let all = cases();
    let mut wrong = Vec::new();
    let mut fixed = Vec::new();
    for case in &all {
        let got = side(case, &set);
        match (&case.known_gap, got == case.want) {
            (None, false) => {
                wrong.push(format!("{}: want {:?}, got {got:?}", case.name, case.want))
            }
            (Some(_), true) => fixed.push(case.name.clone()),
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "regressions:\n{}", wrong.join("\n"));
    assert!(
        fixed.is_empty(),
        "now right, take `known-gap` off: {fixed:?}"
    );
}
