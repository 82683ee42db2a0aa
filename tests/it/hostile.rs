//! Property tests that keep issue 13 fixed: hostile generators for bodies,
//! drafts, forms, events and draft ids, run through the library's
//! pipeline. They assert no panic, the limits enforced where they are
//! promised, no escape byte in any view (terminal line, workflow command,
//! comment, error), and no write outside the drafts folder.

use issue_preflight::action::comment::{self, Report, Vars};
use issue_preflight::action::config::Messages;
use issue_preflight::action::{event, workflow};
use issue_preflight::checks::Checks;
use issue_preflight::decision::decide;
use issue_preflight::draft::store::{parse_draft, SavedDraft, Store};
use issue_preflight::draft::Document;
use issue_preflight::form::check::check_form;
use issue_preflight::form::FormSet;
use issue_preflight::policy::Policy;
use issue_preflight::text::{error_text, printable, printable_cut, sanitize};
use issue_preflight::yaml;
use proptest::prelude::*;
use std::path::Path;

/// What must never reach a terminal or a comment as it is.
fn is_bad(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn assert_shown_clean(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| is_bad(*c)) {
        panic!("{what}: {c:?} got through:\n{text}");
    }
}

/// Characters attackers like, among any at all.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        2 => prop::sample::select(vec![
            '\u{1b}', '\u{7}', '\u{0}', '\r', '\u{9b}', '\u{202e}', '\u{2066}', '\u{200f}',
            '\u{feff}', '\u{2028}', '\n', '\t',
        ]),
        4 => prop::sample::select(
            "#`*_[]()<>!|~@&:-{}'\"\\%, abcxyz019".chars().collect::<Vec<_>>()
        ),
    ]
}

