//! The command line, as clap reads it. Only shapes here; `cli::run` hands
//! each command to the library.

use crate::repo::Repo;
use clap::{Args, Parser, Subcommand, ValueEnum};
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
    #[arg(long, global = true, value_name = "DIR", env = "PREFLIGHT_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint a draft or a rendered issue body against its form
    Lint(LintArgs),
    /// List, show or validate issue forms
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
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
    /// The title (a rendered body carries none)
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub input: InputArgs,
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
        /// Form files or folders (default: the forms in use)
        paths: Vec<PathBuf>,
    },
}
