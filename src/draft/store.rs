//! Saved drafts: every answer is written the moment it is given, atomically,
//! under the XDG state directory, so Ctrl-C, a crash or a failed API call
//! loses nothing and `draft --resume` picks up where the reporter stopped.
//!
//! A draft's id names its file, so an id is only ever made here
//! ([`SavedDraft::new`]) and every id the store is handed (`--resume ID`,
//! the `id:` of a draft file, the ids inside the folder's files) must have
//! that shape ([`is_draft_id`]) before it names a file: no separator, no
//! `..`, nothing absolute, so nothing is read or written outside the folder.

use crate::draft::Draft;
use crate::error::Error;
use crate::yaml::{self, YamlError};
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
        // A form given by path is saved by its path: keep the end of it.
        let stem: Vec<char> = template
            .trim_end_matches(".yml")
            .trim_end_matches(".yaml")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let stem: String = stem[stem.len().saturating_sub(MAX_STEM)..].iter().collect();
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

impl SavedDraft {
    /// Whether the reporter has given anything yet: a title, an answer,
    /// or an answer to the drafter's questions. A draft without is not
    /// worth keeping.
    pub fn has_answers(&self) -> bool {
        !self.draft.title.trim().is_empty()
            || self.draft.answers.values().any(|a| !a.is_empty())
            || !self.draft.questions.is_empty()
    }

    /// Filed, or sent elsewhere: nothing left to do with it.
    pub fn is_done(&self) -> bool {
        matches!(
            self.status,
            Status::Filed { .. } | Status::Redirected { .. }
        )
    }
}

/// The most characters of the form's name an id keeps.
const MAX_STEM: usize = 64;
/// The longest id accepted (older drafts may have longer stems than new ones).
const MAX_ID: usize = 200;

