//! The one GitHub client of the tool: octocrab's typed endpoints and
//! models, on a service stack of our own.
//!
//! The stack is octocrab's own layers (base URI, the `Authorization`
//! header, extra headers) around `guard`, one tower layer that gives
//! every request, typed or not, an overall deadline, a response-size cap,
//! rate-limit waiting and retries, and refuses any host but the API's; all
//! on hyper-util's client with the TLS configuration of [`crate::http`].
//! Requests are relative to the API base (`GITHUB_API_URL`), so GitHub
//! Enterprise and the tests take the same path as api.github.com, and the
//! token is only ever sent to that host.
//!
//! What octocrab lacks is kept here by hand, each marked where it is:
//! conditional requests (`If-None-Match`, a 304 costs no rate limit), the
//! issue `type` on create, `PATCH` for comment edits, and the limits of
//! `guard`.
//!
//! - `issues`: search, list (conditional, paginated), create, find,
//!   labels, close, the current user;
//! - `comments`: list, create, update;
//! - `templates`: a repository's issue forms through the contents API;
//! - `models`: octocrab's models made into the tool's
//!   ([`crate::issue::IssueRecord`], [`Comment`]).
//!
//! The library never prints; every failure is a [`GitHubError`] whose text
//! is one sentence naming the host.

mod comments;
mod error;
mod guard;
mod issues;
mod limit_headers;
mod models;
mod pages;
pub mod rate_limit;
mod templates;
mod token;

pub use error::GitHubError;
pub use issues::{CreatedIssue, ListOutcome, NewIssue};
pub use models::Comment;
pub use templates::{TemplateCache, TemplateFile};
pub use token::{Token, TokenSource};

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::{HeaderName, HeaderValue, ACCEPT, USER_AGENT};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use octocrab::service::middleware::auth_header::AuthHeaderLayer;
use octocrab::service::middleware::base_uri::BaseUriLayer;
use octocrab::service::middleware::extra_headers::ExtraHeadersLayer;
use octocrab::{AuthState, OctoBody, Octocrab, OctocrabBuilder};
use url::Url;

use crate::repo::Repo;
use guard::{Failure, GuardLayer};

/// The API base used when `GITHUB_API_URL` is not set.
pub const DEFAULT_API_URL: &str = "https://api.github.com";

pub type Result<T, E = GitHubError> = std::result::Result<T, E>;

/// Retry, back-off, deadline and size settings. The defaults suit people;
/// tests shrink them.
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
    /// Everything of one attempt (connecting, the headers, the whole body)
    /// must be done within this, or the call fails as a network error.
    pub deadline: Duration,
    /// The deadline of requests to a host that already let one request run
    /// into [`Options::deadline`] in this process, so that a command making
    /// several requests gives up in about one deadline.
    pub deadline_after_stall: Duration,
    /// A larger answer is an error.
    pub max_response_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_retries: 3,
            backoff_base: Duration::from_secs(1),
            max_total_wait: Duration::from_secs(60),
            secondary_wait: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
            deadline_after_stall: Duration::from_secs(15),
            max_response_bytes: 32 * 1024 * 1024,
        }
    }
}

/// The GitHub REST client. Build it once per process ([`GitHub::from_env`])
/// and share it; it may be used from several tokio runtimes in turn.
pub struct GitHub {
    base: Url,
    host: String,
    token: Option<Token>,
    options: Options,
    /// octocrab's client for the runtime that last used it: its request
    /// queue runs as a task of the runtime that built it.
    client: Mutex<Option<(tokio::runtime::Id, Octocrab)>>,
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

/// One call, and the words to use if it fails.
pub(crate) struct Call<'a> {
    /// "list the issues of o/r": completes "HOST refused to …".
    action: &'a str,
    /// "repository o/r": completes "HOST has no …".
    not_found: &'a str,
    /// `GET /repos/o/r/issues`, as the API base makes it.
    endpoint: String,
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
            client: Mutex::new(None),
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

    /// The words for a call to `path` (relative to the API base).
    fn call<'a>(&self, verb: &str, path: &str, action: &'a str, not_found: &'a str) -> Call<'a> {
        Call {
            action,
            not_found,
            endpoint: format!("{verb} {}{path}", self.base.path().trim_end_matches('/')),
        }
    }

