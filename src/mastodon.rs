//! Who administers a Mastodon server, and how to reach them.
//!
//! A server publishes its admin contact: `GET /api/v2/instance` gives
//! `contact.email` and `contact.account` (Mastodon 4.0+), older servers
//! answer `GET /api/v1/instance` with `email` and `contact_account`. Rules
//! come with either, or from `GET /api/v1/instance/rules`.
//!
//! Everything a server says is untrusted text that ends up on a terminal:
//! control characters (escape sequences, bidi overrides) are removed.
//!
//! Where the server's name is itself untrusted (the Action reads it from an
//! issue), [`Reach::PublicOnly`] keeps the lookup on the public internet:
//! `https` to a public DNS name only, every address it resolves to checked
//! and the connection pinned to them, no redirects followed.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::sync::Arc;
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

/// Which servers a lookup may talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reach {
    /// Whatever the address names, `http://127.0.0.1:3000` included, with
    /// up to five redirects followed: the CLI, where the user asks about a
    /// server of their own choosing.
    #[default]
    Anywhere,
    /// Public servers only, for names someone else wrote (the Action reads
    /// them from issues): `https` to a DNS name that is not local or
    /// reserved, with no port ([`check_public_server`]), whose every
    /// address is public ([`is_public_ip`]). The connection is pinned to
    /// the addresses checked (a second DNS answer cannot differ), no
    /// redirect is followed, no proxy is used, and a web domain named by
    /// host-meta is checked the same way before it is asked.
    PublicOnly,
}

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

    /// [`Reach::PublicOnly`] refused the server before any request.
    #[error("{host} is not asked for its contact: {reason}")]
    NotPublic { host: String, reason: String },
}

impl ContactError {
    /// 2 for input the user must fix, 3 for network failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            ContactError::BadServer { .. } | ContactError::NotPublic { .. } => 2,
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
    lookup_contact_with(addr, timeout, Reach::Anywhere).await
}

/// [`lookup_contact_at`], talking only to the servers `reach` allows.
pub async fn lookup_contact_with(
    addr: &ServerAddr,
    timeout: Duration,
    reach: Reach,
) -> Result<Contact, ContactError> {
    let asker = Asker {
        timeout,
        reach,
        lookup: system_lookup(),
    };
    asker.lookup(addr).await
}

// ----- public servers only ------------------------------------------------------

/// Top-level domains that name no public server: special-use (RFC 6761,
/// 6762, 7686, 9476), reserved for private use (`internal`), or in common
/// use on private networks.
const LOCAL_TLDS: &[&str] = &[
    "localhost",
    "local",
    "internal",
    "lan",
    "home",
    "corp",
    "intranet",
    "private",
    "localdomain",
    "test",
    "example",
    "invalid",
    "onion",
    "alt",
    "arpa",
];

/// Why [`Reach::PublicOnly`] refuses `addr` before resolving it, if it
/// does: it must be `https` to a domain name (no IP address, no port, no
/// user info) that [`check_public_host_name`] accepts. Its addresses are
/// checked when it is resolved.
pub fn check_public_server(addr: &ServerAddr) -> Result<(), &'static str> {
    let url = Url::parse(&addr.base).map_err(|_| "it is not a URL")?;
    if url.scheme() != "https" {
        return Err("only https servers are asked");
    }
    if url.port().is_some() {
        return Err("it names a port");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it carries a user name or password");
    }
    check_public_host_name(url.host_str().ok_or("it names no host")?)
}

/// Why the host name `host` names no public server, if it does not: an IP
/// address, a single label (`localhost`), a name that is not a valid
/// domain name, or one under a local or reserved top-level domain
/// (`.local`, `.internal`, `.localhost`, `.test`, `.arpa`…). One trailing
/// dot is allowed.
pub fn check_public_host_name(host: &str) -> Result<(), &'static str> {
    let ip_literal = host.starts_with('[') || host.parse::<IpAddr>().is_ok();
    if ip_literal {
        return Err("it is an IP address, not a domain name");
    }
    let name = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if name.is_empty() || name.len() > 253 {
        return Err("it is not a domain name");
    }
    let labels: Vec<&str> = name.split('.').collect();
    let valid_label = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !labels.iter().all(valid_label) {
        return Err("it is not a domain name");
    }
    let tld = labels[labels.len() - 1];
    if labels.len() < 2 || LOCAL_TLDS.contains(&tld) {
        return Err("it is a local or reserved name");
    }
    let real_tld =
        tld.len() >= 2 && (tld.bytes().all(|b| b.is_ascii_alphabetic()) || tld.starts_with("xn--"));
    if !real_tld {
        return Err("it is not a domain name");
    }
    Ok(())
}

