//! The reporter's desktop: their browser and their clipboard. Best effort:
//! without either, the text says where things are.

/// Opens a URL in the browser (the `opener` crate: `$BROWSER`, else the
/// system's opener, the URL one argument, no shell). Returns whether a
/// browser was started. `PREFLIGHT_NO_BROWSER` turns it off (tests, SSH).
pub fn open_in_browser(url: &str) -> bool {
    if std::env::var_os("PREFLIGHT_NO_BROWSER").is_some() {
        return false;
    }
    opener::open_browser(url).is_ok()
}

/// Puts `text` on the clipboard through the system's own tool, fed on
/// standard input (no shell, no arguments from the text). The tools are
/// used rather than a clipboard crate because on X11 and Wayland the
/// clipboard lives only as long as the process that owns it, and these
/// tools keep serving it after `preflight` exits. Returns the tool used.
pub fn copy_to_clipboard(text: &str) -> Option<&'static str> {
    use std::io::Write;
    let has = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    let candidates: &[(&'static str, &[&str])] = if cfg!(target_os = "macos") {
        &[("pbcopy", &[])]
    } else if has("WAYLAND_DISPLAY") {
        &[("wl-copy", &[]), ("xclip", &["-selection", "clipboard"])]
    } else if has("DISPLAY") {
        &[
            ("xclip", &["-selection", "clipboard"]),
            ("xsel", &["--clipboard", "--input"]),
        ]
    } else {
        &[]
    };
    for (tool, args) in candidates {
        let child = std::process::Command::new(tool)
            .args(*args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(mut child) = child else { continue };
        let written = child
            .stdin
            .take()
            .is_some_and(|mut stdin| stdin.write_all(text.as_bytes()).is_ok());
        if written && child.wait().is_ok_and(|s| s.success()) {
            return Some(tool);
        }
    }
    None
}
