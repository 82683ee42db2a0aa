//! `preflight model fetch|status`: the sentence-embedding model's files.
//!
//! The folder is the one every other command looks in: `--model DIR` or
//! `PREFLIGHT_MODEL=DIR` when given, else the cache
//! (`<cache>/models/all-MiniLM-L6-v2/<revision>/`). The files come from the
//! Hugging Face hub, or from `PREFLIGHT_HF_ENDPOINT` (else `HF_ENDPOINT`,
//! as huggingface_hub reads it) when set: a mirror, or a test server. The
//! pinned hashes are checked whatever the endpoint.

use super::args::{Global, ModelCommand};
use super::common::services;
use super::progress::Bar;
use super::{findings_code, w, Io, Outcome};
use issue_preflight::embed::{
    cache_path, fetch, locate, pinned, status, FetchEvent, FileState, FileStatus, How, ModelDir,
    ModelSource, Source, DEFAULT_ENDPOINT,
};
use issue_preflight::http::Http;
use issue_preflight::services::Services;
use issue_preflight::text::printable;
use issue_preflight::Error;

/// Where the hub is: `PREFLIGHT_HF_ENDPOINT`, else `HF_ENDPOINT`, else
/// huggingface.co.
pub const ENDPOINT_ENV: &str = "PREFLIGHT_HF_ENDPOINT";

pub fn run(global: &Global, cmd: ModelCommand, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    match cmd {
        ModelCommand::Fetch => run_fetch(&services, io),
        ModelCommand::Status => run_status(&services, io),
    }
}

/// The folder `model fetch` fills: the one the other commands will look in.
fn target(services: &Services) -> ModelDir {
    let s = &services.settings;
    locate(s.model.as_deref(), &s.cache_dir).unwrap_or_else(|| ModelDir {
        path: cache_path(&s.cache_dir),
        source: ModelSource::Cache,
    })
}

fn endpoint() -> String {
    [ENDPOINT_ENV, "HF_ENDPOINT"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
}

fn run_fetch(services: &Services, io: &mut Io<'_>) -> Outcome {
    let dir = target(services);
    let source = Source::pinned().with_endpoint(&endpoint());
    let host = url_host(&source.endpoint);
    let fetched = {
        let shown: &Io<'_> = io;
        let mut bar: Option<Bar> = None;
        let mut on_event = |event: FetchEvent<'_>| match event {
            FetchEvent::Checking { name } => {
                let bar = bar.get_or_insert_with(|| Bar::spinner(shown, "checking"));
                bar.set_message(&format!("checking {name}"));
            }
            FetchEvent::Plan { bytes: 0, .. } => bar = None,
            FetchEvent::Plan { bytes, held } => {
                // The spinner goes first: two bars must never draw at once.
                bar = None;
                let b = Bar::bytes(shown, &format!("from {host}"), Some(bytes));
                b.set_position(held);
                bar = Some(b);
            }
            FetchEvent::Downloading { name, .. } => {
                if let Some(b) = &bar {
                    b.set_message(&format!("{name} from {host}"));
                }
            }
            FetchEvent::Progress { done } => {
                if let Some(b) = &bar {
                    b.set_position(done);
                }
            }
        };
        services.block_on(fetch(Http::shared(), &source, &dir.path, &mut on_event))?
    }
    .map_err(Error::from)?;

    for f in &fetched.files {
        let how = match f.how {
            How::AlreadyThere => "already there".to_string(),
            How::Downloaded { resumed_at: 0, .. } => format!("downloaded from {host}"),
            How::Downloaded { resumed_at, .. } => format!(
                "downloaded from {host} (continued after {})",
                size(resumed_at)
            ),
        };
        w(
            io.out,
            format!(
                "{:<18} {:>9}  {how}; SHA-256 {} as pinned",
                f.name,
                size(f.size),
                short(&f.sha256)
            ),
        )?;
    }
    let received = fetched.received();
    let what = if received == 0 {
        "Nothing to download".to_string()
    } else {
        format!("Fetched {}", size(received))
    };
    w(
        io.out,
        format!(
            "{what}: {} ({} at revision {}) is in {}, every file checked against its pinned SHA-256; {}.",
            pinned::MODEL_NAME,
            pinned::REPO_ID,
            pinned::REVISION,
            dir.path.display(),
            match dir.source {
                ModelSource::Cache => "every command finds it there",
                ModelSource::Explicit => "commands use it while --model or PREFLIGHT_MODEL names this folder",
            }
        ),
    )?;
    Ok(0)
}

