//! Synthetic Mastodon-like issues for benchmarks and tests: bug reports in
//! the issue forms' Markdown, feature pitches, support questions and old
//! free-text reports, with Mastodon's many words for one thing, a long tail
//! of rare words (names, domains, error classes), logs, and some issues that
//! re-word an earlier one and are marked as its duplicate. Deterministic for
//! a given seed.

use issue_preflight::issue::{IssueRecord, IssueState};

/// A small xorshift64* generator: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Heavy-tailed index in `0..n`: small ones are common, large ones rare.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64).ln() * u).exp() as usize)
            .saturating_sub(1)
            .min(n - 1)
    }
}

/// Things issues are about, each with the several ways people name it.
const THINGS: &[&[&str]] = &[
    &["boosts", "reblogs", "boosted posts", "retoots"],
    &[
        "the home timeline",
        "the home feed",
        "my home TL",
        "the home column",
    ],
    &["the local timeline", "the local TL", "the local feed"],
    &[
        "the federated timeline",
        "the federated TL",
        "the public timeline",
    ],
    &[
        "notifications",
        "the notification column",
        "notifs",
        "mention notifications",
    ],
    &[
        "content warnings",
        "CWs",
        "spoiler text",
        "content warning text",
    ],
    &[
        "direct messages",
        "DMs",
        "private mentions",
        "direct mentions",
    ],
    &["favourites", "favs", "likes", "favorited posts"],
    &["toots", "posts", "statuses"],
    &["polls", "poll options", "poll results"],
    &[
        "media attachments",
        "uploaded images",
        "pictures",
        "attached videos",
    ],
    &["alt text", "image descriptions", "media descriptions"],
    &["custom emoji", "custom emojis", "the emoji picker"],
    &["hashtags", "followed hashtags", "tags"],
    &["lists", "list timelines", "my lists"],
    &["filters", "keyword filters", "muted words"],
    &["search", "full-text search", "the search results"],
    &[
        "follow requests",
        "pending follow requests",
        "follower requests",
    ],
    &["the profile page", "profile fields", "the profile header"],
    &["link previews", "preview cards", "link cards"],
    &["translations", "the translate button", "translated posts"],
    &["two-factor authentication", "2FA", "TOTP codes"],
    &["the sign up page", "registrations", "the registration form"],
    &[
        "account migration",
        "moving followers",
        "the move account feature",
    ],
    &["reports", "the moderation queue", "moderation reports"],
    &["the admin dashboard", "admin settings", "server settings"],
    &["Sidekiq queues", "background jobs", "the Sidekiq workers"],
    &[
        "Elasticsearch indexing",
        "the search index",
        "chewy indices",
    ],
    &["S3 object storage", "media storage", "the S3 bucket"],
    &[
        "the streaming API",
        "streaming server",
        "websocket streaming",
    ],
    &[
        "push notifications",
        "web push",
        "mobile push notifications",
    ],
    &["scheduled posts", "scheduled toots", "post scheduling"],
    &["quote posts", "quoted toots", "quotes"],
    &["bookmarks", "bookmarked posts", "saved posts"],
    &["domain blocks", "blocked instances", "defederated servers"],
    &["the compose box", "the toot composer", "the post editor"],
    &["edit history", "edited posts", "post edits"],
    &["relays", "relay subscriptions", "ActivityPub relays"],
];

const FAILURES: &[&[&str]] = &[
    &["don't load", "never load", "fail to load", "stay blank"],
    &[
        "show the wrong count",
        "display an incorrect number",
        "count wrong",
    ],
    &[
        "disappear after refresh",
        "vanish when I reload",
        "are gone after reloading",
    ],
    &["are duplicated", "show up twice", "appear two times"],
    &["crash the app", "make the app crash", "cause a crash"],
    &[
        "are not federated",
        "don't federate",
        "never reach other servers",
    ],
    &["are very slow", "take forever", "lag badly"],
    &[
        "ignore the language setting",
        "use the wrong language",
        "ignore my locale",
    ],
    &[
        "break the layout on mobile",
        "overflow on small screens",
        "are cut off on phones",
    ],
    &[
        "return a 500 error",
        "fail with HTTP 500",
        "give an internal server error",
    ],
    &[
        "return 422",
        "fail with 422 Unprocessable Entity",
        "are rejected with 422",
    ],
    &[
        "are not marked as read",
        "stay unread",
        "keep the unread badge",
    ],
];

