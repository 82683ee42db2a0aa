//! The shared client against loopback servers: wiremock, and a hand-rolled
//! one for answers wiremock cannot give (a body that drips).

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

fn get(deadline_ms: u64, max_bytes: u64) -> Get {
    Get::new(
        "application/json",
        Duration::from_millis(deadline_ms),
        max_bytes,
    )
}

fn host_of(uri: &str) -> String {
    uri.trim_start_matches("http://").to_string()
}

/// A server on loopback that answers every connection by writing `script`:
/// each part after its pause. Gives `http://127.0.0.1:PORT`.
fn scripted_server(script: Vec<(Duration, Vec<u8>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let script = Arc::new(script);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let script = script.clone();
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                for (pause, bytes) in script.iter() {
                    std::thread::sleep(*pause);
                    if stream.write_all(bytes).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

/// Headers promising 1,000 bytes, then one byte a second.
fn dripping_server() -> String {
    let mut script = vec![(
        Duration::ZERO,
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            .to_vec(),
    )];
    script.extend((0..1000).map(|_| (Duration::from_secs(1), b" ".to_vec())));
    scripted_server(script)
}

/// A resolver answering from `table`, recording the names asked.
fn table_resolver(table: &[(&str, &[&str])]) -> (Resolver, Arc<Mutex<Vec<String>>>) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let table: Vec<(String, Vec<IpAddr>)> = table
        .iter()
        .map(|(n, ips)| {
            (
                n.to_string(),
                ips.iter().map(|s| s.parse().unwrap()).collect(),
            )
        })
        .collect();
    let log = asked.clone();
    let resolver: Resolver = Arc::new(move |host: String| {
        log.lock().unwrap().push(host.clone());
        let found = table
            .iter()
            .find(|(n, _)| *n == host)
            .map(|(_, ips)| ips.clone());
        Box::pin(async move {
            found.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "NXDOMAIN"))
        })
    });
    (resolver, asked)
}

#[tokio::test]
async fn get_sends_accept_and_user_agent_and_reads_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/instance"))
        .and(header("accept", "application/json"))
        .and(header("user-agent", "preflight-test/1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"domain\":\"x\"}"))
        .expect(1)
        .mount(&server)
        .await;
    let http = Http::new("preflight-test/1");
    let url = format!("{}/api/v2/instance", server.uri());
    let r = http.get(&url, &get(5_000, 1_000)).await.unwrap();
    assert_eq!(r.status, 200);
    assert!(r.is_success());
    assert_eq!(&r.body[..], b"{\"domain\":\"x\"}");
    assert_eq!(r.url.as_str(), url);
}

#[tokio::test]
async fn a_dripping_server_is_cut_off_at_the_overall_deadline() {
    let base = dripping_server();
    let started = Instant::now();
    let err = Http::shared()
        .get(&format!("{base}/api/v2/instance"), &get(1_500, 1 << 20))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(took >= Duration::from_millis(1_400), "took {took:?}");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("{} did not answer completely within 1.5 s", host_of(&base))
    );
}

