//! Text preparation for triage: form boilerplate removed, words folded to
//! lowercase tokens with sentence breaks, and a small phrase / proximity
//! matcher over them. No regex: a draft is a few kilobytes, and a sorted
//! token index makes every lookup a range scan.

use std::collections::BTreeMap;

/// A token that no pattern matches: stands for a sentence or line end, so
/// phrases and proximity never reach across sentences.
const BREAK: &str = "\u{1}";

/// Folds the Latin diacritics of the covered languages, so patterns match
/// whether or not the reporter typed the accents ("contrasena", "loschen").
fn fold_into(c: char, out: &mut String) {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'œ' => "oe",
        'æ' => "ae",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(s);
}

/// Whether a character belongs to a script written without spaces (kana,
/// CJK ideographs): patterns in those scripts are matched as plain substrings.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ff66}'..='\u{ff9f}') // half-width katakana
}

/// Lowercase, diacritic-folded word tokens; apostrophes and hyphens split
/// words ("can't" → `can t`, "e-mail" → `e mail`); line ends and sentence
/// punctuation become breaks.
pub(crate) fn tokenize(s: &str, out: &mut Vec<String>) {
    let mut cur = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                fold_into(l, &mut cur);
            }
            continue;
        }
        if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        let brk = match c {
            '\n' | ';' | ',' | '。' | '！' | '？' | '、' => true,
            '.' | '!' | '?' | ':' => it
                .peek()
                .is_none_or(|n| n.is_whitespace() || matches!(n, '"' | ')' | '*' | '_')),
            _ => false,
        };
        if brk && out.last().is_some_and(|t| t != BREAK) {
            out.push(BREAK.to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
}

/// One phrase to look for: words, each exact or (with a trailing `*`) a
/// prefix; or, for Japanese, a plain substring.
#[derive(Debug)]
pub(crate) struct Pat {
    parts: Vec<(String, bool)>,
    raw: Option<String>,
}

impl Pat {
    pub(crate) fn new(spec: &str) -> Pat {
        if spec.chars().any(is_cjk) {
            return Pat {
                parts: Vec::new(),
                raw: Some(spec.to_lowercase()),
            };
        }
        let mut parts = Vec::new();
        for word in spec.split_whitespace() {
            let (word, prefix) = match word.strip_suffix('*') {
                Some(w) => (w, true),
                None => (word, false),
            };
            let mut toks = Vec::new();
            tokenize(word, &mut toks);
            toks.retain(|t| t != BREAK);
            let n = toks.len();
            for (i, t) in toks.into_iter().enumerate() {
                parts.push((t, prefix && i + 1 == n));
            }
        }
        Pat { parts, raw: None }
    }
}

/// Compiles a word list.
pub(crate) fn pats(specs: &[&str]) -> Vec<Pat> {
    specs.iter().map(|s| Pat::new(s)).collect()
}

/// Where a pattern matched and the words that fired it.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub text: String,
    pub in_title: bool,
}

/// The searchable text of a draft: title tokens, a break, body tokens.
pub(crate) struct Doc {
    toks: Vec<String>,
    title_end: usize,
    index: BTreeMap<String, Vec<usize>>,
    raw: String,
    raw_title_end: usize,
}

