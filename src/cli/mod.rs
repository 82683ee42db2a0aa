//! The command line: clap's shapes ([`args`]), one file a command, the
//! interactive drafter ([`draft`]) and the views that turn the library's
//! results into text ([`render`]). Only the binary talks to the terminal;
//! this file maps every failure to its exit code, in one place.

mod action;
mod args;
mod common;
mod contact;
mod desktop;
mod docs;
mod doctor;
mod draft;
mod drafts;
mod dupes;
mod eval;
mod index;
mod lint;
mod model;
mod progress;
mod render;
mod submit;
mod templates;
mod triage;

use args::{Cli, Command};
use clap::Parser;
use issue_preflight::Error;
use render::Style;
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// Exit codes, as PRODUCT.md fixes them.
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const INPUT: i32 = 2;
    pub const NETWORK: i32 = 3;
    /// Ctrl-C at a prompt (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;
}

/// How a command ends when it does not finish.
#[derive(Debug)]
pub enum Failure {
    Error(Error),
    /// Whoever read the output went away (`| head`): not an error.
    ClosedPipe,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

pub type Outcome = Result<i32, Failure>;

/// The one place failures become exit codes.
fn exit_code(e: &Error) -> i32 {
    match e {
        Error::Network(_) => exit::NETWORK,
        Error::Interrupted(_) => exit::INTERRUPTED,
        Error::Usage(_) | Error::Input { .. } | Error::Form { .. } | Error::State { .. } => {
            exit::INPUT
        }
    }
}

/// The longest error line, in characters.
const ERROR_LINE_MAX: usize = 2000;

/// An error as its one line on the terminal: whatever it quotes cannot
/// redraw the screen or run on for pages.
fn error_line(e: &Error) -> String {
    issue_preflight::text::printable_cut(&e.to_string(), ERROR_LINE_MAX)
}

/// A process whose reader went away ends quietly, as Unix tools do: the
/// default action of SIGPIPE, which Rust's runtime turns off.
pub fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: restoring a signal's default disposition at start-up, before
    // any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// How much a run says beside its results and errors (`--quiet`,
/// `--verbose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Where a command writes: results on `out`, errors on `err`; notes,
/// diagnostics and progress through the methods below, which follow
/// `--quiet` and `--verbose` so that no command has to.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub style: Style,
    pub verbosity: Verbosity,
    /// Progress bars may be drawn: standard error is a terminal and the
    /// run is not quiet (see [`progress::Bar`]).
    pub progress: bool,
}

impl<'a> Io<'a> {
    /// `note: …` on standard error, for people; nothing under `--quiet`.
    pub fn note(&mut self, text: impl std::fmt::Display) -> Result<(), Failure> {
        if self.verbosity == Verbosity::Quiet {
            return Ok(());
        }
        w(self.err, format_args!("note: {text}"))
    }

    /// `info: …` on standard error, only under `--verbose`.
    pub fn info(&mut self, text: impl std::fmt::Display) -> Result<(), Failure> {
        if self.verbosity != Verbosity::Verbose {
            return Ok(());
        }
        w(self.err, format_args!("info: {text}"))
    }

    pub fn verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }

    /// Plain output into buffers, for unit tests.
    #[cfg(test)]
    pub fn for_test(out: &'a mut Vec<u8>, err: &'a mut Vec<u8>) -> Io<'a> {
        Io {
            out,
            err,
            style: Style::default(),
            verbosity: Verbosity::Normal,
            progress: false,
        }
    }
}

/// Parses the command line and runs it; returns the exit code.
pub fn main() -> i32 {
    let started = Instant::now();
    if let Some(when) = render::color_in_args(std::env::args_os()) {
        render::use_color(when);
    }
    let cli = Cli::parse();
    render::use_color(cli.global.color);
    let verbosity = match (cli.global.quiet, cli.global.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let mut out = std::io::stdout().lock();
    // Not locked for the whole run: a spinner draws from its own thread.
    let mut err = std::io::stderr();
    let mut io = Io {
        out: &mut out,
        err: &mut err,
        style: Style::detect(),
        verbosity,
        progress: verbosity != Verbosity::Quiet && std::io::stderr().is_terminal(),
    };
    let result = dispatch(cli, &mut io).and_then(|code| {
        io.out.flush().map_err(write_failure)?;
        Ok(code)
    });
    let code = match result {
        Ok(code) => code,
        Err(Failure::ClosedPipe) => exit::CLEAN,
        Err(Failure::Error(e)) => {
            let _ = writeln!(io.err, "error: {}", error_line(&e));
            exit_code(&e)
        }
    };
    let _ = io.info(format_args!("took {:.2?}", started.elapsed()));
    code
}

fn dispatch(cli: Cli, io: &mut Io<'_>) -> Outcome {
    let global = cli.global;
    match cli.command {
        Command::Draft(args) => draft::run(&global, args, io),
        Command::Submit(args) => submit::run(&global, args, io),
        Command::Drafts(cmd) => drafts::run(&global, cmd, io),
        Command::Lint(args) => lint::run(&global, args, io),
        Command::Triage(args) => triage::run(&global, args, io),
        Command::Dupes(args) => dupes::run(&global, args, io),
        Command::Index(cmd) => index::run(&global, cmd, io),
        Command::Model(cmd) => model::run(&global, cmd, io),
        Command::Contact(args) => contact::run(&global, args, io),
        Command::Eval(cmd) => eval::run(&global, cmd, io),
        Command::Templates(cmd) => templates::run(&global, cmd, io),
        Command::Action(args) => action::run(&global, args, io),
        Command::Doctor(args) => doctor::run(&global, args, io),
        Command::Completions(args) => docs::completions(args, io),
        Command::Man(args) => docs::man(args, io),
    }
}

/// `0` or `1` for a finished check.
pub fn findings_code(has_findings: bool) -> i32 {
    if has_findings {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

fn write_failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::ClosedPipe
    } else {
        Failure::Error(Error::Usage(format!("cannot write the output: {e}")))
    }
}

/// Writes a line.
pub fn w(out: &mut dyn Write, text: impl std::fmt::Display) -> Result<(), Failure> {
    writeln!(out, "{text}").map_err(write_failure)
}
