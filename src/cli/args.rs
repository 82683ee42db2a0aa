//! The command line, as clap reads it. Only shapes here; `cli::run` hands
//! each command to the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use issue_preflight::repo::Repo;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "preflight",
    version,
    about = "Check a GitHub issue before it is filed: lint it against the repository's issue form, triage it, find duplicates, then file or redirect.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Read the issue forms from this folder (a `.github/ISSUE_TEMPLATE`)
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The repository (default mastodon/mastodon, whose forms are embedded)
    #[arg(long, global = true, value_name = "OWNER/NAME")]
    pub repo: Option<Repo>,
    /// Where the issue index and the forms cache live (default: XDG cache)
    // Help names an environment variable but never shows its value
    // (`hide_env_values`): unset, clap would print a blank `…=]`.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "PREFLIGHT_CACHE_DIR",
        hide_env_values = true
    )]
    pub cache_dir: Option<PathBuf>,
    /// The sentence-embedding model's folder (config.json, tokenizer.json,
    /// model.safetensors); default: the cache that `preflight model fetch` fills
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "PREFLIGHT_MODEL",
        hide_env_values = true
    )]
    pub model: Option<PathBuf>,
    /// Print only results and errors: no notes, no progress bars
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print diagnostics on standard error: where the forms came from, which index or search was used, how long it took
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it), always or never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Draft an issue interactively, checking as you go; then file or redirect
    Draft(DraftArgs),
    /// Lint a draft or a rendered issue body against its form
    Lint(LintArgs),
    /// Bug, feature, troubleshooting, support, question or security: the verdict and why
    Triage(TriageArgs),
    /// Existing issues that may be the same, ranked, each with why
    Dupes(DupesArgs),
    /// The local issue index for fast, offline duplicate search
    #[command(subcommand)]
    Index(IndexCommand),
    /// The sentence-embedding model for search by meaning: fetch it, or see what is there
    #[command(subcommand)]
    Model(ModelCommand),
    /// Who administers a Mastodon server, and how to reach them
    Contact(ContactArgs),
    /// File a saved draft (a draft YAML) after the checks
    Submit(SubmitArgs),
    /// List, show or delete the drafts `preflight draft` saved
    #[command(subcommand)]
    Drafts(DraftsCommand),
    /// Measure triage or duplicate search on a labelled corpus
    #[command(subcommand)]
    Eval(EvalCommand),
    /// List, show or validate issue forms
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// The GitHub Action's entry point: check the issue of the current event
    Action(ActionArgs),
    /// What the tool sees (token, API, folders, index, model, forms, instance), with a fix for each problem
    Doctor(DoctorArgs),
    /// Print a shell's completion script (e.g. `preflight completions bash > ~/.local/share/bash-completion/completions/preflight`)
    #[command(alias = "completion")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page a command into a folder
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Your Mastodon server, to check that its admin contact can be found
    #[arg(
        long,
        value_name = "DOMAIN_OR_URL",
        env = "PREFLIGHT_INSTANCE",
        hide_env_values = true
    )]
    pub instance: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write preflight.1 and a page for each command (preflight-lint.1, …) into this folder instead of printing preflight(1)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ActionArgs {
    /// The Action's config file (default: .github/preflight.yml when present)
    #[arg(
        long,
        value_name = "PATH",
        env = "PREFLIGHT_CONFIG",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,
    /// Close issues triaged as support questions (as not planned)
    #[arg(long, env = "PREFLIGHT_CLOSE_SUPPORT", hide_env_values = true, value_parser = clap::builder::FalseyValueParser::new())]
    pub close_support: bool,
    /// Print what would be done; write nothing to GitHub
    #[arg(long, env = "PREFLIGHT_DRY_RUN", hide_env_values = true, value_parser = clap::builder::FalseyValueParser::new())]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Lines for people
    #[default]
    Human,
    /// One JSON document
    Json,
    /// GitHub workflow commands (`::error file=…::…`), shown as annotations
    Github,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// A rendered issue body (Markdown), a draft (YAML), or - for standard input
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: String,
    /// The form: its name, file name, or a path to a form file (default: the best match)
    #[arg(long, value_name = "FORM")]
    pub template: Option<String>,
    /// The issue's title (a rendered body carries none)
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// How to print the findings
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the forms in use
    List,
    /// Show one form's fields
    Show {
        /// The form's name, file name, or a path to a form file
        name: String,
    },
    /// Validate issue-form YAML as GitHub would
    Check {
        /// Form files or folders (default: the --templates folder, else the embedded forms)
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DraftArgs {
    /// The form: its name, file name, or a path to a form file
    #[arg(long, value_name = "FORM")]
    pub template: Option<String>,
    /// Your Mastodon server (a domain, or a base URL such as http://127.0.0.1:3000)
    #[arg(
        long,
        value_name = "DOMAIN_OR_URL",
        env = "PREFLIGHT_INSTANCE",
        hide_env_values = true
    )]
    pub instance: Option<String>,
    /// Resume a saved draft: its id, or none to choose from a list
    #[arg(long, value_name = "ID", num_args = 0..=1, default_missing_value = "")]
    pub resume: Option<String>,
    /// Give a prefilled new-issue URL instead of filing through the API
    #[arg(long)]
    pub web: bool,
    /// Take the answers from a draft YAML (template, title, answers)
    #[arg(long, value_name = "FILE")]
    pub answers: Option<String>,
    /// Ask nothing (needs --answers)
    #[arg(long, requires = "answers")]
    pub no_input: bool,
    /// Your account (@you@server), for the message to your server's admin only
    #[arg(long, value_name = "HANDLE")]
    pub handle: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SimpleFormat {
    /// Lines for people
    #[default]
    Human,
    /// One JSON document
    Json,
}

#[derive(Debug, Args)]
pub struct TriageArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// How to print the result
    #[arg(long, value_enum, default_value_t = SimpleFormat::Human)]
    pub format: SimpleFormat,
}

