//! The duplicate-search benchmark: generates realistic issues, imports them
//! with `preflight index import`, then times `preflight dupes --offline` as
//! a whole process, and reports the median wall time and peak memory.
//!
//! cargo build --release --bins --examples && target/release/examples/dupes_bench [ISSUES] [RUNS]

mod synth;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use synth::generate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--generate") {
        return write_issues(args[1].parse().expect("a count"), Path::new(&args[2]));
    }
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let runs: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(30)
        .max(1);
    let exe = preflight();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let cache = dir.path().join("cache");
    let json = dir.path().join("issues.json");

    // Generated in a child process: a child forked from a process holding
    // 50,000 issues would count that memory in its own peak.
    let status = Command::new(std::env::current_exe().expect("own path"))
        .args(["--generate", &n.to_string()])
        .arg(&json)
        .status()
        .expect("generate issues");
    assert!(status.success(), "generating issues failed");
    println!(
        "{n} issues generated ({:.1} MB of GitHub JSON)",
        file_mb(&json)
    );

    let (import, import_rss) = timed(
        Command::new(&exe)
            .arg("--cache-dir")
            .arg(&cache)
            .args(["index", "import"])
            .arg(&json),
    );
    println!(
        "index import: {:.2} s, peak {:.0} MB; cache {:.1} MB",
        import.as_secs_f64(),
        import_rss,
        dir_mb(&cache)
    );

    // A realistic draft whose title is one of the generated ones.
    let sample = generate(n.min(2_000), 42);
    let title = &sample[sample.len() / 2].title;
    let draft = dir.path().join("draft.yml");
    std::fs::write(
        &draft,
        format!(
            "template: 1.web_bug_report.yml\ntitle: {title:?}\nanswers:\n  Steps to reproduce the problem: |\n    1. Open the home timeline\n    2. Boost a post with a content warning\n  Expected behaviour: The boost shows once\n  Actual behaviour: The boost shows twice\n"
        ),
    )
    .expect("write draft");
    drop(sample);

    let mut times = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..runs {
        let (t, rss) = timed(
            Command::new(&exe)
                .arg("--cache-dir")
                .arg(&cache)
                .args(["dupes", "--offline", "--format", "json"])
                .arg(&draft),
        );
        times.push(t);
        peak = peak.max(rss);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "dupes --offline over {runs} runs: median {:.1} ms, min {:.1} ms, max {:.1} ms, peak {:.0} MB",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1]),
        peak
    );
}

/// `n` generated issues as GitHub REST JSON.
fn write_issues(n: usize, json: &Path) {
    let rows: Vec<serde_json::Value> = generate(n, 42)
        .iter()
        .map(|i| {
            serde_json::json!({
                "number": i.number, "title": i.title, "body": i.body,
                "state": i.state, "state_reason": i.state_reason, "html_url": i.url,
                "labels": i.labels.iter().map(|l| serde_json::json!({"name": l})).collect::<Vec<_>>(),
                "updated_at": i.updated_at, "user": {"login": i.author},
            })
        })
        .collect();
    std::fs::write(json, serde_json::to_vec(&rows).expect("JSON")).expect("write issues");
}

/// The release `preflight` beside this example (`target/release/`).
fn preflight() -> PathBuf {
    let me = std::env::current_exe().expect("own path");
    let exe = me
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("preflight"))
        .expect("target folder");
    assert!(
        exe.exists(),
        "{} is missing: run `cargo build --release --bins --examples` first",
        exe.display()
    );
    exe
}

/// Everything under `dir`, in MB.
fn dir_mb(dir: &Path) -> f64 {
    fn bytes(p: &Path) -> u64 {
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => std::fs::read_dir(p)
                .map(|rd| rd.flatten().map(|e| bytes(&e.path())).sum())
                .unwrap_or(0),
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    }
    bytes(dir) as f64 / 1e6
}

fn file_mb(p: &Path) -> f64 {
    std::fs::metadata(p).map_or(0.0, |m| m.len() as f64 / 1e6)
}

/// Wall time and peak resident memory (MB) of one run of `cmd`.
// The child is reaped by wait4, which std's Child cannot do with rusage.
#[allow(clippy::zombie_processes)]
fn timed(cmd: &mut Command) -> (Duration, f64) {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start preflight");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 on our own child, with valid pointers to locals; the
    // Child handle is not waited on again.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "preflight failed with status {status}"
    );
    // ru_maxrss is in kilobytes on Linux.
    (elapsed, usage.ru_maxrss as f64 / 1024.0)
}
