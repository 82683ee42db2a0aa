use super::args::{Global, SimpleFormat, TriageArgs};
use super::common::read_document;
use super::{w, Io};
use crate::checks::triage_input;
use crate::error::{exit, Error};
use crate::triage::{triage, Redirect};

pub fn run(global: &Global, args: TriageArgs, io: &mut Io<'_>) -> Result<i32, Error> {
    let (_, doc) = read_document(global, &args.input)?;
    let t = triage(&triage_input(&doc));
    let redirect = t.redirect();
    match args.format {
        SimpleFormat::Json => {
            let json = serde_json::json!({
                "verdict": t.verdict,
                "confidence": round(t.confidence),
                "reasons": t.reasons,
                "redirect": redirect,
            });
            w(
                io.out,
                serde_json::to_string_pretty(&json).expect("plain data"),
            )?;
        }
        SimpleFormat::Human => {
            w(
                io.out,
                format!(
                    "{} (confidence {:.2})",
                    io.style.bold(t.verdict.as_str()),
                    t.confidence
                ),
            )?;
            for r in &t.reasons {
                w(io.out, crate::report::reason_line(r))?;
            }
            let advice = match redirect {
                Some(Redirect::InstanceAdmin) => {
                    "This belongs with the reporter's own server admin, not the tracker; `preflight contact DOMAIN` finds them."
                }
                Some(Redirect::Discussions) => {
                    "This is a question: ask it in the repository's Discussions."
                }
                Some(Redirect::Security) => {
                    "This may be a vulnerability: report it privately (SECURITY.md), never in a public issue."
                }
                None => "This belongs on the tracker.",
            };
            w(io.out, advice)?;
        }
    }
    Ok(if redirect.is_some() {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}

pub(crate) fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
