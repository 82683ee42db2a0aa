//! From what the checks found to what is done on GitHub: which comment to
//! create or update, which labels to add or remove, whether to close. Pure:
//! the same inputs always give the same steps, and a dry run prints them.

use super::comment::MARKER;
use super::config::Config;
use super::event::Issue;
use crate::github::Comment;
use std::fmt;

/// One write to GitHub.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    CreateComment {
        body: String,
    },
    UpdateComment {
        id: u64,
        body: String,
    },
    AddLabels(Vec<String>),
    RemoveLabel(String),
    /// Close as not planned.
    Close,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::CreateComment { .. } => f.write_str("create the preflight comment"),
            Step::UpdateComment { id, .. } => write!(f, "update the preflight comment ({id})"),
            Step::AddLabels(l) => write!(f, "add label(s) {}", quoted(l)),
            Step::RemoveLabel(l) => write!(f, "remove label {}", quoted(std::slice::from_ref(l))),
            Step::Close => f.write_str("close the issue as not planned"),
        }
    }
}

fn quoted(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| format!("`{l}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Action's earlier comment on the issue, as far as is known.
#[derive(Debug, Clone, PartialEq)]
pub enum Existing {
    None,
    Found {
        id: u64,
        body: String,
    },
    /// The comments could not be listed: commenting now could make a second
    /// comment, so nothing is written.
    Unknown,
}

/// What the issue should look like after the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Desired {
    /// The comment, or `None` when all is well.
    pub comment: Option<String>,
    /// What an existing comment becomes when all is well.
    pub all_clear: String,
    /// Managed labels that should be on the issue.
    pub labels: Vec<String>,
    pub close: bool,
}

/// The account the Action writes its comment as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// The token's user, as `GET /user` names it (a personal access token,
    /// or a machine account's).
    Login(String),
    /// A token that cannot name its user: the workflow's `GITHUB_TOKEN`
    /// (its comments are `github-actions[bot]`'s) or a GitHub App's
    /// installation token (`<app>[bot]`). Only bot accounts then count,
    /// `github-actions[bot]` first; no person's login ends in `[bot]`.
    Bot,
}

/// The login of the workflow's `GITHUB_TOKEN`.
pub const ACTIONS_BOT: &str = "github-actions[bot]";

/// Whether a comment carries the marker where the Action puts it.
pub fn is_marked(c: &Comment) -> bool {
    c.body.trim_start().starts_with(MARKER)
}

/// The Action's own comment among `comments`: the first with the marker
/// written by `me`. Anyone can paste the marker into a comment, and the
/// token may be able to edit other people's comments, so a marked comment
/// by anyone else is never taken for ours (a new one is made instead).
pub fn find_existing(comments: &[Comment], me: &Identity) -> Existing {
    let by = |c: &Comment, login: &str| {
        c.author
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(login))
    };
    let mut marked = comments.iter().filter(|c| is_marked(c));
    let found = match me {
        Identity::Login(login) => marked.find(|c| by(c, login)),
        Identity::Bot => {
            let bots: Vec<&Comment> = marked
                .filter(|c| c.author.as_deref().is_some_and(is_bot))
                .collect();
            bots.iter()
                .find(|c| by(c, ACTIONS_BOT))
                .or_else(|| bots.first())
                .copied()
        }
    };
    match found {
        Some(c) => Existing::Found {
            id: c.id,
            body: c.body.clone(),
        },
        None => Existing::None,
    }
}

/// Why the issue is left alone, if it is.
pub fn exemption(issue: &Issue, config: &Config) -> Option<String> {
    let assoc = issue.author_association.trim();
    if !assoc.is_empty()
        && config
            .exempt
            .associations
            .iter()
            .any(|a| a.trim().eq_ignore_ascii_case(assoc))
    {
        return Some(format!(
            "#{} was opened by a repository {} ({}); issues of owners, members and collaborators are not checked (config: exempt.associations)",
            issue.number,
            assoc.to_ascii_lowercase(),
            issue.author()
        ));
    }
    let author = issue.author();
    if config
        .exempt
        .users
        .iter()
        .any(|u| u.trim().eq_ignore_ascii_case(author))
    {
        return Some(format!(
            "#{} was opened by {author}, who is exempt (config: exempt.users)",
            issue.number
        ));
    }
    if config.exempt.bots && is_bot(author) {
        return Some(format!(
            "#{} was opened by {author}, a bot; bots' issues are not checked (config: exempt.bots)",
            issue.number
        ));
    }
    if let Some(label) = issue.labels.iter().find(|l| {
        config
            .exempt
            .labels
            .iter()
            .any(|e| e.trim().eq_ignore_ascii_case(l.name.trim()))
    }) {
        return Some(format!(
            "#{} has the label `{}`, which is exempt (config: exempt.labels)",
            issue.number, label.name
        ));
    }
    None
}

