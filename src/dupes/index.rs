//! The local issue index: what `preflight index sync` keeps on disk so that
//! duplicate search runs offline and fast.
//!
//! On disk: an 8-byte magic, a format version, then one postcard record
//! holding the issues (bodies cut to a short snippet: scoring no longer needs
//! them) and precomputed search data: an inverted index keyed by a 64-bit
//! hash of each term, per-issue field lengths, and the first content terms of
//! each issue in order (for phrase matching). Loading is a read plus a few
//! copies; nothing is re-tokenised at query time.

use super::text::{self, Token};
use crate::issue::IssueRecord;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"PFDUPES\0";
/// Bump whenever the analyser or the layout changes: old indexes are then
/// refused with [`IndexError::Version`] and must be rebuilt by a full sync.
pub const FORMAT_VERSION: u32 = 1;
/// Bytes of each body kept in the index, for previews.
pub const SNIPPET_BYTES: usize = 500;
/// Content terms of a body kept in order for phrase matching.
pub(crate) const SEQ_BODY_TERMS: usize = 64;

/// What incremental sync needs to remember between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncMeta {
    /// The newest `updated_at` seen: the next sync asks for `since=` it.
    pub last_updated_at: Option<String>,
    /// The ETag of the last list request, for `If-None-Match`.
    pub etag: Option<String>,
    /// When the last sync finished, in seconds since the Unix epoch.
    pub synced_at: Option<u64>,
}

/// Why an index could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The file could not be read (missing, unreadable).
    #[error("cannot read the issue index {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file could not be written.
    #[error("cannot write the issue index {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not an index at all.
    #[error("{} is not a preflight issue index; delete it and run `preflight index sync`", path.display())]
    NotAnIndex { path: PathBuf },
    /// An index from another version of preflight: rebuild it with a full sync.
    #[error("{} was written in index format {found}, this preflight reads format {expected}; delete it and run `preflight index sync` to rebuild it", path.display())]
    Version {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    /// The file is truncated or damaged.
    #[error("the issue index {} is damaged ({what}); delete it and run `preflight index sync`", path.display())]
    Corrupt { path: PathBuf, what: String },
}

/// Per-issue search data while the index is being changed.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocFeat {
    title_len: u16,
    body_len: u16,
    /// Sorted term keys and their packed frequencies (title << 4 | body).
    keys: Vec<u64>,
    tfs: Vec<u8>,
    /// Content terms in order: all of the title, the start of the body.
    seq_title: Vec<u64>,
    seq_body: Vec<u64>,
}

/// Search data in the compact form that is saved, loaded and queried.
/// Arrays are little-endian bytes so that loading is a copy.
#[derive(Debug, Clone, Default)]
pub(crate) struct Frozen {
    /// u16 per issue: title and body lengths in terms.
    title_lens: Vec<u8>,
    body_lens: Vec<u8>,
    pub(crate) avg_title_len: f64,
    pub(crate) avg_body_len: f64,
    /// u64 per term, sorted.
    keys: Vec<u8>,
    /// u32 per term: how many issues have it.
    dfs: Vec<u8>,
    /// u32 per term + 1: where its postings start in `postings`.
    post_offs: Vec<u8>,
    /// Per term, per issue that has it: varint issue delta, packed tf byte.
    postings: Vec<u8>,
    /// u32 per issue + 1: where its sequence starts in `seq`.
    seq_offs: Vec<u8>,
    /// Per issue: varint (term index + 1) of its title terms, 0, body terms.
    seq: Vec<u8>,
}

/// The local index of one repository's issues.
#[derive(Debug, Clone)]
pub struct Index {
    /// `OWNER/NAME`.
    pub repo: String,
    pub meta: SyncMeta,
    /// Sorted by number; bodies cut to [`SNIPPET_BYTES`].
    issues: Vec<IssueRecord>,
    /// Present after a change; parallel to `issues`.
    thawed: Option<Vec<DocFeat>>,
    /// Present after a load, or built from `thawed` when first needed.
    frozen: OnceLock<Frozen>,
}

#[derive(Serialize)]
struct OnDiskRef<'a> {
    repo: &'a str,
    meta: &'a SyncMeta,
    issues: &'a [IssueRecord],
    title_lens: RawRef<'a>,
    body_lens: RawRef<'a>,
    keys: RawRef<'a>,
    dfs: RawRef<'a>,
    post_offs: RawRef<'a>,
    postings: RawRef<'a>,
    seq_offs: RawRef<'a>,
    seq: RawRef<'a>,
}

