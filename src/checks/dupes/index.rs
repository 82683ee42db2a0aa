//! The local issue index: what `preflight index sync` keeps on disk so that
//! duplicate search runs offline and fast.
//!
//! On disk: an 8-byte magic, a format version, a table of sections, then the
//! sections: sync metadata (postcard), the issues (one postcard record each,
//! bodies reduced to a short preview: scoring no longer needs them), and
//! precomputed search data: an inverted index keyed by a 64-bit hash of each
//! term, per-issue field lengths, and the first content terms of each issue
//! in order (for phrase matching). Loading is one read of the file; records
//! are decoded only for the issues a query returns, and nothing is
//! re-tokenised at query time.

use super::text::{self, Token};
use crate::issue::IssueRecord;
use crate::progress::{Progress, Silent};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

const MAGIC: &[u8; 8] = b"PFDUPES\0";
/// Bump whenever the analyser or the layout changes: old indexes are then
/// refused with [`IndexError::Version`] and must be rebuilt by a full sync.
pub const FORMAT_VERSION: u32 = 2;
/// Bytes of each body kept in the index, as a plain-text preview (form
/// headings and blank answers dropped, whitespace collapsed).
pub const SNIPPET_BYTES: usize = 240;
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

/// The sections of the file, in order. `META` is written at save time; the
/// others make up [`Frozen`]. `RECORDS` comes last so that a load can leave
/// it on disk and read only the records a query returns.
const META: usize = 0;
const NUMBERS: usize = 1; // u64 per issue, ascending
const REC_OFFS: usize = 2; // u32 per issue + 1, into RECORDS
const TITLE_LENS: usize = 3; // u16 per issue, in terms
const BODY_LENS: usize = 4; // u16 per issue, in terms
const KEYS: usize = 5; // u64 per term, ascending
const DFS: usize = 6; // u32 per term: issues that have it
const POST_OFFS: usize = 7; // u32 per term + 1, into POSTINGS
const POSTINGS: usize = 8; // per term, per issue: varint issue delta, tf byte
const SEQ_OFFS: usize = 9; // u32 per issue + 1, into SEQ
const SEQ: usize = 10; // per issue: varint (term + 1) of title terms, 0, body terms
const RECORDS: usize = 11; // postcard IssueRecord, one after another
const SECTIONS: usize = 12;
const HEADER: usize = 16 + 16 * SECTIONS;

/// Where the records of a frozen index are.
#[derive(Debug, Clone)]
enum RecordSource {
    /// In `buf`, at `sec[RECORDS]`.
    Memory,
    /// Still in the loaded file, from this offset. The open handle keeps
    /// reading the file that was loaded even if a sync replaces it.
    File(Arc<Mutex<std::fs::File>>, u64),
}

/// Records and search data in the compact form that is saved, loaded and
/// queried: one buffer (the file itself, after a load) and where each
/// section lies in it. Arrays are little-endian.
#[derive(Debug, Clone)]
pub(crate) struct Frozen {
    buf: Vec<u8>,
    sec: [Range<usize>; SECTIONS],
    records: RecordSource,
    n_docs: usize,
    n_terms: usize,
    pub(crate) avg_title_len: f64,
    pub(crate) avg_body_len: f64,
}

/// The local index of one repository's issues.
#[derive(Debug, Clone)]
pub struct Index {
    /// `OWNER/NAME`.
    pub repo: String,
    pub meta: SyncMeta,
    /// Sorted by number; bodies reduced to a preview. Decoded from `frozen`
    /// on first use after a load.
    records: OnceLock<Vec<IssueRecord>>,
    /// Present after a change; parallel to the records.
    thawed: Option<Vec<DocFeat>>,
    /// Present after a load, or built from `thawed` when first needed.
    frozen: OnceLock<Frozen>,
}

#[derive(Serialize, Deserialize)]
struct Meta {
    repo: String,
    meta: SyncMeta,
}

