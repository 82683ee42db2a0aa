//! Where the model comes from: `embed::fetch` against loopback hubs that
//! serve a tiny BERT this test builds (with its own hashes in place of the
//! pinned ones), and `preflight model fetch|status` end to end.

use crate::support::{fixture, preflight};
use issue_preflight::embed::pinned;
use std::path::{Path, PathBuf};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Where the hub serves `name` of the pinned repository and revision.
fn hub_path(name: &str) -> String {
    format!("/{}/resolve/{}/{name}", pinned::REPO_ID, pinned::REVISION)
}

/// `preflight` with its own cache and `PREFLIGHT_HF_ENDPOINT` at `endpoint`.
fn model_cmd(cache: &Path, endpoint: &str) -> assert_cmd::Command {
    let mut cmd = preflight();
    cmd.env_remove("PREFLIGHT_MODEL")
        .env_remove("HF_ENDPOINT")
        .env("PREFLIGHT_HF_ENDPOINT", endpoint)
        .env("PREFLIGHT_CACHE_DIR", cache);
    cmd
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(mut cmd: assert_cmd::Command, args: &[&str]) -> Ran {
    let out = cmd.args(args).output().unwrap();
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

// ----- the command line, with the pinned hashes ------------------------------

#[test]
fn status_of_an_empty_cache_says_there_is_none_and_how_to_get_it() {
    let cache = tempfile::tempdir().unwrap();
    let ran = run(
        model_cmd(cache.path(), "http://127.0.0.1:9"),
        &["model", "status"],
    );
    assert_eq!(ran.code, Some(1), "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains(pinned::REVISION), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("(the cache): not there"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("usable: no"), "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("fix: run `preflight model fetch` (87.1 MB from 127.0.0.1:9)"),
        "{}",
        ran.stdout
    );
    // Looking is not fetching: nothing was made.
    assert!(files_in(cache.path()).is_empty());
}

#[test]
fn status_of_an_explicit_folder_names_each_file_and_the_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("model/config.json"), dir.path().join("config.json")).unwrap();
    std::fs::write(dir.path().join("tokenizer.json"), "{}").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let mut cmd = model_cmd(cache.path(), "http://127.0.0.1:9");
    cmd.arg("--model").arg(dir.path());
    let ran = run(cmd, &["model", "status"]);
    assert_eq!(ran.code, Some(1), "{}{}", ran.stdout, ran.stderr);
    let line = |name: &str| -> String {
        ran.stdout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("no {name} line:\n{}", ran.stdout))
            .to_string()
    };
    assert!(
        ran.stdout.contains(&format!(
            "folder  {} (--model or PREFLIGHT_MODEL)",
            dir.path().display()
        )),
        "{}",
        ran.stdout
    );
    let config = line("config.json");
    assert!(
        config.starts_with("ok") && config.contains("612 bytes") && config.contains("953f9c0d4634"),
        "{config}"
    );
    let tokenizer = line("tokenizer.json");
    assert!(
        tokenizer.starts_with("fail")
            && tokenizer.contains("mismatch")
            && tokenizer.contains(pinned::TOKENIZER.sha256),
        "{tokenizer}"
    );
    let weights = line("model.safetensors");
    assert!(
        weights.starts_with("fail") && weights.contains("missing (86.7 MB expected)"),
        "{weights}"
    );
    assert!(
        ran.stdout.contains(&format!(
            "fix: run `preflight model fetch` to fill {}",
            dir.path().display()
        )),
        "{}",
        ran.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fetch_of_a_file_the_hub_lacks_fails_with_exit_3_naming_it() {
    let hub = MockServer::start().await; // every path is a 404
    let cache = tempfile::tempdir().unwrap();
    let (c, uri) = (cache.path().to_path_buf(), hub.uri());
    let ran = tokio::task::spawn_blocking(move || run(model_cmd(&c, &uri), &["model", "fetch"]))
        .await
        .unwrap();
    assert_eq!(ran.code, Some(3), "{}{}", ran.stdout, ran.stderr);
    let err = ran.stderr.trim();
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("has no config.json")
            && err.contains("HTTP 404")
            && err.contains(pinned::REVISION),
        "{err}"
    );
    let dir = issue_preflight::embed::cache_path(cache.path());
    assert!(files_in(&dir).is_empty(), "{:?}", files_in(&dir));
}