fn hostile_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Pieces of issue bodies: the embedded forms' headings, checkboxes,
/// `_No response_`, fences, mentions, tag soup, and hostile text.
fn body_piece() -> impl Strategy<Value = String> {
    let headings: Vec<String> = FormSet::embedded()
        .forms
        .iter()
        .flat_map(|f| {
            f.form
                .fields()
                .map(|x| x.label.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    prop_oneof![
        prop::sample::select(headings).prop_map(|h| format!("\n### {h}\n\n")),
        hostile_text(40).prop_map(|t| format!("### {t}\n")),
        Just("_No response_\n".to_string()),
        Just("- [X] I agree\n- [ ] no\n".to_string()),
        Just("```\n### not a heading\n```\n".to_string()),
        Just("@someone é@else #12 ".to_string()),
        (1usize..200).prop_map(|n| "<a href=x>".repeat(n)),
        Just("my account was suspended by the admin of my server ".to_string()),
        Just("the server crashes with a 500 error and a stack trace ".to_string()),
        hostile_text(80),
    ]
}

fn hostile_body() -> impl Strategy<Value = String> {
    prop::collection::vec(body_piece(), 0..16).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// A body through the checks, the decision and every view the Action
    /// and the command line build from it.
    #[test]
    fn any_body_gives_clean_views(title in hostile_text(60), body in hostile_body()) {
        let forms = FormSet::embedded();
        let doc = Document::from_body(&forms, &body, None, Some(&title)).unwrap();
        let checks = Checks::offline(&forms, &doc);
        let decision = decide(&checks, &Policy::default());
        let report = Report {
            triage: &checks.triage,
            redirect: decision.redirect,
            findings: &checks.findings,
            duplicates: &decision.offered,
            closing: false,
        };
        if let Some(c) = comment::render(&report, &Messages::default(), &Vars::default()) {
            assert_shown_clean("comment", &c);
            prop_assert!(!c.contains("@someone") && !c.contains("é@else"), "{}", c);
        }
        for f in &checks.findings {
            let line = workflow::annotation("warning", &format!("{:?} {} {}", f.field, f.message, f.hint));
            prop_assert!(!line.contains('\n'));
            assert_shown_clean("annotation", &line);
            assert_shown_clean("finding", &printable(&f.message));
        }
        for r in &checks.triage.reasons {
            assert_shown_clean("reason", &comment::code(&r.evidence));
            assert_shown_clean("reason", &printable(&r.evidence));
        }
        for line in workflow::quoted_block(&body) {
            assert_shown_clean("quoted block", &line);
        }
    }

    #[test]
    fn the_sanitiser_lets_nothing_through(s in hostile_text(300), max in 1usize..50) {
        assert_shown_clean("printable", &printable(&s));
        assert_shown_clean("printable_lines", &sanitize::printable_lines(&s));
        let cut = printable_cut(&s, max);
        prop_assert!(cut.chars().count() <= max);
        let e = error_text(&s);
        assert_shown_clean("error_text", &e);
        prop_assert!(!e.contains('\n') && e.chars().count() <= sanitize::ERROR_MAX_CHARS);
    }
}

// ----- drafts and forms: YAML from a grammar of nasty pieces ----------------------

fn yaml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(", ".to_string()),
        Just(": ".to_string()),
        Just("? ".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("&b ".to_string()),
        Just("*b".to_string()),
        Just("!!str ".to_string()),
        Just("|\n  ".to_string()),
        Just(">-\n  ".to_string()),
        Just("'q''".to_string()),
        Just("\"\\e\\a\\u202E\"".to_string()),
        Just("---\n".to_string()),
        Just("# c\n".to_string()),
        Just("template: ".to_string()),
        Just("answers:\n".to_string()),
        Just("id: ".to_string()),
        Just("../../x".to_string()),
        Just("/etc/passwd".to_string()),
        hostile_text(12),
    ]
}

fn hostile_yaml() -> impl Strategy<Value = String> {
    prop::collection::vec(yaml_piece(), 0..60).prop_map(|v| v.concat())
}

/// Nested flow sequences `depth` deep, with `aliases` aliases of one
/// anchored scalar at the bottom.
fn nested(depth: usize, aliases: usize) -> String {
    let refs = vec!["*s"; aliases].join(", ");
    let inner = if aliases == 0 {
        "&s x".to_string()
    } else {
        format!("&s x, {refs}")
    };
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

fn assert_error_shown_clean(what: &str, e: &str) {
    assert_shown_clean(what, e);
    assert!(!e.contains('\n'), "{what}: several lines: {e}");
    assert!(e.len() < 1_000, "{what}: {} bytes", e.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_draft_is_read_or_refused_cleanly(text in hostile_yaml()) {
        let forms = FormSet::embedded();
        match parse_draft(&text) {
            Ok(_) => {}
            Err(e) => assert_error_shown_clean("draft error", &e.to_string()),
        }
        if let Err(e) = Document::read(&forms, &text, "draft.yml", None, None) {
            assert_error_shown_clean("document error", &printable(&e.to_string()));
        }
    }

    #[test]
    fn any_form_is_checked_cleanly(text in hostile_yaml()) {
        let lines = text.lines().count() + 1;
        let (_, problems) = check_form(&text);
        for p in problems {
            assert_error_shown_clean("form problem", &p.message);
            prop_assert!(p.pos.line >= 1 && p.pos.line <= lines + 1, "{:?} of {lines}", p.pos);
        }
    }

    /// The limits are exactly where they are promised.
    #[test]
    fn nesting_and_aliases_are_refused_past_their_limits(depth in 1usize..140, aliases in 0usize..100) {
        let text = nested(depth, aliases);
        let verdict = yaml::check(&text);
        let too_deep = depth > yaml::MAX_DEPTH;
        let too_many = aliases > yaml::MAX_ALIASES;
        prop_assert_eq!(verdict.is_err(), too_deep || too_many, "{:?}", verdict);
        if too_deep {
            prop_assert!(verdict.unwrap_err().message.contains("deeper"));
        }
    }

    /// A mutated real form: one character changed, a line doubled or cut.
    #[test]
    fn mutated_forms_are_checked_cleanly(
        which in 0usize..4,
        at in any::<prop::sample::Index>(),
        c in hostile_char(),
        op in 0u8..3,
    ) {
        let (_, text) = issue_preflight::form::source::embedded_files()[which];
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let i = at.index(lines.len());
        match op {
            0 => lines[i].insert(0, c),
            1 => { let l = lines[i].clone(); lines.insert(i, l); }
            _ => { lines.remove(i); }
        }
        let (_, problems) = check_form(&lines.join("\n"));
        for p in problems {
            assert_error_shown_clean("form problem", &p.message);
        }
    }
}

// ----- events -----------------------------------------------------------------------

fn hostile_event() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["opened", "edited", "closed", "x\u{1b}"]),
        any::<u64>(),
        hostile_text(60),
        prop::option::of(hostile_body()),
        hostile_text(20),
        0usize..400,
    )
        .prop_map(|(action, number, title, body, login, cut)| {
            let full = serde_json::json!({
                "action": action,
                "issue": {
                    "number": number, "title": title, "body": body,
                    "user": {"login": login}, "author_association": "NONE",
                    "labels": [{"name": login}], "state": "open", "html_url": "x",
                },
                "repository": {"full_name": "mastodon/mastodon"},
            })
            .to_string();
            // Sometimes cut short, to make it broken JSON.
            if cut < 300 || cut >= full.len() {
                full
            } else {
                full.chars().take(cut).collect()
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_event_is_read_or_refused_cleanly(text in hostile_event()) {
        match event::parse(&text) {
            Err(e) => assert_error_shown_clean("event error", &e),
            Ok(event::Event::Skip(why)) => {
                assert_shown_clean("skip", &workflow::annotation("notice", &why));
            }
            Ok(event::Event::Check(ev)) => {
                let config = issue_preflight::action::config::Config::default();
                if let Some(why) = issue_preflight::action::plan::exemption(&ev.issue, &config) {
                    assert_shown_clean("exemption", &workflow::annotation("notice", &why));
                }
                let forms = FormSet::embedded();
                let doc = Document::from_body(&forms, ev.issue.body_text(), None, Some(&ev.issue.title)).unwrap();
                let _ = Checks::offline(&forms, &doc);
            }
        }
    }
}

// ----- draft ids: no write outside the folder -----------------------------------------

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn hostile_id() -> impl Strategy<Value = String> {
    prop_oneof![
        hostile_text(30),
        prop::collection::vec(
            prop::sample::select(vec![
                "..",
                "/",
                "\\",
                "x",
                "1700000000",
                "-",
                "\0",
                ".",
                "~",
                "C:"
            ]),
            0..12
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn no_id_writes_outside_the_drafts_folder(id in hostile_id(), suffix in hostile_id()) {
        let root = tempfile::tempdir().unwrap();
        let drafts = root.path().join("state/drafts");
        let store = Store::at(&drafts);
        let mut d = SavedDraft::new("o/r", "t.yml");
        d.id = id.clone();
        let _ = store.save(&mut d);
        let _ = store.write_side(&id, "paste.txt", "x");
        let _ = store.write_side(&SavedDraft::new("o/r", "t.yml").id, &suffix, "x");
        if let Err(e) = store.load(&id) {
            assert_error_shown_clean("load error", &printable(&e.to_string()));
        }
        for f in files_under(root.path()) {
            prop_assert!(f.starts_with(&drafts), "{} written for id {:?}", f.display(), id);
        }
    }
}

// ----- triage: linear in its input ----------------------------------------------------

/// Issue 13, item 4: one long line of `<a>` tags made triage quadratic
/// (link stripping rescanned the rest of the line for each tag). The
/// rewritten text module (src/text/words.rs) is linear; this benchmark
/// keeps it so: eight times the text may take about eight times as long,
/// not sixty-four. Timing belongs in benchmarks, not in the suite, so it
/// is run by hand: `cargo test --release -- --ignored triage_is_linear`
/// (1.0 s for both sizes in a debug build, 2026-12-01).
#[test]
#[ignore = "a timing benchmark: run with --ignored"]
fn triage_is_linear_in_tag_soup() {
    use issue_preflight::checks::triage::{triage, TriageInput};
    let time = |n: usize| {
        let input = TriageInput {
            title: "Links".into(),
            form_type: None,
            form_name: None,
            fields: vec![("What happened".into(), "<a>".repeat(n))],
            free_text: "<a href='x'>".repeat(n),
        };
        let start = std::time::Instant::now();
        std::hint::black_box(triage(&input));
        start.elapsed().as_secs_f64()
    };
    let small = time(16_000).max(1e-3);
    let large = time(128_000);
    assert!(
        large / small < 24.0,
        "8x the text took {:.1}x the time ({small:.3}s, {large:.3}s): not linear",
        large / small
    );
}
