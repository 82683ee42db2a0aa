//! DNS pinning: the name is resolved here, every address is checked, and
//! the connection goes only to the addresses checked, so a second DNS
//! answer (rebinding) cannot send it elsewhere.

use std::future::Future;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use url::{Host, Url};

use super::{host_label, HttpError};

/// Resolves a host name to its addresses: [`system_resolver`], or a
/// stand-in in tests.
pub type Resolver = Arc<
    dyn Fn(String) -> std::pin::Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>
        + Send
        + Sync,
>;

/// The system's resolver (`getaddrinfo` on tokio's blocking pool).
pub fn system_resolver() -> Resolver {
    Arc::new(|host: String| {
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                (host.as_str(), 0)
                    .to_socket_addrs()
                    .map(|addrs| addrs.map(|a| a.ip()).collect())
            })
            .await
            .map_err(std::io::Error::other)?
        })
    })
}

/// The pinning mode of a [`super::Policy`]: the addresses a request may
/// connect to are those its host name resolves to here, and only if the
/// predicate accepts every one of them (an IP address in the URL is checked
/// the same way). No proxy is ever used, and by default only `https`.
#[derive(Clone)]
pub struct Pinning {
    allow: Arc<dyn Fn(IpAddr) -> bool + Send + Sync>,
    resolver: Resolver,
    https_only: bool,
}

impl std::fmt::Debug for Pinning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pinning")
            .field("https_only", &self.https_only)
            .finish_non_exhaustive()
    }
}

impl Pinning {
    /// Addresses `allow` accepts, found by the system's resolver, https
    /// only.
    pub fn new(allow: impl Fn(IpAddr) -> bool + Send + Sync + 'static) -> Pinning {
        Pinning {
            allow: Arc::new(allow),
            resolver: system_resolver(),
            https_only: true,
        }
    }

    /// The same, with names resolved by `resolver`.
    pub fn with_resolver(mut self, resolver: Resolver) -> Pinning {
        self.resolver = resolver;
        self
    }

    /// Plain `http` allowed too (for tests against loopback servers).
    pub fn allowing_http(mut self) -> Pinning {
        self.https_only = false;
        self
    }

    pub fn https_only(&self) -> bool {
        self.https_only
    }

    /// The addresses `url` may be reached at: its IP address, or every
    /// address its name resolves to, each accepted by the predicate. A name
    /// that resolves to nothing is [`HttpError::AddressRefused`]; one that
    /// does not resolve at all is [`HttpError::Resolve`].
    pub async fn resolve(&self, url: &Url) -> Result<Vec<SocketAddr>, HttpError> {
        let host = host_label(url);
        let port = url
            .port_or_known_default()
            .ok_or_else(|| HttpError::BadUrl {
                url: url.to_string(),
            })?;
        let ips = match url.host() {
            Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(Host::Domain(name)) => (self.resolver)(name.to_string())
                .await
                .map_err(|_| HttpError::Resolve { host: host.clone() })?,
            None => {
                return Err(HttpError::BadUrl {
                    url: url.to_string(),
                })
            }
        };
        if ips.is_empty() || !ips.iter().all(|ip| (self.allow)(*ip)) {
            return Err(HttpError::AddressRefused { host });
        }
        Ok(ips
            .into_iter()
            .map(|ip| SocketAddr::new(ip, port))
            .collect())
    }
}

/// A one-request client whose resolver knows only `url`'s host, at
/// `addrs` (already checked); any other name fails closed.
pub(super) fn client(
    url: &Url,
    addrs: Vec<SocketAddr>,
    https_only: bool,
) -> Client<hyper_rustls::HttpsConnector<HttpConnector<Fixed>>, Empty<Bytes>> {
    let fixed = Fixed {
        name: url.host_str().unwrap_or_default().to_ascii_lowercase(),
        addrs: Arc::new(addrs),
    };
    let mut http = HttpConnector::new_with_resolver(fixed);
    http.enforce_http(false);
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(0)
        .build(super::connector(http, https_only))
}

/// A resolver that answers one name with fixed addresses.
#[derive(Clone)]
pub(super) struct Fixed {
    name: String,
    addrs: Arc<Vec<SocketAddr>>,
}

impl tower::Service<Name> for Fixed {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        std::future::ready(if name.as_str().eq_ignore_ascii_case(&self.name) {
            Ok(self.addrs.as_ref().clone().into_iter())
        } else {
            Err(std::io::Error::other(format!(
                "{} was not checked",
                name.as_str()
            )))
        })
    }
}