#[tokio::test(flavor = "multi_thread")]
async fn fetch_refuses_a_file_that_is_not_the_pinned_one() {
    let hub = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(hub_path("config.json")))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"model_type\": \"bert\"}"))
        .mount(&hub)
        .await;
    let cache = tempfile::tempdir().unwrap();
    let (c, uri) = (cache.path().to_path_buf(), hub.uri());
    let ran = tokio::task::spawn_blocking(move || run(model_cmd(&c, &uri), &["model", "fetch"]))
        .await
        .unwrap();
    // Exit 3: what came over the network is wrong, not what was typed.
    assert_eq!(ran.code, Some(3), "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stderr.contains("config.json from 127.0.0.1")
            && ran.stderr.contains("is not the pinned file")
            && ran.stderr.contains(pinned::CONFIG.sha256)
            && ran.stderr.contains("it was deleted"),
        "{}",
        ran.stderr
    );
    let dir = issue_preflight::embed::cache_path(cache.path());
    assert!(files_in(&dir).is_empty(), "kept: {:?}", files_in(&dir));
    // Nothing more was asked once the first file was refused.
    assert_eq!(hub.received_requests().await.unwrap().len(), 1);
}

/// The real model through the command line, when `PREFLIGHT_MODEL` names
/// it (CI): the weights and tokenizer already in the cache are checked and
/// kept, config.json is downloaded, and `model status` then says usable.
#[tokio::test(flavor = "multi_thread")]
async fn fetch_with_the_real_model_fills_the_cache_and_status_says_usable() {
    let Some(real) = real_model() else { return };
    let hub = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(hub_path("config.json")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(std::fs::read(real.join("config.json")).unwrap()),
        )
        .expect(1)
        .mount(&hub)
        .await;
    let cache = tempfile::tempdir().unwrap();
    let dir = issue_preflight::embed::cache_path(cache.path());
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["tokenizer.json", "model.safetensors"] {
        std::fs::copy(real.join(name), dir.join(name)).unwrap();
    }
    let (c, uri) = (cache.path().to_path_buf(), hub.uri());
    let (fetched, status) = tokio::task::spawn_blocking(move || {
        (
            run(model_cmd(&c, &uri), &["model", "fetch"]),
            run(model_cmd(&c, &uri), &["model", "status"]),
        )
    })
    .await
    .unwrap();
    assert_eq!(
        fetched.code,
        Some(0),
        "{}{}",
        fetched.stdout,
        fetched.stderr
    );
    assert!(
        fetched.stdout.contains("config.json")
            && fetched.stdout.contains("downloaded from 127.0.0.1")
            && fetched.stdout.contains("already there"),
        "{}",
        fetched.stdout
    );
    assert!(
        fetched.stdout.contains(&format!("is in {}", dir.display())),
        "{}",
        fetched.stdout
    );
    // Not a terminal: no progress bar.
    assert!(fetched.stderr.is_empty(), "{}", fetched.stderr);
    assert_eq!(status.code, Some(0), "{}{}", status.stdout, status.stderr);
    assert!(status.stdout.contains("usable: yes"), "{}", status.stdout);
    assert_eq!(
        files_in(&dir),
        ["config.json", "model.safetensors", "tokenizer.json"]
    );
}

/// The real model's folder from `PREFLIGHT_MODEL`, or a skip.
fn real_model() -> Option<PathBuf> {
    match std::env::var_os("PREFLIGHT_MODEL").map(PathBuf::from) {
        Some(d) if d.join(pinned::WEIGHTS_FILE).is_file() => Some(d),
        _ => {
            crate::support::skip("PREFLIGHT_MODEL does not name the real model");
            None
        }
    }
}

