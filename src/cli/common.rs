//! What several commands share: the forms in use, the GitHub client, the
//! cache folder, and a runtime for the network calls.

use super::args::{Global, InputArgs};
use crate::document::Document;
use crate::error::Error;
use crate::form::{FormSet, Origin};
use crate::github::{GitHub, GitHubError, TemplateCache};
use crate::input::read_input;
use crate::mastodon::ContactError;
use crate::repo::Repo;
use std::path::PathBuf;

impl From<GitHubError> for Error {
    fn from(e: GitHubError) -> Self {
        if e.exit_code() == crate::error::exit::NETWORK {
            Error::Network(e.to_string())
        } else {
            Error::Usage(e.to_string())
        }
    }
}

impl From<ContactError> for Error {
    fn from(e: ContactError) -> Self {
        if e.exit_code() == crate::error::exit::NETWORK {
            Error::Network(e.to_string())
        } else {
            Error::Usage(e.to_string())
        }
    }
}

/// A single-threaded runtime: the tool makes one request at a time.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))
}

pub fn repo(global: &Global) -> Repo {
    global.repo.clone().unwrap_or_else(Repo::mastodon)
}

/// `--cache-dir`, `PREFLIGHT_CACHE_DIR`, `$XDG_CACHE_HOME/issue-preflight`
/// or `~/.cache/issue-preflight`.
pub fn cache_dir(global: &Global) -> Result<PathBuf, Error> {
    if let Some(dir) = &global.cache_dir {
        return Ok(dir.clone());
    }
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|base| base.join("issue-preflight"))
        .ok_or_else(|| {
            Error::Usage("no cache folder: set --cache-dir, PREFLIGHT_CACHE_DIR or HOME".into())
        })
}

/// Where the issue index of `repo` lives.
pub fn index_path(global: &Global, repo: &Repo) -> Result<PathBuf, Error> {
    Ok(cache_dir(global)?
        .join("index")
        .join(format!("{}__{}.idx", repo.owner, repo.name)))
}

pub fn github() -> Result<GitHub, Error> {
    Ok(GitHub::from_env()?)
}

/// The forms in use, first match wins: `--templates DIR`; for a repository
/// other than Mastodon, its live forms (cached, and the cache alone when
/// GitHub cannot be reached); else the embedded Mastodon forms, which
/// need no network.
pub fn load_forms(global: &Global) -> Result<FormSet, Error> {
    if let Some(dir) = &global.templates {
        return FormSet::from_dir(dir);
    }
    let repo = repo(global);
    if repo.is_mastodon() {
        return Ok(FormSet::embedded());
    }
    let cache = TemplateCache::new(cache_dir(global)?.join("forms"));
    let gh = github()?;
    let fetched = runtime()?.block_on(gh.fetch_templates(&repo, Some(&cache)));
    let (files, origin) = match fetched {
        Ok(Some(files)) => (files, repo.to_string()),
        Ok(None) => {
            return Err(Error::Usage(format!(
            "{repo} has no issue forms in .github/ISSUE_TEMPLATE; give a folder with --templates"
        )))
        }
        // Forms change rarely: the last copy beats no forms at all.
        Err(e) => match cache.cached(gh.api_base(), &repo) {
            Some(files) => (files, format!("{repo} (cached copy; GitHub failed: {e})")),
            None => return Err(e.into()),
        },
    };
    FormSet::from_files(Origin::Remote(origin), files)
}

/// The FILE of `lint`, `triage` and `dupes`, read against the forms in use.
pub fn read_document(global: &Global, input: &InputArgs) -> Result<(FormSet, Document), Error> {
    let set = load_forms(global)?;
    let text = read_input(&input.file)?;
    let doc = Document::read(
        &set,
        &text,
        &display_name(&input.file),
        input.template.as_deref(),
        input.title.as_deref(),
    )?;
    Ok((set, doc))
}

/// How a FILE argument is named in messages.
pub fn display_name(file: &str) -> String {
    if file == "-" {
        "<stdin>".into()
    } else {
        file.to_string()
    }
}
