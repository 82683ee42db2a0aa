//! What the command line shows of someone else's text (a repository's
//! forms, an index, saved drafts, what a draft names) goes through the one
//! sanitiser: no escape, bell or bidirectional control reaches the
//! terminal or a workflow command. Plus issue 13's minor findings that show
//! in the output: the byte-order mark, advice said once, stale temporary
//! files.

use crate::hardening::{one_line_error, run, Sandbox};
use crate::support::*;
use std::path::Path;

/// Written into forms as YAML escapes: a window-title change with a bell,
/// a clear-screen, a right-to-left override and an isolate.
const HOSTILE_YAML: &str = r"\e]0;pwned\a\e[2J\u202E\u2066";
const BAD: [char; 4] = ['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}'];

fn assert_clean(what: &str, text: &str) {
    for bad in BAD {
        assert!(!text.contains(bad), "{what}: {bad:?} got through:\n{text}");
    }
}

fn all_output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A valid form with hostile text in every place a view shows.
fn hostile_form() -> String {
    let h = HOSTILE_YAML;
    format!(
        r#"name: "Bug {h}report"
description: "Something {h}broke"
title: "[bug{h}] "
labels: ["bug{h}"]
body:
  - type: input
    id: version
    attributes:
      label: "Version {h}"
      description: "Which {h}version"
      placeholder: "v4{h}"
    validations:
      required: true
  - type: dropdown
    attributes:
      label: "Browser {h}"
      options: ["Firefox {h}", "Chromium"]
  - type: textarea
    attributes:
      label: "What happened {h}"
"#
    )
}

fn forms_dir(s: &Sandbox) -> std::path::PathBuf {
    let dir = s.root().join("work/forms");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bug.yml"), hostile_form()).unwrap();
    dir
}

#[test]
fn a_hostile_repositorys_forms_cannot_reach_the_terminal() {
    let s = Sandbox::new();
    let dir = forms_dir(&s);
    let draft =
        "template: bug.yml\ntitle: Crash when posting\nanswers:\n  What happened: it crashed\n";
    let runs: Vec<(Vec<&str>, Option<&[u8]>)> = vec![
        (vec!["templates", "list"], None),
        (vec!["templates", "show", "bug"], None),
        (vec!["lint", "-"], Some(draft.as_bytes())),
        (
            vec!["lint", "--format", "github", "-"],
            Some(draft.as_bytes()),
        ),
        (vec!["triage", "-"], Some(draft.as_bytes())),
    ];
    for (args, stdin) in runs {
        let mut cmd = s.cmd();
        cmd.arg("--templates").arg(&dir).args(&args);
        let out = run(cmd, stdin, 30).expect("hung");
        let text = all_output(&out);
        assert!(!text.contains("panicked"), "{text}");
        assert!(
            text.contains("Bug") || text.contains("Version") || text.contains("confidence"),
            "{args:?} showed nothing:\n{text}"
        );
        assert_clean(&format!("{args:?}"), &text);
    }
    // A form's problems quote its labels.
    let mut dup = hostile_form();
    dup.push_str(&format!(
        "  - type: input\n    attributes:\n      label: \"Version {HOSTILE_YAML}\"\n"
    ));
    std::fs::write(dir.join("bug.yml"), dup).unwrap();
    let mut cmd = s.cmd();
    cmd.args(["templates", "check"]).arg(&dir);
    let out = run(cmd, None, 30).unwrap();
    let text = all_output(&out);
    assert!(text.contains("duplicate label"), "{text}");
    assert_clean("templates check", &text);
}

#[test]
fn the_no_form_error_is_sanitised() {
    let s = Sandbox::new();
    let dir = forms_dir(&s);
    let mut cmd = s.cmd();
    cmd.arg("--templates")
        .arg(&dir)
        .args(["lint", "--template", "\u{1b}[2Jnope\u{202e}", "-"]);
    let err = one_line_error(run(cmd, Some(b"x"), 20), 2, "no form");
    assert_clean("no form", &err);
    let draft = "template: \"\\e[2Jnope\\a\"\ntitle: t\nanswers: {}\n";
    let mut cmd = s.cmd();
    cmd.args(["lint", "-"]);
    let err = one_line_error(run(cmd, Some(draft.as_bytes()), 20), 2, "no form");
    assert_clean("no form from a draft", &err);
}

#[test]
fn index_status_shows_a_stored_index_cleaned() {
    use issue_preflight::checks::dupes::Index;
    let s = Sandbox::new();
    let path = s
        .cache()
        .join("issue-preflight/index/mastodon__mastodon.idx");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut index = Index::new("mastodon/mastodon\u{1b}[2J\u{202e}");
    index.meta.last_updated_at = Some("2026-01-01T00:00:00Z\u{1b}]0;x\u{7}".into());
    index.save(&path).unwrap();
    let mut cmd = s.cmd();
    cmd.args(["index", "status"]);
    let out = run(cmd, None, 20).unwrap();
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("newest change seen: 2026-01-01"), "{text}");
    assert_clean("index status", &text);
}

