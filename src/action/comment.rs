//! The one comment the Action leaves on an issue, found again by its hidden
//! marker. Everything quoted from issues or servers is untrusted: it is made
//! one line, stripped of Markdown and HTML, and its `@mentions` and `#123`
//! references are broken with a zero-width space so that quoting them
//! pings nobody and links nothing.

use super::config::Messages;
use crate::checks::dupes::Candidate;
use crate::checks::lint::{Finding, Severity};
use crate::checks::triage::{Redirect, Triage};
use crate::mastodon::Contact;
use crate::text::printable;
use std::fmt::Write;

/// First line of every comment the Action writes.
pub const MARKER: &str = "<!-- issue-preflight -->";

const ZWSP: char = '\u{200B}';
/// Longest quote of issue text, in characters.
const QUOTE_MAX: usize = 120;

/// Values of the message placeholders, already safe Markdown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vars {
    /// `@login` of the issue's author.
    pub author: String,
    /// `owner/name`.
    pub repo: String,
    /// The server the issue names, or empty.
    pub server: String,
    /// Who runs that server and how to reach them (see [`admin_block`]).
    pub admin: String,
    /// A link to where questions go.
    pub discussions: String,
    /// The private channels for vulnerabilities.
    pub security: String,
}

impl Vars {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "author" => &self.author,
            "repo" => &self.repo,
            "server" => &self.server,
            "admin" => &self.admin,
            "discussions" => &self.discussions,
            "security" => &self.security,
            _ => return None,
        })
    }
}

/// What the checks found, as the comment tells it.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub triage: &'a Triage,
    /// Where the issue belongs instead, when the verdict is sure enough.
    pub redirect: Option<Redirect>,
    pub findings: &'a [Finding],
    /// Likely duplicates worth listing (already cut to the threshold).
    pub duplicates: &'a [Candidate],
    /// The issue is being closed.
    pub closing: bool,
}

impl Report<'_> {
    /// The findings worth telling the reporter: none when the issue belongs
    /// elsewhere (asking for a browser version of a support question is
    /// noise).
    pub fn shown_findings(&self) -> Vec<&Finding> {
        if self.redirect.is_some() {
            return Vec::new();
        }
        self.findings.iter().collect()
    }

    /// Whether there is anything to say at all.
    pub fn has_news(&self) -> bool {
        self.redirect.is_some()
            || !self.duplicates.is_empty()
            || self
                .shown_findings()
                .iter()
                .any(|f| f.severity >= Severity::Warning)
    }
}

/// The comment for `report`, or `None` when all is well.
pub fn render(report: &Report<'_>, messages: &Messages, vars: &Vars) -> Option<String> {
    if !report.has_news() {
        return None;
    }
    let mut out = format!("{MARKER}\n### Issue preflight\n");
    if let Some(to) = report.redirect {
        let (heading, text) = match to {
            Redirect::Security => ("Possible security problem", &messages.security),
            Redirect::InstanceAdmin => ("A question for your server's admins", &messages.support),
            Redirect::Discussions => ("A question rather than a bug report", &messages.question),
        };
        let _ = write!(out, "\n#### {heading}\n\n{}\n", fill(text, vars).trim_end());
    }
    // A vulnerability's details are not repeated anywhere: not in a list
    // of look-alike issues, not in the triage's quotes.
    let security = report.redirect == Some(Redirect::Security);
    if !report.duplicates.is_empty() && !security {
        let _ = write!(
            out,
            "\n#### Possible duplicates\n\n{}\n\n",
            fill(&messages.duplicate, vars).trim_end()
        );
        for c in report.duplicates {
            out.push_str(&duplicate_line(c));
            out.push('\n');
        }
    }
    let findings = report.shown_findings();
    if !findings.is_empty() {
        let _ = write!(
            out,
            "\n#### Missing or incomplete answers\n\n{}\n\n",
            fill(&messages.needs_info, vars).trim_end()
        );
        for f in findings {
            out.push_str(&finding_line(f));
            out.push('\n');
        }
    }
    out.push_str(&triage_details(report.triage, !security));
    if report.closing {
        let _ = write!(out, "\n{}\n", fill(&messages.closed, vars).trim_end());
    }
    out.push_str(FOOTER);
    Some(out)
}

