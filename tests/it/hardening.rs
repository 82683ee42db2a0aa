//! Issue 13's findings, each kept fixed: nothing written outside the state
//! and cache folders whatever a draft says; YAML bombs and deep nesting
//! refused fast with bounded memory; FIFOs and devices refused without a
//! hang; errors that name a file and a place but never echo its content.
//!
//! The runs that could blow up get an address-space limit of 2 GiB and a
//! generous time limit: both are guards against the old behaviour (minutes,
//! gigabytes), not measurements, so they do not flake.

use crate::support::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// A home of its own: state, cache and a working folder, plus whatever a
/// test puts beside them to see that it is left alone.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let s = Sandbox {
            dir: tempfile::tempdir().unwrap(),
        };
        for d in ["state", "cache", "home", "work"] {
            std::fs::create_dir_all(s.root().join(d)).unwrap();
        }
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn state(&self) -> PathBuf {
        self.root().join("state")
    }

    pub fn cache(&self) -> PathBuf {
        self.root().join("cache")
    }

    pub fn work(&self) -> PathBuf {
        self.root().join("work")
    }

    /// The binary, with every folder it may write pointed into the sandbox,
    /// no token, no browser, and at most 2 GiB of address space.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_preflight"));
        cmd.current_dir(self.work())
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", self.root().join("home"))
            .env("XDG_STATE_HOME", self.state())
            .env("XDG_CACHE_HOME", self.cache())
            .env("XDG_CONFIG_HOME", self.root().join("home/.config"))
            .env("GITHUB_API_URL", "http://127.0.0.1:9")
            .env("PREFLIGHT_NO_BROWSER", "1")
            .env("NO_COLOR", "1");
        limit_memory(&mut cmd);
        cmd
    }

    /// Every file outside the state and cache folders, with its bytes.
    pub fn outside(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, skip: &[PathBuf], out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if skip.contains(&p) {
                    continue;
                }
                let t = e.file_type().unwrap();
                if t.is_dir() {
                    walk(&p, skip, out);
                } else if t.is_file() {
                    out.insert(p.clone(), std::fs::read(&p).unwrap());
                } else {
                    out.insert(p, Vec::new());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.root(), &[self.state(), self.cache()], &mut out);
        out
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

/// At most 2 GiB of address space: a YAML bomb or an endless read dies
/// (and fails its test) instead of taking the machine.
#[cfg(unix)]
pub fn limit_memory(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 2 << 30,
                rlim_max: 2 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
pub fn limit_memory(_: &mut Command) {}

/// Runs `cmd`, feeding `stdin` (else nothing), killing it after `secs`:
/// `None` when it had to be killed.
pub fn run(mut cmd: Command, stdin: Option<&[u8]>, secs: u64) -> Option<Output> {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    run_as_is(cmd, stdin, secs)
}

/// [`run`], with the command's own standard input unless `stdin` is given.
pub fn run_as_is(mut cmd: Command, stdin: Option<&[u8]>, secs: u64) -> Option<Output> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        let mut w = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = w.write_all(&bytes);
        });
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The run ended by itself with `code`, saying one line that holds
/// `culprit`, and never panicking.
pub fn one_line_error(out: Option<Output>, code: i32, culprit: &str) -> String {
    let out = out.expect("the run hung and was killed");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let last = err.trim_end().lines().last().unwrap_or("");
    assert!(last.starts_with("error: "), "{err}");
    assert!(last.contains(culprit), "{culprit:?} not in {err}");
    assert!(last.len() < 2_100, "an error line of {} bytes", last.len());
    err
}

#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string naming a new file in a private folder.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

// ----- 1. a draft's id never names a file ---------------------------------------

/// A draft as the drafter saves it, with the id given.
fn saved_draft_yaml(id: &str) -> String {
    format!(
        "id: '{id}'\nrepo: mastodon/mastodon\ntemplate: 4.feature_request.yml\ntitle: Pin hashtag columns to the top\nanswers:\n  Pitch: Let people pin a hashtag column to the top of the advanced web interface.\n  Motivation: People who follow events through a hashtag lose the column among many others.\nnext_field: 2\ntitle_done: true\nstatus:\n  state: drafting\ncreated: 1700000000\nupdated: 1700000000\n"
    )
}

