//! The small linear models the checks learn from labelled reports, and
//! the trainer that fits them.
//!
//! Features are sparse (hashed words and character n-grams, a few facts)
//! plus optional dense blocks (sentence embeddings). The model is a
//! multinomial logistic regression with L2 regularisation and class
//! weights, fitted by L-BFGS on the whole batch: deterministic (no random
//! order, no seed to forget), and fast at the sizes here (hundreds of
//! reports, a few thousand active features each).
//!
//! Why not `linfa-logistic` or `smartcore`: both take dense matrices, and
//! hashed n-grams make 2^18 columns, of which a report uses a few
//! thousand; dense, the training matrix alone would be hundreds of
//! megabytes. The optimiser below is the textbook two-loop L-BFGS with a
//! backtracking line search.

mod lbfgs;
mod logistic;

pub use logistic::{fit, Fitted, Options, Sample};

/// A feature vector: sorted, distinct sparse indices with their values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
}

impl Features {
    /// From (index, value) pairs in any order; equal indices add up.
    pub fn from_pairs(mut pairs: Vec<(u32, f32)>) -> Features {
        pairs.sort_unstable_by_key(|p| p.0);
        let mut f = Features::default();
        for (i, v) in pairs {
            if f.idx.last() == Some(&i) {
                *f.val.last_mut().expect("same length") += v;
            } else {
                f.idx.push(i);
                f.val.push(v);
            }
        }
        f
    }

    /// Scales the values to unit length (no-op for an empty vector).
    pub fn normalize(&mut self) {
        let n = self.val.iter().map(|v| v * v).sum::<f32>().sqrt();
        if n > 0.0 {
            self.val.iter_mut().for_each(|v| *v /= n);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.idx.iter().copied().zip(self.val.iter().copied())
    }
}

/// FNV-1a, 64 bits: a stable hash (the same on every platform and in
/// every version) for feature names.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The column of a named feature in a space of `2^bits` columns.
pub fn bucket(name: &str, bits: u32) -> u32 {
    (fnv1a(name.as_bytes()) & ((1u64 << bits) - 1)) as u32
}

/// Numerically safe softmax, in place.
pub fn softmax(z: &mut [f64]) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_merge_and_sort() {
        let f = Features::from_pairs(vec![(5, 1.0), (2, 2.0), (5, 0.5)]);
        assert_eq!(f.idx, [2, 5]);
        assert_eq!(f.val, [2.0, 1.5]);
    }

    #[test]
    fn hashing_is_stable() {
        // The value every build must agree on: weights files depend on it.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert!(bucket("word:login", 18) < 1 << 18);
    }

    #[test]
    fn softmax_sums_to_one_without_overflow() {
        let mut z = [1000.0, 1001.0, 999.0];
        softmax(&mut z);
        assert!((z.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(z[1] > z[0] && z[0] > z[2]);
    }
}
