//! Text analysis shared by the index, the ranker and the search-query builder:
//! form boilerplate and URLs dropped, words split and lower-cased, Mastodon
//! vocabulary folded onto one word per concept, stop words dropped, light
//! English stemming.
//!
//! Every issue and every query goes through the same [`analyze`], so the
//! index and the query always agree on terms.

/// One content word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The stemmed, folded term that scoring compares.
    pub term: String,
    /// The folded word before stemming (`toot` → `post`): shown to people.
    pub word: String,
    /// The word(s) as written, lower-cased (`toot`, `content warning`): what
    /// a full-text search engine that knows nothing of folding would match.
    pub surface: String,
}

/// Bodies are analysed up to this many bytes: the rest of a long body is
/// almost always logs or stack traces that only add noise.
pub(crate) const MAX_ANALYZED_BYTES: usize = 16 * 1024;

/// Content tokens of a title (issue-title prefixes such as `[Feature request]`
/// are plain stop words, so nothing special is needed).
pub(crate) fn analyze_title(title: &str) -> Vec<Token> {
    analyze(title)
}

/// Content tokens of an issue body or of a draft's answers, with issue-form
/// boilerplate removed first.
pub(crate) fn analyze_body(body: &str) -> Vec<Token> {
    let cut = floor_char_boundary(body, MAX_ANALYZED_BYTES);
    analyze(&strip_boilerplate(&body[..cut]))
}

/// Content tokens of arbitrary text (no boilerplate removal).
pub(crate) fn analyze(text: &str) -> Vec<Token> {
    let words = split_words(text);
    let mut out = Vec::with_capacity(words.len() / 2);
    let mut i = 0;
    while i < words.len() {
        if let Some((len, replacement)) = match_phrase(&words[i..]) {
            let surface = words[i..i + len].join(" ");
            for w in replacement {
                out.push(Token {
                    term: stem(w),
                    word: (*w).to_string(),
                    surface: surface.clone(),
                });
            }
            i += len;
            continue;
        }
        let w = words[i].as_str();
        i += 1;
        if !keep_word(w) {
            continue;
        }
        let folded = fold_word(w);
        let folded = folded.as_deref().unwrap_or(w);
        if is_stop_word(folded) {
            continue;
        }
        out.push(Token {
            term: stem(folded),
            word: folded.to_string(),
            surface: w.to_string(),
        });
    }
    out
}

/// The largest index `<= at` that is a char boundary of `s`.
pub(crate) fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    let mut i = at;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Lower-cased words: runs of letters and digits. Apostrophes inside a word
/// are dropped (`don't` → `dont`), everything else separates words. URLs,
/// Markdown images and HTML comments are skipped whole.
pub(crate) fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        // Skip things that are never prose.
        let skip = if rest.starts_with("http://") || rest.starts_with("https://") {
            Some(rest.find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | ']' | '"')))
        } else if rest.starts_with("![") {
            // Markdown image: alt text and URL are both noise.
            rest.find(')').map(|p| Some(p + 1)).or(Some(Some(2)))
        } else if rest.starts_with("<!--") {
            Some(rest.find("-->").map(|p| p + 3))
        } else {
            None
        };
        if let Some(end) = skip {
            flush(&mut cur, &mut words);
            i += end.unwrap_or(rest.len());
            continue;
        }
        let c = rest.chars().next().expect("non-empty rest");
        let n = c.len_utf8();
        if c.is_alphanumeric() {
            for lc in c.to_lowercase() {
                cur.push(lc);
            }
        } else if (c == '\'' || c == '’')
            && !cur.is_empty()
            && bytes.get(i + n).is_some_and(|b| b.is_ascii_alphabetic())
        {
            // Apostrophe inside a word: drop it, keep the word together.
        } else {
            flush(&mut cur, &mut words);
        }
        i += n;
    }
    flush(&mut cur, &mut words);
    words
}

