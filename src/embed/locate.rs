//! Where the model is, and whether its files are the pinned ones.

use super::pinned::{self, PinnedFile};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A folder that should hold the model, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelDir {
    pub path: PathBuf,
    pub source: ModelSource,
}

/// How a [`ModelDir`] was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelSource {
    /// Given by the user: `--model DIR` or `PREFLIGHT_MODEL=DIR`.
    Explicit,
    /// The cache that `preflight model fetch` fills.
    Cache,
}

/// The cache folder of the pinned model:
/// `<cache_dir>/models/all-MiniLM-L6-v2/<revision>/`.
pub fn cache_path(cache_dir: &Path) -> PathBuf {
    cache_dir
        .join("models")
        .join(pinned::MODEL_NAME)
        .join(pinned::REVISION)
}

/// Finds the model folder: first `explicit`, then the cache.
///
/// `explicit` is `--model DIR`, or else `PREFLIGHT_MODEL=DIR`: the caller
/// reads the environment variable (this library reads no environment) and
/// passes whichever the user gave. An explicit folder is returned even when it
/// does not exist, so that loading it names the missing file instead of
/// quietly using some other model; the cache folder only when it exists.
/// `None` means no model: callers then work lexically and say so.
pub fn locate(explicit: Option<&Path>, cache_dir: &Path) -> Option<ModelDir> {
    if let Some(path) = explicit {
        return Some(ModelDir {
            path: path.to_path_buf(),
            source: ModelSource::Explicit,
        });
    }
    let cached = cache_path(cache_dir);
    cached.is_dir().then_some(ModelDir {
        path: cached,
        source: ModelSource::Cache,
    })
}

/// A file a model folder must hold: its name, SHA-256 and size. The pinned
/// model's are [`pinned_files`]; tests pass those of a model they build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedFile {
    pub name: String,
    /// Lowercase hex.
    pub sha256: String,
    pub size: u64,
}

impl From<PinnedFile> for ExpectedFile {
    fn from(pin: PinnedFile) -> Self {
        ExpectedFile {
            name: pin.name.to_string(),
            sha256: pin.sha256.to_string(),
            size: pin.size,
        }
    }
}

/// The pinned model's files, as [`status_of`] and the fetch expect them.
pub fn pinned_files() -> Vec<ExpectedFile> {
    pinned::PINNED_FILES.into_iter().map(Into::into).collect()
}

/// The state of a model folder, file by file (for `preflight model status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelStatus {
    pub dir: PathBuf,
    /// `config.json`, `tokenizer.json`, `model.safetensors`, in that order.
    pub files: Vec<FileStatus>,
}

impl ModelStatus {
    /// Every file is present and has its expected SHA-256.
    pub fn is_ok(&self) -> bool {
        self.files.iter().all(|f| f.state.is_ok())
    }
}

/// One file of a [`ModelStatus`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStatus {
    pub name: String,
    /// The size the file should have.
    pub expected_size: u64,
    pub state: FileState,
}

/// What was found for one model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Not there.
    Missing,
    /// Not there, but `held` bytes of it are in `NAME.part`: a fetch that
    /// stopped, which the next `preflight model fetch` continues.
    Partial { held: u64 },
    /// There but unreadable; the I/O error's text.
    Unreadable(String),
    /// There, and its SHA-256 is the expected one.
    Verified { size: u64, sha256: String },
    /// There, but its SHA-256 differs from the expected one.
    Mismatch {
        size: u64,
        expected: String,
        actual: String,
    },
}

impl FileState {
    pub fn is_ok(&self) -> bool {
        matches!(self, FileState::Verified { .. })
    }
}

/// Checks that the pinned model's files are in `dir` with their pinned
/// SHA-256. Reads the whole weights file (about 90 MB): meant for
/// `preflight model status` and after a fetch, not for every load.
pub fn status(dir: &Path) -> ModelStatus {
    status_of(dir, &pinned_files())
}

