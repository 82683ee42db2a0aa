//! Trains the models the binary embeds, from a labelled corpus, with a
//! fixed seed, and reports their cross-validated figures.
//!
//! cargo run --release --example train -- triage ../shared/eval-dev/issues.jsonl
//!
//! writes `models/triage.bin` (rebuild the binary afterwards: it is
//! compiled in) and prints, for each head (words and facts; with sentence
//! embeddings when `PREFLIGHT_MODEL` names the embedding model), the
//! 5-fold cross-validated confusion matrix, precision and recall, and the
//! support thresholds chosen by cross-validation.

use issue_preflight::checks::triage::train::{self, TrainOptions};
use issue_preflight::checks::triage::Triage;
use issue_preflight::corpus;
use issue_preflight::eval::triage::{Judged, Tally};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (what, corpus_path) = match args.as_slice() {
        [what, path, ..] => (what.as_str(), PathBuf::from(path)),
        _ => usage(),
    };
    let out = flag(&args, "--out").map(PathBuf::from);
    match what {
        "triage" => triage(
            &corpus_path,
            out.unwrap_or_else(|| "models/triage.bin".into()),
        ),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: train triage CORPUS.jsonl [--out FILE]");
    std::process::exit(2)
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.windows(2)
        .find(|w| w[0] == name)
        .map(|w| w[1].as_str())
}

fn triage(path: &std::path::Path, out: PathBuf) {
    let records = corpus::load(path).unwrap_or_else(|e| fail(&e.to_string()));
    let mut examples = train::examples(&records);
    let mut opts = TrainOptions::default();
    if let Some(dir) = std::env::var_os("PREFLIGHT_MODEL") {
        let embedder = issue_preflight::embed::Embedder::load(std::path::Path::new(&dir))
            .unwrap_or_else(|e| fail(&e.to_string()));
        let started = std::time::Instant::now();
        train::embed_all(&mut examples, &embedder, &opts).unwrap_or_else(|e| fail(&e.to_string()));
        println!(
            "embedded {} reports with {} in {:.1}s",
            examples.len(),
            embedder.model_id(),
            started.elapsed().as_secs_f64()
        );
        opts.embedding_model = Some(embedder.model_id().to_string());
    } else {
        println!("PREFLIGHT_MODEL is not set: training the words-only head alone");
    }
    println!(
        "{} reports from {}; {}-fold cross-validation, seed {}",
        records.len(),
        path.display(),
        opts.folds,
        opts.seed
    );
    let held = train::cross_validate(&examples, &opts);
    report("words", &examples, &held.lexical);
    if let Some(e) = &held.embedded {
        report("words and sentence embeddings", &examples, e);
    }
    println!("support thresholds chosen inside each fold (words; embeddings):");
    for (i, t) in held.fold_thresholds.iter().enumerate() {
        println!(
            "  fold {i}: redirect {:.3}, close {:.3}; redirect {:.3}, close {:.3}",
            t[0].redirect, t[0].close, t[1].redirect, t[1].close
        );
    }
    let model = train::train(&examples, &opts);
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    println!(
        "\nwrote {} ({} bytes): thresholds (words) redirect {:.3}, close {:.3}{}",
        out.display(),
        bytes.len(),
        model.lexical.thresholds.redirect,
        model.lexical.thresholds.close,
        model.embedded.as_ref().map_or(String::new(), |h| format!(
            "; (embeddings) redirect {:.3}, close {:.3}",
            h.thresholds.redirect, h.thresholds.close
        ))
    );
}

fn report(head: &str, examples: &[train::Example], verdicts: &[Triage]) {
    let judged: Vec<Judged> = examples
        .iter()
        .zip(verdicts)
        .map(|(e, t)| Judged {
            record: &e.record,
            verdict: t.verdict,
            confidence: t.confidence,
        })
        .collect();
    println!("\n== {head}, cross-validated ==\n{}", Tally::of(&judged));
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1)
}
