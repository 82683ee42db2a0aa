//! `preflight doctor`: what the tool sees, one line a thing, each with a fix
//! where something is wrong. Exit 0 when nothing needs fixing, 1 otherwise.
//! An unreachable network is reported, not a failure: most commands work
//! offline.

use super::args::{DoctorArgs, Global};
use super::common::settings;
use super::{findings_code, w, Io, Outcome};
use issue_preflight::checks::dupes::Index;
use issue_preflight::draft::store::now;
use issue_preflight::embed::{locate, pinned, status, FileState, ModelSource, Source};
use issue_preflight::github::rate_limit::{Budget, RateLimits};
use issue_preflight::github::{GitHub, GitHubError};
use issue_preflight::mastodon::normalize_server;
use issue_preflight::policy::INDEX_FRESH_SECS;
use issue_preflight::services::{Named, Services};
use issue_preflight::text::printable;
use issue_preflight::Error;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Ok,
    /// Works, with less than it could (no token, no index, offline).
    Note,
    /// Needs fixing.
    Fail,
}

struct Line {
    level: Level,
    topic: &'static str,
    text: String,
    fix: Option<String>,
}

fn ok(topic: &'static str, text: impl Into<String>) -> Line {
    Line {
        level: Level::Ok,
        topic,
        text: text.into(),
        fix: None,
    }
}

fn note(topic: &'static str, text: impl Into<String>, fix: Option<&str>) -> Line {
    Line {
        level: Level::Note,
        topic,
        text: text.into(),
        fix: fix.map(str::to_string),
    }
}

fn fail(topic: &'static str, text: impl Into<String>, fix: impl Into<String>) -> Line {
    Line {
        level: Level::Fail,
        topic,
        text: text.into(),
        fix: Some(fix.into()),
    }
}

pub fn run(global: &Global, args: DoctorArgs, io: &mut Io<'_>) -> Outcome {
    let mut lines = Vec::new();
    match settings(global) {
        Ok(s) => {
            let services = Services::new(s);
            github(&services, &mut lines);
            folders(&services, &mut lines);
            lines.push(index(&services));
            lines.push(model(&services));
            lines.push(forms(&services));
            if let Some(instance) = &args.instance {
                lines.push(instance_line(&services, instance));
            }
        }
        Err(e) => lines.push(fail(
            "folders",
            e.to_string(),
            "set HOME, or give --cache-dir and XDG_STATE_HOME",
        )),
    }
    for line in &lines {
        show(line, io)?;
    }
    Ok(findings_code(lines.iter().any(|l| l.level == Level::Fail)))
}

fn show(line: &Line, io: &mut Io<'_>) -> Result<(), super::Failure> {
    let (word, color) = match line.level {
        Level::Ok => ("ok", "32"),
        Level::Note => ("note", "33"),
        Level::Fail => ("fail", "1;31"),
    };
    w(
        io.out,
        format!(
            "{} {:<9} {}",
            io.style.paint(color, &format!("{word:<4}")),
            line.topic,
            line.text
        ),
    )?;
    if let Some(fix) = &line.fix {
        w(io.out, format!("{:15}fix: {fix}", ""))?;
    }
    Ok(())
}

/// The token's source (never the token) and the API's rate limit.
fn github(services: &Services, lines: &mut Vec<Line>) {
    let gh = match services.github() {
        Ok(gh) => gh,
        Err(e) => {
            lines.push(fail(
                "github",
                printable(&e.to_string()),
                "correct GITHUB_API_URL, GITHUB_TOKEN or GH_TOKEN as said above",
            ));
            return;
        }
    };
    lines.push(match gh.token_source() {
        Some(source) => ok("token", format!("from {source} (the token itself is never shown)")),
        None => note(
            "token",
            "none: checks work, filing ends with a prefilled link, and the API allows 60 requests an hour",
            Some("set GITHUB_TOKEN or GH_TOKEN, or run `gh auth login`"),
        ),
    });
    let from = if std::env::var_os("GITHUB_API_URL").is_some_and(|v| !v.is_empty()) {
        " (GITHUB_API_URL)"
    } else {
        ""
    };
    let host = format!("{}{from}", gh.api_host());
    lines.push(match services.block_on(gh.rate_limit()) {
        Ok(Ok(limits)) => rate_line(&host, &limits, gh),
        Ok(Err(e)) => api_error(&host, &e),
        Err(e) => fail("github", e.to_string(), "try again"),
    });
}