impl Doc {
    pub(crate) fn new(title: &str, body: &str) -> Doc {
        let mut toks = Vec::new();
        tokenize(title, &mut toks);
        toks.push(BREAK.to_string());
        let title_end = toks.len();
        tokenize(body, &mut toks);
        let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, t) in toks.iter().enumerate() {
            if t != BREAK {
                index.entry(t.clone()).or_default().push(i);
            }
        }
        let raw_title = title.to_lowercase();
        let raw_title_end = raw_title.len();
        let raw = format!("{raw_title}\n{}", body.to_lowercase());
        Doc {
            toks,
            title_end,
            index,
            raw,
            raw_title_end,
        }
    }

    /// Words, breaks excluded.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.toks.iter().map(String::as_str).filter(|t| *t != BREAK)
    }

    pub(crate) fn title_words(&self) -> impl Iterator<Item = &str> {
        self.toks[..self.title_end]
            .iter()
            .map(String::as_str)
            .filter(|t| *t != BREAK)
    }

    /// The body's first sentence (or first line), breaks excluded.
    pub(crate) fn opening_words(&self) -> impl Iterator<Item = &str> {
        self.toks[self.title_end..]
            .iter()
            .map(String::as_str)
            .skip_while(|t| *t == BREAK)
            .take_while(|t| *t != BREAK)
    }

    fn matches_at(&self, pat: &Pat, i: usize) -> bool {
        pat.parts.iter().enumerate().all(|(j, (w, prefix))| {
            self.toks.get(i + j).is_some_and(|t| {
                if *prefix {
                    t.starts_with(w.as_str())
                } else {
                    t == w
                }
            })
        })
    }

    /// Token ranges where a (token) pattern matches, in text order.
    fn spans(&self, pat: &Pat) -> Vec<(usize, usize)> {
        let Some((first, prefix)) = pat.parts.first() else {
            return Vec::new();
        };
        let mut starts: Vec<usize> = if *prefix {
            self.index
                .range(first.clone()..)
                .take_while(|(k, _)| k.starts_with(first.as_str()))
                .flat_map(|(_, v)| v.iter().copied())
                .collect()
        } else {
            self.index.get(first).cloned().unwrap_or_default()
        };
        starts.sort_unstable();
        starts
            .into_iter()
            .filter(|&i| self.matches_at(pat, i))
            .map(|i| (i, i + pat.parts.len()))
            .collect()
    }

    fn span_text(&self, a: usize, b: usize) -> String {
        self.toks[a..b]
            .iter()
            .filter(|t| *t != BREAK)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The earliest match of any pattern.
    pub(crate) fn find(&self, pats: &[Pat]) -> Option<Found> {
        self.find_all(pats).into_iter().next()
    }

    /// The first match of each pattern that matches, earliest first, one per
    /// distinct matched text.
    pub(crate) fn find_all(&self, pats: &[Pat]) -> Vec<Found> {
        let mut hits: Vec<(usize, Found)> = Vec::new();
        for p in pats {
            if let Some(raw) = &p.raw {
                if let Some(at) = self.raw.find(raw.as_str()) {
                    hits.push((
                        // A byte offset, where token hits carry a word
                        // index: only the order of evidence depends on it.
                        at,
                        Found {
                            text: raw.clone(),
                            in_title: at < self.raw_title_end,
                        },
                    ));
                }
            } else if let Some(&(a, b)) = self.spans(p).first() {
                hits.push((
                    a,
                    Found {
                        text: self.span_text(a, b),
                        in_title: a < self.title_end,
                    },
                ));
            }
        }
        hits.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.text.cmp(&y.1.text)));
        let mut out: Vec<Found> = Vec::new();
        for (_, f) in hits {
            if !out.iter().any(|o| o.text == f.text) {
                out.push(f);
            }
        }
        out
    }

    /// A match of `a` followed by a match of `b` at most `gap` words later
    /// (or preceded by it, when `either_order`), within one sentence.
    pub(crate) fn near(
        &self,
        a: &[Pat],
        b: &[Pat],
        gap: usize,
        either_order: bool,
    ) -> Option<Found> {
        self.near_all(a, b, gap, either_order).into_iter().next()
    }

    /// Every such match, earliest first, overlapping ones merged.
    pub(crate) fn near_all(
        &self,
        a: &[Pat],
        b: &[Pat],
        gap: usize,
        either_order: bool,
    ) -> Vec<Found> {
        let spans = |ps: &[Pat]| {
            let mut v: Vec<(usize, usize)> = ps.iter().flat_map(|p| self.spans(p)).collect();
            v.sort_unstable();
            v
        };
        let sa = spans(a);
        if sa.is_empty() {
            return Vec::new();
        }
        let sb = spans(b);
        let unbroken = |x: usize, y: usize| self.toks[x..y].iter().all(|t| t != BREAK);
        let mut found: Vec<(usize, usize)> = Vec::new();
        for &(a0, a1) in &sa {
            for &(b0, b1) in &sb {
                if b0 >= a1 && b0 - a1 <= gap && unbroken(a1, b0) {
                    found.push((a0, b1));
                } else if either_order && a0 >= b1 && a0 - b1 <= gap && unbroken(b1, a0) {
                    found.push((b0, a1));
                }
            }
        }
        found.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (x, y) in found {
            match merged.last_mut() {
                Some(last) if x < last.1 => last.1 = last.1.max(y),
                _ => merged.push((x, y)),
            }
        }
        merged
            .into_iter()
            .map(|(x, y)| Found {
                text: self.span_text(x, y),
                in_title: x < self.title_end,
            })
            .collect()
    }
}

