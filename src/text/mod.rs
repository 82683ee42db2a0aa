//! Text the pipeline shares: untrusted text made safe to show
//! ([`sanitize`]).

pub mod sanitize;

pub use sanitize::{error_text, printable, printable_cut, printable_lines};
