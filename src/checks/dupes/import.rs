//! Reading GitHub REST issue objects as `gh api --paginate` dumps them: one
//! JSON array, several arrays back to back (`[...][...]`), or JSON Lines of
//! objects. Pull requests are skipped.

use crate::issue::{IssueRecord, IssueState};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// Why issues could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read (missing, not a regular file, too big).
    #[error("{0}")]
    Read(crate::error::Error),
    /// The text is not GitHub issue JSON; `origin` is the file or `input`.
    #[error("{origin}:{line}:{column}: not GitHub issue JSON ({what}); expected an array or JSON Lines of issue objects as `gh api --paginate repos/OWNER/NAME/issues` writes them")]
    Json {
        origin: String,
        line: usize,
        column: usize,
        what: String,
    },
}

/// One issue object; unknown fields are ignored.
#[derive(Deserialize)]
struct GhIssue {
    number: u64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    state_reason: Option<String>,
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    labels: Vec<GhLabel>,
    #[serde(default)]
    pull_request: Option<IgnoredAny>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    user: Option<GhUser>,
    /// Not GitHub's: accepted so that exports enriched with the original of a
    /// duplicate keep it.
    #[serde(default)]
    duplicate_of: Option<u64>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum GhLabel {
    Name(String),
    Object {
        #[serde(default)]
        name: Option<String>,
    },
}

#[derive(Deserialize)]
struct GhUser {
    #[serde(default)]
    login: Option<String>,
}

impl GhIssue {
    fn into_record(self) -> Option<IssueRecord> {
        if self.pull_request.is_some() {
            return None;
        }
        let url = self.html_url.unwrap_or_default();
        if url.contains("/pull/") {
            return None;
        }
        Some(IssueRecord {
            number: self.number,
            title: self.title,
            body: self.body.unwrap_or_default(),
            state: match self.state.as_deref() {
                Some(s) if s.eq_ignore_ascii_case("closed") => IssueState::Closed,
                _ => IssueState::Open,
            },
            state_reason: self.state_reason,
            url,
            labels: self
                .labels
                .into_iter()
                .filter_map(|l| match l {
                    GhLabel::Name(n) => Some(n),
                    GhLabel::Object { name } => name,
                })
                .collect(),
            duplicate_of: self.duplicate_of,
            updated_at: self.updated_at,
            author: self.user.and_then(|u| u.login),
        })
    }
}

/// One top-level JSON value: an array of issues or a single issue.
struct Chunk(Vec<GhIssue>);

impl<'de> Deserialize<'de> for Chunk {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Chunk;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an issue object or an array of issue objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Chunk, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(issue) = seq.next_element::<GhIssue>()? {
                    v.push(issue);
                }
                Ok(Chunk(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Chunk, A::Error> {
                let issue = GhIssue::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Chunk(vec![issue]))
            }
        }
        d.deserialize_any(V)
    }
}

/// Issues from GitHub REST JSON: an array, arrays back to back, or JSON
/// Lines. Pull requests are skipped; a null body reads as empty.
pub fn records_from_github_json(text: &str) -> Result<Vec<IssueRecord>, ImportError> {
    parse(text, "input")
}

/// [`records_from_github_json`] on a file, naming it in errors; the file
/// is read as a stream of at most [`crate::files::IMPORT`].
pub fn records_from_github_file(path: &Path) -> Result<Vec<IssueRecord>, ImportError> {
    let mut file =
        crate::files::open_file(path, crate::files::IMPORT).map_err(ImportError::Read)?;
    let records = records_from_github_reader(&mut file, &path.display().to_string());
    if file.exceeded() {
        return Err(ImportError::Read(file.too_big()));
    }
    records
}

/// [`records_from_github_json`] on a stream, read as it comes (dumps are
/// big); `origin` names it in errors. Bound the stream (see
/// [`crate::files::open_input`]): this reads to its end.
pub fn records_from_github_reader(
    reader: impl std::io::Read,
    origin: &str,
) -> Result<Vec<IssueRecord>, ImportError> {
    let reader = std::io::BufReader::with_capacity(1 << 16, reader);
    collect(
        serde_json::Deserializer::from_reader(reader).into_iter::<Chunk>(),
        origin,
    )
}

fn parse(text: &str, origin: &str) -> Result<Vec<IssueRecord>, ImportError> {
    collect(
        serde_json::Deserializer::from_str(text).into_iter::<Chunk>(),
        origin,
    )
}