#[tokio::test]
async fn a_body_over_the_cap_is_an_error_naming_host_and_limit() {
    // Announced by Content-Length.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(2_048)))
        .mount(&server)
        .await;
    let err = Http::shared()
        .get(&server.uri(), &get(5_000, 1_024))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HttpError::TooLarge {
            host: host_of(&server.uri()),
            limit: 1_024
        }
    );
    assert_eq!(
        err.to_string(),
        format!("{} sent more than the 1 KB allowed", host_of(&server.uri()))
    );

    // Chunked, no length: stopped once past the cap.
    let mut script = vec![(
        Duration::ZERO,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
    )];
    for _ in 0..100 {
        script.push((
            Duration::ZERO,
            b"100\r\n"
                .iter()
                .chain(&[b'y'; 256])
                .chain(b"\r\n")
                .copied()
                .collect(),
        ));
    }
    script.push((Duration::ZERO, b"0\r\n\r\n".to_vec()));
    let base = scripted_server(script);
    let err = Http::shared()
        .get(&base, &get(5_000, 1_000))
        .await
        .unwrap_err();
    assert!(
        matches!(err, HttpError::TooLarge { limit: 1_000, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn redirects_are_followed_only_as_the_policy_says() {
    let target = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/there"))
        .respond_with(ResponseTemplate::new(200).set_body_string("arrived"))
        .mount(&target)
        .await;
    let origin = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/elsewhere"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/there", target.uri())),
        )
        .mount(&origin)
        .await;
    Mock::given(method("GET"))
        .and(path("/here"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/there-too"))
        .mount(&origin)
        .await;
    Mock::given(method("GET"))
        .and(path("/there-too"))
        .respond_with(ResponseTemplate::new(200).set_body_string("same host"))
        .mount(&origin)
        .await;
    Mock::given(method("GET"))
        .and(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&origin)
        .await;
    let http = Http::shared();
    let policy = |redirects| {
        get(5_000, 1_000).with_policy(Policy {
            redirects,
            pinning: None,
        })
    };
    let elsewhere = format!("{}/elsewhere", origin.uri());

    let r = http
        .get(&elsewhere, &policy(Redirects::None))
        .await
        .unwrap();
    assert_eq!(r.status, 302);
    let r = http
        .get(&elsewhere, &policy(Redirects::SameOrigin(3)))
        .await
        .unwrap();
    assert_eq!(r.status, 302, "another port is another origin");
    let r = http
        .get(&elsewhere, &policy(Redirects::Limited(3)))
        .await
        .unwrap();
    assert_eq!((r.status, &r.body[..]), (200, &b"arrived"[..]));
    assert_eq!(r.url.as_str(), format!("{}/there", target.uri()));

    let here = format!("{}/here", origin.uri());
    let r = http
        .get(&here, &policy(Redirects::SameOrigin(3)))
        .await
        .unwrap();
    assert_eq!((r.status, &r.body[..]), (200, &b"same host"[..]));

    let err = http
        .get(
            &format!("{}/loop", origin.uri()),
            &policy(Redirects::Limited(3)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HttpError::TooManyRedirects {
            host: host_of(&origin.uri()),
            limit: 3
        }
    );
}

#[tokio::test]
async fn pinning_connects_only_to_checked_addresses() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("pinned"))
        .mount(&server)
        .await;
    let port = server.address().port();
    let (resolver, asked) = table_resolver(&[
        ("social.example.org", &["127.0.0.1"]),
        ("inside.example.org", &["10.0.0.5"]),
        ("mixed.example.org", &["127.0.0.1", "10.0.0.5"]),
        ("empty.example.org", &[]),
    ]);
    // Loopback stands in for "public" here; 10/8 is refused.
    let pinning = Pinning::new(|ip: IpAddr| ip.is_loopback())
        .with_resolver(resolver)
        .allowing_http();
    let pinned = |p: &Pinning| {
        get(5_000, 1_000).with_policy(Policy {
            redirects: Redirects::None,
            pinning: Some(p.clone()),
        })
    };
    let http = Http::shared();

    let r = http
        .get(
            &format!("http://social.example.org:{port}/x"),
            &pinned(&pinning),
        )
        .await
        .unwrap();
    assert_eq!(&r.body[..], b"pinned");

    for name in [
        "inside.example.org",
        "mixed.example.org",
        "empty.example.org",
    ] {
        let err = http
            .get(&format!("http://{name}:{port}/x"), &pinned(&pinning))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            HttpError::AddressRefused {
                host: format!("{name}:{port}")
            }
        );
    }
    let err = http
        .get(
            &format!("http://nowhere.example.org:{port}/x"),
            &pinned(&pinning),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::Resolve { .. }), "{err:?}");

    // An IP address is checked without asking the resolver.
    asked.lock().unwrap().clear();
    let refuse_all = Pinning::new(|_| false).allowing_http();
    let err = http
        .get(&server.uri(), &pinned(&refuse_all))
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::AddressRefused { .. }), "{err:?}");
    assert!(asked.lock().unwrap().is_empty());

    // https only, unless allowed: refused before any connection.
    let https_only = Pinning::new(|_| true);
    let err = http
        .get(&server.uri(), &pinned(&https_only))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        HttpError::NotHttps {
            host: host_of(&server.uri())
        }
    );

    // The only requests that arrived are the pinned one.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn every_redirect_hop_is_checked_by_the_pinning_again() {
    let inside = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&inside)
        .await;
    let public = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!(
                "http://metadata.example.org:{}/latest/",
                inside.address().port()
            ),
        ))
        .expect(1)
        .mount(&public)
        .await;
    let (resolver, _) = table_resolver(&[
        ("social.example.org", &["127.0.0.1"]),
        ("metadata.example.org", &["169.254.169.254"]),
    ]);
    let pinning = Pinning::new(|ip: IpAddr| ip.is_loopback())
        .with_resolver(resolver)
        .allowing_http();
    let err = Http::shared()
        .get(
            &format!("http://social.example.org:{}/api", public.address().port()),
            &get(5_000, 1_000).with_policy(Policy {
                redirects: Redirects::Limited(3),
                pinning: Some(pinning),
            }),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, HttpError::AddressRefused { .. }), "{err:?}");
    inside.verify().await;
}

#[test]
fn a_client_outlives_the_runtime_that_first_used_it() {
    let server = std::thread::spawn(|| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(async {
            let s = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
                .mount(&s)
                .await;
            s
        });
        (rt, server)
    })
    .join()
    .unwrap();
    let http = Http::new("t");
    for _ in 0..2 {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let r = rt
            .block_on(http.get(&server.1.uri(), &get(5_000, 100)))
            .unwrap();
        assert_eq!(&r.body[..], b"ok");
    }
}

// ----- downloads ----------------------------------------------------------------

const FILE: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";

fn dl(idle_ms: u64) -> Download {
    Download::new(Duration::from_millis(idle_ms))
}

