//! The requests of a contact lookup: `/api/v2/instance`, the
//! `/api/v1/instance` fallback, the rules, and host-meta when the account
//! domain is not the web domain. All over the shared [`Http`]; in
//! [`Reach::PublicOnly`], pinned to checked public addresses.

use std::time::Duration;

use url::Url;

use super::contact::{clean, clean_rules, Contact, RawRule, V1, V2};
use super::{check_public_server, is_public_ip, ContactError, Reach, ServerAddr};
use crate::http::{human_duration, Get, Http, HttpError, Pinning, Policy, Redirects};

/// Largest instance answer read (the real ones are tens of kilobytes).
const MAX_BODY: u64 = 2 * 1024 * 1024;

/// A server name and address that resolve inside the network get the same
/// words as one that does not resolve: the log of a public repository's
/// run must not tell the reporter which internal names exist.
const NOT_PUBLIC: &str = "its name does not resolve to public addresses only";

/// One lookup's settings.
pub(super) struct Asker<'a> {
    http: &'a Http,
    timeout: Duration,
    reach: Reach,
    /// The addresses [`Reach::PublicOnly`] may connect to.
    pinning: Pinning,
}

/// What one GET gave.
#[derive(Debug)]
enum Got {
    Body { bytes: Vec<u8>, final_url: Url },
    Status(u16),
}

