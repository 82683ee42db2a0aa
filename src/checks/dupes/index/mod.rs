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
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

mod frozen;
pub(crate) mod vectors;

pub(crate) use frozen::Frozen;
use frozen::{freeze, thaw, u32_at, u64_at};
pub use vectors::Quantized;

const MAGIC: &[u8; 8] = b"PFDUPES\0";
/// Bump whenever the analyser or the layout changes: old indexes are then
/// refused with [`IndexError::Version`] and must be rebuilt by a full sync.
pub const FORMAT_VERSION: u32 = 3;
/// Bytes of each body kept in the index, as a plain-text preview (form
/// headings and blank answers dropped, whitespace collapsed).
pub const SNIPPET_BYTES: usize = 240;

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
    /// The sentence embedding of the title and the start of the body.
    vector: Option<Quantized>,
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
const VECTORS: usize = 9; // per issue: f32 scale, dim i8 (see vectors.rs); or empty
const RECORDS: usize = 10; // postcard IssueRecord, one after another
const SECTIONS: usize = 11;
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
    /// Which model made the issues' vectors, if they have any.
    pub vectors: Option<VectorMeta>,
}

/// The sentence-embedding model whose vectors an index holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorMeta {
    /// [`crate::embed::Embedder::model_id`].
    pub model: String,
    pub dim: u32,
}

#[derive(Serialize, Deserialize)]
struct Meta {
    repo: String,
    meta: SyncMeta,
    vectors: Option<VectorMeta>,
}

/// An issue's vector is of its title and the start of its body (its
/// preview), cut to this many tokens: reading more costs time at import
/// (50,000 issues) for little in recall.
pub const VECTOR_TOKENS: usize = 64;

impl Index {
    /// An empty index for `repo` (`OWNER/NAME`).
    pub fn new(repo: &str) -> Self {
        Index {
            repo: repo.to_string(),
            meta: SyncMeta::default(),
            records: OnceLock::from(Vec::new()),
            thawed: Some(Vec::new()),
            frozen: OnceLock::new(),
            vectors: None,
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

    /// Gives every issue without a vector one (all of them when the index's
    /// vectors came from another model): the sentence embedding of its
    /// title and preview. Returns how many were embedded.
    pub fn embed_missing(
        &mut self,
        embedder: &crate::embed::Embedder,
        progress: &dyn Progress,
    ) -> Result<usize, crate::embed::EmbedError> {
        let model = VectorMeta {
            model: embedder.model_id().to_string(),
            dim: embedder.dim() as u32,
        };
        let same_model = self.vectors.as_ref() == Some(&model);
        self.issues();
        let mut feats = self.thaw();
        if !same_model {
            feats.iter_mut().for_each(|f| f.vector = None);
        }
        let todo: Vec<usize> = (0..feats.len())
            .filter(|d| feats[*d].vector.is_none())
            .collect();
        let records = self.records.get().expect("decoded above");
        let texts: Vec<String> = todo.iter().map(|d| vector_text(&records[*d])).collect();
        progress.start("issues embedded", todo.len() as u64);
        let vectors = vectors::embed_parallel(embedder, &texts, VECTOR_TOKENS, progress)?;
        for (d, v) in todo.iter().zip(vectors) {
            feats[*d].vector = Some(Quantized::new(&v));
        }
        self.thawed = Some(feats);
        self.vectors = Some(model);
        Ok(todo.len())
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
        let dim = meta.vectors.as_ref().map_or(0, |v| v.dim as usize);
        let frozen = Frozen::new(buf, sec, records, dim).map_err(corrupt)?;
        let vectors = meta.vectors.filter(|_| frozen.dim() > 0);
        Ok(Index {
            repo: meta.repo,
            meta: meta.meta,
            records: OnceLock::new(),
            thawed: None,
            frozen: OnceLock::from(frozen),
            vectors,
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
            vectors: self.vectors.clone().filter(|_| f.dim() > 0),
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
                self.vectors.as_ref().map_or(0, |v| v.dim as usize),
            )
        })
    }

    /// Per-issue features for changing the index; drops the frozen cache.
    pub(crate) fn thaw(&mut self) -> Vec<DocFeat> {
        let frozen = self.frozen.take();
        match self.thawed.take() {
            Some(t) => t,
            None => thaw(&frozen.expect("an index holds frozen or thawed search data")),
        }
    }
}

/// What an issue's vector reads: its title and the start of its body.
pub(crate) fn vector_text(rec: &IssueRecord) -> String {
    format!("{}\n{}", rec.title.trim(), rec.body)
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
    DocFeat {
        title_len: clamp_u16(title.len()),
        body_len: clamp_u16(body.len()),
        keys,
        tfs,
        vector: None,
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
        let after = freeze(&feats, idx.issues(), 0);
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