fn rate_line(host: &str, limits: &RateLimits, gh: &GitHub) -> Line {
    let budget = |b: &Budget| format!("{} of {} left", b.remaining, b.limit);
    let mut text = format!("{host}: {} requests", budget(&limits.core));
    if let Some(search) = &limits.search {
        text.push_str(&format!(", {} searches", budget(search)));
    }
    if limits.core.remaining > 0 {
        return ok("github", text);
    }
    text.push_str(&format!(
        "; exhausted until {}",
        clock(limits.core.reset, now())
    ));
    let fix = if gh.has_token() {
        "wait until then; commands that need no network (lint, triage, dupes --offline) work meanwhile"
    } else {
        "wait, or set GITHUB_TOKEN (5,000 requests an hour instead of 60)"
    };
    fail("github", text, fix)
}

fn api_error(host: &str, e: &GitHubError) -> Line {
    match e {
        GitHubError::Unauthorized { .. } | GitHubError::BadToken { .. } => fail(
            "github",
            format!("{host}: {e}"),
            "set a valid token in GITHUB_TOKEN or GH_TOKEN, or run `gh auth login`",
        ),
        GitHubError::Network { .. } => note(
            "github",
            format!("{host}: {e}"),
            Some("lint, triage and dupes --offline work without it; filing and sync need it"),
        ),
        _ => note("github", format!("{host}: {e}"), None),
    }
}

/// `14:05 UTC (in 12 min)`.
fn clock(at: u64, now: u64) -> String {
    let day = at % 86_400;
    let minutes = at.saturating_sub(now).div_ceil(60);
    format!(
        "{:02}:{:02} UTC (in {minutes} min)",
        day / 3600,
        day % 3600 / 60
    )
}

fn folders(services: &Services, lines: &mut Vec<Line>) {
    let s = &services.settings;
    let named = if std::env::var_os("PREFLIGHT_CACHE_DIR").is_some() {
        "PREFLIGHT_CACHE_DIR or --cache-dir"
    } else {
        "--cache-dir or PREFLIGHT_CACHE_DIR"
    };
    lines.push(folder(
        "cache",
        &s.cache_dir,
        &format!("the issue index, the forms cache and the model; choose another with {named}"),
    ));
    lines.push(folder(
        "state",
        &s.state_dir,
        "saved drafts; choose another with XDG_STATE_HOME",
    ));
}

/// A folder the tool writes: fine when it can be written, or created.
fn folder(topic: &'static str, dir: &Path, what: &str) -> Line {
    let shown = dir.display();
    if !dir.exists() {
        return ok(topic, format!("{shown} (made on first use)"));
    }
    if !dir.is_dir() {
        return fail(
            topic,
            format!("{shown} is not a folder"),
            format!("move it away; it holds {what}"),
        );
    }
    match tempfile::tempfile_in(dir) {
        Ok(_) => ok(topic, shown.to_string()),
        Err(e) => fail(
            topic,
            format!("{shown} cannot be written ({e})"),
            format!("fix its permissions; it holds {what}"),
        ),
    }
}

fn index(services: &Services) -> Line {
    let repo = services.repo();
    let path = services.index_path();
    if !path.exists() {
        return note(
            "index",
            format!(
                "none for {repo} at {}: duplicate search asks GitHub each time",
                path.display()
            ),
            Some(&format!(
                "`preflight index sync{}` for fast, offline duplicate search",
                repo_flag(services)
            )),
        );
    }
    let index = match Index::load(&path) {
        Ok(i) => i,
        Err(e) => {
            return fail(
                "index",
                e.to_string(),
                format!(
                    "delete {} and run `preflight index sync{}`",
                    path.display(),
                    repo_flag(services)
                ),
            )
        }
    };
    // The index records no embedding model yet: when it does, name it here.
    let head = format!("{} issues of {}", index.len(), printable(&index.repo));
    match index.meta.synced_at {
        Some(t) if now().saturating_sub(t) >= INDEX_FRESH_SECS => note(
            "index",
            format!(
                "{head}, synced {} days ago: too old to be used before GitHub's search",
                now().saturating_sub(t) / 86_400
            ),
            Some(&format!("`preflight index sync{}`", repo_flag(services))),
        ),
        Some(t) => ok(
            "index",
            format!("{head}, synced {}", ago(now().saturating_sub(t))),
        ),
        None => ok("index", format!("{head}, imported (never synced)")),
    }
}

