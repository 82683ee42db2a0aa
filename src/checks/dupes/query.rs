//! The query sent to GitHub's issue search when there is no local index.
//!
//! GitHub ranks the matches of `a OR b OR c` by relevance, issues that have
//! more of the words first, so the query lists the draft's key words joined
//! by `OR` (a plain `a b c` would demand every word, and a duplicate worded
//! differently would be missed); [`super::rank_records`] then re-ranks what
//! comes back. Key words are the title's content words, then the words the
//! answers repeat; where the reporter used one of Mastodon's synonyms
//! ("toot"), the folded word ("post") is added as an alternative while room
//! remains. GitHub's limits are kept: at most five operators and 256
//! characters.

use super::text::{self, Token};
use super::Query;
use crate::repo::Repo;
use std::collections::{HashMap, HashSet};

/// GitHub refuses queries longer than this.
pub const MAX_QUERY_CHARS: usize = 256;
/// GitHub refuses queries with more `AND`/`OR`/`NOT` operators than this.
pub const MAX_OPERATORS: usize = 5;
/// Key words taken from the title and from the answers.
const MAX_TITLE_WORDS: usize = 5;
const MAX_BODY_WORDS: usize = 2;

/// Words so common in Mastodon issues that they find nothing on their own:
/// picked last.
const WEAK: &[&str] = &[
    "post",
    "server",
    "account",
    "user",
    "app",
    "web",
    "page",
    "button",
    "setting",
    "click",
    "open",
    "error",
    "able",
    "list",
    "view",
    "display",
    "interface",
    "timeline",
];

/// Pieces of server addresses (`mastodon.social`) that answers repeat
/// without being what the issue is about.
const ADDRESS_PARTS: &[&str] = &[
    "social", "online", "com", "org", "net", "www", "io", "eu", "de", "fr", "uk", "jp", "xyz",
    "cloud", "club", "space", "host", "town", "world", "zone",
];

/// `repo:OWNER/NAME is:issue` followed by the draft's key words.
pub fn search_query(query: &Query, repo: &Repo) -> String {
    let prefix = format!("repo:{}/{} is:issue", repo.owner, repo.name);
    let title = text::analyze_title(&query.title);
    let body = text::analyze_body(&query.text);

    let mut picked: Vec<&Token> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    // Title words: strong ones first, keeping title order among equals.
    let mut title_words: Vec<(usize, &Token)> = title.iter().enumerate().collect();
    title_words.sort_by_key(|(i, t)| (WEAK.contains(&t.word.as_str()), *i));
    for (_, t) in title_words {
        if picked.len() >= MAX_TITLE_WORDS {
            break;
        }
        if seen.insert(t.term.as_str()) {
            picked.push(t);
        }
    }
    // Answer words the reporter repeats, longest (most specific) first.
    let mut counts: HashMap<&str, (usize, &Token)> = HashMap::new();
    for t in &body {
        counts.entry(t.term.as_str()).or_insert((0, t)).0 += 1;
    }
    let mut body_words: Vec<(usize, &Token)> = counts
        .into_values()
        .filter(|(n, t)| {
            *n >= 2 && !seen.contains(t.term.as_str()) && !ADDRESS_PARTS.contains(&t.word.as_str())
        })
        .collect();
    body_words.sort_by(|a, b| {
        let weak = |t: &Token| WEAK.contains(&t.word.as_str());
        weak(a.1)
            .cmp(&weak(b.1))
            .then(b.0.cmp(&a.0))
            .then(b.1.word.len().cmp(&a.1.word.len()))
            .then(a.1.word.cmp(&b.1.word))
    });
    let want_body = if picked.len() < 3 {
        MAX_BODY_WORDS + 1
    } else {
        MAX_BODY_WORDS
    };
    for (_, t) in body_words.into_iter().take(want_body) {
        if seen.insert(t.term.as_str()) {
            picked.push(t);
        }
    }

    // Only words the reporter wrote: GitHub's search knows its own word
    // forms, and a folded term (`alttext`) would match nothing.
    let mut words: Vec<String> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    for t in &picked {
        let w = quote(&t.surface);
        if used.insert(w.clone()) {
            words.push(w);
        }
    }
    words.truncate(MAX_OPERATORS + 1);
    // Within the length limit, dropping the last words first.
    loop {
        let q = if words.is_empty() {
            prefix.clone()
        } else {
            format!("{prefix} {}", words.join(" OR "))
        };
        if q.chars().count() <= MAX_QUERY_CHARS || words.is_empty() {
            return q;
        }
        words.pop();
    }
}