fn flush(cur: &mut String, words: &mut Vec<String>) {
    if !cur.is_empty() {
        words.push(std::mem::take(cur));
    }
}

/// Whether a word can carry meaning at all: no single letters, no long
/// numbers or hashes, no very long run-together strings.
fn keep_word(w: &str) -> bool {
    let len = w.chars().count();
    if !(2..=24).contains(&len) {
        return false;
    }
    let digits = w.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 {
        return true;
    }
    if digits == w.len() {
        // Plain numbers: keep three-digit ones (HTTP statuses like 404, 500).
        return len == 3;
    }
    // Mixed letters and digits: keep short tokens such as `2fa`, `h264`,
    // `mp4`; drop hashes and ids.
    len <= 8 && digits <= 3
}

/// Multi-word expressions folded onto one concept. Matched on the raw word
/// sequence (before stop words), longest first.
const PHRASES: &[(&[&str], &[&str])] = &[
    (&["content", "warning"], &["cw"]),
    (&["content", "warnings"], &["cw"]),
    (&["spoiler", "text"], &["cw"]),
    (&["direct", "message"], &["dm"]),
    (&["direct", "messages"], &["dm"]),
    (&["direct", "messaging"], &["dm"]),
    (&["private", "message"], &["dm"]),
    (&["private", "messages"], &["dm"]),
    (&["private", "mention"], &["dm"]),
    (&["private", "mentions"], &["dm"]),
    (&["direct", "mention"], &["dm"]),
    (&["direct", "mentions"], &["dm"]),
    (&["alt", "text"], &["alttext"]),
    (&["alt", "texts"], &["alttext"]),
    (&["image", "description"], &["alttext"]),
    (&["image", "descriptions"], &["alttext"]),
    (&["media", "description"], &["alttext"]),
    (&["media", "descriptions"], &["alttext"]),
    (&["user", "name"], &["username"]),
    (&["user", "names"], &["username"]),
    (&["e", "mail"], &["email"]),
    (&["e", "mails"], &["email"]),
    (&["log", "in"], &["login"]),
    (&["logged", "in"], &["login"]),
    (&["logging", "in"], &["login"]),
    (&["sign", "in"], &["login"]),
    (&["signed", "in"], &["login"]),
    (&["signing", "in"], &["login"]),
    (&["log", "on"], &["login"]),
    (&["log", "out"], &["logout"]),
    (&["logged", "out"], &["logout"]),
    (&["logging", "out"], &["logout"]),
    (&["sign", "out"], &["logout"]),
    (&["signed", "out"], &["logout"]),
    (&["sign", "up"], &["signup"]),
    (&["signed", "up"], &["signup"]),
    (&["signing", "up"], &["signup"]),
    (&["two", "factor"], &["2fa"]),
    (&["2", "factor"], &["2fa"]),
    (&["night", "mode"], &["dark", "mode"]),
    (&["dark", "theme"], &["dark", "mode"]),
    (&["light", "theme"], &["light", "mode"]),
    (&["time", "line"], &["timeline"]),
    (&["time", "lines"], &["timeline"]),
    (&["pop", "up"], &["popup"]),
    (&["home", "feed"], &["home", "timeline"]),
    (&["read", "only"], &["readonly"]),
    (&["pull", "request"], &["pr"]),
    (&["color", "scheme"], &["color", "mode"]),
    (&["colour", "scheme"], &["color", "mode"]),
    (&["profile", "picture"], &["avatar"]),
    (&["profile", "pictures"], &["avatar"]),
    (&["profile", "pic"], &["avatar"]),
    (&["profile", "photo"], &["avatar"]),
    (&["profile", "image"], &["avatar"]),
    (&["profile", "description"], &["bio"]),
    (&["link", "preview"], &["linkpreview"]),
    (&["link", "previews"], &["linkpreview"]),
    (&["preview", "card"], &["linkpreview"]),
    (&["preview", "cards"], &["linkpreview"]),
    (&["link", "card"], &["linkpreview"]),
    (&["link", "cards"], &["linkpreview"]),
    (&["domain", "block"], &["domainblock"]),
    (&["domain", "blocks"], &["domainblock"]),
    (&["domain", "blocking"], &["domainblock"]),
    (&["muted", "word"], &["filter"]),
    (&["muted", "words"], &["filter"]),
    (&["mute", "words"], &["filter"]),
    (&["keyword", "filter"], &["filter"]),
    (&["keyword", "filters"], &["filter"]),
    (&["keyboard", "shortcut"], &["hotkey"]),
    (&["keyboard", "shortcuts"], &["hotkey"]),
    (&["screen", "reader"], &["screenreader"]),
    (&["screen", "readers"], &["screenreader"]),
    (&["right", "to", "left"], &["rtl"]),
    (&["time", "out"], &["timeout"]),
    (&["timed", "out"], &["timeout"]),
    (&["followers", "only"], &["followersonly"]),
    (&["local", "only"], &["local", "localonly"]),
    (&["web", "ui"], &["web"]),
    (&["web", "app"], &["web"]),
    (&["web", "client"], &["web"]),
    (&["web", "interface"], &["web"]),
    (&["quote", "post"], &["quote"]),
    (&["quote", "posts"], &["quote"]),
    (&["quote", "toot"], &["quote"]),
    (&["quote", "toots"], &["quote"]),
];

