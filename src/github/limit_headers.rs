//! GitHub's rate limits, read from an answer's headers: octocrab reports a
//! refusal after the fact and does not wait, so [`super::guard`] asks here
//! whether a 403/429 is a limit and how long GitHub wants it to wait.

use std::time::Duration;

use chrono::{DateTime, Utc};
use http::HeaderMap;

pub(crate) fn now_unix() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap_or(0)
}

/// `14:05 UTC` (with the date when it is not today).
pub(crate) fn utc_clock(unix: u64, now: u64) -> String {
    let at = |t: u64| DateTime::<Utc>::from_timestamp(i64::try_from(t).unwrap_or(0), 0);
    match (at(unix), at(now)) {
        (Some(t), Some(n)) if t.date_naive() == n.date_naive() => t.format("%H:%M UTC").to_string(),
        (Some(t), _) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        (None, _) => "later".to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

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
}
