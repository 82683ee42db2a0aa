//! Every file the tool reads goes through here, with a limit: a wrong
//! path, a binary file, a FIFO, a device or a huge file ends in one clear
//! sentence, never in a hang or unbounded memory. Only regular files are
//! read (or standard input for `-`). Writes are atomic ([`write_atomic`]).

use crate::error::Error;
use etcetera::BaseStrategy;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How much of one kind of input is read, and why that much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    /// What is read, for the message: "a body, draft or form".
    pub what: &'static str,
    /// Why the limit is where it is, or what to do.
    pub why: &'static str,
}

/// Bodies, drafts, forms and configs. GitHub takes bodies of 65,536
/// characters; anything far past that is a mistake, not an issue.
pub const INPUT: Limit = Limit {
    bytes: 1024 * 1024,
    what: "a body, draft, form or config",
    why: "GitHub takes issue bodies of at most 65,536 characters",
};

/// A webhook payload (`GITHUB_EVENT_PATH`): GitHub caps them at 25 MB.
pub const EVENT: Limit = Limit {
    bytes: 25 * 1024 * 1024,
    what: "an event payload",
    why: "GitHub sends payloads of at most 25 MB",
};

/// An issue dump for `index import`: big, but not endless.
pub const IMPORT: Limit = Limit {
    bytes: 512 * 1024 * 1024,
    what: "an issue dump",
    why: "split the dump and import the parts one after the other",
};

/// The most any input may weigh (see [`INPUT`]).
pub const MAX_INPUT_BYTES: u64 = INPUT.bytes;

/// Reads a file, or standard input for `-`, of at most [`INPUT`].
pub fn read_input(arg: &str) -> Result<String, Error> {
    read_input_with(arg, INPUT)
}

/// Reads a file, or standard input for `-`, of at most `limit`.
pub fn read_input_with(arg: &str, limit: Limit) -> Result<String, Error> {
    read_all(open_input(arg, limit)?)
}

/// Reads a UTF-8 text file of at most [`INPUT`].
pub fn read_text_file(path: &Path) -> Result<String, Error> {
    read_text_file_with(path, INPUT)
}

/// Reads a UTF-8 regular file of at most `limit`; a leading byte-order
/// mark is dropped.
pub fn read_text_file_with(path: &Path, limit: Limit) -> Result<String, Error> {
    read_all(open_file(path, limit)?)
}

fn read_all(mut capped: Capped) -> Result<String, Error> {
    let mut buf = Vec::new();
    let read = capped.read_to_end(&mut buf);
    if capped.exceeded() {
        return Err(capped.too_big());
    }
    read.map_err(|e| Error::input(&capped.name, format!("cannot be read: {e}")))?;
    decode(&capped.name, buf)
}

/// A file or standard input opened for reading at most `limit` bytes, as
/// a stream: reading past the limit fails, and [`Capped::exceeded`] says so.
pub fn open_input(arg: &str, limit: Limit) -> Result<Capped, Error> {
    if arg != "-" {
        return open_file(Path::new(arg), limit);
    }
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "no FILE given, and standard input is a terminal: name a file, or pipe the input in"
                .into(),
        ));
    }
    Ok(Capped::new(
        Box::new(std::io::stdin()),
        "standard input".into(),
        limit,
    ))
}

/// A regular file opened for reading at most `limit` bytes.
pub fn open_file(path: &Path, limit: Limit) -> Result<Capped, Error> {
    let (file, len) = open_regular(path)?;
    let name = path.display().to_string();
    if len > limit.bytes {
        return Err(too_big(&name, Some(len), limit));
    }
    Ok(Capped::new(Box::new(file), name, limit))
}

/// A reader that gives at most its limit, then fails.
pub struct Capped {
    inner: Box<dyn Read>,
    /// The file's name, or `standard input`.
    pub name: String,
    limit: Limit,
    left: u64,
    exceeded: bool,
}

impl Capped {
    fn new(inner: Box<dyn Read>, name: String, limit: Limit) -> Capped {
        Capped {
            inner,
            name,
            limit,
            left: limit.bytes,
            exceeded: false,
        }
    }