#[derive(Deserialize)]
struct OnDisk {
    repo: String,
    meta: SyncMeta,
    issues: Vec<IssueRecord>,
    title_lens: Raw,
    body_lens: Raw,
    keys: Raw,
    dfs: Raw,
    post_offs: Raw,
    postings: Raw,
    seq_offs: Raw,
    seq: Raw,
}

/// A byte array written as one length-prefixed blob (not element by element).
struct RawRef<'a>(&'a [u8]);

impl Serialize for RawRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

struct Raw(Vec<u8>);

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte array")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Raw, E> {
                Ok(Raw(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Raw, E> {
                Ok(Raw(v))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

impl Index {
    /// An empty index for `repo` (`OWNER/NAME`).
    pub fn new(repo: &str) -> Self {
        Index {
            repo: repo.to_string(),
            meta: SyncMeta::default(),
            issues: Vec::new(),
            thawed: Some(Vec::new()),
            frozen: OnceLock::new(),
        }
    }

    /// Number of issues held.
    pub fn len(&self) -> usize {
        self.issues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }

    /// The issues, sorted by number. Bodies are cut to [`SNIPPET_BYTES`].
    pub fn issues(&self) -> &[IssueRecord] {
        &self.issues
    }

    /// The issue numbered `number`, if held.
    pub fn get(&self, number: u64) -> Option<&IssueRecord> {
        self.position(number).map(|i| &self.issues[i])
    }

    pub(crate) fn position(&self, number: u64) -> Option<usize> {
        self.issues.binary_search_by_key(&number, |r| r.number).ok()
    }

    /// Adds issues, replacing any with the same number (the last one given
    /// wins). Pull requests (`/pull/` URLs) never enter.
    pub fn upsert(&mut self, records: Vec<IssueRecord>) {
        let records: Vec<IssueRecord> = records
            .into_iter()
            .filter(|r| !r.url.contains("/pull/"))
            .collect();
        if records.is_empty() {
            return;
        }
        let new_feats = features_all(&records);
        let old_feats = self.thaw();
        let old_issues = std::mem::take(&mut self.issues);
        // Merge by number; for equal numbers the later entry replaces.
        let mut all: Vec<(IssueRecord, DocFeat)> = old_issues
            .into_iter()
            .zip(old_feats)
            .chain(records.into_iter().zip(new_feats))
            .collect();
        all.sort_by_key(|(r, _)| r.number); // stable: later entries stay later
        let mut issues: Vec<IssueRecord> = Vec::with_capacity(all.len());
        let mut feats: Vec<DocFeat> = Vec::with_capacity(all.len());
        for (mut rec, feat) in all {
            cut_body(&mut rec.body);
            if issues.last().is_some_and(|l| l.number == rec.number) {
                *issues.last_mut().expect("non-empty") = rec;
                *feats.last_mut().expect("non-empty") = feat;
            } else {
                issues.push(rec);
                feats.push(feat);
            }
        }
        self.issues = issues;
        self.thawed = Some(feats);
    }

    /// Reads an index written by [`Index::save`].
    pub fn load(path: &Path) -> Result<Self, IndexError> {
        let bytes = std::fs::read(path).map_err(|source| IndexError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes, path)
    }

    fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, IndexError> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(IndexError::NotAnIndex {
                path: path.to_path_buf(),
            });
        }
        let found = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if found != FORMAT_VERSION {
            return Err(IndexError::Version {
                path: path.to_path_buf(),
                found,
                expected: FORMAT_VERSION,
            });
        }
        let corrupt = |what: String| IndexError::Corrupt {
            path: path.to_path_buf(),
            what,
        };
        let d: OnDisk = postcard::from_bytes(&bytes[12..]).map_err(|e| corrupt(e.to_string()))?;
        let n = d.issues.len();
        let mut frozen = Frozen {
            title_lens: d.title_lens.0,
            body_lens: d.body_lens.0,
            avg_title_len: 0.0,
            avg_body_len: 0.0,
            keys: d.keys.0,
            dfs: d.dfs.0,
            post_offs: d.post_offs.0,
            postings: d.postings.0,
            seq_offs: d.seq_offs.0,
            seq: d.seq.0,
        };
        frozen.check(n).map_err(|w| corrupt(w.to_string()))?;
        frozen.compute_averages();
        if d.issues.windows(2).any(|w| w[0].number >= w[1].number) {
            return Err(corrupt("issues out of order".into()));
        }
        let lock = OnceLock::new();
        let _ = lock.set(frozen);
        Ok(Index {
            repo: d.repo,
            meta: d.meta,
            issues: d.issues,
            thawed: None,
            frozen: lock,
        })
    }

    /// Writes the index atomically: to a temporary file in the same folder,
    /// then renamed over `path`, so readers and concurrent writers only ever
    /// see a whole file. Creates the folder if needed.
    pub fn save(&self, path: &Path) -> Result<(), IndexError> {
        let f = self.frozen();
        let on_disk = OnDiskRef {
            repo: &self.repo,
            meta: &self.meta,
            issues: &self.issues,
            title_lens: RawRef(&f.title_lens),
            body_lens: RawRef(&f.body_lens),
            keys: RawRef(&f.keys),
            dfs: RawRef(&f.dfs),
            post_offs: RawRef(&f.post_offs),
            postings: RawRef(&f.postings),
            seq_offs: RawRef(&f.seq_offs),
            seq: RawRef(&f.seq),
        };
        let mut bytes = Vec::with_capacity(f.postings.len() * 2 + 1024);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        let bytes = postcard::to_extend(&on_disk, bytes).map_err(|e| IndexError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other(e),
        })?;
        write_atomic(path, &bytes).map_err(|source| IndexError::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The search data, built from the per-issue features when missing.
    pub(crate) fn frozen(&self) -> &Frozen {
        self.frozen.get_or_init(|| {
            freeze(
                self.thawed
                    .as_deref()
                    .expect("an index holds frozen or thawed search data"),
            )
        })
    }

    /// Per-issue features for changing the index; drops the frozen cache.
    fn thaw(&mut self) -> Vec<DocFeat> {
        let frozen = self.frozen.take();
        match self.thawed.take() {
            Some(t) => t,
            None => thaw(
                &frozen.expect("an index holds frozen or thawed search data"),
                self.issues.len(),
            ),
        }
    }
}

fn cut_body(body: &mut String) {
    if body.len() > SNIPPET_BYTES {
        let cut = text::floor_char_boundary(body, SNIPPET_BYTES);
        body.truncate(cut);
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(
        ".{name}.{}.{}.{nanos}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Features of many records, on two threads when there are many.
fn features_all(records: &[IssueRecord]) -> Vec<DocFeat> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4);
    if records.len() < 2000 || threads < 2 {
        return records.iter().map(features).collect();
    }
    let chunk = records.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = records
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(features).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("feature thread does not panic"))
            .collect()
    })
}

