//! What a reporter types for "your server", made into an address; and the
//! policy of [`Reach::PublicOnly`](super::Reach::PublicOnly): which names
//! and addresses count as public.
//!
//! Odd spellings of private addresses are caught by parsing, not by
//! pattern: the URL parser turns `2130706433`, `0x7f000001`,
//! `017700000001` and `127.1` into `127.0.0.1`, and an IP address is never
//! a public server's name; IPv4-mapped, NAT64 and 6to4 IPv6 addresses are
//! judged by the IPv4 address they carry.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};
use url::Url;

use super::contact::clean;
use super::{ContactError, ServerAddr};

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

/// Why [`Reach::PublicOnly`](super::Reach::PublicOnly) refuses `addr` before resolving it, if it
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

/// IPv4 ranges that hold no public server (IANA special-purpose registry).
const NOT_PUBLIC_V4: [Ipv4Net; 15] = [
    v4(0, 0, 0, 0, 8),       // "this network", unspecified
    v4(10, 0, 0, 0, 8),      // private
    v4(100, 64, 0, 0, 10),   // shared address space (CGNAT)
    v4(127, 0, 0, 0, 8),     // loopback
    v4(169, 254, 0, 0, 16),  // link-local, cloud metadata
    v4(172, 16, 0, 0, 12),   // private
    v4(192, 0, 0, 0, 24),    // IETF protocol assignments
    v4(192, 0, 2, 0, 24),    // documentation
    v4(192, 88, 99, 0, 24),  // 6to4 relay anycast
    v4(192, 168, 0, 0, 16),  // private
    v4(198, 18, 0, 0, 15),   // benchmarking
    v4(198, 51, 100, 0, 24), // documentation
    v4(203, 0, 113, 0, 24),  // documentation
    v4(224, 0, 0, 0, 4),     // multicast
    v4(240, 0, 0, 0, 4),     // reserved, broadcast
];

/// The only IPv6 space with public servers: global unicast.
const GLOBAL_UNICAST: Ipv6Net = v6([0x2000, 0, 0, 0, 0, 0, 0, 0], 3);
/// NAT64: reaches the IPv4 address in its last 32 bits.
const NAT64: Ipv6Net = v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96);
/// 6to4: reaches the IPv4 address in bits 16..48.
const SIX_TO_FOUR: Ipv6Net = v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16);
/// Global unicast space that holds no public server.
const NOT_PUBLIC_V6: [Ipv6Net; 3] = [
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), // IETF protocols: Teredo, ORCHID, benchmarking
    v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), // documentation
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation
];

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8) -> Ipv4Net {
    Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len)
}

const fn v6(s: [u16; 8], len: u8) -> Ipv6Net {
    Ipv6Net::new_assert(
        Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]),
        len,
    )
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
    !NOT_PUBLIC_V4.iter().any(|net| net.contains(&ip))
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
    if NAT64.contains(&ip) {
        return is_public_ipv4(embedded(s[6], s[7]));
    }
    // Only global unicast; this leaves out ::, ::1, IPv4-compatible and
    // -translated addresses, 64:ff9b:1::/48, 100::/64, unique local
    // fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast.
    if !GLOBAL_UNICAST.contains(&ip) {
        return false;
    }
    if SIX_TO_FOUR.contains(&ip) {
        return is_public_ipv4(embedded(s[1], s[2]));
    }
    !NOT_PUBLIC_V6.iter().any(|net| net.contains(&ip))
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

    #[test]
    fn odd_spellings_of_private_addresses_are_not_public() {
        // What a reporter may type, and the address the URL parser reads.
        for (typed, host) in [
            ("2130706433", "127.0.0.1"),
            ("0x7f000001", "127.0.0.1"),
            ("017700000001", "127.0.0.1"),
            ("127.1", "127.0.0.1"),
            ("0x7f.1", "127.0.0.1"),
            ("https://2130706433/", "127.0.0.1"),
            ("https://0x7f000001", "127.0.0.1"),
            ("@alice@017700000001", "127.0.0.1"),
            ("169.254.169.254", "169.254.169.254"),
            ("10.0.0.5.", "10.0.0.5"),
            ("[::ffff:127.0.0.1]", "[::ffff:7f00:1]"),
            ("https://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"),
            ("[::ffff:a9fe:a9fe]", "[::ffff:a9fe:a9fe]"),
        ] {
            let a = normalize_server(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(a.domain, host, "{typed}");
            assert_eq!(
                check_public_server(&a),
                Err("it is an IP address, not a domain name"),
                "{typed}"
            );
        }
        // Trailing dots name the same (local) hosts.
        for typed in [
            "localhost.",
            "LOCALHOST.",
            "https://localhost./",
            "foo.localhost.",
            "printer.local.",
            "metadata.google.internal.",
            "social.test.",
            "mastodon.social..",
        ] {
            if let Ok(a) = normalize_server(typed) {
                assert!(check_public_server(&a).is_err(), "{typed} passed");
            }
        }
        // The same spellings given to the name check as they are.
        for raw in [
            "2130706433",
            "0x7f000001",
            "017700000001",
            "127.1",
            "127.0.0.1.",
            "localhost.",
            "169.254.169.254",
            "[::ffff:127.0.0.1]",
            "::ffff:127.0.0.1",
            "printer.local.",
            "mastodon.social..",
            ".",
        ] {
            assert!(check_public_host_name(raw).is_err(), "{raw:?} passed");
        }
        // One trailing dot on a public name is the same public name.
        assert_eq!(check_public_host_name("mastodon.social."), Ok(()));
        assert_eq!(
            check_public_server(&normalize_server("mastodon.social.").unwrap()),
            Ok(())
        );
    }
}
