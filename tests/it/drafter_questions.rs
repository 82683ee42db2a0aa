//! The drafter asks what text cannot settle, and edits like a terminal:
//! the real binary in a pseudo-terminal against loopback GitHub and
//! Mastodon servers (issue 12's "Done when").

use crate::drafter::pty::*;
use crate::drafter::*;
use rexpect::session::{spawn_with_options, Options, PtySession};
use std::path::Path;
use std::time::Duration;

/// The server's version, from tests/fixtures/mastodon/instance-v2.json.
const SERVER_VERSION: &str = "v4.5.0-nightly.2025-07-11";

fn ctrl(p: &mut PtySession, c: char) {
    p.send_control(c).unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(60));
}

fn typed(p: &mut PtySession, text: &str) {
    p.send(text).unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(60));
}

/// Esc, alone (the line editor tells it from a key's escape sequence by a
/// pause).
fn esc(p: &mut PtySession) {
    p.send("\x1b").unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
}

/// Clears a prefilled answer (Ctrl-U) and types another.
fn replace(p: &mut PtySession, prompt: &str, text: &str) {
    p.exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    settle();
    ctrl(p, 'u');
    type_line(p, text);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suspension_without_instance_reaches_the_admin_of_the_server_typed_when_asked() {
    let gh = github(201).await;
    let m = mastodon().await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st, murl) = (gh.uri(), state.path().to_path_buf(), m.uri());
    let (code, out) = tokio::task::spawn_blocking(move || {
        let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
        answer(
            &mut p,
            "Title:",
            "My account on mastodon.example got suspended and I can't log in",
        );
        // Asked for at once, starting from the server the title names.
        p.exp_string("Which Mastodon server is your account on? mastodon.example")
            .unwrap();
        settle();
        ctrl(&mut p, 'u');
        type_line(&mut p, &murl);
        answer(&mut p, "another server, or when logged out?", "No");
        answer(&mut p, "Do you run this server yourself", "No");
        answer(&mut p, "Go there now instead of filing here?", "y");
        answer(&mut p, "Your account on that server", "");
        let out = p.exp_eof().unwrap();
        (exit_code(&mut p), out)
    })
    .await
    .unwrap();
    assert!(
        out.contains("Your server: Mastodon (mastodon.social)"),
        "{out}"
    );
    assert!(out.contains("Write to: staff@mastodon.social"), "{out}");
    assert!(out.contains("Nothing was filed"), "{out}");
    assert_eq!(code, Some(1), "{out}");
    assert!(created(&gh).await.is_empty(), "nothing may be filed");
    let saved = &saved_drafts(state.path())[0];
    // One answer: the server typed is the form's instance answer too.
    let domain = m.uri().trim_start_matches("http://").to_string();
    assert_eq!(saved["answers"]["Mastodon instance"], domain.as_str());
    assert_eq!(saved["questions"]["elsewhere"], false);
    assert_eq!(saved["questions"]["runs-server"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn could_be_misused_goes_to_the_security_channel_and_files_nothing() {
    let gh = github(201).await;
    let m = mastodon().await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st, murl) = (gh.uri(), state.path().to_path_buf(), m.uri());
    let (code, out) = tokio::task::spawn_blocking(move || {
        let mut p = spawn(
            &uri,
            &st,
            &["--template", "web_bug_report", "--instance", &murl],
        );
        answer(&mut p, "Title:", "I can't log in to my account anymore");
        answer(&mut p, "another server, or when logged out?", "Yes");
        p.exp_string("Could someone misuse this").unwrap();
        // Each question says why it matters.
        answer(
            &mut p,
            "why it matters: a vulnerability must never be reported in public",
            "Yes",
        );
        let out = p.exp_eof().unwrap();
        (exit_code(&mut p), out)
    })
    .await
    .unwrap();
    assert!(out.contains("Never report it in a public issue"), "{out}");
    assert!(out.contains("Nothing was filed"), "{out}");
    assert_eq!(code, Some(1), "{out}");
    assert!(created(&gh).await.is_empty(), "a vulnerability was filed");
}

#[tokio::test(flavor = "multi_thread")]
async fn i_run_it_leads_to_the_troubleshooting_form_whose_checklist_survives() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st) = (gh.uri(), state.path().to_path_buf());
    let (code, out) = tokio::task::spawn_blocking(move || {
        let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
        answer(
            &mut p,
            "Title:",
            "Sidekiq jobs pile up after upgrading to 4.3",
        );
        // No server named anywhere: Enter on nothing skips the question.
        answer(&mut p, "Which Mastodon server is your account on?", "");
        answer(&mut p, "another server, or when logged out?", "No");
        answer(&mut p, "Do you run this server yourself", "Yes");
        p.exp_string("Deployment troubleshooting").unwrap();
        answer(&mut p, "Switch to that form?", "y");
        p.exp_string("your answers came along").unwrap();
        lines(
            &mut p,
            &[
                "Upgrade from 4.2.10 to 4.3.1",
                "Watch the Sidekiq dashboard",
            ],
        );
        answer(&mut p, "Expected behaviour", "The queues drain");
        answer(&mut p, "Actual behaviour", "The default queue grows");
        p.exp_string("Detailed description").unwrap();
        lines(&mut p, &[]);
        answer(&mut p, "Mastodon instance", "social.example.org");
        answer(&mut p, "Mastodon version", "v4.3.1");
        // The Environment field's checklist, a line at a time, prefilled.
        p.exp_string("Enter keeps a line").unwrap();
        p.exp_string("? | Please at least include those informations:")
            .unwrap();
        settle();
        type_line(&mut p, "");
        replace(
            &mut p,
            "? | - Operating system: (eg. Ubuntu 24.04.2)",
            "- Operating system: Debian 12",
        );
        p.exp_string("? | - Ruby version").unwrap();
        settle();
        type_line(&mut p, "");
        p.exp_string("? | - Node.js version").unwrap();
        settle();
        type_line(&mut p, "");
        // After the form's lines, an empty new line ends the answer.
        p.exp_string("? |").unwrap();
        settle();
        type_line(&mut p, "");
        p.exp_string("Technical details").unwrap();
        lines(&mut p, &[]);
        answer(&mut p, "Ready. What now?", "");
        let out = p.exp_eof().unwrap();
        (exit_code(&mut p), out)
    })
    .await
    .unwrap();
    assert_eq!(code, Some(0), "{out}");
    let sent = created(&gh).await;
    assert_eq!(sent.len(), 1, "{out}");
    assert_eq!(sent[0]["type"], "Troubleshooting", "{out}");
    // GitHub answered with other labels and type: the note names them and why.
    assert!(
        out.contains(
            "Not set on the issue: the label \"status/to triage\" and the issue type \"Troubleshooting\". GitHub left them off without a word"
        ),
        "{out}"
    );
    assert!(
        !out.contains("screenshot"),
        "no screenshot hint for a server's trouble: {out}"
    );
    let body = sent[0]["body"].as_str().unwrap();
    assert!(
        body.contains(
            "### Environment\n\nPlease at least include those informations:\n- Operating system: Debian 12\n- Ruby version: (from `ruby --version`, eg. v4.0.6)\n- Node.js version: (from `node --version`, eg. v22.16.0)\n"
        ),
        "{body}"
    );
    assert!(!body.contains("Browser name"), "{body}");
    let saved = &saved_drafts(state.path())[0];
    assert_eq!(saved["template"], "3.troubleshooting.yml");
    assert_eq!(saved["questions"]["runs-server"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn editing_keys_leave_no_stray_characters() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st) = (gh.uri(), state.path().to_path_buf());
    let (code, out) = tokio::task::spawn_blocking(move || {
        let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
        p.exp_string("Title:").unwrap();
        settle();
        typed(&mut p, "rubbish");
        ctrl(&mut p, 'u'); // the whole line
        typed(&mut p, "posts lose their place");
        ctrl(&mut p, 'w'); // "place"
        typed(&mut p, "order after editing");
        ctrl(&mut p, 'a');
        typed(&mut p, "Pinned ");
        ctrl(&mut p, 'e');
        typed(&mut p, " one tail");
        ctrl(&mut p, 'w'); // "tail"
        ctrl(&mut p, 'h'); // the space before it
        ctrl(&mut p, 'a');
        typed(&mut p, "\x1bf"); // Alt-F: after "Pinned"
        ctrl(&mut p, 'k'); // all after it…
        typed(&mut p, " posts lose their order after editing one");
        type_line(&mut p, "");
        lines(&mut p, &STEPS);
        answer(
            &mut p,
            "Expected behaviour",
            "The pinned posts keep the order they were pinned in",
        );
        second_half(&mut p);
        answer(&mut p, "Ready. What now?", "");
        let out = p.exp_eof().unwrap();
        (exit_code(&mut p), out)
    })
    .await
    .unwrap();
    assert_eq!(code, Some(0), "{out}");
    check_filed_like_the_fixture(&gh).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forks_version_is_accepted_and_i_dont_know_takes_the_servers() {
    let gh = github(201).await;
    let m = mastodon().await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st, murl) = (gh.uri(), state.path().to_path_buf(), m.uri());
    let domain = murl.trim_start_matches("http://").to_string();
    let (code, out) = tokio::task::spawn_blocking(move || {
        let mut p = spawn(
            &uri,
            &st,
            &["--template", "web_bug_report", "--instance", &murl],
        );
        first_half(&mut p);
        answer(
            &mut p,
            "Actual behaviour",
            "The edited post jumps to the top of the pinned list",
        );
        p.exp_string("Detailed description").unwrap();
        lines(&mut p, &[]);
        // --instance prefills the instance field.
        p.exp_string(&format!("Mastodon instance: {domain}"))
            .unwrap();
        settle();
        type_line(&mut p, "");
        // The server says its version; "I don't know" takes it too.
        p.exp_string(&format!("your server says it runs {SERVER_VERSION}"))
            .unwrap();
        replace(&mut p, "Mastodon version:", "I don't know");
        p.exp_string(&format!(
            "Your server says it runs {SERVER_VERSION}: that goes in the report"
        ))
        .unwrap();
        answer(&mut p, "Browser name and version", "Chromium 131");
        answer(&mut p, "Operating system", "Fedora 41");
        p.exp_string("Technical details").unwrap();
        lines(&mut p, &[]);
        // The preview shows the server's version.
        p.exp_string("### Mastodon version").unwrap();
        let before = p.exp_string("### Browser name and version").unwrap();
        assert!(before.contains(SERVER_VERSION), "{before}");
        // A fork's version is accepted as it is.
        answer(&mut p, "Ready. What now?", "Edit an answer");
        answer(&mut p, "Which answer?", "Mastodon version");
        replace(&mut p, "Mastodon version:", "v4.3.2+glitch");
        answer(&mut p, "Ready. What now?", "File it");
        let out = p.exp_eof().unwrap();
        (exit_code(&mut p), out)
    })
    .await
    .unwrap();
    assert_eq!(code, Some(0), "{out}");
    let sent = created(&gh).await;
    let body = sent[0]["body"].as_str().unwrap();
    assert!(
        body.contains("### Mastodon version\n\nv4.3.2+glitch\n"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn esc_goes_back_a_step_and_asks_before_leaving() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st) = (gh.uri(), state.path().to_path_buf());
    let (code, out) = tokio::task::spawn_blocking(move || {
        let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
        // From the first step, Esc asks before leaving.
        p.exp_string("Title:").unwrap();
        settle();
        esc(&mut p);
        answer(&mut p, "Leave now?", "n");
        first_half(&mut p);
        // Back from "Actual behaviour" to "Expected behaviour", kept as it was.
        p.exp_string("Actual behaviour").unwrap();
        settle();
        esc(&mut p);
        p.exp_string("Expected behaviour: The pinned posts keep the order")
            .unwrap();
        settle();
        type_line(&mut p, "");
        second_half(&mut p);
        answer(&mut p, "Ready. What now?", "");
        let out = p.exp_eof().unwrap();
        (exit_code(&mut p), out)
    })
    .await
    .unwrap();
    assert_eq!(code, Some(0), "{out}");
    check_filed_like_the_fixture(&gh).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_with_no_answers_is_not_kept() {
    let gh = github(201).await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st) = (gh.uri(), state.path().to_path_buf());
    let code = tokio::task::spawn_blocking(move || {
        let mut p = spawn(&uri, &st, &["--template", "web_bug_report"]);
        p.exp_string("Title:").unwrap();
        settle();
        ctrl(&mut p, 'c');
        let out = p.exp_eof().unwrap();
        assert!(!out.contains("--resume"), "{out}");
        exit_code(&mut p)
    })
    .await
    .unwrap();
    assert_eq!(code, Some(130));
    assert!(saved_drafts(state.path()).is_empty());
}

/// The real binary on a 60×15 terminal; its output drawn by a terminal
/// emulator of that size.
fn spawn_small(gh_uri: &str, state: &Path, args: &[&str]) -> PtySession {
    let bin = env!("CARGO_BIN_EXE_preflight");
    let mut cmd = std::process::Command::new("sh");
    env(&mut cmd, gh_uri, state);
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    cmd.env("TERM", "xterm").args([
        "-c",
        &format!(
            "stty rows 15 cols 60; exec '{bin}' draft {}",
            quoted.join(" ")
        ),
    ]);
    spawn_with_options(cmd, Options::new().timeout_ms(Some(15_000))).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_show_their_strength_and_stay_readable_at_60_by_15() {
    let gh = github_finding(201, vec![the_same_issue()]).await;
    let state = tempfile::tempdir().unwrap();
    let (uri, st) = (gh.uri(), state.path().to_path_buf());
    let (code, screen) = tokio::task::spawn_blocking(move || {
        let mut p = spawn_small(&uri, &st, &["--template", "web_bug_report"]);
        // Everything the terminal was sent, to draw it as it would.
        let mut seen = String::new();
        let mut exp = |p: &mut PtySession, needle: &str| {
            seen += &p
                .exp_string(needle)
                .unwrap_or_else(|e| panic!("waiting for {needle:?}: {e}"));
            seen += needle;
        };
        exp(&mut p, "Title:");
        settle();
        type_line(&mut p, WEB_BUG_TITLE);
        exp(&mut p, "an empty line ends the answer");
        for l in &STEPS {
            exp(&mut p, "? |");
            settle();
            type_line(&mut p, l);
        }
        exp(&mut p, "? |");
        settle();
        type_line(&mut p, "");
        exp(&mut p, "Is one of them your problem?");
        exp(&mut p, "Open one in the browser");
        settle();
        type_line(&mut p, "#7 is the same");
        p.exp_eof().unwrap();
        let mut term = vt100::Parser::new(
            std::num::NonZeroU16::new(15).unwrap(),
            std::num::NonZeroU16::new(60).unwrap(),
            0,
        );
        term.process(utf8(&seen).as_bytes());
        let screen = term.screen().contents();
        (exit_code(&mut p), screen)
    })
    .await
    .unwrap();
    assert_eq!(code, Some(1), "{screen}");
    // All of it on one small screen: the heading, the candidate with its
    // strength, and the question.
    assert!(
        screen.contains("These existing issues may be the same"),
        "{screen}"
    );
    assert!(screen.contains("#7 [open]"), "{screen}");
    assert!(screen.contains("% · very likely the same"), "{screen}");
    assert!(screen.contains("Pinned posts lose their order"), "{screen}");
    assert!(screen.contains("Is one of them your problem?"), "{screen}");
    assert!(screen.contains("#7 is the same problem"), "{screen}");
    assert!(created(&gh).await.is_empty());
}

#[test]
fn drafts_are_listed_shown_removed_and_pruned() {
    use issue_preflight::draft::store::{SavedDraft, Status, Store};
    use issue_preflight::draft::Answer;
    let state = tempfile::tempdir().unwrap();
    let store = Store::at(drafts_dir(state.path()));
    let mut open = SavedDraft::new("mastodon/mastodon", "1.web_bug_report.yml");
    open.draft.title = "Pinned posts lose their order".into();
    open.draft.answers.insert(
        "Expected behaviour".into(),
        Answer::Text("They keep it".into()),
    );
    store.save(&mut open).unwrap();
    let mut filed = SavedDraft::new("mastodon/mastodon", "4.feature_request.yml");
    filed.id = format!("{}-filed", filed.id);
    filed.draft.title = "Pin a hashtag column".into();
    filed.status = Status::Filed {
        url: "https://github.com/mastodon/mastodon/issues/42".into(),
        number: Some(42),
    };
    store.save(&mut filed).unwrap();
    store.write_side(&filed.id, "paste.txt", "answers").unwrap();
    let mut empty = SavedDraft::new("mastodon/mastodon", "2.server_bug_report.yml");
    empty.id = format!("{}-empty", empty.id);
    store.save(&mut empty).unwrap();

    let run = |args: &[&str]| {
        let out = crate::support::preflight()
            .env("XDG_STATE_HOME", state.path())
            .arg("drafts")
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        (
            out.status.code(),
            text,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, list, _) = run(&["list"]);
    assert_eq!(code, Some(0));
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(
        list.contains(&open.id) && list.contains("drafting"),
        "{list}"
    );
    assert!(
        list.contains("filed") && list.contains("(no title)"),
        "{list}"
    );

    let (code, shown, _) = run(&["show", &open.id]);
    assert_eq!(code, Some(0));
    assert!(
        shown.contains("### Expected behaviour\nThey keep it"),
        "{shown}"
    );

    let (code, _, err) = run(&["show", "../../etc/passwd"]);
    assert_eq!(code, Some(2), "{err}");

    let (code, pruned, _) = run(&["prune", "--dry-run"]);
    assert_eq!(code, Some(0));
    assert_eq!(pruned.matches("would delete").count(), 2, "{pruned}");
    assert_eq!(store.list().len(), 3, "a dry run deletes nothing");
    let (code, pruned, _) = run(&["prune"]);
    assert_eq!(code, Some(0), "{pruned}");
    let left: Vec<String> = store.list().into_iter().map(|d| d.id).collect();
    assert_eq!(left, [open.id.clone()]);
    assert!(
        std::fs::read_dir(drafts_dir(state.path()))
            .unwrap()
            .flatten()
            .all(|e| e.file_name().to_string_lossy().starts_with(&open.id)),
        "the files beside a pruned draft go with it"
    );

    let (code, out, _) = run(&["rm", &open.id]);
    assert_eq!(code, Some(0), "{out}");
    assert!(store.list().is_empty());
    let (code, _, err) = run(&["rm", &open.id]);
    assert_eq!(code, Some(2), "{err}");
}
