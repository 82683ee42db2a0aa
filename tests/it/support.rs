//! Shared helpers: the binary, the real Mastodon forms when present, and
//! realistic answers written for these tests.

use assert_cmd::Command;
use issue_preflight::draft::{Answer, Answers};
use issue_preflight::form::{FieldKind, IssueForm};
use std::path::PathBuf;

pub fn preflight() -> Command {
    let mut cmd = Command::cargo_bin("preflight").expect("binary built");
    // Tests never see the developer's colours, tokens or caches.
    cmd.env("NO_COLOR", "1")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .env("PATH", "/usr/bin:/bin");
    cmd
}

/// Says why a test does not run. Under `CI=true` (as `.ci/run` sets it) a
/// test that cannot run fails: CI must run everything. Elsewhere (a bare
/// clone) it is skipped with a note written straight to the standard error
/// stream, which the test harness does not capture (it only captures
/// `eprintln!`), so the skip is seen.
pub fn skip(why: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    if ci {
        panic!("CI=true and this test cannot run: {why}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "note: skipped: {why}");
}

/// `../shared/NAME`, where it exists (CI and the team's machines); `None`
/// and a skip (see [`skip`]) on a bare clone.
pub fn shared(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(name);
    if path.exists() {
        Some(path)
    } else {
        skip(&format!(
            "{} not found (a bare clone has no ../shared)",
            path.display()
        ));
        None
    }
}

/// The real Mastodon forms, where `../shared` has them.
pub fn real_templates() -> Option<PathBuf> {
    shared("mastodon-templates")
}

pub const REAL_FORMS: [&str; 4] = [
    "1.web_bug_report.yml",
    "2.server_bug_report.yml",
    "3.troubleshooting.yml",
    "4.feature_request.yml",
];

/// An answer a careful reporter might give, by label; generic text for
/// fields these tests do not know.
pub fn realistic(label: &str) -> String {
    match label {
        "Steps to reproduce the problem" => "1. Open a thread with at least three replies\n2. Click the reply button on the second reply\n3. Type a short answer and press Publish".into(),
        "Expected behaviour" => "The new reply appears under the post I answered".into(),
        "Actual behaviour" => "The new reply is shown at the top of the thread".into(),
        "Detailed description" => "It started after the server upgraded.\n\n### What I tried\n\n- [ ] clearing the cache\n- [x] another browser\n\nNeither helped.".into(),
        "Mastodon instance" => "social.example.org".into(),
        "Mastodon version" => "v4.3.1".into(),
        "Browser name and version" => "Chromium 131.0.6778".into(),
        "Operating system" => "Debian 12".into(),
        "Technical details" => "```\nTypeError: cannot read properties of undefined (reading 'id')\n```".into(),
        "Environment" => "- Operating system: Ubuntu 24.04\n- Ruby version: 3.3.5\n- Node.js version: 22.11.0\n- Deployed with docker compose".into(),
        "Pitch" => "Let people pin a hashtag column to the top of the advanced web interface.".into(),
        "Motivation" => "People who follow events through a hashtag lose the column among many others; pinning keeps it in reach.".into(),
        other => format!("An answer for {other}"),
    }
}

/// Realistic answers to every field of `form`.
pub fn realistic_answers(form: &IssueForm) -> Answers {
    form.fields()
        .map(|f| {
            let a = match f.kind {
                FieldKind::Checkboxes => {
                    Answer::List(f.checkbox_options.iter().map(|o| o.label.clone()).collect())
                }
                FieldKind::Dropdown => Answer::Text(f.dropdown_options[0].clone()),
                _ => Answer::Text(realistic(f.label)),
            };
            (f.key().to_string(), a)
        })
        .collect()
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A server on loopback that sends the headers of a 200 answer promising
/// 5,000 bytes of JSON, then one byte a second; gives its port.
pub fn dripping_server() -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 5000\r\n\r\n[";
                if s.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for _ in 0..5000 {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    if s.write_all(b" ").is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}