/// True for an address on the public internet: not loopback, private
/// (10/8, 172.16/12, 192.168/16), shared (100.64/10), link-local,
/// unspecified, multicast, broadcast, documentation or otherwise
/// reserved. An IPv6 address must be global unicast (2000::/3), outside
/// its special ranges; one that carries an IPv4 address (IPv4-mapped,
/// NAT64, 6to4) is judged by that address.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_ipv4(v4),
        IpAddr::V6(v6) => is_public_ipv6(v6),
    }
}

fn is_public_ipv4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = a == 0 // "this network", unspecified
        || a == 10
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || a == 127
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || a >= 224; // multicast, reserved, broadcast
    !special
}

fn is_public_ipv6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_ipv4(v4);
    }
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // NAT64 (64:ff9b::/96) reaches the IPv4 address it carries.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_ipv4(embedded(s[6], s[7]));
    }
    // Only global unicast; this leaves out ::, ::1, IPv4-compatible and
    // -translated addresses, 64:ff9b:1::/48, 100::/64, unique local
    // fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast.
    if s[0] & 0xe000 != 0x2000 {
        return false;
    }
    // 6to4 (2002::/16) reaches the IPv4 address it carries.
    if s[0] == 0x2002 {
        return is_public_ipv4(embedded(s[1], s[2]));
    }
    match s[0] {
        // IETF protocols (2001::/23: Teredo, ORCHID, benchmarking) and
        // documentation (2001:db8::/32)
        0x2001 => s[1] >= 0x200 && s[1] != 0xdb8,
        // documentation (3fff::/20)
        0x3fff => s[1] >= 0x1000,
        _ => true,
    }
}

/// Resolves a host name: the system's resolver, or a stand-in in tests.
type Lookup = Arc<
    dyn Fn(String) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>
        + Send
        + Sync,
>;

/// The system's resolver (what `tokio::net::lookup_host` does: the
/// blocking `getaddrinfo` on tokio's blocking pool).
fn system_lookup() -> Lookup {
    Arc::new(|host: String| {
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                (host.as_str(), 443)
                    .to_socket_addrs()
                    .map(|addrs| addrs.map(|a| a.ip()).collect())
            })
            .await
            .map_err(std::io::Error::other)?
        })
    })
}

/// The resolver of a [`Reach::PublicOnly`] client: it resolves nothing.
/// The one name the client may reach is pinned to its checked addresses
/// (`resolve_to_addrs`, which takes precedence), so any other name fails
/// closed instead of being looked up unchecked.
struct ResolveNothing;

impl reqwest::dns::Resolve for ResolveNothing {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let refusal = format!("{} was not checked as a public server", name.as_str());
        Box::pin(std::future::ready(Err(refusal.into())))
    }
}

/// Settings every client shares.
fn base_builder(timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(timeout)
}

/// What a [`Reach::PublicOnly`] client adds, short of `https_only` and the
/// pinned addresses: no redirect (a `Location` could name any address), no
/// proxy (which would resolve the name again, unchecked), no resolver.
fn public_only(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(Arc::new(ResolveNothing))
}

struct Asker {
    timeout: Duration,
    reach: Reach,
    lookup: Lookup,
}

/// What one GET gave.
enum Got {
    Body { bytes: Vec<u8>, final_url: Url },
    Status(StatusCode),
}