impl Index {
    /// An empty index for `repo` (`OWNER/NAME`).
    pub fn new(repo: &str) -> Self {
        Index {
            repo: repo.to_string(),
            meta: SyncMeta::default(),
            records: OnceLock::from(Vec::new()),
            thawed: Some(Vec::new()),
            frozen: OnceLock::new(),
        }
    }

    /// Number of issues held.
    pub fn len(&self) -> usize {
        match self.records.get() {
            Some(r) => r.len(),
            None => self.frozen().n_docs,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The issues, sorted by number. Bodies are reduced to a short preview
    /// ([`SNIPPET_BYTES`]).
    pub fn issues(&self) -> &[IssueRecord] {
        self.records.get_or_init(|| self.frozen().records())
    }

    /// The issue numbered `number`, if held.
    pub fn get(&self, number: u64) -> Option<&IssueRecord> {
        self.position(number).map(|i| &self.issues()[i])
    }

    /// Where issue `number` is, in number order.
    pub(crate) fn position(&self, number: u64) -> Option<usize> {
        match self.records.get() {
            Some(r) => r.binary_search_by_key(&number, |r| r.number).ok(),
            None => self.frozen().position(number),
        }
    }

    /// The issue at `doc` (in number order), without decoding the others.
    pub(crate) fn record(&self, doc: usize) -> Cow<'_, IssueRecord> {
        match self.records.get() {
            Some(r) => Cow::Borrowed(&r[doc]),
            None => Cow::Owned(self.frozen().record(doc)),
        }
    }

    /// Adds issues, replacing any with the same number (the last one given
    /// wins). Pull requests (`/pull/` URLs) never enter.
    pub fn upsert(&mut self, records: Vec<IssueRecord>) {
        self.upsert_with(records, &Silent);
    }

    /// [`Index::upsert`], telling `progress` how many issues are analysed.
    pub fn upsert_with(&mut self, records: Vec<IssueRecord>, progress: &dyn Progress) {
        let records: Vec<IssueRecord> = records
            .into_iter()
            .filter(|r| !r.url.contains("/pull/"))
            .collect();
        if records.is_empty() {
            return;
        }
        progress.start("issues analysed", records.len() as u64);
        let new_feats = features_all(&records, progress);
        self.issues();
        let old_issues = self.records.take().unwrap_or_default();
        let old_feats = self.thaw();
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
            rec.body = preview(&rec.body);
            if issues.last().is_some_and(|l| l.number == rec.number) {
                *issues.last_mut().expect("non-empty") = rec;
                *feats.last_mut().expect("non-empty") = feat;
            } else {
                issues.push(rec);
                feats.push(feat);
            }
        }
        self.records = OnceLock::from(issues);
        self.thawed = Some(feats);
    }

    /// Reads an index written by [`Index::save`]. The records stay on disk
    /// until needed (the file is kept open).
    pub fn load(path: &Path) -> Result<Self, IndexError> {
        let read_err = |source| IndexError::Read {
            path: path.to_path_buf(),
            source,
        };
        let corrupt = |what: &str| IndexError::Corrupt {
            path: path.to_path_buf(),
            what: what.to_string(),
        };
        let mut file = std::fs::File::open(path).map_err(read_err)?;
        let file_len = file.metadata().map_err(read_err)?.len();
        let mut head = vec![0u8; HEADER.min(file_len as usize)];
        file.read_exact(&mut head).map_err(read_err)?;
        if head.len() < 12 || &head[..8] != MAGIC {
            return Err(IndexError::NotAnIndex {
                path: path.to_path_buf(),
            });
        }
        let found = u32_at(&head[8..12], 0);
        if found != FORMAT_VERSION {
            return Err(IndexError::Version {
                path: path.to_path_buf(),
                found,
                expected: FORMAT_VERSION,
            });
        }
        if head.len() < HEADER || u32_at(&head[12..16], 0) as usize != SECTIONS {
            return Err(corrupt("truncated header"));
        }
        let mut sec: [Range<usize>; SECTIONS] = Default::default();
        let mut prev_end = HEADER as u64;
        for (i, r) in sec.iter_mut().enumerate() {
            let at = &head[16 + 16 * i..32 + 16 * i];
            let (off, len) = (u64_at(at, 0), u64_at(at, 1));
            match off.checked_add(len) {
                Some(end) if off == prev_end && end <= file_len => {
                    *r = off as usize..end as usize;
                    prev_end = end;
                }
                _ => return Err(corrupt("file is truncated")),
            }
        }
        // Everything but the records, in one read.
        let eager_end = sec[RECORDS].start;
        let mut buf = head;
        buf.resize(eager_end, 0);
        file.read_exact(&mut buf[HEADER..]).map_err(read_err)?;
        let meta: Meta =
            postcard::from_bytes(&buf[sec[META].clone()]).map_err(|e| corrupt(&e.to_string()))?;
        let records = RecordSource::File(Arc::new(Mutex::new(file)), sec[RECORDS].start as u64);
        let frozen = Frozen::new(buf, sec, records).map_err(corrupt)?;
        Ok(Index {
            repo: meta.repo,
            meta: meta.meta,
            records: OnceLock::new(),
            thawed: None,
            frozen: OnceLock::from(frozen),
        })
    }

