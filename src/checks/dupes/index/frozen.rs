//! The compact form of an index, as saved and queried: one buffer (the
//! file itself, after a load) and where each section lies in it. Arrays
//! are little-endian.

use super::vectors::Quantized;
use super::*;
use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom};

/// Records and search data in the compact form that is saved, loaded and
/// queried: one buffer (the file itself, after a load) and where each
/// section lies in it. Arrays are little-endian.
#[derive(Debug, Clone)]
pub(crate) struct Frozen {
    pub(super) buf: Vec<u8>,
    sec: [Range<usize>; SECTIONS],
    records: RecordSource,
    pub(super) n_docs: usize,
    pub(super) n_terms: usize,
    /// Length of the stored vectors; 0 when there are none.
    dim: usize,
    pub(crate) avg_title_len: f64,
    pub(crate) avg_body_len: f64,
}

pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*pos`, advancing it. Truncated input reads as ends.
pub(super) fn get_varint(data: &[u8], pos: &mut usize) -> Option<u32> {
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

pub(super) fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[2 * i], b[2 * i + 1]])
}

pub(super) fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[4 * i..4 * i + 4].try_into().expect("4 bytes"))
}

pub(super) fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().expect("8 bytes"))
}

impl Frozen {
    /// Checks the sections' sizes against each other and takes averages.
    pub(super) fn new(
        buf: Vec<u8>,
        sec: [Range<usize>; SECTIONS],
        records: RecordSource,
        dim: usize,
    ) -> Result<Self, &'static str> {
        let len = |i: usize| sec[i].len();
        if len(NUMBERS) % 8 != 0 || len(KEYS) % 8 != 0 {
            return Err("a table has a partial entry");
        }
        let n = len(NUMBERS) / 8;
        let v = len(KEYS) / 8;
        if len(REC_OFFS) != 4 * (n + 1) || len(TITLE_LENS) != 2 * n || len(BODY_LENS) != 2 * n {
            return Err("issue tables do not match");
        }
        if len(DFS) != 4 * v || len(POST_OFFS) != 4 * (v + 1) {
            return Err("term tables do not match");
        }
        if len(VECTORS) != 0 && (dim == 0 || len(VECTORS) != n * Quantized::bytes(dim)) {
            return Err("the vectors do not match the issues");
        }
        let dim = if len(VECTORS) == 0 { 0 } else { dim };
        let mut f = Frozen {
            buf,
            sec,
            records,
            n_docs: n,
            n_terms: v,
            dim,
            avg_title_len: 1.0,
            avg_body_len: 1.0,
        };
        let offs_ok = |offs: usize, count: usize, data: usize| {
            let b = f.section(offs);
            (0..count).all(|i| u32_at(b, i) <= u32_at(b, i + 1))
                && u32_at(b, count) as usize == f.sec[data].len()
        };
        if !offs_ok(REC_OFFS, n, RECORDS) || !offs_ok(POST_OFFS, v, POSTINGS) {
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

    pub(super) fn section(&self, i: usize) -> &[u8] {
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

    pub(super) fn position(&self, number: u64) -> Option<usize> {
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
    pub(super) fn records_bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
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
    pub(super) fn record(&self, doc: usize) -> IssueRecord {
        self.record_bytes(doc..doc + 1)
            .ok()
            .and_then(|b| postcard::from_bytes(&b).ok())
            .unwrap_or_else(|| self.bare(doc))
    }

    /// All records, read at once.
    pub(super) fn records(&self) -> Vec<IssueRecord> {
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

    /// Length of the stored vectors (0: the index holds none).
    pub(crate) fn dim(&self) -> usize {
        self.dim
    }

    /// The vector of issue `doc`, if the index holds vectors.
    pub(crate) fn vector(&self, doc: usize) -> Option<Quantized> {
        if self.dim == 0 {
            return None;
        }
        let w = Quantized::bytes(self.dim);
        Some(Quantized::read(
            &self.section(VECTORS)[doc * w..(doc + 1) * w],
            self.dim,
        ))
    }

    /// The dot product of `query` with every issue's vector (0 for an issue
    /// without one): one pass over the section, no allocation per issue.
    pub(crate) fn dots(&self, query: &[f32]) -> Vec<f32> {
        if self.dim == 0 || query.len() != self.dim {
            return vec![0.0; self.n_docs];
        }
        let w = Quantized::bytes(self.dim);
        self.section(VECTORS)
            .chunks_exact(w)
            .map(|row| Quantized::dot_bytes(row, query))
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
}

/// Builds the compact records and search data from per-issue features.
pub(super) fn freeze(feats: &[DocFeat], records: &[IssueRecord], dim: usize) -> Frozen {
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
    // Vectors for every issue, or none: an issue without one (added
    // without the model) stands as an empty vector, which matches nothing.
    let with_vectors = dim > 0 && feats.iter().any(|f| f.vector.is_some());
    for (f, rec) in feats.iter().zip(records) {
        if with_vectors {
            match &f.vector {
                Some(v) if v.q.len() == dim => v.write(&mut sections[VECTORS]),
                _ => Quantized::empty(dim).write(&mut sections[VECTORS]),
            }
        }
        sections[TITLE_LENS].extend_from_slice(&f.title_len.to_le_bytes());
        sections[BODY_LENS].extend_from_slice(&f.body_len.to_le_bytes());
        sections[NUMBERS].extend_from_slice(&rec.number.to_le_bytes());
        let rec_len = sections[RECORDS].len() as u32;
        sections[REC_OFFS].extend_from_slice(&rec_len.to_le_bytes());
        let recs = std::mem::take(&mut sections[RECORDS]);
        sections[RECORDS] = postcard::to_extend(rec, recs).expect("records serialise");
    }
    let end = sections[RECORDS].len() as u32;
    sections[REC_OFFS].extend_from_slice(&end.to_le_bytes());
    // One buffer, sections in file order (META is empty here).
    let mut buf = Vec::with_capacity(sections.iter().map(Vec::len).sum());
    let mut sec: [Range<usize>; SECTIONS] = Default::default();
    for (i, s) in sections.iter().enumerate() {
        sec[i] = buf.len()..buf.len() + s.len();
        buf.extend_from_slice(s);
    }
    Frozen::new(
        buf,
        sec,
        RecordSource::Memory,
        if with_vectors { dim } else { 0 },
    )
    .expect("freshly built search data is consistent")
}

/// Rebuilds per-issue features from the compact search data.
pub(super) fn thaw(f: &Frozen) -> Vec<DocFeat> {
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
        feat.vector = f.vector(d).filter(|v| !v.is_empty());
    }
    feats
}