/// Lines that the forms (current and older Mastodon templates) put into a
/// body by themselves: they say nothing about this draft.
fn is_boilerplate(line: &str) -> bool {
    const MARKERS: &[&str] = &[
        "i searched or browsed the repo",
        "this bug happens on a [tagged release]",
        "this bug happens in a [tagged release]",
        "i have searched the issues",
        "issue text goes here",
        "(from `ruby --version`",
        "(from `node --version`",
        "if this is happening on your own mastodon server, please fill out those",
        "please at least include those informations",
        "- operating system: (eg.",
    ];
    let l = line.trim().to_lowercase();
    l == "* * * *" || l == "_no response_" || MARKERS.iter().any(|m| l.contains(m))
}

/// What is left of an answer once form boilerplate, links and code blocks
/// are taken out, and whether it held code or logs.
pub(crate) struct Cleaned {
    pub prose: String,
    /// Boilerplate removed, links and code kept.
    pub kept: String,
    pub code: bool,
}

pub(crate) fn clean(value: &str) -> Cleaned {
    let mut prose = String::new();
    let mut kept = String::new();
    let mut code = false;
    let mut in_fence = false;
    for line in value.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            code = true;
            continue;
        }
        if is_boilerplate(line) {
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
        if !in_fence {
            prose.push_str(&strip_links(line));
            prose.push('\n');
        }
    }
    Cleaned { prose, kept, code }
}

/// Replaces URLs and HTML tags with a space; markdown link text stays.
fn strip_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        let url = rest.find("http://").or_else(|| rest.find("https://"));
        let tag = rest.find('<').filter(|&i| {
            rest[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
        });
        let next = match (url, tag) {
            (Some(u), Some(t)) => Some((u.min(t), t < u)),
            (Some(u), None) => Some((u, false)),
            (None, Some(t)) => Some((t, true)),
            (None, None) => None,
        };
        let Some((at, is_tag)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        out.push(' ');
        let tail = &rest[at..];
        let end = if is_tag {
            tail.find('>').map_or(tail.len(), |e| e + 1)
        } else {
            tail.find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"'))
                .unwrap_or(tail.len())
        };
        rest = &tail[end..];
    }
}

/// Host names of servers mentioned in a text (links, handles, bare
/// domains), lowercased, without hosts that are never a Mastodon server
/// (code hosting, image hosts, big web sites) or file names.
pub(crate) fn servers(text: &str) -> Vec<String> {
    const NOT_SERVERS: &[&str] = &[
        "github.com",
        "githubusercontent.com",
        "github.io",
        "imgur.com",
        "twitter.com",
        "x.com",
        "google.com",
        "youtube.com",
        "youtu.be",
        "joinmastodon.org",
        "wikipedia.org",
        "mozilla.org",
        "apple.com",
        "microsoft.com",
        "example.com",
        "example.org",
        "gitlab.com",
        "discord.gg",
        "discord.com",
        "medium.com",
        "reddit.com",
        "facebook.com",
        "instagram.com",
        "archive.org",
        "w3.org",
        "ghcr.io",
        "docker.io",
        "docker.com",
        "npmjs.com",
        "rubygems.org",
    ];
    const FILE_ENDINGS: &[&str] = &[
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "webm",
        "mp4",
        "mov",
        "svg",
        "rb",
        "js",
        "ts",
        "tsx",
        "jsx",
        "json",
        "yml",
        "yaml",
        "md",
        "css",
        "scss",
        "html",
        "htm",
        "txt",
        "log",
        "env",
        "production",
        "sh",
        "py",
        "exe",
        "zip",
        "gz",
        "conf",
        "erb",
        "haml",
        "lock",
        "pdf",
        "csv",
        "php",
        "xml",
        "toml",
        "service",
        "sql",
        "map",
        "mjs",
        "cjs",
        "avif",
    ];
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
        let host = word
            .trim_matches(|c: char| c == '.' || c == '-')
            .to_ascii_lowercase();
        let labels: Vec<&str> = host.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
            continue;
        }
        let tld = labels[labels.len() - 1];
        if tld.len() < 2 || tld.len() > 12 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if FILE_ENDINGS.contains(&tld) || labels[0].chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if NOT_SERVERS
            .iter()
            .any(|n| host == *n || host.ends_with(&format!(".{n}")))
        {
            continue;
        }
        // "e.g", "i.e", "etc.": words with one-letter labels are prose.
        if labels.iter().any(|l| l.len() < 2) {
            continue;
        }
        if !out.contains(&host) {
            out.push(host);
        }
    }
    out
}

