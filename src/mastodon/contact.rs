//! What a server says about its administration, and making it safe to
//! show: everything a server sends is untrusted text that ends up on a
//! terminal or in a comment, so control characters (escape sequences,
//! bidi overrides) are removed, lengths capped, addresses checked.

use serde::{Deserialize, Serialize};
use url::Url;

use super::ServerAddr;

/// What a server says about its administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// The server's domain, as it names itself (`mastodon.social`).
    pub domain: String,
    /// Its display title.
    pub title: String,
    /// The contact e-mail address, when the admins published one.
    pub email: Option<String>,
    /// The account to write to, when the admins chose one.
    pub account: Option<AdminAccount>,
    /// The about page (`https://DOMAIN/about`) of the server that answered.
    pub about_url: String,
    /// The server rules, in order.
    pub rules: Vec<String>,
    /// 2 when `/api/v2/instance` answered, 1 for the older API.
    pub api_version: u8,
    /// The Mastodon version the server runs, as it says it
    /// (`4.5.0-nightly.2025-07-11`, `4.3.2+glitch`).
    pub version: Option<String>,
}

impl Contact {
    /// The admin account as a full handle, `@Mastodon@mastodon.social`.
    pub fn admin_handle(&self) -> Option<String> {
        let acct = &self.account.as_ref()?.acct;
        if acct.is_empty() {
            return None;
        }
        Some(if acct.contains('@') {
            format!("@{}", acct.trim_start_matches('@'))
        } else {
            format!("@{acct}@{}", self.domain)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminAccount {
    /// As the server gives it: `Mastodon` for a local account.
    pub acct: String,
    /// The profile page (`https://mastodon.social/@Mastodon`); empty if the
    /// server gave none that is an http(s) URL.
    pub url: String,
    pub display_name: String,
}

/// Untrusted text made safe to print: no control or bidi-override
/// characters, whitespace folded, length capped.
pub(super) fn clean(text: &str, max_chars: usize) -> String {
    let no_controls: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}'))
        .collect();
    let folded = no_controls.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > max_chars {
        let mut cut: String = folded.chars().take(max_chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        folded
    }
}

fn clean_email(email: Option<String>) -> Option<String> {
    let e = clean(email.as_deref()?, 320);
    let plausible = e.contains('@') && !e.contains(' ') && !e.starts_with('@') && !e.ends_with('@');
    plausible.then_some(e)
}

/// A version as a server gives it, made safe: one short word.
fn clean_version(version: Option<String>) -> Option<String> {
    let v = clean(version.as_deref()?, 80);
    (!v.is_empty() && !v.contains(' ')).then_some(v)
}

fn clean_url(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u.to_string(),
        _ => String::new(),
    }
}

pub(super) fn clean_rules(rules: &[RawRule]) -> Vec<String> {
    rules
        .iter()
        .map(|r| clean(&r.text, 1000))
        .filter(|t| !t.is_empty())
        .collect()
}

// ----- the servers' JSON, cut to what is used ---------------------------------

#[derive(Deserialize)]
struct RawAccount {
    #[serde(default)]
    acct: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    url: Option<String>,
}

impl RawAccount {
    fn into_admin(self) -> Option<AdminAccount> {
        let acct = if self.acct.trim().is_empty() {
            self.username
        } else {
            self.acct
        };
        let acct = clean(&acct, 200);
        if acct.is_empty() {
            return None;
        }
        Some(AdminAccount {
            acct,
            url: clean_url(self.url.as_deref().unwrap_or("")),
            display_name: clean(&self.display_name, 200),
        })
    }
}

#[derive(Deserialize)]
pub(super) struct RawRule {
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
pub(super) struct V2 {
    pub(super) domain: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    contact: Option<V2Contact>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
struct V2Contact {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    account: Option<RawAccount>,
}

impl V2 {
    pub(super) fn into_contact(self, answered: &ServerAddr) -> Contact {
        let contact = self.contact.unwrap_or(V2Contact {
            email: None,
            account: None,
        });
        Contact {
            domain: clean(&self.domain, 253),
            title: clean(&self.title, 200),
            email: clean_email(contact.email),
            account: contact.account.and_then(RawAccount::into_admin),
            about_url: answered.about_url(),
            rules: clean_rules(&self.rules),
            api_version: 2,
            version: clean_version(self.version),
        }
    }
}

#[derive(Deserialize)]
pub(super) struct V1 {
    pub(super) uri: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    contact_account: Option<RawAccount>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

impl V1 {
    pub(super) fn into_contact(self, answered: &ServerAddr) -> Contact {
        // `uri` is the bare domain on Mastodon, a URL on some other servers.
        let uri = self.uri.trim();
        let domain = uri
            .split_once("://")
            .map_or(uri, |(_, rest)| rest)
            .trim_end_matches('/');
        Contact {
            domain: clean(domain, 253),
            title: clean(&self.title, 200),
            email: clean_email(self.email),
            account: self.contact_account.and_then(RawAccount::into_admin),
            about_url: answered.about_url(),
            rules: clean_rules(&self.rules),
            api_version: 1,
            version: clean_version(self.version),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_loses_escape_sequences() {
        assert_eq!(clean("Evil\u{1b}[2J\nTitle\u{202E}", 100), "Evil [2J Title");
        assert_eq!(clean("abcdef", 4), "abc…");
        assert_eq!(clean_email(Some(String::new())), None);
        assert_eq!(
            clean_email(Some("staff@mastodon.social".into())).as_deref(),
            Some("staff@mastodon.social")
        );
        assert_eq!(clean_url("javascript:alert(1)"), "");
    }

    #[test]
    fn handle_is_qualified_with_the_domain() {
        let c = Contact {
            domain: "mastodon.social".into(),
            title: "Mastodon".into(),
            email: None,
            account: Some(AdminAccount {
                acct: "Gargron".into(),
                url: String::new(),
                display_name: String::new(),
            }),
            about_url: String::new(),
            rules: vec![],
            api_version: 2,
            version: None,
        };
        assert_eq!(
            c.admin_handle().as_deref(),
            Some("@Gargron@mastodon.social")
        );
    }
}