fn match_phrase(words: &[String]) -> Option<(usize, &'static [&'static str])> {
    PHRASES
        .iter()
        .filter(|(pat, _)| {
            pat.len() <= words.len() && pat.iter().zip(words).all(|(p, w)| *p == w.as_str())
        })
        .max_by_key(|(pat, _)| pat.len())
        .map(|(pat, rep)| (pat.len(), *rep))
}

/// Single words folded onto one concept: Mastodon's vocabulary (a toot is a
/// post is a status), British/American spellings and common synonyms.
fn fold_word(w: &str) -> Option<String> {
    let to = match w {
        "toot" | "toots" | "tooted" | "tooting" | "status" | "statuses" => "post",
        "boost" | "boosts" | "boosted" | "boosting" | "reblog" | "reblogs" | "reblogged"
        | "reblogging" | "retoot" | "retoots" | "retooted" | "retooting" | "repost" | "reposts"
        | "reposted" | "reposting" | "rt" | "rts" => "boost",
        "instance" | "instances" | "server" | "servers" => "server",
        "tl" | "timelines" => "timeline",
        "dm" | "dms" | "pm" | "pms" => "dm",
        "fav" | "favs" | "fave" | "faves" | "faved" | "faving" | "favourite" | "favourites"
        | "favourited" | "favouriting" | "favorite" | "favorites" | "favorited" | "favoriting"
        | "likes" | "liked" | "liking" | "star" | "stars" | "starred" => "favourite",
        "cw" | "cws" | "spoiler" | "spoilers" => "cw",
        "alt" | "alttext" => "alttext",
        "modify" | "modifies" | "modified" | "modifying" | "modification" | "modifications"
        | "amend" | "amended" | "edits" | "edited" | "editing" => "edit",
        "remove" | "removes" | "removed" | "removing" | "removal" | "deletion" | "deletes"
        | "deleted" | "deleting" => "delete",
        "pic" | "pics" | "picture" | "pictures" | "photo" | "photos" | "img" | "imgs"
        | "images" => "image",
        "vid" | "vids" | "videos" => "video",
        "notif" | "notifs" | "notification" | "notifications" | "notify" | "notifies"
        | "notified" | "notifying" => "notification",
        "app" | "apps" | "application" | "applications" => "app",
        "pref" | "prefs" | "preference" | "preferences" | "setting" | "settings" => "setting",
        "msg" | "msgs" | "messages" => "message",
        "acct" | "accounts" => "account",
        "mod" | "mods" | "moderator" | "moderators" | "moderating" => "moderation",
        "admins" | "administrator" | "administrators" | "administration" => "admin",
        "pw" | "pwd" | "passwd" | "passwords" => "password",
        "config" | "configuration" | "configure" | "configured" | "configuring" => "config",
        "db" => "database",
        "pg" | "postgresql" | "psql" => "postgres",
        "k8s" => "kubernetes",
        "ff" => "firefox",
        "chromium" => "chrome",
        "hashtags" | "hashtag" | "tag" | "tags" | "tagged" | "tagging" => "hashtag",
        "logon" | "signin" | "logins" => "login",
        "signout" => "logout",
        "signups" | "register" | "registers" | "registered" | "registering" | "registration"
        | "registrations" => "signup",
        "mail" | "mails" | "emails" => "email",
        "usernames" | "handle" | "handles" | "nick" | "nickname" => "username",
        "totp" | "otp" | "mfa" => "2fa",
        "colour" | "colours" | "colors" | "coloured" | "colored" => "color",
        "behaviour" | "behaviours" | "behaviors" => "behavior",
        "grey" => "gray",
        "translation" | "translations" | "translate" | "translated" | "translating" => "translate",
        "darkmode" => "dark",
        "emojis" | "emoticon" | "emoticons" | "emojo" => "emoji",
        "fedi" => "fediverse",
        "federate" | "federates" | "federated" | "federating" | "federation" => "federation",
        "subscribe" | "subscribed" | "subscription" => "follow",
        "ui" | "interface" | "gui" => "interface",
        "autocomplete" | "autocompletion" | "autosuggest" => "autocomplete",
        "visibility" | "visibilities" => "privacy",
        "attachment" | "attachments" => "media",
        "pfp" | "pfps" | "avatars" => "avatar",
        "nsfw" => "sensitive",
        "webui" | "webapp" | "frontend" => "web",
        "broken" | "breaks" | "broke" | "breaking" => "break",
        "disappears" | "disappeared" | "disappearing" | "vanish" | "vanishes" | "vanished"
        | "vanishing" => "disappear",
        "hidden" | "hides" | "hiding" => "hide",
        "failure" | "failures" | "fails" | "failed" | "failing" => "fail",
        "timeouts" => "timeout",
        "defederate" | "defederated" | "defederating" | "defederation" | "domainblocks" => {
            "domainblock"
        }
        "invitation" | "invitations" | "invites" | "invited" | "inviting" => "invite",
        "migration" | "migrations" | "migrating" | "migrated" | "migrates" => "migrate",
        "hotkeys" | "shortcut" | "shortcuts" => "hotkey",
        "a11y" | "accessible" => "accessibility",
        "screenreaders" => "screenreader",
        "url" | "urls" | "links" | "hyperlink" | "hyperlinks" => "link",
        "char" | "chars" | "characters" => "character",
        "qt" | "quotes" | "quoted" | "quoting" => "quote",
        _ => return british_ise(w),
    };
    if to == w {
        None
    } else {
        Some(to.to_string())
    }
}

