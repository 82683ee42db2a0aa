//! Parse a rendered issue body back into answers.
//!
//! Bodies are edited after submission, textareas hold their own `###`
//! headings and task lists, and some issues bypass forms altogether, so the
//! parser never fails: what it cannot place it reports.

use super::render::{normalize, NO_RESPONSE};
use crate::draft::{Answer, Answers};
use crate::form::{FieldKind, FormSet, IssueForm, LoadedForm};
use std::collections::HashMap;

/// A `###` section of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    /// 1-based line of the heading.
    pub line: usize,
    pub content: String,
}

/// A body read against one form.
#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    /// Answers of the fields whose sections were found.
    pub answers: Answers,
    /// Heading line of each found field, by key.
    pub lines: HashMap<String, usize>,
    /// Sections whose heading names no field of the form.
    pub unknown: Vec<Section>,
    /// Text before the first heading.
    pub preamble: String,
}

impl ParsedBody {
    pub fn has(&self, key: &str) -> bool {
        self.lines.contains_key(key)
    }
}

enum Current {
    Preamble,
    Field(usize),
    Unknown(usize),
}

/// Reads `body` against `form`.
pub fn parse(form: &IssueForm, body: &str) -> ParsedBody {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let fields: Vec<_> = form.fields().collect();
    let by_label: HashMap<String, usize> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| (fold(f.label), i))
        .collect();

    let lines: Vec<&str> = body.lines().collect();
    let fenced = fenced_lines(&lines);
    // Labels whose heading stands outside any code block somewhere: a
    // quoted copy of such a heading inside a block is only a quote.
    let outside: Vec<bool> = {
        let mut seen = vec![false; fields.len()];
        for (line, f) in lines.iter().zip(&fenced) {
            if let Some(i) = heading_text(line).and_then(|h| by_label.get(&fold(h))) {
                seen[*i] |= !f;
            }
        }
        seen
    };

    let mut preamble = Vec::new();
    let mut contents: Vec<Option<(usize, Vec<&str>)>> = vec![None; fields.len()];
    let mut unknown: Vec<(Section, Vec<&str>)> = Vec::new();
    let mut current = Current::Preamble;

    for (n, line) in lines.iter().copied().enumerate() {
        if let Some(h) = heading_text(line) {
            let known = by_label.get(&fold(h)).copied();
            let opens = match known {
                Some(i) => contents[i].is_none() && (!fenced[n] || !outside[i]),
                None => !fenced[n],
            };
            let in_textarea =
                matches!(current, Current::Field(i) if fields[i].kind == FieldKind::Textarea);
            match known {
                Some(i) if opens => {
                    contents[i] = Some((n + 1, Vec::new()));
                    current = Current::Field(i);
                    continue;
                }
                // A repeated or unknown heading inside a textarea or a code
                // block is the reporter's own Markdown; elsewhere it is a
                // section the form does not have (edited body, or the form
                // changed).
                Some(_) => {}
                None if in_textarea || !opens => {}
                None => {
                    unknown.push((
                        Section {
                            heading: h.to_string(),
                            line: n + 1,
                            content: String::new(),
                        },
                        Vec::new(),
                    ));
                    current = Current::Unknown(unknown.len() - 1);
                    continue;
                }
            }
        }
        push_line(
            &mut current,
            &mut preamble,
            &mut contents,
            &mut unknown,
            line,
        );
    }

    let mut parsed = ParsedBody {
        preamble: normalize(&preamble.join("\n")),
        unknown: unknown
            .into_iter()
            .map(|(mut s, lines)| {
                s.content = normalize(&lines.join("\n"));
                s
            })
            .collect(),
        ..ParsedBody::default()
    };
    for (field, content) in fields.iter().zip(contents) {
        let Some((line, lines)) = content else {
            continue;
        };
        let raw = normalize(&lines.join("\n"));
        let key = field.key().to_string();
        parsed.lines.insert(key.clone(), line);
        let text = if raw == NO_RESPONSE {
            String::new()
        } else {
            raw
        };
        let answer = match field.kind {
            FieldKind::Input => Answer::Text(text),
            FieldKind::Textarea => Answer::Text(match field.render {
                Some(_) => unfence(&text),
                None => text,
            }),
            FieldKind::Dropdown if field.multiple => {
                Answer::List(split_choices(&text, field.dropdown_options))
            }
            FieldKind::Dropdown => Answer::Text(text),
            FieldKind::Checkboxes => Answer::List(ticked(&text)),
        };
        parsed.answers.insert(key, answer);
    }
    parsed
}

type Lines<'a> = Vec<&'a str>;

