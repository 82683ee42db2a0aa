//! The one GitHub client of the tool: REST over octocrab, with GitHub's rate
//! limits, retries and conditional requests handled in one place.
//!
//! octocrab builds the HTTP client (TLS, base URI, the `Authorization`
//! header, user agent, API version header); every call goes through its raw
//! `_get`/`_post`/`_patch`/`_delete` so that status and headers can be read
//! here. Requests are built as absolute URLs under the API base
//! (`GITHUB_API_URL`), so GitHub Enterprise and the tests take the same path
//! as api.github.com, and the token is only ever sent to that host.
//!
//! The library never prints; every failure is a [`GitHubError`] whose text
//! is one sentence naming the host.

mod error;
pub mod rate_limit;
mod templates;
mod token;
mod wire;

pub use error::GitHubError;
pub use templates::{TemplateCache, TemplateFile};
pub use token::{Token, TokenSource};

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use octocrab::Octocrab;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, IF_NONE_MATCH};
use reqwest::Url;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::issue::{IssueRecord, IssueState};
use crate::repo::Repo;

/// The API base used when `GITHUB_API_URL` is not set.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

pub type Result<T, E = GitHubError> = std::result::Result<T, E>;

/// Retry, back-off and timeout settings. The defaults suit people; tests
/// shrink them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Retries after the first attempt, for 5xx and for rate limits short
    /// enough to wait out.
    pub max_retries: u32,
    /// First back-off after a 5xx or a dropped connection; doubles each time.
    pub backoff_base: Duration,
    /// The most time spent waiting (back-off and rate limits) for one call;
    /// a longer wait makes the call fail at once with the reset time.
    pub max_total_wait: Duration,
    /// How long to wait on a secondary rate limit that names no time
    /// (GitHub asks for at least a minute).
    pub secondary_wait: Duration,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_retries: 3,
            backoff_base: Duration::from_secs(1),
            max_total_wait: Duration::from_secs(60),
            secondary_wait: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
        }
    }
}

/// Result of [`GitHub::list_issues`].
#[derive(Debug)]
pub enum ListOutcome {
    /// The conditional request got 304: nothing changed since that ETag.
    NotModified,
    Issues {
        /// Issues only (pull requests skipped), oldest update first.
        records: Vec<IssueRecord>,
        /// The first page's ETag, for the next conditional request; `None`
        /// when GitHub sent none or the listing was interrupted.
        etag: Option<String>,
        /// Set when a later page failed (typically a rate limit on a long
        /// sync): `records` holds the pages read before it, still in
        /// update order, so a caller can keep them and resume with `since`.
        interrupted: Option<GitHubError>,
    },
}

/// An issue to open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewIssue {
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    /// GitHub issue type, e.g. `Bug` (organisation repositories only).
    pub issue_type: Option<String>,
}

/// An issue that was opened (or found again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedIssue {
    pub number: u64,
    /// The web page of the issue.
    pub url: String,
    /// The labels asked for are not on the issue: refused (and the issue
    /// filed again without them) or silently dropped for lack of access.
    pub dropped_labels: bool,
    /// Same for the issue type.
    pub dropped_type: bool,
}

/// A comment on an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub body: String,
    /// Login of the author (`None` for a deleted account).
    pub author: Option<String>,
    pub url: String,
}

/// The GitHub REST client.
pub struct GitHub {
    base: Url,
    host: String,
    token: Option<Token>,
    options: Options,
    /// Built on first use, inside the async runtime (octocrab spawns a task
    /// when it is built).
    client: OnceLock<Octocrab>,
}

impl fmt::Debug for GitHub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitHub")
            .field("api_base", &self.base.as_str())
            .field("token", &self.token)
            .field("options", &self.options)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Post,
    Patch,
    Delete,
}

impl Verb {
    /// Safe to send again after a 5xx or a dropped connection. POST is not:
    /// a 502 can come after the issue was created.
    fn idempotent(self) -> bool {
        !matches!(self, Verb::Post)
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Patch => "PATCH",
            Verb::Delete => "DELETE",
        })
    }
}

/// One request, and the words to use if it fails.
struct Call<'a> {
    verb: Verb,
    url: Url,
    body: Option<Value>,
    etag: Option<&'a str>,
    /// "list the issues of o/r": completes "HOST refused to …".
    action: &'a str,
}

