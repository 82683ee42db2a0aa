//! Servers a text names: in links, handles (`@me@social.example`) and bare
//! domains, without the hosts that are never anyone's Mastodon server
//! (code hosting, image hosts, big web sites) and without file names.
//!
//! A name found here was read from text someone wrote: it may only be
//! contacted as a public server (see [`Reach::PublicOnly`](super::Reach)).

/// Hosts that are never a reporter's Mastodon server.
const NOT_SERVERS: &[&str] = &[
    "github.com",
    "githubusercontent.com",
    "github.io",
    "imgur.com",
    "twitter.com",
    "x.com",
    "google.com",
    "youtube.com",
    "youtu.be",
    "joinmastodon.org",
    "wikipedia.org",
    "mozilla.org",
    "apple.com",
    "microsoft.com",
    "example.com",
    "example.org",
    "example.net",
    "gitlab.com",
    "discord.gg",
    "discord.com",
    "medium.com",
    "reddit.com",
    "facebook.com",
    "instagram.com",
    "archive.org",
    "w3.org",
    "ghcr.io",
    "docker.io",
    "docker.com",
    "npmjs.com",
    "rubygems.org",
];

/// Endings of file names, which look like domains (`screenshot.png`).
const FILE_ENDINGS: &[&str] = &[
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "webm",
    "mp4",
    "mov",
    "svg",
    "rb",
    "js",
    "ts",
    "tsx",
    "jsx",
    "json",
    "yml",
    "yaml",
    "md",
    "css",
    "scss",
    "html",
    "htm",
    "txt",
    "log",
    "env",
    "production",
    "sh",
    "py",
    "exe",
    "zip",
    "gz",
    "conf",
    "erb",
    "haml",
    "lock",
    "pdf",
    "csv",
    "php",
    "xml",
    "toml",
    "service",
    "sql",
    "map",
    "mjs",
    "cjs",
    "avif",
];

/// Host names of the servers a text mentions (links, handles, bare
/// domains), lowercased, in the order they appear, each once.
pub fn servers_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
        let host = word
            .trim_matches(|c: char| c == '.' || c == '-')
            .to_ascii_lowercase();
        if is_server_name(&host) && !out.contains(&host) {
            out.push(host);
        }
    }
    out
}

/// Whether `host` reads as a server's name: at least two labels, a
/// top-level domain of letters, not a file name, a version or prose
/// (`e.g`), and not a host that is never a Mastodon server.
fn is_server_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    if tld.len() < 2 || tld.len() > 12 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if FILE_ENDINGS.contains(&tld) || labels[0].chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if NOT_SERVERS
        .iter()
        .any(|n| host == *n || host.ends_with(&format!(".{n}")))
    {
        return false;
    }
    // "e.g", "i.e": words with one-letter labels are prose.
    !labels.iter().any(|l| l.len() < 2)
}

/// The server of a handle: `@me@social.example` or `me@social.example`
/// gives `social.example`; `@me` alone names none.
pub fn server_of_handle(handle: &str) -> Option<String> {
    let h = handle.trim().trim_start_matches('@');
    let (user, host) = h.rsplit_once('@')?;
    let host = host.trim().trim_end_matches('/').to_ascii_lowercase();
    (!user.is_empty() && !host.is_empty() && !host.contains(char::is_whitespace)).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_skip_files_hosts_versions_and_prose() {
        let s = servers_in("on toot.example and github.com, see shot.png, e.g. this, v4.2.1");
        assert_eq!(s, ["toot.example"]);
    }

    #[test]
    fn servers_in_links_and_handles_once_each() {
        let s = servers_in(
            "My account @me@Toot.Community got suspended; https://toot.community/about and https://mastodon.social/@x say so",
        );
        assert_eq!(s, ["toot.community", "mastodon.social"]);
        assert!(servers_in("I can't log in").is_empty());
        assert!(servers_in("see docs.joinmastodon.org and www.example.com").is_empty());
    }

    #[test]
    fn a_handle_names_its_server() {
        assert_eq!(
            server_of_handle("@me@social.example").as_deref(),
            Some("social.example")
        );
        assert_eq!(
            server_of_handle("me@Social.Example/").as_deref(),
            Some("social.example")
        );
        assert_eq!(server_of_handle("@me"), None);
        assert_eq!(server_of_handle("@@social.example"), None);
    }
}
