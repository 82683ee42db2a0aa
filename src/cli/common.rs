//! What the commands share: the run's services from the global options,
//! and the FILE that `lint`, `triage` and `dupes` read.

use super::args::{Global, InputArgs};
use super::{Failure, Io};
use issue_preflight::draft::Document;
use issue_preflight::files::read_input;
use issue_preflight::form::FormSet;
use issue_preflight::repo::Repo;
use issue_preflight::services::{Services, Settings};
use issue_preflight::text::printable;
use issue_preflight::Error;

pub fn repo(global: &Global) -> Repo {
    global.repo.clone().unwrap_or_else(Repo::mastodon)
}

pub fn settings(global: &Global) -> Result<Settings, Error> {
    let mut s = Settings::new(repo(global), global.cache_dir.clone())?;
    s.templates = global.templates.clone();
    s.model = global.model.clone();
    Ok(s)
}

/// The run's services: one runtime and one GitHub client, made when first
/// needed.
pub fn services(global: &Global) -> Result<Services, Error> {
    Ok(Services::new(settings(global)?))
}

/// The FILE of `lint`, `triage` and `dupes`, read against the forms in use
/// (`--verbose` says where they came from).
pub fn read_document(
    services: &Services,
    input: &InputArgs,
    io: &mut Io<'_>,
) -> Result<(FormSet, Document), Failure> {
    let forms = services.forms(false)?;
    io.info(format_args!(
        "forms: {} from the {}",
        forms.set.forms.len(),
        printable(&forms.set.origin.to_string())
    ))?;
    let set = forms.set;
    let text = read_input(&input.file)?;
    let doc = Document::read(
        &set,
        &text,
        &display_name(&input.file),
        input.template.as_deref(),
        input.title.as_deref(),
    )?;
    Ok((set, doc))
}

/// How a FILE argument is named in messages.
pub fn display_name(file: &str) -> String {
    if file == "-" {
        "<stdin>".into()
    } else {
        file.to_string()
    }
}