/// The ways a scripted draft is run: `submit` and `draft --answers`.
fn scripted_runs(s: &Sandbox, file: &Path) -> Vec<Command> {
    let mut submit = s.cmd();
    submit.arg("submit").arg(file).arg("--web");
    let mut answers = s.cmd();
    answers
        .args(["draft", "--no-input", "--web", "--answers"])
        .arg(file);
    vec![submit, answers]
}

#[test]
fn a_draft_id_that_points_elsewhere_writes_nothing_there() {
    for how in ["absolute", "relative"] {
        for i in 0..2 {
            let s = Sandbox::new();
            // gh's credentials, the file the probe replaced.
            let victim = s.write("home/.config/gh/hosts.yml", "github.com:\n  user: me\n");
            let victim_id = victim.with_extension("").display().to_string();
            // A file anyone could leave in a shared folder: a saved draft
            // whose id is the victim.
            let planted = s.write("tmp/planted.yml", &saved_draft_yaml(&victim_id));
            let planted_id = match how {
                "absolute" => planted.with_extension("").display().to_string(),
                _ => "../../../tmp/planted".to_string(),
            };
            let draft = s.write("work/draft.yml", &saved_draft_yaml(&planted_id));
            let before = s.outside();
            let cmd = scripted_runs(&s, &draft).remove(i);
            let out = run(cmd, None, 60).expect("the run hung");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("panicked"), "{err}");
            assert_eq!(
                s.outside(),
                before,
                "{how} id, run {i}: files outside the state and cache folders changed\n{err}"
            );
        }
    }
}

