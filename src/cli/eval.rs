//! `preflight eval triage|dupes FILE`: the shipped models measured on a
//! labelled corpus, with and without the sentence-embedding model; or,
//! with `--cross-validate`, models trained on four fifths of it judging the
//! fifth (the only honest figures on the corpus they were developed on).

use super::args::{EvalCommand, Global};
use super::common::services;
use super::progress::Bar;
use super::{w, Io, Outcome};
use issue_preflight::checks::dupes::{self, train as dtrain};
use issue_preflight::checks::triage::train::{self, TrainOptions};
use issue_preflight::checks::triage::{model, triage_with, Triage};
use issue_preflight::corpus::{self, Record};
use issue_preflight::embed::Embedder;
use issue_preflight::eval::dupes::DupesEval;
use issue_preflight::eval::triage::Tally;
use issue_preflight::Error;
use std::path::Path;

pub fn run(global: &Global, cmd: EvalCommand, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    let embedder = match services.embedder() {
        Ok(e) => Some(e),
        Err(why) => {
            io.note(format!("{why}: figures by words alone"))?;
            None
        }
    };
    match cmd {
        EvalCommand::Triage {
            corpus: path,
            misses,
            cross_validate,
        } => triage(&path, misses, cross_validate, embedder, io),
        EvalCommand::Dupes {
            corpus: path,
            pairs,
            cross_validate,
        } => duplicates(&path, pairs, cross_validate, embedder, io),
    }
}

fn load(path: &Path) -> Result<Vec<Record>, Error> {
    corpus::load(path).map_err(|e| Error::input(path, e.to_string()))
}

fn triage(
    path: &Path,
    misses: bool,
    cross_validate: bool,
    embedder: Option<&Embedder>,
    io: &mut Io<'_>,
) -> Outcome {
    let records = load(path)?;
    let mut examples = train::examples(&records);
    let opts = TrainOptions::default();
    if let Some(e) = embedder {
        let bar = Bar::spinner(io, "reading the reports' meaning");
        train::embed_all(&mut examples, e, &opts).map_err(|e| Error::Usage(e.to_string()))?;
        bar.finish();
    }
    w(
        io.out,
        format!("{} reports from {}", records.len(), path.display()),
    )?;
    let heads: Vec<(&str, Vec<Triage>)> = if cross_validate {
        let held = train::cross_validate(&examples, &opts);
        w(io.out, "5-fold cross-validated: each fold judged by a model trained on the others, its thresholds chosen inside them")?;
        let mut heads = vec![("words alone", held.lexical)];
        heads.extend(held.embedded.map(|e| ("words and meaning", e)));
        heads
    } else {
        w(io.out, "the shipped model (trained on the development corpus: its figures there are not a result)")?;
        let m = model::shipped();
        let mut heads = vec![(
            "words alone",
            examples
                .iter()
                .map(|e| triage_with(m, &e.input, None))
                .collect(),
        )];
        if embedder.is_some() && m.embedded.is_some() {
            heads.push((
                "words and meaning",
                examples
                    .iter()
                    .map(|e| triage_with(m, &e.input, e.emb.as_ref()))
                    .collect(),
            ));
        }
        heads
    };
    for (label, verdicts) in heads {
        let tally = Tally::of_examples(&examples, &verdicts);
        w(io.out, format!("\n== {label} =="))?;
        if misses {
            w(io.out, format!("{tally:#}"))?;
        } else {
            w(io.out, &tally)?;
        }
    }
    Ok(0)
}

fn duplicates(
    path: &Path,
    pairs: bool,
    cross_validate: bool,
    embedder: Option<&Embedder>,
    io: &mut Io<'_>,
) -> Outcome {
    let records = load(path)?;
    let bar = Bar::spinner(io, "indexing the corpus");
    let prepared =
        dtrain::prepare(&records, embedder, &bar).map_err(|e| Error::Usage(e.to_string()))?;
    bar.finish();
    let pool = dtrain::mean_pool(&prepared);
    w(
        io.out,
        format!("{} reports from {}", records.len(), path.display()),
    )?;
    let ranker = dupes::model::shipped();
    let mut runs = vec![(false, &ranker.lexical)];
    if embedder.is_some() {
        if let Some(h) = &ranker.embedded {
            runs.push((true, h));
        }
    }
    for (embedded, head) in runs {
        let label = if embedded {
            "words and meaning"
        } else {
            "words alone"
        };
        let outcomes = if cross_validate {
            dtrain::cross_validate(&prepared, embedded, dtrain::C, 5, dtrain::SEED)
        } else {
            dtrain::judge_all(&prepared, head, embedded)
        };
        let how = if cross_validate {
            "cross-validated over clusters of pairs"
        } else {
            "the shipped ranker"
        };
        let e = DupesEval::of(&format!("{label}, {how}"), &outcomes, pool);
        if pairs {
            w(io.out, format!("{e:#}"))?;
        } else {
            w(io.out, &e)?;
        }
    }
    Ok(0)
}
