//! `.github/preflight.yml`: what the Action does with its findings.
//!
//! Every key is optional; a missing file at the default path means the
//! defaults. Unknown keys, unknown placeholders and impossible values are
//! refused with their name, so a typo never silently does nothing.

use crate::checks::triage::Verdict;
use crate::decision::Policy;
use crate::error::Error;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where the config is looked for when none is named.
pub const DEFAULT_PATH: &str = ".github/preflight.yml";

/// The placeholders a message may use; see [`super::comment::Vars`].
pub const PLACEHOLDERS: [&str; 6] = [
    "author",
    "repo",
    "server",
    "admin",
    "discussions",
    "security",
];

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Config {
    /// The decision's thresholds (`list` is an old name of `offer`).
    pub thresholds: Policy,
    pub labels: Labels,
    /// Verdicts whose issues are closed as not planned: `support`, `question`.
    pub close: Vec<String>,
    pub exempt: Exempt,
    /// At most this many likely duplicates are listed.
    pub max_duplicates: usize,
    /// An issue index (`preflight index sync`) to rank duplicates against,
    /// e.g. restored by actions/cache; without one, the search API is used.
    pub index: Option<PathBuf>,
    /// Ask the server a support question names for its admin contact.
    pub contact_lookup: bool,
    pub messages: Messages,
}

/// Label names; an empty name turns that label off.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Labels {
    pub support: String,
    pub duplicate: String,
    pub needs_info: String,
}

/// Issues left alone.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Exempt {
    /// GitHub's `author_association` values, e.g. OWNER, MEMBER,
    /// COLLABORATOR; `[]` checks everyone's issues.
    pub associations: Vec<String>,
    /// Logins, e.g. `dependabot[bot]`.
    pub users: Vec<String>,
    /// Leave alone issues of bots: logins ending in `[bot]` (GitHub Apps,
    /// Dependabot, Renovate). They file on purpose, and a comment asking
    /// them for their browser version helps nobody.
    pub bots: bool,
    pub labels: Vec<String>,
}

/// The texts of the comment. Placeholders: see [`PLACEHOLDERS`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Messages {
    pub support: String,
    pub question: String,
    pub security: String,
    pub duplicate: String,
    pub needs_info: String,
    pub closed: String,
    pub all_clear: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            thresholds: Policy::default(),
            labels: Labels::default(),
            close: Vec::new(),
            exempt: Exempt::default(),
            max_duplicates: 5,
            index: None,
            contact_lookup: true,
            messages: Messages::default(),
        }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            support: "support".into(),
            duplicate: "possible duplicate".into(),
            needs_info: "needs info".into(),
        }
    }
}

impl Default for Exempt {
    fn default() -> Self {
        Exempt {
            associations: vec!["OWNER".into(), "MEMBER".into(), "COLLABORATOR".into()],
            users: Vec::new(),
            bots: true,
            labels: Vec::new(),
        }
    }
}

impl Default for Messages {
    fn default() -> Self {
        Messages {
            support: "This looks like a problem with one account or one server rather than a bug in the software. \
                      Only the people who run your server can look into it: the developers here cannot see or change anything on it.\n\n{admin}"
                .into(),
            question: "This looks like a question about using or running the software. \
                       Questions get better answers in {discussions}, where others who had the same question can find them."
                .into(),
            security: "This may describe a security vulnerability. Please do not add details here: \
                       report it privately through {security}, so that it can be fixed before it is public."
                .into(),
            duplicate: "This may have been reported before. If one of these is the same problem, \
                        please add what you know there (a reaction helps more than a new issue):"
                .into(),
            needs_info: "Some answers the form asks for are missing or still hold its example text. \
                         Please edit the issue to add them:"
                .into(),
            closed: "Closing this as not planned, since it is not something that can be fixed in {repo}. \
                     If it is a bug in the software after all, say so here and it can be reopened."
                .into(),
            all_clear: "Thanks! The issue now has everything these checks look for.".into(),
        }
    }
}

