//! `preflight model fetch`: the model's files from the Hugging Face hub, at
//! the pinned revision, checked and written so that a reader never sees a
//! half or a wrong file.
//!
//! Each file is downloaded to `NAME.part` in the model folder, its SHA-256
//! compared with the expected one, then renamed into place. A `.part` left
//! by a download that stopped is continued with `Range` on the next run (a
//! server that ignores `Range` resends the file and the bytes already held
//! are skipped). A file whose hash differs is deleted and refused. Files
//! already there with the expected hash are not downloaded again.
//!
//! ```no_run
//! # async fn f() -> Result<(), issue_preflight::embed::FetchError> {
//! use issue_preflight::embed::{cache_path, fetch, Source};
//! use issue_preflight::http::Http;
//!
//! let dir = cache_path(std::path::Path::new("/home/me/.cache/issue-preflight"));
//! let done = fetch(Http::shared(), &Source::pinned(), &dir, &mut |_event| {}).await?;
//! assert_eq!(done.files.len(), 3);
//! # Ok(())
//! # }
//! ```
//!
//! The library reads no environment: the caller chooses the endpoint
//! ([`Source::with_endpoint`], e.g. from `PREFLIGHT_HF_ENDPOINT`).

use super::locate::{check_file, part_path, pinned_files, sha256_file, ExpectedFile, FileState};
use super::pinned;
use crate::http::{Download, Http, HttpError};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the files come from unless the caller says otherwise.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

/// A download that makes no progress for this long stops (and can be
/// resumed).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// What to fetch, from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The hub's base URL, e.g. `https://huggingface.co`.
    pub endpoint: String,
    /// `OWNER/NAME` on the hub.
    pub repo_id: String,
    /// The commit the files are taken at.
    pub revision: String,
    /// The files, in the order they are fetched, with their hashes.
    pub files: Vec<ExpectedFile>,
    /// See [`IDLE_TIMEOUT`].
    pub idle_timeout: Duration,
}

impl Source {
    /// The pinned model from huggingface.co: [`pinned::REPO_ID`] at
    /// [`pinned::REVISION`], every file with its pinned SHA-256.
    pub fn pinned() -> Source {
        Source {
            endpoint: DEFAULT_ENDPOINT.to_string(),
            repo_id: pinned::REPO_ID.to_string(),
            revision: pinned::REVISION.to_string(),
            files: pinned_files(),
            idle_timeout: IDLE_TIMEOUT,
        }
    }

    /// The same files from another hub (a mirror, or a test server).
    pub fn with_endpoint(mut self, endpoint: &str) -> Source {
        self.endpoint = endpoint.trim().trim_end_matches('/').to_string();
        self
    }

    /// `{endpoint}/{repo_id}/resolve/{revision}/{name}`.
    pub fn url(&self, name: &str) -> String {
        format!(
            "{}/{}/resolve/{}/{}",
            self.endpoint.trim_end_matches('/'),
            self.repo_id,
            self.revision,
            name
        )
    }

    /// The size of every file together.
    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// The endpoint's host (and port), as messages name it.
    fn host(&self) -> String {
        url::Url::parse(&self.endpoint)
            .ok()
            .and_then(|u| {
                let host = u.host_str()?.to_string();
                Some(match u.port() {
                    Some(p) => format!("{host}:{p}"),
                    None => host,
                })
            })
            .unwrap_or_else(|| self.endpoint.clone())
    }
}

/// How far a fetch got, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchEvent<'a> {
    /// The SHA-256 of a file is being computed (one already there, or one
    /// just downloaded).
    Checking { name: &'a str },
    /// Once, before any download: the size of the files to download
    /// together, and how much of that is already held in `.part` files.
    Plan { bytes: u64, held: u64 },
    /// A file's download begins, `held` bytes of its `size` already held.
    Downloading { name: &'a str, size: u64, held: u64 },
    /// `done` bytes of the [`FetchEvent::Plan`]'s `bytes` are now held.
    Progress { done: u64 },
}

/// What a fetch did, file by file, in the [`Source`]'s order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub dir: PathBuf,
    pub files: Vec<FetchedFile>,
}

impl Fetched {
    /// Bytes received by this fetch.
    pub fn received(&self) -> u64 {
        self.files
            .iter()
            .map(|f| match f.how {
                How::Downloaded { received, .. } => received,
                How::AlreadyThere => 0,
            })
            .sum()
    }
}

/// One file of a [`Fetched`]: in place, with this SHA-256 (the expected
/// one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub how: How,
}

