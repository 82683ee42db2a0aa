//! Which language a draft is written in, as far as the triage rules care:
//! English, German, French, Spanish and Japanese are covered; anything else
//! is reported so the verdict can carry a low confidence instead of a guess.

use super::text::is_cjk;

/// A language guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lang {
    /// ISO 639-1 code, or `und` when nothing could be told.
    pub code: &'static str,
    /// Whether the rules have words for it.
    pub covered: bool,
    /// The language's English name, for reasons.
    pub name: &'static str,
}

const fn lang(code: &'static str, name: &'static str, covered: bool) -> Lang {
    Lang {
        code,
        covered,
        name,
    }
}

pub(crate) const ENGLISH: Lang = lang("en", "English", true);
const UNKNOWN: Lang = lang("und", "an unrecognised language", false);

/// Function words that are frequent in one language and rare in the others
/// (words shared between languages, like "de" or "no", are left out).
#[rustfmt::skip]
const STOPWORDS: &[(Lang, &[&str])] = &[
    (
        ENGLISH,
        &[
            "the", "and", "is", "to", "of", "it", "i", "that", "this", "not", "my", "for", "with",
            "when", "was", "have", "can", "but", "are", "you", "what", "there", "be", "on", "from",
            "would", "should", "if", "or", "an", "they", "been", "does", "doesn", "don", "at",
        ],
    ),
    (
        lang("de", "German", true),
        &[
            "der", "die", "das", "und", "ist", "nicht", "ich", "ein", "eine", "mit", "auf", "zu",
            "mein", "meine", "meinen", "den", "dem", "es", "wenn", "kann", "auch", "sich", "von",
            "wird", "wurde", "habe", "bei", "oder", "aber", "noch", "keine", "mich", "mir",
        ],
    ),
    (
        lang("fr", "French", true),
        &[
            "le", "les", "et", "est", "je", "pas", "une", "des", "du", "mon", "ma", "ne", "que",
            "pour", "dans", "sur", "il", "ce", "avec", "mais", "qui", "mes", "au", "aux", "vous",
            "nous", "j", "n", "c", "ai", "suis", "compte",
        ],
    ),
    (
        lang("es", "Spanish", true),
        &[
            "el", "los", "las", "y", "es", "que", "mi", "mis", "por", "con", "para", "pero", "se",
            "lo", "del", "al", "una", "cuenta", "puedo", "estoy", "esta", "como", "cuando",
            "tengo", "hay", "muy", "sin", "ya", "yo",
        ],
    ),
    (
        lang("fi", "Finnish", false),
        &[
            "ja", "on", "ei", "se", "etta", "minun", "mutta", "kun", "tai", "ole", "voi", "tama",
            "olen", "en", "myos", "kuin", "nyt", "jos", "tili", "tilini", "pysty", "mina",
        ],
    ),
    (
        lang("nl", "Dutch", false),
        &[
            "het", "een", "niet", "ik", "van", "mijn", "dat", "op", "te", "met", "voor", "maar",
            "wordt", "zijn", "ook", "bij", "kan", "geen", "deze", "wat",
        ],
    ),
    (
        lang("it", "Italian", false),
        &[
            "il", "di", "che", "non", "per", "con", "sono", "gli", "della", "ma", "mio", "nel",
            "questo", "anche", "posso", "ho", "alla", "essere",
        ],
    ),
    (
        lang("pt", "Portuguese", false),
        &[
            "o", "os", "que", "nao", "um", "uma", "em", "meu", "minha", "com", "para", "mas", "voce",
            "isso", "ao", "tambem", "conta", "estou", "consigo",
        ],
    ),
    (
        lang("sv", "Swedish", false),
        &[
            "och", "att", "det", "ar", "jag", "inte", "pa", "som", "for", "med", "min", "mitt",
            "har", "kan", "ett", "den",
        ],
    ),
    (
        lang("pl", "Polish", false),
        &[
            "nie", "jest", "sie", "na", "to", "mnie", "moje", "moj", "ale", "jak", "czy", "przez",
            "mam", "tak", "juz", "konto",
        ],
    ),
    (
        lang("tr", "Turkish", false),
        &[
            "ve", "bir", "bu", "icin", "ile", "ama", "benim", "hesabim", "degil", "cok", "gibi",
            "olarak", "daha",
        ],
    ),
    (
        lang("id", "Indonesian", false),
        &[
            "yang", "dan", "tidak", "saya", "ini", "itu", "dengan", "untuk", "akun", "bisa",
            "ada", "sudah",
        ],
    ),
];