fn push_line<'a>(
    current: &mut Current,
    preamble: &mut Lines<'a>,
    contents: &mut [Option<(usize, Lines<'a>)>],
    unknown: &mut [(Section, Lines<'a>)],
    line: &'a str,
) {
    match *current {
        Current::Preamble => preamble.push(line),
        Current::Field(i) => contents[i].as_mut().expect("open section").1.push(line),
        Current::Unknown(i) => unknown[i].1.push(line),
    }
}

/// Which lines lie inside a fenced code block. A fence never closed does
/// not count: an answer with a stray ``` must not swallow the rest of the
/// body.
fn fenced_lines(lines: &[&str]) -> Vec<bool> {
    let is_fence = |l: &str| {
        let t = l.trim_start();
        t.starts_with("```") || t.starts_with("~~~")
    };
    let mut out = vec![false; lines.len()];
    let mut open: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        if is_fence(l) {
            match open.take() {
                Some(start) => out[start..=i].iter_mut().for_each(|f| *f = true),
                None => open = Some(i),
            }
        }
    }
    out
}

/// `### Label` → `Label`.
fn heading_text(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("###")?;
    if rest.starts_with('#') {
        return None;
    }
    let h = rest.trim();
    (!h.is_empty() && (rest.starts_with(' ') || rest.starts_with('\t'))).then_some(h)
}

fn fold(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The inside of a fenced block, where the whole answer is one.
fn unfence(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() >= 2
        && lines[0].trim_start().starts_with("```")
        && lines[lines.len() - 1].trim() == "```"
    {
        normalize(&lines[1..lines.len() - 1].join("\n"))
    } else {
        text.to_string()
    }
}

/// The ticked options of a rendered checkbox list.
fn ticked(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l
                .strip_prefix("- [X]")
                .or_else(|| l.strip_prefix("- [x]"))
                .or_else(|| l.strip_prefix("* [x]"))
                .or_else(|| l.strip_prefix("* [X]"))?;
            let label = rest.trim();
            (!label.is_empty()).then(|| label.to_string())
        })
        .collect()
}

/// Splits `a, b, c` into options, keeping options that hold `, ` whole.
fn split_choices(text: &str, options: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    let mut by_len: Vec<&String> = options.iter().collect();
    by_len.sort_by_key(|o| std::cmp::Reverse(o.len()));
    while !rest.is_empty() {
        let hit = by_len.iter().find(|o| {
            rest.starts_with(o.as_str())
                && (rest.len() == o.len() || rest[o.len()..].starts_with(", "))
        });
        let (item, next) = match hit {
            Some(o) => (o.to_string(), &rest[o.len()..]),
            None => match rest.find(", ") {
                Some(i) => (rest[..i].to_string(), &rest[i..]),
                None => (rest.to_string(), ""),
            },
        };
        out.push(item);
        rest = next.strip_prefix(", ").unwrap_or(next).trim_start();
    }
    out
}

/// The form a body was most likely written with.
#[derive(Debug, Clone, Copy)]
pub struct Detection<'a> {
    pub form: &'a LoadedForm,
    /// Headings that name a field of the form.
    pub matched: usize,
    /// Fields of the form.
    pub fields: usize,
    /// Headings in the body.
    pub headings: usize,
}

/// Picks the form whose labels best cover the body's headings (Jaccard
/// overlap, so a form with fewer unused fields wins a tie); `None` when no
/// heading names a field of any form.
pub fn detect_form<'a>(set: &'a FormSet, body: &str) -> Option<Detection<'a>> {
    let headings = headings(body);
    let mut best: Option<(f64, Detection<'a>)> = None;
    for form in &set.forms {
        let labels: Vec<String> = form.form.fields().map(|f| fold(f.label)).collect();
        let matched = labels.iter().filter(|l| headings.contains(l)).count();
        if matched == 0 {
            continue;
        }
        let union = labels.len() + headings.len() - matched;
        let score = matched as f64 / union.max(1) as f64;
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((
                score,
                Detection {
                    form,
                    matched,
                    fields: labels.len(),
                    headings: headings.len(),
                },
            ));
        }
    }
    best.map(|(_, d)| d)
}

/// Distinct folded headings outside code fences.
fn headings(body: &str) -> Vec<String> {
    let lines: Vec<&str> = body.lines().map(|l| l.trim_end_matches('\r')).collect();
    let fenced = fenced_lines(&lines);
    let mut out: Vec<String> = Vec::new();
    for (line, f) in lines.iter().zip(fenced) {
        if let Some(h) = heading_text(line).filter(|_| !f) {
            let h = fold(h);
            if !out.contains(&h) {
                out.push(h);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::FormSet;

    fn web() -> IssueForm {
        FormSet::embedded()
            .find("1.web_bug_report.yml")
            .unwrap()
            .form
            .clone()
    }

    fn body(details: &str) -> String {
        format!(
            "### Steps to reproduce the problem\n\n1. a\n2. b\n\n### Detailed description\n\n{details}\n\n### Mastodon instance\n\nsocial.example\n\n### Mastodon version\n\nv4.3.1"
        )
    }

    #[test]
    fn a_quoted_heading_in_a_code_block_stays_a_quote() {
        let quoted = "```\n### Mastodon version\n\nlatest\n```";
        let p = parse(&web(), &body(quoted));
        assert_eq!(p.answers["Mastodon version"], Answer::Text("v4.3.1".into()));
        assert_eq!(
            p.answers["Detailed description"],
            Answer::Text(quoted.into())
        );
        assert_eq!(
            p.answers["Mastodon instance"],
            Answer::Text("social.example".into())
        );
    }

    #[test]
    fn an_unclosed_fence_does_not_swallow_the_rest() {
        let p = parse(&web(), &body("```\nstack trace without its closing fence"));
        assert_eq!(
            p.answers["Mastodon instance"],
            Answer::Text("social.example".into())
        );
        assert_eq!(p.answers["Mastodon version"], Answer::Text("v4.3.1".into()));
    }

    #[test]
    fn a_heading_only_inside_a_block_still_opens_its_field() {
        // Two textareas whose stray fences pair up across the field between.
        let b = "### Steps to reproduce the problem\n\n```\n1. a\n\n### Expected behaviour\n\nworks\n\n### Detailed description\n\n```";
        let p = parse(&web(), b);
        assert_eq!(
            p.answers["Expected behaviour"],
            Answer::Text("works".into())
        );
    }
}
