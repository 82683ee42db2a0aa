//! The one way YAML is read: drafts, forms (local, embedded, remote), the
//! forms' `config.yml` and the Action's `.github/preflight.yml`.
//!
//! YAML can make a small file expensive: aliases repeat what an anchor
//! holds (a 1 MB file can stand for gigabytes), and deep nesting makes
//! parsers slow (libyaml's scanner is quadratic in the depth of flow
//! collections). So before anything is built, [`check`] walks the event
//! stream of yaml-rust2's parser, which builds nothing and whose scanner
//! stops at 255 flow levels, and refuses input over [`MAX_BYTES`], nesting
//! deeper than [`MAX_DEPTH`], more than [`MAX_ALIASES`] aliases, or aliases
//! that would expand the document past [`MAX_EXPANDED`]. Only then does
//! serde build the value. Errors give a line and column and never quote
//! the file's content.

use crate::text::error_text;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// The largest YAML text read.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The deepest nesting of mappings and sequences. Forms nest 5 deep.
pub const MAX_DEPTH: usize = 64;
/// The most aliases (`*name`) in one text.
pub const MAX_ALIASES: usize = 64;
/// The most a text may stand for once its aliases are expanded, counted
/// as one unit a node plus the bytes of its scalars.
pub const MAX_EXPANDED: u64 = 4 * MAX_BYTES as u64;

/// Why a YAML text was refused, and where (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {col}: {message}")]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    /// One line, naming no value of the file.
    pub message: String,
}

impl YamlError {
    fn at(mark: Marker, message: impl Into<String>) -> YamlError {
        // yaml-rust2 counts lines from 1 and columns from 0.
        YamlError {
            line: mark.line().max(1),
            col: mark.col() + 1,
            message: message.into(),
        }
    }
}

/// Reads `text` as a `T`, within the limits (see the module's notes). A
/// leading byte-order mark is ignored.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = strip_bom(text);
    check(text)?;
    serde_yaml::from_str(text).map_err(|e| serde_error(&e))
}

/// `value` as YAML text (drafts the drafter saves).
pub fn to_string<T: Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).expect("plain data serializes to YAML")
}

pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// Whether `text` is within the limits: walks the event stream once,
/// in time linear in the text, and builds nothing.
pub fn check(text: &str) -> Result<(), YamlError> {
    if text.len() > MAX_BYTES {
        return Err(YamlError {
            line: 1,
            col: 1,
            message: format!(
                "is {} bytes; YAML of at most {MAX_BYTES} bytes (1 MiB) is read",
                text.len()
            ),
        });
    }
    let mut parser = Parser::new_from_str(text);
    // Expanded size of each anchored node, by anchor id.
    let mut anchors: HashMap<usize, u64> = HashMap::new();
    // Open collections: anchor id and expanded size so far.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut total: u64 = 0;
    let mut aliases = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            // The scanner's own stop, at 255 flow levels.
            let message = if e.info() == "recursion limit exceeded" {
                format!("nests deeper than {MAX_DEPTH} levels")
            } else {
                error_text(e.info())
            };
            YamlError::at(*e.marker(), message)
        })?;
        let size = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(YamlError::at(
                        mark,
                        format!("nests deeper than {MAX_DEPTH} levels"),
                    ));
                }
                open.push((anchor, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((anchor, size)) = open.pop() else {
                    continue;
                };
                if anchor > 0 {
                    anchors.insert(anchor, size);
                }
                size
            }
            Event::Scalar(s, _, anchor, _) => {
                let size = 1 + s.len() as u64;
                if anchor > 0 {
                    anchors.insert(anchor, size);
                }
                size
            }
            Event::Alias(id) => {
                aliases += 1;
                if aliases > MAX_ALIASES {
                    return Err(YamlError::at(
                        mark,
                        format!("has more than {MAX_ALIASES} aliases (`*name`)"),
                    ));
                }
                // An alias of a node still open is recursive; serde refuses it.
                anchors.get(&id).copied().unwrap_or(1)
            }
            _ => continue,
        };
        let parent = match open.last_mut() {
            Some((_, parent)) => parent,
            None => &mut total,
        };
        *parent = parent.saturating_add(size);
        if *parent > MAX_EXPANDED {
            return Err(YamlError::at(
                mark,
                format!(
                    "its aliases expand it past {} MiB; write the values out instead",
                    MAX_EXPANDED >> 20
                ),
            ));
        }
    }
}

