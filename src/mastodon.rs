//! Who administers a Mastodon server, and how to reach them.
//!
//! A server publishes its admin contact: `GET /api/v2/instance` gives
//! `contact.email` and `contact.account` (Mastodon 4.0+), older servers
//! answer `GET /api/v1/instance` with `email` and `contact_account`. Rules
//! come with either, or from `GET /api/v1/instance/rules`.
//!
//! Everything a server says is untrusted text that ends up on a terminal:
//! control characters (escape sequences, bidi overrides) are removed.

use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::{Deserialize, Serialize};

/// Largest instance answer read (the real ones are tens of kilobytes).
const MAX_BODY: usize = 2 * 1024 * 1024;

const USER_AGENT: &str = concat!(
    "issue-preflight/",
    env!("CARGO_PKG_VERSION"),
    " (admin contact lookup)"
);

/// A server to ask, once the user's input is made sense of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddr {
    /// Scheme and authority, no trailing slash: `https://mastodon.social`
    /// (or `http://127.0.0.1:PORT` when given so).
    pub base: String,
    /// Host, with the port when one was given: `mastodon.social`.
    pub domain: String,
}

impl ServerAddr {
    /// The server's public about page, where the contact is shown.
    pub fn about_url(&self) -> String {
        format!("{}/about", self.base)
    }

    fn from_url(url: &Url) -> Option<ServerAddr> {
        let host = url.host_str()?;
        let domain = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        Some(ServerAddr {
            base: format!("{}://{domain}", url.scheme()),
            domain,
        })
    }
}

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

/// Why the contact could not be found; one sentence naming the host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("`{input}` is not a Mastodon server address; give the server's domain, e.g. mastodon.social")]
    BadServer { input: String },

    #[error("could not reach {host}: {detail}; see {about_url} for its contact")]
    Unreachable {
        host: String,
        detail: String,
        about_url: String,
    },

    #[error("{host} did not answer within {waited}; see {about_url} for its contact")]
    Timeout {
        host: String,
        waited: String,
        about_url: String,
    },

    #[error(
        "{host} answered HTTP {status} when asked who runs it; see {about_url} for its contact"
    )]
    Http {
        host: String,
        status: u16,
        about_url: String,
    },

    #[error("{host} does not answer like a Mastodon server (no instance API); check the domain, or see {about_url}")]
    NotMastodon { host: String, about_url: String },
}

impl ContactError {
    /// 2 for input the user must fix, 3 for network failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            ContactError::BadServer { .. } => 2,
            _ => 3,
        }
    }
}

/// Makes sense of what a reporter types for "your server": a domain
/// (`mastodon.social`), a handle (`@alice@mastodon.social`,
/// `acct:alice@mastodon.social`), a profile or any other page URL
/// (`https://mastodon.social/@alice`, also with trailing slashes), or a base
/// URL (`http://127.0.0.1:3000`) used as is. A profile URL of a remote
/// account (`https://a.example/@bob@b.example`) names bob's server.
pub fn normalize_server(input: &str) -> Result<ServerAddr, ContactError> {
    let bad = || ContactError::BadServer {
        input: clean(input, 100),
    };
    let s = input.trim();
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return Err(bad());
    }

    if let Some((scheme, _)) = s.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(bad());
        }
        let url = Url::parse(s).map_err(|_| bad())?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad());
        }
        // `https://a.example/@bob@b.example`: bob lives on b.example.
        let first = url.path_segments().and_then(|mut p| p.next()).unwrap_or("");
        if let Some(remote) = remote_domain_of_profile(first) {
            return from_domain(remote).ok_or_else(bad);
        }
        let addr = ServerAddr::from_url(&url).ok_or_else(bad)?;
        return if plausible_host(&url) {
            Ok(addr)
        } else {
            Err(bad())
        };
    }

    let s = strip_prefix_ignore_case(s, "acct:").unwrap_or(s);
    let s = s.trim_start_matches('@');
    let (host_part, path) = match s.split_once('/') {
        Some((h, p)) => (h, p),
        None => (s, ""),
    };
    let first = path.split('/').next().unwrap_or("");
    let domain = if let Some((_, d)) = host_part.rsplit_once('@') {
        d
    } else if let Some(remote) = remote_domain_of_profile(first) {
        remote
    } else {
        host_part
    };
    from_domain(domain).ok_or_else(bad)
}

