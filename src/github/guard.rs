//! The one tower layer every GitHub request goes through, typed octocrab
//! calls included: octocrab has no overall deadline, no response-size cap,
//! no waiting on rate limits (its errors come after the fact) and no
//! retries of its own here, so this layer adds them.
//!
//! It sits inside octocrab's base-URI and auth-header layers, so it sees
//! the absolute address and the finished request, and:
//! - refuses any request that is not for the API's own scheme and host (the
//!   token is only ever sent there);
//! - gives each attempt an overall deadline covering connect, headers and
//!   the whole body, which it reads here under the size cap (so a server
//!   dripping one byte at a time cannot hold a command);
//! - waits out rate limits GitHub asks it to (`Retry-After`,
//!   `x-ratelimit-reset`) within the budget, else fails with the reset time;
//! - retries 5xx answers and dropped connections for idempotent requests,
//!   with back-off, within the same budget;
//! - follows same-origin redirects of GET requests (renamed repositories).
//!
//! Its refusals come back through octocrab as a [`Failure`] inside
//! `octocrab::Error::Service`, which [`super::GitHub`] turns into a
//! [`super::GitHubError`].

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Body;
use octocrab::OctoBody;
use tower::{Layer, Service};

use super::limit_headers;
use super::Options;
use crate::http::{describe_transport, human_duration, is_dns_failure};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Same-origin redirects followed at most for one request.
const MAX_REDIRECTS: u8 = 5;

/// Why the layer gave up on a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum Failure {
    /// No answer, a broken connection, or the deadline passed.
    #[error("{detail}")]
    Network { detail: String },
    /// The answer is larger than the cap.
    #[error("the answer is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// A rate limit longer than the budget allows to wait.
    #[error("rate limited until {reset_at}")]
    RateLimited { reset_at: u64, secondary: bool },
    /// 5xx, after the retries.
    #[error("HTTP {status} after {attempts} attempt(s)")]
    Server { status: u16, attempts: u32 },
    /// A request for another host than the API's.
    #[error("a request for {authority}, which is not the API host, was not sent")]
    ForeignHost { authority: String },
}

/// The API's scheme and authority, and the limits of [`Options`].
#[derive(Clone)]
pub(super) struct GuardLayer {
    shared: Arc<Shared>,
}

struct Shared {
    scheme: String,
    authority: String,
    /// `scheme://authority`, the key of [`stalled`].
    origin: String,
    options: Options,
}

impl GuardLayer {
    pub(super) fn new(base: &Uri, options: &Options) -> GuardLayer {
        let scheme = base.scheme_str().unwrap_or("https").to_ascii_lowercase();
        let authority = base
            .authority()
            .map(|a| a.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        GuardLayer {
            shared: Arc::new(Shared {
                origin: format!("{scheme}://{authority}"),
                scheme,
                authority,
                options: options.clone(),
            }),
        }
    }
}

impl<S> Layer<S> for GuardLayer {
    type Service = Guard<S>;

    fn layer(&self, inner: S) -> Guard<S> {
        Guard {
            inner,
            shared: self.shared.clone(),
        }
    }
}

#[derive(Clone)]
pub(super) struct Guard<S> {
    inner: S,
    shared: Arc<Shared>,
}

type GuardFuture = Pin<Box<dyn Future<Output = Result<Response<Full<Bytes>>, BoxError>> + Send>>;

impl<S, B> Service<Request<OctoBody>> for Guard<S>
where
    S: Service<Request<OctoBody>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: Body<Data = Bytes> + Send + Unpin + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<Full<Bytes>>;
    type Error = BoxError;
    type Future = GuardFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: Request<OctoBody>) -> GuardFuture {
        // The service polled ready is the one that goes; a clone stays.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let shared = self.shared.clone();
        Box::pin(async move {
            run(inner, req, &shared)
                .await
                .map_err(|f| Box::new(f) as BoxError)
        })
    }
}

/// How a request body can be sent again.
enum Replay {
    Empty,
    Copy(OctoBody),
    Never,
}

impl Replay {
    fn of(body: &OctoBody) -> Replay {
        if body.size_hint().exact() == Some(0) {
            Replay::Empty
        } else {
            body.try_clone().map_or(Replay::Never, Replay::Copy)
        }
    }