#[test]
fn a_broken_index_says_what_to_do_once() {
    let s = Sandbox::new();
    let path = s
        .cache()
        .join("issue-preflight/index/mastodon__mastodon.idx");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "not an index at all, just text").unwrap();
    for args in [
        vec!["index", "status"],
        vec!["dupes", "--offline", "--title", "Boosts vanish"],
    ] {
        let mut cmd = s.cmd();
        cmd.args(&args);
        let err = one_line_error(run(cmd, None, 20), 2, "delete it");
        assert_eq!(err.matches("delete it").count(), 1, "{args:?}: {err}");
        assert_eq!(
            err.matches("mastodon__mastodon.idx").count(),
            1,
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_byte_order_mark_hides_nothing() {
    let s = Sandbox::new();
    let body = std::fs::read_to_string(fixture("golden/web-bug.md")).unwrap();
    let plain = s.root().join("work/plain.md");
    let marked = s.root().join("work/marked.md");
    std::fs::write(&plain, &body).unwrap();
    std::fs::write(&marked, format!("\u{feff}{body}")).unwrap();
    let lint = |p: &Path| {
        let mut cmd = s.cmd();
        cmd.arg("lint").arg(p);
        let out = run(cmd, None, 20).unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).replace("marked.md", "plain.md"),
        )
    };
    assert_eq!(lint(&marked), lint(&plain));
    // A draft too.
    let draft = std::fs::read_to_string(fixture("drafts/web-bug.yml")).unwrap();
    std::fs::write(&marked, format!("\u{feff}{draft}")).unwrap();
    let (code, out) = lint(&marked);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn a_temporary_file_left_by_a_killed_write_is_cleaned_up() {
    let s = Sandbox::new();
    let dir = s.cache().join("issue-preflight/index");
    std::fs::create_dir_all(&dir).unwrap();
    let stale = dir.join(".preflight-tmp-killed");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let mut cmd = s.cmd();
    cmd.args(["index", "import"])
        .arg(fixture("issues/sample.json"));
    let out = run(cmd, None, 30).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(!stale.exists(), "the stale temporary file is still there");
    assert!(dir.join("mastodon__mastodon.idx").exists());
}

#[cfg(unix)]
#[test]
fn the_resume_list_shows_saved_drafts_cleaned() {
    use rexpect::session::{spawn_with_options, Options};
    let s = Sandbox::new();
    let id = "1700000000-42-bug";
    s.write(
        &format!("state/issue-preflight/drafts/{id}.yml"),
        &format!(
            "id: {id}\nrepo: mastodon/mastodon\ntemplate: \"bug{HOSTILE_YAML}.yml\"\ntitle: \"Crash {HOSTILE_YAML}on post\"\nanswers: {{}}\ncreated: 1700000000\nupdated: 1700000000\n"
        ),
    );
    let mut cmd = s.cmd();
    cmd.env("TERM", "xterm").args(["draft", "--resume"]);
    // rexpect strips the terminal's own colour codes, so look for what it
    // leaves: the bell and the bidirectional controls.
    let mut p = spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(20_000))
            .strip_ansi_escape_codes(true),
    )
    .unwrap();
    let shown = p.exp_string("Which draft?").unwrap();
    let line = p.exp_string("on post").unwrap();
    let text = format!("{shown}{line}");
    for bad in ['\u{7}', '\u{202e}', '\u{2066}'] {
        assert!(!text.contains(bad), "{bad:?} in the list:\n{text}");
    }
    p.send_control('c').unwrap();
    let _ = p.exp_eof();
}

#[test]
fn a_redirect_to_the_admin_shows_the_server_cleaned() {
    let s = Sandbox::new();
    let draft = s.root().join("work/support.yml");
    std::fs::write(
        &draft,
        "template: 1.web_bug_report.yml\ntitle: \"My account was suspended \\e[2J\"\nanswers:\n  Mastodon instance: \"evil\\e]0;x\\a.example \\u202E\"\n  Detailed description: My account was suspended by the admins of my server and I cannot log in. The moderators of my instance did not answer my appeal.\n",
    )
    .unwrap();
    for extra in [
        &[][..],
        &["--instance", "social\u{1b}[2J.example\u{202e}"][..],
    ] {
        let mut cmd = s.cmd();
        cmd.arg("submit").arg(&draft).arg("--web").args(extra);
        let out = run(cmd, None, 60).expect("hung");
        let text = all_output(&out);
        assert!(!text.contains("panicked"), "{text}");
        assert!(
            text.contains("About page") || text.contains("error:"),
            "{text}"
        );
        assert_clean("redirect to the admin", &text);
    }
}
