//! Text the pipeline shares: untrusted text made safe to show
//! ([`sanitize`]); Markdown made into prose and words in linear time
//! ([`words`]); words made into terms the same way for triage and
//! duplicate search ([`analyze`]); and the lines that came with a form or
//! a template rather than from the reporter ([`boilerplate`]).

pub mod analyze;
pub mod boilerplate;
pub mod sanitize;
pub mod words;

pub use analyze::{language, terms, Lang, Term};
pub use boilerplate::Boilerplate;
pub use sanitize::{error_text, printable, printable_cut, printable_lines};
