//! A repository's live issue forms, from `.github/ISSUE_TEMPLATE` through
//! the contents API, kept in a cache directory and refreshed with
//! conditional requests (a 304 costs nothing).

use std::path::{Path, PathBuf};

use base64::Engine;
use octocrab::models::repos::Content;
use serde::{Deserialize, Serialize};

use super::pages::Conditional;
use super::{path, Call, GitHub, GitHubError, Result};
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

/// The folder of the forms, in the contents API.
const FOLDER: [&str; 2] = [".github", "ISSUE_TEMPLATE"];

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
        let route = path(&[
            "repos",
            &repo.owner,
            &repo.name,
            "contents",
            FOLDER[0],
            FOLDER[1],
        ]);
        let action = format!("list the issue forms of {repo}");
        let not_found = format!("repository {repo}");
        let call = self.call("GET", &route, &action, &not_found);
        let crab = self.crab()?;
        // The typed contents endpoint sends no If-None-Match: the listing
        // goes through the conditional GET.
        let etag = cached.as_ref().and_then(|c| c.etag.as_deref());
        let (head, body) = match self.conditional(&crab, &route, etag, &call).await {
            Ok(Conditional::NotModified) => match &cached {
                Some(entry) => return Ok(Some(to_pairs(&entry.files))),
                // A 304 to a request that sent no ETag is not GitHub's.
                None => return Err(self.malformed(&call, "it answered 304 unasked".into())),
            },
            Ok(Conditional::Fresh { head, body }) => (head, body),
            Err(GitHubError::NotFound { .. }) => {
                return self.repo_exists(repo).await.map(|()| None)
            }
            Err(e) => return Err(e),
        };
        let new_etag = Conditional::etag(&head);
        let mut entries: Vec<Content> = self.list_page::<Content>(head, body, &call).await?.items;
        entries.retain(|e| e.r#type == "file" && is_yaml(&e.name));
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
                etag: new_etag,
                files,
            };
            cache.store(&entry, repo);
        }
        Ok(Some(pairs))
    }

    async fn fetch_template_file(&self, repo: &Repo, name: &str) -> Result<String> {
        let route = path(&[
            "repos",
            &repo.owner,
            &repo.name,
            "contents",
            FOLDER[0],
            FOLDER[1],
            name,
        ]);
        let action = format!("read the issue form {name} of {repo}");
        let not_found = format!("file .github/ISSUE_TEMPLATE/{name} in {repo}");
        let call = self.call("GET", &route, &action, &not_found);
        let crab = self.crab()?;
        // The path is encoded here: octocrab puts it in the URL as it is.
        let encoded = path(&[FOLDER[0], FOLDER[1], name]);
        let mut found = crab
            .repos(&repo.owner, &repo.name)
            .get_content()
            .path(encoded.trim_start_matches('/'))
            .send()
            .await
            .map_err(|e| self.fail(&call, e))?;
        let file = found.take_items().into_iter().next();
        let malformed = |detail: &str| self.malformed(&call, detail.to_string());
        match file {
            Some(Content {
                encoding: Some(encoding),
                content: Some(content),
                ..
            }) if encoding == "base64" => decode(&content)
                .ok_or_else(|| malformed("its base64 content does not decode"))
                .and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|_| malformed("the file is not UTF-8 text"))
                }),
            _ => Err(malformed(
                "it carries no base64 content (is the file larger than 1 MB?)",
            )),
        }
    }

    /// `Ok(())` when `repo` exists and is visible, else why not.
    async fn repo_exists(&self, repo: &Repo) -> Result<()> {
        let route = path(&["repos", &repo.owner, &repo.name]);
        let action = format!("look up repository {repo}");
        let not_found = format!("repository {repo}");
        let call: Call<'_> = self.call("GET", &route, &action, &not_found);
        let crab = self.crab()?;
        crab.repos(&repo.owner, &repo.name)
            .get()
            .await
            .map(drop)
            .map_err(|e| self.fail(&call, e))
    }
}

/// The contents API's base64 (standard alphabet, a newline every 60
/// characters). Not octocrab's `Content::decoded_content`, which panics on
/// bad base64 and replaces bad UTF-8 silently: a server's answer must not
/// crash the tool, and a form that is not UTF-8 is an error.
fn decode(content: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = content
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn base64_with_newlines() {
        assert_eq!(
            decode("bmFtZTogQnVn\nIHJlcG9ydAo=\n").unwrap(),
            b"name: Bug report\n"
        );
        assert_eq!(decode("YQ==").unwrap(), b"a");
        assert_eq!(decode("").unwrap(), b"");
        assert!(decode("Y").is_none());
        assert!(decode("Y*==").is_none());
    }
}