    fn body(&self) -> Option<OctoBody> {
        match self {
            Replay::Empty => Some(OctoBody::empty()),
            Replay::Copy(b) => b.try_clone(),
            Replay::Never => None,
        }
    }
}

/// Safe to send again after a 5xx or a dropped connection. POST is not
/// (a 502 can come after the issue was created), except adding labels,
/// which is harmless twice.
fn idempotent(method: &Method, path: &str) -> bool {
    match *method {
        Method::GET | Method::HEAD | Method::PUT | Method::PATCH | Method::DELETE => true,
        Method::POST => path.ends_with("/labels"),
        _ => false,
    }
}

async fn run<S, B>(
    mut inner: S,
    req: Request<OctoBody>,
    shared: &Shared,
) -> Result<Response<Full<Bytes>>, Failure>
where
    S: Service<Request<OctoBody>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    let opts = &shared.options;
    let (mut parts, body) = req.into_parts();
    check_origin(shared, &parts.uri)?;
    let replay = Replay::of(&body);
    let mut body = Some(body);
    let retry_failures = idempotent(&parts.method, parts.uri.path());
    let mut waited = Duration::ZERO;
    let mut attempt: u32 = 0;
    let mut redirects = 0u8;
    loop {
        attempt += 1;
        let retries_left = attempt <= opts.max_retries;
        let backoff = opts
            .backoff_base
            .saturating_mul(1u32 << (attempt - 1).min(16));
        let Some(this_body) = body.take().or_else(|| replay.body()) else {
            // Cannot happen for octocrab's bodies (JSON text or empty).
            return Err(Failure::Network {
                detail: "the request could not be sent again".to_string(),
            });
        };
        let request = Request::from_parts(parts.clone(), this_body);
        let deadline = deadline_for(shared);
        let exchange = async {
            std::future::poll_fn(|cx| inner.poll_ready(cx))
                .await
                .map_err(|e| broken(&e.into()))?;
            let resp = inner.call(request).await.map_err(|e| broken(&e.into()))?;
            let (head, body) = resp.into_parts();
            let bytes = read_capped(body, &head.headers, opts.max_response_bytes).await?;
            Ok::<_, Attempt>((head, bytes))
        };
        let (head, bytes) = match tokio::time::timeout(deadline, exchange).await {
            Err(_) => {
                mark_stalled(shared);
                return Err(Failure::Network {
                    detail: format!("no complete answer within {}", human_duration(deadline)),
                });
            }
            Ok(Err(Attempt::Stop(f))) => return Err(f),
            Ok(Err(Attempt::Broken { detail, retryable })) => {
                // One quick retry for a dropped connection.
                if retry_failures
                    && attempt == 1
                    && retryable
                    && waited + backoff <= opts.max_total_wait
                {
                    tokio::time::sleep(backoff).await;
                    waited += backoff;
                    continue;
                }
                return Err(Failure::Network { detail });
            }
            Ok(Ok(answer)) => answer,
        };
        let status = head.status.as_u16();

        if parts.method == Method::GET && is_redirect(status) && redirects < MAX_REDIRECTS {
            if let Some(next) = same_origin_location(shared, &parts.uri, &head.headers) {
                redirects += 1;
                attempt -= 1;
                parts.uri = next;
                continue;
            }
        }
        if status == 403 || status == 429 {
            let now = limit_headers::now_unix();
            let message = message_of(&bytes);
            if let Some(limit) =
                limit_headers::rate_limit(status, &head.headers, &message, now, opts.secondary_wait)
            {
                if retries_left && waited + limit.wait <= opts.max_total_wait {
                    tokio::time::sleep(limit.wait).await;
                    waited += limit.wait;
                    continue;
                }
                return Err(Failure::RateLimited {
                    reset_at: limit.reset_at,
                    secondary: limit.secondary,
                });
            }
        }
        if (500..600).contains(&status) {
            if retry_failures && retries_left {
                let wait = limit_headers::retry_after(&head.headers).unwrap_or(backoff);
                if waited + wait <= opts.max_total_wait {
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    continue;
                }
            }
            return Err(Failure::Server {
                status,
                attempts: attempt,
            });
        }
        return Ok(Response::from_parts(head, Full::new(bytes)));
    }
}

/// How one attempt failed before it had an answer.
enum Attempt {
    Stop(Failure),
    Broken { detail: String, retryable: bool },
}