#[derive(Debug, Args)]
pub struct DupesArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Use only the local index; never the network
    #[arg(long)]
    pub offline: bool,
    /// How many candidates to show
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub limit: u16,
    /// How to print the result
    #[arg(long, value_enum, default_value_t = SimpleFormat::Human)]
    pub format: SimpleFormat,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Download the repository's issues, or what changed since the last sync
    Sync,
    /// Load issues from a JSON array or JSON Lines of GitHub REST issue objects
    Import {
        /// The file (as `gh api --paginate repos/O/R/issues` writes it), or - for standard input
        file: String,
    },
    /// What the index holds and how old it is
    Status,
}

#[derive(Debug, Args)]
pub struct ContactArgs {
    /// The server: a domain, a handle (@you@server), a URL, or a base URL
    #[arg(value_name = "DOMAIN_OR_URL")]
    pub server: String,
    /// How to print the result
    #[arg(long, value_enum, default_value_t = SimpleFormat::Human)]
    pub format: SimpleFormat,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// A draft YAML (template, title, answers)
    pub file: String,
    /// Give a prefilled new-issue URL instead of filing through the API
    #[arg(long)]
    pub web: bool,
    /// Your Mastodon server, for a redirect to its admin
    #[arg(
        long,
        value_name = "DOMAIN_OR_URL",
        env = "PREFLIGHT_INSTANCE",
        hide_env_values = true
    )]
    pub instance: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DraftsCommand {
    /// The saved drafts, newest first
    List,
    /// One draft: where it stands and its answers
    Show {
        /// The draft's id, as `preflight drafts list` shows it
        id: String,
    },
    /// Delete drafts, with the files beside them (text handed over, answers to paste)
    Rm {
        /// The drafts' ids
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Delete the drafts that are done (filed or sent elsewhere) or have no answers
    Prune {
        /// Only list what would be deleted
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Confusion matrix, precision and recall of triage
    Triage {
        /// JSON Lines corpus (the format of eval-dev/issues.jsonl)
        corpus: PathBuf,
        /// Also list every misclassified record
        #[arg(long)]
        misses: bool,
        /// Train on four fifths and judge the fifth, five times, instead of
        /// judging with the shipped model (which was trained on the
        /// development corpus: its figures there are not a result)
        #[arg(long)]
        cross_validate: bool,
    },
    /// Recall@1, @5, @10 and MRR of duplicate search over the corpus's pairs
    Dupes {
        /// JSON Lines corpus (the format of eval-dev/issues.jsonl)
        corpus: PathBuf,
        /// Also list every pair and the rank of its original
        #[arg(long)]
        pairs: bool,
        /// Fit the ranker on four fifths of the pairs and judge the fifth,
        /// five times, instead of judging with the shipped ranker
        #[arg(long)]
        cross_validate: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Download all-MiniLM-L6-v2 at the pinned revision into the --model folder, else the cache: each file's SHA-256 checked, written atomically, a stopped download continued (from PREFLIGHT_HF_ENDPOINT or HF_ENDPOINT when set, else huggingface.co)
    Fetch,
    /// Where the model is and whether it is usable: each file, its size and whether its SHA-256 is the pinned one (exit 1 when not usable)
    Status,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument of every command, by path: `preflight index import FILE`.
    fn undescribed(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                out.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            undescribed(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_argument_of_every_command_has_help() {
        let mut cmd = Cli::command();
        cmd.build();
        Cli::command().debug_assert();
        let mut bare = Vec::new();
        undescribed(&cmd, "preflight", &mut bare);
        assert!(bare.is_empty(), "arguments without help: {bare:?}");
    }
}
