//! Loading and validating issue-form YAML the way GitHub does, with every
//! problem placed at `line:col` so `templates check` can point at it.

use super::model::{Element, FormConfig, IssueForm};
use super::yaml::{Pos, PosMap};
use crate::error::Error;
use crate::yaml::{self, YamlError};
use std::collections::HashMap;

/// One thing GitHub would refuse in a form file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pos: Pos,
    pub message: String,
}

impl Problem {
    pub fn into_error(self, file: &str) -> Error {
        Error::Form {
            file: file.to_string(),
            line: self.pos.line,
            col: self.pos.col,
            message: self.message,
        }
    }
}

/// Parses and validates a form; the first problem becomes the error.
pub fn parse_form(text: &str, file: &str) -> Result<IssueForm, Error> {
    let (form, problems) = check_form(text);
    match (form, problems.into_iter().next()) {
        (Some(form), None) => Ok(form),
        (_, Some(p)) => Err(p.into_error(file)),
        (None, None) => Err(Error::Form {
            file: file.to_string(),
            line: 1,
            col: 1,
            message: "not an issue form".into(),
        }),
    }
}

/// Parses a `config.yml`.
pub fn parse_config(text: &str, file: &str) -> Result<FormConfig, Error> {
    match yaml::from_str::<Option<FormConfig>>(text) {
        Ok(c) => Ok(c.unwrap_or_default()),
        Err(e) => Err(yaml_problem(e).into_error(file)),
    }
}

/// Every problem of a form file, in file order.
pub fn check_form(text: &str) -> (Option<IssueForm>, Vec<Problem>) {
    let form: IssueForm = match yaml::from_str(text) {
        Ok(f) => f,
        Err(e) => return (None, vec![yaml_problem_in(e, text)]),
    };
    let pos = PosMap::build(text);
    let mut problems = Vec::new();
    let mut at = |path: String, message: String| {
        problems.push(Problem {
            pos: pos.get(&path),
            message,
        })
    };

    if form.name.trim().is_empty() {
        at("name".into(), "`name` must not be empty".into());
    }
    if form.description.trim().is_empty() {
        at(
            "description".into(),
            "`description` must not be empty".into(),
        );
    }
    if form.body.iter().all(|e| e.field().is_none()) {
        at(
            "body".into(),
            "`body` must hold at least one non-markdown field".into(),
        );
    }

    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut labels: HashMap<String, usize> = HashMap::new();
    for (i, el) in form.body.iter().enumerate() {
        if let Some(id) = el.id() {
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                at(
                    format!("body[{i}].id"),
                    format!(
                        "id `{}` may hold only letters, digits, `-` and `_`",
                        name(id)
                    ),
                );
            }
            if let Some(first) = ids.insert(id, i) {
                at(
                    format!("body[{i}].id"),
                    format!("duplicate id `{}` (first used by body[{first}])", name(id)),
                );
            }
        }
        if let Element::Markdown { attributes, .. } = el {
            if attributes.value.trim().is_empty() {
                at(
                    format!("body[{i}].attributes.value"),
                    "markdown `value` must not be empty".into(),
                );
            }
            continue;
        }
        let Some(field) = el.field() else { continue };
        let label_path = format!("body[{i}].attributes.label");
        if field.label.trim().is_empty() {
            at(label_path.clone(), "`label` must not be empty".into());
        } else if let Some(first) = labels.insert(field.label.trim().to_lowercase(), i) {
            at(
                label_path,
                format!(
                    "duplicate label `{}` (first used by body[{first}])",
                    name(field.label)
                ),
            );
        }
        match el {
            Element::Dropdown { attributes: a, .. } => {
                if a.options.is_empty() {
                    at(
                        format!("body[{i}].attributes.options"),
                        format!("dropdown `{}` has no options", name(&a.label)),
                    );
                }
                let mut seen = HashMap::new();
                for (j, o) in a.options.iter().enumerate() {
                    let path = format!("body[{i}].attributes.options[{j}]");
                    if o.trim().is_empty() {
                        at(path, "dropdown options must not be empty".into());
                    } else if o.trim().eq_ignore_ascii_case("none") {
                        at(
                            path,
                            "`None` is reserved by GitHub and cannot be an option".into(),
                        );
                    } else if seen.insert(o.trim().to_string(), j).is_some() {
                        at(path, format!("duplicate option `{}`", name(o)));
                    }
                }
                if let Some(d) = a.default {
                    if d >= a.options.len() {
                        at(
                            format!("body[{i}].attributes.default"),
                            format!(
                                "default {d} is out of range: there are {} options",
                                a.options.len()
                            ),
                        );
                    }
                }
            }
            Element::Checkboxes { attributes: a, .. } => {
                if a.options.is_empty() {
                    at(
                        format!("body[{i}].attributes.options"),
                        format!("checkboxes `{}` have no options", name(&a.label)),
                    );
                }
                for (j, o) in a.options.iter().enumerate() {
                    if o.label.trim().is_empty() {
                        at(
                            format!("body[{i}].attributes.options[{j}].label"),
                            "checkbox labels must not be empty".into(),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    problems.sort_by_key(|p| (p.pos.line, p.pos.col));
    (Some(form), problems)
}

/// Problems of a `config.yml`.
pub fn check_config(text: &str) -> Vec<Problem> {
    match yaml::from_str::<Option<FormConfig>>(text) {
        Err(e) => vec![yaml_problem(e)],
        Ok(config) => {
            let pos = PosMap::build(text);
            let mut problems = Vec::new();
            for (i, link) in config.unwrap_or_default().contact_links.iter().enumerate() {
                if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
                    problems.push(Problem {
                        pos: pos.get(&format!("contact_links[{i}].url")),
                        message: format!(
                            "contact link url `{}` is not an http(s) URL",
                            name(&link.url)
                        ),
                    });
                }
            }
            problems
        }
    }
}

/// A name from the form as a message quotes it: one line, cut short.
fn name(s: &str) -> String {
    crate::text::printable_cut(s, 60)
}

/// `yaml_problem`, moved onto the offending key where serde names one.
fn yaml_problem_in(e: YamlError, text: &str) -> Problem {
    let mut p = yaml_problem(e);
    if let Some(key) = p
        .message
        .split_once("unknown field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(k, _)| k)
    {
        if let Some(pos) = PosMap::build(text).find_key(key, p.pos) {
            p.pos = pos;
        }
    }
    p
}

fn yaml_problem(e: YamlError) -> Problem {
    Problem {
        pos: Pos {
            line: e.line,
            col: e.col,
        },
        message: e.message,
    }
}
