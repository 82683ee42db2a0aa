//! Multi-line answers: in the reporter's editor where one is set, else a
//! line at a time with the line editor. Typed line by line, an answer
//! starts from the form's prefilled text (a checklist is walked line by
//! line, each to keep or edit), and an answer already given can have one
//! line changed, or lines added, without retyping the others.

use super::super::Io;
use super::line::{Asked, Line, NoAnswer};
use inquire::validator::Validation;
use inquire::{Editor, Select};
use issue_preflight::draft::render::normalize;
use issue_preflight::draft::Answer;
use issue_preflight::form::Field;
use issue_preflight::text::printable;

/// A textarea: the reporter's editor where one is set, else line by line.
pub fn ask_textarea(
    field: &Field<'_>,
    label: &str,
    help: Option<&str>,
    current: Option<&Answer>,
    io: &mut Io<'_>,
    partial: &mut dyn FnMut(&str),
) -> Asked<Answer> {
    let current = current.map(Answer::as_text).unwrap_or_default();
    let has_editor = ["VISUAL", "EDITOR"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    if has_editor {
        let mut p = Editor::new(label)
            .with_predefined_text(&current)
            .with_file_extension(".md");
        if let Some(h) = help {
            p = p.with_help_message(h);
        }
        let required = field.required;
        let p = p.with_validator(move |t: &str| {
            Ok(if required && t.trim().is_empty() {
                Validation::Invalid("this answer is required".into())
            } else {
                Validation::Valid
            })
        });
        return Ok(Answer::Text(normalize(&p.prompt()?)));
    }
    let typed = Typed {
        label,
        required: field.required,
        numbered: field
            .value
            .is_some_and(|v| v.trim_start().starts_with("1.")),
        color: io.style.color,
    };
    let template = field
        .value
        .is_some_and(|v| normalize(v) == normalize(&current));
    let say = |io: &mut Io<'_>, text: String| {
        let _ = writeln!(io.out, "{text}");
        let _ = io.out.flush();
    };
    let mut lines: Vec<String> = current.lines().map(str::to_string).collect();
    let from_scratch = |io: &mut Io<'_>, partial: &mut dyn FnMut(&str)| {
        say(
            io,
            format!(
                "{label}{}\n  (one line at a time; an empty line ends the answer; Esc goes back a line)",
                help.map(|h| format!(": {h}")).unwrap_or_default()
            ),
        );
        typed.lines(Vec::new(), 0, io, partial)
    };
    if current.trim().is_empty() || (template && is_empty_list(&lines)) {
        // Nothing worth keeping: typed from the first line.
        return from_scratch(io, partial);
    }
    if template {
        // The form's own text, e.g. a checklist to fill in: each line
        // comes prefilled.
        say(
            io,
            format!(
                "{label}{}\n  (the form's text, a line at a time: Enter keeps a line, edit it, or clear it to drop it; then add lines, and an empty line ends the answer)",
                help.map(|h| format!(": {h}")).unwrap_or_default()
            ),
        );
        return typed.lines(lines, 0, io, partial);
    }
    loop {
        let shown: Vec<String> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!("  {:>2} │ {}", i + 1, printable(l)))
            .collect();
        say(
            io,
            format!("{label} — current answer:\n{}", shown.join("\n")),
        );
        let options = vec![KEEP, CHANGE, ADD, AGAIN];
        let pick = Select::new("Keep this answer?", options)
            .with_help_message("↑↓ to move, Enter to choose, Esc to go back")
            .prompt()?;
        match pick {
            KEEP => return Ok(Answer::Text(lines.join("\n"))),
            CHANGE => {
                let numbered: Vec<String> = lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("{:>2} │ {}", i + 1, printable(l)))
                    .collect();
                let picked = match Select::new("Which line?", numbered).raw_prompt() {
                    Ok(p) => p.index,
                    Err(e) => match NoAnswer::from(e) {
                        NoAnswer::Back => continue,
                        other => return Err(other),
                    },
                };
                match typed.one(&lines[picked]) {
                    Ok(l) if l.trim().is_empty() => {
                        lines.remove(picked);
                    }
                    Ok(l) => lines.splice(picked..=picked, split(&l)).for_each(drop),
                    Err(NoAnswer::Back) => continue,
                    Err(e) => return Err(e),
                }
                partial(&lines.join("\n"));
            }
            ADD => {
                let at = lines.len();
                return typed.lines(lines, at, io, partial);
            }
            _ => return from_scratch(io, partial),
        }
    }
}

const KEEP: &str = "Yes, keep it";
const CHANGE: &str = "Change a line";
const ADD: &str = "Add lines at the end";
const AGAIN: &str = "No, write it again";

/// How lines are typed for one answer.
struct Typed<'a> {
    label: &'a str,
    required: bool,
    /// The form asks for numbered steps: new lines get their number.
    numbered: bool,
    color: bool,
}

impl Typed<'_> {
    /// One line, starting from `initial`.
    fn one(&self, initial: &str) -> Asked<String> {
        Line::new("|").initial(initial).color(self.color).ask_raw()
    }

    /// Lines from `at` on: a line that exists comes prefilled (cleared, it
    /// is dropped); after the last, new lines until an empty one. Esc goes
    /// back a line, and before the first, back a step.
    fn lines(
        &self,
        mut lines: Vec<String>,
        mut at: usize,
        io: &mut Io<'_>,
        partial: &mut dyn FnMut(&str),
    ) -> Asked<Answer> {
        loop {
            let new = at >= lines.len();
            let prefix = if self.numbered && new {
                format!("{}. ", lines.len() + 1)
            } else {
                String::new()
            };
            let initial = if new {
                prefix.clone()
            } else {
                lines[at].clone()
            };
            let line = match self.one(&initial) {
                Ok(l) => l,
                Err(NoAnswer::Back) if at > 0 => {
                    at -= 1;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let bare = line.trim();
            if new && (bare.is_empty() || (self.numbered && bare == prefix.trim())) {
                if !lines.is_empty() || !self.required {
                    return Ok(Answer::Text(lines.join("\n")));
                }
                let _ = writeln!(io.out, "  {} needs an answer.", self.label);
                continue;
            }
            if bare.is_empty() {
                lines.remove(at);
            } else {
                let typed = split(&line);
                let n = typed.len();
                if new {
                    lines.extend(typed);
                } else {
                    lines.splice(at..=at, typed).for_each(drop);
                }
                at += n;
            }
            partial(&lines.join("\n"));
        }
    }
}

/// A typed (or pasted) line: several when text with line breaks was pasted.
fn split(line: &str) -> Vec<String> {
    line.lines().map(|l| l.trim_end().to_string()).collect()
}

/// `1.`, `2.`, `...`: list items with nothing in them.
fn is_empty_list(lines: &[String]) -> bool {
    lines.iter().all(|l| {
        let t = l.trim();
        t.is_empty()
            || t == "..."
            || t == "…"
            || t == "-"
            || t.trim_end_matches(['.', ')'])
                .chars()
                .all(|c| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_list_is_nothing_to_keep_but_a_checklist_is() {
        let l = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
        assert!(is_empty_list(&l("1.\n2.\n3.\n...")));
        assert!(!is_empty_list(&l(
            "Please at least include those informations:\n- Operating system: (eg. Ubuntu 24.04.2)"
        )));
        assert_eq!(split("a\r\nb  \n"), ["a", "b"]);
    }
}