const FOOTER: &str =
    "\n<sub>Checked by issue-preflight. This comment is updated when the issue is edited.</sub>\n";

/// What an earlier comment becomes once nothing is left to say.
pub fn all_clear(messages: &Messages, vars: &Vars) -> String {
    format!(
        "{MARKER}\n### Issue preflight\n\n{}\n{FOOTER}",
        fill(&messages.all_clear, vars).trim_end()
    )
}

/// A message with its placeholders replaced (unknown ones are refused when
/// the config is read, and left as they are here).
pub fn fill(template: &str, vars: &Vars) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .split_once('}')
            .and_then(|(name, tail)| Some((vars.get(name)?, tail)))
        {
            Some((value, tail)) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn duplicate_line(c: &Candidate) -> String {
    let title = inline(&c.title);
    let link = match safe_url(&c.url) {
        Some(url) => format!("[#{} {title}]({url})", c.number),
        None => format!("#{} {title}", c.number),
    };
    let mut line = format!("- {link} ({}, score {:.2})", c.state, c.score);
    if let Some(original) = c.duplicate_of {
        let _ = write!(line, ", itself a duplicate of #{original}");
    }
    if !c.why.is_empty() {
        let why: Vec<String> = c.why.iter().take(3).map(|w| inline(w)).collect();
        let _ = write!(line, "<br><sub>{}</sub>", why.join("; "));
    }
    line
}

fn finding_line(f: &Finding) -> String {
    let mut line = String::from("- ");
    if f.severity != Severity::Error {
        let _ = write!(line, "({}) ", f.severity.as_str());
    }
    if let Some(field) = &f.field {
        let _ = write!(line, "**{}**: ", inline(field));
    }
    line.push_str(&inline_with_code(&f.message));
    if !f.hint.is_empty() {
        let _ = write!(line, " ({})", inline_with_code(&f.hint));
    }
    line
}

fn triage_details(t: &Triage, quote: bool) -> String {
    let mut out = format!(
        "\n<details><summary>Triage: <b>{}</b>, confidence {:.2}</summary>\n\n",
        t.verdict.as_str(),
        t.confidence
    );
    for r in &t.reasons {
        let _ = write!(out, "- `{:+.2}` {}", r.weight, inline(&r.signal));
        if quote && !r.evidence.is_empty() {
            let _ = write!(out, ": {}", code(&r.evidence));
        }
        out.push('\n');
    }
    out.push_str("\n</details>\n");
    out
}

/// Who runs `server` and how to reach them, for `{admin}`.
pub fn admin_block(server: Option<&str>, contact: Option<&Contact>) -> String {
    let Some(server) = server.filter(|s| !s.is_empty()) else {
        return "The About page of your server (`https://YOUR-SERVER/about`) says who runs it and how to reach them.".into();
    };
    let domain = inline(server);
    let Some(c) = contact else {
        return format!(
            "The people who run **{domain}** list how to reach them on its [About page](https://{}/about).",
            url_host(server).unwrap_or("example.invalid")
        );
    };
    let mut out = format!(
        "You can reach the people who run **{}**:\n",
        inline(&c.domain)
    );
    if let Some(email) = c.email.as_deref().filter(|e| is_email(e)) {
        let _ = writeln!(out, "- by e-mail: [{email}](mailto:{email})");
    }
    if let (Some(handle), Some(account)) = (c.admin_handle(), &c.account) {
        match safe_url(&account.url) {
            Some(url) => {
                let _ = writeln!(out, "- on Mastodon: [{}]({url})", inline(&handle));
            }
            None => {
                let _ = writeln!(out, "- on Mastodon: {}", inline(&handle));
            }
        }
    }
    if let Some(url) = safe_url(&c.about_url) {
        let _ = writeln!(out, "- on its [About page]({url})");
    }
    out.trim_end().to_string()
}

/// A link for `{discussions}`: the repository's first contact link, else
/// its Discussions.
pub fn discussions_link(contact_links: &[(String, String)], repo: &str) -> String {
    match contact_links
        .iter()
        .find_map(|(name, url)| Some((name, safe_url(url)?)))
    {
        Some((name, url)) => format!("[{}]({url})", inline(name)),
        None => format!("[the Discussions](https://github.com/{repo}/discussions)"),
    }
}

/// The private channels for `{security}`, from SECURITY.md when known.
pub fn security_link(channels: &[String], repo: &str) -> String {
    let parts: Vec<String> = channels
        .iter()
        .filter_map(|ch| {
            if let Some(url) = safe_url(ch) {
                Some(format!("[the private advisory form]({url})"))
            } else if is_email(ch) {
                Some(format!("[{ch}](mailto:{ch})"))
            } else {
                None
            }
        })
        .collect();
    if parts.is_empty() {
        format!("[the security policy](https://github.com/{repo}/security/policy)")
    } else {
        parts.join(" or ")
    }
}

/// Breaks `@mentions` and `#123` references with a zero-width space.
/// E-mail addresses (`a@b`) are left alone: they mention nobody.
pub fn neutralize(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let next = chars.peek().copied();
        let mention = c == '@'
            // GitHub's mention pattern is ASCII: `é@name` pings `name`.
            && !prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '_')
            && next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '-' || n == '_');
        let reference = c == '#' && next.is_some_and(|n| n.is_ascii_digit());
        if mention || reference {
            out.push(ZWSP);
        }
        prev = Some(c);
    }
    out
}