/// `customise` → `customize` and friends, for the common verbs only.
fn british_ise(w: &str) -> Option<String> {
    const STEMS: &[&str] = &[
        "custom", "organ", "recogn", "real", "priorit", "normal", "optim", "synchron", "author",
        "local", "personal", "categor", "minim", "maxim", "summar", "final", "initial", "serial",
        "sanit", "visual", "util", "standard", "special", "central", "modern",
    ];
    for suffix in ["isation", "isations", "ising", "ised", "ises", "ise"] {
        if let Some(base) = w.strip_suffix(suffix) {
            if STEMS.contains(&base) {
                let z = suffix.replacen('s', "z", 1);
                return Some(format!("{base}{z}"));
            }
        }
    }
    None
}

/// English function words, contractions written without apostrophes, and
/// the words every issue uses ("add", "feature", "please", "mastodon").
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "already",
    "also",
    "although",
    "always",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "anyway",
    "are",
    "arent",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "cant",
    "could",
    "couldnt",
    "did",
    "didnt",
    "do",
    "does",
    "doesnt",
    "doing",
    "done",
    "dont",
    "down",
    "during",
    "each",
    "eg",
    "either",
    "else",
    "etc",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "go",
    "goes",
    "going",
    "got",
    "had",
    "hadnt",
    "has",
    "hasnt",
    "have",
    "havent",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "id",
    "ie",
    "if",
    "ill",
    "im",
    "in",
    "into",
    "is",
    "isnt",
    "it",
    "its",
    "itself",
    "ive",
    "just",
    "let",
    "lets",
    "like",
    "make",
    "makes",
    "making",
    "may",
    "maybe",
    "me",
    "might",
    "mine",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "need",
    "needs",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "perhaps",
    "please",
    "pls",
    "quite",
    "rather",
    "really",
    "same",
    "see",
    "seem",
    "seems",
    "shall",
    "she",
    "should",
    "shouldnt",
    "since",
    "so",
    "some",
    "someone",
    "something",
    "sometimes",
    "somewhat",
    "still",
    "such",
    "sure",
    "than",
    "thank",
    "thanks",
    "that",
    "thats",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "theres",
    "these",
    "they",
    "theyre",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "try",
    "tried",
    "trying",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "uses",
    "using",
    "very",
    "via",
    "want",
    "wanted",
    "wants",
    "was",
    "wasnt",
    "way",
    "ways",
    "we",
    "well",
    "were",
    "werent",
    "weve",
    "what",
    "whats",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "wont",
    "would",
    "wouldnt",
    "yes",
    "yet",
    "you",
    "youd",
    "youll",
    "your",
    "youre",
    "yours",
    "yourself",
    "youve",
    // Words every issue uses.
    "mastodon",
    "issue",
    "issues",
    "bug",
    "bugs",
    "feature",
    "features",
    "request",
    "requests",
    "requested",
    "suggestion",
    "suggest",
    "proposal",
    "propose",
    "idea",
    "ideas",
    "question",
    "add",
    "adding",
    "added",
    "allow",
    "allows",
    "allowing",
    "allowed",
    "ability",
    "able",
    "unable",
    "possible",
    "possibility",
    "option",
    "options",
    "support",
    "supported",
    "supports",
    "would",
    "hi",
    "hello",
    "hey",
    "currently",
    "current",
    "instead",
    "actually",
    "basically",
    "probably",
    "problem",
    "problems",
    "work",
    "works",
    "working",
    "worked",
    "happen",
    "happens",
    "happened",
    "happening",
    "users",
    "people",
    "new",
    "good",
    "better",
    "nice",
    "great",
    "lot",
    "lots",
    "time",
    "know",
    "seeing",
    "saw",
    "say",
    "says",
    "said",
    "there",
    "via",
    "wish",
    "hope",
    "case",
    "able",
    "many",
    "first",
    "also",
    "another",
    "know",
    "look",
    "looks",
    "looking",
    "find",
    "found",
    "give",
    "gives",
    "given",
    "take",
    "takes",
    "put",
    "set",
    "sets",
    "show",
    "shows",
    "shown",
    "showing",
    "instead",
    "two",
    "three",
    "expected",
    "actual",
    "steps",
    "reproduce",
    "step",
    "behavior",
    "description",
    "detailed",
    "version",
    "versions",
    "details",
    "detail",
    "screenshot",
    "screenshots",
];

