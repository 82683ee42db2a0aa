//! How the binary behaves as a Unix tool: completions and a manual from the
//! binary, help for every option, a quiet end on a closed pipe, `--quiet`,
//! `--verbose`, colour, and progress only on a terminal's standard error.

use crate::support::*;
use predicates::prelude::*;
use std::path::Path;
use std::process::Command as Process;

fn run(args: &[&str]) -> std::process::Output {
    preflight().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ----- completions and the manual ------------------------------------------

#[test]
fn every_shell_gets_a_completion_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        for cmd in ["lint", "triage", "dupes", "doctor", "completions"] {
            assert!(script.contains(cmd), "{shell} completion lacks {cmd}");
        }
    }
}

#[test]
fn bash_completion_offers_the_commands_and_options_but_not_the_actions_entry_point() {
    let script = text(&run(&["completions", "bash"]).stdout);
    assert!(script.contains("complete -F _preflight"), "{script}");
    for word in ["draft", "index", "sync", "--format", "--quiet", "--color"] {
        assert!(script.contains(word), "bash completion lacks {word}");
    }
    // `action` is typed by action.yml, not by people.
    assert!(
        !script.contains("action"),
        "bash completion offers `action`"
    );
}

#[test]
fn a_near_miss_of_completions_is_taken_not_answered_with_action() {
    // `preflight completion` once suggested `action`; now it is an alias.
    let out = run(&["completion"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("<SHELL>"), "{err}");
    assert!(!err.contains("action"), "{err}");
    assert!(run(&["completion", "fish"]).status.success());
}

#[test]
fn the_manual_page_comes_from_the_binary() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie"),
        "not roff: {}",
        &page[..page.len().min(80)]
    );
    assert!(page.contains(".TH preflight 1"), "{page}");
    for cmd in ["lint", "doctor", "completions"] {
        assert!(page.contains(cmd), "the manual lacks {cmd}");
    }

    let dir = tempfile::tempdir().unwrap();
    let out = preflight()
        .arg("man")
        .arg("--dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for page in ["preflight.1", "preflight-lint.1", "preflight-index-sync.1"] {
        let p = dir.path().join(page);
        assert!(p.is_file(), "{} was not written", p.display());
    }
}

// ----- help ----------------------------------------------------------------

/// The command paths below `path`, read from each `--help`'s Commands list.
fn commands(path: &[String], found: &mut Vec<Vec<String>>) {
    let help = text(
        &preflight()
            .args(path)
            .arg("--help")
            .output()
            .unwrap()
            .stdout,
    );
    found.push(path.to_vec());
    for name in section(&help, "Commands:")
        .iter()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
    {
        if name != "help" {
            let mut sub = path.to_vec();
            sub.push(name.to_string());
            commands(&sub, found);
        }
    }
}

/// The lines of a help section, up to the next section.
fn section<'a>(help: &'a str, title: &str) -> Vec<&'a str> {
    help.lines()
        .skip_while(|l| *l != title)
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .collect()
}

/// The options and arguments of one `--help` that come with no words of
/// their own (a default, an env var or the possible values are not a
/// description).
fn undescribed(help: &str) -> Vec<String> {
    let mut bare = Vec::new();
    for title in ["Arguments:", "Options:"] {
        let mut entry: Option<(String, String)> = None;
        let lines = section(help, title);
        let mut close = |entry: &mut Option<(String, String)>| {
            if let Some((spec, desc)) = entry.take() {
                let words: String = desc
                    .split('[')
                    .map(|part| part.split_once(']').map_or(part, |(_, rest)| rest))
                    .collect::<Vec<_>>()
                    .join(" ")
                    .lines()
                    .filter(|l| {
                        let l = l.trim();
                        l != "Possible values:" && !l.starts_with("- ")
                    })
                    .collect();
                if words.trim().is_empty() {
                    bare.push(spec);
                }
            }
        };
        for line in lines {
            let indent = line.len() - line.trim_start().len();
            let body = line.trim();
            if body.is_empty() {
                continue;
            }
            if indent <= 6 && matches!(body.chars().next(), Some('-' | '<' | '[')) {
                close(&mut entry);
                let (spec, rest) = match body.find("  ") {
                    Some(i) => (&body[..i], body[i..].trim()),
                    None => (body, ""),
                };
                entry = Some((spec.to_string(), rest.to_string()));
            } else if let Some((_, desc)) = entry.as_mut() {
                desc.push('\n');
                desc.push_str(body);
            }
        }
        close(&mut entry);
    }
    bare
}

