//! The embedder: tokenizer.json + a candle BERT, mean-pooled and
//! L2-normalised like sentence-transformers.

use super::error::EmbedError;
use super::locate::sha256_bytes;
use super::pinned;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::path::{Path, PathBuf};
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// At most this many texts run through the model together.
const MAX_BATCH: usize = 16;
/// At most this many tokens (padding included) in one batch, so a batch of
/// long texts stays small in memory (attention is batch × heads × len²).
const MAX_BATCH_TOKENS: usize = 2048;

/// A loaded sentence-embedding model. Cheap to share by reference; `embed`
/// takes `&self`.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    dir: PathBuf,
    dim: usize,
    pad_id: u32,
    model_id: String,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("dim", &self.dim)
            .field("model_id", &self.model_id)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` from
    /// `dir`. Checks that the files exist, that the config is a BERT whose
    /// sizes the weights match, and sets the tokenizer to cut at 256 tokens
    /// with no fixed padding (the shipped tokenizer.json pads and cuts at 128).
    /// Does not hash the weights when they look like the pinned model (the
    /// pinned tokenizer and the pinned weights' size); `status` does that.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        let config_path = dir.join(pinned::CONFIG_FILE);
        let tokenizer_path = dir.join(pinned::TOKENIZER_FILE);
        let weights_path = dir.join(pinned::WEIGHTS_FILE);
        for path in [&config_path, &tokenizer_path, &weights_path] {
            if !path.is_file() {
                return Err(EmbedError::MissingFile { path: path.clone() });
            }
        }

        let config_text = read(&config_path)?;
        let config = parse_config(&config_text).map_err(|reason| EmbedError::Config {
            path: config_path.clone(),
            reason,
        })?;

        let tokenizer_bytes = read(&tokenizer_path)?;
        let tokenizer =
            load_tokenizer(&tokenizer_bytes, &config).map_err(|reason| EmbedError::Tokenizer {
                path: tokenizer_path.clone(),
                reason,
            })?;

        let weights = read(&weights_path)?;
        let weights_err = |e: candle_core::Error| EmbedError::Weights {
            path: weights_path.clone(),
            reason: one_line(&e.to_string()),
        };
        let tokenizer_sha = sha256_bytes(&tokenizer_bytes);
        let model_id = if tokenizer_sha == pinned::TOKENIZER.sha256
            && weights.len() as u64 == pinned::WEIGHTS.size
            && config.hidden_size == pinned::DIM
        {
            pinned::MODEL_ID.to_string()
        } else {
            // Not the pinned model (a test model or a local experiment): name
            // it by content, so vectors from two different models never mix.
            format!(
                "unpinned-bert-{}d+sha256:{}+tokenizer-sha256:{}",
                config.hidden_size,
                sha256_bytes(&weights),
                tokenizer_sha
            )
        };

        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(weights_err)?;
        let model = BertModel::load(vb, &config).map_err(weights_err)?;

        Ok(Embedder {
            model,
            tokenizer,
            device,
            dir: dir.to_path_buf(),
            dim: config.hidden_size,
            pad_id: config.pad_token_id as u32,
            model_id,
        })
    }

    /// One unit-length vector per text, in the order given. Texts longer
    /// than 256 tokens are cut; an empty text still gets a vector.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed_truncated(texts, pinned::MAX_TOKENS)
    }

    /// [`Embedder::embed`], each text cut to `max_tokens` tokens (its
    /// closing `[SEP]` kept): the cost of a text grows with its length, so
    /// indexing many issues reads only their start.
    pub fn embed_truncated(
        &self,
        texts: &[&str],
        max_tokens: usize,
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| self.inference_err(e.to_string()))?;
        let max = max_tokens.clamp(2, pinned::MAX_TOKENS);
        let cut: Vec<Vec<u32>> = encodings
            .iter()
            .map(|e| {
                let ids = e.get_ids();
                if ids.len() <= max {
                    ids.to_vec()
                } else {
                    let mut v = ids[..max - 1].to_vec();
                    v.push(ids[ids.len() - 1]);
                    v
                }
            })
            .collect();
        let ids: Vec<&[u32]> = cut.iter().map(Vec::as_slice).collect();

        // Shortest first, so each batch pads little.
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![Vec::new(); ids.len()];
        let mut start = 0;
        while start < order.len() {
            let mut end = start + 1;
            while end < order.len()
                && end - start < MAX_BATCH
                && (end - start + 1) * ids[order[end]].len() <= MAX_BATCH_TOKENS
            {
                end += 1;
            }
            let batch: Vec<&[u32]> = order[start..end].iter().map(|&i| ids[i]).collect();
            let vectors = self
                .forward(&batch)
                .map_err(|e| self.inference_err(e.to_string()))?;
            for (&i, v) in order[start..end].iter().zip(vectors) {
                out[i] = v;
            }
            start = end;
        }
        Ok(out)
    }

    /// Vector length (384 for the pinned model).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Names the model for indexes that store its vectors:
    /// [`pinned::MODEL_ID`] for the pinned model, otherwise an id made of the
    /// files' SHA-256.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Threads candle's matrix products use: `RAYON_NUM_THREADS` when set,
    /// else the number of physical cores.
    pub fn threads(&self) -> usize {
        candle_core::utils::get_num_threads()
    }

    /// Runs one padded batch and pools it: rows in the order of `batch`.
    fn forward(&self, batch: &[&[u32]]) -> candle_core::Result<Vec<Vec<f32>>> {
        let len = batch.iter().map(|ids| ids.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for row in batch {
            ids.extend_from_slice(row);
            ids.extend(std::iter::repeat_n(self.pad_id, len - row.len()));
            mask.extend(std::iter::repeat_n(1u32, row.len()));
            mask.extend(std::iter::repeat_n(0u32, len - row.len()));
        }
        let shape = (batch.len(), len);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let types = ids.zeros_like()?;
        // candle's own thread pool, kept warm across the many short parallel
        // sections of one forward pass.
        let hidden = self
            .device
            .with_context(|| self.model.forward(&ids, &types, Some(&mask)))?;

        // Mean over the real tokens, then unit length (sentence-transformers'
        // Pooling(mean) and Normalize).
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1e-9, f32::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f32::MAX)?;
        mean.broadcast_div(&norm)?.to_vec2::<f32>()
    }

    fn inference_err(&self, reason: String) -> EmbedError {
        EmbedError::Inference {
            dir: self.dir.clone(),
            reason: one_line(&reason),
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, EmbedError> {
    std::fs::read(path).map_err(|source| EmbedError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// A BERT config candle can run, or why not.
fn parse_config(bytes: &[u8]) -> Result<Config, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    match value.get("model_type").and_then(|t| t.as_str()) {
        Some("bert") => {}
        Some(other) => return Err(format!("model_type is {other:?}, not \"bert\"")),
        None => return Err("it has no model_type".into()),
    }
    let config: Config = serde_json::from_value(value).map_err(|e| e.to_string())?;
    if config.hidden_size == 0
        || config.num_attention_heads == 0
        || config.hidden_size % config.num_attention_heads != 0
    {
        return Err(format!(
            "hidden_size {} is not a positive multiple of num_attention_heads {}",
            config.hidden_size, config.num_attention_heads
        ));
    }
    if config.max_position_embeddings < 3 {
        return Err("max_position_embeddings is below 3".into());
    }
    Ok(config)
}

/// The tokenizer as the model needs it: no fixed padding (batches are padded
/// here, to their longest), cut at 256 tokens or the model's position limit.
fn load_tokenizer(bytes: &[u8], config: &Config) -> Result<Tokenizer, String> {
    let mut tokenizer = Tokenizer::from_bytes(bytes).map_err(|e| one_line(&e.to_string()))?;
    let vocab = tokenizer.get_vocab_size(true);
    if vocab > config.vocab_size {
        return Err(format!(
            "it has {vocab} tokens but config.json's vocab_size is {}",
            config.vocab_size
        ));
    }
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            direction: TruncationDirection::Right,
            max_length: pinned::MAX_TOKENS.min(config.max_position_embeddings),
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
        }))
        .map_err(|e| one_line(&e.to_string()))?;
    Ok(tokenizer)
}

/// candle's errors can carry a backtrace or several lines; messages are one
/// sentence.
fn one_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_string()
}
