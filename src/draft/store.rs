//! Saved drafts: every answer is written the moment it is given, atomically,
//! under the XDG state directory, so Ctrl-C, a crash or a failed API call
//! loses nothing and `draft --resume` picks up where the reporter stopped.

use crate::draft::Draft;
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where a draft stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Drafting,
    /// The create request was sent; if no answer came, the issue may exist.
    Filing {
        since: u64,
    },
    Filed {
        url: String,
        number: Option<u64>,
    },
    Redirected {
        to: String,
    },
}

/// A draft with what the drafter needs to resume it. Never holds a token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub id: String,
    pub repo: String,
    #[serde(flatten)]
    pub draft: Draft,
    /// Index of the next field to ask; the title is asked before field 0.
    #[serde(default)]
    pub next_field: usize,
    #[serde(default)]
    pub title_done: bool,
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    pub created: u64,
    pub updated: u64,
}

impl SavedDraft {
    pub fn new(repo: &str, template: &str) -> SavedDraft {
        let now = now();
        let stem: String = template
            .trim_end_matches(".yml")
            .trim_end_matches(".yaml")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        SavedDraft {
            id: format!("{now}-{}-{stem}", std::process::id()),
            repo: repo.to_string(),
            draft: Draft {
                template: template.to_string(),
                ..Draft::default()
            },
            next_field: 0,
            title_done: false,
            status: Status::Drafting,
            instance: None,
            created: now,
            updated: now,
        }
    }
}

/// A draft file: the plain form (template, title, answers) or one the
/// drafter saved (which carries its id and status too).
pub fn parse_draft(text: &str) -> Result<(Draft, Option<SavedDraft>), serde_yaml::Error> {
    match serde_yaml::from_str::<Draft>(text) {
        Ok(d) => Ok((d, None)),
        Err(plain) => match serde_yaml::from_str::<SavedDraft>(text) {
            Ok(saved) => Ok((saved.draft.clone(), Some(saved))),
            Err(_) => Err(plain),
        },
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The folder of saved drafts.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.yml"))
    }

    /// Writes the draft atomically: a crash mid-write leaves the old copy.
    pub fn save(&self, d: &mut SavedDraft) -> Result<PathBuf, Error> {
        d.updated = now();
        let text = serde_yaml::to_string(&*d).expect("drafts serialize");
        let path = self.path(&d.id);
        self.write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }

    /// A file beside a draft (`ID.SUFFIX`): the text handed over, the
    /// answers to paste. Private to the user, like the draft itself.
    pub fn write_side(&self, id: &str, suffix: &str, text: &str) -> Result<PathBuf, Error> {
        let path = self.dir.join(format!("{id}.{suffix}"));
        self.write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        crate::files::write_atomic(path, &[bytes]).map_err(|e| Error::state(path, e))
    }

    pub fn load(&self, id: &str) -> Result<SavedDraft, Error> {
        let path = self.path(id);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::state(
                &path,
                format!("no saved draft `{id}` ({e}); `preflight draft --resume` lists them"),
            )
        })?;
        serde_yaml::from_str(&text)
            .map_err(|e| Error::state(&path, format!("is not a saved draft: {e}")))
    }

    /// Saved drafts, newest first; unreadable files are skipped.
    pub fn list(&self) -> Vec<SavedDraft> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut drafts: Vec<SavedDraft> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "yml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter_map(|t| serde_yaml::from_str(&t).ok())
            .collect();
        drafts.sort_by_key(|d: &SavedDraft| std::cmp::Reverse((d.updated, d.created)));
        drafts
    }

    /// Drafts not yet filed or redirected.
    pub fn open_drafts(&self) -> Vec<SavedDraft> {
        self.list()
            .into_iter()
            .filter(|d| matches!(d.status, Status::Drafting | Status::Filing { .. }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Answer;

    #[test]
    fn save_load_list_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("drafts"));
        let mut d = SavedDraft::new("mastodon/mastodon", "1.web_bug_report.yml");
        d.draft.title = "Replies land at the top".into();
        d.draft.answers.insert(
            "Expected behaviour".into(),
            Answer::Text("under the post".into()),
        );
        d.next_field = 2;
        let path = store.save(&mut d).unwrap();
        assert!(path.starts_with(dir.path()));
        let back = store.load(&d.id).unwrap();
        assert_eq!(back, d);
        assert_eq!(store.open_drafts().len(), 1);
        d.status = Status::Filed {
            url: "https://github.com/o/r/issues/1".into(),
            number: Some(1),
        };
        store.save(&mut d).unwrap();
        assert!(store.open_drafts().is_empty());
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 1);
        let side = store.write_side(&d.id, "handover.txt", "text").unwrap();
        assert_eq!(std::fs::read_to_string(&side).unwrap(), "text");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&side).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the user may read what they drafted");
        }
    }

    #[test]
    fn missing_draft_names_the_resume_command() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::at(dir.path()).load("nope").unwrap_err().to_string();
        assert!(err.contains("--resume"), "{err}");
    }
}
