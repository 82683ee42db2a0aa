//! Sentence embeddings: all-MiniLM-L6-v2 (sentence-transformers, 384
//! dimensions, Apache-2.0) run in pure Rust with candle, for comparing
//! issues by meaning.
//!
//! - [`pinned`]: the model's revision, files and SHA-256s, in one place.
//! - [`locate`] / [`status`]: where the model is (`--model DIR` or
//!   `PREFLIGHT_MODEL=DIR`, read by the caller, then the cache) and whether
//!   its files are the pinned ones.
//! - [`fetch()`]: downloads the pinned files from the Hugging Face hub into a
//!   model folder (`preflight model fetch`), checked and resumable.
//! - [`Embedder`]: loads a model folder and turns texts into unit vectors
//!   (mean pooling over the real tokens, L2-normalised, at most 256 tokens a
//!   text), matching sentence-transformers to about 1e-6.
//!
//! The model is optional: callers that find none work lexically and say so.
//! Built without the `embed` feature, [`Embedder::load`] returns
//! [`EmbedError::NotBuilt`]; locating and checking the model still work.
//!
//! Threads: candle's matrix products use `RAYON_NUM_THREADS` threads when it
//! is set, else one per physical core, in candle's own pool; tokenising uses
//! rayon's global pool. Candle reads no other setting, so only the caller
//! can choose (set the variable before the first embedding). On a 2-core
//! machine shared with builds, `RAYON_NUM_THREADS=1` was faster than the
//! default 2 for everything but a lone short title (examples/embed_bench.rs).
//!
//! The library never prints.

mod error;
mod fetch;
mod locate;
pub mod pinned;

#[cfg(feature = "embed")]
mod model;
#[cfg(feature = "embed")]
pub mod testing;

#[cfg(not(feature = "embed"))]
mod disabled;

pub use error::EmbedError;
pub use fetch::{
    fetch, FetchError, FetchEvent, Fetched, FetchedFile, How, Source, DEFAULT_ENDPOINT,
    IDLE_TIMEOUT,
};
pub use locate::{
    cache_path, locate, pinned_files, sha256_file, status, status_of, ExpectedFile, FileState,
    FileStatus, ModelDir, ModelSource, ModelStatus,
};

#[cfg(not(feature = "embed"))]
pub use disabled::Embedder;
#[cfg(feature = "embed")]
pub use model::Embedder;

#[cfg(all(test, feature = "embed"))]
mod tests;