fn repo_flag(services: &Services) -> String {
    let repo = services.repo();
    if repo.is_mastodon() {
        String::new()
    } else {
        format!(" --repo {repo}")
    }
}

fn ago(secs: u64) -> String {
    match secs {
        s if s < 120 => format!("{s} seconds ago"),
        s if s < 7200 => format!("{} minutes ago", s / 60),
        s if s < 172_800 => format!("{} hours ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

/// The sentence-embedding model: where it is, and whether its files are
/// the pinned ones (this reads the 90 MB weights to hash them). None is a
/// note (everything works by words); a folder named with --model or
/// PREFLIGHT_MODEL that is not usable, or a cached file whose hash is
/// wrong, needs fixing.
fn model(services: &Services) -> Line {
    let s = &services.settings;
    let Some(dir) = locate(s.model.as_deref(), &s.cache_dir) else {
        return note(
            "model",
            "none: triage and duplicate search go by words alone",
            Some(&format!(
                "`preflight model fetch` ({}) for search by meaning",
                super::model::size(Source::pinned().total_size())
            )),
        );
    };
    let shown = format!(
        "{} ({})",
        dir.path.display(),
        super::model::source_name(&dir)
    );
    let st = status(&dir.path);
    if st.is_ok() {
        // The index records no embedding model yet; when it does, say here
        // whether its vectors were made by this one.
        let text = format!(
            "{} at revision {} in {shown}; SHA-256 of {} as pinned",
            pinned::MODEL_NAME,
            &pinned::REVISION[..12],
            st.files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if cfg!(feature = "embed") {
            return ok("model", text);
        }
        return note(
            "model",
            format!("{text}, but this build lacks the `embed` feature"),
            Some("rebuild with default features to compare texts by meaning"),
        );
    }
    let names = |want: fn(&FileState) -> bool| -> Vec<&str> {
        st.files
            .iter()
            .filter(|f| want(&f.state))
            .map(|f| f.name.as_str())
            .collect()
    };
    let missing = names(|s| matches!(s, FileState::Missing | FileState::Partial { .. }));
    let wrong = names(|s| matches!(s, FileState::Mismatch { .. } | FileState::Unreadable(_)));
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("lacks {}", missing.join(", ")));
    }
    if !wrong.is_empty() {
        problems.push(format!(
            "{} not the pinned file (SHA-256 differs) or unreadable",
            wrong.join(", ")
        ));
    }
    let text = format!("{shown} {}", problems.join("; "));
    let fix = super::model::fix(&dir);
    if dir.source == ModelSource::Cache && wrong.is_empty() {
        // A fetch that stopped half way: nothing is wrong, only unfinished.
        return note("model", text, Some(&fix));
    }
    fail("model", text, fix)
}

fn forms(services: &Services) -> Line {
    match services.forms(false) {
        Ok(f) => {
            let mut text = format!(
                "{} from the {}",
                f.set.forms.len(),
                printable(&f.set.origin.to_string())
            );
            if let Some(n) = &f.note {
                text.push_str(&format!(" ({})", printable(n)));
            }
            ok("forms", text)
        }
        Err(e) => fail(
            "forms",
            printable(&e.to_string()),
            "give a folder of forms with --templates, or check --repo",
        ),
    }
}

fn instance_line(services: &Services, instance: &str) -> Line {
    let addr =
        match normalize_server(instance) {
            Ok(a) => a,
            Err(e) => return fail(
                "instance",
                e.to_string(),
                "give a domain (mastodon.social) or a base URL in --instance or PREFLIGHT_INSTANCE",
            ),
        };
    match services.contact(&addr, Named::ByUser) {
        Ok(c) => {
            let reach = match (&c.email, c.admin_handle()) {
                (Some(mail), _) => format!("admin contact {}", printable(mail)),
                (None, Some(handle)) => format!("admin account {}", printable(&handle)),
                (None, None) => "no admin contact published; its about page names the staff".into(),
            };
            ok("instance", format!("{}: {reach}", printable(&c.domain)))
        }
        Err(Error::Network(e)) => note("instance", printable(&e), None),
        Err(e) => fail(
            "instance",
            printable(&e.to_string()),
            "check the server's name in --instance or PREFLIGHT_INSTANCE",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_times_read_as_a_clock() {
        // 2024-01-01T14:05:00Z, twelve minutes from now.
        let at = 1_704_117_900;
        assert_eq!(clock(at, at - 12 * 60), "14:05 UTC (in 12 min)");
    }
}
