//! Streaming downloads of large files (the sentence-embedding model is
//! about 90 MB, served by huggingface.co through a redirect to its CDN).
//!
//! ```no_run
//! # async fn f() -> Result<(), issue_preflight::http::HttpError> {
//! use issue_preflight::http::{Download, Http};
//! use std::time::Duration;
//!
//! let path = "model.safetensors.part";
//! let held = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
//! let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
//! let mut dl = Download::new(Duration::from_secs(30));
//! dl.resume_from = held;
//! let done = Http::shared()
//!     .download(
//!         "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/REV/model.safetensors",
//!         &dl,
//!         &mut file,
//!         &mut |so_far, total| eprint!("\r{so_far} of {total:?} bytes"),
//!     )
//!     .await?;
//! // Check the hash of the whole file before using it.
//! # let _ = done;
//! # Ok(())
//! # }
//! ```

use std::io::Write;
use std::time::Duration;

use http::header::{HeaderMap, ACCEPT, CONTENT_RANGE, RANGE};
use http_body_util::BodyExt;
use url::Url;

use super::{content_length, header_str, header_value, host_label, parse_url, Http, HttpError};
use super::{Policy, Redirects};

/// How to download one file.
#[derive(Debug, Clone)]
pub struct Download {
    /// The `Accept` header (`*/*` by default).
    pub accept: String,
    /// Bytes of the file the writer already holds from an earlier attempt:
    /// asked for with `Range: bytes=N-`, and never written again.
    pub resume_from: u64,
    /// No progress for this long ends the download with
    /// [`HttpError::Idle`]: connecting and waiting for the headers (each
    /// redirect hop), and the gap between two chunks of the body. There is
    /// no overall deadline: a slow but steady transfer may take its time.
    pub idle_timeout: Duration,
    /// The whole file may not be larger than this.
    pub max_bytes: Option<u64>,
    /// Redirects (five, to any host, by default: file hosts send to CDNs)
    /// and pinning.
    pub policy: Policy,
}

impl Download {
    /// A download from the start, any content type, up to five redirects.
    pub fn new(idle_timeout: Duration) -> Download {
        Download {
            accept: "*/*".to_string(),
            resume_from: 0,
            idle_timeout,
            max_bytes: None,
            policy: Policy {
                redirects: Redirects::Limited(5),
                pinning: None,
            },
        }
    }
}

/// What a finished download did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Bytes written to the writer by this call.
    pub written: u64,
    /// The size of the whole file, when the server said.
    pub total: Option<u64>,
    /// `true` when the server continued at [`Download::resume_from`]
    /// (206, or 416 for a file already complete); `false` when it sent the
    /// file from its start, whose first `resume_from` bytes were then
    /// skipped rather than written again.
    pub resumed: bool,
    /// The address that served the file, after redirects.
    pub url: Url,
}