impl Config {
    /// Reads the config. `path` is what `--config` / `PREFLIGHT_CONFIG`
    /// named; a missing file is only an error when it is not the default.
    pub fn load(path: Option<&Path>) -> Result<Config, Error> {
        let path = path.unwrap_or(Path::new(DEFAULT_PATH));
        if path == Path::new(DEFAULT_PATH) && std::fs::symlink_metadata(path).is_err() {
            return Ok(Config::default());
        }
        let text = crate::files::read_text_file(path).map_err(|e| match e {
            Error::Input { path, reason } => Error::Input {
                path,
                reason: format!(
                    "{reason} (the preflight config; fix the path or remove the `config` input)"
                ),
            },
            e => e,
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    /// Parses and validates config text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, Error> {
        let config = match crate::yaml::from_str::<Option<Config>>(text) {
            Ok(c) => c.unwrap_or_default(),
            Err(e) => {
                return Err(Error::Form {
                    file: file.to_string(),
                    line: e.line,
                    col: e.col,
                    message: e.message,
                });
            }
        };
        config.validate().map_err(|message| Error::Form {
            file: file.to_string(),
            line: 1,
            col: 1,
            message,
        })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        self.thresholds.validate()?;
        for v in &self.close {
            if closable(v).is_none() {
                return Err(format!(
                    "close: `{}` cannot close an issue; only `support` and `question` can",
                    crate::text::printable_cut(v, 40)
                ));
            }
        }
        let m = &self.messages;
        for (key, text) in [
            ("support", &m.support),
            ("question", &m.question),
            ("security", &m.security),
            ("duplicate", &m.duplicate),
            ("needs-info", &m.needs_info),
            ("closed", &m.closed),
            ("all-clear", &m.all_clear),
        ] {
            if let Some(bad) = placeholders(text).find(|p| !PLACEHOLDERS.contains(p)) {
                return Err(format!(
                    "messages.{key} uses the unknown placeholder `{{{bad}}}`; known: {}",
                    PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Label names from the Action's inputs (`PREFLIGHT_LABEL_*`), where
    /// given and not empty, win over the file.
    pub fn apply_label_inputs(&mut self, var: impl Fn(&str) -> Option<String>) {
        let given = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        if let Some(v) = given("PREFLIGHT_LABEL_SUPPORT") {
            self.labels.support = v;
        }
        if let Some(v) = given("PREFLIGHT_LABEL_DUPLICATE") {
            self.labels.duplicate = v;
        }
        if let Some(v) = given("PREFLIGHT_LABEL_NEEDS_INFO") {
            self.labels.needs_info = v;
        }
    }

    /// Whether an issue with this verdict is closed; `close_support` is
    /// the `--close-support` switch, which closes support questions and
    /// questions.
    pub fn closes(&self, verdict: Verdict, close_support: bool) -> bool {
        let listed = self.close.iter().any(|v| closable(v) == Some(verdict));
        listed || (close_support && matches!(verdict, Verdict::Support | Verdict::Question))
    }

    /// The labels this Action manages (and so may remove), without the
    /// ones turned off.
    pub fn managed_labels(&self) -> Vec<String> {
        [
            &self.labels.support,
            &self.labels.duplicate,
            &self.labels.needs_info,
        ]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .cloned()
        .collect()
    }
}

fn closable(name: &str) -> Option<Verdict> {
    match name.trim().to_ascii_lowercase().as_str() {
        "support" => Some(Verdict::Support),
        "question" => Some(Verdict::Question),
        _ => None,
    }
}

/// The `{name}` placeholders of a message text.
pub fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| {
        let (name, _) = rest.split_once('}')?;
        (!name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, ".github/preflight.yml").map_err(|e| e.to_string())
    }

    #[test]
    fn empty_or_comment_only_file_is_the_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(parse("# nothing yet\n").unwrap(), Config::default());
    }

    #[test]
    fn keys_are_kebab_case_and_partial_tables_keep_their_defaults() {
        let c = parse(
            "thresholds:\n  duplicate: 0.9\nlabels:\n  needs-info: 'status: needs info'\nclose: [support]\nmax-duplicates: 3\nexempt:\n  associations: []\n  users: ['dependabot[bot]']\n",
        )
        .unwrap();
        assert_eq!(c.thresholds.duplicate, Some(0.9));
        assert_eq!(c.thresholds.redirect, Policy::default().redirect);
        assert_eq!(c.labels.needs_info, "status: needs info");
        assert_eq!(c.labels.support, "support");
        assert_eq!(c.max_duplicates, 3);
        assert!(c.exempt.associations.is_empty());
        assert_eq!(c.exempt.users, ["dependabot[bot]"]);
        assert!(c.closes(Verdict::Support, false));
        assert!(!c.closes(Verdict::Question, false));
        assert!(c.closes(Verdict::Question, true));
        assert!(!c.closes(Verdict::Bug, true));
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name_and_place() {
        let e = parse("labels:\n  suport: help\n").unwrap_err();
        assert!(e.contains("unknown field `suport`"), "{e}");
        assert!(e.starts_with(".github/preflight.yml:2:"), "{e}");
        let e = parse("close-support: true\n").unwrap_err();
        assert!(e.contains("unknown field `close-support`"), "{e}");
        // snake_case is not the spelling.
        let e = parse("max_duplicates: 2\n").unwrap_err();
        assert!(e.contains("unknown field `max_duplicates`"), "{e}");
    }

    #[test]
    fn impossible_values_are_refused_by_name() {
        let e = parse("thresholds:\n  list: 5\n").unwrap_err();
        assert!(e.contains("thresholds.offer is 5"), "{e}");
        let e = parse("close: [bug]\n").unwrap_err();
        assert!(e.contains("close: `bug` cannot close"), "{e}");
        let e = parse("messages:\n  support: 'Ask {admn}'\n").unwrap_err();
        assert!(
            e.contains("messages.support uses the unknown placeholder `{admn}`"),
            "{e}"
        );
        let e = parse("labels: [a, b]\n").unwrap_err();
        assert!(e.contains("labels"), "{e}");
    }

    #[test]
    fn missing_default_file_is_the_defaults_but_a_named_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let named = dir.path().join("preflight.yml");
        let e = Config::load(Some(&named)).unwrap_err().to_string();
        assert!(
            e.contains("preflight.yml") && e.contains("no such file"),
            "{e}"
        );
        std::fs::write(&named, "max-duplicates: 1\n").unwrap();
        assert_eq!(Config::load(Some(&named)).unwrap().max_duplicates, 1);
    }

    #[test]
    fn label_inputs_win_when_given() {
        let mut c = parse("labels:\n  support: from-file\n  duplicate: dup\n").unwrap();
        c.apply_label_inputs(|k| match k {
            "PREFLIGHT_LABEL_SUPPORT" => Some("from-input".into()),
            "PREFLIGHT_LABEL_DUPLICATE" => Some("  ".into()),
            _ => None,
        });
        assert_eq!(c.labels.support, "from-input");
        assert_eq!(c.labels.duplicate, "dup");
        assert_eq!(c.labels.needs_info, "needs info");
    }

    #[test]
    fn empty_label_names_are_not_managed() {
        let c = parse("labels:\n  duplicate: ''\n").unwrap();
        assert_eq!(c.managed_labels(), ["support", "needs info"]);
    }

    #[test]
    fn default_messages_use_only_known_placeholders() {
        Config::default().validate().unwrap();
        assert_eq!(
            placeholders("a {admin} b {x y} {} {repo}").collect::<Vec<_>>(),
            ["admin", "repo"]
        );
    }
}
