//! Trains the models the binary embeds, from a labelled corpus, with a
//! fixed seed, and reports their cross-validated figures.
//!
//! PREFLIGHT_MODEL=DIR cargo run --release --example train -- triage ../shared/eval-dev/issues.jsonl
//! PREFLIGHT_MODEL=DIR cargo run --release --example train -- dupes ../shared/eval-dev/issues.jsonl
//!
//! writes `models/triage.bin` or `models/dupes.json` (rebuild the binary
//! afterwards: they are compiled in) and prints, for each head (words
//! alone; with sentence embeddings when `PREFLIGHT_MODEL` names the
//! embedding model), the 5-fold cross-validated figures and the thresholds
//! chosen by cross-validation.

use issue_preflight::checks::triage::train::{self, TrainOptions};
use issue_preflight::checks::triage::Triage;
use issue_preflight::corpus;
use issue_preflight::eval::triage::Tally;
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
        "dupes" => dupes(
            &corpus_path,
            out.unwrap_or_else(|| "models/dupes.json".into()),
        ),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: train triage|dupes CORPUS.jsonl [--out FILE]");
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

fn embedder() -> Option<issue_preflight::embed::Embedder> {
    let dir = std::env::var_os("PREFLIGHT_MODEL")?;
    Some(
        issue_preflight::embed::Embedder::load(std::path::Path::new(&dir))
            .unwrap_or_else(|e| fail(&e.to_string())),
    )
}

fn dupes(path: &std::path::Path, out: PathBuf) {
    use issue_preflight::checks::dupes::train as t;
    use issue_preflight::eval::dupes::DupesEval;
    let records = corpus::load(path).unwrap_or_else(|e| fail(&e.to_string()));
    let embedder = embedder();
    let started = std::time::Instant::now();
    let prepared = t::prepare(
        &records,
        embedder.as_ref(),
        &issue_preflight::progress::Silent,
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
    let pool = t::mean_pool(&prepared);
    println!(
        "{} reports from {}, indexed{} in {:.1}s; 5-fold cross-validation over clusters of pairs, seed {}, C {}",
        records.len(),
        path.display(),
        if embedder.is_some() { " and embedded" } else { "" },
        started.elapsed().as_secs_f64(),
        t::SEED,
        t::C
    );
    let mut heads = vec![false];
    if embedder.is_some() {
        heads.push(true);
    }
    for embedded in heads {
        let outcomes = t::cross_validate(&prepared, embedded, t::C, 5, t::SEED);
        let label = if embedded {
            "words and meaning"
        } else {
            "words alone"
        };
        println!("{}", DupesEval::of(label, &outcomes, pool));
        let (offer, duplicate) = t::choose_thresholds(&outcomes);
        let offers: Vec<&(f64, bool)> = outcomes
            .iter()
            .filter_map(|o| o.top.as_ref())
            .filter(|(p, _)| *p >= offer)
            .collect();
        let right = offers.iter().filter(|(_, ok)| *ok).count();
        println!(
            "  offer from {offer:.3}: {} top-1 offers held out, {right} the labelled original; duplicate from {duplicate:.3}",
            offers.len()
        );
    }
    let ranker = t::train(
        &prepared,
        embedder.as_ref().map(|e| e.model_id().to_string()),
        t::C,
        t::SEED,
    );
    let json = serde_json::to_string_pretty(&ranker).expect("a ranker serialises");
    std::fs::write(&out, json + "\n").unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    println!("wrote {}", out.display());
}

fn report(head: &str, examples: &[train::Example], verdicts: &[Triage]) {
    println!(
        "\n== {head}, cross-validated ==\n{}",
        Tally::of_examples(examples, verdicts)
    );
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1)
}