// ----- the library, with the tiny BERT -----------------------------------------

#[cfg(feature = "embed")]
mod tiny {
    use super::*;
    use issue_preflight::embed::testing::tiny_bert;
    use issue_preflight::embed::{
        cache_path, fetch, sha256_file, status_of, Embedder, ExpectedFile, FetchError, FetchEvent,
        How, Source,
    };
    use issue_preflight::http::Http;
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    use wiremock::Request;

    /// The tiny model's files: bytes and expected hashes, in fetch order.
    struct Tiny {
        _dir: tempfile::TempDir,
        files: Vec<(String, Vec<u8>)>,
        expected: Vec<ExpectedFile>,
    }

    fn tiny() -> Tiny {
        let dir = tiny_bert();
        let mut files = Vec::new();
        let mut expected = Vec::new();
        for name in ["config.json", "tokenizer.json", "model.safetensors"] {
            let path = dir.path().join(name);
            let (size, sha256) = sha256_file(&path).unwrap();
            files.push((name.to_string(), std::fs::read(&path).unwrap()));
            expected.push(ExpectedFile {
                name: name.into(),
                sha256,
                size,
            });
        }
        Tiny {
            _dir: dir,
            files,
            expected,
        }
    }

    impl Tiny {
        fn source(&self, endpoint: &str) -> Source {
            Source {
                files: self.expected.clone(),
                ..Source::pinned().with_endpoint(endpoint)
            }
        }

        fn bytes(&self, name: &str) -> &[u8] {
            &self.files.iter().find(|(n, _)| n == name).unwrap().1
        }
    }

    /// A hub serving the tiny files as huggingface.co does: the large one
    /// through a redirect to another path (its CDN).
    async fn hub(model: &Tiny) -> MockServer {
        let server = MockServer::start().await;
        for (name, bytes) in &model.files {
            if name == "model.safetensors" {
                Mock::given(method("GET"))
                    .and(path(hub_path(name)))
                    .respond_with(
                        ResponseTemplate::new(302)
                            .insert_header("location", "/cdn/lfs/model-object"),
                    )
                    .mount(&server)
                    .await;
                Mock::given(method("GET"))
                    .and(path("/cdn/lfs/model-object"))
                    .respond_with(ResponseTemplate::new(200).set_body_bytes(bytes.clone()))
                    .mount(&server)
                    .await;
            } else {
                Mock::given(method("GET"))
                    .and(path(hub_path(name)))
                    .respond_with(ResponseTemplate::new(200).set_body_bytes(bytes.clone()))
                    .mount(&server)
                    .await;
            }
        }
        server
    }

