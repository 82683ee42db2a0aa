//! The embedder of a build without the `embed` feature: the same API, and
//! loading always says the build lacks it.

use super::error::EmbedError;
use std::path::Path;

/// Stands in for the real embedder; never constructed.
#[derive(Debug)]
pub struct Embedder {
    _never: std::convert::Infallible,
}

impl Embedder {
    /// Always [`EmbedError::NotBuilt`].
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        Err(EmbedError::NotBuilt {
            dir: dir.to_path_buf(),
        })
    }

    pub fn embed(&self, _texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        match self._never {}
    }

    pub fn embed_truncated(
        &self,
        _texts: &[&str],
        _max_tokens: usize,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        match self._never {}
    }

    pub fn dim(&self) -> usize {
        match self._never {}
    }

    pub fn model_id(&self) -> &str {
        match self._never {}
    }

    pub fn threads(&self) -> usize {
        match self._never {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn load_says_the_build_lacks_it() {
        let err = super::Embedder::load(std::path::Path::new("/some/model")).unwrap_err();
        assert!(matches!(err, super::EmbedError::NotBuilt { .. }));
        assert!(err.to_string().contains("`embed` feature"), "{err}");
    }
}