const WISHES: &[&str] = &[
    "an option to hide",
    "a way to export",
    "the ability to pin",
    "a setting to sort",
    "a button to mute",
    "keyboard shortcuts for",
    "an API endpoint for",
    "better accessibility for",
    "a per-account switch for",
    "a preview of",
    "the possibility to edit",
    "an undo for",
];

const CONTEXTS: &[&str] = &[
    "in the advanced web interface",
    "on Firefox",
    "in Safari",
    "after upgrading to 4.3",
    "on the iOS app",
    "on Android",
    "when using a screen reader",
    "for remote accounts",
    "on a single-user instance",
    "behind Cloudflare",
    "with a Docker deployment",
    "in the mobile layout",
    "",
    "",
    "",
];

const BROWSERS: &[&str] = &[
    "Firefox 128.0",
    "Chrome 126.0.6478",
    "Safari 17.5",
    "Edge 125.0",
    "Vivaldi 6.7",
];
const SYSTEMS: &[&str] = &[
    "macOS 14.5",
    "Windows 11",
    "Ubuntu 24.04",
    "iOS 17.5",
    "Android 14",
];
const LABELS: &[&str] = &[
    "bug",
    "suggestion",
    "area/web interface",
    "status/to triage",
    "api",
    "ui",
    "activitypub",
    "performance",
    "accessibility",
    "moderation",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "pe", "ga", "dri", "fen", "bol", "quo", "zen",
    "tar", "wil", "mox", "lun", "hap", "sel", "gri", "nob", "vek", "pra", "dus", "ob", "ix", "el",
    "am",
];

/// A rare word: names, domains, identifiers. Heavy-tailed like real text.
fn rare_word(rng: &mut Rng) -> String {
    let mut id = rng.zipf(400_000) + 31;
    let mut w = String::new();
    while id > 0 {
        w.push_str(SYLLABLES[id % SYLLABLES.len()]);
        id /= SYLLABLES.len();
    }
    w
}

/// What an issue is about; a duplicate re-words the same spec.
#[derive(Clone, Copy)]
struct Spec {
    kind: u8, // 0 bug, 1 feature, 2 support
    thing: usize,
    other: usize,
    failure: usize,
    wish: usize,
    context: usize,
}

