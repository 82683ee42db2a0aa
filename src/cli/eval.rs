use super::args::EvalCommand;
use super::{w, Io};
use crate::checks::triage_input;
use crate::corpus;
use crate::document::Document;
use crate::error::Error;
use crate::form::FormSet;
use crate::triage::{evaluate, triage};

pub fn run(cmd: EvalCommand, io: &mut Io<'_>) -> Result<i32, Error> {
    match cmd {
        EvalCommand::Triage {
            corpus: path,
            misses,
        } => {
            let records = corpus::load(&path).map_err(|e| Error::input(&path, e.to_string()))?;
            let set = FormSet::embedded();
            let report = evaluate(&records, |r| {
                let doc = Document::from_body(&set, &r.body, None, Some(&r.title))
                    .expect("a body without --template always reads");
                triage(&triage_input(&doc))
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
            let report = crate::dupes::evaluate(&records);
            w(
                io.out,
                format!("{} records from {}\n", records.len(), path.display()),
            )?;
            w(io.out, &report)?;
            Ok(0)
        }
    }
}
