//! What can go wrong loading or running the embedding model. Each message is
//! one sentence that names the file at fault and what to do.

use std::path::PathBuf;

/// An embedding failure.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A model file is not there.
    #[error(
        "{} is missing; run `preflight model fetch`, or point --model/PREFLIGHT_MODEL at a folder holding config.json, tokenizer.json and model.safetensors",
        path.display()
    )]
    MissingFile { path: PathBuf },

    /// A model file exists but could not be read.
    #[error("cannot read {}: {source}; check that the file is readable", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    /// `config.json` is not a BERT configuration this code can run.
    #[error("{} is not a usable BERT model configuration ({reason}); fetch the model again with `preflight model fetch`", path.display())]
    Config { path: PathBuf, reason: String },

    /// `tokenizer.json` could not be loaded or set up.
    #[error("{} is not a usable tokenizer ({reason}); fetch the model again with `preflight model fetch`", path.display())]
    Tokenizer { path: PathBuf, reason: String },

    /// `model.safetensors` is unreadable or does not fit the configuration.
    #[error("{} does not hold the weights config.json describes ({reason}); fetch the model again with `preflight model fetch`", path.display())]
    Weights { path: PathBuf, reason: String },

    /// Tokenising or running the model failed on some input.
    #[error("the embedding model in {} failed on the input ({reason}); check `preflight model status` and report it if the model is intact", dir.display())]
    Inference { dir: PathBuf, reason: String },

    /// This build has no embedding support.
    #[error("this preflight was built without the `embed` feature, so {} cannot be used; rebuild with default features to compare texts by meaning", dir.display())]
    NotBuilt { dir: PathBuf },
}
