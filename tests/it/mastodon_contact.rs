//! Admin contact lookup against a loopback server answering like Mastodon.

use std::time::{Duration, Instant};

use issue_preflight::mastodon::{
    lookup_contact, lookup_contact_with, normalize_server, ContactError, Reach,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// mastodon.social's real `/api/v2/instance` answer.
const V2: &str = include_str!("../fixtures/mastodon/instance-v2.json");
/// A Mastodon 3.5 `/api/v1/instance` answer, with an escape sequence in the
/// title.
const V1: &str = include_str!("../fixtures/mastodon/instance-v1.json");

const TIMEOUT: Duration = Duration::from_secs(5);

fn host_of(server: &MockServer) -> String {
    server.uri().trim_start_matches("http://").to_string()
}

fn json_body(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(text.as_bytes().to_vec(), "application/json; charset=utf-8")
}

#[tokio::test]
async fn v2_answer_gives_email_account_and_rules() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(json_body(V2))
        .expect(1)
        .mount(&server)
        .await;
    // v2 carries the rules itself: no extra request.
    Mock::given(method("GET"))
        .and(path("/api/v1/instance/rules"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(0)
        .mount(&server)
        .await;

    let c = lookup_contact(&server.uri(), TIMEOUT).await.unwrap();
    assert_eq!(c.api_version, 2);
    assert_eq!(c.domain, "mastodon.social");
    assert_eq!(c.title, "Mastodon");
    assert_eq!(c.email.as_deref(), Some("staff@mastodon.social"));
    let account = c.account.as_ref().expect("contact account");
    assert_eq!(account.acct, "Mastodon");
    assert_eq!(account.display_name, "Mastodon");
    assert_eq!(account.url, "https://mastodon.social/@Mastodon");
    assert_eq!(
        c.admin_handle().as_deref(),
        Some("@Mastodon@mastodon.social")
    );
    assert_eq!(c.about_url, format!("{}/about", server.uri()));
    assert!(c.rules.len() >= 2, "{:?}", c.rules);
    assert!(
        c.rules[0].starts_with("Sexually explicit or violent media"),
        "{}",
        c.rules[0]
    );
}

#[tokio::test]
async fn older_server_falls_back_to_v1_and_its_rules_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({ "error": "Record not found" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/instance"))
        .respond_with(json_body(V1))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/instance/rules"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "id": "1", "text": "No spam." },
            { "id": "2", "text": "Be\nkind." }
        ])))
        .expect(1)
        .mount(&server)
        .await;

    let c = lookup_contact(&format!("{}/", server.uri()), TIMEOUT)
        .await
        .unwrap();
    assert_eq!(c.api_version, 1);
    assert_eq!(c.domain, "old.example.org");
    assert_eq!(
        c.title, "Old [31mExample [0m Server",
        "escape sequences removed"
    );
    assert_eq!(c.email.as_deref(), Some("admin@old.example.org"));
    let account = c.account.as_ref().expect("contact account");
    assert_eq!(account.acct, "admin");
    assert_eq!(account.display_name, "The Admin");
    assert_eq!(account.url, "https://old.example.org/@admin");
    assert_eq!(c.rules, ["No spam.", "Be kind."]);
}

#[tokio::test]
async fn web_domain_found_through_host_meta() {
    // example.com is the account domain; the server runs on another host.
    let web = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(json_body(V2))
        .expect(1)
        .mount(&web)
        .await;
    let account_domain = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/.well-known/host-meta"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
                web.uri()
            )
            .into_bytes(),
            "application/xrd+xml; charset=utf-8",
        ))
        .expect(1)
        .mount(&account_domain)
        .await;

    let c = lookup_contact(&account_domain.uri(), TIMEOUT)
        .await
        .unwrap();
    assert_eq!(c.email.as_deref(), Some("staff@mastodon.social"));
    assert_eq!(c.about_url, format!("{}/about", web.uri()));
}

#[tokio::test]
async fn a_failing_server_is_named_with_its_about_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string("<html>We're sorry, but something went wrong.</html>"),
        )
        .mount(&server)
        .await;
    let host = host_of(&server);

    let err = lookup_contact(&server.uri(), TIMEOUT).await.unwrap_err();
    assert!(
        matches!(err, ContactError::Http { status: 500, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{host} answered HTTP 500")),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("see http://{host}/about for its contact")),
        "{text}"
    );
    assert_eq!(err.exit_code(), 3);
}

#[tokio::test]
async fn something_that_is_not_mastodon_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>my blog</html>"))
        .mount(&server)
        .await;
    let err = lookup_contact(&server.uri(), TIMEOUT).await.unwrap_err();
    assert!(matches!(err, ContactError::NotMastodon { .. }), "{err:?}");
    assert!(err.to_string().contains(&host_of(&server)), "{err}");
}