impl Asker {
    async fn lookup(&self, addr: &ServerAddr) -> Result<Contact, ContactError> {
        let client = self.client_for(addr).await?;
        match self.instance(&client, addr).await {
            Err(ContactError::NotMastodon { .. }) => {
                // The account domain may differ from the web domain
                // (`@alice@example.com` served by social.example.com);
                // host-meta says where the server really is.
                if let Some(web) = self.host_meta(&client, addr).await {
                    if web.domain != addr.domain {
                        // In PublicOnly, the web domain is checked as the
                        // first one was, and gets a client of its own.
                        if let Ok(web_client) = self.client_for(&web).await {
                            if let Ok(contact) = self.instance(&web_client, &web).await {
                                return Ok(contact);
                            }
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

    /// A client for `addr`; in [`Reach::PublicOnly`] only once `addr` and
    /// every address it resolves to are public, and pinned to those.
    async fn client_for(&self, addr: &ServerAddr) -> Result<reqwest::Client, ContactError> {
        let builder = base_builder(self.timeout);
        let builder = match self.reach {
            Reach::Anywhere => builder.redirect(reqwest::redirect::Policy::limited(5)),
            Reach::PublicOnly => {
                let (host, addrs) = self.public_addresses(addr).await?;
                public_only(builder)
                    .https_only(true)
                    .resolve_to_addrs(&host, &addrs)
            }
        };
        builder.build().map_err(|e| ContactError::Unreachable {
            host: addr.domain.clone(),
            detail: format!(
                "the HTTP client could not be set up ({})",
                clean(&e.to_string(), 200)
            ),
            about_url: addr.about_url(),
        })
    }

    /// `addr`'s host name and the addresses to connect to, once the name
    /// and all of them are found public. Nothing is sent to the server.
    async fn public_addresses(
        &self,
        addr: &ServerAddr,
    ) -> Result<(String, Vec<SocketAddr>), ContactError> {
        let refuse = |reason: &str| ContactError::NotPublic {
            host: clean(&addr.domain, 253),
            reason: reason.to_string(),
        };
        check_public_server(addr).map_err(refuse)?;
        let host = Url::parse(&addr.base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .ok_or_else(|| refuse("it names no host"))?;
        // A name that does not resolve and one that resolves inside the
        // network get the same words: the log of a public repository's
        // run must not tell the reporter which internal names exist.
        let not_public = "its name does not resolve to public addresses only";
        let ips = match tokio::time::timeout(self.timeout, (self.lookup)(host.clone())).await {
            Err(_) => {
                return Err(ContactError::Timeout {
                    host: addr.domain.clone(),
                    waited: human_duration(self.timeout),
                    about_url: addr.about_url(),
                })
            }
            Ok(Err(_)) => return Err(refuse(not_public)),
            Ok(Ok(ips)) => ips,
        };
        if ips.is_empty() || !ips.iter().all(|ip| is_public_ip(*ip)) {
            return Err(refuse(not_public));
        }
        let port = 443;
        Ok((
            host,
            ips.into_iter()
                .map(|ip| SocketAddr::new(ip, port))
                .collect(),
        ))
    }

    /// The server that answered a request to `asked` (redirects followed
    /// only in [`Reach::Anywhere`]).
    fn answered(&self, asked: &ServerAddr, final_url: &Url) -> ServerAddr {
        match self.reach {
            Reach::Anywhere => ServerAddr::from_url(final_url).unwrap_or_else(|| asked.clone()),
            Reach::PublicOnly => asked.clone(),
        }
    }

    async fn instance(
        &self,
        client: &reqwest::Client,
        addr: &ServerAddr,
    ) -> Result<Contact, ContactError> {
        let v2 = self.get(client, addr, "/api/v2/instance").await?;
        let v2_status = match v2 {
            Got::Body { bytes, final_url } => match serde_json::from_slice::<V2>(&bytes) {
                Ok(v2) if !v2.domain.trim().is_empty() => {
                    let answered = self.answered(addr, &final_url);
                    let mut contact = v2.into_contact(&answered);
                    if contact.rules.is_empty() {
                        contact.rules = self.rules(client, &answered).await;
                    }
                    return Ok(contact);
                }
                _ => None,
            },
            Got::Status(s) => Some(s),
        };
        let v1_status = match self.get(client, addr, "/api/v1/instance").await? {
            Got::Body { bytes, final_url } => match serde_json::from_slice::<V1>(&bytes) {
                Ok(v1) if !v1.uri.trim().is_empty() => {
                    let answered = self.answered(addr, &final_url);
                    let mut contact = v1.into_contact(&answered);
                    if contact.rules.is_empty() {
                        contact.rules = self.rules(client, &answered).await;
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
    async fn rules(&self, client: &reqwest::Client, addr: &ServerAddr) -> Vec<String> {
        match self.get(client, addr, "/api/v1/instance/rules").await {
            Ok(Got::Body { bytes, .. }) => serde_json::from_slice::<Vec<RawRule>>(&bytes)
                .map(|rules| clean_rules(&rules))
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// `/.well-known/host-meta`'s webfinger template names the web domain.
    async fn host_meta(&self, client: &reqwest::Client, addr: &ServerAddr) -> Option<ServerAddr> {
        let Ok(Got::Body { bytes, .. }) = self.get(client, addr, "/.well-known/host-meta").await
        else {
            return None;
        };
        web_domain_of_host_meta(&String::from_utf8_lossy(&bytes))
    }

    /// GET `{base}{path}`: the body on 2xx (at most `MAX_BODY`), the status
    /// otherwise; transport failures become errors naming the host.
    async fn get(
        &self,
        client: &reqwest::Client,
        addr: &ServerAddr,
        path: &str,
    ) -> Result<Got, ContactError> {
        let url = format!("{}{path}", addr.base);
        let failed = |e: reqwest::Error| self.transport_error(addr, &e);
        let mut resp = client
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

/// The web domain a host-meta document's webfinger template names
/// (`template="https://social.example.com/.well-known/webfinger?resource={uri}"`);
/// in [`Reach::PublicOnly`] it is checked like any other server before it
/// is asked.
fn web_domain_of_host_meta(text: &str) -> Option<ServerAddr> {
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

    // ----- public servers only ------------------------------------------------

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn public_ips_are_told_from_local_and_reserved_ones() {
        for public in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.215.14",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.0.1.1",
            "192.169.0.1",
            "223.255.255.254",
            "2a00:1450:4001:80b::200e",
            "2606:4700::6810:84e5",
            "::ffff:1.1.1.1",
            "64:ff9b::808:808",
            "2002:0808:0808::1",
        ] {
            assert!(is_public_ip(ip(public)), "{public} is public");
        }
        for local in [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.5",
            "10.255.255.255",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.1.2.3",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "fc00::1",
            "fd12:3456:789a::1",
            "ff02::1",
            "100::1",
            "64:ff9b:1::a00:5",
            "2001::1",
            "2001:db8::1",
            "3fff::1",
            // IPv4-mapped, NAT64 and 6to4 forms of local addresses
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.5",
            "::ffff:169.254.169.254",
            "::ffff:192.168.0.1",
            "::ffff:100.64.0.1",
            "::ffff:0.0.0.0",
            "::ffff:0:7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::7f00:1",
            "2002:7f00:0001::1",
            "2002:a9fe:a9fe::1",
        ] {
            assert!(!is_public_ip(ip(local)), "{local} is not public");
        }
    }

    #[test]
    fn public_host_names_are_told_from_local_and_reserved_ones() {
        for public in [
            "mastodon.social",
            "social.example.org",
            "hachyderm.io",
            "mastodon.social.",
            "xn--mnchen-3ya.social",
            "social.xn--p1ai",
            "a_b.example.com",
            "localhost.example.com",
        ] {
            assert_eq!(check_public_host_name(public), Ok(()), "{public}");
        }
        for local in [
            "",
            ".",
            "localhost",
            "localhost.",
            "LOCALHOST",
            "mastodon",
            "foo.localhost",
            "printer.local",
            "metadata.google.internal",
            "router.lan",
            "nas.home",
            "x.home.arpa",
            "1.0.0.127.in-addr.arpa",
            "social.test",
            "social.example",
            "x.invalid",
            "hidden.onion",
            "a..b",
            "-a.example.com",
            "a.example.com-",
            "foo.123",
            "foo.x",
            "127.0.0.1",
            "10.0.0.5",
            "::1",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "a b.example.com",
            "evil.example.com:8080",
        ] {
            assert!(check_public_host_name(local).is_err(), "{local:?} passed");
        }
    }

    fn addr_of(base: &str) -> ServerAddr {
        ServerAddr::from_url(&Url::parse(base).unwrap()).unwrap()
    }

    #[test]
    fn public_servers_are_https_names_without_ports() {
        assert_eq!(
            check_public_server(&addr_of("https://mastodon.social")),
            Ok(())
        );
        // The default port is no port.
        assert_eq!(
            check_public_server(&addr_of("https://mastodon.social:443")),
            Ok(())
        );
        for refused in [
            "http://mastodon.social",
            "https://mastodon.social:8443",
            "https://127.0.0.1",
            "https://2130706433",
            "https://0x7f.1",
            "https://[::1]",
            "https://[::ffff:a9fe:a9fe]",
            "https://localhost",
            "http://10.0.0.5:8080",
            "http://169.254.169.254",
            "https://169.254.169.254",
        ] {
            assert!(
                check_public_server(&addr_of(refused)).is_err(),
                "{refused} passed"
            );
        }
        // What normalize_server makes of a reporter's text.
        for typed in ["localhost", "127.0.0.1", "http://127.0.0.1:3000", "[::1]"] {
            if let Ok(a) = normalize_server(typed) {
                assert!(check_public_server(&a).is_err(), "{typed} passed");
            }
        }
    }

    /// An [`Asker`] in public-only mode whose resolver answers from `table`
    /// and records the names it was asked.
    fn public_asker(table: &[(&str, &[&str])]) -> (Asker, Arc<std::sync::Mutex<Vec<String>>>) {
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let table: Vec<(String, Vec<IpAddr>)> = table
            .iter()
            .map(|(name, ips)| (name.to_string(), ips.iter().map(|s| ip(s)).collect()))
            .collect();
        let log = asked.clone();
        let lookup: Lookup = Arc::new(move |host: String| {
            log.lock().unwrap().push(host.clone());
            let found = table
                .iter()
                .find(|(n, _)| *n == host)
                .map(|(_, ips)| ips.clone());
            Box::pin(async move {
                found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "NXDOMAIN"))
            })
        });
        let asker = Asker {
            timeout: Duration::from_secs(2),
            reach: Reach::PublicOnly,
            lookup,
        };
        (asker, asked)
    }

    fn refused(r: Result<reqwest::Client, ContactError>) -> String {
        match r {
            Err(ContactError::NotPublic { reason, .. }) => reason,
            Err(e) => panic!("refused for the wrong reason: {e:?}"),
            Ok(_) => panic!("a client was made"),
        }
    }

    #[tokio::test]
    async fn a_name_that_resolves_inside_the_network_gets_no_client() {
        let (asker, asked) = public_asker(&[
            ("loopback.example.org", &["127.0.0.1"]),
            ("metadata.example.org", &["169.254.169.254"]),
            ("mixed.example.org", &["93.184.215.14", "10.0.0.5"]),
            ("mapped.example.org", &["2606:4700::1", "::ffff:127.0.0.1"]),
            ("ula.example.org", &["fd00::1"]),
            ("cgnat.example.org", &["100.64.1.1"]),
            ("empty.example.org", &[]),
            ("mastodon.social", &["93.184.215.14", "2606:4700::1"]),
        ]);
        for name in [
            "loopback.example.org",
            "metadata.example.org",
            "mixed.example.org",
            "mapped.example.org",
            "ula.example.org",
            "cgnat.example.org",
            "empty.example.org",
            "nxdomain.example.org",
        ] {
            let reason = refused(asker.client_for(&addr_of(&format!("https://{name}"))).await);
            // The same words whether the name resolves inside or not at all.
            assert_eq!(reason, "its name does not resolve to public addresses only");
        }
        // A public one gets its client (no request is made here).
        asker
            .client_for(&addr_of("https://mastodon.social"))
            .await
            .expect("a public server gets a client");
        // Names refused for what they are are not even resolved.
        asked.lock().unwrap().clear();
        for base in [
            "http://mastodon.social",
            "https://localhost",
            "https://127.0.0.1",
            "https://mastodon.social:8443",
            "http://10.0.0.5:8080",
        ] {
            refused(asker.client_for(&addr_of(base)).await);
        }
        assert!(
            asked.lock().unwrap().is_empty(),
            "{:?}",
            asked.lock().unwrap()
        );
    }

    #[tokio::test]
    async fn the_system_resolver_puts_localhost_on_loopback_and_it_is_refused() {
        let ips = (system_lookup())("localhost".to_string()).await.unwrap();
        assert!(!ips.is_empty());
        assert!(ips.iter().all(|ip| ip.is_loopback()), "{ips:?}");
        assert!(!ips.iter().any(|ip| is_public_ip(*ip)));
    }

    #[test]
    fn a_host_meta_pointing_inside_the_network_is_not_asked() {
        let meta = |template: &str| {
            format!(
                "<?xml version=\"1.0\"?>\n<XRD><Link rel=\"lrdd\" template=\"{template}/.well-known/webfinger?resource={{uri}}\"/></XRD>"
            )
        };
        let web = web_domain_of_host_meta(&meta("https://social.example.com")).unwrap();
        assert_eq!(web.base, "https://social.example.com");
        assert_eq!(check_public_server(&web), Ok(()));
        for inside in [
            "http://10.0.0.5:8080",
            "http://169.254.169.254",
            "https://169.254.169.254",
            "https://[fd00::1]",
            "https://localhost",
            "https://kubernetes.default.svc.cluster.local",
            "https://social.example.com:8443",
            "http://social.example.com",
        ] {
            let web = web_domain_of_host_meta(&meta(inside)).unwrap();
            assert!(
                check_public_server(&web).is_err(),
                "{inside} would be asked"
            );
        }
    }

    #[tokio::test]
    async fn a_host_meta_web_domain_that_resolves_inside_gets_no_client() {
        let (asker, _) = public_asker(&[("web.example.net", &["10.0.0.5"])]);
        let meta = "<Link rel='lrdd' template='https://web.example.net/.well-known/webfinger?resource={uri}'/>";
        let web = web_domain_of_host_meta(meta).unwrap();
        refused(asker.client_for(&web).await);
    }

    #[tokio::test]
    async fn a_public_only_client_follows_no_redirect_and_resolves_nothing_else() {
        use wiremock::matchers::{any, method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        // The "internal" service a redirect points at.
        let internal = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_string("{\"domain\":\"x\"}"))
            .expect(0)
            .mount(&internal)
            .await;
        // The "public" server, pinned to its (checked) address.
        let public = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/v2/instance"))
            .respond_with(
                ResponseTemplate::new(302)
                    .insert_header("location", format!("{}/latest/meta-data/", internal.uri())),
            )
            .expect(2)
            .mount(&public)
            .await;
        // The client of client_for, short of https_only (the servers here
        // speak plain http): no redirects, no proxy, only the pinned name.
        let client = public_only(base_builder(Duration::from_secs(2)))
            .resolve_to_addrs("social.example.org", &[*public.address()])
            .build()
            .unwrap();
        let (asker, _) = public_asker(&[]);
        let port = public.address().port();
        let pinned = addr_of(&format!("http://social.example.org:{port}"));
        match asker.get(&client, &pinned, "/api/v2/instance").await {
            Ok(Got::Status(s)) => assert_eq!(s, StatusCode::FOUND),
            Ok(Got::Body { final_url, .. }) => panic!("the redirect was followed to {final_url}"),
            Err(e) => panic!("{e}"),
        }
        // The whole lookup stops at the redirect too.
        let err = asker.instance(&client, &pinned).await.unwrap_err();
        assert!(
            matches!(err, ContactError::Http { status: 302, .. }),
            "{err:?}"
        );
        // A name the client was not pinned to is not looked up.
        let other = addr_of(&format!("http://other.example.org:{port}"));
        assert!(matches!(
            asker.get(&client, &other, "/api/v2/instance").await,
            Err(ContactError::Unreachable { .. })
        ));
        internal.verify().await;
        // The pinned server got the two instance requests, nothing else.
        let got = public.received_requests().await.unwrap();
        assert!(
            got.iter().all(|r| r.url.path().starts_with("/api/v")),
            "{got:?}"
        );
    }

    #[tokio::test]
    async fn the_public_only_client_speaks_https_only() {
        let (asker, _) = public_asker(&[("mastodon.social", &["93.184.215.14"])]);
        let addr = addr_of("https://mastodon.social");
        let client = asker.client_for(&addr).await.unwrap();
        // Even a plain-http URL to the pinned name is refused before any
        // connection is made.
        let err = client
            .get("http://mastodon.social/api/v2/instance")
            .send()
            .await
            .unwrap_err();
        assert!(err.is_builder(), "{err:?}");
    }
}
