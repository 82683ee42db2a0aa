use super::args::{Global, SimpleFormat, TriageArgs};
use super::common::{read_document, services};
use super::render::{reason_line, round};
use super::{findings_code, w, Io, Outcome};
use issue_preflight::checks::triage::Redirect;
use issue_preflight::checks::Checks;
use issue_preflight::decision::decide;

pub fn run(global: &Global, args: TriageArgs, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    let (set, doc) = read_document(&services, &args.input, io)?;
    let checks = Checks::local(&services, &set, &doc);
    for note in &checks.notes {
        io.note(note)?;
    }
    // The verdict's own place, and whether the decision would act on it
    // alone (the drafter asks first when it would not).
    let redirect = checks.triage.redirect();
    let acted = decide(&checks, services.policy()).redirect.is_some();
    let t = checks.triage;
    match args.format {
        SimpleFormat::Json => {
            let json = serde_json::json!({
                "verdict": t.verdict,
                "confidence": round(t.confidence),
                "reasons": t.reasons,
                "redirect": redirect,
                "sure": acted,
                "scores": t.scores.iter().map(|(v, p)| (v.as_str().to_string(), serde_json::json!(round(*p)))).collect::<serde_json::Map<_, _>>(),
                "embedded": t.embedded,
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
                w(io.out, reason_line(r))?;
            }
            let advice = match redirect {
                Some(Redirect::InstanceAdmin) if acted => {
                    "This belongs with the reporter's own server admin, not the tracker; `preflight contact DOMAIN` finds them."
                }
                Some(Redirect::InstanceAdmin) => {
                    "This may be for the reporter's own server admin rather than the tracker, but the text alone cannot settle it: does it happen on other servers too? (`preflight draft` asks.)"
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
    Ok(findings_code(redirect.is_some()))
}