/// A transport failure, described by its cause; worth one quick retry
/// unless the name did not resolve.
fn broken(err: &BoxError) -> Attempt {
    let err: &(dyn std::error::Error + 'static) = err.as_ref();
    if is_dns_failure(err) {
        return Attempt::Broken {
            detail: "the host name could not be resolved".to_string(),
            retryable: false,
        };
    }
    let detail = describe_transport(err);
    let retryable = detail != "the connection timed out";
    Attempt::Broken { detail, retryable }
}

fn check_origin(shared: &Shared, uri: &Uri) -> Result<(), Failure> {
    let scheme = uri.scheme_str().unwrap_or_default();
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    if scheme.eq_ignore_ascii_case(&shared.scheme)
        && authority.eq_ignore_ascii_case(&shared.authority)
    {
        Ok(())
    } else {
        Err(Failure::ForeignHost {
            authority: authority.to_string(),
        })
    }
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The `Location` of a redirect, when it stays on the API's origin.
fn same_origin_location(shared: &Shared, current: &Uri, headers: &HeaderMap) -> Option<Uri> {
    let location = headers.get(http::header::LOCATION)?.to_str().ok()?;
    let base = url::Url::parse(&current.to_string()).ok()?;
    let next = base.join(location.trim()).ok()?;
    let uri: Uri = next.as_str().parse().ok()?;
    check_origin(shared, &uri).ok().map(|()| uri)
}

/// GitHub's `{"message": …}` of an error answer, or the bare body.
fn message_of(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: Option<String>,
    }
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody { message: Some(m) }) => m,
        _ => String::from_utf8_lossy(body).into_owned(),
    }
}

async fn read_capped<B>(mut body: B, headers: &HeaderMap, max: u64) -> Result<Bytes, Attempt>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    let too_large = || Attempt::Stop(Failure::TooLarge { limit: max });
    if crate::http::content_length(headers).is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let mut buf: Vec<u8> = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| broken(&e.into()))?;
        if let Ok(data) = frame.into_data() {
            if (buf.len() + data.len()) as u64 > max {
                return Err(too_large());
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}

/// API hosts that let a request run into its deadline in this process.
fn stalled() -> &'static Mutex<Vec<String>> {
    static STALLED: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    STALLED.get_or_init(|| Mutex::new(Vec::new()))
}

fn mark_stalled(shared: &Shared) {
    let mut hosts = stalled().lock().unwrap_or_else(|p| p.into_inner());
    if !hosts.contains(&shared.origin) {
        hosts.push(shared.origin.clone());
    }
}

/// The deadline of the next attempt: [`Options::deadline`], or the shorter
/// [`Options::deadline_after_stall`] once the host has let a request run
/// into its deadline in this process (a command that makes several
/// requests then gives up in about one deadline, not one per request).
fn deadline_for(shared: &Shared) -> Duration {
    let opts = &shared.options;
    let hosts = stalled().lock().unwrap_or_else(|p| p.into_inner());
    if hosts.contains(&shared.origin) {
        opts.deadline.min(opts.deadline_after_stall)
    } else {
        opts.deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_verbs_and_label_additions_are_retried() {
        assert!(idempotent(&Method::GET, "/repos/o/r/issues"));
        assert!(idempotent(&Method::PATCH, "/repos/o/r/issues/comments/2"));
        assert!(idempotent(
            &Method::DELETE,
            "/repos/o/r/issues/1/labels/bug"
        ));
        assert!(idempotent(&Method::POST, "/repos/o/r/issues/1/labels"));
        assert!(!idempotent(&Method::POST, "/repos/o/r/issues"));
        assert!(!idempotent(&Method::POST, "/repos/o/r/issues/1/comments"));
    }

    #[test]
    fn requests_elsewhere_than_the_api_are_refused() {
        let layer = GuardLayer::new(
            &"https://api.github.com".parse().unwrap(),
            &Options::default(),
        );
        let ok: Uri = "https://API.github.com/repos/o/r".parse().unwrap();
        assert_eq!(check_origin(&layer.shared, &ok), Ok(()));
        for other in [
            "http://api.github.com/repos/o/r",
            "https://api.github.com:8443/x",
            "https://evil.example/x",
            "/relative",
        ] {
            let uri: Uri = other.parse().unwrap();
            assert!(check_origin(&layer.shared, &uri).is_err(), "{other}");
        }
    }
}
