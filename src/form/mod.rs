//! The issue form: its schema, where forms come from, and validation.

pub mod check;
pub mod model;
pub mod source;
pub mod yaml;

pub use model::{Element, Field, FieldKind, FormConfig, IssueForm};
pub use source::{FormSet, LoadedForm, Origin};
