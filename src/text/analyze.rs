//! Words made into terms, the same way for triage and duplicate search:
//! Mastodon's vocabulary folded onto one term per thing
//! (`vocabulary.txt`), stop words dropped (the language's, from the
//! `stop-words` crate, and the words every issue uses, `issue_words.txt`),
//! and stemmed with the language's Snowball stemmer (`rust-stemmers`), the
//! language told by `whatlang`.

use super::words::{floor_char_boundary, words};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// One content word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The stemmed, folded term that scoring compares.
    pub term: String,
    /// The folded word before stemming (`toot` → `post`): shown to people.
    pub word: String,
    /// The word(s) as written, lower-cased (`toot`, `content warning`):
    /// what a search engine that knows nothing of folding would match.
    pub surface: String,
}

/// The languages the analysis knows; others are treated as English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    English,
    German,
    French,
    Spanish,
    Japanese,
    /// Detected, but not one of the above.
    Other,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::English => "en",
            Lang::German => "de",
            Lang::French => "fr",
            Lang::Spanish => "es",
            Lang::Japanese => "ja",
            Lang::Other => "other",
        }
    }
}

/// The language of a text, from its first few kilobytes; English when too
/// little is there to tell.
pub fn language(text: &str) -> Lang {
    let sample = &text[..floor_char_boundary(text, 2048)];
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() || sample.len() > 200 => match info.lang() {
            whatlang::Lang::Eng => Lang::English,
            whatlang::Lang::Deu => Lang::German,
            whatlang::Lang::Fra => Lang::French,
            whatlang::Lang::Spa => Lang::Spanish,
            whatlang::Lang::Jpn => Lang::Japanese,
            _ => Lang::Other,
        },
        _ => Lang::English,
    }
}

