//! Reading form YAML with positions, so that every problem can be reported
//! as `file:line:col`. serde gives the typed model; yaml-rust2's event stream
//! gives where each node starts, which serde alone cannot. Only text within
//! [`crate::yaml`]'s limits is walked, and only the shallow paths a form's
//! checks ask for are kept, so the map stays small whatever the text.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A position in a YAML file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Where each node of a document starts, keyed by its path:
/// `body[2].attributes.label`. Keys of mappings are recorded at the key.
#[derive(Debug, Default)]
pub struct PosMap {
    map: HashMap<String, Pos>,
}

impl PosMap {
    /// Builds the map; a document the scanner refuses gives an empty map
    /// (serde reports that error with its own position).
    pub fn build(text: &str) -> PosMap {
        if crate::yaml::check(text).is_err() {
            return PosMap::default();
        }
        let mut rec = Recorder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut rec, false).is_err() {
            return PosMap::default();
        }
        PosMap { map: rec.map }
    }

    /// The first mapping key named `name` at or after `from` (serde places
    /// errors inside tagged enums at the enum's start, not at the key).
    pub fn find_key(&self, name: &str, from: Pos) -> Option<Pos> {
        self.map
            .iter()
            .filter(|(path, pos)| {
                path.rsplit(['.', ']']).next() == Some(name)
                    && (pos.line, pos.col) >= (from.line, from.col)
            })
            .map(|(_, pos)| *pos)
            .min_by_key(|p| (p.line, p.col))
    }

    /// The position of `path`, or of its nearest recorded ancestor.
    pub fn get(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.map.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return Pos { line: 1, col: 1 },
            }
        }
    }
}

/// Paths deeper than this are not recorded (a form's deepest checked path,
/// `body[i].attributes.options[j].label`, is 5 deep): deeper nodes are
/// placed at their nearest recorded ancestor.
const MAX_PATH_DEPTH: usize = 6;
/// Keys longer than this are recorded as `?`.
const MAX_KEY_CHARS: usize = 64;
/// The most positions kept.
const MAX_ENTRIES: usize = 50_000;

enum Frame {
    Map { prefix: String, key: Option<String> },
    Seq { prefix: String, index: usize },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    map: HashMap<String, Pos>,
}

impl Recorder {
    fn record(&mut self, path: String, mark: Marker) {
        if self.stack.len() <= MAX_PATH_DEPTH && self.map.len() < MAX_ENTRIES {
            self.map.entry(path).or_insert(Self::pos(mark));
        }
    }

    fn pos(mark: Marker) -> Pos {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Pos {
            line: mark.line(),
            col: mark.col() + 1,
        }
    }

    /// The path of the node that starts now; advances the parent.
    /// `None` when the event is a mapping key. Paths too deep to be
    /// recorded are left empty.
    fn next_path(&mut self, key_text: Option<&str>, mark: Marker) -> Option<String> {
        let deep = self.stack.len() > MAX_PATH_DEPTH;
        let join = |prefix: &str, k: &str| {
            if deep {
                String::new()
            } else if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            }
        };
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { prefix, index }) => {
                let p = if deep {
                    String::new()
                } else {
                    format!("{prefix}[{index}]")
                };
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { prefix, key }) => match key.take() {
                Some(k) => Some(join(prefix, &k)),
                None => {
                    let k = key_text
                        .filter(|k| k.len() <= MAX_KEY_CHARS && !deep)
                        .unwrap_or("?")
                        .to_string();
                    let full = join(prefix, &k);
                    *key = Some(k);
                    self.record(full, mark);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(ref s, ..) => {
                if let Some(p) = self.next_path(Some(s), mark) {
                    self.record(p, mark);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(None, mark) {
                    self.record(p, mark);
                }
            }
            Event::MappingStart(..) => {
                let prefix = self.next_path(None, mark).unwrap_or_default();
                self.record(prefix.clone(), mark);
                self.stack.push(Frame::Map { prefix, key: None });
            }
            Event::SequenceStart(..) => {
                let prefix = self.next_path(None, mark).unwrap_or_default();
                self.record(prefix.clone(), mark);
                self.stack.push(Frame::Seq { prefix, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_paths() {
        let text = "name: x\nbody:\n  - type: input\n    attributes:\n      label: A\n  - type: textarea\n    attributes:\n      label: B\n";
        let map = PosMap::build(text);
        assert_eq!(map.get("name"), Pos { line: 1, col: 1 });
        assert_eq!(map.get("body[1].attributes.label"), Pos { line: 8, col: 7 });
        assert_eq!(map.get("body[0].type"), Pos { line: 3, col: 5 });
        // An unknown child falls back to its parent.
        assert_eq!(
            map.get("body[1].attributes.nope"),
            map.get("body[1].attributes")
        );
        assert_eq!(map.get("body[1].attributes"), Pos { line: 7, col: 5 });
    }
}