impl Http {
    /// Streams `url` into `out`, chunk by chunk, calling `progress` with
    /// `(bytes of the file now held, size of the whole file if known)`
    /// once before the first chunk and after each one.
    ///
    /// With [`Download::resume_from`] > 0 it asks for the rest only
    /// (`Range: bytes=N-`): a 206 continues the file; a 200 (the server
    /// ignored the range) sends it whole and the bytes already held are
    /// skipped; a 416 whose `Content-Range` gives exactly that size means
    /// the file was complete. A transfer that ends before the size the
    /// server announced is an error, and can be resumed.
    ///
    /// The caller owns the file: it opens it for appending, checks the
    /// hash of the result, and deletes or renames it.
    pub async fn download(
        &self,
        url: &str,
        dl: &Download,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<Downloaded, HttpError> {
        let start = parse_url(url)?;
        let first_host = host_label(&start);
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, header_value(&dl.accept, &first_host)?);
        if dl.resume_from > 0 {
            let range = format!("bytes={}-", dl.resume_from);
            headers.insert(RANGE, header_value(&range, &first_host)?);
        }
        let idle = |host: &str| HttpError::Idle {
            host: host.to_string(),
            after: dl.idle_timeout,
        };
        let (url, resp) =
            tokio::time::timeout(dl.idle_timeout, self.exchange(&start, &headers, &dl.policy))
                .await
                .map_err(|_| idle(&first_host))??;
        let host = host_label(&url);
        let protocol = |detail: String| HttpError::Protocol {
            host: host.clone(),
            detail,
        };

        let status = resp.status().as_u16();
        let (skip, total, resumed) = match status {
            206 => {
                let (first, total) = header_str(resp.headers(), &CONTENT_RANGE)
                    .and_then(content_range)
                    .ok_or_else(|| protocol("a partial answer without a Content-Range".into()))?;
                if first != Some(dl.resume_from) {
                    return Err(protocol(format!(
                        "it continued at another byte than {}",
                        dl.resume_from
                    )));
                }
                (0, total, true)
            }
            200 => (dl.resume_from, content_length(resp.headers()), false),
            416 if dl.resume_from > 0 => {
                let total = header_str(resp.headers(), &CONTENT_RANGE)
                    .and_then(content_range)
                    .and_then(|(_, total)| total);
                if total == Some(dl.resume_from) {
                    progress(dl.resume_from, total);
                    return Ok(Downloaded {
                        written: 0,
                        total,
                        resumed: true,
                        url,
                    });
                }
                return Err(HttpError::Status { host, status });
            }
            _ => return Err(HttpError::Status { host, status }),
        };
        let too_large = |limit: u64| HttpError::TooLarge {
            host: host.clone(),
            limit,
        };
        if let (Some(max), Some(t)) = (dl.max_bytes, total) {
            if t > max {
                return Err(too_large(max));
            }
        }
        if total.is_some_and(|t| t < skip) {
            return Err(protocol(
                "the file is shorter than the part already downloaded".into(),
            ));
        }

        // `pos`: bytes of the file received or already held, skipped ones
        // included; the writer holds max(pos, resume_from).
        let mut pos = if resumed { dl.resume_from } else { 0 };
        let mut written = 0u64;
        progress(dl.resume_from, total);
        let mut body = resp.into_body();
        loop {
            let frame = tokio::time::timeout(dl.idle_timeout, body.frame())
                .await
                .map_err(|_| idle(&host))?;
            let Some(frame) = frame else { break };
            let frame = frame.map_err(|e| super::error::body(&host, &e))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            let mut chunk: &[u8] = &data;
            if pos < skip {
                let dropped = (skip - pos).min(chunk.len() as u64);
                pos += dropped;
                chunk = &chunk[dropped as usize..];
            }
            if !chunk.is_empty() {
                let len = chunk.len() as u64;
                if let Some(max) = dl.max_bytes {
                    if pos + len > max {
                        return Err(too_large(max));
                    }
                }
                out.write_all(chunk).map_err(|e| HttpError::Write {
                    host: host.clone(),
                    detail: e.to_string(),
                })?;
                pos += len;
                written += len;
            }
            progress(pos.max(dl.resume_from), total);
        }
        let held = pos.max(dl.resume_from);
        if pos < skip || total.is_some_and(|t| held < t) {
            return Err(protocol(format!(
                "the transfer ended early ({held} of {} bytes); run again to resume",
                total.map_or_else(|| "?".to_string(), |t| t.to_string())
            )));
        }
        out.flush().map_err(|e| HttpError::Write {
            host: host.clone(),
            detail: e.to_string(),
        })?;
        Ok(Downloaded {
            written,
            total,
            resumed,
            url,
        })
    }
}

/// `bytes 100-999/1000` → `(Some(100), Some(1000))`; `bytes */1000` →
/// `(None, Some(1000))`; `bytes 0-9/*` → `(Some(0), None)`.
fn content_range(text: &str) -> Option<(Option<u64>, Option<u64>)> {
    let rest = text.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    let first = match range.trim() {
        "*" => None,
        r => Some(r.split_once('-')?.0.trim().parse().ok()?),
    };
    Some((first, total))
}

#[cfg(test)]
mod tests {
    use super::content_range;

    #[test]
    fn content_ranges_are_read() {
        assert_eq!(
            content_range("bytes 100-999/1000"),
            Some((Some(100), Some(1000)))
        );
        assert_eq!(content_range("bytes */1000"), Some((None, Some(1000))));
        assert_eq!(content_range("bytes 0-9/*"), Some((Some(0), None)));
        assert_eq!(content_range("items 0-9/10"), None);
        assert_eq!(content_range("bytes x-9/10"), None);
    }
}
