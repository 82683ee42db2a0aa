//! A repository's live issue forms, from `.github/ISSUE_TEMPLATE` through
//! the contents API, kept in a cache directory and refreshed with
//! conditional requests (a 304 costs nothing).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Call, GitHub, GitHubError, Result, Verb};
use crate::repo::Repo;

/// `(file name, YAML text)`, e.g. `("1.web_bug_report.yml", "name: …")`.
/// `config.yml` (the template chooser's settings) is included when present.
pub type TemplateFile = (String, String);

/// A directory holding one JSON file per repository (and API host) with the
/// forms and the ETag of the folder listing.
#[derive(Debug, Clone)]
pub struct TemplateCache {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct CacheEntry {
    api_base: String,
    repo: String,
    etag: Option<String>,
    files: Vec<CachedFile>,
}

#[derive(Serialize, Deserialize, Clone)]
struct CachedFile {
    name: String,
    /// Git blob SHA: a file whose SHA did not change is not fetched again.
    sha: String,
    text: String,
}

impl TemplateCache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        TemplateCache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The forms last fetched for `repo` from `api_base`, without any
    /// request (for offline use). `api_base` as [`GitHub::api_base`] gives it.
    pub fn cached(&self, api_base: &str, repo: &Repo) -> Option<Vec<TemplateFile>> {
        self.load(api_base, repo).map(|e| to_pairs(&e.files))
    }

    fn path(&self, api_base: &str, repo: &Repo) -> PathBuf {
        let key: String = format!("{api_base}|{repo}")
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("templates-{key}.json"))
    }

    fn load(&self, api_base: &str, repo: &Repo) -> Option<CacheEntry> {
        let text = std::fs::read_to_string(self.path(api_base, repo)).ok()?;
        let entry: CacheEntry = serde_json::from_str(&text).ok()?;
        (entry.api_base == api_base && entry.repo == repo.to_string()).then_some(entry)
    }

    /// Best effort: a cache that cannot be written only costs a download
    /// next time.
    fn store(&self, entry: &CacheEntry, repo: &Repo) {
        let path = self.path(&entry.api_base, repo);
        let Ok(text) = serde_json::to_string_pretty(entry) else {
            return;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let tmp = path.with_extension(format!("json.tmp{}", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

fn to_pairs(files: &[CachedFile]) -> Vec<TemplateFile> {
    files
        .iter()
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect()
}

fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// One entry of a contents API folder listing.
#[derive(Deserialize)]
struct RawEntry {
    name: String,
    sha: String,
    #[serde(rename = "type")]
    kind: String,
}

/// A contents API file.
#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

impl GitHub {
    /// The `.yml`/`.yaml` files of `repo`'s `.github/ISSUE_TEMPLATE`, sorted
    /// by name. `Ok(None)` when the repository exists but has no such
    /// folder (it uses no issue forms); an unknown repository is
    /// [`GitHubError::NotFound`]. With a cache, the folder listing is a
    /// conditional request and only changed files are downloaded.
    pub async fn fetch_templates(
        &self,
        repo: &Repo,
        cache: Option<&TemplateCache>,
    ) -> Result<Option<Vec<TemplateFile>>> {
        let api_base = self.api_base().to_string();
        let cached = cache.and_then(|c| c.load(&api_base, repo));
        let url = self.template_url(repo, None);
        let action = format!("list the issue forms of {repo}");
        let not_found = format!("repository {repo}");
        let mut call = Call::new(Verb::Get, url, &action);
        call.etag = cached.as_ref().and_then(|c| c.etag.as_deref());
        let answer = self.send(&call).await?;

        if answer.status == 304 {
            if let Some(entry) = &cached {
                return Ok(Some(to_pairs(&entry.files)));
            }
        }
        if answer.status == 404 {
            return self.repo_exists(repo).await.map(|()| None);
        }
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        let mut entries: Vec<RawEntry> = self.json(&answer)?;
        entries.retain(|e| e.kind == "file" && is_yaml(&e.name));
        entries.sort_by(|a, b| a.name.cmp(&b.name));

        let mut files = Vec::with_capacity(entries.len());
        for entry in entries {
            let known = cached.as_ref().and_then(|c| {
                c.files
                    .iter()
                    .find(|f| f.name == entry.name && f.sha == entry.sha)
                    .cloned()
            });
            let file = match known {
                Some(f) => f,
                None => CachedFile {
                    text: self.fetch_template_file(repo, &entry.name).await?,
                    name: entry.name,
                    sha: entry.sha,
                },
            };
            files.push(file);
        }
        let pairs = to_pairs(&files);
        if let Some(cache) = cache {
            let entry = CacheEntry {
                api_base,
                repo: repo.to_string(),
                etag: answer.header("etag").map(str::to_string),
                files,
            };
            cache.store(&entry, repo);
        }
        Ok(Some(pairs))
    }

    /// The contents API address of `.github/ISSUE_TEMPLATE`, or of one
    /// file in it.
    fn template_url(&self, repo: &Repo, file: Option<&str>) -> reqwest::Url {
        let mut parts = vec![
            "repos",
            &repo.owner,
            &repo.name,
            "contents",
            ".github",
            "ISSUE_TEMPLATE",
        ];
        parts.extend(file);
        self.url(&parts, &[])
    }

    async fn fetch_template_file(&self, repo: &Repo, name: &str) -> Result<String> {
        let url = self.template_url(repo, Some(name));
        let action = format!("read the issue form {name} of {repo}");
        let not_found = format!("file .github/ISSUE_TEMPLATE/{name} in {repo}");
        let answer = self.send(&Call::new(Verb::Get, url, &action)).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        let file: RawFile = self.json(&answer)?;
        let malformed = |detail: &str| GitHubError::Malformed {
            host: self.host.clone(),
            endpoint: answer.endpoint.clone(),
            detail: detail.to_string(),
        };
        match (file.encoding.as_deref(), file.content) {
            (Some("base64"), Some(content)) => {
                let bytes = super::wire::decode_base64(&content)
                    .ok_or_else(|| malformed("its base64 content does not decode"))?;
                String::from_utf8(bytes).map_err(|_| malformed("the file is not UTF-8 text"))
            }
            _ => Err(malformed(
                "it carries no base64 content (is the file larger than 1 MB?)",
            )),
        }
    }

    /// `Ok(())` when `repo` exists and is visible, else why not.
    async fn repo_exists(&self, repo: &Repo) -> Result<()> {
        let url = self.url(&["repos", &repo.owner, &repo.name], &[]);
        let action = format!("look up repository {repo}");
        let not_found = format!("repository {repo}");
        let answer = self.send(&Call::new(Verb::Get, url, &action)).await?;
        if answer.ok() {
            Ok(())
        } else {
            Err(self.fail(&answer, &action, &not_found))
        }
    }
}