#[test]
fn a_planted_draft_in_the_drafts_folder_cannot_steer_a_write() {
    let s = Sandbox::new();
    let victim = s.write("home/victim.yml", "precious\n");
    let victim_id = victim.with_extension("").display().to_string();
    // Same answers as the draft submitted below, so `continued()` finds it.
    s.write(
        "state/issue-preflight/drafts/1700000000-1-planted.yml",
        &saved_draft_yaml(&victim_id),
    );
    let plain = "template: 4.feature_request.yml\ntitle: Pin hashtag columns to the top\nanswers:\n  Pitch: Let people pin a hashtag column to the top of the advanced web interface.\n  Motivation: People who follow events through a hashtag lose the column among many others.\n";
    let draft = s.write("work/plain.yml", plain);
    for cmd in scripted_runs(&s, &draft) {
        let before = s.outside();
        let out = run(cmd, None, 60).expect("the run hung");
        assert_eq!(
            s.outside(),
            before,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}

#[cfg(unix)]
mod resume {
    use super::*;
    use rexpect::session::{spawn_with_options, Options};

    /// `draft --resume ID` in a terminal: refused at once for an id the
    /// store could not have made, nothing written anywhere.
    fn resume(s: &Sandbox, id: &str) -> String {
        let mut cmd = s.cmd();
        cmd.env("TERM", "xterm").args(["draft", "--resume", id]);
        let mut p = spawn_with_options(
            cmd,
            Options::new()
                .timeout_ms(Some(20_000))
                .strip_ansi_escape_codes(true),
        )
        .unwrap();
        p.exp_eof()
            .unwrap_or_else(|e| panic!("--resume {id} did not end by itself: {e}"))
    }

    #[test]
    fn resume_takes_only_an_id_the_store_made() {
        let s = Sandbox::new();
        std::fs::create_dir_all(s.state().join("issue-preflight/drafts")).unwrap();
        // What `--resume ../x` reached: state/issue-preflight/x.yml, a
        // saved draft whose id leads out of the state folder.
        s.write(
            "state/issue-preflight/x.yml",
            &saved_draft_yaml("../../../home/escaped"),
        );
        for id in [
            "../x",
            "/etc/passwd",
            "../../../home/escaped",
            "1-2-a/../../x",
        ] {
            let before = s.outside();
            let out = resume(&s, id);
            assert!(
                out.contains("is not the id of a saved draft"),
                "{id}: {out}"
            );
            assert_eq!(s.outside(), before, "{id}");
        }
        assert!(!s.root().join("home/escaped.yml").exists());
    }
}

// ----- 2. YAML: bombs and deep nesting fail fast --------------------------------

#[test]
fn a_deeply_nested_draft_fails_fast() {
    let s = Sandbox::new();
    // 200 kB, nested 100,000 levels.
    let draft = format!(
        "template: 4.feature_request.yml\ntitle: t\nanswers:\n  Pitch: {}\n",
        "[".repeat(100_000) + &"]".repeat(100_000)
    );
    let mut cmd = s.cmd();
    cmd.args(["lint", "-"]);
    let err = one_line_error(run(cmd, Some(draft.as_bytes()), 30), 2, "line 4");
    assert!(err.contains("deeper than 64"), "{err}");
    let block: String = (0..70)
        .map(|i| format!("    {}- \n", " ".repeat(i)))
        .collect();
    let mut cmd = s.cmd();
    cmd.args(["lint", "-"]);
    let text = format!("template: x\nanswers:\n  a:\n{block}");
    one_line_error(run(cmd, Some(text.as_bytes()), 30), 2, "deeper than 64");
}

#[test]
fn a_deeply_nested_form_fails_fast() {
    let s = Sandbox::new();
    // 300 kB, nested 300,000 levels.
    let form = s.write(
        "work/deep.yml",
        &format!(
            "name: deep\ndescription: d\nbody: {}\n",
            "[".repeat(300_000)
        ),
    );
    let mut cmd = s.cmd();
    cmd.args(["templates", "check"]).arg(&form);
    let out = run(cmd, None, 30).expect("templates check hung");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("deep.yml:3:") && text.contains("deeper than 64"),
        "{text}"
    );
    let mut cmd = s.cmd();
    cmd.args(["lint", "--template"]).arg(&form).arg("-");
    one_line_error(run(cmd, Some(b"x"), 30), 2, "deeper than 64");
}

#[test]
fn an_alias_bomb_fails_fast_in_bounded_memory() {
    let s = Sandbox::new();
    // About 1 MB: one 400 kB string, named 43,000 times (17 GB expanded).
    let big = "x".repeat(400_000);
    let refs = vec!["*t"; 43_000].join(", ");
    let draft = format!("template: &t {big}\ntitle: t\nanswers:\n  Pitch: [{refs}]\n");
    let mut cmd = s.cmd();
    cmd.args(["lint", "-"]);
    let err = one_line_error(run(cmd, Some(draft.as_bytes()), 30), 2, "line 4");
    assert!(err.contains("aliases"), "{err}");
    // The same inside a form, for `templates check` and a form in use.
    let form = s.write(
        "work/forms/bomb.yml",
        &format!("name: &t {big}\ndescription: d\nbody: [{refs}]\n"),
    );
    let mut cmd = s.cmd();
    cmd.args(["templates", "check"]).arg(&form);
    let out = run(cmd, None, 30).expect("templates check hung");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("aliases"));
    let mut cmd = s.cmd();
    cmd.arg("--templates")
        .arg(s.root().join("work/forms"))
        .args(["lint", "-"]);
    one_line_error(run(cmd, Some(b"x"), 30), 2, "bomb.yml:");
}