/// How a file of a [`Fetched`] came to be in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// It was there already, with the expected hash: not downloaded.
    AlreadyThere,
    /// Downloaded now. `resumed_at` > 0: continued from a `.part` holding
    /// that many bytes. `received`: bytes that came over the network and
    /// were kept.
    Downloaded { resumed_at: u64, received: u64 },
}

/// Why a fetch stopped. Each message is one sentence naming the file and
/// the host or folder at fault.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The endpoint is not an http(s) address.
    #[error("`{endpoint}` is not an http(s) address to fetch the model from; give a base URL such as {DEFAULT_ENDPOINT}")]
    BadEndpoint { endpoint: String },

    /// The model folder or a file in it could not be written or read.
    #[error("cannot write {}: {source}; check that the folder can be written and the disk has room", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The hub has no such file at the revision.
    #[error("{host} has no {name} for {repo_id} at revision {revision} (HTTP {status} for {url}); check the endpoint")]
    NotThere {
        host: String,
        name: String,
        repo_id: String,
        revision: String,
        status: u16,
        url: String,
    },

    /// The download failed on the way; what was received is kept for the
    /// next run when it can be continued (`hint` says so).
    #[error("downloading {name}: {source}{hint}")]
    Http {
        name: String,
        source: HttpError,
        hint: &'static str,
    },

    /// The file is not the expected one. It was deleted.
    #[error("{name} from {host} is not the pinned file: its SHA-256 is {actual}, not {expected}; it was deleted and nothing was installed; run the fetch again (a transfer can be corrupted), and if it happens again check where the files come from")]
    Mismatch {
        name: String,
        host: String,
        expected: String,
        actual: String,
    },
}

impl FetchError {
    /// The network or the server failed (or sent a wrong file), rather
    /// than the local disk or the caller's endpoint.
    pub fn is_network(&self) -> bool {
        matches!(
            self,
            FetchError::NotThere { .. } | FetchError::Http { .. } | FetchError::Mismatch { .. }
        )
    }
}