/// Whether `id` has the shape [`SavedDraft::new`] gives ids:
/// `SECONDS-PID-STEM`, of ASCII letters, digits and `-`. Nothing else may
/// name a file in the drafts folder.
pub fn is_draft_id(id: &str) -> bool {
    let mut parts = id.splitn(3, '-');
    let number =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    id.len() <= MAX_ID
        && number(parts.next())
        && number(parts.next())
        && parts
            .next()
            .is_some_and(|stem| stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// A draft file: the plain form (template, title, answers) or one the
/// drafter saved (which carries its id and status too; the id is only
/// ever looked up, see [`Store::load`]).
pub fn parse_draft(text: &str) -> Result<(Draft, Option<SavedDraft>), YamlError> {
    match yaml::from_str::<Draft>(text) {
        Ok(d) => Ok((d, None)),
        Err(plain) => match yaml::from_str::<SavedDraft>(text) {
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

    /// The file of draft `id`; an id of any other shape than the store
    /// makes is refused (see [`is_draft_id`]).
    pub fn path(&self, id: &str) -> Result<PathBuf, Error> {
        self.file(id, "yml")
    }

    fn file(&self, id: &str, suffix: &str) -> Result<PathBuf, Error> {
        let suffix_ok = !suffix.is_empty()
            && suffix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && !suffix.contains("..");
        if !is_draft_id(id) || !suffix_ok {
            return Err(Error::state(
                &self.dir,
                format!(
                    "`{}` is not the id of a saved draft (ids look like 1700000000-4242-web-bug-report); `preflight draft --resume` lists them",
                    crate::text::printable_cut(id, 60)
                ),
            ));
        }
        Ok(self.dir.join(format!("{id}.{suffix}")))
    }

    /// Writes the draft atomically: a crash mid-write leaves the old copy.
    pub fn save(&self, d: &mut SavedDraft) -> Result<PathBuf, Error> {
        let path = self.path(&d.id)?;
        d.updated = now();
        let text = yaml::to_string(&*d);
        self.write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }

    /// A file beside a draft (`ID.SUFFIX`): the text handed over, the
    /// answers to paste. Private to the user, like the draft itself.
    pub fn write_side(&self, id: &str, suffix: &str, text: &str) -> Result<PathBuf, Error> {
        let path = self.file(id, suffix)?;
        self.write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        crate::files::write_atomic(path, &[bytes]).map_err(|e| Error::state(path, e))
    }

    /// The saved draft `id`. Its file must hold that very id, so that a
    /// draft read here names no other file when it is saved again.
    pub fn load(&self, id: &str) -> Result<SavedDraft, Error> {
        let path = self.path(id)?;
        if !path.is_file() {
            return Err(Error::state(
                &path,
                format!("no saved draft `{id}`; `preflight draft --resume` lists them"),
            ));
        }
        let text = crate::files::read_text_file(&path)?;
        let saved: SavedDraft = yaml::from_str(&text)
            .map_err(|e| Error::state(&path, format!("is not a saved draft: {e}")))?;
        if saved.id != id {
            return Err(Error::state(
                &path,
                "is not a saved draft: the id it holds is not its file's name",
            ));
        }
        Ok(saved)
    }

    /// Saved drafts, newest first; unreadable files, and files whose id
    /// is not their name, are skipped.
    pub fn list(&self) -> Vec<SavedDraft> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut drafts: Vec<SavedDraft> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name();
                let id = name.to_str()?.strip_suffix(".yml")?;
                self.load(id).ok()
            })
            .collect();
        drafts.sort_by_key(|d: &SavedDraft| std::cmp::Reverse((d.updated, d.created)));
        drafts
    }

    /// Removes draft `id` and the files beside it (the text handed over,
    /// the answers to paste); gives the files removed.
    pub fn remove(&self, id: &str) -> Result<Vec<PathBuf>, Error> {
        let main = self.path(id)?;
        if !main.is_file() {
            return Err(Error::state(
                &main,
                format!("no saved draft `{id}`; `preflight drafts list` lists them"),
            ));
        }
        let prefix = format!("{id}.");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map_err(|e| Error::state(&self.dir, e))?
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(&prefix) && !n[prefix.len()..].contains(".."))
            })
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in &files {
            std::fs::remove_file(f).map_err(|e| Error::state(f, e))?;
        }
        Ok(files)
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
    fn remove_takes_the_draft_and_its_side_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let mut d = SavedDraft::new("o/r", "t.yml");
        assert!(!d.has_answers());
        d.draft.title = "A title".into();
        assert!(d.has_answers());
        store.save(&mut d).unwrap();
        store.write_side(&d.id, "handover.txt", "x").unwrap();
        let mut other = SavedDraft::new("o/r", "u.yml");
        other.id = format!("{}0", d.id);
        store.save(&mut other).unwrap();
        let removed = store.remove(&d.id).unwrap();
        assert_eq!(removed.len(), 2);
        assert_eq!(store.list().len(), 1, "the other draft stays");
        assert!(store.remove(&d.id).is_err());
        assert!(store.remove("../x").is_err());
    }

    #[test]
    fn missing_draft_names_the_resume_command() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::at(dir.path()).load("nope").unwrap_err().to_string();
        assert!(err.contains("--resume"), "{err}");
    }

    #[test]
    fn only_ids_the_store_makes_name_files() {
        let made = SavedDraft::new("o/r", "/home/me/forms/a very long name.yml").id;
        assert!(is_draft_id(&made), "{made}");
        let long = SavedDraft::new("o/r", &"x".repeat(5000)).id;
        assert!(is_draft_id(&long) && long.len() < 100, "{long}");
        for bad in [
            "",
            "nope",
            "../../x",
            "1-2-../x",
            "1-2-a/b",
            "/etc/passwd",
            "1-2-a\\b",
            "1-2-a\0",
            "1-2-a.yml",
            "1-x-a",
            "-1-a",
            "C:-1-a",
        ] {
            assert!(!is_draft_id(bad), "{bad:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("drafts"));
        for bad in ["../../x", "/tmp/x", "../escape"] {
            let e = store.load(bad).unwrap_err().to_string();
            assert!(e.contains("is not the id of a saved draft"), "{e}");
            assert!(store.write_side(bad, "paste.txt", "x").is_err());
            let mut d = SavedDraft::new("o/r", "t.yml");
            d.id = bad.into();
            assert!(store.save(&mut d).is_err());
        }
        let mut d = SavedDraft::new("o/r", "t.yml");
        assert!(store.write_side(&d.id, "../x", "x").is_err());
        store.save(&mut d).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_planted_draft_whose_id_is_not_its_name_is_never_used() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        let mut d = SavedDraft::new("o/r", "t.yml");
        let text = yaml::to_string(&d).replace(&d.id, "../../outside");
        std::fs::write(dir.path().join(format!("{}.yml", d.id)), &text).unwrap();
        std::fs::write(dir.path().join("evil.yml"), &text).unwrap();
        assert!(store.list().is_empty());
        assert!(store.load(&d.id).is_err());
        store.save(&mut d).unwrap();
        assert_eq!(store.list().len(), 1);
    }
}
