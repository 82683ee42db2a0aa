//! Progress bars for long work (index sync and import, the model download):
//! drawn on standard error, only when it is a terminal and the run is not
//! `--quiet`; never on standard output, so never into JSON or a pipe.
//!
//! ```ignore
//! let bar = Bar::bytes(io, "downloading the model", Some(total));
//! // … bar.inc(chunk.len() as u64) as bytes arrive …
//! bar.finish(); // or drop it: either clears the line
//! ```
//!
//! A [`Bar`] is also an [`issue_preflight::progress::Progress`], so it can
//! be handed to a library call that reports its own progress.

use super::Io;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

const ITEMS: &str = "{msg} [{bar:30}] {human_pos}/{human_len} ({eta} left)";
const BYTES: &str = "{msg} [{bar:30}] {bytes}/{total_bytes} at {bytes_per_sec} ({eta} left)";
const BYTES_UNKNOWN: &str = "{spinner} {msg}: {bytes} at {bytes_per_sec}";
const SPINNER: &str = "{spinner} {msg} ({elapsed})";

/// One bar or spinner on standard error. Where the run may not draw, it is
/// hidden and every call does nothing.
pub struct Bar {
    bar: ProgressBar,
}

#[allow(dead_code)]
impl Bar {
    /// Counted work with an estimate of the time left:
    /// `analysing issues [=====>    ] 12,000/50,000 (3s left)`.
    pub fn items(io: &Io<'_>, what: &str, total: u64) -> Bar {
        Bar::new(io, Some(total), ITEMS, what)
    }

    /// A download: size, rate and time left; a byte count and rate when
    /// the size is unknown (`total` `None`).
    pub fn bytes(io: &Io<'_>, what: &str, total: Option<u64>) -> Bar {
        let template = if total.is_some() {
            BYTES
        } else {
            BYTES_UNKNOWN
        };
        Bar::new(io, total, template, what)
    }

    /// Work that cannot be counted: a spinner and the time spent.
    pub fn spinner(io: &Io<'_>, what: &str) -> Bar {
        Bar::new(io, None, SPINNER, what)
    }

    fn new(io: &Io<'_>, total: Option<u64>, template: &str, what: &str) -> Bar {
        if !io.progress {
            return Bar {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr())
            .with_style(style(template))
            .with_message(what.to_string());
        if total.is_none() {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Bar { bar }
    }

    /// The total, once it is known (a download's length, say).
    pub fn set_total(&self, total: u64) {
        self.bar.set_length(total);
    }

    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    pub fn set_position(&self, done: u64) {
        self.bar.set_position(done);
    }

    pub fn set_message(&self, what: &str) {
        self.bar.set_message(what.to_string());
    }

    /// Runs `f` with the bar taken off the screen, to print a line
    /// while it is drawn.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Clears the bar's line (so does dropping it).
    pub fn finish(self) {}
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A library stage (`start`) restarts the bar at zero with its own total.
impl issue_preflight::progress::Progress for Bar {
    fn start(&self, what: &str, total: u64) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.disable_steady_tick();
        self.bar.set_style(style(ITEMS));
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.reset_eta();
        self.bar.set_message(what.to_string());
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .expect("the templates above are valid")
        .progress_chars("=> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_valid() {
        for t in [ITEMS, BYTES, BYTES_UNKNOWN, SPINNER] {
            let _ = style(t);
        }
    }

    #[test]
    fn a_run_that_may_not_draw_gets_a_hidden_bar() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let io = Io::for_test(&mut out, &mut err);
        let bar = Bar::items(&io, "counting", 10);
        assert!(bar.bar.is_hidden());
        issue_preflight::progress::Progress::start(&bar, "stage", 5);
        bar.inc(3);
        bar.finish();
        assert!(out.is_empty() && err.is_empty());
    }
}
