//! `preflight submit FILE`: the scripted drafter on a draft file, or on a
//! draft the drafter saved.

use super::args::{Global, SubmitArgs};
use super::common::{display_name, services};
use super::{draft, Io, Outcome};
use issue_preflight::act::{Session, Start};
use issue_preflight::files::read_input;

pub fn run(global: &Global, args: SubmitArgs, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    let text = read_input(&args.file)?;
    let forms = services.forms(false)?.set;
    let start = Start {
        template: None,
        instance: args.instance,
        handle: None,
    };
    let s = Session::from_draft_text(&services, forms, &text, &display_name(&args.file), &start)?;
    draft::scripted(&services, s, args.web, io)
}