/// Puts every file of `source` into `dir` (created if needed), checked.
/// See the module's documentation; `on_event` follows the progress.
pub async fn fetch(
    http: &Http,
    source: &Source,
    dir: &Path,
    on_event: &mut dyn FnMut(FetchEvent<'_>),
) -> Result<Fetched, FetchError> {
    match url::Url::parse(&source.endpoint) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
        _ => {
            return Err(FetchError::BadEndpoint {
                endpoint: source.endpoint.chars().take(200).collect(),
            })
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| write_err(dir, e))?;

    // What is there: files with the expected hash stay; for the others,
    // how much a `.part` already holds.
    let mut done: Vec<Option<FetchedFile>> = Vec::with_capacity(source.files.len());
    let mut todo: Vec<(usize, u64)> = Vec::new();
    for (i, want) in source.files.iter().enumerate() {
        on_event(FetchEvent::Checking { name: &want.name });
        match check_file(dir, want) {
            FileState::Verified { size, sha256 } => {
                // A `.part` left beside a good file is of no use.
                let _ = std::fs::remove_file(part_path(dir, &want.name));
                done.push(Some(FetchedFile {
                    name: want.name.clone(),
                    size,
                    sha256,
                    how: How::AlreadyThere,
                }))
            }
            FileState::Unreadable(reason) => {
                return Err(write_err(
                    &dir.join(&want.name),
                    std::io::Error::other(reason),
                ))
            }
            FileState::Partial { held } if held <= want.size => {
                done.push(None);
                todo.push((i, held));
            }
            FileState::Partial { .. } => {
                // Longer than the file can be: not a piece of it.
                let part = part_path(dir, &want.name);
                std::fs::remove_file(&part).map_err(|e| write_err(&part, e))?;
                done.push(None);
                todo.push((i, 0));
            }
            FileState::Missing | FileState::Mismatch { .. } => {
                done.push(None);
                todo.push((i, 0));
            }
        }
    }
    let bytes: u64 = todo.iter().map(|&(i, _)| source.files[i].size).sum();
    let held: u64 = todo.iter().map(|&(_, h)| h).sum();
    on_event(FetchEvent::Plan { bytes, held });

    let mut before = 0u64;
    for (i, held) in todo {
        let want = &source.files[i];
        let file = download_one(http, source, dir, want, held, before, on_event).await?;
        before += want.size;
        done[i] = Some(file);
    }
    Ok(Fetched {
        dir: dir.to_path_buf(),
        files: done.into_iter().flatten().collect(),
    })
}

/// Downloads one file into its `.part` (from `held`), checks it and moves
/// it into place. `before`: bytes of the earlier files of this fetch, for
/// [`FetchEvent::Progress`].
async fn download_one(
    http: &Http,
    source: &Source,
    dir: &Path,
    want: &ExpectedFile,
    held: u64,
    before: u64,
    on_event: &mut dyn FnMut(FetchEvent<'_>),
) -> Result<FetchedFile, FetchError> {
    let part = part_path(dir, &want.name);
    let target = dir.join(&want.name);
    on_event(FetchEvent::Downloading {
        name: &want.name,
        size: want.size,
        held,
    });
    let mut received = 0;
    if held < want.size {
        let mut out = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&part)
            .map_err(|e| write_err(&part, e))?;
        let mut dl = Download::new(source.idle_timeout);
        dl.resume_from = held;
        dl.max_bytes = Some(want.size);
        let url = source.url(&want.name);
        let result = http
            .download(&url, &dl, &mut out, &mut |now, _| {
                on_event(FetchEvent::Progress {
                    done: before + now.min(want.size),
                })
            })
            .await;
        match result {
            Ok(d) => received = d.written,
            Err(e) => {
                drop(out);
                return Err(download_err(source, want, &part, url, e));
            }
        }
        out.sync_all().map_err(|e| write_err(&part, e))?;
    }

    on_event(FetchEvent::Checking { name: &want.name });
    let (size, actual) = sha256_file(&part).map_err(|e| write_err(&part, e))?;
    if actual != want.sha256 {
        let _ = std::fs::remove_file(&part);
        return Err(FetchError::Mismatch {
            name: want.name.clone(),
            host: source.host(),
            expected: want.sha256.clone(),
            actual,
        });
    }
    std::fs::rename(&part, &target).map_err(|e| write_err(&target, e))?;
    sync_dir(dir);
    Ok(FetchedFile {
        name: want.name.clone(),
        size,
        sha256: actual,
        how: How::Downloaded {
            resumed_at: held,
            received,
        },
    })
}

/// A failed download as a [`FetchError`]; drops the `.part` when what it
/// holds cannot be continued.
fn download_err(
    source: &Source,
    want: &ExpectedFile,
    part: &Path,
    url: String,
    e: HttpError,
) -> FetchError {
    if std::fs::metadata(part).is_ok_and(|m| m.len() == 0) {
        let _ = std::fs::remove_file(part);
    }
    match e {
        HttpError::Write { detail, .. } => write_err(part, std::io::Error::other(detail)),
        HttpError::Status { host, status } if matches!(status, 401 | 403 | 404 | 410) => {
            FetchError::NotThere {
                host,
                name: want.name.clone(),
                repo_id: source.repo_id.clone(),
                revision: source.revision.clone(),
                status,
                url,
            }
        }
        e => {
            // The server's file is not the size expected, or it refuses the
            // range: what the `.part` holds is no start of it.
            let dropped = matches!(
                e,
                HttpError::TooLarge { .. } | HttpError::Status { status: 416, .. }
            );
            if dropped {
                let _ = std::fs::remove_file(part);
            }
            let kept = std::fs::metadata(part).is_ok_and(|m| m.len() > 0);
            let hint = if e.to_string().contains("resume") || !kept {
                ""
            } else {
                "; what arrived is kept, and the next fetch continues from it"
            };
            FetchError::Http {
                name: want.name.clone(),
                source: e,
                hint,
            }
        }
    }
}

fn write_err(path: &Path, source: std::io::Error) -> FetchError {
    FetchError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Makes a rename durable where the platform allows it (not on Windows,
/// where a folder cannot be opened as a file).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_hub_layout() {
        let s = Source::pinned();
        assert_eq!(
            s.url("config.json"),
            "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/1110a243fdf4706b3f48f1d95db1a4f5529b4d41/config.json"
        );
        let m = Source::pinned().with_endpoint(" http://127.0.0.1:8080/ ");
        assert_eq!(m.endpoint, "http://127.0.0.1:8080");
        assert!(m
            .url("model.safetensors")
            .starts_with("http://127.0.0.1:8080/sentence-transformers/"));
        assert_eq!(m.host(), "127.0.0.1:8080");
        assert_eq!(s.host(), "huggingface.co");
        assert_eq!(s.total_size(), 612 + 466_247 + 90_868_376);
    }

    #[test]
    fn a_bad_endpoint_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("model");
        let source = Source::pinned().with_endpoint("ftp://mirror.example");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let err = rt
            .block_on(fetch(Http::shared(), &source, &target, &mut |_| {}))
            .unwrap_err();
        assert!(matches!(err, FetchError::BadEndpoint { .. }), "{err}");
        assert!(!err.is_network());
        assert!(!target.exists());
    }
}
