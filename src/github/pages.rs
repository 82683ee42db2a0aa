//! Pagination over octocrab's [`Page`] and its `next` links, and the
//! conditional GET octocrab lacks.

use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue, ETAG, IF_NONE_MATCH};
use http::StatusCode;
use http_body_util::{BodyExt, Full};
use octocrab::{FromResponse, Octocrab, Page};
use serde::de::DeserializeOwned;

use super::{Call, GitHub, GitHubError, Result};

/// Pages followed at most in one walk (mastodon/mastodon has ~400 of 100).
const MAX_PAGES: usize = 2_000;

/// What a conditional GET gave.
pub(super) enum Conditional {
    /// 304: nothing changed since the ETag sent.
    NotModified,
    /// A success, read whole.
    Fresh {
        head: http::response::Parts,
        body: Bytes,
    },
}

impl Conditional {
    /// The answer's ETag.
    pub(super) fn etag(head: &http::response::Parts) -> Option<String> {
        head.headers
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

impl GitHub {
    /// GET `route` with `If-None-Match: etag` when given (octocrab's
    /// builders cannot send it; a 304 costs no rate limit). Errors as
    /// octocrab reports them, mapped for `call`.
    pub(super) async fn conditional(
        &self,
        crab: &Octocrab,
        route: &str,
        etag: Option<&str>,
        call: &Call<'_>,
    ) -> Result<Conditional> {
        let mut headers = HeaderMap::new();
        if let Some(v) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
            headers.insert(IF_NONE_MATCH, v);
        }
        let resp = crab
            ._get_with_headers(route, Some(headers))
            .await
            .map_err(|e| self.fail(call, e))?;
        if resp.status() == StatusCode::NOT_MODIFIED && etag.is_some() {
            return Ok(Conditional::NotModified);
        }
        let resp = octocrab::map_github_error(resp)
            .await
            .map_err(|e| self.fail(call, e))?;
        let (head, body) = resp.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| self.fail(call, e))?
            .to_bytes();
        Ok(Conditional::Fresh { head, body })
    }

    /// A list endpoint's answer as octocrab's [`Page`] (items and links).
    /// The answer must be a JSON array: octocrab would also take an object
    /// holding `items`, which a list endpoint never sends.
    pub(super) async fn list_page<T: DeserializeOwned>(
        &self,
        head: http::response::Parts,
        body: Bytes,
        call: &Call<'_>,
    ) -> Result<Page<T>> {
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'[') {
            let detail = if serde_json::from_slice::<serde_json::Value>(&body).is_ok() {
                "the JSON has the wrong shape (a list was expected)"
            } else {
                "it is not JSON"
            };
            return Err(self.malformed(call, detail.to_string()));
        }
        let body = Full::new(body).map_err(|never| match never {}).boxed();
        Page::<T>::from_response(http::Response::from_parts(head, body))
            .await
            .map_err(|e| self.fail(call, e))
    }

    /// The items of `first` and of the pages its `next` links lead to, kept
    /// by `keep`, until `limit` are kept or the links end (or loop, or pass
    /// [`MAX_PAGES`]). A failing later page ends the walk: what was kept
    /// comes back with the error.
    pub(super) async fn follow_pages<T, U>(
        &self,
        crab: &Octocrab,
        first: Page<T>,
        call: &Call<'_>,
        limit: usize,
        mut keep: impl FnMut(T) -> Option<U>,
    ) -> (Vec<U>, Option<GitHubError>)
    where
        T: DeserializeOwned,
    {
        let mut kept = Vec::new();
        let mut page = first;
        let mut seen = 1usize;
        let mut previous: Option<http::Uri> = None;
        loop {
            // A page may hold only pull requests and so add nothing: only
            // the absence of a next link ends the walk.
            kept.extend(page.take_items().into_iter().filter_map(&mut keep));
            let Some(next) = page.next.take() else { break };
            if kept.len() >= limit || seen >= MAX_PAGES || previous.as_ref() == Some(&next) {
                break;
            }
            if !self.same_origin(&next) {
                let e = self.malformed(call, "its Link header points to another host".into());
                return (kept, Some(e));
            }
            match crab.get_page::<T>(&Some(next.clone())).await {
                Ok(Some(p)) => page = p,
                Ok(None) => break,
                Err(e) => return (kept, Some(self.fail(call, e))),
            }
            seen += 1;
            previous = Some(next);
        }
        (kept, None)
    }
}