    /// octocrab on our stack, for the current runtime.
    fn crab(&self) -> Result<Octocrab> {
        let id = tokio::runtime::Handle::try_current()
            .map(|h| h.id())
            .map_err(|_| GitHubError::Network {
                host: self.host.clone(),
                detail: "no async runtime is running".to_string(),
            })?;
        let mut slot = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((have, crab)) = &*slot {
            if *have == id {
                return Ok(crab.clone());
            }
        }
        let crab = self.build_crab()?;
        *slot = Some((id, crab.clone()));
        Ok(crab)
    }

    /// hyper-util's client with our TLS configuration, [`guard`], then
    /// octocrab's extra-header, base-URI and auth-header layers outside it
    /// (outermost last).
    fn build_crab(&self) -> Result<Octocrab> {
        let base: http::Uri = self
            .base
            .as_str()
            .parse()
            .map_err(|_| GitHubError::BadApiUrl {
                value: self.base.to_string(),
            })?;
        let mut connector = HttpConnector::new();
        connector.enforce_http(false);
        connector.set_connect_timeout(Some(self.options.connect_timeout));
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .build::<_, OctoBody>(crate::http::connector(connector, false));
        let headers: Vec<(HeaderName, HeaderValue)> = vec![
            (
                USER_AGENT,
                HeaderValue::from_static(crate::http::DEFAULT_USER_AGENT),
            ),
            (
                ACCEPT,
                HeaderValue::from_static("application/vnd.github+json"),
            ),
        ];
        let auth = match &self.token {
            Some(t) => {
                // Token::new admits visible ASCII only, which a header takes.
                let mut v =
                    HeaderValue::from_str(&format!("Bearer {}", t.expose())).map_err(|_| {
                        GitHubError::BadToken {
                            source_name: t.source().to_string(),
                        }
                    })?;
                v.set_sensitive(true);
                Some(v)
            }
            None => None,
        };
        let crab = OctocrabBuilder::new_empty()
            .with_service(client)
            .with_layer(&GuardLayer::new(&base, &self.options))
            .with_layer(&ExtraHeadersLayer::new(Arc::new(headers)))
            .with_layer(&BaseUriLayer::new(base.clone()))
            .with_layer(&AuthHeaderLayer::new(auth, base.clone(), base))
            .with_auth(AuthState::None)
            .build();
        match crab {
            Ok(crab) => Ok(crab),
            Err(never) => match never {},
        }
    }

    /// The error for a failed octocrab call.
    fn fail(&self, call: &Call<'_>, err: octocrab::Error) -> GitHubError {
        let host = self.host.clone();
        match err {
            octocrab::Error::GitHub { source, .. } => match source.status_code.as_u16() {
                401 if self.token.is_none() => GitHubError::NoToken {
                    host,
                    action: call.action.to_string(),
                },
                401 => GitHubError::Unauthorized { host },
                404 => GitHubError::NotFound {
                    host,
                    what: call.not_found.to_string(),
                },
                403 => GitHubError::Forbidden {
                    host,
                    action: call.action.to_string(),
                    message: self.clean(&source.message),
                },
                status => GitHubError::Rejected {
                    host,
                    action: call.action.to_string(),
                    status,
                    message: self.clean(&source.message),
                },
            },
            octocrab::Error::Serde { source, .. } => self.malformed(
                call,
                if source.is_syntax() || source.is_eof() {
                    "it is not JSON".to_string()
                } else {
                    format!(
                        "the JSON has the wrong shape ({})",
                        self.clean(&source.to_string())
                    )
                },
            ),
            octocrab::Error::Json { source, .. } => {
                let inner = source.inner();
                self.malformed(
                    call,
                    if inner.is_syntax() || inner.is_eof() {
                        "it is not JSON".to_string()
                    } else {
                        let at = source.path().to_string();
                        let at = if at == "." {
                            String::new()
                        } else {
                            format!(" at {at}")
                        };
                        format!(
                            "the JSON has the wrong shape ({}{at})",
                            self.clean(&inner.to_string())
                        )
                    },
                )
            }
            // octocrab's Page reports an answer it cannot page through so.
            octocrab::Error::Other { source, .. } => {
                self.malformed(call, self.clean(&source.to_string()))
            }
            other => match failure_in(&other) {
                Some(Failure::Network { detail }) => GitHubError::Network { host, detail },
                Some(Failure::TooLarge { limit }) => self.malformed(
                    call,
                    format!(
                        "it is larger than the {} allowed",
                        crate::http::format_bytes(limit)
                    ),
                ),
                Some(Failure::RateLimited {
                    reset_at,
                    secondary,
                }) => self.rate_limited(reset_at, secondary),
                Some(Failure::Server { status, attempts }) => GitHubError::Server {
                    host,
                    action: call.action.to_string(),
                    status,
                    attempts,
                },
                Some(Failure::ForeignHost { .. }) => {
                    self.malformed(call, "it points to another host".to_string())
                }
                None => GitHubError::Network {
                    host,
                    detail: self.clean(&innermost(&other)),
                },
            },
        }
    }