impl<'a> Asker<'a> {
    pub(super) fn new(http: &'a Http, timeout: Duration, reach: Reach) -> Asker<'a> {
        Asker {
            http,
            timeout,
            reach,
            pinning: Pinning::new(is_public_ip),
        }
    }

    pub(super) async fn lookup(&self, addr: &ServerAddr) -> Result<Contact, ContactError> {
        self.admit(addr)?;
        match self.instance(addr).await {
            Err(ContactError::NotMastodon { .. }) => {
                // The account domain may differ from the web domain
                // (`@alice@example.com` served by social.example.com);
                // host-meta says where the server really is.
                if let Some(web) = self.host_meta(addr).await {
                    // In PublicOnly, the web domain is checked as the
                    // first one was.
                    if web.domain != addr.domain && self.admit(&web).is_ok() {
                        if let Ok(contact) = self.instance(&web).await {
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

    /// In [`Reach::PublicOnly`], refuses a server whose name is not a
    /// public https name before anything is resolved or sent; its
    /// addresses are checked when it is asked.
    fn admit(&self, addr: &ServerAddr) -> Result<(), ContactError> {
        match self.reach {
            Reach::Anywhere => Ok(()),
            Reach::PublicOnly => {
                check_public_server(addr).map_err(|reason| self.refuse(addr, reason))
            }
        }
    }

    fn refuse(&self, addr: &ServerAddr, reason: &str) -> ContactError {
        ContactError::NotPublic {
            host: clean(&addr.domain, 253),
            reason: reason.to_string(),
        }
    }

    /// The server that answered a request to `asked` (redirects followed
    /// only in [`Reach::Anywhere`]).
    fn answered(&self, asked: &ServerAddr, final_url: &Url) -> ServerAddr {
        match self.reach {
            Reach::Anywhere => ServerAddr::from_url(final_url).unwrap_or_else(|| asked.clone()),
            Reach::PublicOnly => asked.clone(),
        }
    }

    async fn instance(&self, addr: &ServerAddr) -> Result<Contact, ContactError> {
        let v2_status = match self.get(addr, "/api/v2/instance").await? {
            Got::Body { bytes, final_url } => match serde_json::from_slice::<V2>(&bytes) {
                Ok(v2) if !v2.domain.trim().is_empty() => {
                    let answered = self.answered(addr, &final_url);
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
                    let answered = self.answered(addr, &final_url);
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
            .find(|s| *s != 404 && *s != 410);
        Err(match failure {
            Some(status) => ContactError::Http {
                host: addr.domain.clone(),
                status,
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
        web_domain_of_host_meta(&String::from_utf8_lossy(&bytes))
    }

    /// What a request may do: in [`Reach::Anywhere`] up to five redirects
    /// and any address; in [`Reach::PublicOnly`] no redirect, and only the
    /// checked public addresses, over https.
    fn policy(&self) -> Policy {
        match self.reach {
            Reach::Anywhere => Policy {
                redirects: Redirects::Limited(5),
                pinning: None,
            },
            Reach::PublicOnly => Policy {
                redirects: Redirects::None,
                pinning: Some(self.pinning.clone()),
            },
        }
    }

    /// GET `{base}{path}`: the body on 2xx (at most `MAX_BODY`), the status
    /// otherwise; other failures become errors naming the host.
    async fn get(&self, addr: &ServerAddr, path: &str) -> Result<Got, ContactError> {
        let url = format!("{}{path}", addr.base);
        let get = Get::new("application/json", self.timeout, MAX_BODY).with_policy(self.policy());
        match self.http.get(&url, &get).await {
            Ok(r) if r.is_success() => Ok(Got::Body {
                bytes: r.body.to_vec(),
                final_url: r.url,
            }),
            Ok(r) => Ok(Got::Status(r.status)),
            // Not an instance document; treat it as no answer.
            Err(HttpError::TooLarge { .. }) => Ok(Got::Status(413)),
            Err(e) => Err(self.failure(addr, e)),
        }
    }

    fn failure(&self, addr: &ServerAddr, e: HttpError) -> ContactError {
        let unreachable = |detail: String| ContactError::Unreachable {
            host: addr.domain.clone(),
            detail,
            about_url: addr.about_url(),
        };
        match e {
            HttpError::Timeout { .. } | HttpError::Idle { .. } => ContactError::Timeout {
                host: addr.domain.clone(),
                waited: human_duration(self.timeout),
                about_url: addr.about_url(),
            },
            HttpError::NotHttps { .. } => self.refuse(addr, "only https servers are asked"),
            HttpError::AddressRefused { .. } => self.refuse(addr, NOT_PUBLIC),
            HttpError::Resolve { .. } if self.reach == Reach::PublicOnly => {
                self.refuse(addr, NOT_PUBLIC)
            }
            HttpError::Resolve { .. } => unreachable(
                "the name does not resolve (check its spelling and the network connection)"
                    .to_string(),
            ),
            HttpError::TooManyRedirects { .. } => {
                unreachable("it redirects in circles".to_string())
            }
            HttpError::Connect { detail, .. } => unreachable(detail),
            other => unreachable(clean(&other.to_string(), 200)),
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

#[cfg(test)]
mod tests {
    use std::net::IpAddr;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::http::Resolver;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn addr_of(base: &str) -> ServerAddr {
        ServerAddr::from_url(&Url::parse(base).unwrap()).unwrap()
    }

    /// A resolver answering from `table`, recording the names it was asked.
    fn table(table: &[(&str, &[&str])]) -> (Resolver, Arc<Mutex<Vec<String>>>) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let table: Vec<(String, Vec<IpAddr>)> = table
            .iter()
            .map(|(name, ips)| (name.to_string(), ips.iter().map(|s| ip(s)).collect()))
            .collect();
        let log = asked.clone();
        let resolver: Resolver = Arc::new(move |host: String| {
            log.lock().unwrap().push(host.clone());
            let found = table
                .iter()
                .find(|(n, _)| *n == host)
                .map(|(_, ips)| ips.clone());
            Box::pin(async move {
                found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "NXDOMAIN"))
            })
        });
        (resolver, asked)
    }

    /// An [`Asker`] in public-only mode whose resolver answers from `table`
    /// and records the names it was asked.
    fn public_asker(table_: &[(&str, &[&str])]) -> (Asker<'static>, Arc<Mutex<Vec<String>>>) {
        let (resolver, asked) = table(table_);
        let mut asker = Asker::new(Http::shared(), Duration::from_secs(2), Reach::PublicOnly);
        asker.pinning = Pinning::new(is_public_ip).with_resolver(resolver);
        (asker, asked)
    }

    fn refused(r: Result<Contact, ContactError>) -> String {
        match r {
            Err(ContactError::NotPublic { reason, .. }) => reason,
            Err(e) => panic!("refused for the wrong reason: {e:?}"),
            Ok(c) => panic!("a contact was found: {c:?}"),
        }
    }

    #[tokio::test]
    async fn a_name_that_resolves_inside_the_network_is_not_asked() {
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
            let reason = refused(asker.lookup(&addr_of(&format!("https://{name}"))).await);
            // The same words whether the name resolves inside or not at all.
            assert_eq!(reason, NOT_PUBLIC);
        }
        // A public one passes the check (no request is made here).
        let addrs = asker
            .pinning
            .resolve(&Url::parse("https://mastodon.social/api/v2/instance").unwrap())
            .await
            .expect("a public server is asked");
        assert_eq!(addrs.len(), 2);
        assert!(addrs.iter().all(|a| a.port() == 443));
        // Names refused for what they are are not even resolved.
        asked.lock().unwrap().clear();
        for base in [
            "http://mastodon.social",
            "https://localhost",
            "https://127.0.0.1",
            "https://mastodon.social:8443",
            "http://10.0.0.5:8080",
        ] {
            refused(asker.lookup(&addr_of(base)).await);
        }
        assert!(
            asked.lock().unwrap().is_empty(),
            "{:?}",
            asked.lock().unwrap()
        );
    }

    #[tokio::test]
    async fn the_system_resolver_puts_localhost_on_loopback_and_it_is_refused() {
        let ips = (crate::http::system_resolver())("localhost".to_string())
            .await
            .unwrap();
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
    async fn a_host_meta_web_domain_that_resolves_inside_is_not_asked() {
        let (asker, _) = public_asker(&[("web.example.net", &["10.0.0.5"])]);
        let meta = "<Link rel='lrdd' template='https://web.example.net/.well-known/webfinger?resource={uri}'/>";
        let web = web_domain_of_host_meta(meta).unwrap();
        assert_eq!(asker.admit(&web), Ok(()), "the name itself is public");
        refused(asker.instance(&web).await);
    }

    #[tokio::test]
    async fn a_public_only_lookup_follows_no_redirect_and_resolves_nothing_else() {
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
        // The asker of a lookup, short of https only (the servers here speak
        // plain http) and with loopback standing in for public addresses.
        let (resolver, _) = table(&[("social.example.org", &["127.0.0.1"])]);
        let mut asker = Asker::new(Http::shared(), Duration::from_secs(2), Reach::PublicOnly);
        asker.pinning = Pinning::new(|ip: IpAddr| ip.is_loopback())
            .with_resolver(resolver)
            .allowing_http();
        let port = public.address().port();
        let pinned = addr_of(&format!("http://social.example.org:{port}"));
        match asker.get(&pinned, "/api/v2/instance").await {
            Ok(Got::Status(s)) => assert_eq!(s, 302),
            Ok(Got::Body { final_url, .. }) => panic!("the redirect was followed to {final_url}"),
            Err(e) => panic!("{e}"),
        }
        // The whole lookup stops at the redirect too.
        let err = asker.instance(&pinned).await.unwrap_err();
        assert!(
            matches!(err, ContactError::Http { status: 302, .. }),
            "{err:?}"
        );
        // A name the resolver does not know is not asked.
        let other = addr_of(&format!("http://other.example.org:{port}"));
        assert!(matches!(
            asker.get(&other, "/api/v2/instance").await,
            Err(ContactError::NotPublic { .. })
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
    async fn a_public_only_lookup_speaks_https_only() {
        let (asker, asked) = public_asker(&[("mastodon.social", &["93.184.215.14"])]);
        // Even a plain-http address of a public name is refused before any
        // name is resolved or connection made.
        let err = asker
            .get(&addr_of("http://mastodon.social"), "/api/v2/instance")
            .await
            .unwrap_err();
        assert_eq!(
            err,
            ContactError::NotPublic {
                host: "mastodon.social".into(),
                reason: "only https servers are asked".into()
            }
        );
        assert!(asked.lock().unwrap().is_empty());
    }
}
