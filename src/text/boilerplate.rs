//! Text that came with the form or the template, not from the reporter:
//! the forms' headings, descriptions, placeholders and prefilled values,
//! GitHub's `_No response_`, and the lines of older issue templates. The
//! lines are given (from the forms in use, and from what the training
//! corpus shows recurring in many bodies); nothing here is a hand-written
//! list.

use super::words::words;
use std::collections::HashSet;

/// A set of lines to drop, compared by their words.
#[derive(Debug, Clone, Default)]
pub struct Boilerplate {
    lines: HashSet<String>,
}

impl Boilerplate {
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> Boilerplate {
        let mut b = Boilerplate::default();
        b.extend(lines);
        b
    }

    pub fn extend<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        for line in lines {
            let key = key(line);
            if !key.is_empty() {
                self.lines.insert(key);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Whether this line (a heading, a checkbox, a plain line) is
    /// boilerplate.
    pub fn is_boilerplate(&self, line: &str) -> bool {
        let k = key(line);
        !k.is_empty() && (k == "no response" || self.lines.contains(&k))
    }

    /// `body` without its boilerplate lines.
    pub fn strip(&self, body: &str) -> String {
        let mut out = String::with_capacity(body.len());
        for line in body.lines() {
            if !self.is_boilerplate(line) {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// A line's words, without Markdown's heading, list and checkbox marks.
fn key(line: &str) -> String {
    let t = line.trim_start().trim_start_matches('#').trim_start();
    let t = t
        .strip_prefix("- [")
        .or_else(|| t.strip_prefix("* ["))
        .and_then(|r| r.split_once(']'))
        .map_or(t, |(_, rest)| rest);
    words(t).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_lines_go_and_the_reporters_stay() {
        let b = Boilerplate::new([
            "Steps to reproduce the problem",
            "I searched for duplicates",
            "Please describe your issue here.",
        ]);
        let body = "### Steps to reproduce the problem\n\n1. Open a thread\n\n### Detailed description\n\n_No response_\n\n- [X] I searched for duplicates\nplease describe your issue HERE\nThe thread is empty.";
        assert_eq!(
            b.strip(body),
            "\n1. Open a thread\n\n### Detailed description\n\n\nThe thread is empty.\n"
        );
    }
}
