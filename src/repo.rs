//! `OWNER/NAME`: the repository a command works on.

use std::fmt;
use std::str::FromStr;

/// The repository whose forms and issues are used when none is named.
pub const DEFAULT_REPO: &str = "mastodon/mastodon";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Repo {
    pub owner: String,
    pub name: String,
}

impl Repo {
    pub fn mastodon() -> Self {
        DEFAULT_REPO
            .parse()
            .expect("default repository is well formed")
    }

    pub fn is_mastodon(&self) -> bool {
        self.owner.eq_ignore_ascii_case("mastodon") && self.name.eq_ignore_ascii_case("mastodon")
    }

    /// `https://github.com/OWNER/NAME`, for links shown to people.
    pub fn html_url(&self) -> String {
        format!("https://github.com/{}/{}", self.owner, self.name)
    }
}

impl fmt::Display for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// A repository name that is not `OWNER/NAME`.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a repository: write it as OWNER/NAME, e.g. mastodon/mastodon")]
pub struct BadRepo(pub String);

impl FromStr for Repo {
    type Err = BadRepo;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        match s.trim().split_once('/') {
            Some((owner, name)) if valid(owner) && valid(name) => Ok(Repo {
                owner: owner.to_string(),
                name: name.to_string(),
            }),
            _ => Err(BadRepo(s.to_string())),
        }
    }
}
