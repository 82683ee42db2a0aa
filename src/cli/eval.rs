use super::args::EvalCommand;
use super::{w, Io, Outcome};
use issue_preflight::checks::Checks;
use issue_preflight::draft::Document;
use issue_preflight::eval::{corpus, dupes, triage};
use issue_preflight::form::FormSet;
use issue_preflight::Error;

pub fn run(cmd: EvalCommand, io: &mut Io<'_>) -> Outcome {
    match cmd {
        EvalCommand::Triage {
            corpus: path,
            misses,
        } => {
            let records = corpus::load(&path).map_err(|e| Error::input(&path, e.to_string()))?;
            let set = FormSet::embedded();
            let report = triage::evaluate(&records, |r| {
                let doc = Document::from_body(&set, &r.body, None, Some(&r.title))
                    .expect("a body without --template always reads");
                Checks::offline(&set, &doc).triage
            });
            w(
                io.out,
                format!("{} records from {}\n", records.len(), path.display()),
            )?;
            if misses {
                w(io.out, format!("{report:#}"))?;
            } else {
                w(io.out, &report)?;
            }
            Ok(0)
        }
        EvalCommand::Dupes { corpus: path } => {
            let records = corpus::load(&path).map_err(|e| Error::input(&path, e.to_string()))?;
            let report = dupes::evaluate(&records);
            w(
                io.out,
                format!("{} records from {}\n", records.len(), path.display()),
            )?;
            w(io.out, &report)?;
            Ok(0)
        }
    }
}