impl<'a> Call<'a> {
    fn new(verb: Verb, url: Url, action: &'a str) -> Self {
        Call {
            verb,
            url,
            body: None,
            etag: None,
            action,
        }
    }

    fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    fn endpoint(&self) -> String {
        format!("{} {}", self.verb, self.url.path())
    }
}

/// A response GitHub gave (any status), read whole.
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: String,
    endpoint: String,
}

impl Answer {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// GitHub's `{"message": …}`, or the bare body.
    fn message(&self) -> String {
        #[derive(Deserialize)]
        struct ErrorBody {
            message: Option<String>,
        }
        match serde_json::from_str::<ErrorBody>(&self.body) {
            Ok(ErrorBody { message: Some(m) }) => m,
            _ if self.body.trim().is_empty() => format!("HTTP {}", self.status),
            _ => self.body.clone(),
        }
    }
}

/// A transport failure, before any status.
struct Broken {
    detail: String,
    /// Worth one quick retry: not a timeout (which already cost its time)
    /// nor a name that does not resolve.
    retryable: bool,
}

impl GitHub {
    /// `GITHUB_API_URL` (default api.github.com) and the token from
    /// `GITHUB_TOKEN`, `GH_TOKEN` or `gh auth token`.
    pub fn from_env() -> Result<GitHub> {
        let base = std::env::var("GITHUB_API_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_API_URL.to_string());
        let (parsed, _) = parse_base(&base)?;
        // `gh` names hosts by their web name: github.com, or the Enterprise host.
        let gh_host = match parsed.host_str() {
            Some("api.github.com") | None => "github.com".to_string(),
            Some(h) => h.to_string(),
        };
        let token = Token::discover(&gh_host)?;
        GitHub::with_options(&base, token, Options::default())
    }

    /// A client for `api_base` (e.g. `https://api.github.com`,
    /// `https://ghe.example.com/api/v3`, or a test server).
    pub fn new(api_base: &str, token: Option<Token>) -> Result<GitHub> {
        GitHub::with_options(api_base, token, Options::default())
    }

    pub fn with_options(api_base: &str, token: Option<Token>, options: Options) -> Result<GitHub> {
        let (base, host) = parse_base(api_base)?;
        Ok(GitHub {
            base,
            host,
            token,
            options,
            client: OnceLock::new(),
        })
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Where the token came from, if there is one (safe to show).
    pub fn token_source(&self) -> Option<TokenSource> {
        self.token.as_ref().map(Token::source)
    }

    /// The API host, as named in error messages (`api.github.com`, or
    /// `host:port` when a port is given).
    pub fn api_host(&self) -> &str {
        &self.host
    }

    pub fn api_base(&self) -> &str {
        self.base.as_str()
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    // ----- issues -----------------------------------------------------------

    /// `GET /search/issues?q=…`, at most `limit` issues (pull requests are
    /// skipped), best match first. The query string is the caller's.
    pub async fn search_issues(&self, q: &str, limit: usize) -> Result<Vec<IssueRecord>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        #[derive(Deserialize)]
        struct SearchPage {
            #[allow(dead_code)]
            total_count: u64,
            #[allow(dead_code)]
            incomplete_results: bool,
            items: Vec<RawIssue>,
        }
        let per_page = limit.min(100).to_string();
        let url = self.url(&["search", "issues"], &[("q", q), ("per_page", &per_page)]);
        let pages = self
            .paginate(
                url,
                None,
                "search issues",
                "search endpoint",
                limit,
                false,
                |a| {
                    let page: SearchPage = self.json(a)?;
                    Ok(page
                        .items
                        .into_iter()
                        .filter_map(RawIssue::into_record)
                        .collect())
                },
            )
            .await?;
        let mut records = pages.items;
        records.truncate(limit);
        Ok(records)
    }

    /// All issues of `repo` (pull requests skipped), least recently updated
    /// first, optionally only those updated at or after `since` (RFC 3339).
    /// With `etag`, the first page is a conditional request: a 304 costs
    /// nothing against the rate limit and gives [`ListOutcome::NotModified`].
    pub async fn list_issues(
        &self,
        repo: &Repo,
        since: Option<&str>,
        etag: Option<&str>,
    ) -> Result<ListOutcome> {
        let mut query = vec![
            ("state", "all"),
            ("per_page", "100"),
            ("sort", "updated"),
            ("direction", "asc"),
        ];
        if let Some(since) = since {
            query.push(("since", since));
        }
        let url = self.url(&["repos", &repo.owner, &repo.name, "issues"], &query);
        let action = format!("list the issues of {repo}");
        let not_found = format!("repository {repo}");
        let pages = self
            .paginate(url, etag, &action, &not_found, usize::MAX, true, |a| {
                let items: Vec<RawIssue> = self.json(a)?;
                Ok(items
                    .into_iter()
                    .filter_map(RawIssue::into_record)
                    .collect())
            })
            .await?;
        if pages.not_modified {
            return Ok(ListOutcome::NotModified);
        }
        let interrupted = pages.interrupted;
        Ok(ListOutcome::Issues {
            records: pages.items,
            etag: if interrupted.is_some() {
                None
            } else {
                pages.etag
            },
            interrupted,
        })
    }

    /// Opens an issue. If GitHub refuses the labels or the type (422, or
    /// 403 for permission), files it once more without them and says so in
    /// [`CreatedIssue::dropped_labels`]/[`CreatedIssue::dropped_type`].
    ///
    /// Never retried on a 5xx or a dropped connection (the issue may exist
    /// by then): use [`GitHub::find_issue_by_title`] before filing again.
    pub async fn create_issue(&self, repo: &Repo, new: &NewIssue) -> Result<CreatedIssue> {
        let action = format!("open an issue in {repo}");
        self.require_token(&action)?;
        let not_found = format!("repository {repo}");
        let url = self.url(&["repos", &repo.owner, &repo.name, "issues"], &[]);
        let extras = !new.labels.is_empty() || new.issue_type.is_some();

        let mut payload = json!({ "title": new.title, "body": new.body });
        if !new.labels.is_empty() {
            payload["labels"] = json!(new.labels);
        }
        if let Some(t) = &new.issue_type {
            payload["type"] = json!(t);
        }
        let call = Call::new(Verb::Post, url.clone(), &action).body(payload);
        let mut answer = self.send(&call).await?;
        let mut retried = false;
        if extras && (answer.status == 422 || answer.status == 403) {
            let bare = json!({ "title": new.title, "body": new.body });
            let call = Call::new(Verb::Post, url, &action).body(bare);
            answer = self.send(&call).await?;
            retried = true;
        }
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        let created: RawCreated = self.json(&answer)?;
        let labels_there = new.labels.iter().all(|want| {
            created
                .labels
                .iter()
                .any(|have| have.name().eq_ignore_ascii_case(want))
        });
        let type_there = match (&new.issue_type, &created.issue_type) {
            (None, _) => true,
            (Some(want), Some(t)) => t.name.eq_ignore_ascii_case(want),
            (Some(_), None) => false,
        };
        Ok(CreatedIssue {
            number: created.number,
            url: created.html_url,
            dropped_labels: !new.labels.is_empty() && (retried || !labels_there),
            dropped_type: new.issue_type.is_some() && (retried || !type_there),
        })
    }

    /// The login the token belongs to (`GET /user`).
    pub async fn current_user_login(&self) -> Result<String> {
        let action = "tell who the token belongs to";
        self.require_token(action)?;
        #[derive(Deserialize)]
        struct User {
            login: String,
        }
        let url = self.url(&["user"], &[]);
        let answer = self.send(&Call::new(Verb::Get, url, action)).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, action, "user for this token"));
        }
        let user: User = self.json(&answer)?;
        Ok(user.login)
    }

    /// An issue of `repo` opened by `author` with exactly this title (after
    /// trimming), among the author's 30 most recent; used after a timeout to
    /// avoid filing twice. Uses the issue list rather than search, which
    /// lags behind new issues.
    pub async fn find_issue_by_title(
        &self,
        repo: &Repo,
        title: &str,
        author: &str,
        created_since: Option<u64>,
    ) -> Result<Option<CreatedIssue>> {
        // Clocks differ: allow ten minutes before the attempt began.
        let since = created_since.map(|t| wire::iso_utc(t.saturating_sub(600)));
        let mut query = vec![
            ("state", "all"),
            ("sort", "created"),
            ("direction", "desc"),
            ("per_page", "30"),
        ];
        if !author.is_empty() {
            query.push(("creator", author));
        }
        let url = self.url(&["repos", &repo.owner, &repo.name, "issues"], &query);
        let action = format!("list the issues of {repo}");
        let not_found = format!("repository {repo}");
        let answer = self.send(&Call::new(Verb::Get, url, &action)).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        let items: Vec<RawIssue> = self.json(&answer)?;
        let want = title.trim();
        Ok(items
            .into_iter()
            .filter(|i| i.pull_request.is_none())
            .find(|i| {
                i.title.trim() == want
                    && since.as_ref().is_none_or(|s| {
                        i.created_at
                            .as_ref()
                            .is_none_or(|c| c.as_str() >= s.as_str())
                    })
                    && (author.is_empty()
                        || i.user
                            .as_ref()
                            .is_some_and(|u| u.login.eq_ignore_ascii_case(author)))
            })
            .map(|i| CreatedIssue {
                number: i.number,
                url: i.html_url,
                dropped_labels: false,
                dropped_type: false,
            }))
    }

    // ----- for the Action ---------------------------------------------------

    /// Every comment on issue `number`, oldest first.
    pub async fn list_comments(&self, repo: &Repo, number: u64) -> Result<Vec<Comment>> {
        let n = number.to_string();
        let url = self.url(
            &["repos", &repo.owner, &repo.name, "issues", &n, "comments"],
            &[("per_page", "100")],
        );
        let action = format!("list the comments of {repo}#{number}");
        let not_found = format!("issue {repo}#{number}");
        let pages = self
            .paginate(url, None, &action, &not_found, usize::MAX, false, |a| {
                let items: Vec<RawComment> = self.json(a)?;
                Ok(items.into_iter().map(RawComment::into_comment).collect())
            })
            .await?;
        Ok(pages.items)
    }

    pub async fn create_comment(&self, repo: &Repo, number: u64, body: &str) -> Result<Comment> {
        let action = format!("comment on {repo}#{number}");
        self.require_token(&action)?;
        let n = number.to_string();
        let url = self.url(
            &["repos", &repo.owner, &repo.name, "issues", &n, "comments"],
            &[],
        );
        let not_found = format!("issue {repo}#{number}");
        let call = Call::new(Verb::Post, url, &action).body(json!({ "body": body }));
        let answer = self.send(&call).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        Ok(self.json::<RawComment>(&answer)?.into_comment())
    }

    pub async fn update_comment(
        &self,
        repo: &Repo,
        comment_id: u64,
        body: &str,
    ) -> Result<Comment> {
        let action = format!("edit comment {comment_id} in {repo}");
        self.require_token(&action)?;
        let id = comment_id.to_string();
        let url = self.url(
            &["repos", &repo.owner, &repo.name, "issues", "comments", &id],
            &[],
        );
        let not_found = format!("comment {comment_id} in {repo}");
        let call = Call::new(Verb::Patch, url, &action).body(json!({ "body": body }));
        let answer = self.send(&call).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        Ok(self.json::<RawComment>(&answer)?.into_comment())
    }

    /// Adds labels; returns the labels now on the issue.
    pub async fn add_labels(
        &self,
        repo: &Repo,
        number: u64,
        labels: &[String],
    ) -> Result<Vec<String>> {
        let action = format!("label {repo}#{number}");
        self.require_token(&action)?;
        let n = number.to_string();
        let url = self.url(
            &["repos", &repo.owner, &repo.name, "issues", &n, "labels"],
            &[],
        );
        let not_found = format!("issue {repo}#{number}");
        // Adding the same labels twice is harmless, so this may be retried.
        let call = Call::new(Verb::Post, url, &action).body(json!({ "labels": labels }));
        let answer = self.send_with(&call, true).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        let now: Vec<RawLabel> = self.json(&answer)?;
        Ok(now.into_iter().map(|l| l.name().to_string()).collect())
    }

    /// Removes one label; `Ok(false)` when it was not on the issue.
    pub async fn remove_label(&self, repo: &Repo, number: u64, label: &str) -> Result<bool> {
        let action = format!("remove label `{label}` from {repo}#{number}");
        self.require_token(&action)?;
        let n = number.to_string();
        let url = self.url(
            &[
                "repos",
                &repo.owner,
                &repo.name,
                "issues",
                &n,
                "labels",
                label,
            ],
            &[],
        );
        let not_found = format!("issue {repo}#{number}");
        let answer = self.send(&Call::new(Verb::Delete, url, &action)).await?;
        match answer.status {
            404 => Ok(false),
            _ if answer.ok() => Ok(true),
            _ => Err(self.fail(&answer, &action, &not_found)),
        }
    }

    /// Closes an issue with a `state_reason` (`completed`, `not_planned`,
    /// `duplicate`).
    pub async fn close_issue(&self, repo: &Repo, number: u64, reason: &str) -> Result<()> {
        let action = format!("close {repo}#{number}");
        self.require_token(&action)?;
        let n = number.to_string();
        let url = self.url(&["repos", &repo.owner, &repo.name, "issues", &n], &[]);
        let not_found = format!("issue {repo}#{number}");
        let call = Call::new(Verb::Patch, url, &action)
            .body(json!({ "state": "closed", "state_reason": reason }));
        let answer = self.send(&call).await?;
        if !answer.ok() {
            return Err(self.fail(&answer, &action, &not_found));
        }
        Ok(())
    }

    // ----- machinery --------------------------------------------------------

    fn require_token(&self, action: &str) -> Result<()> {
        if self.token.is_none() {
            return Err(GitHubError::NoToken {
                host: self.host.clone(),
                action: action.to_string(),
            });
        }
        Ok(())
    }

    /// `{base}/seg/seg?query`, each segment percent-encoded.
    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            path.extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    fn octocrab(&self) -> Result<&Octocrab> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let unreachable = |detail: String| GitHubError::Network {
            host: self.host.clone(),
            detail,
        };
        let mut builder = Octocrab::builder()
            .base_uri(self.base.as_str())
            .map_err(|_| GitHubError::BadApiUrl {
                value: self.base.to_string(),
            })?
            .add_header(ACCEPT, "application/vnd.github+json".to_string())
            .set_connect_timeout(Some(self.options.connect_timeout))
            .set_read_timeout(Some(self.options.read_timeout));
        if let Some(token) = &self.token {
            builder = builder.personal_token(token.expose().to_string());
        }
        let client = builder.build().map_err(|e| {
            unreachable(format!(
                "the HTTP client could not be set up ({})",
                self.clean(&e.to_string())
            ))
        })?;
        let _ = self.client.set(client);
        Ok(self.client.get().expect("client was just set"))
    }

    async fn send(&self, call: &Call<'_>) -> Result<Answer> {
        self.send_with(call, call.verb.idempotent()).await
    }

    /// Sends `call`, waiting out short rate limits and retrying 5xx and
    /// dropped connections (when `retry_failures`), within the budget of
    /// [`Options`]. Any other status comes back as an [`Answer`].
    async fn send_with(&self, call: &Call<'_>, retry_failures: bool) -> Result<Answer> {
        let octo = self.octocrab()?;
        let opts = &self.options;
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let retries_left = attempt <= opts.max_retries;
            let backoff = opts
                .backoff_base
                .saturating_mul(1u32 << (attempt - 1).min(16));
            let answer = match self.once(octo, call).await {
                Ok(a) => a,
                Err(broken) => {
                    // One quick retry for a dropped connection.
                    if retry_failures
                        && attempt == 1
                        && broken.retryable
                        && waited + backoff <= opts.max_total_wait
                    {
                        tokio::time::sleep(backoff).await;
                        waited += backoff;
                        continue;
                    }
                    return Err(GitHubError::Network {
                        host: self.host.clone(),
                        detail: broken.detail,
                    });
                }
            };
            if answer.status == 403 || answer.status == 429 {
                let now = wire::now_unix();
                let message = answer.message();
                if let Some(limit) = wire::rate_limit(
                    answer.status,
                    &answer.headers,
                    &message,
                    now,
                    opts.secondary_wait,
                ) {
                    if retries_left && waited + limit.wait <= opts.max_total_wait {
                        tokio::time::sleep(limit.wait).await;
                        waited += limit.wait;
                        continue;
                    }
                    let clock = wire::utc_clock(limit.reset_at, now);
                    let detail = if limit.secondary {
                        format!("secondary rate limit (too many requests at once) until {clock}")
                    } else {
                        format!("rate limit exhausted until {clock}")
                    };
                    let advice = if self.has_token() {
                        "wait and try again"
                    } else {
                        "wait or set GITHUB_TOKEN"
                    };
                    return Err(GitHubError::RateLimited {
                        host: self.host.clone(),
                        detail,
                        advice: advice.to_string(),
                        reset_at: Some(limit.reset_at),
                    });
                }
                return Ok(answer);
            }
            if (500..600).contains(&answer.status) {
                if retry_failures && retries_left {
                    let wait = wire::retry_after(&answer.headers).unwrap_or(backoff);
                    if waited + wait <= opts.max_total_wait {
                        tokio::time::sleep(wait).await;
                        waited += wait;
                        continue;
                    }
                }
                return Err(GitHubError::Server {
                    host: self.host.clone(),
                    action: call.action.to_string(),
                    status: answer.status,
                    attempts: attempt,
                });
            }
            return Ok(answer);
        }
    }

    async fn once(&self, octo: &Octocrab, call: &Call<'_>) -> std::result::Result<Answer, Broken> {
        let uri = call.url.as_str();
        let response = match call.verb {
            Verb::Get => {
                let mut headers = HeaderMap::new();
                if let Some(v) = call.etag.and_then(|e| HeaderValue::from_str(e).ok()) {
                    headers.insert(IF_NONE_MATCH, v);
                }
                octo._get_with_headers(uri, Some(headers)).await
            }
            Verb::Post => octo._post(uri, call.body.as_ref()).await,
            Verb::Patch => octo._patch(uri, call.body.as_ref()).await,
            Verb::Delete => octo._delete(uri, call.body.as_ref()).await,
        };
        let response = response.map_err(|e| self.broken(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = octo
            .body_to_string(response)
            .await
            .map_err(|e| self.broken(&e))?;
        Ok(Answer {
            status,
            headers,
            body,
            endpoint: call.endpoint(),
        })
    }

    /// Describes a transport error by its innermost cause, without URLs.
    fn broken(&self, err: &octocrab::Error) -> Broken {
        let mut timed_out = false;
        let mut refused = false;
        let mut dns = false;
        let mut innermost = err.to_string();
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = cur {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    std::io::ErrorKind::TimedOut => timed_out = true,
                    std::io::ErrorKind::ConnectionRefused => refused = true,
                    _ => {}
                }
            }
            let text = e.to_string();
            let lower = text.to_ascii_lowercase();
            timed_out |= lower.contains("timed out") || lower.contains("deadline has elapsed");
            refused |= lower.contains("connection refused");
            dns |= lower.contains("dns error") || lower.contains("failed to lookup address");
            innermost = text;
            cur = e.source();
        }
        let detail = if timed_out {
            "the connection timed out".to_string()
        } else if refused {
            "the connection was refused".to_string()
        } else if dns {
            "the host name could not be resolved".to_string()
        } else {
            self.clean(&innermost)
        };
        Broken {
            detail,
            retryable: !timed_out && !dns,
        }
    }

    /// The error for a non-success answer `send` passed back.
    fn fail(&self, answer: &Answer, action: &str, not_found: &str) -> GitHubError {
        let host = self.host.clone();
        match answer.status {
            401 if self.token.is_none() => GitHubError::NoToken {
                host,
                action: action.to_string(),
            },
            401 => GitHubError::Unauthorized { host },
            404 => GitHubError::NotFound {
                host,
                what: not_found.to_string(),
            },
            403 => GitHubError::Forbidden {
                host,
                action: action.to_string(),
                message: self.clean(&answer.message()),
            },
            status => GitHubError::Rejected {
                host,
                action: action.to_string(),
                status,
                message: self.clean(&answer.message()),
            },
        }
    }

    fn json<T: DeserializeOwned>(&self, answer: &Answer) -> Result<T> {
        serde_json::from_str(&answer.body).map_err(|e| GitHubError::Malformed {
            host: self.host.clone(),
            endpoint: answer.endpoint.clone(),
            detail: if e.is_syntax() || e.is_eof() {
                "it is not JSON".to_string()
            } else {
                format!(
                    "the JSON has the wrong shape ({})",
                    self.clean(&e.to_string())
                )
            },
        })
    }

    /// Server text made safe for an error message: the token (should a
    /// server ever echo it) replaced, whitespace folded, length capped.
    fn clean(&self, text: &str) -> String {
        let mut text = text.to_string();
        if let Some(token) = &self.token {
            text = text.replace(token.expose(), "[redacted]");
        }
        let mut out: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .filter(|c| !c.is_control())
            .take(300)
            .collect();
        while out.ends_with('.') {
            out.pop();
        }
        out
    }

    /// Walks `Link: rel="next"` pages from `first`, up to `limit` items.
    /// With `keep_partial`, a failure after the first page ends the walk
    /// with what was read and the error in `interrupted`.
    #[allow(clippy::too_many_arguments)]
    async fn paginate<T>(
        &self,
        first: Url,
        etag: Option<&str>,
        action: &str,
        not_found: &str,
        limit: usize,
        keep_partial: bool,
        extract: impl Fn(&Answer) -> Result<Vec<T>>,
    ) -> Result<Pages<T>> {
        let mut pages = Pages {
            items: Vec::new(),
            etag: None,
            not_modified: false,
            interrupted: None,
        };
        let mut url = first;
        let mut page = 0usize;
        loop {
            page += 1;
            let mut call = Call::new(Verb::Get, url.clone(), action);
            if page == 1 {
                call.etag = etag;
            }
            let step = async {
                let answer = self.send(&call).await?;
                if page == 1 && answer.status == 304 && etag.is_some() {
                    return Ok(None);
                }
                if !answer.ok() {
                    return Err(self.fail(&answer, action, not_found));
                }
                let items = extract(&answer)?;
                let next = match answer.header("link").and_then(wire::next_link) {
                    Some(n) => Some(self.same_origin(&n, &answer)?),
                    None => None,
                };
                let etag = answer.header("etag").map(str::to_string);
                Ok(Some((items, next, etag)))
            };
            match step.await {
                Ok(None) => {
                    pages.not_modified = true;
                    return Ok(pages);
                }
                Ok(Some((items, next, page_etag))) => {
                    if page == 1 {
                        pages.etag = page_etag;
                    }
                    pages.items.extend(items);
                    // A page may hold only pull requests and so add nothing:
                    // only the absence of a next link ends the walk (or a
                    // link that loops, or an absurd number of pages).
                    match next {
                        Some(n) if pages.items.len() < limit && n != url && page < MAX_PAGES => {
                            url = n
                        }
                        _ => return Ok(pages),
                    }
                }
                Err(e) if keep_partial && page > 1 => {
                    pages.interrupted = Some(e);
                    return Ok(pages);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// A next-page URL, accepted only on the API's own origin (the token
    /// would not be sent elsewhere, and a page elsewhere is not GitHub's).
    fn same_origin(&self, link: &str, answer: &Answer) -> Result<Url> {
        match Url::parse(link) {
            Ok(u) if u.origin() == self.base.origin() => Ok(u),
            _ => Err(GitHubError::Malformed {
                host: self.host.clone(),
                endpoint: answer.endpoint.clone(),
                detail: "its Link header points to another host".to_string(),
            }),
        }
    }
}

/// Pages followed at most in one walk (mastodon/mastodon has ~400 of 100).
const MAX_PAGES: usize = 2_000;

struct Pages<T> {
    items: Vec<T>,
    etag: Option<String>,
    not_modified: bool,
    interrupted: Option<GitHubError>,
}

fn parse_base(api_base: &str) -> Result<(Url, String)> {
    let bad = || GitHubError::BadApiUrl {
        value: api_base.to_string(),
    };
    let mut url = Url::parse(api_base.trim()).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad());
    }
    url.set_query(None);
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty();
    }
    let mut host = url.host_str().unwrap_or_default().to_string();
    if let Some(port) = url.port() {
        host = format!("{host}:{port}");
    }
    Ok((url, host))
}