    /// Whether the input went on past the limit.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// The error for an input past the limit.
    pub fn too_big(&self) -> Error {
        too_big(&self.name, None, self.limit)
    }
}

impl Read for Capped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.exceeded = true;
            return Err(std::io::Error::other(format!(
                "longer than {} bytes",
                group(self.limit.bytes)
            )));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Opens `path` if it is a regular file (following links), without
/// waiting: a FIFO is opened non-blocking, then refused, like a device.
fn open_regular(path: &Path) -> Result<(std::fs::File, u64), Error> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = opts.open(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file; check the path".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ if path.is_dir() => {
                "is a directory; give a file, or - for standard input".to_string()
            }
            _ => format!("cannot be read: {e}"),
        };
        Error::input(path, why)
    })?;
    let meta = file
        .metadata()
        .map_err(|e| Error::input(path, format!("cannot be read: {e}")))?;
    if meta.is_dir() {
        return Err(Error::input(
            path,
            "is a directory; give a file, or - for standard input",
        ));
    }
    if !meta.is_file() {
        return Err(Error::input(
            path,
            "is not a regular file (a FIFO, socket or device); give a file, or pipe it in and give -",
        ));
    }
    Ok((file, meta.len()))
}

fn too_big(name: &str, len: Option<u64>, limit: Limit) -> Error {
    let max = group(limit.bytes);
    let size = binary_size(limit.bytes);
    Error::Input {
        path: name.to_string(),
        reason: match len {
            Some(len) => format!(
                "is {} bytes; preflight reads at most {max} bytes ({size}) of {}: {}",
                group(len),
                limit.what,
                limit.why
            ),
            None => format!(
                "is longer than {max} bytes ({size}), the most preflight reads of {}: {}",
                limit.what, limit.why
            ),
        },
    }
}

/// `1048576` → `1,048,576`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1048576` → `1 MiB`; limits are whole MiB or KiB.
fn binary_size(n: u64) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

