//! For tests only: writes a tiny random BERT model folder (config.json, a
//! WordPiece tokenizer.json, model.safetensors) so the embedding code can be
//! tested without the real 90 MB model. Unit tests and the integration tests
//! in `tests/it/` both use it; nothing else does.
//!
//! The model is 32 wide, 2 layers, 2 heads, with a vocabulary of a few
//! hundred word pieces and deterministic pseudo-random weights: its vectors
//! mean nothing, but they are reproducible and every code path of the real
//! model runs. Its tokenizer.json pads and cuts at 16 tokens, as the real one
//! does at 128, so tests show that loading overrides both.

use candle_core::{Device, Tensor};
use std::collections::HashMap;
use std::path::Path;

/// Hidden size (and so vector length) of the tiny model.
pub const HIDDEN: usize = 32;
/// Transformer layers.
pub const LAYERS: usize = 2;
/// Attention heads.
pub const HEADS: usize = 2;
/// Feed-forward width.
pub const INTERMEDIATE: usize = 64;
/// Position limit; above the 256-token cut so that the cut is the embedder's.
pub const MAX_POSITIONS: usize = 512;

/// The special tokens, ids 0 to 4.
const SPECIAL: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// Whole words in the vocabulary (after the specials, punctuation, digits
/// and letters). Any other word is spelled with letter pieces.
pub const WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "is",
    "are",
    "was",
    "be",
    "to",
    "of",
    "and",
    "in",
    "on",
    "for",
    "with",
    "it",
    "this",
    "that",
    "i",
    "you",
    "my",
    "me",
    "we",
    "not",
    "no",
    "can",
    "cannot",
    "when",
    "after",
    "before",
    "from",
    "at",
    "by",
    "or",
    "but",
    "if",
    "then",
    "does",
    "do",
    "has",
    "have",
    "server",
    "account",
    "login",
    "log",
    "error",
    "bug",
    "feature",
    "request",
    "post",
    "posts",
    "timeline",
    "notification",
    "notifications",
    "image",
    "images",
    "upload",
    "video",
    "media",
    "federation",
    "instance",
    "admin",
    "user",
    "users",
    "password",
    "email",
    "mail",
    "two",
    "factor",
    "code",
    "page",
    "button",
    "click",
    "screen",
    "mobile",
    "app",
    "web",
    "browser",
    "search",
    "hashtag",
    "reply",
    "replies",
    "boost",
    "favourite",
    "follow",
    "followers",
    "block",
    "mute",
    "report",
    "moderation",
    "suspended",
    "deleted",
    "edit",
    "profile",
    "avatar",
    "header",
    "theme",
    "dark",
    "mode",
    "language",
    "translation",
    "filter",
    "list",
    "lists",
    "poll",
    "content",
    "warning",
    "sensitive",
    "link",
    "preview",
    "card",
    "api",
    "token",
    "database",
    "migration",
    "upgrade",
    "version",
    "docker",
    "sidekiq",
    "redis",
    "postgres",
    "nginx",
    "queue",
    "job",
    "jobs",
    "slow",
    "crash",
    "fails",
    "failed",
    "broken",
    "missing",
    "shows",
    "show",
    "blank",
    "empty",
    "wrong",
    "old",
    "new",
    "please",
    "add",
    "support",
    "option",
    "setting",
    "settings",
    "would",
    "like",
    "should",
    "could",
    "every",
    "time",
    "again",
    "still",
    "works",
    "work",
    "working",
    "remote",
    "local",
    "home",
    "public",
    "private",
    "direct",
    "message",
    "messages",
    "thread",
    "conversation",
    "status",
    "statuses",
    "open",
    "close",
    "load",
    "loading",
    "loads",
    "never",
    "always",
    "sometimes",
    "only",
    "other",
    "another",
    "same",
    "different",
    "first",
    "last",
    "one",
    "all",
    "some",
    "more",
    "less",
    "very",
    "long",
    "short",
    "text",
    "title",
    "body",
    "file",
    "files",
    "disk",
    "memory",
    "cpu",
    "high",
    "low",
    "fast",
    "read",
    "write",
    "send",
    "sent",
    "receive",
    "received",
    "import",
    "export",
    "move",
    "moved",
    "redirect",
    "alias",
    "domain",
    "relay",
    "cache",
    "storage",
    "s3",
    "bucket",
    "proxy",
    "timeout",
    "limit",
    "rate",
    "too",
    "many",
    "requests",
];

/// Every vocabulary entry, by id.
pub fn vocab() -> Vec<String> {
    let mut v: Vec<String> = SPECIAL.iter().map(|s| s.to_string()).collect();
    v.extend(".,!?'\"-:;()[]/#@_*&%+=<>".chars().map(String::from));
    v.extend(('0'..='9').map(String::from));
    v.extend(('a'..='z').map(String::from));
    v.extend(('a'..='z').map(|c| format!("##{c}")));
    v.extend(('0'..='9').map(|c| format!("##{c}")));
    v.extend(WORDS.iter().map(|w| w.to_string()));
    v
}

/// Writes the tiny model into `dir` (created if needed).
pub fn write_tiny_bert(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let vocab = vocab();
    std::fs::write(dir.join("config.json"), config_json(vocab.len()))?;
    std::fs::write(dir.join("tokenizer.json"), tokenizer_json(&vocab))?;
    let tensors = weights(vocab.len()).map_err(std::io::Error::other)?;
    candle_core::safetensors::save(&tensors, dir.join("model.safetensors"))
        .map_err(std::io::Error::other)
}

