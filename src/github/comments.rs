//! Comments on an issue, for the Action's one comment.

use octocrab::models::issues::Comment as GhComment;
use serde_json::json;

use super::models::Comment;
use super::{issue_path, path, GitHub, Result};
use crate::repo::Repo;

impl GitHub {
    /// Every comment on issue `number`, oldest first.
    pub async fn list_comments(&self, repo: &Repo, number: u64) -> Result<Vec<Comment>> {
        let route = issue_path(repo, number, &["comments"]);
        let action = format!("list the comments of {repo}#{number}");
        let not_found = format!("issue {repo}#{number}");
        let call = self.call("GET", &route, &action, &not_found);
        let crab = self.crab()?;
        let first = crab
            .issues(&repo.owner, &repo.name)
            .list_comments(number)
            .per_page(100u8)
            .send()
            .await
            .map_err(|e| self.fail(&call, e))?;
        let (comments, failed) = self
            .follow_pages(&crab, first, &call, usize::MAX, |c: GhComment| {
                Some(Comment::from(c))
            })
            .await;
        match failed {
            Some(e) => Err(e),
            None => Ok(comments),
        }
    }

    pub async fn create_comment(&self, repo: &Repo, number: u64, body: &str) -> Result<Comment> {
        let action = format!("comment on {repo}#{number}");
        self.require_token(&action)?;
        let route = issue_path(repo, number, &["comments"]);
        let not_found = format!("issue {repo}#{number}");
        let call = self.call("POST", &route, &action, &not_found);
        let crab = self.crab()?;
        crab.issues(&repo.owner, &repo.name)
            .create_comment(number, body)
            .await
            .map(Comment::from)
            .map_err(|e| self.fail(&call, e))
    }

    pub async fn update_comment(
        &self,
        repo: &Repo,
        comment_id: u64,
        body: &str,
    ) -> Result<Comment> {
        let action = format!("edit comment {comment_id} in {repo}");
        self.require_token(&action)?;
        let route = path(&[
            "repos",
            &repo.owner,
            &repo.name,
            "issues",
            "comments",
            &comment_id.to_string(),
        ]);
        let not_found = format!("comment {comment_id} in {repo}");
        let call = self.call("PATCH", &route, &action, &not_found);
        let crab = self.crab()?;
        // By hand: octocrab's `update_comment` sends POST; GitHub documents
        // PATCH (which may also be retried safely).
        crab.patch::<GhComment, _, _>(&route, Some(&json!({ "body": body })))
            .await
            .map(Comment::from)
            .map_err(|e| self.fail(&call, e))
    }
}
