//! Small pieces of GitHub's wire format: `Link` headers, rate-limit headers,
//! times shown to people, and the base64 of the contents API.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// The `rel="next"` target of a `Link` header, if any.
///
/// Parsed by angle brackets rather than by splitting on commas, since the
/// URLs themselves may contain commas (search queries do).
pub(crate) fn next_link(link: &str) -> Option<String> {
    let mut rest = link;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let url = &after[..close];
        let tail = &after[close + 1..];
        let params_end = tail.find('<').unwrap_or(tail.len());
        let params = &tail[..params_end];
        let is_next = params.split(';').any(|p| {
            let p = p.trim().trim_end_matches(',').trim();
            match p.split_once('=') {
                Some((k, v)) => {
                    k.trim().eq_ignore_ascii_case("rel")
                        && v.trim()
                            .trim_matches('"')
                            .split_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("next"))
                }
                None => false,
            }
        });
        if is_next {
            return Some(url.trim().to_string());
        }
        rest = tail;
    }
    None
}

pub(crate) fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `14:05 UTC` (with the date when it is not today).
pub(crate) fn utc_clock(unix: u64, now: u64) -> String {
    let (h, m) = ((unix % 86_400) / 3_600, (unix % 3_600) / 60);
    if unix / 86_400 == now / 86_400 {
        format!("{h:02}:{m:02} UTC")
    } else {
        let (y, mo, d) = civil_from_days((unix / 86_400) as i64);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02} UTC")
    }
}

/// `2026-11-29T07:05:00Z`: GitHub's timestamp format, which sorts as text.
pub(crate) fn iso_utc(unix: u64) -> String {
    let (y, mo, d) = civil_from_days((unix / 86_400) as i64);
    let (h, m, s) = ((unix % 86_400) / 3_600, (unix % 3_600) / 60, unix % 60);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// A refusal because of a rate limit, and how long GitHub asks us to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limit {
    pub wait: Duration,
    pub reset_at: u64,
    pub secondary: bool,
}

/// Reads a 403/429 answer: `None` when it is not a rate limit (a plain
/// permission refusal).
pub(crate) fn rate_limit(
    status: u16,
    headers: &HeaderMap,
    message: &str,
    now: u64,
    secondary_default: Duration,
) -> Option<Limit> {
    if status != 403 && status != 429 {
        return None;
    }
    let remaining = header_u64(headers, "x-ratelimit-remaining");
    let reset = header_u64(headers, "x-ratelimit-reset");
    let retry_after = header_u64(headers, "retry-after");
    let msg = message.to_ascii_lowercase();
    let mentions = msg.contains("rate limit") || msg.contains("abuse");
    if !(status == 429 || remaining == Some(0) || retry_after.is_some() || mentions) {
        return None;
    }
    let secondary = remaining != Some(0) || msg.contains("secondary");
    let wait = match (retry_after, remaining, reset) {
        (Some(s), _, _) => Duration::from_secs(s),
        (None, Some(0), Some(r)) => Duration::from_secs(r.saturating_sub(now) + 1),
        _ => secondary_default,
    };
    let reset_at = match (retry_after, remaining, reset) {
        (None, Some(0), Some(r)) => r,
        _ => now + wait.as_secs_f64().ceil() as u64,
    };
    Some(Limit {
        wait,
        reset_at,
        secondary,
    })
}

/// `Retry-After` in seconds, if given (GitHub sends seconds, not dates).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    header_u64(headers, "retry-after").map(Duration::from_secs)
}

/// Standard base64 with the line breaks GitHub's contents API puts in.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    }
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let data = match clean.iter().position(|&b| b == b'=') {
        Some(p) if clean[p..].iter().all(|&b| b == b'=') && clean[p..].len() <= 2 => &clean[..p],
        Some(_) => return None,
        None => &clean[..],
    };
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= val(c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn next_link_is_found_among_others() {
        let h = r#"<https://api.github.com/repositories/1/issues?page=1>; rel="prev", <https://api.github.com/repositories/1/issues?q=a,b&page=3>; rel="next", <https://api.github.com/repositories/1/issues?page=9>; rel="last""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://api.github.com/repositories/1/issues?q=a,b&page=3")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="first""#), None);
        assert_eq!(next_link(""), None);
    }

    #[test]
    fn iso_timestamps_match_github() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_795_936_076), "2026-11-29T07:07:56Z");
    }

    #[test]
    fn clock_is_utc() {
        // 2025-07-11 14:05:30 UTC
        let t = 1_752_242_730;
        assert_eq!(utc_clock(t, t - 60), "14:05 UTC");
        assert_eq!(utc_clock(t, t - 86_400), "2025-07-11 14:05 UTC");
    }

    #[test]
    fn primary_limit_waits_until_reset() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("1000"));
        let l = rate_limit(
            403,
            &h,
            "API rate limit exceeded",
            900,
            Duration::from_secs(60),
        )
        .unwrap();
        assert_eq!(l.wait, Duration::from_secs(101));
        assert_eq!(l.reset_at, 1000);
        assert!(!l.secondary);
    }

    #[test]
    fn secondary_limit_honours_retry_after_and_plain_403_is_not_a_limit() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("4000"));
        let l = rate_limit(
            403,
            &h,
            "You have exceeded a secondary rate limit",
            0,
            Duration::from_secs(60),
        )
        .unwrap();
        assert_eq!(l.wait, Duration::from_secs(7));
        assert!(l.secondary);
        let plain = HeaderMap::new();
        assert_eq!(
            rate_limit(
                403,
                &plain,
                "Resource not accessible by integration",
                0,
                Duration::from_secs(60)
            ),
            None
        );
        assert!(rate_limit(429, &plain, "", 0, Duration::from_secs(60)).is_some());
    }

    #[test]
    fn base64_with_newlines() {
        assert_eq!(
            decode_base64("bmFtZTogQnVn\nIHJlcG9ydAo=\n").unwrap(),
            b"name: Bug report\n"
        );
        assert_eq!(decode_base64("YQ==").unwrap(), b"a");
        assert_eq!(decode_base64("YWI=").unwrap(), b"ab");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert!(decode_base64("Y").is_none());
        assert!(decode_base64("Y*==").is_none());
    }
}
