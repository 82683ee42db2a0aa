//! The embedder against the tiny random BERT of [`super::testing`].

use super::testing::{self, tiny_bert};
use super::{EmbedError, Embedder};

fn load(dir: &tempfile::TempDir) -> Embedder {
    Embedder::load(dir.path()).expect("tiny BERT loads")
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

/// Texts of 1 to about 60 tokens, some with words outside the vocabulary.
const TEXTS: [&str; 10] = [
    "",
    "crash",
    "Login fails after the upgrade",
    "The timeline shows old posts again, every time I open the app.",
    "Please add an option to mute a hashtag in the home timeline",
    "Sidekiq queue is very slow: jobs for remote media fail with a timeout error",
    "Zebra quixotic xylophone",
    "Two factor code is wrong when I log in from another browser; the login page still \
     shows the same error and the email with the code is never received",
    "S3 bucket upload failed (storage limit?)",
    "my account was suspended by the admin of my server and I cannot log in",
];

#[test]
fn loads_with_the_hidden_size_as_dim() {
    let dir = tiny_bert();
    let embedder = load(&dir);
    assert_eq!(embedder.dim(), testing::HIDDEN);
    assert!(embedder.model_id().starts_with("unpinned-bert-32d+sha256:"));
    assert!(embedder.threads() >= 1);
}

#[test]
fn vectors_have_the_dim_and_unit_length() {
    let dir = tiny_bert();
    let embedder = load(&dir);
    let vectors = embedder.embed(&TEXTS).unwrap();
    assert_eq!(vectors.len(), TEXTS.len());
    for (text, v) in TEXTS.iter().zip(&vectors) {
        assert_eq!(v.len(), testing::HIDDEN, "{text:?}");
        assert!((norm(v) - 1.0).abs() < 1e-5, "{text:?}: norm {}", norm(v));
    }
    // Different texts, different vectors.
    assert!(max_diff(&vectors[2], &vectors[3]) > 1e-2);
    assert!(embedder.embed(&[]).unwrap().is_empty());
}

#[test]
fn batched_equals_one_at_a_time() {
    let dir = tiny_bert();
    let embedder = load(&dir);
    // Forty texts: several batches, each padded to its longest.
    let texts: Vec<&str> = TEXTS.iter().cycle().take(40).copied().collect();
    let together = embedder.embed(&texts).unwrap();
    for (text, v) in texts.iter().zip(&together) {
        let alone = &embedder.embed(&[text]).unwrap()[0];
        assert!(max_diff(v, alone) < 1e-5, "{text:?}");
    }
}

#[test]
fn padding_does_not_change_a_vector() {
    let dir = tiny_bert();
    let embedder = load(&dir);
    let short = "crash";
    let long = TEXTS[7];
    let alone = embedder.embed(&[short]).unwrap().remove(0);
    // In one batch with a long text, the short one is padded to its length.
    let padded = embedder.embed(&[long, short]).unwrap().remove(1);
    assert!(max_diff(&alone, &padded) < 1e-5);
    // The shipped tokenizer.json pads every text to 16 and cuts there: both
    // are off, so the long text is not cut to 16 tokens.
    let cut = TEXTS[7]
        .split_whitespace()
        .take(12)
        .collect::<Vec<_>>()
        .join(" ");
    let v = embedder.embed(&[long, &cut]).unwrap();
    assert!(max_diff(&v[0], &v[1]) > 1e-3);
}

#[test]
fn texts_are_cut_at_256_tokens() {
    let dir = tiny_bert();
    let embedder = load(&dir);
    // Each vocabulary word is one token: 254 of them fill the 256 with
    // [CLS] and [SEP].
    let words: Vec<&str> = testing::WORDS.iter().cycle().take(600).copied().collect();
    let head = words[..254].join(" ");
    let with_tail_a = format!("{head} {}", words[254..].join(" "));
    let with_tail_b = format!(
        "{head} {}",
        words[254..400]
            .iter()
            .rev()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    );
    let changed_inside = format!(
        "{} server {}",
        words[..200].join(" "),
        words[201..].join(" ")
    );
    let v = embedder
        .embed(&[&head, &with_tail_a, &with_tail_b, &changed_inside])
        .unwrap();
    // Past token 256 nothing counts (and 600 tokens, above the model's 512
    // positions, do not fail).
    assert!(max_diff(&v[0], &v[1]) < 1e-5);
    assert!(max_diff(&v[0], &v[2]) < 1e-5);
    // Before it, a change shows.
    assert!(max_diff(&v[0], &v[3]) > 1e-4);
}

#[test]
fn missing_file_names_it() {
    for name in ["config.json", "tokenizer.json", "model.safetensors"] {
        let dir = tiny_bert();
        std::fs::remove_file(dir.path().join(name)).unwrap();
        let err = Embedder::load(dir.path()).unwrap_err();
        assert!(matches!(err, EmbedError::MissingFile { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(name) && msg.contains("preflight model fetch"),
            "{msg}"
        );
    }
    let err = Embedder::load(std::path::Path::new("/no/such/model")).unwrap_err();
    assert!(
        err.to_string().contains("/no/such/model/config.json"),
        "{err}"
    );
}

#[test]
fn corrupt_files_give_clear_errors() {
    let dir = tiny_bert();
    let good_config = std::fs::read_to_string(dir.path().join("config.json")).unwrap();

    std::fs::write(dir.path().join("model.safetensors"), b"not safetensors").unwrap();
    let err = Embedder::load(dir.path()).unwrap_err();
    assert!(matches!(err, EmbedError::Weights { .. }), "{err:?}");
    assert!(err.to_string().contains("model.safetensors"), "{err}");
    assert_eq!(err.to_string().lines().count(), 1, "{err}");

    let dir = tiny_bert();
    std::fs::write(dir.path().join("tokenizer.json"), b"{\"version\": ").unwrap();
    let err = Embedder::load(dir.path()).unwrap_err();
    assert!(matches!(err, EmbedError::Tokenizer { .. }), "{err:?}");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");

    let dir = tiny_bert();
    let gpt = good_config.replace("\"bert\"", "\"gpt2\"");
    std::fs::write(dir.path().join("config.json"), gpt).unwrap();
    let err = Embedder::load(dir.path()).unwrap_err();
    assert!(matches!(err, EmbedError::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("gpt2"), "{err}");

    // A config whose hidden size the weights do not have.
    let dir = tiny_bert();
    let wide = good_config.replace("\"hidden_size\": 32", "\"hidden_size\": 64");
    assert_ne!(wide, good_config);
    std::fs::write(dir.path().join("config.json"), wide).unwrap();
    let err = Embedder::load(dir.path()).unwrap_err();
    assert!(matches!(err, EmbedError::Weights { .. }), "{err:?}");
    assert!(err.to_string().contains("shape"), "{err}");

    // A weights file cut short.
    let dir = tiny_bert();
    let path = dir.path().join("model.safetensors");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = Embedder::load(dir.path()).unwrap_err();
    assert!(matches!(err, EmbedError::Weights { .. }), "{err:?}");
}

#[test]
fn the_tiny_model_is_reproducible() {
    let a = tiny_bert();
    let b = tiny_bert();
    for name in ["config.json", "tokenizer.json", "model.safetensors"] {
        assert_eq!(
            std::fs::read(a.path().join(name)).unwrap(),
            std::fs::read(b.path().join(name)).unwrap(),
            "{name}"
        );
    }
    assert_eq!(load(&a).model_id(), load(&b).model_id());
}

#[test]
fn embedder_can_be_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Embedder>();
}