// ----- GitHub's JSON, cut to what is used -------------------------------------

#[derive(Deserialize)]
struct RawUser {
    login: String,
}

/// Labels come as objects from the REST API (and as plain names in a few
/// webhook payloads).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    Object { name: String },
    Name(String),
}

impl RawLabel {
    fn name(&self) -> &str {
        match self {
            RawLabel::Object { name } | RawLabel::Name(name) => name,
        }
    }
}

#[derive(Deserialize)]
struct RawType {
    name: String,
}

#[derive(Deserialize)]
struct RawIssue {
    number: u64,
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    state: IssueState,
    #[serde(default)]
    state_reason: Option<String>,
    html_url: String,
    #[serde(default)]
    labels: Vec<RawLabel>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    user: Option<RawUser>,
    /// Present (an object) on pull requests only.
    #[serde(default)]
    pull_request: Option<IgnoredAny>,
}

impl RawIssue {
    fn into_record(self) -> Option<IssueRecord> {
        if self.pull_request.is_some() {
            return None;
        }
        Some(IssueRecord {
            number: self.number,
            title: self.title,
            body: self.body.unwrap_or_default(),
            state: self.state,
            state_reason: self.state_reason,
            url: self.html_url,
            labels: self.labels.iter().map(|l| l.name().to_string()).collect(),
            duplicate_of: None,
            updated_at: self.updated_at,
            author: self.user.map(|u| u.login),
        })
    }
}

