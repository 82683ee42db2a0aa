//! Text the pipeline shares: untrusted text made safe to show
//! ([`sanitize`]).

pub mod sanitize;

pub use sanitize::printable;
