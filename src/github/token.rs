//! The GitHub token: where it comes from, and keeping it out of sight.

use std::collections::HashMap;
use std::fmt;
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use secrecy::{ExposeSecret, SecretString};

use super::GitHubError;

/// Where a token was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// The `GITHUB_TOKEN` environment variable.
    GithubToken,
    /// The `GH_TOKEN` environment variable.
    GhToken,
    /// `gh auth token`, the GitHub CLI's login.
    GhCli,
    /// Given by the program (tests, an Action input).
    Explicit,
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenSource::GithubToken => "GITHUB_TOKEN",
            TokenSource::GhToken => "GH_TOKEN",
            TokenSource::GhCli => "the output of `gh auth token`",
            TokenSource::Explicit => "the token given",
        })
    }
}

/// A GitHub token. The secret is a [`SecretString`] (zeroed when dropped,
/// never in `Debug`) and the type has no `Display`; the text is only handed
/// to the `Authorization` header, marked sensitive.
#[derive(Clone)]
pub struct Token {
    secret: SecretString,
    source: TokenSource,
}

impl PartialEq for Token {
    fn eq(&self, other: &Token) -> bool {
        self.source == other.source && self.expose() == other.expose()
    }
}

impl Eq for Token {}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token(<redacted>, from {})", self.source)
    }
}

impl Token {
    /// A token given by the program. Surrounding whitespace is trimmed;
    /// an empty token is `Ok(None)`; one that cannot go in an HTTP header is
    /// an error that does not quote it.
    pub fn new(secret: impl Into<String>) -> Result<Option<Token>, GitHubError> {
        Token::with_source(secret.into(), TokenSource::Explicit)
    }

    fn with_source(secret: String, source: TokenSource) -> Result<Option<Token>, GitHubError> {
        let trimmed = secret.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        // Visible ASCII only: anything else would make the Authorization
        // header invalid (and octocrab panics on an invalid one).
        if !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(GitHubError::BadToken {
                source_name: source.to_string(),
            });
        }
        Ok(Some(Token {
            secret: SecretString::from(trimmed),
            source,
        }))
    }

    /// Where it came from (safe to show).
    pub fn source(&self) -> TokenSource {
        self.source
    }

    pub(crate) fn expose(&self) -> &str {
        self.secret.expose_secret()
    }

    /// `GITHUB_TOKEN`, then `GH_TOKEN`, then `gh auth token` (for
    /// `gh_hostname`, e.g. `github.com` or an Enterprise host), if `gh` is
    /// on `PATH`. Failures of `gh` are ignored. `gh` runs at most once per
    /// host in a process: its answer is kept.
    pub fn discover(gh_hostname: &str) -> Result<Option<Token>, GitHubError> {
        Token::discover_with(
            |name| std::env::var(name).ok(),
            || gh_auth_token(gh_hostname),
        )
    }

    /// [`Token::discover`] with the environment and the `gh` call supplied,
    /// for tests.
    pub fn discover_with(
        env: impl Fn(&str) -> Option<String>,
        gh: impl FnOnce() -> Option<String>,
    ) -> Result<Option<Token>, GitHubError> {
        for (var, source) in [
            ("GITHUB_TOKEN", TokenSource::GithubToken),
            ("GH_TOKEN", TokenSource::GhToken),
        ] {
            if let Some(value) = env(var) {
                if let Some(token) = Token::with_source(value, source)? {
                    return Ok(Some(token));
                }
            }
        }
        match gh() {
            // A bad answer from `gh` is ignored rather than fatal.
            Some(out) => Ok(Token::with_source(out, TokenSource::GhCli).unwrap_or(None)),
            None => Ok(None),
        }
    }
}

/// What `gh auth token` said, per host, for the rest of the process.
fn gh_answers() -> &'static Mutex<HashMap<String, Option<SecretString>>> {
    static ANSWERS: OnceLock<Mutex<HashMap<String, Option<SecretString>>>> = OnceLock::new();
    ANSWERS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// `gh auth token [--hostname HOST]`, run once per host and process.
fn gh_auth_token(hostname: &str) -> Option<String> {
    let key = hostname.to_ascii_lowercase();
    let mut answers = gh_answers().lock().unwrap_or_else(|p| p.into_inner());
    let answer = answers
        .entry(key)
        .or_insert_with(|| run_gh_auth_token(hostname).map(SecretString::from));
    answer.as_ref().map(|s| s.expose_secret().to_string())
}

/// Runs `gh auth token [--hostname HOST]` directly (no shell), only when a
/// `gh` executable is on `PATH`. Any failure gives `None`.
fn run_gh_auth_token(hostname: &str) -> Option<String> {
    let gh = which::which("gh").ok()?;
    let mut cmd = Command::new(gh);
    cmd.arg("auth").arg("token");
    if !hostname.eq_ignore_ascii_case("github.com") {
        cmd.arg("--hostname").arg(hostname);
    }
    let out = cmd
        .env("GH_PROMPT_DISABLED", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .stdout(Stdio::piped())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn github_token_wins_over_gh_token_and_gh() {
        let t = Token::discover_with(
            env(&[("GITHUB_TOKEN", " ghp_a \n"), ("GH_TOKEN", "ghp_b")]),
            || panic!("gh must not run when a variable is set"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(t.expose(), "ghp_a");
        assert_eq!(t.source(), TokenSource::GithubToken);
    }

    #[test]
    fn empty_github_token_falls_through_to_gh_token() {
        let t = Token::discover_with(
            env(&[("GITHUB_TOKEN", "  "), ("GH_TOKEN", "ghp_b")]),
            || None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(t.source(), TokenSource::GhToken);
    }

    #[test]
    fn gh_cli_is_last_and_its_failure_is_ignored() {
        let t = Token::discover_with(env(&[]), || Some("gho_c\n".into()))
            .unwrap()
            .unwrap();
        assert_eq!(t.source(), TokenSource::GhCli);
        assert_eq!(t.expose(), "gho_c");
        assert!(Token::discover_with(env(&[]), || None).unwrap().is_none());
        assert!(Token::discover_with(env(&[]), || Some("two words".into()))
            .unwrap()
            .is_none());
    }

    #[test]
    fn bad_token_is_an_error_that_does_not_quote_it() {
        let err =
            Token::discover_with(env(&[("GITHUB_TOKEN", "ghp_se cret")]), || None).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("GITHUB_TOKEN"), "{text}");
        assert!(
            !text.contains("se cret") && !text.contains("ghp_se"),
            "{text}"
        );
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn debug_is_redacted() {
        let t = Token::new("ghp_supersecret").unwrap().unwrap();
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("supersecret"), "{dbg}");
        assert!(dbg.contains("redacted"));
    }
}
