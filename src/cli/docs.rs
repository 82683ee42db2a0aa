//! `preflight completions SHELL` and `preflight man`: made from the same
//! clap definition that parses the command line, so they never drift from
//! it.

use super::args::{Cli, CompletionsArgs, ManArgs};
use super::{write_failure, Io, Outcome};
use clap::CommandFactory;
use issue_preflight::Error;

/// Commands not offered for completion: `action` is typed by action.yml,
/// not by people (help and the manual still document it).
const NOT_COMPLETED: [&str; 1] = ["action"];

pub fn completions(args: CompletionsArgs, io: &mut Io<'_>) -> Outcome {
    let mut cmd = for_completion();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "preflight", &mut script);
    io.out.write_all(&script).map_err(write_failure)?;
    Ok(0)
}

pub fn man(args: ManArgs, io: &mut Io<'_>) -> Outcome {
    let cmd = Cli::command();
    match args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .map_err(write_failure)?;
            io.out.write_all(&page).map_err(write_failure)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .and_then(|()| clap_mangen::generate_to(cmd, &dir))
                .map_err(|e| Error::input(&dir, format!("cannot be written: {e}")))?;
            io.note(format!("manual pages written to {}", dir.display()))?;
        }
    }
    Ok(0)
}

/// The command line without [`NOT_COMPLETED`]: clap's generators list
/// hidden commands too, so those are left out of the copy they are given.
fn for_completion() -> clap::Command {
    let full = Cli::command();
    let kept: Vec<clap::Command> = full
        .get_subcommands()
        .filter(|c| !NOT_COMPLETED.contains(&c.get_name()))
        .cloned()
        .collect();
    clap::Command::new("preflight")
        .version(env!("CARGO_PKG_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(kept)
}