/// Analyses one issue into its search features.
pub(crate) fn features(rec: &IssueRecord) -> DocFeat {
    let title = text::analyze_title(&rec.title);
    let body = text::analyze_body(&rec.body);
    feats_from_tokens(&title, &body)
}

pub(crate) fn feats_from_tokens(title: &[Token], body: &[Token]) -> DocFeat {
    let seq_title: Vec<u64> = title.iter().map(|t| text::term_key(&t.term)).collect();
    let body_keys: Vec<u64> = body.iter().map(|t| text::term_key(&t.term)).collect();
    let mut all: Vec<(u64, bool)> = seq_title
        .iter()
        .map(|k| (*k, true))
        .chain(body_keys.iter().map(|k| (*k, false)))
        .collect();
    all.sort_unstable();
    let mut keys = Vec::new();
    let mut tfs = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let k = all[i].0;
        let (mut tt, mut tb) = (0u32, 0u32);
        while i < all.len() && all[i].0 == k {
            if all[i].1 {
                tt += 1;
            } else {
                tb += 1;
            }
            i += 1;
        }
        keys.push(k);
        tfs.push(pack_tf(tt, tb));
    }
    let mut seq_body = body_keys;
    seq_body.truncate(SEQ_BODY_TERMS);
    DocFeat {
        title_len: clamp_u16(title.len()),
        body_len: clamp_u16(body.len()),
        keys,
        tfs,
        seq_title,
        seq_body,
    }
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn pack_tf(title: u32, body: u32) -> u8 {
    ((title.min(15) as u8) << 4) | body.min(15) as u8
}

