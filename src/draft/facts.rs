//! What the reporter said when the drafter asked what text alone cannot
//! settle: where the problem lives, and whether it could be misused. Saved
//! with the draft (a draft file may carry them too, as `questions:`), shown
//! in the preview, and read by the decision.

use serde::{Deserialize, Serialize};

/// The answers, each yes, no, or not given (`None`: not asked, or "I
/// don't know").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Facts {
    /// Does it also happen on another server, or logged out?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elsewhere: Option<bool>,
    /// Does the reporter run this server?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs_server: Option<bool>,
    /// Is it about their own account: login, suspension, e-mail, 2FA?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_account: Option<bool>,
    /// Could someone misuse it to see or change what they shouldn't?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misuse: Option<bool>,
}

impl Facts {
    pub fn is_empty(&self) -> bool {
        *self == Facts::default()
    }

    /// What the answers settle on their own, if anything.
    pub fn settle(&self) -> Option<Settled> {
        if self.misuse == Some(true) {
            return Some(Settled::Security);
        }
        if self.runs_server == Some(true) {
            return Some(Settled::Troubleshooting);
        }
        if self.own_account == Some(true) {
            return Some(Settled::OwnServer);
        }
        if self.elsewhere == Some(true) {
            return Some(Settled::Software);
        }
        if self.elsewhere == Some(false) && self.runs_server == Some(false) {
            return Some(Settled::OwnServer);
        }
        None
    }

    /// The answers as the preview shows them, one line each.
    pub fn lines(&self) -> Vec<String> {
        let say =
            |q: &str, a: Option<bool>| a.map(|a| format!("{q} {}", if a { "yes" } else { "no" }));
        [
            say("Happens on another server or logged out:", self.elsewhere),
            say("Runs the server:", self.runs_server),
            say("About their own account:", self.own_account),
            say("Could be misused:", self.misuse),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Where the answers put a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// A vulnerability: the private channel, never a public issue.
    Security,
    /// The reporter runs the server: the Troubleshooting form.
    Troubleshooting,
    /// One account or one server: that server's admins.
    OwnServer,
    /// It happens elsewhere too: the software's, so it is filed.
    Software,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_answers_settle() {
        let f = |elsewhere, runs_server, own_account, misuse| Facts {
            elsewhere,
            runs_server,
            own_account,
            misuse,
        };
        assert_eq!(f(None, None, None, None).settle(), None);
        assert_eq!(
            f(Some(true), None, Some(true), Some(true)).settle(),
            Some(Settled::Security)
        );
        assert_eq!(
            f(Some(false), Some(true), Some(true), None).settle(),
            Some(Settled::Troubleshooting)
        );
        assert_eq!(
            f(None, None, Some(true), None).settle(),
            Some(Settled::OwnServer)
        );
        assert_eq!(
            f(Some(false), Some(false), None, None).settle(),
            Some(Settled::OwnServer)
        );
        // Only on one server, but maybe theirs: not settled yet.
        assert_eq!(f(Some(false), None, None, None).settle(), None);
        assert_eq!(
            f(Some(true), Some(false), None, Some(false)).settle(),
            Some(Settled::Software)
        );
        let yaml = "elsewhere: false\nruns-server: false\n";
        let parsed: Facts = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(parsed.settle(), Some(Settled::OwnServer));
        assert_eq!(parsed.lines().len(), 2);
    }
}
