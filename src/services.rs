//! What one run of the tool works with: the repository, the folders, the
//! policy, and the process's one async runtime and one GitHub client (built
//! on first use, so that offline commands never start them, and the token
//! is looked for once).
//!
//! The policy of where forms come from lives here because every front end
//! shares it ([`Services::forms`]).

use crate::draft::store::Store;
use crate::embed::Embedder;
use crate::error::Error;
use crate::form::{FormSet, Origin};
use crate::github::{GitHub, TemplateCache};
use crate::mastodon::{Contact, Mastodon, Reach, ServerAddr};
use crate::policy::{Policy, CONTACT_TIMEOUT};
use crate::repo::Repo;
use std::cell::OnceCell;
use std::future::Future;
use std::path::PathBuf;

/// Where a run's state and cache live, and what it works on.
#[derive(Debug, Clone)]
pub struct Settings {
    pub repo: Repo,
    /// `--templates DIR`: a folder of forms that wins over every other source.
    pub templates: Option<PathBuf>,
    /// A checkout whose `.github/ISSUE_TEMPLATE` holds the repository's
    /// forms (the Action's workspace).
    pub checkout: Option<PathBuf>,
    /// The issue index and the forms cache.
    pub cache_dir: PathBuf,
    /// Saved drafts.
    pub state_dir: PathBuf,
    pub policy: Policy,
    /// The sentence-embedding model's folder, as the user named it
    /// (`--model DIR` or `PREFLIGHT_MODEL`); else the cache's, if there.
    pub model: Option<PathBuf>,
}

impl Settings {
    /// The folders from `cache_dir` (`--cache-dir`, `PREFLIGHT_CACHE_DIR`)
    /// or the XDG base directories (`$XDG_CACHE_HOME/issue-preflight`,
    /// `$XDG_STATE_HOME/issue-preflight`, under `~/.cache` and
    /// `~/.local/state` when unset).
    pub fn new(repo: Repo, cache_dir: Option<PathBuf>) -> Result<Settings, Error> {
        let cache_dir = match cache_dir {
            Some(dir) => dir,
            None => crate::files::cache_home()?.join("issue-preflight"),
        };
        Ok(Settings {
            repo,
            templates: None,
            checkout: None,
            cache_dir,
            state_dir: crate::files::state_home()?.join("issue-preflight"),
            policy: Policy::default(),
            model: None,
        })
    }
}

/// Where the forms came from, and what went wrong on the way.
#[derive(Debug, Clone)]
pub struct Forms {
    pub set: FormSet,
    /// Set when a source failed and another served instead.
    pub note: Option<String>,
}

/// Who named a server decides which addresses may be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// On purpose: `--instance`, `preflight contact X`, or typed when the
    /// drafter asked. Any address, loopback included.
    ByUser,
    /// Read from text someone wrote (a title, an answer, a handle, a draft
    /// file, an issue): public addresses only.
    InText,
}

pub struct Services {
    pub settings: Settings,
    runtime: OnceCell<tokio::runtime::Runtime>,
    github: OnceCell<GitHub>,
    mastodon: OnceCell<Mastodon>,
    embedder: OnceCell<Result<Embedder, String>>,
}

impl Services {
    pub fn new(settings: Settings) -> Services {
        Services {
            settings,
            runtime: OnceCell::new(),
            github: OnceCell::new(),
            mastodon: OnceCell::new(),
            embedder: OnceCell::new(),
        }
    }

    pub fn repo(&self) -> &Repo {
        &self.settings.repo
    }

    pub fn policy(&self) -> &Policy {
        &self.settings.policy
    }