    /// Writes the index atomically: to a temporary file in the same folder,
    /// then renamed over `path`, so readers and concurrent writers only ever
    /// see a whole file. Creates the folder if needed.
    pub fn save(&self, path: &Path) -> Result<(), IndexError> {
        let f = self.frozen();
        let meta = postcard::to_stdvec(&Meta {
            repo: self.repo.clone(),
            meta: self.meta.clone(),
        })
        .map_err(|e| IndexError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other(e),
        })?;
        let records = f.records_bytes().map_err(|source| IndexError::Write {
            path: path.to_path_buf(),
            source,
        })?;
        let mut parts: Vec<&[u8]> = vec![&meta];
        parts.extend((1..RECORDS).map(|i| f.section(i)));
        parts.push(&records);
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        header.extend_from_slice(&(SECTIONS as u32).to_le_bytes());
        let mut off = HEADER as u64;
        for p in &parts {
            header.extend_from_slice(&off.to_le_bytes());
            header.extend_from_slice(&(p.len() as u64).to_le_bytes());
            off += p.len() as u64;
        }
        parts.insert(0, &header);
        crate::files::write_atomic(path, &parts).map_err(|source| IndexError::Write {
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
                self.records
                    .get()
                    .expect("an index with thawed data holds its records"),
            )
        })
    }

    /// Per-issue features for changing the index; drops the frozen cache.
    fn thaw(&mut self) -> Vec<DocFeat> {
        let frozen = self.frozen.take();
        match self.thawed.take() {
            Some(t) => t,
            None => thaw(&frozen.expect("an index holds frozen or thawed search data")),
        }
    }
}