/// A Mastodon version mentioned in a text: `v4.2.3`, "Mastodon 4.0.2",
/// "version 3.5". With `any`, any dotted number counts (the text is the
/// answer to a version question).
pub(crate) fn version(text: &str, any: bool) -> Option<String> {
    let lower = text.to_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let dotted = j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit();
            if dotted {
                let mut k = j + 1;
                while k < b.len() && (b[k].is_ascii_digit() || b[k] == b'.') {
                    k += 1;
                }
                let before = lower[..i].trim_end();
                let prefixed = (i > 0 && b[i - 1] == b'v')
                    || ["mastodon", "version", "release", "release:"]
                        .iter()
                        .any(|w| before.ends_with(w));
                if any || prefixed {
                    let start = if i > 0 && b[i - 1] == b'v' { i - 1 } else { i };
                    return Some(lower[start..k].trim_end_matches('.').to_string());
                }
                i = k;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(t: &str, b: &str) -> Doc {
        Doc::new(t, b)
    }

    #[test]
    fn tokens_fold_and_split() {
        let mut v = Vec::new();
        tokenize("Can't reset my Contraseña; e-mail", &mut v);
        assert_eq!(
            v,
            ["can", "t", "reset", "my", "contrasena", BREAK, "e", "mail"]
        );
    }

    #[test]
    fn domains_do_not_break_sentences() {
        let d = doc("", "my account on example.social was suspended");
        let a = pats(&["my account"]);
        let b = pats(&["suspend*"]);
        assert!(d.near(&a, &b, 6, false).is_some());
    }

    #[test]
    fn sentences_block_proximity() {
        let d = doc("", "This is my account. Suspended users see a banner.");
        assert!(d
            .near(&pats(&["my account"]), &pats(&["suspend*"]), 6, false)
            .is_none());
    }

    #[test]
    fn prefix_and_exact() {
        let d = doc("Deleting things", "nothing here");
        assert_eq!(d.find(&pats(&["delet*"])).unwrap().text, "deleting");
        assert!(d.find(&pats(&["delete"])).is_none());
        assert!(d.find(&pats(&["delet*"])).unwrap().in_title);
    }

    #[test]
    fn japanese_is_substring() {
        let d = doc("ログインできません", "");
        assert!(d
            .find(&pats(&["ログインできな", "ログインできません"]))
            .is_some());
    }

    #[test]
    fn boilerplate_and_links_go() {
        let c = clean("- [x] I searched or browsed the repo’s other issues\nsee https://a.example/x?y and <img src=\"z\">\n```\nlog line\n```");
        assert!(!c.prose.contains("searched"));
        assert!(!c.prose.contains("a.example"));
        assert!(!c.prose.contains("img"));
        assert!(!c.prose.contains("log line"));
        assert!(c.code);
    }

    #[test]
    fn servers_skip_files_and_hosts() {
        let s = servers("on toot.example and github.com, see shot.png, e.g. this, v4.2.1");
        assert_eq!(s, ["toot.example"]);
    }

    #[test]
    fn versions() {
        assert_eq!(
            version("running Mastodon 4.2.3 here", false).as_deref(),
            Some("4.2.3")
        );
        assert_eq!(version("tag v4.1.0-rc1", false).as_deref(), Some("v4.1.0"));
        assert_eq!(version("Firefox 120.0", false), None);
        assert_eq!(version("Firefox 120.0", true).as_deref(), Some("120.0"));
    }
}