/// Content terms of `text`, analysed as `lang` (see [`language`]).
pub fn terms(text: &str, lang: Lang) -> Vec<Term> {
    let words = words(text);
    let analyzer = analyzer(lang);
    let mut out = Vec::with_capacity(words.len() / 2);
    let mut i = 0;
    while i < words.len() {
        if let Some((len, folded)) = VOCABULARY.phrase(&words[i..]) {
            let surface = words[i..i + len].join(" ");
            for w in folded {
                out.push(Term {
                    term: analyzer.stem(w),
                    word: w.clone(),
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
        let folded: &[String] = match VOCABULARY.single.get(w) {
            Some(f) => f,
            None => std::slice::from_ref(&words[i - 1]),
        };
        for f in folded {
            if analyzer.is_stop(f) {
                continue;
            }
            out.push(Term {
                term: analyzer.stem(f),
                word: f.clone(),
                surface: w.to_string(),
            });
        }
    }
    out
}

/// Whether a word can carry meaning at all: no single letters (but single
/// ideographs), no long numbers or hashes, no very long run-together
/// strings.
fn keep_word(w: &str) -> bool {
    let len = w.chars().count();
    if len == 1 {
        return w.chars().next().is_some_and(super::words::is_cjk);
    }
    if len > 24 {
        return false;
    }
    let digits = w.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 {
        return true;
    }
    if digits == w.len() {
        // Plain numbers: keep three-digit ones (HTTP statuses like 404).
        return len == 3;
    }
    // Mixed letters and digits: keep short tokens such as `2fa`, `h264`;
    // drop hashes and ids.
    len <= 8 && digits <= 3
}

struct Analyzer {
    stemmer: Option<Stemmer>,
    stop: HashSet<String>,
}

impl Analyzer {
    fn stem(&self, w: &str) -> String {
        match &self.stemmer {
            Some(s) if w.is_ascii() || w.chars().all(char::is_alphabetic) => s.stem(w).into_owned(),
            _ => w.to_string(),
        }
    }

    fn is_stop(&self, w: &str) -> bool {
        self.stop.contains(w) || ISSUE_WORDS.contains(w)
    }
}

fn analyzer(lang: Lang) -> &'static Analyzer {
    static ANALYZERS: LazyLock<HashMap<Lang, Analyzer>> = LazyLock::new(|| {
        [
            (Lang::English, Some(Algorithm::English), "en"),
            (Lang::German, Some(Algorithm::German), "de"),
            (Lang::French, Some(Algorithm::French), "fr"),
            (Lang::Spanish, Some(Algorithm::Spanish), "es"),
            (Lang::Japanese, None, "ja"),
            (Lang::Other, Some(Algorithm::English), "en"),
        ]
        .into_iter()
        .map(|(lang, algo, code)| {
            let stop = stop_words::lookup(code)
                .unwrap_or_default()
                .iter()
                // Stored without apostrophes, as `words` joins them.
                .map(|w| w.replace(['\'', '’'], ""))
                .collect();
            (
                lang,
                Analyzer {
                    stemmer: algo.map(Stemmer::create),
                    stop,
                },
            )
        })
        .collect()
    });
    &ANALYZERS[&lang]
}

/// Words every issue uses, dropped by duplicate search.
static ISSUE_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| data_lines(include_str!("issue_words.txt")).collect());

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A phrase's words, and the term(s) it folds onto.
type Phrase = (Vec<String>, Vec<String>);

/// `vocabulary.txt`, read once.
struct Vocabulary {
    /// A single word → the term(s) it folds onto.
    single: HashMap<String, Vec<String>>,
    /// First word of a phrase → (the phrase's words, the term(s)), longest
    /// first.
    phrases: HashMap<String, Vec<Phrase>>,
}

impl Vocabulary {
    fn phrase(&self, words: &[String]) -> Option<(usize, &[String])> {
        self.phrases
            .get(words.first()?)?
            .iter()
            .find_map(|(p, to)| {
                (p.len() <= words.len() && p.iter().zip(words).all(|(a, b)| a == b))
                    .then_some((p.len(), to.as_slice()))
            })
    }
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut v = Vocabulary {
        single: HashMap::new(),
        phrases: HashMap::new(),
    };
    for line in data_lines(include_str!("vocabulary.txt")) {
        let Some((term, variants)) = line.split_once(':') else {
            continue;
        };
        let to: Vec<String> = term.split_whitespace().map(str::to_string).collect();
        for variant in variants.split(',') {
            let ws = words(variant);
            match ws.len() {
                0 => {}
                1 => {
                    v.single.insert(ws[0].clone(), to.clone());
                }
                _ => v
                    .phrases
                    .entry(ws[0].clone())
                    .or_default()
                    .push((ws, to.clone())),
            }
        }
    }
    for list in v.phrases.values_mut() {
        list.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }
    v
});

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        terms(text, Lang::English)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn mastodon_vocabulary_meets_on_one_term() {
        assert_eq!(t("toot"), t("post"));
        assert_eq!(t("statuses"), t("posts"));
        assert_eq!(t("reblogged"), t("boost"));
        assert_eq!(t("instances"), t("server"));
        assert_eq!(t("content warnings"), t("CW"));
        assert_eq!(t("direct message"), t("DMs"));
        assert_eq!(t("favorited"), t("favourite"));
        assert_eq!(t("log in"), t("login"));
        assert_eq!(t("e-mail"), t("email"));
        assert_eq!(t("colour"), t("color"));
        assert_eq!(t("editing"), t("edits"));
    }

    #[test]
    fn stop_words_and_noise_go() {
        assert!(t("the and of please mastodon issue").is_empty());
        assert_eq!(t("error 500 on a1b2c3d4e5f6"), t("error 500"));
        let surfaces: Vec<String> = terms("Content warnings vanish", Lang::English)
            .into_iter()
            .map(|t| t.surface)
            .collect();
        assert_eq!(surfaces, ["content warnings", "vanish"]);
    }

    #[test]
    fn languages_are_told_apart_and_stemmed_their_way() {
        assert_eq!(
            language("Ich kann mich seit gestern nicht mehr bei meinem Konto anmelden, das Passwort wird abgelehnt."),
            Lang::German
        );
        assert_eq!(
            language("Je ne peux plus me connecter à mon compte depuis hier, le mot de passe est refusé."),
            Lang::French
        );
        assert_eq!(language("ok"), Lang::English);
        let de = |text: &str| -> Vec<String> {
            terms(text, Lang::German)
                .into_iter()
                .map(|t| t.term)
                .collect()
        };
        // Words of the vocabulary fold onto the English terms…
        assert_eq!(de("Konten gesperrt"), t("accounts suspended"));
        // …and the rest is stemmed the German way.
        assert_eq!(de("Fehlermeldungen"), de("Fehlermeldung"));
    }
}