fn spec(rng: &mut Rng) -> Spec {
    let k = rng.below(100);
    Spec {
        kind: if k < 50 {
            0
        } else if k < 85 {
            1
        } else {
            2
        },
        thing: rng.zipf(THINGS.len()),
        other: rng.below(THINGS.len()),
        failure: rng.below(FAILURES.len()),
        wish: rng.below(WISHES.len()),
        context: rng.below(CONTEXTS.len()),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn name_of(rng: &mut Rng, group: &[&str]) -> String {
    rng.pick(group).to_string()
}

fn title(rng: &mut Rng, s: &Spec) -> String {
    let thing = name_of(rng, THINGS[s.thing]);
    let bare = thing.trim_start_matches("the ").trim_start_matches("my ");
    match s.kind {
        0 => {
            let failure = name_of(rng, FAILURES[s.failure]);
            let ctx = CONTEXTS[s.context];
            match rng.below(4) {
                0 => format!("{} {failure} {ctx}", capitalise(bare)),
                1 => format!("[Bug] {} {failure}", capitalise(bare)),
                2 => format!("{}: {failure} {ctx}", capitalise(bare)),
                _ => format!("Since upgrading, {bare} {failure}"),
            }
            .trim()
            .to_string()
        }
        1 => {
            let wish = WISHES[s.wish];
            match rng.below(4) {
                0 => format!("Add {wish} {bare}"),
                1 => format!("Feature request: {wish} {bare}"),
                2 => format!("Please add {wish} {bare}"),
                _ => format!("{}: {wish} them", capitalise(bare)),
            }
        }
        _ => match rng.below(4) {
            0 => format!("How do I use {bare} on my server?"),
            1 => format!("Can't log in to my account on {}.social", rare_word(rng)),
            2 => format!("My account was suspended after posting about {bare}"),
            _ => format!("Question about {bare}"),
        },
    }
}

fn sentence(rng: &mut Rng, s: &Spec) -> String {
    let thing = name_of(rng, THINGS[s.thing]);
    let other = name_of(rng, THINGS[s.other]);
    let failure = name_of(rng, FAILURES[s.failure]);
    let rare = rare_word(rng);
    match rng.below(10) {
        0 => format!("When I open {thing}, {other} {failure}."),
        1 => format!("This started after our admin {rare} upgraded the server."),
        2 => format!("It happens with {thing} and also with {other}."),
        3 => format!("I tried clearing the cache but {thing} still {failure}."),
        4 => format!("Other users on {rare}.social see the same thing."),
        5 => format!("The {rare} client does not have this problem with {thing}."),
        6 => format!("Maybe related to {other}?"),
        7 => format!("I expected {thing} to work like {other} does."),
        8 => "Reproducible every time, also in a private window.".to_string(),
        _ => format!(
            "See the post by @{rare}@{}.social for an example.",
            rare_word(rng)
        ),
    }
}

fn paragraph(rng: &mut Rng, s: &Spec, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng, s))
        .collect::<Vec<_>>()
        .join(" ")
}

fn log_block(rng: &mut Rng) -> String {
    let class = capitalise(&rare_word(rng));
    let mut out = format!(
        "```\n{class}Error: undefined method `{}' for nil\n",
        rare_word(rng)
    );
    for _ in 0..(5 + rng.below(40)) {
        out.push_str(&format!(
            "    at {} (app/{}/{}.rb:{}:in `{}')\n",
            capitalise(&rare_word(rng)),
            rng.pick(&["models", "services", "workers", "lib", "controllers"]),
            rare_word(rng),
            rng.below(400) + 1,
            rare_word(rng)
        ));
    }
    out.push_str("```");
    out
}

fn body(rng: &mut Rng, s: &Spec) -> String {
    let thing = name_of(rng, THINGS[s.thing]);
    let failure = name_of(rng, FAILURES[s.failure]);
    match (s.kind, rng.below(10)) {
        // The bug-report form.
        (0, 0..=6) => {
            let detailed = if rng.chance(40) {
                "_No response_".to_string()
            } else {
                {
                    let k = 2 + rng.below(5);
                    paragraph(rng, s, k)
                }
            };
            let technical = if rng.chance(25) {
                log_block(rng)
            } else {
                "_No response_".to_string()
            };
            format!(
                "### Steps to reproduce the problem\n\n1. Log in on {}.social\n2. Open {thing}\n3. {}\n\n\
                 ### Expected behaviour\n\n{} should work normally\n\n\
                 ### Actual behaviour\n\n{} {failure}\n\n\
                 ### Detailed description\n\n{detailed}\n\n\
                 ### Mastodon instance\n\n{}.social\n\n\
                 ### Mastodon version\n\nv4.{}.{}\n\n\
                 ### Browser name and version\n\n{}\n\n\
                 ### Operating system\n\n{}\n\n\
                 ### Technical details\n\n{technical}",
                rare_word(rng),
                sentence(rng, s),
                capitalise(&thing),
                capitalise(&thing),
                rare_word(rng),
                rng.below(4),
                rng.below(10),
                rng.pick(BROWSERS),
                rng.pick(SYSTEMS),
            )
        }
        // The feature-request form.
        (1, 0..=6) => format!(
            "### Pitch\n\nI would like {} {thing}. {}\n\n### Motivation\n\n{}",
            WISHES[s.wish],
            {
                let k = 1 + rng.below(3);
                paragraph(rng, s, k)
            },
            {
                let k = 1 + rng.below(4);
                paragraph(rng, s, k)
            },
        ),
        // Old free-text issues with the former template's checkbox.
        _ => {
            let mut b = {
                let k = 2 + rng.below(6);
                paragraph(rng, s, k)
            };
            if rng.chance(30) {
                b.push_str("\n\n");
                b.push_str(&log_block(rng));
            }
            if rng.chance(50) {
                b.push_str(
                    "\n\n* * * *\n\n- [x] I searched or browsed the repo’s other issues to ensure this is not a duplicate.",
                );
            }
            b
        }
    }
}