/// Title and body frequencies from a packed byte.
pub(crate) fn unpack_tf(b: u8) -> (u32, u32) {
    (u32::from(b >> 4), u32::from(b & 15))
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*pos`, advancing it. Truncated input reads as ends.
fn get_varint(data: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v: u32 = 0;
    let mut shift = 0;
    loop {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[2 * i], b[2 * i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[4 * i..4 * i + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().expect("8 bytes"))
}

impl Frozen {
    pub(crate) fn n_docs(&self) -> usize {
        self.title_lens.len() / 2
    }

    pub(crate) fn n_terms(&self) -> usize {
        self.keys.len() / 8
    }

    pub(crate) fn title_len(&self, doc: usize) -> u16 {
        u16_at(&self.title_lens, doc)
    }

    pub(crate) fn body_len(&self, doc: usize) -> u16 {
        u16_at(&self.body_lens, doc)
    }

    pub(crate) fn key(&self, term: usize) -> u64 {
        u64_at(&self.keys, term)
    }

    pub(crate) fn df(&self, term: usize) -> u32 {
        u32_at(&self.dfs, term)
    }

    /// The index of a term key, if any issue has it.
    pub(crate) fn lookup(&self, key: u64) -> Option<usize> {
        let (mut lo, mut hi) = (0usize, self.n_terms());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key(mid).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Calls `f(doc, packed_tf)` for every issue that has the term.
    pub(crate) fn for_each_posting(&self, term: usize, mut f: impl FnMut(usize, u8)) {
        let start = u32_at(&self.post_offs, term) as usize;
        let end = u32_at(&self.post_offs, term + 1) as usize;
        let data = &self.postings[start..end];
        let mut pos = 0;
        let mut doc = 0usize;
        while pos < data.len() {
            let Some(delta) = get_varint(data, &mut pos) else {
                return;
            };
            let Some(&tf) = data.get(pos) else { return };
            pos += 1;
            doc += delta as usize;
            f(doc, tf);
        }
    }

    /// The issue's title terms and the start of its body terms, as term
    /// indexes.
    pub(crate) fn seq(&self, doc: usize) -> (Vec<usize>, Vec<usize>) {
        let start = u32_at(&self.seq_offs, doc) as usize;
        let end = u32_at(&self.seq_offs, doc + 1) as usize;
        let data = &self.seq[start..end];
        let (mut title, mut body) = (Vec::new(), Vec::new());
        let mut in_body = false;
        let mut pos = 0;
        while let Some(v) = get_varint(data, &mut pos) {
            if v == 0 {
                in_body = true;
            } else if in_body {
                body.push(v as usize - 1);
            } else {
                title.push(v as usize - 1);
            }
        }
        (title, body)
    }

    fn check(&self, n: usize) -> Result<(), &'static str> {
        let v = self.keys.len() / 8;
        if self.keys.len() % 8 != 0 {
            return Err("term table has a partial entry");
        }
        if self.title_lens.len() != 2 * n || self.body_lens.len() != 2 * n {
            return Err("length tables do not match the issues");
        }
        if self.dfs.len() != 4 * v || self.post_offs.len() != 4 * (v + 1) {
            return Err("term tables do not match");
        }
        if self.seq_offs.len() != 4 * (n + 1) {
            return Err("sequence table does not match the issues");
        }
        let offs_ok = |b: &[u8], count: usize, end: usize| {
            (0..count).all(|i| u32_at(b, i) <= u32_at(b, i + 1)) && u32_at(b, count) as usize == end
        };
        if !offs_ok(&self.post_offs, v, self.postings.len()) {
            return Err("postings offsets out of range");
        }
        if !offs_ok(&self.seq_offs, n, self.seq.len()) {
            return Err("sequence offsets out of range");
        }
        Ok(())
    }

    fn compute_averages(&mut self) {
        let n = self.n_docs();
        if n == 0 {
            self.avg_title_len = 1.0;
            self.avg_body_len = 1.0;
            return;
        }
        let (mut t, mut b) = (0u64, 0u64);
        for i in 0..n {
            t += u64::from(self.title_len(i));
            b += u64::from(self.body_len(i));
        }
        self.avg_title_len = (t as f64 / n as f64).max(1.0);
        self.avg_body_len = (b as f64 / n as f64).max(1.0);
    }
}

/// Builds the compact search data from per-issue features.
fn freeze(feats: &[DocFeat]) -> Frozen {
    let n = feats.len();
    let mut keys: Vec<u64> = feats.iter().flat_map(|f| f.keys.iter().copied()).collect();
    keys.sort_unstable();
    keys.dedup();
    let index_of: HashMap<u64, u32> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i as u32))
        .collect();
    let v = keys.len();
    // Counting sort of (term, doc, tf) by term; docs stay in order.
    let mut dfs = vec![0u32; v];
    let mut term_ids: Vec<Vec<u32>> = Vec::with_capacity(n);
    for f in feats {
        let ids: Vec<u32> = f.keys.iter().map(|k| index_of[k]).collect();
        for id in &ids {
            dfs[*id as usize] += 1;
        }
        term_ids.push(ids);
    }
    let mut start = vec![0usize; v + 1];
    for t in 0..v {
        start[t + 1] = start[t] + dfs[t] as usize;
    }
    let total = start[v];
    let mut docs = vec![0u32; total];
    let mut tfs = vec![0u8; total];
    let mut cursor = start.clone();
    for (d, (f, ids)) in feats.iter().zip(&term_ids).enumerate() {
        for (id, tf) in ids.iter().zip(&f.tfs) {
            let c = &mut cursor[*id as usize];
            docs[*c] = d as u32;
            tfs[*c] = *tf;
            *c += 1;
        }
    }
    drop(term_ids);
    let mut postings = Vec::with_capacity(total * 3);
    let mut post_offs = Vec::with_capacity(4 * (v + 1));
    for t in 0..v {
        post_offs.extend_from_slice(&(postings.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for i in start[t]..start[t + 1] {
            put_varint(&mut postings, docs[i] - prev);
            postings.push(tfs[i]);
            prev = docs[i];
        }
    }
    post_offs.extend_from_slice(&(postings.len() as u32).to_le_bytes());
    let mut seq = Vec::new();
    let mut seq_offs = Vec::with_capacity(4 * (n + 1));
    let mut title_lens = Vec::with_capacity(2 * n);
    let mut body_lens = Vec::with_capacity(2 * n);
    for f in feats {
        seq_offs.extend_from_slice(&(seq.len() as u32).to_le_bytes());
        for k in &f.seq_title {
            put_varint(&mut seq, index_of[k] + 1);
        }
        seq.push(0);
        for k in &f.seq_body {
            put_varint(&mut seq, index_of[k] + 1);
        }
        title_lens.extend_from_slice(&f.title_len.to_le_bytes());
        body_lens.extend_from_slice(&f.body_len.to_le_bytes());
    }
    seq_offs.extend_from_slice(&(seq.len() as u32).to_le_bytes());
    let mut frozen = Frozen {
        title_lens,
        body_lens,
        avg_title_len: 0.0,
        avg_body_len: 0.0,
        keys: keys.iter().flat_map(|k| k.to_le_bytes()).collect(),
        dfs: dfs.iter().flat_map(|d| d.to_le_bytes()).collect(),
        post_offs,
        postings,
        seq_offs,
        seq,
    };
    frozen.compute_averages();
    frozen
}

/// Rebuilds per-issue features from the compact search data.
fn thaw(f: &Frozen, n: usize) -> Vec<DocFeat> {
    let mut feats: Vec<DocFeat> = (0..n)
        .map(|d| DocFeat {
            title_len: f.title_len(d),
            body_len: f.body_len(d),
            ..DocFeat::default()
        })
        .collect();
    // Terms are visited in key order, so each issue's keys come out sorted.
    for t in 0..f.n_terms() {
        let key = f.key(t);
        f.for_each_posting(t, |d, tf| {
            if let Some(feat) = feats.get_mut(d) {
                feat.keys.push(key);
                feat.tfs.push(tf);
            }
        });
    }
    for (d, feat) in feats.iter_mut().enumerate() {
        let (title, body) = f.seq(d);
        feat.seq_title = title.into_iter().map(|t| f.key(t)).collect();
        feat.seq_body = body.into_iter().map(|t| f.key(t)).collect();
    }
    feats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::IssueState;

    fn rec(number: u64, title: &str, body: &str) -> IssueRecord {
        IssueRecord {
            number,
            title: title.into(),
            body: body.into(),
            url: format!("https://github.com/o/r/issues/{number}"),
            ..IssueRecord::default()
        }
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "preflight-dupes-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn upsert_replaces_by_number_and_skips_pull_requests() {
        let mut idx = Index::new("o/r");
        idx.upsert(vec![rec(5, "first", ""), rec(2, "second", "")]);
        let mut pr = rec(9, "a pull request", "");
        pr.url = "https://github.com/o/r/pull/9".into();
        idx.upsert(vec![rec(5, "first, edited", ""), pr]);
        let numbers: Vec<u64> = idx.issues().iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![2, 5]);
        assert_eq!(idx.get(5).unwrap().title, "first, edited");
        assert!(idx.get(9).is_none());
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = temp_dir("roundtrip");
        let path = dir.join("sub").join("index.bin");
        let mut idx = Index::new("mastodon/mastodon");
        let long_body = "word ".repeat(400);
        let mut closed = rec(7, "Boosts vanish from the home timeline", &long_body);
        closed.state = IssueState::Closed;
        closed.state_reason = Some("completed".into());
        closed.labels = vec!["bug".into(), "area/web interface".into()];
        closed.duplicate_of = Some(3);
        closed.updated_at = Some("2024-01-02T03:04:05Z".into());
        closed.author = Some("someone".into());
        idx.upsert(vec![closed, rec(3, "Reblogs disappear", "from my TL")]);
        idx.meta = SyncMeta {
            last_updated_at: Some("2024-01-02T03:04:05Z".into()),
            etag: Some("W/\"abc\"".into()),
            synced_at: Some(1_700_000_000),
        };
        idx.save(&path).unwrap();
        let back = Index::load(&path).unwrap();
        assert_eq!(back.repo, "mastodon/mastodon");
        assert_eq!(back.meta, idx.meta);
        assert_eq!(back.issues(), idx.issues());
        assert_eq!(back.get(7).unwrap().body.len(), SNIPPET_BYTES);
        assert_eq!(back.get(7).unwrap().duplicate_of, Some(3));
        // The loaded search data is the same as the data it was saved from.
        let (a, b) = (idx.frozen(), back.frozen());
        assert_eq!(a.keys, b.keys);
        assert_eq!(a.postings, b.postings);
        assert_eq!(a.seq, b.seq);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("index.bin")]);
        // A loaded index can be changed and saved again.
        let mut back = back;
        back.upsert(vec![rec(4, "Another one", "text")]);
        back.save(&path).unwrap();
        let again = Index::load(&path).unwrap();
        assert_eq!(again.len(), 3);
        assert_eq!(again.frozen().postings, back.frozen().postings);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn thaw_then_freeze_gives_the_same_data() {
        let mut idx = Index::new("o/r");
        idx.upsert(vec![
            rec(1, "Local only posts", "a post that stays on my server"),
            rec(2, "Edit toots", "editing a toot after posting it"),
        ]);
        let before = idx.frozen().clone();
        let feats = thaw(&before, idx.len());
        let after = freeze(&feats);
        assert_eq!(before.keys, after.keys);
        assert_eq!(before.postings, after.postings);
        assert_eq!(before.seq, after.seq);
        assert_eq!(before.title_lens, after.title_lens);
    }

    #[test]
    fn concurrent_saves_leave_a_whole_file() {
        let dir = temp_dir("concurrent");
        let path = dir.join("index.bin");
        let big: Vec<IssueRecord> = (1..=300)
            .map(|n| rec(n, &format!("issue number {n} about boosts"), &"text ".repeat(50)))
            .collect();
        let mut a = Index::new("o/a");
        a.upsert(big.clone());
        let mut b = Index::new("o/b");
        b.upsert(big[..10].to_vec());
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| a.save(&path).unwrap());
                s.spawn(|| b.save(&path).unwrap());
            }
        });
        let loaded = Index::load(&path).unwrap();
        assert!(
            (loaded.repo == "o/a" && loaded.len() == 300)
                || (loaded.repo == "o/b" && loaded.len() == 10)
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn load_reports_what_is_wrong() {
        let dir = temp_dir("errors");
        let missing = dir.join("missing.bin");
        let err = Index::load(&missing).unwrap_err();
        assert!(matches!(err, IndexError::Read { .. }));
        assert!(err.to_string().contains("missing.bin"));

        let junk = dir.join("junk.bin");
        std::fs::write(&junk, b"{\"not\": \"an index\"}").unwrap();
        assert!(matches!(
            Index::load(&junk).unwrap_err(),
            IndexError::NotAnIndex { .. }
        ));

        let old = dir.join("old.bin");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        std::fs::write(&old, &bytes).unwrap();
        let err = Index::load(&old).unwrap_err();
        assert!(matches!(err, IndexError::Version { .. }), "{err}");

        let cut = dir.join("cut.bin");
        let mut idx = Index::new("o/r");
        idx.upsert(vec![rec(1, "something about polls", "body text")]);
        idx.save(&cut).unwrap();
        let full = std::fs::read(&cut).unwrap();
        std::fs::write(&cut, &full[..full.len() - 5]).unwrap();
        let err = Index::load(&cut).unwrap_err();
        assert!(matches!(err, IndexError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("cut.bin"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
