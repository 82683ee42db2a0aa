//! Reading what the user hands over (a file or standard input) with limits,
//! so a wrong path, a binary file or a huge body ends in one clear sentence.

use crate::error::Error;
use etcetera::BaseStrategy;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most any input may weigh. GitHub takes bodies of 65,536 characters;
/// anything far past that is a mistake, not an issue.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Reads a file, or standard input for `-`.
pub fn read_input(arg: &str) -> Result<String, Error> {
    if arg == "-" {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            return Err(Error::Usage(
                "no FILE given, and standard input is a terminal: name a file, or pipe the body in"
                    .into(),
            ));
        }
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::input("standard input", format!("cannot be read: {e}")))?;
        return decode("standard input", buf);
    }
    read_text_file(Path::new(arg))
}

/// Reads a UTF-8 text file of at most [`MAX_INPUT_BYTES`].
pub fn read_text_file(path: &Path) -> Result<String, Error> {
    let meta = std::fs::metadata(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file; check the path".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => format!("cannot be read: {e}"),
        };
        Error::input(path, why)
    })?;
    if meta.is_dir() {
        return Err(Error::input(
            path,
            "is a directory; give a file, or - for standard input",
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_big(path.display().to_string(), meta.len()));
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| Error::input(path, format!("cannot be read: {e}")))?;
    decode(&path.display().to_string(), buf)
}

fn too_big(what: String, len: u64) -> Error {
    Error::Input {
        path: what,
        reason: format!(
            "is {:.1} MB; preflight reads at most 1 MB (GitHub takes issue bodies of at most 65,536 characters)",
            len as f64 / 1_000_000.0
        ),
    }
}

fn decode(what: &str, buf: Vec<u8>) -> Result<String, Error> {
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big(what.to_string(), buf.len() as u64));
    }
    String::from_utf8(buf).map_err(|e| Error::Input {
        path: what.to_string(),
        reason: format!(
            "is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })
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
pub fn write_atomic(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
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
