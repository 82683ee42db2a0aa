//! Who administers a Mastodon server, and how to reach them.
//!
//! A server publishes its admin contact: `GET /api/v2/instance` gives
//! `contact.email` and `contact.account` (Mastodon 4.0+), older servers
//! answer `GET /api/v1/instance` with `email` and `contact_account`. Rules
//! come with either, or from `GET /api/v1/instance/rules`.
//!
//! - `addr`: what a reporter types, made into a [`ServerAddr`]; which
//!   names and addresses are public.
//! - `lookup`: the requests, over the shared [`Http`].
//! - `contact`: the [`Contact`] model, and cleaning what
//!   servers say before it reaches a terminal.
//! - [`mention`]: the servers a text names (links, handles, bare domains).
//!
//! Who chose the server decides where a lookup may go. A server the user
//! names on purpose (`--instance`, `preflight contact X`, typed at a
//! prompt) may be anything ([`Reach::Anywhere`]); a server read from
//! untrusted text (issue titles and answers, draft files, the Action's
//! events) may only be public ([`Reach::PublicOnly`]): `https` to a public
//! DNS name, every address it resolves to checked and the connection
//! pinned to them, no redirect followed.

mod addr;
mod contact;
mod lookup;
pub mod mention;

pub use addr::{check_public_host_name, check_public_server, is_public_ip, normalize_server};
pub use contact::{AdminAccount, Contact};
pub use mention::{server_of_handle, servers_in};

use std::time::Duration;

use url::Url;

use crate::http::Http;

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

/// Asks Mastodon servers who runs them. Build one per process (it holds
/// the shared [`Http`]) and reuse it.
#[derive(Debug, Clone)]
pub struct Mastodon {
    http: Http,
    timeout: Duration,
}

impl Mastodon {
    /// A client on the process's shared [`Http`], each request (resolving,
    /// connecting, the whole answer) limited to `timeout`.
    pub fn new(timeout: Duration) -> Mastodon {
        Mastodon::with_http(Http::shared().clone(), timeout)
    }

    pub fn with_http(http: Http, timeout: Duration) -> Mastodon {
        Mastodon { http, timeout }
    }

    /// The contact of `server` (see [`normalize_server`] for what it may
    /// be), talking only to the servers `reach` allows.
    pub async fn lookup(&self, server: &str, reach: Reach) -> Result<Contact, ContactError> {
        let addr = normalize_server(server)?;
        self.lookup_at(&addr, reach).await
    }

    /// [`Mastodon::lookup`] for an address already normalised.
    pub async fn lookup_at(
        &self,
        addr: &ServerAddr,
        reach: Reach,
    ) -> Result<Contact, ContactError> {
        lookup::Asker::new(&self.http, self.timeout, reach)
            .lookup(addr)
            .await
    }
}

/// The contact of `server` (see [`normalize_server`] for what it may be),
/// each request limited to `timeout`, any server ([`Reach::Anywhere`]):
/// for servers the user named on purpose.
pub async fn lookup_contact(server: &str, timeout: Duration) -> Result<Contact, ContactError> {
    Mastodon::new(timeout).lookup(server, Reach::Anywhere).await
}

/// [`lookup_contact`] for an address already normalised.
pub async fn lookup_contact_at(
    addr: &ServerAddr,
    timeout: Duration,
) -> Result<Contact, ContactError> {
    Mastodon::new(timeout)
        .lookup_at(addr, Reach::Anywhere)
        .await
}

/// [`lookup_contact_at`], talking only to the servers `reach` allows.
pub async fn lookup_contact_with(
    addr: &ServerAddr,
    timeout: Duration,
    reach: Reach,
) -> Result<Contact, ContactError> {
    Mastodon::new(timeout).lookup_at(addr, reach).await
}