    fn malformed(&self, call: &Call<'_>, detail: String) -> GitHubError {
        GitHubError::Malformed {
            host: self.host.clone(),
            endpoint: call.endpoint.clone(),
            detail,
        }
    }

    fn rate_limited(&self, reset_at: u64, secondary: bool) -> GitHubError {
        let clock = limit_headers::utc_clock(reset_at, limit_headers::now_unix());
        let detail = if secondary {
            format!("secondary rate limit (too many requests at once) until {clock}")
        } else {
            format!("rate limit exhausted until {clock}")
        };
        let advice = if self.has_token() {
            "wait and try again"
        } else {
            "wait or set GITHUB_TOKEN"
        };
        GitHubError::RateLimited {
            host: self.host.clone(),
            detail,
            advice: advice.to_string(),
            reset_at: Some(reset_at),
        }
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

    /// A next-page link, accepted only on the API's own origin (the token
    /// would not be sent elsewhere, and a page elsewhere is not GitHub's).
    fn same_origin(&self, link: &http::Uri) -> bool {
        Url::parse(&link.to_string()).is_ok_and(|u| u.origin() == self.base.origin())
    }
}

/// The [`Failure`] of [`guard`] inside an octocrab error, if that is what
/// it is.
fn failure_in(err: &octocrab::Error) -> Option<Failure> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(f) = e.downcast_ref::<Failure>() {
            return Some(f.clone());
        }
        cur = e.source();
    }
    None
}

fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        text = e.to_string();
        cur = e.source();
    }
    text
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

/// `/seg/seg`, each segment percent-encoded (a label or file name may hold
/// `/`, spaces or `#`).
/// `/repos/OWNER/NAME/issues/NUMBER` and `tail`, each segment encoded.
fn issue_path(repo: &Repo, number: u64, tail: &[&str]) -> String {
    let number = number.to_string();
    let mut segments = vec!["repos", &repo.owner, &repo.name, "issues", &number];
    segments.extend_from_slice(tail);
    path(&segments)
}

fn path(segments: &[&str]) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'/')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    segments
        .iter()
        .map(|s| format!("/{}", utf8_percent_encode(s, SEGMENT)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::Repo;

    #[test]
    fn base_url_keeps_enterprise_path_and_names_host() {
        let gh = GitHub::new("https://ghe.example.com/api/v3/", None).unwrap();
        assert_eq!(gh.api_host(), "ghe.example.com");
        assert_eq!(gh.api_base(), "https://ghe.example.com/api/v3");
        let call = gh.call("GET", "/repos/o/r/issues", "list", "repository o/r");
        assert_eq!(call.endpoint, "GET /api/v3/repos/o/r/issues");
        let gh = GitHub::new("http://127.0.0.1:8080", None).unwrap();
        assert_eq!(gh.api_host(), "127.0.0.1:8080");
        assert_eq!(gh.call("GET", "/user", "", "").endpoint, "GET /user");
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(
            path(&["labels", "status/to triage"]),
            "/labels/status%2Fto%20triage"
        );
        assert_eq!(path(&["a#b", "c?d"]), "/a%23b/c%3Fd");
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
