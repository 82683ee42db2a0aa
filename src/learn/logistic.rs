//! Multinomial logistic regression over sparse and dense features.
//!
//! The objective is scikit-learn's, so that its `C` means the same here:
//! `C · Σ wᵢ · cross-entropy(softmax(W xᵢ + b), yᵢ) + ½ ‖W‖²` (the bias is
//! not regularised), with `wᵢ` the class weight of the sample.

use super::{lbfgs, softmax, Features};
use serde::{Deserialize, Serialize};

/// One labelled example.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub sparse: Features,
    /// Dense features (e.g. an embedding), all samples the same length.
    pub dense: Vec<f32>,
    pub class: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub classes: usize,
    /// Inverse regularisation strength, as scikit-learn's `C`.
    pub c: f64,
    /// Weigh each class inversely to its frequency (scikit-learn's
    /// `class_weight="balanced"`).
    pub balanced: bool,
    pub max_iter: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            classes: 2,
            c: 1.0,
            balanced: true,
            max_iter: 300,
        }
    }
}

/// A fitted model: a weight row per class for every sparse column seen in
/// training (others weigh nothing), for every dense column, and a bias.
/// Flat arrays, so that a model file loads in a pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    pub classes: usize,
    /// The sparse columns seen in training, ascending.
    pub columns: Vec<u32>,
    /// `classes` weights per column, in `columns` order.
    pub weights: Vec<f32>,
    /// Dense column → its weight for each class.
    pub dense: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
}

impl Fitted {
    /// The weights of a sparse column, if it was seen in training.
    pub fn column(&self, col: u32) -> Option<&[f32]> {
        let j = self.columns.binary_search(&col).ok()?;
        Some(&self.weights[j * self.classes..(j + 1) * self.classes])
    }

    /// An empty model of `classes` classes (every score equal).
    pub fn empty(classes: usize) -> Fitted {
        Fitted {
            classes,
            columns: vec![],
            weights: vec![],
            dense: vec![],
            bias: vec![0.0; classes],
        }
    }

    /// The logits of each class.
    pub fn logits(&self, sparse: &Features, dense: &[f32]) -> Vec<f64> {
        let mut z: Vec<f64> = self.bias.iter().map(|b| f64::from(*b)).collect();
        for (i, v) in sparse.iter() {
            if let Some(w) = self.column(i) {
                for (zk, wk) in z.iter_mut().zip(w) {
                    *zk += f64::from(*wk) * f64::from(v);
                }
            }
        }
        for (w, v) in self.dense.iter().zip(dense) {
            for (zk, wk) in z.iter_mut().zip(w) {
                *zk += f64::from(*wk) * f64::from(*v);
            }
        }
        z
    }

    /// The probability of each class.
    pub fn probabilities(&self, sparse: &Features, dense: &[f32]) -> Vec<f64> {
        let mut z = self.logits(sparse, dense);
        softmax(&mut z);
        z
    }

    /// How much each sparse column adds to `class`'s logit, against the
    /// mean of the classes: the evidence a verdict rests on.
    pub fn sparse_contributions(&self, sparse: &Features, class: usize) -> Vec<(u32, f64)> {
        let k = self.classes as f64;
        sparse
            .iter()
            .filter_map(|(i, v)| {
                let w = self.column(i)?;
                let mean = w.iter().map(|x| f64::from(*x)).sum::<f64>() / k;
                Some((i, (f64::from(w[class]) - mean) * f64::from(v)))
            })
            .collect()
    }

    /// The dense block's share of `class`'s logit, against the mean.
    pub fn dense_contribution(&self, dense: &[f32], class: usize) -> f64 {
        let k = self.classes as f64;
        self.dense
            .iter()
            .zip(dense)
            .map(|(w, v)| {
                let mean = w.iter().map(|x| f64::from(*x)).sum::<f64>() / k;
                (f64::from(w[class]) - mean) * f64::from(*v)
            })
            .sum()
    }
}