/// [`status`] against any set of expected files.
pub fn status_of(dir: &Path, expected: &[ExpectedFile]) -> ModelStatus {
    let files = expected
        .iter()
        .map(|want| FileStatus {
            name: want.name.clone(),
            expected_size: want.size,
            state: check_file(dir, want),
        })
        .collect();
    ModelStatus {
        dir: dir.to_path_buf(),
        files,
    }
}

/// The state of one expected file in `dir`.
pub(crate) fn check_file(dir: &Path, want: &ExpectedFile) -> FileState {
    match sha256_file(&dir.join(&want.name)) {
        Ok((size, sha256)) if sha256 == want.sha256 => FileState::Verified { size, sha256 },
        Ok((size, actual)) => FileState::Mismatch {
            size,
            expected: want.sha256.clone(),
            actual,
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match std::fs::metadata(part_path(dir, &want.name)) {
                Ok(meta) if meta.is_file() => FileState::Partial { held: meta.len() },
                _ => FileState::Missing,
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => FileState::Missing,
        Err(e) => FileState::Unreadable(e.to_string()),
    }
}

/// Where a file is downloaded before it is checked: `NAME.part`.
pub(crate) fn part_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.part"))
}

/// Size and lowercase hex SHA-256 of a file, read in blocks.
pub fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
}

/// Lowercase hex SHA-256 of bytes.
#[cfg_attr(not(feature = "embed"), allow(dead_code))]
pub(crate) fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_wins_even_when_missing() {
        let cache = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(cache_path(cache.path())).unwrap();
        let given = cache.path().join("no-such-model");
        let found = locate(Some(&given), cache.path()).unwrap();
        assert_eq!(found.path, given);
        assert_eq!(found.source, ModelSource::Explicit);
    }

    #[test]
    fn cache_only_when_present() {
        let cache = tempfile::tempdir().unwrap();
        assert_eq!(locate(None, cache.path()), None);
        let dir = cache_path(cache.path());
        assert!(dir.ends_with("models/all-MiniLM-L6-v2/1110a243fdf4706b3f48f1d95db1a4f5529b4d41"));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(
            locate(None, cache.path()),
            Some(ModelDir {
                path: dir,
                source: ModelSource::Cache
            })
        );
    }

    #[test]
    fn status_reports_each_file() {
        let dir = tempfile::tempdir().unwrap();
        let st = status(dir.path());
        assert!(!st.is_ok());
        let names: Vec<&str> = st.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["config.json", "tokenizer.json", "model.safetensors"]
        );
        assert!(st.files.iter().all(|f| f.state == FileState::Missing));
        assert_eq!(st.files[2].expected_size, pinned::WEIGHTS.size);

        std::fs::write(dir.path().join("config.json"), "{}").unwrap();
        std::fs::write(dir.path().join("tokenizer.json"), "not the tokenizer").unwrap();
        std::fs::write(dir.path().join("model.safetensors.part"), "12345").unwrap();
        let st = status(dir.path());
        assert!(matches!(
            st.files[0].state,
            FileState::Mismatch { size: 2, .. }
        ));
        match &st.files[1].state {
            FileState::Mismatch {
                size,
                expected,
                actual,
            } => {
                assert_eq!(*size, 17);
                assert_eq!(expected, pinned::TOKENIZER.sha256);
                assert_eq!(*actual, sha256_bytes(b"not the tokenizer"));
            }
            other => panic!("expected a mismatch, got {other:?}"),
        }
        assert_eq!(st.files[2].state, FileState::Partial { held: 5 });
        assert!(!st.is_ok());
    }

    #[test]
    fn status_of_other_files_verifies_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.bin"), "abc").unwrap();
        let want = [ExpectedFile {
            name: "a.bin".into(),
            sha256: sha256_bytes(b"abc"),
            size: 3,
        }];
        let st = status_of(dir.path(), &want);
        assert!(st.is_ok(), "{st:?}");
        assert!(matches!(
            st.files[0].state,
            FileState::Verified { size: 3, .. }
        ));
    }

    #[test]
    fn sha256_of_known_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, "abc").unwrap();
        let want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_file(&path).unwrap(), (3, want.to_string()));
        assert_eq!(sha256_bytes(b"abc"), want);
    }
}