fn quote(s: &str) -> String {
    if s.contains(' ') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> Repo {
        "mastodon/mastodon".parse().unwrap()
    }

    fn operators(q: &str) -> usize {
        q.split_whitespace()
            .filter(|w| matches!(*w, "AND" | "OR" | "NOT"))
            .count()
    }

    #[test]
    fn starts_with_repo_and_is_issue() {
        let q = search_query(
            &Query {
                title: "Polls overflow on mobile".into(),
                text: String::new(),
            },
            &repo(),
        );
        assert!(q.starts_with("repo:mastodon/mastodon is:issue "), "{q}");
        assert!(
            q.contains("polls") && q.contains("overflow") && q.contains("mobile"),
            "{q}"
        );
    }

    #[test]
    fn drops_stop_words_and_form_boilerplate() {
        let q = search_query(
            &Query {
                title: "I would like the ability to pin hashtags".into(),
                text: "### Steps to reproduce the problem\n\n1.\n2.\n3.\n...\n\n### Expected behaviour\n\n_No response_\n\n\
                       ### Actual behaviour\n\n_No response_"
                    .into(),
            },
            &repo(),
        );
        for boring in [
            "would",
            "ability",
            "steps",
            "reproduce",
            "expected",
            "response",
            "behaviour",
        ] {
            assert!(!q.contains(boring), "{boring} in {q}");
        }
        assert!(q.contains("pin") && q.contains("hashtags"), "{q}");
    }

    #[test]
    fn only_words_the_reporter_wrote_are_searched() {
        let q = search_query(
            &Query {
                title: "Add a content warning to toots with alt text".into(),
                text: String::new(),
            },
            &repo(),
        );
        assert!(
            q.contains("\"content warning\"") && q.contains("toots"),
            "{q}"
        );
        // Folded terms are for ranking only: nobody wrote them.
        for never in ["cw", "post", "alttext"] {
            assert!(!q.split(' ').any(|w| w == never), "{never} in {q}");
        }
        // A plural is no synonym: GitHub matches it already.
        let q = search_query(
            &Query {
                title: "Servers drop favourites".into(),
                text: String::new(),
            },
            &repo(),
        );
        assert!(q.ends_with("is:issue drop OR favourites OR servers"), "{q}");
    }

    #[test]
    fn stays_within_github_limits() {
        let long_title = (0..60)
            .map(|i| format!("distinctiveword{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let long_text = "reblogged toots notifications timeline instance favourites ".repeat(200);
        for (title, text) in [
            (long_title.as_str(), long_text.as_str()),
            ("toot boost TL DM CW fav instance", ""),
            ("", long_text.as_str()),
            ("", ""),
        ] {
            let q = search_query(
                &Query {
                    title: title.into(),
                    text: text.into(),
                },
                &repo(),
            );
            assert!(
                q.chars().count() <= MAX_QUERY_CHARS,
                "{} chars: {q}",
                q.len()
            );
            assert!(operators(&q) <= MAX_OPERATORS, "{q}");
            assert!(q.starts_with("repo:mastodon/mastodon is:issue"), "{q}");
        }
    }

    #[test]
    fn adds_repeated_answer_words() {
        let q = search_query(
            &Query {
                title: "Crash".into(),
                text: "The sidekiq worker crashes. Sidekiq logs show the worker died.".into(),
            },
            &repo(),
        );
        assert!(q.contains("sidekiq") && q.contains("worker"), "{q}");
    }
}