/// Whether `login` is a bot's: GitHub ends every bot account's login in
/// `[bot]`, and no person's login can hold brackets.
pub fn is_bot(login: &str) -> bool {
    login.to_ascii_lowercase().ends_with("[bot]")
}

/// The steps from the issue as it is to the issue as desired: the comment
/// first (so that a reporter sees why before anything else happens), then
/// labels, then closing. Only `managed` labels are ever removed.
pub fn plan(
    desired: &Desired,
    existing: &Existing,
    current: &[String],
    managed: &[String],
) -> Vec<Step> {
    let mut steps = Vec::new();
    match (&desired.comment, existing) {
        (_, Existing::Unknown) => {}
        (Some(body), Existing::None) => steps.push(Step::CreateComment { body: body.clone() }),
        (Some(body), Existing::Found { id, body: old }) => {
            if !same_text(body, old) {
                steps.push(Step::UpdateComment {
                    id: *id,
                    body: body.clone(),
                });
            }
        }
        (None, Existing::Found { id, body: old }) => {
            if !same_text(&desired.all_clear, old) {
                steps.push(Step::UpdateComment {
                    id: *id,
                    body: desired.all_clear.clone(),
                });
            }
        }
        (None, Existing::None) => {}
    }
    let has =
        |list: &[String], l: &str| list.iter().any(|c| c.trim().eq_ignore_ascii_case(l.trim()));
    let mut add: Vec<String> = Vec::new();
    for l in &desired.labels {
        if !l.trim().is_empty() && !has(current, l) && !has(&add, l) {
            add.push(l.clone());
        }
    }
    if !add.is_empty() {
        steps.push(Step::AddLabels(add));
    }
    for l in current {
        if has(managed, l) && !has(&desired.labels, l) {
            steps.push(Step::RemoveLabel(l.clone()));
        }
    }
    // Never close without the comment that says why.
    if desired.close && *existing != Existing::Unknown {
        steps.push(Step::Close);
    }
    steps
}