fn collect(
    stream: impl Iterator<Item = Result<Chunk, serde_json::Error>>,
    origin: &str,
) -> Result<Vec<IssueRecord>, ImportError> {
    let mut out = Vec::new();
    for chunk in stream {
        let chunk = chunk.map_err(|e| {
            // serde repeats the position, which is given apart.
            let mut what = e.to_string();
            if let Some(i) = what.rfind(" at line ") {
                what.truncate(i);
            }
            ImportError::Json {
                origin: origin.to_string(),
                line: e.line(),
                column: e.column(),
                what: crate::text::error_text(&what),
            }
        })?;
        out.extend(chunk.0.into_iter().filter_map(GhIssue::into_record));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"number": 1, "title": "Boosts vanish", "body": "They do.",
        "state": "open", "state_reason": null, "html_url": "https://github.com/o/r/issues/1",
        "labels": [{"id": 5, "name": "bug", "color": "ff0000"}], "updated_at": "2024-05-01T00:00:00Z",
        "user": {"login": "alice", "id": 3}, "comments": 4}"#;
    const TWO: &str = r#"{"number": 2, "title": "Closed one", "body": null, "state": "closed",
        "state_reason": "not_planned", "html_url": "https://github.com/o/r/issues/2",
        "labels": ["wontfix"], "user": null}"#;
    const PR: &str = r#"{"number": 3, "title": "Fix boosts", "body": "Fixes #1", "state": "open",
        "html_url": "https://github.com/o/r/pull/3", "labels": [],
        "pull_request": {"url": "https://api.github.com/repos/o/r/pulls/3"}}"#;

    #[test]
    fn reads_an_array() {
        let got = records_from_github_json(&format!("[{ONE}, {TWO}, {PR}]")).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].number, 1);
        assert_eq!(got[0].labels, vec!["bug"]);
        assert_eq!(got[0].author.as_deref(), Some("alice"));
        assert_eq!(got[0].updated_at.as_deref(), Some("2024-05-01T00:00:00Z"));
        assert_eq!(got[0].url, "https://github.com/o/r/issues/1");
        assert_eq!(got[1].state, IssueState::Closed);
        assert_eq!(got[1].state_reason.as_deref(), Some("not_planned"));
        assert_eq!(got[1].labels, vec!["wontfix"]);
    }

    #[test]
    fn null_body_reads_as_empty() {
        let got = records_from_github_json(TWO).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].body, "");
        assert_eq!(got[0].author, None);
    }

    #[test]
    fn reads_json_lines() {
        let text = format!(
            "{}\n{}\n\n{}\n",
            ONE.replace('\n', " "),
            TWO.replace('\n', " "),
            PR.replace('\n', " ")
        );
        let got = records_from_github_json(&text).unwrap();
        let numbers: Vec<u64> = got.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 2]);
    }

    #[test]
    fn reads_arrays_back_to_back() {
        let got = records_from_github_json(&format!("[{ONE}][{PR}, {TWO}]\n[]")).unwrap();
        let numbers: Vec<u64> = got.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 2]);
    }

    #[test]
    fn skips_pull_requests() {
        assert!(records_from_github_json(PR).unwrap().is_empty());
        // The `pull_request` key alone marks one, whatever the URL says.
        let bare = r#"{"number": 4, "title": "Fix", "pull_request": {"merged_at": null}}"#;
        assert!(records_from_github_json(bare).unwrap().is_empty());
        // `"pull_request": null` is no pull request.
        let issue = r#"{"number": 5, "title": "Bug", "pull_request": null}"#;
        assert_eq!(records_from_github_json(issue).unwrap().len(), 1);
    }

    #[test]
    fn empty_input_is_no_issues() {
        assert!(records_from_github_json("  \n").unwrap().is_empty());
        assert!(records_from_github_json("[]").unwrap().is_empty());
    }

    #[test]
    fn malformed_json_names_the_place() {
        let err = records_from_github_json("[{\"number\": 1, \"title\": \"x\"},\n {\"number\": }]")
            .unwrap_err();
        let ImportError::Json { line, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(*line, 2);
        assert!(err.to_string().starts_with("input:2:"), "{err}");

        let err = records_from_github_json("[{\"title\": \"no number\"}]").unwrap_err();
        assert!(err.to_string().contains("number"), "{err}");

        let err = records_from_github_json("\"just a string\"").unwrap_err();
        assert!(err.to_string().contains("issue object"), "{err}");
    }

    #[test]
    fn file_errors_name_the_file() {
        let path =
            std::env::temp_dir().join(format!("preflight-import-{}.json", std::process::id()));
        std::fs::write(&path, "[{\"number\": \"seven\"}]").unwrap();
        let err = records_from_github_file(&path).unwrap_err();
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        let _ = std::fs::remove_file(&path);
        let err = records_from_github_file(&path).unwrap_err();
        assert!(matches!(err, ImportError::Read(_)));
    }
}