/// A fresh temporary folder holding the tiny model.
pub fn tiny_bert() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder for the tiny BERT");
    write_tiny_bert(dir.path()).expect("tiny BERT written");
    dir
}

fn config_json(vocab_size: usize) -> String {
    let config = serde_json::json!({
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": HIDDEN,
        "initializer_range": 0.02,
        "intermediate_size": INTERMEDIATE,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": MAX_POSITIONS,
        "model_type": "bert",
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": 2,
        "use_cache": true,
        "vocab_size": vocab_size,
    });
    serde_json::to_string_pretty(&config).expect("config serialises")
}

/// A BERT WordPiece tokenizer.json in the layout the real model ships.
fn tokenizer_json(vocab: &[String]) -> String {
    let id = |tok: &str| vocab.iter().position(|v| v == tok).expect("special token");
    let added: Vec<_> = SPECIAL
        .iter()
        .map(|tok| {
            serde_json::json!({
                "id": id(tok), "content": tok, "single_word": false, "lstrip": false,
                "rstrip": false, "normalized": false, "special": true
            })
        })
        .collect();
    let map: serde_json::Map<String, serde_json::Value> = vocab
        .iter()
        .enumerate()
        .map(|(i, tok)| (tok.clone(), i.into()))
        .collect();
    let special = |name: &str| serde_json::json!({"SpecialToken": {"id": name, "type_id": 0}});
    let tokenizer = serde_json::json!({
        "version": "1.0",
        "truncation": {"max_length": 16, "strategy": "LongestFirst", "stride": 0},
        "padding": {
            "strategy": {"Fixed": 16}, "direction": "Right", "pad_to_multiple_of": null,
            "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"
        },
        "added_tokens": added,
        "normalizer": {
            "type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
            "strip_accents": null, "lowercase": true
        },
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]")],
            "pair": [
                special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]"),
                {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}
            ],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [id("[CLS]")], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [id("[SEP]")], "tokens": ["[SEP]"]}
            }
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {
            "type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100, "vocab": map
        }
    });
    serde_json::to_string_pretty(&tokenizer).expect("tokenizer serialises")
}

/// Deterministic pseudo-random weights under Hugging Face's BertModel names.
fn weights(vocab_size: usize) -> candle_core::Result<HashMap<String, Tensor>> {
    let mut out = HashMap::new();
    let mut put = |name: String, shape: &[usize], scale: f32, offset: f32| {
        let n = shape.iter().product();
        let data = noise(&name, n, scale, offset);
        out.insert(name, Tensor::from_vec(data, shape, &Device::Cpu)?);
        candle_core::Result::Ok(())
    };
    let (h, i) = (HIDDEN, INTERMEDIATE);
    put(
        "embeddings.word_embeddings.weight".into(),
        &[vocab_size, h],
        1.0,
        0.0,
    )?;
    put(
        "embeddings.position_embeddings.weight".into(),
        &[MAX_POSITIONS, h],
        0.2,
        0.0,
    )?;
    put(
        "embeddings.token_type_embeddings.weight".into(),
        &[2, h],
        0.1,
        0.0,
    )?;
    put("embeddings.LayerNorm.weight".into(), &[h], 0.1, 1.0)?;
    put("embeddings.LayerNorm.bias".into(), &[h], 0.1, 0.0)?;
    for l in 0..LAYERS {
        let p = format!("encoder.layer.{l}");
        for part in ["query", "key", "value"] {
            put(
                format!("{p}.attention.self.{part}.weight"),
                &[h, h],
                0.3,
                0.0,
            )?;
            put(format!("{p}.attention.self.{part}.bias"), &[h], 0.1, 0.0)?;
        }
        put(
            format!("{p}.attention.output.dense.weight"),
            &[h, h],
            0.3,
            0.0,
        )?;
        put(format!("{p}.attention.output.dense.bias"), &[h], 0.1, 0.0)?;
        put(
            format!("{p}.attention.output.LayerNorm.weight"),
            &[h],
            0.1,
            1.0,
        )?;
        put(
            format!("{p}.attention.output.LayerNorm.bias"),
            &[h],
            0.1,
            0.0,
        )?;
        put(format!("{p}.intermediate.dense.weight"), &[i, h], 0.3, 0.0)?;
        put(format!("{p}.intermediate.dense.bias"), &[i], 0.1, 0.0)?;
        put(format!("{p}.output.dense.weight"), &[h, i], 0.2, 0.0)?;
        put(format!("{p}.output.dense.bias"), &[h], 0.1, 0.0)?;
        put(format!("{p}.output.LayerNorm.weight"), &[h], 0.1, 1.0)?;
        put(format!("{p}.output.LayerNorm.bias"), &[h], 0.1, 0.0)?;
    }
    Ok(out)
}

/// `n` values uniform in `offset ± scale`, from a SplitMix64 stream seeded by
/// the tensor's name: the same name always gets the same values.
fn noise(name: &str, n: usize, scale: f32, offset: f32) -> Vec<f32> {
    // FNV-1a of the name as the seed.
    let mut state = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            // The top 24 bits as a fraction in [0, 1), then to [-1, 1).
            let unit = (z >> 40) as f32 / (1u64 << 24) as f32;
            offset + scale * (2.0 * unit - 1.0)
        })
        .collect()
}
