//! What can go wrong on the way to a host, one sentence each naming it.

use std::time::Duration;

/// A failure of [`super::Http`]: the network, the server, or the
/// [`super::Policy`] refusing to go somewhere. Every message names the host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("`{url}` is not an http(s) address")]
    BadUrl { url: String },

    /// [`super::Pinning`] allows https only.
    #[error("{host} is not asked: only https is allowed here")]
    NotHttps { host: String },

    /// [`super::Pinning`]: the name resolves to (or is) an address the
    /// predicate refuses, or to none.
    #[error("{host} is not asked: it resolves to an address that is not allowed")]
    AddressRefused { host: String },

    /// The name does not resolve.
    #[error("{host} does not resolve; check its spelling and the network connection")]
    Resolve { host: String },

    /// Connecting, TLS, or the exchange failed.
    #[error("could not reach {host}: {detail}")]
    Connect { host: String, detail: String },

    /// The overall deadline of a GET passed.
    #[error("{host} did not answer completely within {}", human(*after))]
    Timeout { host: String, after: Duration },

    /// A download made no progress for this long.
    #[error("{host} sent nothing for {}; run again to resume", human(*after))]
    Idle { host: String, after: Duration },

    /// The answer is larger than the cap.
    #[error("{host} sent more than the {} allowed", bytes(*limit))]
    TooLarge { host: String, limit: u64 },

    #[error("{host} redirects more than {limit} times")]
    TooManyRedirects { host: String, limit: u8 },

    /// A download answered with a status that carries no file.
    #[error("{host} answered HTTP {status}")]
    Status { host: String, status: u16 },

    /// The answer breaks HTTP or the download's expectations.
    #[error("{host} sent an unusable answer: {detail}")]
    Protocol { host: String, detail: String },

    /// The writer of a download failed.
    #[error("the download from {host} could not be written: {detail}")]
    Write { host: String, detail: String },
}

impl HttpError {
    /// The host the error names (empty for [`HttpError::BadUrl`]).
    pub fn host(&self) -> &str {
        match self {
            HttpError::BadUrl { .. } => "",
            HttpError::NotHttps { host }
            | HttpError::AddressRefused { host }
            | HttpError::Resolve { host }
            | HttpError::Connect { host, .. }
            | HttpError::Timeout { host, .. }
            | HttpError::Idle { host, .. }
            | HttpError::TooLarge { host, .. }
            | HttpError::TooManyRedirects { host, .. }
            | HttpError::Status { host, .. }
            | HttpError::Protocol { host, .. }
            | HttpError::Write { host, .. } => host,
        }
    }

    /// The deadline or the idle limit passed.
    pub fn is_timeout(&self) -> bool {
        matches!(self, HttpError::Timeout { .. } | HttpError::Idle { .. })
    }
}

/// `300 ms`, `8 s`, `1.5 s`.
pub(crate) fn human(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `512 bytes`, `2 MB` (MB of 1,048,576 bytes), `1.5 KB`.
pub(crate) fn bytes(n: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let (unit, size) = if n >= MB {
        ("MB", MB)
    } else if n >= KB {
        ("KB", KB)
    } else {
        return format!("{n} bytes");
    };
    if n % size == 0 {
        format!("{} {unit}", n / size)
    } else {
        format!("{:.1} {unit}", n as f64 / size as f64)
    }
}

/// Describes a failed exchange by its cause, without URLs.
pub(crate) fn transport(host: &str, err: &hyper_util::client::legacy::Error) -> HttpError {
    if let Some(resolve) = dns_failure(host, err) {
        return resolve;
    }
    HttpError::Connect {
        host: host.to_string(),
        detail: describe(err),
    }
}

/// A failure while reading a body.
pub(crate) fn body(host: &str, err: &hyper::Error) -> HttpError {
    HttpError::Connect {
        host: host.to_string(),
        detail: describe(err),
    }
}

fn dns_failure(host: &str, err: &(dyn std::error::Error + 'static)) -> Option<HttpError> {
    is_dns_failure(err).then(|| HttpError::Resolve {
        host: host.to_string(),
    })
}

/// The host name did not resolve.
pub(crate) fn is_dns_failure(err: &(dyn std::error::Error + 'static)) -> bool {
    let text = chain_text(err);
    text.contains("dns error") || text.contains("failed to lookup address")
}

fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = String::new();
    let mut cur = Some(err);
    while let Some(e) = cur {
        text.push_str(&e.to_string().to_ascii_lowercase());
        text.push(' ');
        cur = e.source();
    }
    text
}

/// The words for a transport failure: refused, reset, TLS, or the
/// innermost cause cleaned up.
pub(crate) fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = err.to_string();
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return "the connection was refused".to_string()
                }
                std::io::ErrorKind::TimedOut => return "the connection timed out".to_string(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    return "the connection was cut".to_string()
                }
                _ => {}
            }
        }
        innermost = e.to_string();
        cur = e.source();
    }
    let text = chain_text(err);
    if text.contains("connection refused") {
        "the connection was refused".to_string()
    } else if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
        "its TLS certificate was not accepted".to_string()
    } else if text.contains("timed out") {
        "the connection timed out".to_string()
    } else {
        clean(&innermost)
    }
}

/// Text from an error made safe for one line.
fn clean(text: &str) -> String {
    let folded: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    folded.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_well() {
        assert_eq!(bytes(512), "512 bytes");
        assert_eq!(bytes(2 * 1024 * 1024), "2 MB");
        assert_eq!(bytes(1536), "1.5 KB");
        assert_eq!(human(Duration::from_millis(300)), "300 ms");
        assert_eq!(human(Duration::from_secs(8)), "8 s");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn messages_name_the_host() {
        let e = HttpError::TooLarge {
            host: "cdn.example.org".into(),
            limit: 32 * 1024 * 1024,
        };
        assert_eq!(
            e.to_string(),
            "cdn.example.org sent more than the 32 MB allowed"
        );
        assert_eq!(e.host(), "cdn.example.org");
        assert!(HttpError::Idle {
            host: "h".into(),
            after: Duration::from_secs(30)
        }
        .is_timeout());
    }
}