async fn run_download(
    url: &str,
    d: &Download,
    out: &mut Vec<u8>,
) -> (Result<Downloaded, HttpError>, Vec<(u64, Option<u64>)>) {
    let mut seen = Vec::new();
    let r = Http::shared()
        .download(url, d, out, &mut |a, b| seen.push((a, b)))
        .await;
    (r, seen)
}

#[tokio::test]
async fn a_download_follows_the_cdn_redirect_and_reports_progress() {
    let cdn = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(FILE))
        .mount(&cdn)
        .await;
    let hub = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/resolve/model.safetensors"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/blob", cdn.uri())),
        )
        .mount(&hub)
        .await;
    let mut out = Vec::new();
    let (r, seen) = run_download(
        &format!("{}/resolve/model.safetensors", hub.uri()),
        &dl(2_000),
        &mut out,
    )
    .await;
    let done = r.unwrap();
    assert_eq!(out, FILE);
    assert_eq!(done.written, FILE.len() as u64);
    assert_eq!(done.total, Some(FILE.len() as u64));
    assert!(!done.resumed);
    assert_eq!(done.url.as_str(), format!("{}/blob", cdn.uri()));
    assert_eq!(seen.first(), Some(&(0, Some(36))));
    assert_eq!(seen.last(), Some(&(36, Some(36))));
}

#[tokio::test]
async fn a_download_resumes_with_a_range() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("range", "bytes=10-"))
        .respond_with(
            ResponseTemplate::new(206)
                .insert_header("content-range", "bytes 10-35/36")
                .set_body_bytes(&FILE[10..]),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut out = FILE[..10].to_vec();
    let mut d = dl(2_000);
    d.resume_from = 10;
    let (r, seen) = run_download(&server.uri(), &d, &mut out).await;
    let done = r.unwrap();
    assert_eq!(out, FILE);
    assert!(done.resumed);
    assert_eq!((done.written, done.total), (26, Some(36)));
    assert_eq!(seen.first(), Some(&(10, Some(36))));
    assert_eq!(seen.last(), Some(&(36, Some(36))));
}

#[tokio::test]
async fn a_server_that_ignores_the_range_sends_all_and_the_held_part_is_skipped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(FILE))
        .mount(&server)
        .await;
    let mut out = FILE[..10].to_vec();
    let mut d = dl(2_000);
    d.resume_from = 10;
    let (r, _) = run_download(&server.uri(), &d, &mut out).await;
    let done = r.unwrap();
    assert_eq!(out, FILE, "the first ten bytes are not written twice");
    assert!(!done.resumed);
    assert_eq!(done.written, 26);
}

#[tokio::test]
async fn a_complete_file_answers_416_and_is_done() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(416).insert_header("content-range", "bytes */36"))
        .mount(&server)
        .await;
    let mut out = FILE.to_vec();
    let mut d = dl(2_000);
    d.resume_from = 36;
    let (r, _) = run_download(&server.uri(), &d, &mut out).await;
    let done = r.unwrap();
    assert_eq!(
        (done.written, done.total, done.resumed),
        (0, Some(36), true)
    );
    assert_eq!(out, FILE);
}

#[tokio::test]
async fn a_stalled_download_ends_after_the_idle_timeout_and_keeps_what_came() {
    let base = scripted_server(vec![
        (
            Duration::ZERO,
            b"HTTP/1.1 200 OK\r\nContent-Length: 36\r\n\r\n0123456789".to_vec(),
        ),
        (
            Duration::from_secs(30),
            b"abcdefghijklmnopqrstuvwxyz".to_vec(),
        ),
    ]);
    let mut out = Vec::new();
    let started = Instant::now();
    let (r, _) = run_download(&base, &dl(800), &mut out).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    let err = r.unwrap_err();
    assert!(matches!(err, HttpError::Idle { .. }), "{err:?}");
    assert!(err.to_string().contains("run again to resume"), "{err}");
    assert_eq!(out, b"0123456789");
}

#[tokio::test]
async fn a_download_that_ends_early_or_is_refused_is_an_error() {
    let base = scripted_server(vec![(
        Duration::ZERO,
        b"HTTP/1.1 200 OK\r\nContent-Length: 36\r\nConnection: close\r\n\r\n0123456789".to_vec(),
    )]);
    let mut out = Vec::new();
    let (r, _) = run_download(&base, &dl(2_000), &mut out).await;
    assert!(r.is_err(), "{r:?}");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let (r, _) = run_download(&server.uri(), &dl(2_000), &mut Vec::new()).await;
    assert_eq!(
        r.unwrap_err(),
        HttpError::Status {
            host: host_of(&server.uri()),
            status: 404
        }
    );

    let mut capped = dl(2_000);
    capped.max_bytes = Some(20);
    let big = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(FILE))
        .mount(&big)
        .await;
    let (r, _) = run_download(&big.uri(), &capped, &mut Vec::new()).await;
    assert!(
        matches!(r, Err(HttpError::TooLarge { limit: 20, .. })),
        "{r:?}"
    );
}