fn run_status(services: &Services, io: &mut Io<'_>) -> Outcome {
    let s = &services.settings;
    w(
        io.out,
        format!(
            "model   {} ({} at revision {})",
            pinned::MODEL_NAME,
            pinned::REPO_ID,
            pinned::REVISION
        ),
    )?;
    let Some(dir) = locate(s.model.as_deref(), &s.cache_dir) else {
        let path = cache_path(&s.cache_dir);
        w(
            io.out,
            format!("folder  {} (the cache): not there", path.display()),
        )?;
        w(
            io.out,
            "usable: no; triage and duplicate search go by words alone",
        )?;
        w(
            io.out,
            format!(
                "fix: run `preflight model fetch` ({} from {})",
                size(Source::pinned().total_size()),
                url_host(&endpoint())
            ),
        )?;
        return Ok(findings_code(true));
    };
    w(
        io.out,
        format!("folder  {} ({})", dir.path.display(), source_name(&dir)),
    )?;
    let st = status(&dir.path);
    for f in &st.files {
        let (word, color) = if f.state.is_ok() {
            ("ok", "32")
        } else {
            ("fail", "1;31")
        };
        w(
            io.out,
            format!(
                "{} {:<18} {}",
                io.style.paint(color, &format!("{word:<6}")),
                f.name,
                describe(f)
            ),
        )?;
    }
    if st.is_ok() {
        w(io.out, "usable: yes")?;
        if !cfg!(feature = "embed") {
            io.note("this preflight was built without the `embed` feature, so it cannot run the model; rebuild with default features")?;
        }
    } else {
        w(
            io.out,
            "usable: no; triage and duplicate search go by words alone",
        )?;
        w(io.out, format!("fix: {}", fix(&dir)))?;
    }
    Ok(findings_code(!st.is_ok()))
}

/// How a folder was found, in words.
pub(super) fn source_name(dir: &ModelDir) -> &'static str {
    match dir.source {
        ModelSource::Cache => "the cache",
        ModelSource::Explicit => "--model or PREFLIGHT_MODEL",
    }
}

/// What to do about a folder whose files are not all there and right.
pub(super) fn fix(dir: &ModelDir) -> String {
    match dir.source {
        ModelSource::Cache => {
            "run `preflight model fetch`: it downloads what is missing or wrong, and continues a stopped download".to_string()
        }
        ModelSource::Explicit => format!(
            "run `preflight model fetch` to fill {}, or point --model/PREFLIGHT_MODEL at a folder holding the pinned files",
            dir.path.display()
        ),
    }
}

/// One file's state: size and hash, or what is wrong.
pub(super) fn describe(f: &FileStatus) -> String {
    match &f.state {
        FileState::Verified { size: n, sha256 } => {
            format!("{:>9}  SHA-256 {} as pinned", size(*n), short(sha256))
        }
        FileState::Mismatch {
            size: n,
            expected,
            actual,
        } => format!(
            "{:>9}  SHA-256 mismatch: {actual}, pinned {expected}",
            size(*n)
        ),
        FileState::Missing => format!("missing ({} expected)", size(f.expected_size)),
        FileState::Partial { held } => format!(
            "missing; {} of {} downloaded (`preflight model fetch` continues)",
            size(*held),
            size(f.expected_size)
        ),
        FileState::Unreadable(e) => format!("unreadable: {}", printable(e)),
    }
}

/// The first 12 hex digits of a hash.
fn short(sha256: &str) -> String {
    format!("{}…", &sha256[..sha256.len().min(12)])
}

/// `612 bytes`, `455.3 KB`, `86.7 MB` (of 1,024).
pub(super) fn size(n: u64) -> String {
    const KB: f64 = 1024.0;
    match n {
        n if n < 1024 => format!("{n} bytes"),
        n if n < 1024 * 1024 => format!("{:.1} KB", n as f64 / KB),
        n => format!("{:.1} MB", n as f64 / (KB * KB)),
    }
}

/// The host of an endpoint, as messages name it.
fn url_host(endpoint: &str) -> String {
    url::Url::parse(endpoint)
        .ok()
        .and_then(|u| {
            let host = u.host_str()?.to_string();
            Some(match u.port() {
                Some(p) => format!("{host}:{p}"),
                None => host,
            })
        })
        .unwrap_or_else(|| printable(endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(612), "612 bytes");
        assert_eq!(size(466_247), "455.3 KB");
        assert_eq!(size(90_868_376), "86.7 MB");
        assert_eq!(short("953f9c0d463486b10a6871cc"), "953f9c0d4634…");
        assert_eq!(url_host("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(url_host("https://huggingface.co"), "huggingface.co");
    }
}
