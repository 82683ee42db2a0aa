use super::args::EvalCommand;
use super::{w, Io, Outcome};
use issue_preflight::checks::triage::train::{self, TrainOptions};
use issue_preflight::checks::triage::{model, triage_with, Triage};
use issue_preflight::corpus;
use issue_preflight::eval::dupes;
use issue_preflight::eval::triage::{Judged, Tally};
use issue_preflight::Error;

pub fn run(cmd: EvalCommand, io: &mut Io<'_>) -> Outcome {
    match cmd {
        EvalCommand::Triage {
            corpus: path,
            misses,
            cross_validate,
        } => {
            let records = corpus::load(&path).map_err(|e| Error::input(&path, e.to_string()))?;
            let examples = train::examples(&records);
            w(
                io.out,
                format!("{} reports from {}", records.len(), path.display()),
            )?;
            let verdicts: Vec<Triage> = if cross_validate {
                w(
                    io.out,
                    "words and facts only, 5-fold cross-validated (each fold judged by a model trained on the others, thresholds chosen inside them)\n",
                )?;
                train::cross_validate(&examples, &TrainOptions::default()).lexical
            } else {
                w(io.out, "the shipped model, words and facts only\n")?;
                examples
                    .iter()
                    .map(|e| triage_with(model::shipped(), &e.input, None))
                    .collect()
            };
            let judged: Vec<Judged> = examples
                .iter()
                .zip(&verdicts)
                .map(|(e, t)| Judged {
                    record: &e.record,
                    verdict: t.verdict,
                    confidence: t.confidence,
                })
                .collect();
            let tally = Tally::of(&judged);
            if misses {
                w(io.out, format!("{tally:#}"))?;
            } else {
                w(io.out, &tally)?;
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
