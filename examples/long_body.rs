//! Prints a Mastodon web-bug report of about N characters (default 60,000),
//! rendered as GitHub renders the form: the input for timing `lint` on a
//! long body.
//!
//! cargo run --release --example long_body -- 60000 > /tmp/long.md
//! hyperfine -N --warmup 5 'target/release/preflight lint /tmp/long.md'

use issue_preflight::draft::render;
use issue_preflight::draft::{Answer, Answers};
use issue_preflight::form::FormSet;

fn main() {
    let target: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(60_000);
    let set = FormSet::embedded();
    let form = &set.find("1.web_bug_report.yml").expect("embedded").form;
    let text = |s: &str| Answer::Text(s.to_string());
    let mut answers = Answers::new();
    answers.insert("Steps to reproduce the problem".into(), text("1. Open the home timeline\n2. Scroll down past two hundred posts\n3. Open a thread and go back"));
    answers.insert(
        "Expected behaviour".into(),
        text("The timeline keeps its scroll position"),
    );
    answers.insert(
        "Actual behaviour".into(),
        text("The timeline jumps back to the newest post"),
    );
    answers.insert("Mastodon instance".into(), text("social.example.org"));
    answers.insert("Mastodon version".into(), text("v4.3.1"));
    answers.insert("Browser name and version".into(), text("Firefox 140"));
    answers.insert("Operating system".into(), text("Debian 12"));
    let base = render(form, &answers).len();
    let mut log = String::from("```\n");
    let mut i = 0;
    while base + log.len() + 200 < target {
        log.push_str(&format!(
            "[{i:05}] TypeError: Cannot read properties of undefined (reading 'id') at ScrollableList.componentDidUpdate (status_list.js:{})\n",
            100 + i % 900
        ));
        i += 1;
    }
    log.push_str("```");
    answers.insert("Technical details".into(), Answer::Text(log));
    print!("{}", render(form, &answers));
}
