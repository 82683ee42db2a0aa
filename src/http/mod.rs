//! The one HTTP client for hosts other than GitHub's API: Mastodon servers,
//! and large downloads such as the sentence-embedding model.
//!
//! It runs on the same stack octocrab uses (hyper 1 through hyper-util's
//! client, TLS by rustls with the webpki roots), so the program carries one
//! HTTP implementation. Build one [`Http`] per process ([`Http::shared`])
//! and reuse it: the TLS configuration is made once, and connections are
//! pooled (per tokio runtime, since a connection belongs to the runtime
//! that opened it).
//!
//! What every request gets:
//! - a custom `User-Agent` and the `Accept` header asked for, and nothing
//!   else: no cookies, no credentials, no proxy;
//! - for [`Http::get`], an overall deadline covering name resolution,
//!   connecting, the headers and the whole body, so that a server dripping
//!   one byte every few seconds cannot hold a caller; and a cap on the body
//!   size;
//! - redirects as [`Redirects`] says, followed by hand so that every hop is
//!   checked again by the same [`Policy`]; an `https` → `http` downgrade is
//!   never followed;
//! - optionally, [`Pinning`]: the host name is resolved here, every address
//!   is checked by a caller-given predicate (e.g. public addresses only),
//!   and the connection goes only to the addresses checked.
//!
//! Large files go through [`Http::download`], which streams into a writer,
//! reports progress, resumes with `Range` and limits idle time instead of
//! total time.

mod download;
mod error;
mod pin;

#[cfg(test)]
mod tests;

pub use download::{Download, Downloaded};
pub use error::HttpError;
pub(crate) use error::{
    bytes as format_bytes, describe as describe_transport, human as human_duration, is_dns_failure,
};
pub use pin::{system_resolver, Pinning, Resolver};

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, LOCATION, USER_AGENT};
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper_rustls::{ConfigBuilderExt, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use url::Url;

/// `issue-preflight/VERSION`: the `User-Agent` of [`Http::shared`].
pub const DEFAULT_USER_AGENT: &str = concat!(
    "issue-preflight/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/issue-preflight/issue-preflight)"
);

/// Which redirects are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redirects {
    /// None: a 3xx answer is returned as it is.
    None,
    /// Up to N, only to the same scheme, host and port; a redirect
    /// elsewhere is returned as it is.
    SameOrigin(u8),
    /// Up to N, to any http(s) address (each hop checked again by the
    /// [`Policy`], e.g. its [`Pinning`]).
    Limited(u8),
}

/// Where a request may go: the redirects it follows and, with
/// [`Pinning`], the addresses it may connect to.
#[derive(Debug, Clone)]
pub struct Policy {
    pub redirects: Redirects,
    pub pinning: Option<Pinning>,
}

impl Default for Policy {
    /// Up to five redirects, any address.
    fn default() -> Self {
        Policy {
            redirects: Redirects::Limited(5),
            pinning: None,
        }
    }
}

/// A GET read whole: what to accept, how long it may take, how much it may
/// read.
#[derive(Debug, Clone)]
pub struct Get {
    /// The `Accept` header, e.g. `application/json`.
    pub accept: String,
    /// Everything (resolving, connecting, every redirect, the headers and
    /// the whole body) must be done within this.
    pub deadline: Duration,
    /// A body longer than this is an error ([`HttpError::TooLarge`]).
    pub max_bytes: u64,
    pub policy: Policy,
}

impl Get {
    /// A GET accepting `accept`, with the default [`Policy`].
    pub fn new(accept: &str, deadline: Duration, max_bytes: u64) -> Get {
        Get {
            accept: accept.to_string(),
            deadline,
            max_bytes,
            policy: Policy::default(),
        }
    }

    pub fn with_policy(mut self, policy: Policy) -> Get {
        self.policy = policy;
        self
    }
}

/// An answer read whole (any status: the caller decides what a 404 means).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The address that answered, after the redirects followed.
    pub url: Url,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

type Connector = HttpsConnector<HttpConnector>;
type PlainClient = Client<Connector, Empty<Bytes>>;