/// Untrusted text as one line of plain Markdown: whitespace folded,
/// Markdown and HTML escaped, mentions neutralised.
pub fn inline(s: &str) -> String {
    let one_line = fold_whitespace(&printable(s));
    let mut out = String::with_capacity(one_line.len() + 8);
    for c in neutralize(&one_line).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Like [`inline`], but `` `quoted` `` parts become code spans, as lint
/// messages and hints quote labels and values that way.
pub fn inline_with_code(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() < 3 || parts.len() % 2 == 0 {
        return inline(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 && !p.is_empty() {
                code(p)
            } else {
                inline(p)
            }
        })
        .collect::<Vec<_>>()
        .join("")
}

/// Untrusted text as an inline code span (nothing inside is rendered).
pub fn code(s: &str) -> String {
    let text = neutralize(&truncate(
        &printable(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    ));
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Every run of whitespace (newlines included) as one space.
fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

fn truncate(s: &str) -> String {
    if s.chars().count() > QUOTE_MAX {
        let cut: String = s.chars().take(QUOTE_MAX).collect();
        format!("{}…", cut.trim_end())
    } else {
        s.to_string()
    }
}

/// An http(s) URL that cannot break out of a Markdown link.
fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "()<>\"'`[]\\".contains(c));
    ok.then_some(url)
}

/// The host of a bare domain a reporter typed, when it is one.
fn url_host(server: &str) -> Option<&str> {
    let s = server.trim();
    (!s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':'))
    .then_some(s)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::lint::Rule;
    use crate::checks::triage::{Reason, Verdict};
    use crate::issue::IssueState;
    use crate::mastodon::AdminAccount;

    fn triage(verdict: Verdict) -> Triage {
        Triage {
            verdict,
            confidence: 0.83,
            support: 0.83,
            scores: vec![(verdict, 0.83)],
            thresholds: crate::checks::triage::model::Thresholds {
                redirect: 0.5,
                close: 0.9,
            },
            embedded: false,
            reasons: vec![Reason {
                signal: "account-problem".into(),
                weight: 2.5,
                evidence: "my account @admin was `suspended` see #12".into(),
            }],
        }
    }

    fn finding(severity: Severity) -> Finding {
        Finding {
            code: Rule::MissingRequired,
            severity,
            field: Some("Mastodon version".into()),
            message: "is required but has no answer".into(),
            hint: "give the version from the About page".into(),
            line: None,
        }
    }

    fn candidate() -> Candidate {
        Candidate {
            number: 1234,
            title: "Replies <b>vanish</b> for @everyone [sic]".into(),
            state: IssueState::Open,
            url: "https://github.com/acme/app/issues/1234".into(),
            score: 0.81,
            why: vec!["shared phrase \"reply vanishes\"".into()],
            duplicate_of: None,
        }
    }

    fn vars() -> Vars {
        Vars {
            repo: "acme/app".into(),
            admin: "ADMIN-BLOCK".into(),
            discussions: "[Discussions](https://github.com/acme/app/discussions)".into(),
            ..Vars::default()
        }
    }

    #[test]
    fn mentions_and_references_are_broken_but_emails_kept() {
        assert_eq!(
            neutralize("hi @alice and @org/team"),
            "hi @\u{200B}alice and @\u{200B}org/team"
        );
        assert_eq!(
            neutralize("see #12, acme/app#3"),
            "see #\u{200B}12, acme/app#\u{200B}3"
        );
        assert_eq!(
            neutralize("mail admin@social.example"),
            "mail admin@social.example"
        );
        assert_eq!(
            neutralize("a # heading and a lone @"),
            "a # heading and a lone @"
        );
        // GitHub's word boundary is ASCII: a letter such as `é` before the
        // `@` does not stop the mention, so it is broken too.
        assert_eq!(neutralize("café@alice"), "café@\u{200B}alice");
        assert_eq!(inline("x\u{1b}[2J\u{202e}y"), "x\u{FFFD}\\[2J\u{FFFD}y");
    }

    #[test]
    fn inline_escapes_markdown_and_html_on_one_line() {
        let s = inline("**bold** <img src=x>\n[link](http://x) `code` @bob");
        assert_eq!(
            s,
            "\\*\\*bold\\*\\* &lt;img src=x&gt; \\[link\\](http://x) \\`code\\` @\u{200B}bob"
        );
        assert!(code(&"word ".repeat(100)).chars().count() <= QUOTE_MAX + 3);
    }

    #[test]
    fn quoted_parts_of_messages_become_code() {
        assert_eq!(
            inline_with_code("the answer `Mastodon version` is *empty*"),
            "the answer `Mastodon version` is \\*empty\\*"
        );
        assert_eq!(inline_with_code("one ` only"), "one \\` only");
        assert_eq!(inline_with_code("`@bob` <b>"), "`@\u{200B}bob` &lt;b&gt;");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("@me"), "`@\u{200B}me`");
    }

    #[test]
    fn nothing_to_say_is_no_comment() {
        let t = triage(Verdict::Bug);
        let notes = [finding(Severity::Note)];
        let r = Report {
            triage: &t,
            redirect: None,
            findings: &notes,
            duplicates: &[],
            closing: false,
        };
        assert_eq!(render(&r, &Messages::default(), &vars()), None);
    }

    #[test]
    fn support_comment_has_the_marker_redirect_and_reasons_but_no_lint() {
        let t = triage(Verdict::Support);
        let findings = [finding(Severity::Error)];
        let r = Report {
            triage: &t,
            redirect: Some(Redirect::InstanceAdmin),
            findings: &findings,
            duplicates: &[],
            closing: true,
        };
        let body = render(&r, &Messages::default(), &vars()).unwrap();
        assert!(body.starts_with(MARKER), "{body}");
        assert!(body.contains("A question for your server's admins"));
        assert!(body.contains("ADMIN-BLOCK"), "placeholder filled: {body}");
        assert!(
            !body.contains("Mastodon version"),
            "lint shown to a support question"
        );
        assert!(body.contains("Triage: <b>support</b>, confidence 0.83"));
        assert!(body.contains("`+2.50` account-problem"));
        assert!(
            body.contains("@\u{200B}admin"),
            "evidence mention not neutralised"
        );
        assert!(!body.contains("#12"), "evidence reference not neutralised");
        assert!(body.contains("Closing this as not planned"));
        assert!(body.contains("acme/app"));
    }

    #[test]
    fn bug_comment_lists_duplicates_and_findings_safely() {
        let t = triage(Verdict::Bug);
        let findings = [finding(Severity::Error), finding(Severity::Warning)];
        let dupes = [candidate()];
        let r = Report {
            triage: &t,
            redirect: None,
            findings: &findings,
            duplicates: &dupes,
            closing: false,
        };
        let body = render(&r, &Messages::default(), &vars()).unwrap();
        assert!(body.contains(
            "- [#1234 Replies &lt;b&gt;vanish&lt;/b&gt; for @\u{200B}everyone \\[sic\\]](https://github.com/acme/app/issues/1234) (open, score 0.81)"
        ), "{body}");
        assert!(body.contains("- **Mastodon version**: is required but has no answer (give the version from the About page)"), "{body}");
        assert!(body.contains("- (warning) **Mastodon version**"));
        assert!(!body.contains("Closing"));
        assert!(!body.contains("<b>vanish"));
    }

    #[test]
    fn all_clear_keeps_the_marker() {
        let body = all_clear(&Messages::default(), &vars());
        assert!(body.starts_with(MARKER));
        assert!(body.contains("everything these checks look for"));
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        let v = Vars {
            repo: "acme/app".into(),
            ..Vars::default()
        };
        assert_eq!(fill("in {repo}: {x} {repo", &v), "in acme/app: {x} {repo");
    }

    #[test]
    fn admin_block_from_contact_and_fallbacks() {
        let c = Contact {
            domain: "social.example".into(),
            title: "Example".into(),
            email: Some("help@social.example".into()),
            account: Some(AdminAccount {
                acct: "Admin".into(),
                url: "https://social.example/@Admin".into(),
                display_name: "Admin".into(),
            }),
            about_url: "https://social.example/about".into(),
            rules: vec![],
            api_version: 2,
            version: None,
        };
        let b = admin_block(Some("social.example"), Some(&c));
        assert!(
            b.contains("[help@social.example](mailto:help@social.example)"),
            "{b}"
        );
        assert!(
            b.contains("[@\u{200B}Admin@social.example](https://social.example/@Admin)"),
            "{b}"
        );
        assert!(b.contains("[About page](https://social.example/about)"));
        let b = admin_block(Some("social.example"), None);
        assert!(b.contains("https://social.example/about"), "{b}");
        assert!(admin_block(None, None).contains("YOUR-SERVER"));
        // A hostile "server" does not become a link.
        let b = admin_block(Some("x](javascript:alert(1))"), None);
        assert!(b.contains("x\\](javascript"), "{b}");
        let links = b.matches("](").count() - b.matches("\\](").count();
        assert_eq!(links, 1, "{b}");
    }

    #[test]
    fn links_only_for_plain_urls() {
        assert_eq!(safe_url("https://a.example/x"), Some("https://a.example/x"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("https://a.example/x) [y](z"), None);
        assert_eq!(
            discussions_link(
                &[("Forum".into(), "https://forum.example".into())],
                "acme/app"
            ),
            "[Forum](https://forum.example)"
        );
        assert!(discussions_link(&[], "acme/app").contains("github.com/acme/app/discussions"));
        assert_eq!(
            security_link(&["https://github.com/acme/app/security/advisories/new".into(), "sec@acme.example".into()], "acme/app"),
            "[the private advisory form](https://github.com/acme/app/security/advisories/new) or [sec@acme.example](mailto:sec@acme.example)"
        );
    }
}
