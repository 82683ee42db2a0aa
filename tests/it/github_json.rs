//! GitHub's REST answers as the API sends them (the shapes of
//! docs.github.com/rest), for the loopback servers of the tests.

use serde_json::{json, Value};

/// A "simple user" object, as issues, comments and `GET /user` embed it.
pub fn user(login: &str) -> Value {
    let api = format!("https://api.github.com/users/{login}");
    let bot = login.ends_with("[bot]");
    json!({
        "login": login,
        "id": if bot { 41_898_282 } else { 1_234_567 },
        "node_id": if bot { "MDM6Qm90NDE4OTgyODI=" } else { "MDQ6VXNlcjEyMzQ1Njc=" },
        "avatar_url": if bot {
            "https://avatars.githubusercontent.com/in/15368?v=4".to_string()
        } else {
            "https://avatars.githubusercontent.com/u/1234567?v=4".to_string()
        },
        "gravatar_id": "",
        "url": api,
        "html_url": if bot {
            format!("https://github.com/apps/{}", login.trim_end_matches("[bot]"))
        } else {
            format!("https://github.com/{login}")
        },
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": if bot { "Bot" } else { "User" },
        "user_view_type": "public",
        "site_admin": false
    })
}

/// A label of `repo` (`owner/name`).
pub fn label(repo: &str, id: u64, name: &str) -> Value {
    json!({
        "id": id,
        "node_id": format!("LA_kwDOAAbcde8AAAAB{id}"),
        "url": format!(
            "https://api.github.com/repos/{repo}/labels/{}",
            name.replace(' ', "%20").replace('/', "%2F")
        ),
        "name": name,
        "color": "ededed",
        "default": false,
        "description": null
    })
}

/// `GET /repos/{owner}/{name}`, cut to the fields every repository has.
pub fn repository(owner: &str, name: &str) -> Value {
    let api = format!("https://api.github.com/repos/{owner}/{name}");
    json!({
        "id": 1_296_269,
        "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
        "name": name,
        "full_name": format!("{owner}/{name}"),
        "owner": user(owner),
        "private": false,
        "html_url": format!("https://github.com/{owner}/{name}"),
        "description": null,
        "fork": false,
        "url": api,
        "issues_url": format!("{api}/issues{{/number}}"),
        "labels_url": format!("{api}/labels{{/name}}"),
        "has_issues": true,
        "default_branch": "main",
        "visibility": "public",
        "created_at": "2011-01-26T19:01:12Z",
        "updated_at": "2026-01-26T19:14:43Z",
        "pushed_at": "2026-01-26T19:06:43Z"
    })
}

/// An issue of `repo` (`owner/name`) as `GET /repos/{o}/{r}/issues` lists
/// it.
pub fn issue(repo: &str, number: u64, title: &str, state: &str, author: &str) -> Value {
    let base = format!("https://api.github.com/repos/{repo}");
    json!({
        "url": format!("{base}/issues/{number}"),
        "repository_url": base,
        "labels_url": format!("{base}/issues/{number}/labels{{/name}}"),
        "comments_url": format!("{base}/issues/{number}/comments"),
        "events_url": format!("{base}/issues/{number}/events"),
        "html_url": format!("https://github.com/{repo}/issues/{number}"),
        "id": 2_000_000_000u64 + number,
        "node_id": "I_kwDOAAbcde6abcdef",
        "number": number,
        "title": title,
        "user": user(author),
        "labels": [],
        "state": state,
        "locked": false,
        "assignee": null,
        "assignees": [],
        "milestone": null,
        "comments": 0,
        "created_at": "2026-06-01T10:00:00Z",
        "updated_at": "2026-06-01T10:00:00Z",
        "closed_at": if state == "closed" { json!("2026-06-20T10:00:00Z") } else { Value::Null },
        "author_association": "NONE",
        "type": null,
        "active_lock_reason": null,
        "body": "",
        "closed_by": null,
        "timeline_url": format!("{base}/issues/{number}/timeline"),
        "performed_via_github_app": null,
        "state_reason": if state == "closed" { json!("completed") } else { Value::Null }
    })
}