pub(crate) fn is_stop_word(w: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(w)
}

/// Light English stemming: plurals, `-ing`, `-ed`, a final `e`, so that
/// `edit`/`edits`/`editing`/`edited` and `share`/`shared`/`sharing` meet.
pub(crate) fn stem(w: &str) -> String {
    if !w.is_ascii() || w.len() <= 3 {
        return w.to_string();
    }
    let mut s = w.to_string();
    if s.ends_with("sses") {
        s.truncate(s.len() - 2);
    } else if s.ends_with("ies") && s.len() > 4 {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with('s')
        && !s.ends_with("ss")
        && !s.ends_with("us")
        && !s.ends_with("is")
        && s.len() > 3
    {
        s.pop();
    }
    if s.len() >= 7 && s.ends_with("ing") && has_vowel(&s[..s.len() - 3]) {
        s.truncate(s.len() - 3);
        undouble(&mut s);
    } else if s.ends_with("ied") && s.len() > 4 {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.len() >= 6 && s.ends_with("ed") && has_vowel(&s[..s.len() - 2]) {
        s.truncate(s.len() - 2);
        undouble(&mut s);
    }
    if s.len() > 3 && s.ends_with('e') && !s.ends_with("ee") {
        s.pop();
    }
    s
}

fn has_vowel(s: &str) -> bool {
    s.bytes().any(|b| b"aeiouy".contains(&b))
}

fn undouble(s: &mut String) {
    let b = s.as_bytes();
    let n = b.len();
    if n >= 4 && b[n - 1] == b[n - 2] && !b"lsz".contains(&b[n - 1]) && !has_vowel(&s[n - 1..]) {
        s.pop();
    }
}

/// Form headings and template lines that say nothing about the issue.
/// Compared with a line normalised to its lower-cased words.
const BOILERPLATE_LINES: &[&str] = &[
    "steps to reproduce the problem",
    "steps to reproduce",
    "expected behaviour",
    "expected behavior",
    "actual behaviour",
    "actual behavior",
    "detailed description",
    "mastodon instance",
    "mastodon version",
    "browser name and version",
    "operating system",
    "technical details",
    "environment",
    "pitch",
    "motivation",
    "specifications",
    "no response",
    "what were you trying to do",
    "what should have happened",
    "what happened",
    "issue text goes here",
    "if this is happening on your own mastodon server please fill out those",
    "please at least include those informations",
];

/// Prefixes of template lines (template instructions and placeholders).
const BOILERPLATE_PREFIXES: &[&str] = &[
    "make sure that you are submitting a new bug",
    "please use a concise and distinct title",
    "ruby version from ruby version",
    "node js version from node version",
    "operating system eg ubuntu",
    "describe your idea for a feature",
    "why do you think this feature is needed",
];

/// A checkbox line (`- [x] ...`, whatever is in the brackets) containing one
/// of these is a template's pledge, not part of the report.
const CHECKBOX_PHRASES: &[&str] = &[
    "searched or browsed",
    "tagged release",
    "not a duplicate",
    "code of conduct",
    "have searched",
    "searched existing",
];

/// Drops form headings, `_No response_`, template checkbox lines and the
/// template's own placeholder lines; keeps everything the reporter wrote.
pub(crate) fn strip_boilerplate(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_environment = false;
    for line in body.lines() {
        if let Some(heading) = line.trim_start().strip_prefix('#') {
            let norm = split_words(heading).join(" ");
            in_environment = ENVIRONMENT_SECTIONS.contains(&norm.as_str());
        }
        if !in_environment && !is_boilerplate_line(line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Form sections whose answers describe the reporter's setup (server,
/// version, browser, system): the same few values recur across unrelated
/// issues, so they are left out of matching.
const ENVIRONMENT_SECTIONS: &[&str] = &[
    "mastodon instance",
    "mastodon version",
    "browser name and version",
    "operating system",
    "environment",
];

fn is_boilerplate_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    let checkbox = trimmed
        .strip_prefix("- [")
        .or_else(|| trimmed.strip_prefix("* ["))
        .and_then(|rest| rest.split_once(']'));
    if let Some((_, rest)) = checkbox {
        let norm = split_words(rest).join(" ");
        return CHECKBOX_PHRASES.iter().any(|p| norm.contains(p));
    }
    let norm = split_words(line).join(" ");
    if norm.is_empty() {
        return false;
    }
    BOILERPLATE_LINES.contains(&norm.as_str())
        || BOILERPLATE_PREFIXES.iter().any(|p| norm.starts_with(p))
}

/// A stable 64-bit hash (FNV-1a) of a term: the index keys terms by it, so it
/// must never change between versions without bumping the index format.
pub(crate) fn term_key(term: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in term.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn folds_mastodon_vocabulary() {
        assert_eq!(terms("toot"), terms("post"));
        assert_eq!(terms("statuses"), terms("posts"));
        assert_eq!(terms("reblogged"), terms("boost"));
        assert_eq!(terms("retoot"), terms("boosts"));
        assert_eq!(terms("instances"), terms("server"));
        assert_eq!(terms("TL"), terms("timeline"));
        assert_eq!(terms("content warnings"), terms("CW"));
        assert_eq!(terms("spoiler"), terms("cw"));
        assert_eq!(terms("direct message"), terms("DMs"));
        assert_eq!(terms("private mentions"), terms("dm"));
        assert_eq!(terms("favorited"), terms("fav"));
        assert_eq!(terms("favourites"), terms("likes"));
        assert_eq!(terms("log in"), terms("login"));
        assert_eq!(terms("e-mail"), terms("email"));
        assert_eq!(terms("colour"), terms("color"));
        assert_eq!(terms("customise"), terms("customize"));
        assert_ne!(terms("boost"), terms("post"));
    }

    #[test]
    fn stems_inflections_together() {
        assert_eq!(stem("editing"), stem("edit"));
        assert_eq!(stem("shared"), stem("share"));
        assert_eq!(stem("sharing"), stem("share"));
        assert_eq!(stem("replies"), stem("reply"));
        assert_eq!(stem("replied"), stem("reply"));
        assert_eq!(stem("blocked"), stem("block"));
        assert_eq!(stem("running"), "run");
        assert_eq!(stem("scrolling"), "scroll");
        assert_eq!(stem("uploads"), stem("upload"));
        // Short words and `-ss` stay.
        assert_eq!(stem("string"), "string");
        assert_eq!(stem("access"), "access");
    }

    #[test]
    fn drops_stop_words_numbers_and_urls() {
        let t = terms(
            "I would like to add the ability to see https://example.com/x/123 \
             ![image](https://img.example/1.png) 1234567 deadbeef12345678 404",
        );
        assert_eq!(t, vec!["404".to_string()]);
    }

    #[test]
    fn strips_issue_form_boilerplate() {
        let body = "### Steps to reproduce the problem\n\n1. Open the compose box\n2.\n3.\n...\n\n\
                    ### Expected behaviour\n\nThe poll is kept\n\n### Actual behaviour\n\n_No response_\n\n\
                    ### Mastodon version\n\nv4.3.0\n\n### Browser name and version\n\nFirefox 128\n\n\
                    ### Technical details\n\n- [x] I searched or browsed the repo's other issues to ensure this is not a duplicate.\n\
                    - [n/a] This bug happens on a [tagged release](https://example.com/releases) and not on `master`\n\
                    - [ ] Check the poll";
        let words: Vec<String> = analyze_body(body).into_iter().map(|t| t.word).collect();
        assert_eq!(
            words,
            vec!["open", "compose", "box", "poll", "kept", "check", "poll"]
        );
    }

    #[test]
    fn keeps_apostrophe_words_together() {
        assert_eq!(split_words("can't don’t it's"), vec!["cant", "dont", "its"]);
        assert!(analyze("can't don’t it's").is_empty());
    }

    #[test]
    fn surface_keeps_what_was_written() {
        let t = analyze("Content warnings on toots");
        assert_eq!(t[0].word, "cw");
        assert_eq!(t[0].surface, "content warnings");
        assert_eq!(t[1].word, "post");
        assert_eq!(t[1].surface, "toots");
    }
}
