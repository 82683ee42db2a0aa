//! The command line: clap's shapes ([`args`]), one file a command, the
//! interactive drafter ([`draft`]) and the views that turn the library's
//! results into text ([`render`]). Only the binary talks to the terminal;
//! this file maps every failure to its exit code, in one place.

mod action;
mod args;
mod common;
mod contact;
mod desktop;
mod draft;
mod dupes;
mod eval;
mod index;
mod lint;
mod render;
mod submit;
mod templates;
mod triage;

use args::{Cli, Command};
use clap::Parser;
use issue_preflight::Error;
use render::Style;
use std::io::{IsTerminal, Write};

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

/// Where a command writes.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub style: Style,
}

/// Parses the command line and runs it; returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let style = Style::detect(stdout.is_terminal());
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let mut io = Io {
        out: &mut out,
        err: &mut err,
        style,
    };
    let result = dispatch(cli, &mut io).and_then(|code| {
        io.out.flush().map_err(write_failure)?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(Failure::ClosedPipe) => exit::CLEAN,
        Err(Failure::Error(e)) => {
            let _ = writeln!(io.err, "error: {}", error_line(&e));
            exit_code(&e)
        }
    }
}

fn dispatch(cli: Cli, io: &mut Io<'_>) -> Outcome {
    let global = cli.global;
    match cli.command {
        Command::Draft(args) => draft::run(&global, args, io),
        Command::Submit(args) => submit::run(&global, args, io),
        Command::Lint(args) => lint::run(&global, args, io),
        Command::Triage(args) => triage::run(&global, args, io),
        Command::Dupes(args) => dupes::run(&global, args, io),
        Command::Index(cmd) => index::run(&global, cmd, io),
        Command::Contact(args) => contact::run(&global, args, io),
        Command::Eval(cmd) => eval::run(cmd, io),
        Command::Templates(cmd) => templates::run(&global, cmd, io),
        Command::Action(args) => action::run(&global, args, io),
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
