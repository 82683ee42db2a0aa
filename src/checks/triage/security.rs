//! Vulnerabilities, told by the names of their kinds (`security.txt`).

use super::features::Texts;
use crate::text::words::words;
use std::sync::LazyLock;

/// The terms, each as its words.
static TERMS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    include_str!("security.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(words)
        .filter(|w| !w.is_empty())
        .collect()
});

/// The first kind of vulnerability the draft names, if any.
pub fn vulnerability(texts: &Texts) -> Option<String> {
    for text in [&texts.title, &texts.body] {
        let ws = words(text);
        for term in TERMS.iter() {
            if ws.windows(term.len()).any(|w| w == term.as_slice()) {
                return Some(term.join(" "));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(title: &str, body: &str) -> Texts {
        Texts {
            title: title.into(),
            body: body.into(),
            form: None,
        }
    }

    #[test]
    fn names_of_vulnerabilities_in_any_covered_language() {
        assert_eq!(
            vulnerability(&texts("Stored XSS in display names", "")).as_deref(),
            Some("xss")
        );
        assert!(vulnerability(&texts("", "Eine Sicherheitslücke im Login")).is_some());
        assert!(vulnerability(&texts("", "ログイン画面の脆弱性")).is_some());
        assert!(vulnerability(&texts("Cross-site scripting via alt text", "")).is_some());
    }

    #[test]
    fn ordinary_words_are_not_vulnerabilities() {
        assert_eq!(
            vulnerability(&texts(
                "Security settings page is slow",
                "my account was suspended"
            )),
            None
        );
        assert_eq!(vulnerability(&texts("exploits of the past", "")), None);
    }
}
