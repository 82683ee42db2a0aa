//! `preflight`: parse the command line, run it, exit with its code.

mod cli;

fn main() {
    cli::reset_sigpipe();
    std::process::exit(cli::main());
}
