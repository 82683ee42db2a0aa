//! The triage regression table (tests/triage-regressions/cases.yml): each
//! hand-written draft must end up on its side of the decision (sent away,
//! or filed), and a known gap must stay wrong until it is taken out of the
//! table's gaps, so that both regressions and fixes are noticed.

use issue_preflight::checks::triage::Redirect;
use issue_preflight::checks::Checks;
use issue_preflight::decision::{decide, Policy};
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
    /// To the reporter's server admin or to Discussions.
    Away,
    /// On the tracker (or, for a vulnerability, the private channel).
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
    match decide(&checks, &Policy::default()).redirect {
        Some(Redirect::InstanceAdmin | Redirect::Discussions) => Side::Away,
        _ => Side::File,
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