/// GitHub may give back a body with `\r\n` line ends.
fn same_text(a: &str, b: &str) -> bool {
    a.replace("\r\n", "\n").trim_end() == b.replace("\r\n", "\n").trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::event::{Label, User};

    fn comment(id: u64, author: &str, body: &str) -> Comment {
        Comment {
            id,
            body: body.into(),
            author: Some(author.into()),
            url: format!("https://github.com/acme/app/issues/1#issuecomment-{id}"),
        }
    }

    fn issue(assoc: &str, login: &str, labels: &[&str]) -> Issue {
        Issue {
            number: 5,
            title: "t".into(),
            body: None,
            user: Some(User {
                login: login.into(),
            }),
            author_association: assoc.into(),
            labels: labels
                .iter()
                .map(|n| Label {
                    name: n.to_string(),
                })
                .collect(),
            state: "open".into(),
            html_url: String::new(),
            pull_request: None,
        }
    }

    fn desired(comment: Option<&str>, labels: &[&str], close: bool) -> Desired {
        Desired {
            comment: comment.map(str::to_string),
            all_clear: format!("{MARKER}\nall clear"),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            close,
        }
    }

    fn managed() -> Vec<String> {
        vec![
            "support".into(),
            "possible duplicate".into(),
            "needs info".into(),
        ]
    }

    #[test]
    fn finds_the_marked_comment_of_the_tokens_bot_only() {
        let body = format!("{MARKER}\nreport");
        let comments = [
            comment(1, "reporter", "thanks"),
            comment(2, "troll", &body),
            comment(3, "github-actions[bot]", &body),
        ];
        assert_eq!(
            find_existing(&comments, &Identity::Bot),
            Existing::Found {
                id: 3,
                body: body.clone()
            }
        );
        // A person's comment with the marker is never ours, whoever the
        // token is: a new comment is made rather than theirs edited.
        assert_eq!(
            find_existing(&comments[..2], &Identity::Bot),
            Existing::None
        );
        assert_eq!(
            find_existing(&comments[..2], &Identity::Login("preflight-bot".into())),
            Existing::None
        );
        assert_eq!(
            find_existing(&comments[..1], &Identity::Bot),
            Existing::None
        );
        // The marker quoted mid-comment is not ours.
        let quoted = comment(4, "github-actions[bot]", &format!("look: {MARKER}"));
        assert_eq!(find_existing(&[quoted], &Identity::Bot), Existing::None);
        // A deleted account's comment is nobody's.
        let mut ghost = comment(5, "x", &body);
        ghost.author = None;
        assert_eq!(find_existing(&[ghost], &Identity::Bot), Existing::None);
    }

    #[test]
    fn with_a_users_token_only_that_users_comment_is_ours() {
        let body = format!("{MARKER}\nreport");
        let comments = [
            comment(1, "troll", &body),
            comment(2, "github-actions[bot]", &body),
            comment(3, "Preflight-Bot", &body),
        ];
        let me = Identity::Login("preflight-bot".into());
        assert_eq!(
            find_existing(&comments, &me),
            Existing::Found {
                id: 3,
                body: body.clone()
            }
        );
        // Another bot's comment is not this user's.
        assert_eq!(find_existing(&comments[..2], &me), Existing::None);
    }

    #[test]
    fn without_a_login_the_actions_bot_comes_before_other_apps() {
        let body = format!("{MARKER}\nreport");
        let comments = [
            comment(1, "troll", &body),
            comment(2, "my-app[bot]", &body),
            comment(3, "github-actions[bot]", &body),
        ];
        assert_eq!(
            find_existing(&comments, &Identity::Bot),
            Existing::Found {
                id: 3,
                body: body.clone()
            }
        );
        // An App's installation token: its `<app>[bot]` comment.
        assert_eq!(
            find_existing(&comments[..2], &Identity::Bot),
            Existing::Found { id: 2, body }
        );
    }

    #[test]
    fn first_report_creates_labels_and_closes_in_order() {
        let steps = plan(
            &desired(Some("C"), &["support"], true),
            &Existing::None,
            &["bug".into()],
            &managed(),
        );
        assert_eq!(
            steps,
            [
                Step::CreateComment { body: "C".into() },
                Step::AddLabels(vec!["support".into()]),
                Step::Close
            ]
        );
    }

    #[test]
    fn an_edit_updates_the_same_comment_and_only_when_it_changed() {
        let found = Existing::Found {
            id: 9,
            body: "old\r\n".into(),
        };
        assert_eq!(
            plan(&desired(Some("new"), &[], false), &found, &[], &managed()),
            [Step::UpdateComment {
                id: 9,
                body: "new".into()
            }]
        );
        assert_eq!(
            plan(&desired(Some("old"), &[], false), &found, &[], &managed()),
            []
        );
    }

    #[test]
    fn fixed_issue_gets_the_all_clear_and_loses_managed_labels_only() {
        let found = Existing::Found {
            id: 9,
            body: "report".into(),
        };
        let current = vec!["Needs Info".to_string(), "bug".to_string()];
        let steps = plan(&desired(None, &[], false), &found, &current, &managed());
        assert_eq!(
            steps,
            [
                Step::UpdateComment {
                    id: 9,
                    body: format!("{MARKER}\nall clear")
                },
                Step::RemoveLabel("Needs Info".into())
            ]
        );
        // Already all clear: nothing to do.
        let clear = Existing::Found {
            id: 9,
            body: format!("{MARKER}\nall clear"),
        };
        assert_eq!(
            plan(&desired(None, &[], false), &clear, &[], &managed()),
            []
        );
        // A good issue never commented on gets no comment.
        assert_eq!(
            plan(&desired(None, &[], false), &Existing::None, &[], &managed()),
            []
        );
    }

    #[test]
    fn unknown_comments_mean_no_comment_and_no_closing_but_labels_still() {
        let steps = plan(
            &desired(Some("C"), &["needs info"], true),
            &Existing::Unknown,
            &[],
            &managed(),
        );
        assert_eq!(steps, [Step::AddLabels(vec!["needs info".into()])]);
    }

    #[test]
    fn labels_already_there_are_not_added_again() {
        let steps = plan(
            &desired(None, &["support", "SUPPORT"], false),
            &Existing::None,
            &["Support".into()],
            &managed(),
        );
        assert_eq!(steps, []);
    }

    #[test]
    fn exemptions_by_association_user_and_label() {
        let c = Config::default();
        assert!(exemption(&issue("MEMBER", "dev", &[]), &c)
            .unwrap()
            .contains("member"));
        assert!(exemption(&issue("OWNER", "boss", &[]), &c).is_some());
        assert!(exemption(&issue("COLLABORATOR", "helper", &[]), &c).is_some());
        assert_eq!(exemption(&issue("NONE", "someone", &[]), &c), None);
        assert_eq!(exemption(&issue("CONTRIBUTOR", "someone", &[]), &c), None);
        let mut c = Config::default();
        c.exempt.associations.clear();
        c.exempt.users.push("Renovate[bot]".into());
        c.exempt.labels.push("skip preflight".into());
        assert_eq!(exemption(&issue("MEMBER", "dev", &[]), &c), None);
        assert!(exemption(&issue("NONE", "renovate[bot]", &[]), &c).is_some());
        assert!(exemption(&issue("NONE", "x", &["Skip Preflight"]), &c)
            .unwrap()
            .contains("label"));
    }

    #[test]
    fn bots_are_exempt_by_default() {
        let c = Config::default();
        let why = exemption(&issue("NONE", "dependabot[bot]", &[]), &c).unwrap();
        assert!(why.contains("exempt.bots"), "{why}");
        assert!(exemption(&issue("NONE", "Some-App[BOT]", &[]), &c).is_some());
        assert_eq!(exemption(&issue("NONE", "botanist", &[]), &c), None);
        let mut c = Config::default();
        c.exempt.bots = false;
        assert_eq!(exemption(&issue("NONE", "dependabot[bot]", &[]), &c), None);
    }
}
