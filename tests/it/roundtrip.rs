//! render → parse → render is the identity for generated forms and answers.

use issue_preflight::draft::{parse::parse, render};
use issue_preflight::draft::{Answer, Answers};
use issue_preflight::form::model::*;
use issue_preflight::form::{Element, IssueForm};
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{2,8}( [a-z]{2,8}){0,2}"
}

/// Free text that may hold Markdown of its own: headings, task lists,
/// fences, blank lines.
fn text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[a-zA-Z0-9 .,:!?'()-]{0,40}",
        "### [A-Z][a-z]{1,10}",
        "- \\[[ xX]\\] [a-z ]{1,12}",
        Just("```".to_string()),
        Just(String::new()),
    ];
    prop::collection::vec(line, 0..6).prop_map(|l| l.join("\n"))
}

#[derive(Debug, Clone)]
enum Kind {
    Input,
    Textarea(Option<String>),
    Dropdown(bool, Vec<String>),
    Checkboxes(Vec<String>),
}

fn kind() -> impl Strategy<Value = Kind> {
    let options = prop::collection::hash_set("[A-Z][a-z]{1,6}(, [a-z]{1,4})?", 1..5)
        .prop_map(|s| s.into_iter().collect::<Vec<_>>());
    prop_oneof![
        Just(Kind::Input),
        prop::option::of(prop_oneof![
            Just("shell".to_string()),
            Just("json".to_string())
        ])
        .prop_map(Kind::Textarea),
        (any::<bool>(), options.clone()).prop_map(|(m, o)| Kind::Dropdown(m, o)),
        options.prop_map(Kind::Checkboxes),
    ]
}

fn element(label: String, kind: Kind) -> Element {
    match kind {
        Kind::Input => Element::Input {
            id: None,
            attributes: TextAttributes {
                label,
                description: None,
                placeholder: None,
                value: None,
            },
            validations: Validations::default(),
        },
        Kind::Textarea(render) => Element::Textarea {
            id: None,
            attributes: TextareaAttributes {
                label,
                description: None,
                placeholder: None,
                value: None,
                render,
            },
            validations: Validations::default(),
        },
        Kind::Dropdown(multiple, options) => Element::Dropdown {
            id: None,
            attributes: DropdownAttributes {
                label,
                description: None,
                multiple,
                options,
                default: None,
            },
            validations: Validations::default(),
        },
        Kind::Checkboxes(options) => Element::Checkboxes {
            id: None,
            attributes: CheckboxesAttributes {
                label,
                description: None,
                options: options
                    .into_iter()
                    .map(|label| CheckboxOption {
                        label,
                        required: false,
                    })
                    .collect(),
            },
            validations: Validations::default(),
        },
    }
}

fn form_and_answers() -> impl Strategy<Value = (IssueForm, Answers)> {
    prop::collection::hash_map(label(), kind(), 1..7)
        .prop_flat_map(|fields| {
            let fields: Vec<(String, Kind)> = fields.into_iter().collect();
            let answers: Vec<BoxedStrategy<Option<Answer>>> = fields
                .iter()
                .map(|(_, k)| match k.clone() {
                    Kind::Input => {
                        prop::option::of("[a-zA-Z0-9 .,:'-]{0,30}".prop_map(Answer::Text)).boxed()
                    }
                    Kind::Textarea(_) => prop::option::of(text().prop_map(Answer::Text)).boxed(),
                    Kind::Dropdown(true, o) => prop::option::of(
                        prop::sample::subsequence(o.clone(), 0..=o.len()).prop_map(Answer::List),
                    )
                    .boxed(),
                    Kind::Dropdown(false, o) => {
                        prop::option::of(prop::sample::select(o).prop_map(Answer::Text)).boxed()
                    }
                    Kind::Checkboxes(o) => prop::option::of(
                        prop::sample::subsequence(o.clone(), 0..=o.len()).prop_map(Answer::List),
                    )
                    .boxed(),
                })
                .collect();
            (Just(fields), answers)
        })
        .prop_map(|(fields, answers)| {
            let labels: Vec<String> = fields.iter().map(|(l, _)| l.clone()).collect();
            let form = IssueForm {
                name: "Generated".into(),
                description: "generated".into(),
                title: None,
                labels: vec![],
                assignees: vec![],
                projects: vec![],
                issue_type: None,
                body: fields.into_iter().map(|(l, k)| element(l, k)).collect(),
            };
            let answers = labels
                .into_iter()
                .zip(answers)
                .filter_map(|(l, a)| a.map(|a| (l, a)))
                .collect();
            (form, answers)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn render_parse_render_is_identity((form, answers) in form_and_answers()) {
        // A textarea line that is exactly another field's heading is
        // ambiguous for GitHub too; such drafts are out of scope.
        let labels: Vec<String> = form.fields().map(|f| format!("### {}", f.label)).collect();
        prop_assume!(answers.values().all(|a| a.as_text().lines().all(|l| !labels.iter().any(|h| h == l.trim_end()))));
        let body = render(&form, &answers);
        let parsed = parse(&form, &body);
        prop_assert!(parsed.unknown.is_empty(), "unknown: {:?}\n{}", parsed.unknown, body);
        prop_assert_eq!(render(&form, &parsed.answers), body);
    }
}
