//! GitHub's workflow commands (`::warning title=…::message`), the protocol
//! a step speaks on its standard output. Untrusted text is escaped so that
//! it cannot start a line, or a command, of its own.

use crate::text::printable;

/// A workflow command on one line: `::LEVEL PROPS::MESSAGE`.
pub fn command(level: &str, props: &[(&str, &str)], message: &str) -> String {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let sep = if props.is_empty() { "" } else { " " };
    format!(
        "::{level}{sep}{}::{}",
        props.join(","),
        escape_data(message)
    )
}

/// An annotation of this tool.
pub fn annotation(level: &str, message: &str) -> String {
    command(level, &[("title", "issue-preflight")], message)
}

/// Escaping of a workflow command's message. Control characters are
/// shown, never sent: the log is a terminal too.
pub fn escape_data(s: &str) -> String {
    let escaped = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    printable(&escaped)
}

/// Escaping of a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Text that quotes an issue, with workflow commands turned off around it,
/// so that a line such as `::add-mask::` in it is shown, not obeyed.
pub fn quoted_block(text: &str) -> Vec<String> {
    let token = format!("preflight-{}", super::outputs::random_hex());
    let mut lines = vec![format!("::stop-commands::{token}")];
    lines.extend(text.trim_end().lines().map(printable));
    lines.push(format!("::{token}::"));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(
            command(
                "error",
                &[("file", "a,b:c.md"), ("line", "7")],
                "line one\nline: two, 100%"
            ),
            "::error file=a%2Cb%3Ac.md,line=7::line one%0Aline: two, 100%25"
        );
        assert_eq!(
            annotation("notice", "x\x1b[2Jy"),
            "::notice title=issue-preflight::x\u{FFFD}[2Jy"
        );
    }

    #[test]
    fn a_quoted_block_switches_commands_off_and_on_again() {
        let lines = quoted_block("::add-mask::secret\nplain");
        let token = lines[0].strip_prefix("::stop-commands::").unwrap();
        assert!(token.starts_with("preflight-"));
        assert_eq!(lines[1], "::add-mask::secret");
        assert_eq!(lines.last().unwrap(), &format!("::{token}::"));
    }
}
