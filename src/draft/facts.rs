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

/// One of the questions the drafter may ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    Elsewhere,
    RunsServer,
    OwnAccount,
    Misuse,
}

/// The most questions one draft is asked.
pub const MAX_QUESTIONS: usize = 3;

impl Question {
    /// The question, as the reporter reads it.
    pub fn text(self) -> &'static str {
        match self {
            Question::Elsewhere => "Does it also happen on another server, or when logged out?",
            Question::RunsServer => "Do you run this server yourself (are you its admin)?",
            Question::OwnAccount => {
                "Is it about your own account: logging in, a suspension, e-mail, two-factor?"
            }
            Question::Misuse => "Could someone misuse this to see or change what they shouldn't?",
        }
    }

    /// One line on why it matters.
    pub fn why(self) -> &'static str {
        match self {
            Question::Elsewhere => {
                "a problem only one server has is for its admins; one every server has is Mastodon's"
            }
            Question::RunsServer => {
                "an admin's own install has its own form, which asks for logs and versions"
            }
            Question::OwnAccount => {
                "only your server's admins can see and change your account; the developers cannot"
            }
            Question::Misuse => "a vulnerability must never be reported in public",
        }
    }

    /// Records the answer (`None`: "I don't know").
    pub fn record(self, facts: &mut Facts, answer: Option<bool>) {
        let slot = match self {
            Question::Elsewhere => &mut facts.elsewhere,
            Question::RunsServer => &mut facts.runs_server,
            Question::OwnAccount => &mut facts.own_account,
            Question::Misuse => &mut facts.misuse,
        };
        *slot = answer;
    }
}

impl Facts {
    /// The next question worth asking, given the answers so far and the
    /// questions already asked (in order), or `None` once the answers
    /// settle the draft or [`MAX_QUESTIONS`] were asked.
    ///
    /// First: elsewhere too? A problem every server has is the software's,
    /// so then only "could it be misused" is left. Otherwise: do you run
    /// the server (its admin's trouble has its own form)? Not run by them
    /// and only on their server settles it; else: is it their own account?
    pub fn next_question(&self, asked: &[Question]) -> Option<Question> {
        if asked.len() >= MAX_QUESTIONS || self.settle().is_some_and(|s| s != Settled::Software) {
            return None;
        }
        let open = |q: Question| (!asked.contains(&q)).then_some(q);
        if !asked.contains(&Question::Elsewhere) {
            return Some(Question::Elsewhere);
        }
        if self.elsewhere == Some(true) {
            return open(Question::Misuse);
        }
        open(Question::RunsServer).or_else(|| open(Question::OwnAccount))
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

    /// Answers `answers` in turn to whatever is asked next; the questions
    /// asked and the facts.
    fn interview(answers: &[Option<bool>]) -> (Vec<Question>, Facts) {
        let mut facts = Facts::default();
        let mut asked = Vec::new();
        let mut given = answers.iter();
        while let Some(q) = facts.next_question(&asked) {
            let a = *given.next().expect("asked more than the test answers");
            q.record(&mut facts, a);
            asked.push(q);
        }
        (asked, facts)
    }

    #[test]
    fn at_most_three_questions_each_settling_what_it_can() {
        use Question::*;
        // Only on my server, which I don't run: settled, two questions.
        let (asked, f) = interview(&[Some(false), Some(false)]);
        assert_eq!(asked, [Elsewhere, RunsServer]);
        assert_eq!(f.settle(), Some(Settled::OwnServer));
        // I run it: the Troubleshooting form.
        let (asked, f) = interview(&[Some(false), Some(true)]);
        assert_eq!(asked, [Elsewhere, RunsServer]);
        assert_eq!(f.settle(), Some(Settled::Troubleshooting));
        // Everywhere: only misuse is left to ask.
        let (asked, f) = interview(&[Some(true), Some(true)]);
        assert_eq!(asked, [Elsewhere, Misuse]);
        assert_eq!(f.settle(), Some(Settled::Security));
        let (_, f) = interview(&[Some(true), Some(false)]);
        assert_eq!(f.settle(), Some(Settled::Software));
        // Don't know, don't run it: is it your account?
        let (asked, f) = interview(&[None, Some(false), Some(true)]);
        assert_eq!(asked, [Elsewhere, RunsServer, OwnAccount]);
        assert_eq!(f.settle(), Some(Settled::OwnServer));
        // Three "don't know": three questions, nothing settled.
        let (asked, f) = interview(&[None, None, None]);
        assert_eq!(asked.len(), MAX_QUESTIONS);
        assert_eq!(f.settle(), None);
    }

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
