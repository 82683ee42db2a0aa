//! The trained triage model, compiled into the binary
//! (`models/triage.bin`, made by `cargo run --release --example train`).
//! Two heads: one for words and facts alone, one that also reads the
//! sentence embeddings, used when the embedding model is there.

use super::features::Config;
use super::Verdict;
use crate::learn::Fitted;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Bumped when the file's layout changes.
pub const FORMAT: u32 = 1;

/// How sure a head must be (its probability of support) to send a draft
/// to the admin, and to close an issue: chosen by cross-validation for a
/// precision target, stored with the head they belong to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Aimed at precision 0.90 on held-out folds, relaxed in steps down
    /// to 0.60 where they cannot reach it (see
    /// `train::relaxed_threshold`); above every probability where even
    /// that fails. The shipped words-only head never redirects; the
    /// embedding head's threshold sent 11 held-out reports away at
    /// precision 0.82 (`preflight eval triage --cross-validate`).
    pub redirect: f64,
    /// Precision at least 0.97 on held-out folds, never relaxed: neither
    /// shipped head reaches it, so neither closes unless a repository
    /// sets `close:` itself.
    pub close: f64,
}

/// One classifier and its thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    pub fitted: Fitted,
    pub thresholds: Thresholds,
}

/// The whole model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub format: u32,
    pub config: Config,
    /// The classes, in the order of the heads' rows.
    pub classes: Vec<Verdict>,
    /// Words and facts only.
    pub lexical: Head,
    /// Words, facts and sentence embeddings.
    pub embedded: Option<Head>,
    /// Which embedding model the embedded head was trained with.
    pub embedding_model: Option<String>,
}

impl Model {
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("a model serialises")
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let m: Model = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
        if m.format != FORMAT {
            return Err(format!(
                "triage model format {} (this build reads {FORMAT})",
                m.format
            ));
        }
        Ok(m)
    }

    /// The head to use, given whether embeddings are at hand.
    pub fn head(&self, embedded: bool) -> &Head {
        match (&self.embedded, embedded) {
            (Some(h), true) => h,
            _ => &self.lexical,
        }
    }

    pub fn class_index(&self, v: Verdict) -> Option<usize> {
        self.classes.iter().position(|c| *c == v)
    }
}

static SHIPPED: &[u8] = include_bytes!("../../../models/triage.bin");

/// The model this build ships.
pub fn shipped() -> &'static Model {
    static MODEL: LazyLock<Model> = LazyLock::new(|| {
        Model::from_bytes(SHIPPED).expect("the shipped triage model is this build's own")
    });
    &MODEL
}