#[tokio::test]
async fn an_unreachable_server_is_named() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = lookup_contact(&format!("http://127.0.0.1:{port}"), TIMEOUT)
        .await
        .unwrap_err();
    assert!(matches!(err, ContactError::Unreachable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("could not reach 127.0.0.1:{port}: ")),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "see http://127.0.0.1:{port}/about for its contact"
        )),
        "{text}"
    );
}

#[tokio::test]
async fn a_slow_server_times_out_quickly() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_body(V2).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = lookup_contact(&server.uri(), Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert!(matches!(err, ContactError::Timeout { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "{} did not answer within 300 ms",
            host_of(&server)
        )),
        "{text}"
    );
}

#[tokio::test]
async fn bad_input_makes_no_request() {
    let err = lookup_contact("my server", TIMEOUT).await.unwrap_err();
    assert!(matches!(err, ContactError::BadServer { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 2);
}

/// What the Action asks for: a server named in an issue is only asked if it
/// is a public https name whose addresses are all public.
#[tokio::test]
async fn public_only_refuses_loopback_without_a_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_body(V2))
        .mount(&server)
        .await;
    let port = server.address().port();
    for typed in [
        server.uri(),
        format!("https://127.0.0.1:{port}"),
        format!("https://localhost:{port}"),
        "localhost".to_string(),
        "https://localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
        "[::ffff:127.0.0.1]".to_string(),
        "2130706433".to_string(),
        "foo.localhost".to_string(),
    ] {
        let addr = normalize_server(&typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
        let err = lookup_contact_with(&addr, TIMEOUT, Reach::PublicOnly)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ContactError::NotPublic { .. }),
            "{typed}: {err:?}"
        );
        assert!(err.to_string().contains("is not asked"), "{err}");
    }
    let sent = server.received_requests().await.unwrap();
    assert!(sent.is_empty(), "requests were sent: {sent:?}");
    // The same server is asked when the user names it at the terminal.
    let c = lookup_contact_with(
        &normalize_server(&server.uri()).unwrap(),
        TIMEOUT,
        Reach::Anywhere,
    )
    .await;
    assert!(c.is_ok(), "{c:?}");
}

/// Private addresses spelled oddly are still private: the URL parser reads
/// `2130706433`, `0x7f000001`, `017700000001` and `127.1` as 127.0.0.1, a
/// trailing dot names the same host, and an IPv4-mapped IPv6 address is
/// judged by the IPv4 address it carries.
#[tokio::test]
async fn public_only_refuses_odd_spellings_of_private_addresses() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_body(V2))
        .mount(&server)
        .await;
    let port = server.address().port();
    for typed in [
        "2130706433".to_string(),
        "0x7f000001".to_string(),
        "017700000001".to_string(),
        "127.1".to_string(),
        "https://127.1".to_string(),
        "@admin@2130706433".to_string(),
        "localhost.".to_string(),
        format!("https://localhost.:{port}"),
        "LOCALHOST.".to_string(),
        "[::ffff:127.0.0.1]".to_string(),
        "https://[::ffff:7f00:1]".to_string(),
        "169.254.169.254".to_string(),
        "https://169.254.169.254/latest/meta-data/".to_string(),
        "10.0.0.5.".to_string(),
        "printer.local.".to_string(),
        "metadata.google.internal.".to_string(),
        "foo.localhost.".to_string(),
    ] {
        let addr = normalize_server(&typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
        let err = lookup_contact_with(&addr, TIMEOUT, Reach::PublicOnly)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ContactError::NotPublic { .. }),
            "{typed}: {err:?}"
        );
        assert_eq!(err.exit_code(), 2);
    }
    let sent = server.received_requests().await.unwrap();
    assert!(sent.is_empty(), "requests were sent: {sent:?}");
}

/// A server the user names on purpose may redirect; the contact names the
/// server that answered.
#[tokio::test]
async fn anywhere_follows_a_redirect_and_names_the_server_that_answered() {
    let moved = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(json_body(V2))
        .expect(1)
        .mount(&moved)
        .await;
    let old = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .respond_with(
            ResponseTemplate::new(301)
                .insert_header("location", format!("{}/api/v2/instance", moved.uri())),
        )
        .expect(1)
        .mount(&old)
        .await;
    let c = lookup_contact(&old.uri(), TIMEOUT).await.unwrap();
    assert_eq!(c.email.as_deref(), Some("staff@mastodon.social"));
    assert_eq!(c.about_url, format!("{}/about", moved.uri()));
}

/// A server that sends its headers and then one byte a second is given up
/// on at the deadline, whatever it promised.
#[tokio::test]
async fn a_server_that_drips_its_answer_times_out() {
    let port = crate::support::dripping_server();
    let started = Instant::now();
    let err = lookup_contact(
        &format!("http://127.0.0.1:{port}"),
        Duration::from_millis(1500),
    )
    .await
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert!(matches!(err, ContactError::Timeout { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("127.0.0.1:{port} did not answer within 1.5 s")),
        "{err}"
    );
}