/// The shared HTTP client. Cheap to clone (the clones share the TLS
/// configuration and the connection pool).
#[derive(Clone)]
pub struct Http {
    inner: Arc<Inner>,
}

struct Inner {
    user_agent: HeaderValue,
    /// The pooled client of the runtime that last used it.
    plain: Mutex<Option<(tokio::runtime::Id, PlainClient)>>,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("user_agent", &self.inner.user_agent)
            .finish_non_exhaustive()
    }
}

impl Http {
    /// A client sending `user_agent` (which must be visible ASCII; anything
    /// else falls back to [`DEFAULT_USER_AGENT`]).
    pub fn new(user_agent: &str) -> Http {
        let user_agent = HeaderValue::from_str(user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static(DEFAULT_USER_AGENT));
        Http {
            inner: Arc::new(Inner {
                user_agent,
                plain: Mutex::new(None),
            }),
        }
    }

    /// The process's client, built on first use.
    pub fn shared() -> &'static Http {
        static SHARED: OnceLock<Http> = OnceLock::new();
        SHARED.get_or_init(|| Http::new(DEFAULT_USER_AGENT))
    }

    /// GET `url` and read the whole body, within `get.deadline` and
    /// `get.max_bytes`, following redirects as `get.policy` allows. Any
    /// status comes back as a [`Response`]; only transport failures,
    /// refusals of the policy, the deadline and the size cap are errors.
    pub async fn get(&self, url: &str, get: &Get) -> Result<Response, HttpError> {
        let start = parse_url(url)?;
        let host = host_label(&start);
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, header_value(&get.accept, &host)?);
        let whole = async {
            let (url, resp) = self.exchange(&start, &headers, &get.policy).await?;
            let status = resp.status().as_u16();
            let (parts, body) = resp.into_parts();
            let body = read_capped(body, &parts.headers, get.max_bytes, &host_label(&url)).await?;
            Ok(Response {
                status,
                headers: parts.headers,
                body,
                url,
            })
        };
        match tokio::time::timeout(get.deadline, whole).await {
            Ok(result) => result,
            Err(_) => Err(HttpError::Timeout {
                host,
                after: get.deadline,
            }),
        }
    }

    /// Sends GET requests from `start`, following redirects as `policy`
    /// allows; gives the last address asked and its answer, body unread.
    /// No deadline of its own: callers wrap it.
    async fn exchange(
        &self,
        start: &Url,
        headers: &HeaderMap,
        policy: &Policy,
    ) -> Result<(Url, hyper::Response<Incoming>), HttpError> {
        let mut url = start.clone();
        let mut hops = 0u8;
        loop {
            let resp = self.send(&url, headers, policy.pinning.as_ref()).await?;
            if !is_redirect(resp.status().as_u16()) {
                return Ok((url, resp));
            }
            let (limit, same_origin) = match policy.redirects {
                Redirects::None => return Ok((url, resp)),
                Redirects::SameOrigin(n) => (n, true),
                Redirects::Limited(n) => (n, false),
            };
            let Some(next) = location(&resp, &url) else {
                return Ok((url, resp));
            };
            let downgrade = url.scheme() == "https" && next.scheme() != "https";
            let elsewhere = next.origin() != url.origin();
            if downgrade || (same_origin && elsewhere) {
                return Ok((url, resp));
            }
            hops += 1;
            if hops > limit {
                return Err(HttpError::TooManyRedirects {
                    host: host_label(start),
                    limit,
                });
            }
            url = next;
        }
    }

    /// One request to `url`, through the pinned addresses when `pinning`
    /// is given.
    async fn send(
        &self,
        url: &Url,
        headers: &HeaderMap,
        pinning: Option<&Pinning>,
    ) -> Result<hyper::Response<Incoming>, HttpError> {
        let host = host_label(url);
        if let Some(p) = pinning {
            if p.https_only() && url.scheme() != "https" {
                return Err(HttpError::NotHttps { host });
            }
        }
        let uri: http::Uri = url.as_str().parse().map_err(|_| HttpError::BadUrl {
            url: url.to_string(),
        })?;
        let mut req = http::Request::get(uri)
            .body(Empty::<Bytes>::new())
            .map_err(|_| HttpError::BadUrl {
                url: url.to_string(),
            })?;
        req.headers_mut()
            .insert(USER_AGENT, self.inner.user_agent.clone());
        for (name, value) in headers {
            req.headers_mut().insert(name.clone(), value.clone());
        }
        let result = match pinning {
            None => self.plain().request(req).await,
            Some(p) => {
                let addrs = p.resolve(url).await?;
                pin::client(url, addrs, p.https_only()).request(req).await
            }
        };
        result.map_err(|e| error::transport(&host, &e))
    }

    /// The pooled client of the current runtime (made again when the
    /// runtime changed: a pooled connection dies with its runtime).
    fn plain(&self) -> PlainClient {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return plain_client();
        };
        let id = handle.id();
        let mut slot = self
            .inner
            .plain
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*slot {
            Some((have, client)) if *have == id => client.clone(),
            _ => {
                let client = plain_client();
                *slot = Some((id, client.clone()));
                client
            }
        }
    }
}

