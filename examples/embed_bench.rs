//! Times the sentence embedder on the real model: load, one title, titles in
//! batches of 8, and a 68-token text (median of several runs each).
//!
//! .ci/fetch-model /work/model/all-MiniLM-L6-v2
//! PREFLIGHT_MODEL=/work/model/all-MiniLM-L6-v2 cargo run --release --example embed_bench
//! (RAYON_NUM_THREADS=1 to compare with one thread.)

use issue_preflight::embed::Embedder;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Issue-like titles of about 13 tokens each (written for this benchmark).
const TITLES: [&str; 8] = [
    "Images fail to upload when the file name contains spaces",
    "Home timeline stops updating after the browser tab sleeps",
    "Cannot log in with a security key on Firefox for Android",
    "Add a setting to hide reply counts on public posts",
    "Search does not find posts from accounts I follow closely",
    "Profile header image is cropped wrongly on narrow phone screens",
    "Sidekiq retries pile up when a remote server returns 410",
    "Allow moderators to add private notes to reported accounts",
];

/// About 68 tokens: a short issue body.
const BODY: &str = "Since the upgrade to 4.3 the notifications column stays empty \
    until I reload the page. The browser console shows a websocket error after \
    thirty seconds, and the streaming log has no entry for my connection. Other \
    users on the same server see the same in Chrome and Safari, so it is not one \
    browser.";

/// Median and fastest of `n` runs of `f`.
#[derive(Clone, Copy)]
struct Timing {
    median: Duration,
    min: Duration,
}

impl std::ops::Div<u32> for Timing {
    type Output = Timing;
    fn div(self, n: u32) -> Timing {
        Timing {
            median: self.median / n,
            min: self.min / n,
        }
    }
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Timing {
    let mut runs: Vec<Duration> = (0..n)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    runs.sort();
    Timing {
        median: runs[runs.len() / 2],
        min: runs[0],
    }
}

/// "12.3 ms (min 10.1)": the median, and the fastest run, which a busy
/// machine disturbs least.
fn ms(t: Timing) -> String {
    format!(
        "median {:.1} ms (min {:.1})",
        t.median.as_secs_f64() * 1e3,
        t.min.as_secs_f64() * 1e3
    )
}

fn main() {
    let Some(dir) = std::env::var_os("PREFLIGHT_MODEL").map(PathBuf::from) else {
        eprintln!("set PREFLIGHT_MODEL to the model folder (see .ci/fetch-model)");
        std::process::exit(2);
    };
    let tokenizer =
        tokenizers::Tokenizer::from_file(dir.join("tokenizer.json")).expect("tokenizer.json loads");
    let tokens = |t: &str| {
        let mut tk = tokenizer.clone();
        tk.with_padding(None);
        tk.with_truncation(None).unwrap();
        tk.encode(t, true).unwrap().len()
    };

    let start = Instant::now();
    let embedder = Embedder::load(&dir).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let first_load = start.elapsed();
    let load = time(5, || Embedder::load(&dir).unwrap());
    println!("model:   {}", embedder.model_id());
    println!("threads: {} (candle matrix products)", embedder.threads());
    println!(
        "load:    {} of 5; the first load {:.1} ms",
        ms(load),
        first_load.as_secs_f64() * 1e3
    );

    // Warm up.
    embedder.embed(&TITLES).unwrap();
    let runs = 21;
    let one = time(runs, || embedder.embed(&TITLES[..1]).unwrap());
    println!(
        "one title ({} tokens): {} of {runs}",
        tokens(TITLES[0]),
        ms(one)
    );
    let batch = time(runs, || embedder.embed(&TITLES).unwrap());
    let avg_tokens = TITLES.iter().map(|t| tokens(t)).sum::<usize>() as f64 / 8.0;
    println!(
        "8 titles ({avg_tokens:.1} tokens each): {} a batch, {} a title, of {runs}",
        ms(batch),
        ms(batch / 8)
    );
    let body = time(runs, || embedder.embed(&[BODY]).unwrap());
    println!("one text ({} tokens): {} of {runs}", tokens(BODY), ms(body));
    let many: Vec<&str> = TITLES.iter().cycle().take(64).copied().collect();
    let sixty_four = time(5, || embedder.embed(&many).unwrap());
    println!(
        "64 titles: {} in all, {} a title, of 5",
        ms(sixty_four),
        ms(sixty_four / 64)
    );
}