/// `n` synthetic issues numbered from 1 (with gaps, as pull requests share
/// the numbering), deterministic for `seed`.
pub fn generate(n: usize, seed: u64) -> Vec<IssueRecord> {
    let mut rng = Rng::new(seed);
    let mut specs: Vec<Spec> = Vec::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    let mut number = 0u64;
    for i in 0..n {
        number += 1 + u64::from(rng.chance(35));
        // About one issue in 25 re-words an earlier one.
        let dup_of = (i > 10 && rng.chance(4)).then(|| rng.below(i));
        let s = match dup_of {
            Some(j) => specs[j],
            None => spec(&mut rng),
        };
        specs.push(s);
        let closed = dup_of.is_some() || rng.chance(65);
        let state_reason = if dup_of.is_some() {
            Some("duplicate".to_string())
        } else if closed {
            Some(
                if rng.chance(70) {
                    "completed"
                } else {
                    "not_planned"
                }
                .to_string(),
            )
        } else {
            None
        };
        let mut labels = vec![rng.pick(LABELS).to_string()];
        if rng.chance(30) {
            labels.push(rng.pick(LABELS).to_string());
        }
        let day = 1 + (i * 3000 / n.max(1)) as u64;
        out.push(IssueRecord {
            number,
            title: title(&mut rng, &s),
            body: body(&mut rng, &s),
            state: if closed {
                IssueState::Closed
            } else {
                IssueState::Open
            },
            state_reason,
            url: format!("https://github.com/mastodon/mastodon/issues/{number}"),
            labels,
            duplicate_of: dup_of.map(|j| out_number(&out, j)),
            updated_at: Some(format!(
                "{}-{:02}-{:02}T{:02}:{:02}:00Z",
                2017 + day / 365,
                1 + (day % 365) / 31 % 12,
                1 + day % 28,
                rng.below(24),
                rng.below(60)
            )),
            author: Some(format!("{}{}", rare_word(&mut rng), rng.below(100))),
        });
    }
    out
}

fn out_number(out: &[IssueRecord], j: usize) -> u64 {
    out[j].number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let a = generate(300, 7);
        assert_eq!(a, generate(300, 7));
        assert_ne!(a, generate(300, 8));
        assert_eq!(a.len(), 300);
        assert!(a.windows(2).all(|w| w[0].number < w[1].number));
        let titles: std::collections::HashSet<&str> = a.iter().map(|r| r.title.as_str()).collect();
        assert!(titles.len() > 200, "only {} distinct titles", titles.len());
        assert!(a
            .iter()
            .any(|r| r.body.contains("### Steps to reproduce the problem")));
        assert!(a.iter().any(|r| r.body.contains("### Pitch")));
        assert!(a.iter().any(|r| r.body.contains("```")));
        let dups: Vec<&IssueRecord> = a.iter().filter(|r| r.duplicate_of.is_some()).collect();
        assert!(!dups.is_empty());
        for d in dups {
            let orig = d.duplicate_of.unwrap();
            assert!(orig < d.number && a.iter().any(|r| r.number == orig));
            assert_eq!(d.state_reason.as_deref(), Some("duplicate"));
        }
    }
}