fn decode(what: &str, mut buf: Vec<u8>) -> Result<String, Error> {
    // A byte-order mark would hide the first line (a `### ` heading, the
    // first key of a YAML file).
    if buf.starts_with(b"\xEF\xBB\xBF") {
        buf.drain(..3);
    }
    String::from_utf8(buf).map_err(|e| Error::Input {
        path: what.to_string(),
        reason: format!(
            "is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// The regular files directly in `dir` whose names `want` takes, sorted.
/// A link is followed only to a file inside `dir`: a form folder in a
/// checkout must not read (and echo) a file elsewhere. Other entries
/// (folders, FIFOs, devices) are left out.
pub fn files_in(dir: &Path, want: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::input(dir, format!("cannot read the folder: {e}")))?;
    let real_dir = std::fs::canonicalize(dir)
        .map_err(|e| Error::input(dir, format!("cannot read the folder: {e}")))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !want(&name) {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            let inside = std::fs::canonicalize(&path)
                .is_ok_and(|target| target.parent() == Some(real_dir.as_path()));
            if !inside {
                return Err(Error::input(
                    &path,
                    "is a link to a file outside its folder, which is not read; copy the file into the folder",
                ));
            }
        }
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The user's cache folder: `$XDG_CACHE_HOME`, else `~/.cache`.
pub fn cache_home() -> Result<PathBuf, Error> {
    Ok(base_dirs()?.cache_dir())
}

/// The user's state folder: `$XDG_STATE_HOME`, else `~/.local/state`.
pub fn state_home() -> Result<PathBuf, Error> {
    base_dirs()?
        .state_dir()
        .ok_or_else(|| Error::Usage("this system has no state folder; set XDG_STATE_HOME".into()))
}

/// XDG on every Unix, macOS included, as command-line tools there
/// expect (`~/.cache`, not `~/Library/Caches`).
fn base_dirs() -> Result<impl BaseStrategy, Error> {
    etcetera::choose_base_strategy().map_err(|_| {
        Error::Usage(
            "neither HOME nor the XDG folders are set, so the cache and drafts have nowhere to go; set HOME".into(),
        )
    })
}

/// Writes `parts` to `path` so that a crash leaves the old file or the new
/// one, never half of either: a private temporary file in the same folder
/// (0600 where permissions exist), synced, then renamed over the target.
/// Temporary files that a killed process left behind are removed first.
pub fn write_atomic(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    remove_stale_temps(dir, STALE_TEMP_AGE);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        for p in parts {
            w.write_all(p)?;
        }
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Temporary files [`write_atomic`] makes start with this.
pub const TEMP_PREFIX: &str = ".preflight-tmp-";

/// A temporary file untouched for this long belongs to no running write.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(3600);

/// Removes [`TEMP_PREFIX`] files in `dir` last modified more than `age`
/// ago (a process killed mid-write leaves one). Links are left alone.
pub fn remove_stale_temps(dir: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|d| d > age);
        if meta.is_file() && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_told_exactly() {
        let e = too_big("big.md", Some(1_048_577), INPUT).to_string();
        assert_eq!(
            e,
            "big.md: is 1,048,577 bytes; preflight reads at most 1,048,576 bytes (1 MiB) of a body, draft, form or config: GitHub takes issue bodies of at most 65,536 characters"
        );
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(binary_size(IMPORT.bytes), "512 MiB");
    }

    #[test]
    fn a_leading_byte_order_mark_is_dropped() {
        assert_eq!(decode("x", b"\xEF\xBB\xBF### A".to_vec()).unwrap(), "### A");
    }

    #[test]
    fn a_capped_reader_stops_at_its_limit() {
        let limit = Limit {
            bytes: 10,
            what: "a test",
            why: "tests are small",
        };
        let mut c = Capped::new(Box::new(std::io::repeat(b'a')), "zeros".into(), limit);
        let mut buf = Vec::new();
        assert!(c.read_to_end(&mut buf).is_err());
        assert!(c.exceeded());
        assert_eq!(buf.len(), 10);
        let mut c = Capped::new(Box::new(&b"0123456789"[..]), "ten".into(), limit);
        let mut buf = Vec::new();
        c.read_to_end(&mut buf).unwrap();
        assert!(!c.exceeded());
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("body.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string naming a new file in a private folder.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_text_file(&fifo).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
        let e = read_text_file(Path::new("/dev/zero"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a regular file"), "{e}");
        let e = read_input("/dev/zero").unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn stale_temporary_files_are_removed_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(format!("{TEMP_PREFIX}stale"));
        let other = dir.path().join("keep.idx");
        std::fs::write(&stale, "half").unwrap();
        std::fs::write(&other, "x").unwrap();
        remove_stale_temps(dir.path(), STALE_TEMP_AGE);
        assert!(
            stale.exists(),
            "a fresh temporary file may be another process's"
        );
        remove_stale_temps(dir.path(), Duration::ZERO);
        assert!(!stale.exists());
        assert!(other.exists());
        // write_atomic cleans up by itself.
        std::fs::write(&stale, "half").unwrap();
        let old = SystemTime::now() - Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_atomic(&dir.path().join("new"), &[b"x"]).unwrap();
        assert!(!stale.exists());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_a_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let forms = dir.path().join("forms");
        std::fs::create_dir(&forms).unwrap();
        std::fs::write(forms.join("a.yml"), "x").unwrap();
        std::os::unix::fs::symlink(forms.join("a.yml"), forms.join("b.yml")).unwrap();
        let yml = |n: &str| n.ends_with(".yml");
        assert_eq!(files_in(&forms, yml).unwrap().len(), 2);
        std::fs::write(dir.path().join("secret"), "token").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), forms.join("c.yml")).unwrap();
        let e = files_in(&forms, yml).unwrap_err().to_string();
        assert!(
            e.contains("c.yml") && e.contains("outside its folder"),
            "{e}"
        );
        assert!(!e.contains("token"));
    }
}