#[test]
fn the_help_checker_sees_a_bare_option() {
    let help = "Usage: x\n\nArguments:\n  [FILE]  [default: -]\n\nOptions:\n      --format <FORMAT>  [default: human] [possible values: human, json]\n  -q, --quiet  Say less\n";
    assert_eq!(undescribed(help), ["[FILE]", "--format <FORMAT>"]);
    let long = "Options:\n      --format <FORMAT>\n          Possible values:\n          - human: Lines\n          \n          [default: human]\n\n  -h, --help\n          Print help\n";
    assert_eq!(undescribed(long), ["--format <FORMAT>"]);
}

#[test]
fn every_option_of_every_command_says_what_it_does() {
    let mut paths = Vec::new();
    commands(&[], &mut paths);
    assert!(paths.len() > 15, "too few commands found: {paths:?}");
    let mut bare = Vec::new();
    for path in &paths {
        for flag in ["--help", "-h"] {
            let help = text(&preflight().args(path).arg(flag).output().unwrap().stdout);
            assert!(help.contains("Usage:"), "{path:?} {flag}: {help}");
            for spec in undescribed(&help) {
                bare.push(format!("preflight {} {flag}: {spec}", path.join(" ")));
            }
            // An unset variable's value is never shown as `[env: X=]`.
            assert!(!help.contains("=]"), "{path:?}: {help}");
        }
    }
    assert!(bare.is_empty(), "options without a description: {bare:#?}");
}

// ----- a closed pipe -------------------------------------------------------

/// A web bug report whose steps run to 60,000 characters: its JSON is far
/// larger than a pipe's buffer.
fn big_body(dir: &Path) -> std::path::PathBuf {
    let steps: String = (1..)
        .map(|i| format!("{i}. Épinglé → réordonné ✓ — l’étape {i} échoue\n"))
        .scan(0, |len, line| {
            *len += line.chars().count();
            (*len <= 60_000).then_some(line)
        })
        .collect();
    let body = format!(
        "### Steps to reproduce the problem\n\n{steps}\n### Expected behaviour\n\nThe order stays\n\n### Actual behaviour\n\nThe order changes\n"
    );
    let path = dir.join("big.md");
    std::fs::write(&path, body).unwrap();
    path
}

