//! The front end of the one-shot commands: reads arguments, calls the
//! library, writes results. Only this module talks to the terminal.

pub mod args;
pub(crate) mod common;
mod contact;
mod dupes;
pub(crate) use dupes::find as dupes_find;
mod eval;
mod index;
mod lint;
mod templates;
mod triage;

pub use args::Cli;
use args::Command;

use crate::error::{exit, Error};
use crate::report::Style;
use std::io::{IsTerminal, Write};

/// Where a command writes.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub style: Style,
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> i32 {
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
    match dispatch(cli, &mut io) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            e.exit_code()
        }
    }
}

fn dispatch(cli: Cli, io: &mut Io<'_>) -> Result<i32, Error> {
    let global = cli.global;
    match cli.command {
        Command::Draft(args) => crate::drafter::run(&global, args, io),
        Command::Submit(args) => crate::drafter::submit(&global, args, io),
        Command::Lint(args) => lint::run(&global, args, io),
        Command::Triage(args) => triage::run(&global, args, io),
        Command::Dupes(args) => dupes::run(&global, args, io),
        Command::Index(cmd) => index::run(&global, cmd, io),
        Command::Contact(args) => contact::run(args, io),
        Command::Eval(cmd) => eval::run(cmd, io),
        Command::Templates(cmd) => templates::run(&global, cmd, io),
        Command::Action(args) => crate::action::run(&global, args, io),
    }
    .and_then(|code| {
        io.out
            .flush()
            .map_err(|e| Error::Usage(format!("cannot write the output: {e}")))?;
        Ok(code)
    })
}

/// `0` or `1` for a finished check.
pub(crate) fn findings_code(has_findings: bool) -> i32 {
    if has_findings {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// Writes, turning a broken pipe into an error rather than a panic.
pub(crate) fn w(out: &mut dyn Write, text: impl std::fmt::Display) -> Result<(), Error> {
    writeln!(out, "{text}").map_err(|e| Error::Usage(format!("cannot write the output: {e}")))
}