/// A short plain-text preview of a body: what the reporter wrote, without
/// form headings, blank answers or runs of whitespace.
fn preview(body: &str) -> String {
    let cut = text::floor_char_boundary(body, 4 * SNIPPET_BYTES);
    let cleaned = text::strip_boilerplate(&body[..cut]);
    let mut out = String::with_capacity(SNIPPET_BYTES);
    for word in cleaned.split_whitespace() {
        if out.len() + word.len() + 1 > SNIPPET_BYTES {
            if out.is_empty() {
                let end = text::floor_char_boundary(word, SNIPPET_BYTES);
                out.push_str(&word[..end]);
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Features of many records, on two threads when there are many.
fn features_all(records: &[IssueRecord], progress: &dyn Progress) -> Vec<DocFeat> {
    // Progress is told every STEP issues, not every one.
    const STEP: usize = 256;
    let counted = |c: &[IssueRecord]| -> Vec<DocFeat> {
        let mut out = Vec::with_capacity(c.len());
        for part in c.chunks(STEP) {
            out.extend(part.iter().map(features));
            progress.advance(part.len() as u64);
        }
        out
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4);
    if records.len() < 2000 || threads < 2 {
        return counted(records);
    }
    let chunk = records.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = records
            .chunks(chunk)
            .map(|c| s.spawn(move || counted(c)))
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
    /// Checks the sections' sizes against each other and takes averages.
    fn new(
        buf: Vec<u8>,
        sec: [Range<usize>; SECTIONS],
        records: RecordSource,
    ) -> Result<Self, &'static str> {
        let len = |i: usize| sec[i].len();
        if len(NUMBERS) % 8 != 0 || len(KEYS) % 8 != 0 {
            return Err("a table has a partial entry");
        }
        let n = len(NUMBERS) / 8;
        let v = len(KEYS) / 8;
        if len(REC_OFFS) != 4 * (n + 1)
            || len(TITLE_LENS) != 2 * n
            || len(BODY_LENS) != 2 * n
            || len(SEQ_OFFS) != 4 * (n + 1)
        {
            return Err("issue tables do not match");
        }
        if len(DFS) != 4 * v || len(POST_OFFS) != 4 * (v + 1) {
            return Err("term tables do not match");
        }
        let mut f = Frozen {
            buf,
            sec,
            records,
            n_docs: n,
            n_terms: v,
            avg_title_len: 1.0,
            avg_body_len: 1.0,
        };
        let offs_ok = |offs: usize, count: usize, data: usize| {
            let b = f.section(offs);
            (0..count).all(|i| u32_at(b, i) <= u32_at(b, i + 1))
                && u32_at(b, count) as usize == f.sec[data].len()
        };
        if !offs_ok(REC_OFFS, n, RECORDS)
            || !offs_ok(POST_OFFS, v, POSTINGS)
            || !offs_ok(SEQ_OFFS, n, SEQ)
        {
            return Err("offsets out of range");
        }
        let numbers = f.section(NUMBERS);
        if (1..n).any(|i| u64_at(numbers, i - 1) >= u64_at(numbers, i)) {
            return Err("issues out of order");
        }
        if n > 0 {
            let (mut t, mut b) = (0u64, 0u64);
            for i in 0..n {
                t += u64::from(f.title_len(i));
                b += u64::from(f.body_len(i));
            }
            f.avg_title_len = (t as f64 / n as f64).max(1.0);
            f.avg_body_len = (b as f64 / n as f64).max(1.0);
        }
        Ok(f)
    }

    fn section(&self, i: usize) -> &[u8] {
        &self.buf[self.sec[i].clone()]
    }

    pub(crate) fn n_docs(&self) -> usize {
        self.n_docs
    }

    pub(crate) fn title_len(&self, doc: usize) -> u16 {
        u16_at(self.section(TITLE_LENS), doc)
    }

    pub(crate) fn body_len(&self, doc: usize) -> u16 {
        u16_at(self.section(BODY_LENS), doc)
    }

    pub(crate) fn key(&self, term: usize) -> u64 {
        u64_at(self.section(KEYS), term)
    }

    pub(crate) fn df(&self, term: usize) -> u32 {
        u32_at(self.section(DFS), term)
    }

    fn position(&self, number: u64) -> Option<usize> {
        let numbers = self.section(NUMBERS);
        let (mut lo, mut hi) = (0usize, self.n_docs);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match u64_at(numbers, mid).cmp(&number) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The bytes of records `docs` (a range of issues).
    fn record_bytes(&self, docs: Range<usize>) -> std::io::Result<Cow<'_, [u8]>> {
        let offs = self.section(REC_OFFS);
        let (a, b) = (
            u32_at(offs, docs.start) as usize,
            u32_at(offs, docs.end) as usize,
        );
        match &self.records {
            RecordSource::Memory => Ok(Cow::Borrowed(&self.section(RECORDS)[a..b])),
            RecordSource::File(file, base) => {
                let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
                file.seek(SeekFrom::Start(base + a as u64))?;
                let mut bytes = vec![0u8; b - a];
                file.read_exact(&mut bytes)?;
                Ok(Cow::Owned(bytes))
            }
        }
    }

    /// All records, as stored.
    fn records_bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
        self.record_bytes(0..self.n_docs)
    }

    /// A bare issue with only its number: what a record that cannot be
    /// read stands in as.
    fn bare(&self, doc: usize) -> IssueRecord {
        IssueRecord {
            number: u64_at(self.section(NUMBERS), doc),
            ..IssueRecord::default()
        }
    }

    /// One record.
    fn record(&self, doc: usize) -> IssueRecord {
        self.record_bytes(doc..doc + 1)
            .ok()
            .and_then(|b| postcard::from_bytes(&b).ok())
            .unwrap_or_else(|| self.bare(doc))
    }

    /// All records, read at once.
    fn records(&self) -> Vec<IssueRecord> {
        let Ok(bytes) = self.records_bytes() else {
            return (0..self.n_docs).map(|d| self.bare(d)).collect();
        };
        let offs = self.section(REC_OFFS);
        let base = u32_at(offs, 0) as usize;
        (0..self.n_docs)
            .map(|d| {
                let a = u32_at(offs, d) as usize - base;
                let b = u32_at(offs, d + 1) as usize - base;
                postcard::from_bytes(&bytes[a..b]).unwrap_or_else(|_| self.bare(d))
            })
            .collect()
    }

    /// The index of a term key, if any issue has it.
    pub(crate) fn lookup(&self, key: u64) -> Option<usize> {
        let keys = self.section(KEYS);
        let (mut lo, mut hi) = (0usize, self.n_terms);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match u64_at(keys, mid).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Calls `f(doc, packed_tf)` for every issue that has the term.
    pub(crate) fn for_each_posting(&self, term: usize, mut f: impl FnMut(usize, u8)) {
        let offs = self.section(POST_OFFS);
        let start = u32_at(offs, term) as usize;
        let end = u32_at(offs, term + 1) as usize;
        let data = &self.section(POSTINGS)[start..end];
        let mut pos = 0;
        let mut doc = 0usize;
        while pos < data.len() {
            let Some(delta) = get_varint(data, &mut pos) else {
                return;
            };
            let Some(&tf) = data.get(pos) else { return };
            pos += 1;
            doc += delta as usize;
            if doc >= self.n_docs {
                return;
            }
            f(doc, tf);
        }
    }

    /// The issue's title terms and the start of its body terms, as term
    /// indexes.
    pub(crate) fn seq(&self, doc: usize) -> (Vec<usize>, Vec<usize>) {
        let offs = self.section(SEQ_OFFS);
        let start = u32_at(offs, doc) as usize;
        let end = u32_at(offs, doc + 1) as usize;
        let data = &self.section(SEQ)[start..end];
        let (mut title, mut body) = (Vec::new(), Vec::new());
        let mut in_body = false;
        let mut pos = 0;
        while let Some(v) = get_varint(data, &mut pos) {
            let t = v as usize;
            if t == 0 {
                in_body = true;
            } else if t <= self.n_terms {
                if in_body {
                    body.push(t - 1);
                } else {
                    title.push(t - 1);
                }
            }
        }
        (title, body)
    }
}

/// Builds the compact records and search data from per-issue features.
fn freeze(feats: &[DocFeat], records: &[IssueRecord]) -> Frozen {
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

    let mut sections: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS];
    let postings = &mut sections[POSTINGS];
    postings.reserve(total * 3);
    let mut post_offs = Vec::with_capacity(4 * (v + 1));
    for t in 0..v {
        post_offs.extend_from_slice(&(postings.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for i in start[t]..start[t + 1] {
            put_varint(postings, docs[i] - prev);
            postings.push(tfs[i]);
            prev = docs[i];
        }
    }
    post_offs.extend_from_slice(&(postings.len() as u32).to_le_bytes());
    sections[POST_OFFS] = post_offs;
    sections[KEYS] = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    sections[DFS] = dfs.iter().flat_map(|d| d.to_le_bytes()).collect();
    for (f, rec) in feats.iter().zip(records) {
        let seq_len = sections[SEQ].len() as u32;
        sections[SEQ_OFFS].extend_from_slice(&seq_len.to_le_bytes());
        for k in &f.seq_title {
            put_varint(&mut sections[SEQ], index_of[k] + 1);
        }
        sections[SEQ].push(0);
        for k in &f.seq_body {
            put_varint(&mut sections[SEQ], index_of[k] + 1);
        }
        sections[TITLE_LENS].extend_from_slice(&f.title_len.to_le_bytes());
        sections[BODY_LENS].extend_from_slice(&f.body_len.to_le_bytes());
        sections[NUMBERS].extend_from_slice(&rec.number.to_le_bytes());
        let rec_len = sections[RECORDS].len() as u32;
        sections[REC_OFFS].extend_from_slice(&rec_len.to_le_bytes());
        let recs = std::mem::take(&mut sections[RECORDS]);
        sections[RECORDS] = postcard::to_extend(rec, recs).expect("records serialise");
    }
    for (offs, data) in [(SEQ_OFFS, SEQ), (REC_OFFS, RECORDS)] {
        let end = sections[data].len() as u32;
        sections[offs].extend_from_slice(&end.to_le_bytes());
    }
    // One buffer, sections in file order (META is empty here).
    let mut buf = Vec::with_capacity(sections.iter().map(Vec::len).sum());
    let mut sec: [Range<usize>; SECTIONS] = Default::default();
    for (i, s) in sections.iter().enumerate() {
        sec[i] = buf.len()..buf.len() + s.len();
        buf.extend_from_slice(s);
    }
    Frozen::new(buf, sec, RecordSource::Memory).expect("freshly built search data is consistent")
}

/// Rebuilds per-issue features from the compact search data.
fn thaw(f: &Frozen) -> Vec<DocFeat> {
    let mut feats: Vec<DocFeat> = (0..f.n_docs)
        .map(|d| DocFeat {
            title_len: f.title_len(d),
            body_len: f.body_len(d),
            ..DocFeat::default()
        })
        .collect();
    // Terms are visited in key order, so each issue's keys come out sorted.
    for t in 0..f.n_terms {
        let key = f.key(t);
        f.for_each_posting(t, |d, tf| {
            let feat = &mut feats[d];
            feat.keys.push(key);
            feat.tfs.push(tf);
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

    fn assert_same_sections(a: &Frozen, b: &Frozen) {
        for i in 1..RECORDS {
            assert_eq!(a.section(i), b.section(i), "section {i}");
        }
        assert_eq!(a.records_bytes().unwrap(), b.records_bytes().unwrap());
    }

    #[test]
    fn preview_drops_form_boilerplate() {
        let body = "### Steps to reproduce the problem\n\n1. Open   the app\n\n### Expected behaviour\n\n_No response_\n";
        assert_eq!(preview(body), "1. Open the app");
        let long = "é".repeat(SNIPPET_BYTES);
        let p = preview(&long);
        assert!(p.len() <= SNIPPET_BYTES && !p.is_empty());
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
        let preview = &back.get(7).unwrap().body;
        assert!(preview.len() <= SNIPPET_BYTES && preview.starts_with("word word"));
        assert_eq!(back.get(7).unwrap().duplicate_of, Some(3));
        // The loaded search data is the same as the data it was saved from.
        assert_same_sections(idx.frozen(), back.frozen());
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
        assert_eq!(again.get(4).unwrap().title, "Another one");
        assert_same_sections(again.frozen(), back.frozen());
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
        let feats = thaw(&before);
        let after = freeze(&feats, idx.issues());
        assert_same_sections(&before, &after);
        assert!(before.n_terms >= 5);
    }

    #[test]
    fn concurrent_saves_leave_a_whole_file() {
        let dir = temp_dir("concurrent");
        let path = dir.join("index.bin");
        let big: Vec<IssueRecord> = (1..=300)
            .map(|n| {
                rec(
                    n,
                    &format!("issue number {n} about boosts"),
                    &"text ".repeat(50),
                )
            })
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