fn through_head(pipefail: bool, big: &Path) -> std::process::Output {
    let script = format!(
        "{}\"$PREFLIGHT\" lint \"$BIG\" --format json | head -c 10",
        if pipefail { "set -o pipefail; " } else { "" }
    );
    Process::new("bash")
        .args(["-c", &script])
        .env("PREFLIGHT", env!("CARGO_BIN_EXE_preflight"))
        .env("BIG", big)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_body(dir.path());
    let whole = preflight()
        .args(["lint", "--format", "json"])
        .arg(&big)
        .output()
        .unwrap();
    // Past a pipe's buffer (64 KiB on Linux), so the writer meets the
    // closed pipe.
    assert!(
        whole.stdout.len() > 64 * 1024,
        "{} bytes",
        whole.stdout.len()
    );

    let out = through_head(true, &big);
    assert_eq!(text(&out.stderr), "", "stderr under pipefail");
    assert_eq!(out.stdout.len(), 10);
    // Killed by SIGPIPE, as `yes | head` is: 128 + 13.
    assert_eq!(out.status.code(), Some(141));

    let out = through_head(false, &big);
    assert_eq!(text(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

// ----- --quiet, --verbose, colour -----------------------------------------

#[test]
fn quiet_leaves_only_results_and_verbose_adds_diagnostics() {
    let normal = run(&["templates", "check"]);
    assert!(
        text(&normal.stderr).contains("files checked"),
        "{}",
        text(&normal.stderr)
    );

    let quiet = run(&["--quiet", "templates", "check"]);
    assert_eq!(quiet.status.code(), normal.status.code());
    assert_eq!(text(&quiet.stderr), "");
    assert_eq!(quiet.stdout, normal.stdout);

    // The flags are global: after the command too.
    let verbose = preflight()
        .args(["lint", "-v"])
        .arg(fixture("drafts/web-bug.yml"))
        .output()
        .unwrap();
    let err = text(&verbose.stderr);
    assert!(
        err.contains("info: forms: 4 from the embedded Mastodon forms"),
        "{err}"
    );
    assert!(err.contains("info: took"), "{err}");

    // Errors still show under --quiet.
    preflight()
        .args(["-q", "lint", "no-such-file.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error:"));
    // And the two contradict each other.
    preflight().args(["-q", "-v", "lint"]).assert().code(2);
}

fn colored(args: &[&str], env: &[(&str, &str)]) -> bool {
    let out = preflight()
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .envs(env.iter().copied())
        .args(args)
        .arg(fixture("drafts/sloppy.yml"))
        .output()
        .unwrap();
    assert!(!out.stdout.is_empty());
    out.stdout.contains(&b'\x1b')
}

#[test]
fn colour_follows_the_flag_no_color_and_clicolor_force() {
    // Standard output is a pipe here: no colour unless forced.
    assert!(!colored(&["lint"], &[]));
    assert!(colored(&["lint", "--color", "always"], &[]));
    assert!(colored(&["lint"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!colored(
        &["lint"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!colored(
        &["lint", "--color=never"],
        &[("CLICOLOR_FORCE", "1")]
    ));
    assert!(colored(&["lint", "--color=always"], &[("NO_COLOR", "1")]));
}

// ----- progress ------------------------------------------------------------

/// `n` issues as `gh api repos/O/R/issues` gives them.
fn issues_json(dir: &Path, n: u64) -> std::path::PathBuf {
    let rows: Vec<serde_json::Value> = (1..=n)
        .map(|i| {
            serde_json::json!({
                "number": i,
                "title": format!("Pinned posts lose their order after edit number {i}"),
                "body": format!("Steps: pin three posts, edit post {i}, reload the profile; the order changes and the boosted toot moves."),
                "state": if i % 3 == 0 { "closed" } else { "open" },
                "html_url": format!("https://github.com/mastodon/mastodon/issues/{i}"),
                "updated_at": "2025-02-09T10:00:00Z",
                "labels": [{"name": "bug"}],
                "user": {"login": "someone"},
            })
        })
        .collect();
    let path = dir.join("issues.json");
    std::fs::write(&path, serde_json::to_vec(&rows).unwrap()).unwrap();
    path
}

#[test]
fn no_progress_bar_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let json = issues_json(dir.path(), 50);
    let out = preflight()
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .args(["index", "import"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Imported 50 issues; the index of mastodon/mastodon now holds 50.\n"
    );
    // No bar, no spinner: at most the one line saying there is no model.
    let err = text(&out.stderr);
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(err.lines().all(|l| l.starts_with("note: ")), "{err}");
    assert!(err.lines().count() <= 1, "{err}");
}

#[test]
fn on_a_terminal_progress_goes_to_stderr_only() {
    use rexpect::session::{spawn_with_options, Options};
    let dir = tempfile::tempdir().unwrap();
    let json = issues_json(dir.path(), 2_000);
    let stdout = dir.path().join("stdout.txt");
    // Standard error is the terminal; standard output a file.
    let mut cmd = Process::new("sh");
    cmd.args([
        "-c",
        "\"$PREFLIGHT\" --cache-dir \"$CACHE\" index import \"$JSON\" > \"$OUT\"",
    ])
    .env("PREFLIGHT", env!("CARGO_BIN_EXE_preflight"))
    .env("CACHE", dir.path().join("cache"))
    .env("JSON", &json)
    .env("OUT", &stdout)
    .env("TERM", "xterm")
    .env("NO_COLOR", "1");
    let mut p = spawn_with_options(
        cmd,
        Options::new()
            .timeout_ms(Some(120_000))
            .strip_ansi_escape_codes(true),
    )
    .unwrap();
    p.exp_string("issues analysed")
        .unwrap_or_else(|e| panic!("no progress bar on the terminal: {e}"));
    p.exp_eof().unwrap();
    let out = std::fs::read_to_string(&stdout).unwrap();
    assert_eq!(
        out,
        "Imported 2000 issues; the index of mastodon/mastodon now holds 2000.\n"
    );
}

// ----- the release archive -------------------------------------------------

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_packaging_script_packs_binary_completions_manual_readme_and_licences() {
    if Process::new("tar").arg("--version").output().is_err() {
        return skip("tar is missing");
    }
    // A copy of the repository's packaging inputs, with this test build
    // standing in for a release build.
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let target = "x86_64-unknown-linux-musl";
    let release = repo.join("target").join(target).join("release");
    std::fs::create_dir_all(repo.join(".github/release")).unwrap();
    std::fs::create_dir_all(&release).unwrap();
    for f in [
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        ".github/release/package.sh",
    ] {
        std::fs::copy(root().join(f), repo.join(f)).unwrap();
    }
    std::fs::copy(env!("CARGO_BIN_EXE_preflight"), release.join("preflight")).unwrap();

    let out = Process::new("bash")
        .arg(repo.join(".github/release/package.sh"))
        .arg(target)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dist = repo.join("dist");
    let archive = format!("preflight-{target}.tar.gz");
    let sums = std::fs::read_to_string(dist.join(format!("{archive}.sha256"))).unwrap();
    assert!(sums.trim_end().ends_with(&format!("  {archive}")), "{sums}");
    let check = Process::new("sha256sum")
        .args(["--check", "--strict"])
        .arg(format!("{archive}.sha256"))
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check.stdout));

    let listing = Process::new("tar")
        .arg("-tzf")
        .arg(dist.join(&archive))
        .output()
        .unwrap();
    let listing = text(&listing.stdout);
    let folder = format!("preflight-{target}");
    for f in [
        "preflight",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "completions/preflight.bash",
        "completions/_preflight",
        "completions/preflight.fish",
        "completions/_preflight.ps1",
        "completions/preflight.elv",
        "man/preflight.1",
        "man/preflight-lint.1",
    ] {
        assert!(
            listing.lines().any(|l| l == format!("{folder}/{f}")),
            "the archive lacks {f}:\n{listing}"
        );
    }
}

#[test]
fn binstall_the_release_and_the_action_name_the_archive_alike() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains(
        r#"pkg-url = "{ repo }/releases/download/v{ version }/preflight-{ target }.tar.gz""#
    ));
    assert!(manifest.contains(r#"bin-dir = "preflight-{ target }/{ bin }{ binary-ext }""#));
    let package = std::fs::read_to_string(root().join(".github/release/package.sh")).unwrap();
    assert!(package.contains(r#"name="preflight-$target""#));
    assert!(package.contains(r#"archive="$name.tar.gz""#));
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    assert!(release.contains(r#"bash .github/release/package.sh "$TARGET""#));
    let installer = std::fs::read_to_string(root().join(".github/action/install.sh")).unwrap();
    assert!(installer.contains(r#"asset="preflight-$PREFLIGHT_TARGET.tar.gz""#));
    assert!(installer.contains(r#"preflight-$PREFLIGHT_TARGET/$exe"#));
}
