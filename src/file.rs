//! Filing: through the API with a token, or as a prefilled new-issue URL
//! without one.

use crate::body::render;
use crate::draft::{answer_for, Answers};
use crate::form::{FieldKind, IssueForm};
use crate::redirect::encode;
use crate::repo::Repo;

/// Past this, GitHub's new-issue URLs break.
pub const MAX_URL_CHARS: usize = 8_000;

/// `https://github.com`, or the Enterprise server GitHub Actions names.
pub fn html_base() -> String {
    std::env::var("GITHUB_SERVER_URL")
        .ok()
        .filter(|s| s.starts_with("http"))
        .map_or_else(
            || "https://github.com".to_string(),
            |s| s.trim_end_matches('/').to_string(),
        )
}

/// A new-issue URL and what did not fit in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefilled {
    pub url: String,
    /// Whether every answer is in the URL (only fields with an `id` can be).
    pub complete: bool,
}

/// `/issues/new?template=FILE&title=…&<id>=…`; falls back to template and
/// title alone when the answers would make it too long.
pub fn prefilled_url(
    base: &str,
    repo: &Repo,
    form_file: &str,
    form: &IssueForm,
    title: &str,
    answers: &Answers,
) -> Prefilled {
    let short = format!(
        "{base}/{repo}/issues/new?template={}&title={}",
        encode(form_file),
        encode(title)
    );
    let mut url = short.clone();
    let mut complete = true;
    for field in form.fields() {
        let Some(answer) = answer_for(answers, &field).filter(|a| !a.is_empty()) else {
            continue;
        };
        let Some(id) = field.id else {
            complete = false;
            continue;
        };
        let value = match field.kind {
            FieldKind::Checkboxes => {
                // Checkboxes cannot be prefilled through the URL.
                complete = false;
                continue;
            }
            _ => answer.as_list().join(","),
        };
        url.push_str(&format!("&{}={}", encode(id), encode(&value)));
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Prefilled {
            url: short,
            complete: false,
        };
    }
    Prefilled { url, complete }
}

/// What to paste into the form, field by field, when the URL cannot carry
/// the answers.
pub fn paste_sheet(form: &IssueForm, title: &str, answers: &Answers) -> String {
    let mut out = format!(
        "Title:\n{title}\n\nPaste each answer into its field of the form \"{}\".\n",
        form.name
    );
    for field in form.fields() {
        let value = answer_for(answers, &field)
            .map(|a| a.as_list().join("\n"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n--- {} ---\n{}\n",
            field.label,
            value.trim_end()
        ));
    }
    out.push_str("\n--- The whole body, as GitHub renders it ---\n");
    out.push_str(&render(form, answers));
    out.push('\n');
    out
}

/// Whether the report would gain from a screenshot or a recording: a bug
/// in a graphical interface.
pub fn wants_screenshots(form: &IssueForm) -> bool {
    let text = format!(
        "{} {} {}",
        form.name,
        form.description,
        form.labels.join(" ")
    )
    .to_lowercase();
    [
        "web interface",
        "user interface",
        " ui",
        "visual",
        "display",
        "frontend",
    ]
    .iter()
    .any(|k| text.contains(k))
}

/// Opens a URL in the browser without a shell; the URL is one argument.
/// Returns whether a browser was started.
pub fn open_in_browser(url: &str) -> bool {
    if std::env::var_os("PREFLIGHT_NO_BROWSER").is_some() {
        return false;
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(unix) {
        "xdg-open"
    } else {
        return false;
    };
    std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Puts `text` on the clipboard through the system's own tool, fed on
/// standard input (no shell, no arguments from the text). The tools are
/// used rather than a clipboard crate because on X11 and Wayland the
/// clipboard lives only as long as the process that owns it, and these
/// tools keep serving it after `preflight` exits. Returns the tool used.
pub fn copy_to_clipboard(text: &str) -> Option<&'static str> {
    use std::io::Write;
    let has = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    let candidates: &[(&'static str, &[&str])] = if cfg!(target_os = "macos") {
        &[("pbcopy", &[])]
    } else if has("WAYLAND_DISPLAY") {
        &[("wl-copy", &[]), ("xclip", &["-selection", "clipboard"])]
    } else if has("DISPLAY") {
        &[
            ("xclip", &["-selection", "clipboard"]),
            ("xsel", &["--clipboard", "--input"]),
        ]
    } else {
        &[]
    };
    for (tool, args) in candidates {
        let child = std::process::Command::new(tool)
            .args(*args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = child else { continue };
        let written = child
            .stdin
            .take()
            .is_some_and(|mut stdin| stdin.write_all(text.as_bytes()).is_ok());
        if written && child.wait().is_ok_and(|s| s.success()) {
            return Some(tool);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Answer;
    use crate::form::FormSet;

    #[test]
    fn mastodon_forms_have_no_ids_so_the_url_carries_template_and_title() {
        let set = FormSet::embedded();
        let f = set.find("1.web_bug_report.yml").unwrap();
        let mut answers = Answers::new();
        answers.insert("Expected behaviour".into(), Answer::Text("works".into()));
        let p = prefilled_url(
            "https://github.com",
            &Repo::mastodon(),
            &f.file,
            &f.form,
            "Replies & threads",
            &answers,
        );
        assert_eq!(
            p.url,
            "https://github.com/mastodon/mastodon/issues/new?template=1.web_bug_report.yml&title=Replies%20%26%20threads"
        );
        assert!(!p.complete);
        assert!(wants_screenshots(&f.form));
        assert!(!wants_screenshots(
            &set.find("2.server_bug_report.yml").unwrap().form
        ));
    }

    #[test]
    fn fields_with_ids_are_prefilled_until_the_url_gets_too_long() {
        let yaml = "name: B\ndescription: d\nbody:\n  - type: input\n    id: version\n    attributes:\n      label: Version\n  - type: textarea\n    id: logs\n    attributes:\n      label: Logs\n";
        let form = crate::form::check::parse_form(yaml, "b.yml").unwrap();
        let repo: Repo = "acme/app".parse().unwrap();
        let mut answers = Answers::new();
        answers.insert("version".into(), Answer::Text("1.2.3".into()));
        let p = prefilled_url("https://github.com", &repo, "b.yml", &form, "T", &answers);
        assert_eq!(
            p.url,
            "https://github.com/acme/app/issues/new?template=b.yml&title=T&version=1.2.3"
        );
        assert!(p.complete);
        answers.insert("logs".into(), Answer::Text("x".repeat(9_000)));
        let p = prefilled_url("https://github.com", &repo, "b.yml", &form, "T", &answers);
        assert_eq!(
            p.url,
            "https://github.com/acme/app/issues/new?template=b.yml&title=T"
        );
        assert!(!p.complete);
    }
}
