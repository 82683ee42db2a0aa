use clap::Parser;

fn main() {
    let cli = issue_preflight::cli::Cli::parse();
    std::process::exit(issue_preflight::cli::run(cli));
}