    /// Runs a future on the process's runtime. The tool makes one request
    /// at a time, so one thread serves.
    pub fn block_on<F: Future>(&self, f: F) -> Result<F::Output, Error> {
        if self.runtime.get().is_none() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))?;
            let _ = self.runtime.set(rt);
        }
        Ok(self.runtime.get().expect("set above").block_on(f))
    }

    /// The GitHub client: `GITHUB_API_URL`, and the token from
    /// `GITHUB_TOKEN`, `GH_TOKEN` or `gh auth token`, looked for once.
    pub fn github(&self) -> Result<&GitHub, Error> {
        if self.github.get().is_none() {
            let gh = GitHub::from_env()?;
            let _ = self.github.set(gh);
        }
        Ok(self.github.get().expect("set above"))
    }

    /// The sentence-embedding model, loaded once; the reason there is
    /// none otherwise (never an error: everything then works by words).
    pub fn embedder(&self) -> Result<&Embedder, &str> {
        self.embedder
            .get_or_init(|| {
                let dir = crate::embed::locate(
                    self.settings.model.as_deref(),
                    &self.settings.cache_dir,
                )
                .ok_or_else(|| {
                    "no sentence-embedding model (`preflight model fetch` gets it, or set PREFLIGHT_MODEL)".to_string()
                })?;
                Embedder::load(&dir.path).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Saved drafts.
    pub fn store(&self) -> Store {
        Store::at(self.settings.state_dir.join("drafts"))
    }

    /// Where the issue index of the repository lives.
    pub fn index_path(&self) -> PathBuf {
        let repo = self.repo();
        self.settings
            .cache_dir
            .join("index")
            .join(format!("{}__{}.idx", repo.owner, repo.name))
    }

    /// The forms in use, first match wins: `--templates DIR`; the
    /// checkout's forms; for Mastodon, the embedded forms (no network);
    /// the repository's live forms (cached, and the cached copy when
    /// GitHub cannot be reached). `lenient` (the Action) turns a failure
    /// into a note and checks with the embedded forms or none; otherwise a
    /// failure is an error.
    pub fn forms(&self, lenient: bool) -> Result<Forms, Error> {
        if let Some(dir) = &self.settings.templates {
            return Ok(Forms {
                set: FormSet::from_dir(dir)?,
                note: None,
            });
        }
        let mut note = None;
        if let Some(checkout) = &self.settings.checkout {
            let local = checkout.join(".github").join("ISSUE_TEMPLATE");
            if local.is_dir() {
                match FormSet::from_dir(&local) {
                    Ok(set) if !set.forms.is_empty() => return Ok(Forms { set, note: None }),
                    Ok(_) => {}
                    Err(e) if lenient => {
                        note = Some(format!(
                            "the checkout's issue forms cannot be used ({e}); asking GitHub"
                        ))
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        let repo = self.repo().clone();
        if repo.is_mastodon() {
            return Ok(Forms {
                set: FormSet::embedded(),
                note,
            });
        }
        let remote = self.remote_forms(&repo);
        match remote {
            Ok(Some(set)) => Ok(Forms { set, note }),
            Ok(None) if lenient => Ok(Forms {
                set: no_forms(&repo),
                note,
            }),
            Ok(None) => Err(Error::Usage(format!(
                "{repo} has no issue forms in .github/ISSUE_TEMPLATE; give a folder with --templates"
            ))),
            Err(e) if lenient => Ok(Forms {
                set: no_forms(&repo),
                note: Some(format!("{e}; checking without forms")),
            }),
            Err(e) => Err(e),
        }
    }

    /// The repository's live forms (`None`: it has none); the cached copy
    /// when GitHub fails, since forms change rarely.
    fn remote_forms(&self, repo: &Repo) -> Result<Option<FormSet>, Error> {
        let cache = TemplateCache::new(self.settings.cache_dir.join("forms"));
        let gh = self.github()?;
        let (files, origin) = match self.block_on(gh.fetch_templates(repo, Some(&cache)))? {
            Ok(Some(files)) => (files, repo.to_string()),
            Ok(None) => return Ok(None),
            Err(e) => match cache.cached(gh.api_base(), repo) {
                Some(files) => (files, format!("{repo} (cached copy; GitHub failed: {e})")),
                None => return Err(e.into()),
            },
        };
        FormSet::from_files(Origin::Remote(origin), files)
            .map(Some)
            .map_err(|e| Error::Usage(format!("the issue forms of {repo} are invalid ({e})")))
    }

    /// Who runs `server`, and how to reach them. What may be contacted
    /// depends on who named the server.
    pub fn contact(&self, server: &ServerAddr, named: Named) -> Result<Contact, Error> {
        let reach = match named {
            Named::ByUser => Reach::Anywhere,
            Named::InText => Reach::PublicOnly,
        };
        // Mastodon servers are asked over the same HTTP stack as GitHub
        // (hyper and rustls, shared), but not through octocrab's client:
        // that one sends the GitHub token and knows only GitHub's host.
        let client = self.mastodon.get_or_init(|| Mastodon::new(CONTACT_TIMEOUT));
        Ok(self.block_on(client.lookup_at(server, reach))??)
    }
}

fn no_forms(repo: &Repo) -> FormSet {
    FormSet {
        origin: Origin::Remote(repo.to_string()),
        forms: Vec::new(),
        config: Default::default(),
        security: None,
    }
}