/// Guesses the language from the reporter's own words (title and answers,
/// never the form's labels). Scripts decide first; Latin-script text by
/// which language's function words it uses most.
pub(crate) fn detect<'a>(words: impl Iterator<Item = &'a str>, raw: &str) -> Lang {
    let (mut latin, mut kana, mut han, mut hangul, mut other) = (0usize, 0, 0, 0, 0);
    for c in raw.chars().filter(|c| c.is_alphabetic()) {
        if c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c) {
            latin += 1;
        } else if ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{ff66}'..='\u{ff9f}').contains(&c) {
            kana += 1;
        } else if is_cjk(c) {
            han += 1;
        } else if ('\u{ac00}'..='\u{d7af}').contains(&c) || ('\u{1100}'..='\u{11ff}').contains(&c) {
            hangul += 1;
        } else {
            other += 1;
        }
    }
    // A CJK character carries about as much as a short Latin word.
    let cjk = kana + han;
    let total = latin + 3 * (cjk + hangul) + other;
    if total == 0 {
        return ENGLISH;
    }
    if 3 * (cjk + hangul) + other > total / 2 {
        if kana > 0 && kana * 5 >= cjk {
            return lang("ja", "Japanese", true);
        }
        if cjk > 0 && cjk >= hangul && 3 * cjk >= other {
            return lang("zh", "Chinese", false);
        }
        if hangul > 0 && 3 * hangul >= other {
            return lang("ko", "Korean", false);
        }
        return UNKNOWN;
    }
    let mut counts = [0usize; STOPWORDS.len()];
    let mut n = 0usize;
    for w in words {
        if w.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        n += 1;
        for (i, (_, list)) in STOPWORDS.iter().enumerate() {
            if list.contains(&w) {
                counts[i] += 1;
            }
        }
    }
    let best_of = |covered: bool| {
        (0..STOPWORDS.len())
            .filter(|&i| STOPWORDS[i].0.covered == covered)
            .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
            .unwrap_or(0)
    };
    let (c, u) = (best_of(true), best_of(false));
    if counts[u] > counts[c] && (counts[u] >= 2 || counts[c] == 0) {
        return STOPWORDS[u].0;
    }
    if counts[c] == 0 {
        // No function word at all: a bare title such as "Emoji picker
        // broken on Safari" is still most likely English; a long text is not.
        return if n < 12 { ENGLISH } else { UNKNOWN };
    }
    STOPWORDS[c].0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::triage::text::tokenize;

    fn guess(s: &str) -> Lang {
        let mut t = Vec::new();
        tokenize(s, &mut t);
        detect(t.iter().map(String::as_str), s)
    }

    #[test]
    fn covered_languages() {
        assert_eq!(
            guess("I can not find the button when my timeline is open").code,
            "en"
        );
        assert_eq!(
            guess("Ich kann mich seit gestern nicht mehr mit meinem Konto anmelden").code,
            "de"
        );
        assert_eq!(
            guess("Je ne reçois pas le courriel pour mon compte").code,
            "fr"
        );
        assert_eq!(
            guess("No puedo entrar en mi cuenta desde el lunes").code,
            "es"
        );
        let ja = guess("パスワードを忘れてしまい、ログインできません");
        assert_eq!((ja.code, ja.covered), ("ja", true));
    }

    #[test]
    fn uncovered_languages() {
        let fi = guess("En pysty kirjautumaan tililleni ja salasanan palautus ei toimi");
        assert_eq!((fi.code, fi.covered), ("fi", false));
        let ko = guess("계정에 로그인할 수 없습니다");
        assert_eq!((ko.code, ko.covered), ("ko", false));
        assert!(!guess("Мой аккаунт заблокирован, не могу войти").covered);
    }

    #[test]
    fn short_titles_default_to_english() {
        assert_eq!(guess("Emoji picker flicker").code, "en");
        assert_eq!(
            guess("Emoji picker broken Safari 17 macOS Sonoma trackpad").code,
            "en"
        );
    }

    #[test]
    fn long_text_without_known_words_is_unknown() {
        let g = guess("Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt labore");
        assert!(!g.covered, "{g:?}");
    }
}