#[derive(Deserialize)]
struct RawCreated {
    number: u64,
    html_url: String,
    #[serde(default)]
    labels: Vec<RawLabel>,
    #[serde(default, rename = "type")]
    issue_type: Option<RawType>,
}

#[derive(Deserialize)]
struct RawComment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    user: Option<RawUser>,
    #[serde(default)]
    html_url: String,
}

impl RawComment {
    fn into_comment(self) -> Comment {
        Comment {
            id: self.id,
            body: self.body.unwrap_or_default(),
            author: self.user.map(|u| u.login),
            url: self.html_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_enterprise_path_and_names_host() {
        let gh = GitHub::new("https://ghe.example.com/api/v3/", None).unwrap();
        assert_eq!(gh.api_host(), "ghe.example.com");
        let url = gh.url(&["repos", "o", "r", "issues"], &[("q", "is:issue a b")]);
        assert_eq!(
            url.as_str(),
            "https://ghe.example.com/api/v3/repos/o/r/issues?q=is%3Aissue+a+b"
        );
        let gh = GitHub::new("http://127.0.0.1:8080", None).unwrap();
        assert_eq!(gh.api_host(), "127.0.0.1:8080");
        assert_eq!(
            gh.url(&["user"], &[]).as_str(),
            "http://127.0.0.1:8080/user"
        );
    }

    #[test]
    fn label_names_are_path_encoded() {
        let gh = GitHub::new(DEFAULT_API_URL, None).unwrap();
        let url = gh.url(&["labels", "status/to triage"], &[]);
        assert_eq!(
            url.as_str(),
            "https://api.github.com/labels/status%2Fto%20triage"
        );
    }

    #[test]
    fn bad_api_url_is_a_usage_error() {
        let err = GitHub::new("ftp://example.com", None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("GITHUB_API_URL"));
        assert!(GitHub::new("not a url", None).is_err());
    }

    #[test]
    fn debug_does_not_show_the_token() {
        let gh = GitHub::new(DEFAULT_API_URL, Token::new("ghp_hidden").unwrap()).unwrap();
        let dbg = format!("{gh:?}");
        assert!(!dbg.contains("ghp_hidden"), "{dbg}");
    }

    #[test]
    fn client_and_its_futures_can_cross_threads() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        fn send<T: Send>(_: &T) {}
        let gh = GitHub::new(DEFAULT_API_URL, None).unwrap();
        send_sync(&gh);
        let repo = Repo::mastodon();
        send(&gh.search_issues("x", 1));
        send(&gh.list_issues(&repo, None, None));
        send(&gh.fetch_templates(&repo, None));
        send(&gh.create_issue(&repo, &NewIssue::default()));
        send(&gh.list_comments(&repo, 1));
        send(&crate::mastodon::lookup_contact(
            "mastodon.social",
            Duration::from_secs(1),
        ));
    }

    #[test]
    fn clean_redacts_and_folds() {
        let gh = GitHub::new(DEFAULT_API_URL, Token::new("ghp_hidden").unwrap()).unwrap();
        assert_eq!(
            gh.clean("bad\n token ghp_hidden.\n"),
            "bad token [redacted]"
        );
    }
}