/// serde's error, with its position taken apart from its message and the
/// values it quotes dropped.
fn serde_error(e: &serde_yaml::Error) -> YamlError {
    let (line, col) = e
        .location()
        .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    let mut message = e.to_string();
    // serde repeats the position; ours is printed apart.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    YamlError {
        line,
        col,
        message: error_text(&message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    type Any = serde_yaml::Value;

    #[test]
    fn ordinary_yaml_reads() {
        let m: BTreeMap<String, Vec<String>> =
            from_str("\u{FEFF}a: [x, y]\nb:\n  - &z z\n  - *z\n").unwrap();
        assert_eq!(m["a"], ["x", "y"]);
        assert_eq!(m["b"], ["z", "z"]);
    }

    #[test]
    fn deep_nesting_is_refused_where_it_gets_too_deep() {
        let e = from_str::<Any>(&"[".repeat(300_000)).unwrap_err();
        assert!(e.message.contains("deeper than 64"), "{e}");
        assert_eq!(e.line, 1);
        let e = from_str::<Any>(&format!("{}{}", "[".repeat(65), "]".repeat(65))).unwrap_err();
        assert_eq!(
            (e.line, e.col, e.message.as_str()),
            (1, 65, "nests deeper than 64 levels")
        );
        let block =
            |n: usize| -> String { (0..n).map(|i| format!("{}- \n", " ".repeat(i))).collect() };
        assert!(from_str::<Any>(&block(60)).is_ok());
        let e = from_str::<Any>(&block(100)).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (65, "nests deeper than 64 levels")
        );
        let e = from_str::<Any>(&"- ".repeat(100_000)).unwrap_err();
        assert!(e.message.contains("deeper than 64"), "{e}");
        let e = from_str::<Any>(&"{a: ".repeat(100_000)).unwrap_err();
        assert!(e.message.contains("deeper than 64"), "{e}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        // Few aliases, exponential expansion.
        let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = from_str::<Any>(&bomb).unwrap_err();
        assert!(e.message.contains("expand"), "{e}");
        // Many aliases of one big string.
        let bomb = format!(
            "big: &b {}\nall: [{}]\n",
            "x".repeat(400_000),
            vec!["*b"; 3000].join(", ")
        );
        let e = from_str::<Any>(&bomb).unwrap_err();
        assert!(e.message.contains("aliases"), "{e}");
        let few = format!("big: &b {}\nall: [*b, *b]\n", "x".repeat(100_000));
        assert!(from_str::<Any>(&few).is_ok());
    }

    #[test]
    fn errors_place_but_never_quote() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Form {
            name: u32,
        }
        let e = from_str::<Form>("name: ghp_secret_token_value\n").unwrap_err();
        assert!(!e.to_string().contains("ghp_"), "{e}");
        assert_eq!(e.line, 1);
        let key = "k".repeat(900_000);
        let e = from_str::<Form>(&format!("{key}: 1\n")).unwrap_err();
        assert!(e.to_string().len() < 500, "{}", e.to_string().len());
        let e = from_str::<Form>("name: [\n").unwrap_err();
        assert!(e.line >= 1 && !e.message.is_empty(), "{e}");
        let e = from_str::<Any>(&"x".repeat(MAX_BYTES + 1)).unwrap_err();
        assert!(e.message.contains("1 MiB"), "{e}");
    }
}
