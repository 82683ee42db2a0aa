//! The labelled corpus format of `eval-dev/issues.jsonl`, read by the
//! `eval` commands. Only the fields the evaluations need are typed; the rest
//! of each record is ignored so newer corpus files still load.

use serde::Deserialize;
use std::path::Path;

/// One labelled issue.
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    /// `owner/repo#N`.
    pub id: String,
    #[serde(default)]
    pub url: String,
    pub title: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub body: String,
    /// `support`, `troubleshooting`, `bug`, `feature`, `security` or
    /// `other`.
    pub kind: String,
    /// `high` where a maintainer or the labels say so: a clear case.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub confidence: String,
    /// `owner/repo#M` when the thread says this issue duplicates M.
    #[serde(default)]
    pub duplicate_of: Option<String>,
    #[serde(default)]
    pub labels: Vec<String>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

impl Record {
    /// A clear case: the kind was said by a maintainer or the labels.
    pub fn is_clear(&self) -> bool {
        self.confidence == "high"
    }

    /// The issue number from `owner/repo#N`.
    pub fn number(&self) -> Option<u64> {
        self.id.rsplit_once('#').and_then(|(_, n)| n.parse().ok())
    }

    /// The repository part of `owner/repo#N`.
    pub fn repo(&self) -> &str {
        self.id.rsplit_once('#').map_or("", |(r, _)| r)
    }
}

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read corpus {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a corpus record: {source}")]
    Parse {
        path: String,
        line: usize,
        source: serde_json::Error,
    },
}

/// Reads a JSON Lines corpus; blank lines are skipped.
pub fn load(path: &Path) -> Result<Vec<Record>, CorpusError> {
    // A corpus is big, but a regular file of bounded size like any input.
    let text = crate::files::read_text_file_with(path, crate::files::IMPORT).map_err(|e| {
        let reason = match e {
            crate::error::Error::Input { reason, .. } => reason,
            e => e.to_string(),
        };
        CorpusError::Read {
            path: path.display().to_string(),
            source: std::io::Error::other(reason),
        }
    })?;
    parse(&text, &path.display().to_string())
}

/// Parses JSON Lines text; `origin` names the source in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Record>, CorpusError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|source| CorpusError::Parse {
                path: origin.to_string(),
                line: i + 1,
                source,
            })
        })
        .collect()
}