/// `@bob@b.example` (a path segment) → `b.example`.
fn remote_domain_of_profile(segment: &str) -> Option<&str> {
    let handle = segment.strip_prefix('@')?;
    let (_, domain) = handle.split_once('@')?;
    (!domain.is_empty()).then_some(domain)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn from_domain(domain: &str) -> Option<ServerAddr> {
    let domain = domain.trim_end_matches('/');
    if domain.is_empty() || domain.contains(['@', '/', '?', '#', '\\']) {
        return None;
    }
    let url = Url::parse(&format!("https://{domain}")).ok()?;
    if !plausible_host(&url) || url.path() != "/" {
        return None;
    }
    ServerAddr::from_url(&url)
}

/// A domain with a dot, `localhost`, or an IP address: not a bare word like
/// `mastodon`, which is more likely a mistake than a server.
fn plausible_host(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    let d = host.trim_end_matches('.');
    d == "localhost" || (d.contains('.') && !d.starts_with('.') && !d.contains(".."))
}

/// The contact of `server` (see [`normalize_server`] for what it may be),
/// each request limited to `timeout`.
pub async fn lookup_contact(server: &str, timeout: Duration) -> Result<Contact, ContactError> {
    let addr = normalize_server(server)?;
    lookup_contact_at(&addr, timeout).await
}

/// [`lookup_contact`] for an address already normalised.
pub async fn lookup_contact_at(
    addr: &ServerAddr,
    timeout: Duration,
) -> Result<Contact, ContactError> {
    let client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .map_err(|e| ContactError::Unreachable {
            host: addr.domain.clone(),
            detail: format!(
                "the HTTP client could not be set up ({})",
                clean(&e.to_string(), 200)
            ),
            about_url: addr.about_url(),
        })?;
    let asker = Asker { client, timeout };
    match asker.instance(addr).await {
        Err(ContactError::NotMastodon { .. }) => {
            // The account domain may differ from the web domain
            // (`@alice@example.com` served by social.example.com); host-meta
            // says where the server really is.
            if let Some(web) = asker.host_meta(addr).await {
                if web.domain != addr.domain {
                    if let Ok(contact) = asker.instance(&web).await {
                        return Ok(contact);
                    }
                }
            }
            Err(ContactError::NotMastodon {
                host: addr.domain.clone(),
                about_url: addr.about_url(),
            })
        }
        other => other,
    }
}

struct Asker {
    client: reqwest::Client,
    timeout: Duration,
}

/// What one GET gave.
enum Got {
    Body { bytes: Vec<u8>, final_url: Url },
    Status(StatusCode),
}

impl Asker {
    async fn instance(&self, addr: &ServerAddr) -> Result<Contact, ContactError> {
        let v2 = self.get(addr, "/api/v2/instance").await?;
        let v2_status = match v2 {
            Got::Body { bytes, final_url } => match serde_json::from_slice::<V2>(&bytes) {
                Ok(v2) if !v2.domain.trim().is_empty() => {
                    let answered = ServerAddr::from_url(&final_url).unwrap_or_else(|| addr.clone());
                    let mut contact = v2.into_contact(&answered);
                    if contact.rules.is_empty() {
                        contact.rules = self.rules(&answered).await;
                    }
                    return Ok(contact);
                }
                _ => None,
            },
            Got::Status(s) => Some(s),
        };
        let v1_status = match self.get(addr, "/api/v1/instance").await? {
            Got::Body { bytes, final_url } => match serde_json::from_slice::<V1>(&bytes) {
                Ok(v1) if !v1.uri.trim().is_empty() => {
                    let answered = ServerAddr::from_url(&final_url).unwrap_or_else(|| addr.clone());
                    let mut contact = v1.into_contact(&answered);
                    if contact.rules.is_empty() {
                        contact.rules = self.rules(&answered).await;
                    }
                    return Ok(contact);
                }
                _ => None,
            },
            Got::Status(s) => Some(s),
        };
        // A real failure (5xx, 403, 429…) says more than a 404.
        let failure = [v2_status, v1_status]
            .into_iter()
            .flatten()
            .find(|s| *s != StatusCode::NOT_FOUND && *s != StatusCode::GONE);
        Err(match failure {
            Some(status) => ContactError::Http {
                host: addr.domain.clone(),
                status: status.as_u16(),
                about_url: addr.about_url(),
            },
            None => ContactError::NotMastodon {
                host: addr.domain.clone(),
                about_url: addr.about_url(),
            },
        })
    }

    /// Best effort: no rules rather than an error.
    async fn rules(&self, addr: &ServerAddr) -> Vec<String> {
        match self.get(addr, "/api/v1/instance/rules").await {
            Ok(Got::Body { bytes, .. }) => serde_json::from_slice::<Vec<RawRule>>(&bytes)
                .map(|rules| clean_rules(&rules))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// `/.well-known/host-meta`'s webfinger template names the web domain.
    async fn host_meta(&self, addr: &ServerAddr) -> Option<ServerAddr> {
        let Ok(Got::Body { bytes, .. }) = self.get(addr, "/.well-known/host-meta").await else {
            return None;
        };
        let text = String::from_utf8_lossy(&bytes);
        let at = text.find("template=")?;
        let rest = &text[at + "template=".len()..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let end = rest[1..].find(quote)?;
        let template = &rest[1..1 + end];
        let url = Url::parse(&template.replace("{uri}", "x")).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        ServerAddr::from_url(&url)
    }

    /// GET `{base}{path}`: the body on 2xx (at most `MAX_BODY`), the status
    /// otherwise; transport failures become errors naming the host.
    async fn get(&self, addr: &ServerAddr, path: &str) -> Result<Got, ContactError> {
        let url = format!("{}{path}", addr.base);
        let failed = |e: reqwest::Error| self.transport_error(addr, &e);
        let mut resp = self
            .client
            .get(&url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(failed)?;
        let status = resp.status();
        if !status.is_success() {
            return Ok(Got::Status(status));
        }
        let final_url = resp.url().clone();
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(failed)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_BODY {
                // Not an instance document; treat it as no answer.
                return Ok(Got::Status(StatusCode::PAYLOAD_TOO_LARGE));
            }
        }
        Ok(Got::Body { bytes, final_url })
    }

    fn transport_error(&self, addr: &ServerAddr, e: &reqwest::Error) -> ContactError {
        if e.is_timeout() {
            return ContactError::Timeout {
                host: addr.domain.clone(),
                waited: human_duration(self.timeout),
                about_url: addr.about_url(),
            };
        }
        let mut text = String::new();
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = cur {
            text.push_str(&err.to_string().to_ascii_lowercase());
            text.push(' ');
            cur = err.source();
        }
        let detail = if text.contains("timed out") {
            return ContactError::Timeout {
                host: addr.domain.clone(),
                waited: human_duration(self.timeout),
                about_url: addr.about_url(),
            };
        } else if text.contains("connection refused") {
            "the connection was refused".to_string()
        } else if text.contains("dns error") || text.contains("failed to lookup") {
            "the name does not resolve (check its spelling and the network connection)".to_string()
        } else if text.contains("certificate") || text.contains("tls") {
            "its TLS certificate was not accepted".to_string()
        } else if e.is_redirect() {
            "it redirects in circles".to_string()
        } else {
            let mut innermost = e.to_string();
            let mut cur = std::error::Error::source(e);
            while let Some(err) = cur {
                innermost = err.to_string();
                cur = err.source();
            }
            clean(&innermost, 200)
        };
        ContactError::Unreachable {
            host: addr.domain.clone(),
            detail,
            about_url: addr.about_url(),
        }
    }
}

fn human_duration(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// Untrusted text made safe to print: no control or bidi-override
/// characters, whitespace folded, length capped.
fn clean(text: &str, max_chars: usize) -> String {
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

fn clean_url(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u.to_string(),
        _ => String::new(),
    }
}

fn clean_rules(rules: &[RawRule]) -> Vec<String> {
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
struct RawRule {
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
struct V2 {
    domain: String,
    #[serde(default)]
    title: String,
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
    fn into_contact(self, answered: &ServerAddr) -> Contact {
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
        }
    }
}

#[derive(Deserialize)]
struct V1 {
    uri: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    contact_account: Option<RawAccount>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

impl V1 {
    fn into_contact(self, answered: &ServerAddr) -> Contact {
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> (String, String) {
        let a = normalize_server(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (a.base, a.domain)
    }

    fn https(d: &str) -> (String, String) {
        (format!("https://{d}"), d.to_string())
    }

    #[test]
    fn domains_handles_and_urls() {
        assert_eq!(norm("mastodon.social"), https("mastodon.social"));
        assert_eq!(norm("  Mastodon.Social/ "), https("mastodon.social"));
        assert_eq!(norm("mastodon.social///"), https("mastodon.social"));
        assert_eq!(norm("@alice@mastodon.social"), https("mastodon.social"));
        assert_eq!(norm("alice@fosstodon.org"), https("fosstodon.org"));
        assert_eq!(norm("acct:alice@hachyderm.io"), https("hachyderm.io"));
        assert_eq!(
            norm("https://mastodon.social/@alice"),
            https("mastodon.social")
        );
        assert_eq!(
            norm("https://mastodon.social/@alice/"),
            https("mastodon.social")
        );
        assert_eq!(
            norm("https://mastodon.social/@alice/114234567890123456"),
            https("mastodon.social")
        );
        assert_eq!(norm("mastodon.social/@alice"), https("mastodon.social"));
        assert_eq!(
            norm("https://mastodon.social/about"),
            https("mastodon.social")
        );
    }

    #[test]
    fn a_remote_profile_url_names_the_accounts_own_server() {
        assert_eq!(
            norm("https://mastodon.social/@bob@example.org"),
            https("example.org")
        );
        assert_eq!(
            norm("mastodon.social/@bob@example.org"),
            https("example.org")
        );
    }

    #[test]
    fn base_urls_are_kept_with_scheme_and_port() {
        assert_eq!(
            norm("http://127.0.0.1:3000"),
            (
                "http://127.0.0.1:3000".to_string(),
                "127.0.0.1:3000".to_string()
            )
        );
        assert_eq!(
            norm("https://social.example.com:8443/"),
            (
                "https://social.example.com:8443".to_string(),
                "social.example.com:8443".to_string()
            )
        );
        assert_eq!(
            normalize_server("mastodon.social").unwrap().about_url(),
            "https://mastodon.social/about"
        );
    }

    #[test]
    fn nonsense_is_refused_with_the_input_named() {
        for bad in [
            "",
            "   ",
            "mastodon",
            "@alice",
            "alice@",
            "ftp://mastodon.social",
            "two words.social",
            "https://user:pw@mastodon.social",
            "javascript:alert(1)",
            "..",
        ] {
            let err = normalize_server(bad).expect_err(bad);
            assert!(
                matches!(err, ContactError::BadServer { .. }),
                "{bad}: {err:?}"
            );
            assert_eq!(err.exit_code(), 2);
        }
        let text = normalize_server("mastodon").unwrap_err().to_string();
        assert!(
            text.contains("`mastodon`") && text.contains("mastodon.social"),
            "{text}"
        );
    }

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
        };
        assert_eq!(
            c.admin_handle().as_deref(),
            Some("@Gargron@mastodon.social")
        );
    }
}
