//! The files GitHub gives a step: `GITHUB_OUTPUT` for step outputs,
//! `GITHUB_STEP_SUMMARY` for the job summary. Outputs use the multi-line
//! `name<<DELIMITER` form with a random delimiter that the value does not
//! contain, so no value (an issue title, say) can end the block early and
//! set another output.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::Path;

/// Appends `name=value` pairs to the `GITHUB_OUTPUT` file.
pub fn write_outputs(path: &Path, outputs: &[(&str, String)]) -> std::io::Result<()> {
    let mut text = String::new();
    for (name, value) in outputs {
        let delimiter = delimiter_for(value);
        text.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
    }
    append(path, &text)
}

/// Appends Markdown to the job summary.
pub fn write_summary(path: &Path, markdown: &str) -> std::io::Result<()> {
    let mut text = markdown.trim_end().to_string();
    text.push('\n');
    append(path, &text)
}

/// Whether `path` can be appended to (it is created if missing, as the
/// runner would have): asked before anything is written to GitHub.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

/// `ghadelimiter_<random>`, drawn again until `value` does not contain it.
fn delimiter_for(value: &str) -> String {
    loop {
        let d = format!("ghadelimiter_{}", random_hex());
        if !value.contains(&d) {
            return d;
        }
    }
}

/// 64 random bits as hex, from the standard library's randomly keyed hasher.
pub fn random_hex() -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Reads a GITHUB_OUTPUT file the way the runner does.
    fn parse(text: &str) -> HashMap<String, String> {
        let mut out = HashMap::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some((name, delim)) = line.split_once("<<") {
                let mut value = Vec::new();
                for l in lines.by_ref() {
                    if l == delim {
                        break;
                    }
                    value.push(l);
                }
                out.insert(name.to_string(), value.join("\n"));
            } else if let Some((name, value)) = line.split_once('=') {
                out.insert(name.to_string(), value.to_string());
            }
        }
        out
    }

    #[test]
    fn multi_line_values_cannot_forge_other_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("output");
        std::fs::write(&path, "earlier=1\n").unwrap();
        let hostile = "line one\nEOF\nverdict=security\nghadelimiter_\n".to_string();
        write_outputs(
            &path,
            &[("verdict", "bug".into()), ("duplicates", hostile.clone())],
        )
        .unwrap();
        let got = parse(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(got["earlier"], "1");
        assert_eq!(got["verdict"], "bug");
        assert_eq!(got["duplicates"], hostile);
    }

    #[test]
    fn delimiters_differ_and_avoid_the_value() {
        assert_ne!(random_hex(), random_hex());
        let d = delimiter_for("x");
        assert!(d.starts_with("ghadelimiter_") && d.len() == "ghadelimiter_".len() + 16);
    }

    #[test]
    fn summary_is_appended() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        write_summary(&path, "# one").unwrap();
        write_summary(&path, "two\n\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# one\ntwo\n");
    }
}