// ----- 3. reads: regular files only, and bounded --------------------------------

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_without_hanging() {
    let s = Sandbox::new();
    let fifo = s.root().join("work/fifo.yml");
    mkfifo(&fifo);
    let not_regular = "is not a regular file";
    for args in [
        vec!["lint", "fifo.yml"],
        vec!["triage", "fifo.yml"],
        vec!["dupes", "--offline", "fifo.yml"],
        vec!["submit", "fifo.yml"],
        vec!["index", "import", "fifo.yml"],
        vec!["templates", "check", "fifo.yml"],
        vec!["lint", "/dev/zero"],
        vec!["index", "import", "/dev/zero"],
    ] {
        let mut cmd = s.cmd();
        cmd.args(&args);
        one_line_error(run(cmd, None, 20), 2, not_regular);
    }
    let mut cmd = s.cmd();
    cmd.args(["lint", "--template", "fifo.yml", "-"]);
    one_line_error(run(cmd, Some(b"x"), 20), 2, not_regular);
    for event in [fifo.as_path(), Path::new("/dev/zero")] {
        let mut cmd = s.cmd();
        cmd.env("GITHUB_EVENT_NAME", "issues")
            .env("GITHUB_EVENT_PATH", event)
            .env("GITHUB_REPOSITORY", "mastodon/mastodon")
            .arg("action");
        one_line_error(run(cmd, None, 20), 2, not_regular);
    }
    // A FIFO among the forms of a folder is not read either.
    std::fs::create_dir(s.root().join("work/forms")).unwrap();
    mkfifo(&s.root().join("work/forms/a.yml"));
    let mut cmd = s.cmd();
    cmd.args(["templates", "check", "forms"]);
    let out = run(cmd, None, 20).expect("templates check hung on a FIFO");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn endless_standard_input_is_cut_off() {
    let s = Sandbox::new();
    let mut cmd = s.cmd();
    cmd.args(["lint", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap());
    one_line_error(
        run_as_is(cmd, None, 20),
        2,
        "is longer than 1,048,576 bytes (1 MiB)",
    );
}

// ----- 4. errors name a file and a place, never its content ---------------------

const SECRET: &str = "ghp_S3CRETtokenN0Tforprinting0123456789";

#[test]
fn a_draft_naming_a_credential_file_as_its_form_never_prints_it() {
    let s = Sandbox::new();
    let creds = s.write("home/.credentials", &format!("{SECRET}\n"));
    let draft = format!(
        "template: {}\ntitle: t\nanswers:\n  a: b\n",
        creds.display()
    );
    for args in [["lint", "-"], ["triage", "-"]] {
        let mut cmd = s.cmd();
        cmd.args(args);
        let err = one_line_error(run(cmd, Some(draft.as_bytes()), 20), 2, ".credentials:1:1");
        assert!(!err.contains("S3CRET"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_form_is_not_followed_out_of_its_folder() {
    let s = Sandbox::new();
    let creds = s.write("home/.config/gh/hosts.yml", &format!("{SECRET}\n"));
    let forms = s.root().join("work/forms");
    std::fs::create_dir(&forms).unwrap();
    std::fs::copy(fixture("forms/good/bug.yml"), forms.join("bug.yml")).unwrap();
    std::os::unix::fs::symlink(&creds, forms.join("evil.yml")).unwrap();
    let mut cmd = s.cmd();
    cmd.args(["templates", "check", "forms"]);
    let err = one_line_error(
        run(cmd, None, 20),
        2,
        "evil.yml: is a link to a file outside",
    );
    assert!(!err.contains("S3CRET"));
    let mut cmd = s.cmd();
    cmd.args(["--templates", "forms", "lint", "-"]);
    let err = one_line_error(run(cmd, Some(b"x"), 20), 2, "outside its folder");
    assert!(!err.contains("S3CRET"));
    // Named on purpose, the link is read, and still not echoed.
    let mut cmd = s.cmd();
    cmd.args(["templates", "check", "forms/evil.yml"]);
    let out = run(cmd, None, 20).unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(!all.contains("S3CRET"), "{all}");
}

#[test]
fn a_huge_key_gives_a_short_error() {
    let s = Sandbox::new();
    let key = "k".repeat(900_000);
    let form = s.write("work/key.yml", &format!("{key}: 1\n"));
    let mut cmd = s.cmd();
    cmd.args(["templates", "check"]).arg(&form);
    let out = run(cmd, None, 30).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.len() < 1_000, "{} bytes", text.len());
    let draft = format!("template: x\n{key}: 1\n");
    let mut cmd = s.cmd();
    cmd.args(["lint", "-"]);
    one_line_error(run(cmd, Some(draft.as_bytes()), 30), 2, "line 2");
    // A key YAML takes (under 1,024 characters) is named, cut short.
    let draft = format!("template: x\n{}: 1\n", "k".repeat(1_000));
    let mut cmd = s.cmd();
    cmd.args(["lint", "-"]);
    let err = one_line_error(
        run(cmd, Some(draft.as_bytes()), 30),
        2,
        "unknown field `kkk",
    );
    assert!(err.len() < 400, "{err}");
}