fn plain_client() -> PlainClient {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    Client::builder(TokioExecutor::new()).build(connector(http, false))
}

/// TLS around `http`, with the process's one TLS configuration.
pub(crate) fn connector<H>(http: H, https_only: bool) -> HttpsConnector<H> {
    let builder = HttpsConnectorBuilder::new().with_tls_config(tls_config().as_ref().clone());
    let builder = if https_only {
        builder.https_only()
    } else {
        builder.https_or_http()
    };
    builder.enable_http1().wrap_connector(http)
}

/// rustls with the ring provider and the webpki roots, made once.
pub(crate) fn tls_config() -> Arc<rustls::ClientConfig> {
    static TLS: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    TLS.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            // ring implements TLS 1.2 and 1.3: this cannot fail.
            .expect("the ring provider supports the default TLS versions")
            .with_webpki_roots()
            .with_no_client_auth();
        Arc::new(config)
    })
    .clone()
}

/// The host as error messages name it: `host`, or `host:port` when the URL
/// gives a port.
pub(crate) fn host_label(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

fn parse_url(text: &str) -> Result<Url, HttpError> {
    let bad = || HttpError::BadUrl {
        url: text.chars().take(200).collect(),
    };
    let url = Url::parse(text.trim()).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad());
    }
    Ok(url)
}

fn header_value(text: &str, host: &str) -> Result<HeaderValue, HttpError> {
    HeaderValue::from_str(text).map_err(|_| HttpError::Protocol {
        host: host.to_string(),
        detail: "a request header is not valid HTTP".to_string(),
    })
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The `Location` of a redirect, resolved against `base`; `None` when it
/// is missing or not an http(s) address.
fn location<B>(resp: &hyper::Response<B>, base: &Url) -> Option<Url> {
    let text = resp.headers().get(LOCATION)?.to_str().ok()?;
    let next = base.join(text.trim()).ok()?;
    (matches!(next.scheme(), "http" | "https") && next.host_str().is_some()).then_some(next)
}

/// Reads `body` whole, failing as soon as it exceeds `max` bytes (at once
/// when `Content-Length` says it will).
async fn read_capped(
    mut body: Incoming,
    headers: &HeaderMap,
    max: u64,
    host: &str,
) -> Result<Bytes, HttpError> {
    let too_large = || HttpError::TooLarge {
        host: host.to_string(),
        limit: max,
    };
    if content_length(headers).is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let mut buf: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| error::body(host, &e))?;
        if let Ok(data) = frame.into_data() {
            if (buf.len() + data.len()) as u64 > max {
                return Err(too_large());
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}

pub(crate) fn content_length(headers: &HeaderMap) -> Option<u64> {
    header_str(headers, &http::header::CONTENT_LENGTH)?
        .trim()
        .parse()
        .ok()
}

fn header_str<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name)?.to_str().ok()
}
