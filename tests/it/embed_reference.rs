//! The Rust embedder against Python sentence-transformers: 20 sentences
//! written for this test (tests/fixtures/embed/, made by make_reference.py),
//! each vector within cosine 0.999 of the reference.
//!
//! Needs the real model: `PREFLIGHT_MODEL=DIR` (see `.ci/fetch-model`).
//! Without it the test skips with a note on the terminal, except under
//! `CI=true`, where a missing model is a failure.

use issue_preflight::embed::{pinned, Embedder};
use std::io::Write;
use std::path::PathBuf;

#[derive(serde::Deserialize)]
struct Reference {
    model: String,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    tokens_uncut: usize,
    vector: Vec<f32>,
}

/// The model folder from `PREFLIGHT_MODEL`, or `None` (skip) with a note
/// written straight to the stderr stream: the test harness captures
/// `eprintln!` but not direct writes, so the note shows without --nocapture.
/// Under `CI=true` a missing model fails the test instead.
fn model_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PREFLIGHT_MODEL").map(PathBuf::from);
    let problem = match &dir {
        None => "PREFLIGHT_MODEL is not set".to_string(),
        Some(d) if !d.join(pinned::WEIGHTS_FILE).is_file() => {
            format!("PREFLIGHT_MODEL={} holds no model.safetensors", d.display())
        }
        Some(_) => return dir,
    };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{problem}: CI must run the embedding reference test; run .ci/fetch-model DIR and export PREFLIGHT_MODEL=DIR");
    }
    let _ = writeln!(
        std::io::stderr(),
        "note: {problem}; skipping the embedding reference test (run .ci/fetch-model DIR, then PREFLIGHT_MODEL=DIR cargo test)"
    );
    None
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

#[test]
fn vectors_match_sentence_transformers() {
    let Some(dir) = model_dir() else { return };
    let reference: Reference =
        serde_json::from_str(include_str!("../fixtures/embed/reference.json"))
            .expect("reference.json parses");
    assert_eq!(reference.cases.len(), 20);
    assert!(pinned::MODEL_ID.starts_with(&reference.model));
    assert!(
        reference.cases.iter().any(|c| c.tokens_uncut > 256),
        "one sentence must be over the 256-token cut"
    );

    let embedder = Embedder::load(&dir).expect("the model in PREFLIGHT_MODEL loads");
    assert_eq!(embedder.dim(), pinned::DIM);
    assert_eq!(embedder.model_id(), pinned::MODEL_ID);

    let texts: Vec<&str> = reference.cases.iter().map(|c| c.text.as_str()).collect();
    // All at once (batched, sorted by length, padded), and the shortest, the
    // non-ASCII and the over-long one alone (unpadded). The tiny-model tests
    // check batched against alone for many more texts.
    let together = embedder.embed(&texts).unwrap();
    let mut runs: Vec<(&Case, Vec<f32>)> = reference.cases.iter().zip(together).collect();
    for case in reference
        .cases
        .iter()
        .filter(|c| c.tokens_uncut <= 3 || c.tokens_uncut > 256 || !c.text.is_ascii())
    {
        runs.push((case, embedder.embed(&[&case.text]).unwrap().remove(0)));
    }
    assert_eq!(runs.len(), 23);
    let mut worst = (1.0f32, "");
    for (case, got) in &runs {
        let cos = cosine(got, &case.vector);
        if cos < worst.0 {
            worst = (cos, &case.text);
        }
        assert!(
            cos >= 0.999,
            "cosine {cos} to sentence-transformers for {:?}",
            case.text
        );
    }
    // Far closer than the bound in practice; say how close.
    let _ = writeln!(
        std::io::stderr(),
        "embedding reference: 20 sentences, lowest cosine {:.7} ({:?})",
        worst.0,
        worst.1.chars().take(40).collect::<String>()
    );
}
