//! The Markdown GitHub makes of a submitted form, both ways.

pub mod parse;
pub mod render;

pub use parse::{detect_form, parse, Detection, ParsedBody};
pub use render::{render, NO_RESPONSE};
