//! The embedding module from outside the crate, on the tiny random BERT
//! (`embed::testing`): locate, status and load fit together.

use issue_preflight::embed::testing::{tiny_bert, HIDDEN};
use issue_preflight::embed::{locate, status, Embedder, FileState, ModelSource};

#[test]
fn a_located_tiny_model_loads_but_is_not_the_pinned_one() {
    let model = tiny_bert();
    let cache = tempfile::tempdir().unwrap();
    let found = locate(Some(model.path()), cache.path()).unwrap();
    assert_eq!(found.source, ModelSource::Explicit);

    let embedder = Embedder::load(&found.path).unwrap();
    let v = embedder.embed(&["the server", "a post"]).unwrap();
    assert_eq!(v.len(), 2);
    assert!(v.iter().all(|v| v.len() == HIDDEN));
    assert_ne!(
        embedder.model_id(),
        issue_preflight::embed::pinned::MODEL_ID
    );

    // Loads fine, but `model status` does not take it for the pinned model.
    let st = status(&found.path);
    assert!(!st.is_ok());
    assert!(matches!(st.files[0].state, FileState::Mismatch { .. }));
    assert!(matches!(st.files[1].state, FileState::Mismatch { .. }));
    assert!(matches!(st.files[2].state, FileState::Mismatch { .. }));
}