    async fn fetch_into(
        source: &Source,
        dir: &Path,
    ) -> Result<issue_preflight::embed::Fetched, FetchError> {
        fetch(Http::shared(), source, dir, &mut |_| {}).await
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn fetches_checks_and_loads_then_downloads_nothing_again() {
        let model = tiny();
        let server = hub(&model).await;
        let cache = tempfile::tempdir().unwrap();
        let dir = cache_path(cache.path());
        let source = model.source(&server.uri());

        let mut events = Vec::new();
        let done = fetch(Http::shared(), &source, &dir, &mut |e| {
            events.push(format!("{e:?}"))
        })
        .await
        .unwrap();
        assert_eq!(done.dir, dir);
        for (f, want) in done.files.iter().zip(&model.expected) {
            assert_eq!(
                (&f.name, f.size, &f.sha256),
                (&want.name, want.size, &want.sha256)
            );
            assert_eq!(
                f.how,
                How::Downloaded {
                    resumed_at: 0,
                    received: want.size
                }
            );
        }
        let total: u64 = model.expected.iter().map(|f| f.size).sum();
        assert_eq!(done.received(), total);
        assert!(events.contains(&format!(
            "{:?}",
            FetchEvent::Plan {
                bytes: total,
                held: 0
            }
        )));
        assert!(events.contains(&format!("{:?}", FetchEvent::Progress { done: total })));

        // In place, checked, nothing half-written left, and it loads.
        assert_eq!(
            files_in(&dir),
            ["config.json", "model.safetensors", "tokenizer.json"]
        );
        assert!(status_of(&dir, &model.expected).is_ok());
        let found = issue_preflight::embed::locate(None, cache.path()).unwrap();
        assert_eq!(found.path, dir);
        let embedder = Embedder::load(&found.path).unwrap();
        assert_eq!(embedder.embed(&["the server"]).unwrap().len(), 1);

        // Again: every file is checked and kept, none asked for.
        let asked = server.received_requests().await.unwrap().len();
        let again = fetch_into(&source, &dir).await.unwrap();
        assert!(again.files.iter().all(|f| f.how == How::AlreadyThere));
        assert_eq!(again.received(), 0);
        assert_eq!(server.received_requests().await.unwrap().len(), asked);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_file_with_another_hash_is_refused_and_not_kept() {
        let model = tiny();
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(hub_path("config.json")))
            .respond_with(
                ResponseTemplate::new(200).set_body_bytes(model.bytes("config.json").to_vec()),
            )
            .mount(&server)
            .await;
        // A tokenizer of the right size whose last byte differs.
        let mut bad = model.bytes("tokenizer.json").to_vec();
        *bad.last_mut().unwrap() ^= 0x20;
        Mock::given(method("GET"))
            .and(path(hub_path("tokenizer.json")))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(bad.clone()))
            .mount(&server)
            .await;
        let cache = tempfile::tempdir().unwrap();
        let dir = cache_path(cache.path());
        let err = fetch_into(&model.source(&server.uri()), &dir)
            .await
            .unwrap_err();
        let msg = err.to_string();
        match &err {
            FetchError::Mismatch {
                name,
                expected,
                actual,
                ..
            } => {
                assert_eq!(name, "tokenizer.json");
                assert_eq!(expected, &model.expected[1].sha256);
                assert_ne!(actual, expected);
                assert!(
                    msg.contains(expected.as_str()) && msg.contains(actual.as_str()),
                    "{msg}"
                );
            }
            other => panic!("expected a mismatch, got {other:?}"),
        }
        assert!(err.is_network());
        // The good file stays; the bad one is gone, half-written copy included.
        assert_eq!(files_in(&dir), ["config.json"]);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_404_names_the_file_and_the_revision() {
        let model = tiny();
        let server = MockServer::start().await;
        let cache = tempfile::tempdir().unwrap();
        let err = fetch_into(&model.source(&server.uri()), &cache_path(cache.path()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, FetchError::NotThere { status: 404, .. }),
            "{err:?}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains("config.json") && msg.contains(pinned::REVISION) && msg.contains("404"),
            "{msg}"
        );
        assert!(err.is_network());
    }

    /// The requests a hub saw: `(path, Range header)`.
    type Asked = Arc<Mutex<Vec<(String, Option<String>)>>>;

    /// A hub on loopback that serves `files`, honours `Range: bytes=N-`
    /// with a 206, and cuts its first answer for `cut` after half of the
    /// body (headers promising all of it). Gives its base URL and the
    /// requests as `(path, Range header)`.
    fn cutting_hub(files: Vec<(String, Vec<u8>)>, cut: &'static str) -> (String, Asked) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log: Asked = Arc::default();
        let seen = log.clone();
        std::thread::spawn(move || {
            let mut cut_done = false;
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { return };
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let range = head
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("range:"))
                    .map(|l| l[6..].trim().to_string());
                seen.lock().unwrap().push((target.clone(), range.clone()));
                let name = target.rsplit('/').next().unwrap_or("");
                let Some((_, body)) = files
                    .iter()
                    .find(|(n, _)| *n == name && target == hub_path(n))
                else {
                    let _ = s.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    continue;
                };
                let len = body.len();
                let from = range
                    .as_deref()
                    .and_then(|r| r.strip_prefix("bytes="))
                    .and_then(|r| r.strip_suffix('-'))
                    .and_then(|n| n.parse::<usize>().ok());
                let (status, part) = match from {
                    Some(n) if n < len => (
                        format!(
                            "206 Partial Content\r\nContent-Range: bytes {n}-{}/{len}",
                            len - 1
                        ),
                        &body[n..],
                    ),
                    _ => ("200 OK".to_string(), &body[..]),
                };
                let header = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    part.len()
                );
                let _ = s.write_all(header.as_bytes());
                if name == cut && !cut_done {
                    cut_done = true;
                    let _ = s.write_all(&part[..part.len() / 2]);
                    let _ = s.flush();
                    let _ = s.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let _ = s.write_all(part);
            }
        });
        (base, log)
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_interrupted_download_continues_with_range_on_the_next_run() {
        let model = tiny();
        let (base, log) = cutting_hub(model.files.clone(), "model.safetensors");
        let source = model.source(&base);
        let cache = tempfile::tempdir().unwrap();
        let dir = cache_path(cache.path());
        let size = model.expected[2].size;

        let err = fetch_into(&source, &dir).await.unwrap_err();
        assert!(matches!(err, FetchError::Http { .. }), "{err:?}");
        assert!(err.is_network());
        assert!(err.to_string().contains("model.safetensors"), "{err}");
        // The two small files are in place; half of the weights wait.
        assert_eq!(
            files_in(&dir),
            ["config.json", "model.safetensors.part", "tokenizer.json"]
        );
        let held = std::fs::metadata(dir.join("model.safetensors.part"))
            .unwrap()
            .len();
        assert!(held > 0 && held < size, "{held} of {size}");
        let st = status_of(&dir, &model.expected);
        assert_eq!(
            st.files[2].state,
            issue_preflight::embed::FileState::Partial { held }
        );

        let done = fetch_into(&source, &dir).await.unwrap();
        assert_eq!(done.files[0].how, How::AlreadyThere);
        assert_eq!(done.files[1].how, How::AlreadyThere);
        assert_eq!(
            done.files[2].how,
            How::Downloaded {
                resumed_at: held,
                received: size - held
            }
        );
        let asked = log.lock().unwrap().clone();
        let last = asked.last().unwrap();
        assert_eq!(last.0, hub_path("model.safetensors"));
        assert_eq!(last.1.as_deref(), Some(format!("bytes={held}-").as_str()));
        assert!(status_of(&dir, &model.expected).is_ok());
        Embedder::load(&dir).unwrap();
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_hub_that_ignores_range_is_read_from_the_start() {
        let model = tiny();
        let server = hub(&model).await;
        let source = model.source(&server.uri());
        let cache = tempfile::tempdir().unwrap();
        let dir = cache_path(cache.path());
        std::fs::create_dir_all(&dir).unwrap();
        let weights = model.bytes("model.safetensors");
        let held = 1000u64;
        std::fs::write(
            dir.join("model.safetensors.part"),
            &weights[..held as usize],
        )
        .unwrap();

        let done = fetch_into(&source, &dir).await.unwrap();
        assert_eq!(
            done.files[2].how,
            How::Downloaded {
                resumed_at: held,
                received: weights.len() as u64 - held
            }
        );
        assert!(status_of(&dir, &model.expected).is_ok());
        let asked = server.received_requests().await.unwrap();
        let ranged: Vec<&Request> = asked
            .iter()
            .filter(|r| r.headers.get("range").is_some())
            .collect();
        assert_eq!(
            ranged.len(),
            2,
            "the redirect and the CDN were both asked for the rest"
        );
        assert_eq!(ranged[0].headers.get("range").unwrap(), "bytes=1000-");

        // A `.part` whose bytes are not the file's start: refused once,
        // deleted, and the next run starts over and succeeds.
        std::fs::remove_file(dir.join("model.safetensors")).unwrap();
        std::fs::write(dir.join("model.safetensors.part"), vec![0u8; 1000]).unwrap();
        let err = fetch_into(&source, &dir).await.unwrap_err();
        assert!(matches!(err, FetchError::Mismatch { .. }), "{err:?}");
        assert!(!dir.join("model.safetensors.part").exists());
        let done = fetch_into(&source, &dir).await.unwrap();
        assert_eq!(
            done.files[2].how,
            How::Downloaded {
                resumed_at: 0,
                received: weights.len() as u64
            }
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_part_longer_than_the_file_is_dropped_and_a_larger_file_refused() {
        let model = tiny();
        let server = hub(&model).await;
        let cache = tempfile::tempdir().unwrap();
        let dir = cache_path(cache.path());
        std::fs::create_dir_all(&dir).unwrap();
        let size = model.expected[0].size as usize;
        std::fs::write(dir.join("config.json.part"), vec![b' '; size + 10]).unwrap();
        let mut source = model.source(&server.uri());
        let done = fetch_into(&source, &dir).await.unwrap();
        assert_eq!(
            done.files[0].how,
            How::Downloaded {
                resumed_at: 0,
                received: size as u64
            }
        );

        // The hub's file is larger than expected: refused at its headers.
        std::fs::remove_file(dir.join("config.json")).unwrap();
        source.files[0].size -= 1;
        let err = fetch_into(&source, &dir).await.unwrap_err();
        assert!(err.to_string().contains("config.json"), "{err}");
        assert!(!dir.join("config.json").exists());
        assert!(!dir.join("config.json.part").exists());
    }
}

// ----- the Action ------------------------------------------------------------

#[test]
fn the_action_caches_and_fetches_the_model_unless_turned_off() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let a: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let input = &a["inputs"]["model"];
    assert_eq!(input["default"].as_str(), Some("true"));
    assert!(input["description"].as_str().unwrap().contains("`false`"));

    let steps = a["runs"]["steps"].as_sequence().unwrap();
    let at = |id: &str| {
        steps
            .iter()
            .position(|s| s["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no step {id}"))
    };
    let save = steps
        .iter()
        .position(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache/save@"))
        })
        .expect("a step saving the model");
    let key = format!("issue-preflight-model-{}", pinned::REVISION);
    for i in [at("model"), at("model-cache"), at("model-fetch"), save] {
        let cond = steps[i]["if"].as_str().unwrap_or("");
        assert!(cond.contains("inputs.model != 'false'"), "step {i}: {cond}");
    }
    let restore = &steps[at("model-cache")];
    assert!(restore["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/cache/restore@"));
    for step in [restore, &steps[save]] {
        assert_eq!(step["with"]["key"].as_str(), Some(key.as_str()));
        assert_eq!(
            step["with"]["path"].as_str(),
            Some("${{ steps.model.outputs.dir }}")
        );
    }
    // Saved only after a fetch that succeeded, so a half download is never
    // cached for good.
    let cond = steps[save]["if"].as_str().unwrap();
    assert!(
        cond.contains("steps.model-fetch.outputs.dir != ''")
            && cond.contains("steps.model-cache.outputs.cache-hit != 'true'"),
        "{cond}"
    );
    let fetch = &steps[at("model-fetch")];
    assert!(fetch["run"].as_str().unwrap().contains("model fetch"));
    assert_eq!(
        fetch["env"]["PREFLIGHT_MODEL"].as_str(),
        Some("${{ steps.model.outputs.dir }}")
    );
    let check = &steps[at("check")];
    assert!(at("model-fetch") < save && save < at("check"));
    assert_eq!(
        check["env"]["PREFLIGHT_MODEL"].as_str(),
        Some("${{ steps.model-fetch.outputs.dir }}")
    );
}