/// Fits a model to `samples`.
pub fn fit(samples: &[Sample], opts: &Options) -> Fitted {
    let k = opts.classes;
    let dense_dims = samples.first().map_or(0, |s| s.dense.len());
    // Only the sparse columns that occur are variables.
    let mut columns: Vec<u32> = samples
        .iter()
        .flat_map(|s| s.sparse.idx.iter().copied())
        .collect();
    columns.sort_unstable();
    columns.dedup();
    let col_of: std::collections::HashMap<u32, usize> =
        columns.iter().enumerate().map(|(j, c)| (*c, j)).collect();
    let rows: Vec<Vec<(usize, f64)>> = samples
        .iter()
        .map(|s| {
            s.sparse
                .iter()
                .map(|(i, v)| (col_of[&i], f64::from(v)))
                .collect()
        })
        .collect();
    let n_sparse = columns.len();
    let n_feat = n_sparse + dense_dims;
    // Layout: feature-major (feature j, class c) at j * k + c; the bias
    // last.
    let n_vars = n_feat * k + k;
    let weights = class_weights(samples, k, opts.balanced);

    let objective = |w: &[f64], grad: &mut [f64]| -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        let mut z = vec![0.0; k];
        for (s, row) in samples.iter().zip(&rows) {
            z.copy_from_slice(&w[n_feat * k..]);
            for &(j, v) in row {
                for c in 0..k {
                    z[c] += w[j * k + c] * v;
                }
            }
            for (d, v) in s.dense.iter().enumerate() {
                let j = n_sparse + d;
                for c in 0..k {
                    z[c] += w[j * k + c] * f64::from(*v);
                }
            }
            softmax(&mut z);
            let sw = opts.c * weights[s.class];
            loss -= sw * z[s.class].max(1e-300).ln();
            // d loss / d logit = p - onehot.
            z[s.class] -= 1.0;
            for &(j, v) in row {
                for c in 0..k {
                    grad[j * k + c] += sw * z[c] * v;
                }
            }
            for (d, v) in s.dense.iter().enumerate() {
                let j = n_sparse + d;
                for c in 0..k {
                    grad[j * k + c] += sw * z[c] * f64::from(*v);
                }
            }
            for c in 0..k {
                grad[n_feat * k + c] += sw * z[c];
            }
        }
        for i in 0..n_feat * k {
            loss += 0.5 * w[i] * w[i];
            grad[i] += w[i];
        }
        loss
    };
    let w = lbfgs::minimize(vec![0.0; n_vars], objective, opts.max_iter, 1e-6);

    let row = |j: usize| -> Vec<f32> { (0..k).map(|c| w[j * k + c] as f32).collect() };
    Fitted {
        classes: k,
        weights: (0..n_sparse).flat_map(row).collect(),
        columns,
        dense: (0..dense_dims).map(|d| row(n_sparse + d)).collect(),
        bias: (0..k).map(|c| w[n_feat * k + c] as f32).collect(),
    }
}

/// Each class's sample weight: 1, or `n / (k · n_class)` when balanced.
fn class_weights(samples: &[Sample], k: usize, balanced: bool) -> Vec<f64> {
    if !balanced {
        return vec![1.0; k];
    }
    let mut counts = vec![0usize; k];
    for s in samples {
        counts[s.class] += 1;
    }
    counts
        .iter()
        .map(|&n| {
            if n == 0 {
                0.0
            } else {
                samples.len() as f64 / (k as f64 * n as f64)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(words: &[u32], class: usize) -> Sample {
        Sample {
            sparse: Features::from_pairs(words.iter().map(|w| (*w, 1.0)).collect()),
            dense: vec![],
            class,
        }
    }

    #[test]
    fn learns_which_words_mark_which_class() {
        // Column 1 marks class 0, column 2 class 1, column 3 class 2;
        // column 9 is everywhere and marks nothing.
        let samples: Vec<Sample> = (0..30)
            .map(|i| sample(&[1 + (i % 3) as u32, 9], i % 3))
            .collect();
        let m = fit(
            &samples,
            &Options {
                classes: 3,
                c: 10.0,
                ..Options::default()
            },
        );
        for (col, class) in [(1, 0), (2, 1), (3, 2)] {
            let p = m.probabilities(&Features::from_pairs(vec![(col, 1.0), (9, 1.0)]), &[]);
            assert!(p[class] > 0.9, "column {col}: {p:?}");
        }
        let unseen = m.probabilities(&Features::from_pairs(vec![(77, 1.0)]), &[]);
        assert!(
            unseen.iter().all(|p| (p - 1.0 / 3.0).abs() < 0.05),
            "{unseen:?}"
        );
        let why = m.sparse_contributions(&Features::from_pairs(vec![(2, 1.0), (9, 1.0)]), 1);
        let best = why.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(best.0, 2, "{why:?}");
    }

    #[test]
    fn dense_features_and_regularisation() {
        let samples: Vec<Sample> = (0..40)
            .map(|i| Sample {
                sparse: Features::default(),
                dense: vec![if i % 2 == 0 { 1.0 } else { -1.0 }, 0.3],
                class: i % 2,
            })
            .collect();
        let strong = fit(
            &samples,
            &Options {
                classes: 2,
                c: 100.0,
                ..Options::default()
            },
        );
        let weak = fit(
            &samples,
            &Options {
                classes: 2,
                c: 0.001,
                ..Options::default()
            },
        );
        let p_strong = strong.probabilities(&Features::default(), &[1.0, 0.3]);
        let p_weak = weak.probabilities(&Features::default(), &[1.0, 0.3]);
        assert!(p_strong[0] > 0.95, "{p_strong:?}");
        assert!(p_weak[0] < p_strong[0] && p_weak[0] > 0.5, "{p_weak:?}");
    }

    #[test]
    fn fitting_is_deterministic() {
        let samples: Vec<Sample> = (0..25)
            .map(|i| sample(&[i as u32 % 7, 10 + i as u32 % 5], i % 2))
            .collect();
        let opts = Options {
            classes: 2,
            ..Options::default()
        };
        assert_eq!(fit(&samples, &opts), fit(&samples, &opts));
    }
}
