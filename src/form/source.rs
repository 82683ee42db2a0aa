//! Where forms come from, first match wins: a local folder, the
//! repository's live forms (fetched by the GitHub client and cached), or the
//! Mastodon forms compiled into the binary.

use super::check::{parse_config, parse_form};
use super::model::{FormConfig, IssueForm};
use crate::error::Error;
use crate::files::{files_in, read_text_file};
use crate::text::printable_cut;
use std::path::{Path, PathBuf};

/// Mastodon's forms, as shipped under `templates/mastodon/`.
const EMBEDDED: &[(&str, &str)] = &[
    (
        "1.web_bug_report.yml",
        include_str!("../../templates/mastodon/1.web_bug_report.yml"),
    ),
    (
        "2.server_bug_report.yml",
        include_str!("../../templates/mastodon/2.server_bug_report.yml"),
    ),
    (
        "3.troubleshooting.yml",
        include_str!("../../templates/mastodon/3.troubleshooting.yml"),
    ),
    (
        "4.feature_request.yml",
        include_str!("../../templates/mastodon/4.feature_request.yml"),
    ),
];
const EMBEDDED_CONFIG: &str = include_str!("../../templates/mastodon/config.yml");
const EMBEDDED_SECURITY: &str = include_str!("../../templates/mastodon/SECURITY.md");

/// The embedded forms' file names and YAML texts, config included.
pub fn embedded_files() -> Vec<(&'static str, &'static str)> {
    EMBEDDED
        .iter()
        .copied()
        .chain([("config.yml", EMBEDDED_CONFIG)])
        .collect()
}

/// A form and the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedForm {
    /// File name, e.g. `1.web_bug_report.yml`: what `?template=` takes.
    pub file: String,
    pub form: IssueForm,
}

/// Where a set of forms was read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Embedded,
    Dir(PathBuf),
    File(PathBuf),
    Remote(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Embedded => f.write_str("embedded Mastodon forms"),
            Origin::Dir(p) | Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Remote(repo) => write!(f, "{repo} on GitHub"),
        }
    }
}

/// The forms of one repository, with its config and security policy.
#[derive(Debug, Clone)]
pub struct FormSet {
    pub origin: Origin,
    pub forms: Vec<LoadedForm>,
    pub config: FormConfig,
    /// The text of SECURITY.md, where known.
    pub security: Option<String>,
}

impl FormSet {
    /// The Mastodon forms compiled into the binary.
    pub fn embedded() -> FormSet {
        let files = EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .chain([("config.yml".to_string(), EMBEDDED_CONFIG.to_string())])
            .collect();
        let mut set = FormSet::from_files(Origin::Embedded, files)
            .expect("embedded Mastodon forms are valid (tested)");
        set.security = Some(EMBEDDED_SECURITY.to_string());
        set
    }

    /// Forms from `(file name, YAML text)` pairs; `config.yml` is the config.
    pub fn from_files(origin: Origin, mut files: Vec<(String, String)>) -> Result<FormSet, Error> {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut forms = Vec::new();
        let mut config = FormConfig::default();
        for (name, text) in files {
            let shown = match &origin {
                Origin::Dir(d) => d.join(&name).display().to_string(),
                _ => name.clone(),
            };
            if is_config(&name) {
                config = parse_config(&text, &shown)?;
            } else if is_yaml(&name) {
                let form = parse_form(&text, &shown)?;
                forms.push(LoadedForm { file: name, form });
            }
        }
        Ok(FormSet {
            origin,
            forms,
            config,
            security: None,
        })
    }

    /// A local `.github/ISSUE_TEMPLATE` folder; SECURITY.md is looked for
    /// in the folder, in `.github/` and at the repository root.
    pub fn from_dir(dir: &Path) -> Result<FormSet, Error> {
        if !dir.is_dir() {
            return Err(Error::input(
                dir,
                "is not a folder; give a .github/ISSUE_TEMPLATE folder",
            ));
        }
        let mut files = Vec::new();
        for path in files_in(dir, is_yaml)? {
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().to_string());
            files.push((name, read_text_file(&path)?));
        }
        if !files.iter().any(|(n, _)| !is_config(n)) {
            return Err(Error::input(
                dir,
                "holds no issue forms (*.yml); give a .github/ISSUE_TEMPLATE folder",
            ));
        }
        let mut set = FormSet::from_files(Origin::Dir(dir.to_path_buf()), files)?;
        set.security = [
            dir.join("SECURITY.md"),
            dir.join("../SECURITY.md"),
            dir.join("../../SECURITY.md"),
        ]
        .iter()
        .find_map(|p| read_text_file(p).ok());
        Ok(set)
    }

    /// One form file given by path.
    pub fn from_form_file(path: &Path) -> Result<FormSet, Error> {
        let text = read_text_file(path)?;
        let form = parse_form(&text, &path.display().to_string())?;
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        Ok(FormSet {
            origin: Origin::File(path.to_path_buf()),
            forms: vec![LoadedForm { file, form }],
            config: FormConfig::default(),
            security: None,
        })
    }

    /// Finds a form by name, file name or file stem, ignoring case; the
    /// numeric prefix of Mastodon's file names may be left out.
    pub fn find(&self, spec: &str) -> Option<&LoadedForm> {
        let want = spec.trim().to_lowercase();
        let stem = |f: &str| {
            let s = f
                .trim_end_matches(".yml")
                .trim_end_matches(".yaml")
                .to_lowercase();
            let bare = s
                .split_once('.')
                .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
                .map_or(s.clone(), |(_, rest)| rest.to_string());
            (s, bare)
        };
        self.forms.iter().find(|f| {
            let (s, bare) = stem(&f.file);
            f.form.name.to_lowercase() == want
                || f.file.to_lowercase() == want
                || s == want
                || bare == want
        })
    }

    /// `find`, or an error listing what there is.
    pub fn get(&self, spec: &str) -> Result<&LoadedForm, Error> {
        self.find(spec).ok_or_else(|| {
            let names: Vec<String> = self
                .forms
                .iter()
                .map(|f| {
                    format!(
                        "`{}` ({})",
                        printable_cut(&f.form.name, 60),
                        printable_cut(&f.file, 60)
                    )
                })
                .collect();
            Error::Usage(format!(
                "no form `{}` in the {}; use one of {}, or a path to a form file",
                printable_cut(spec, 60),
                printable_cut(&self.origin.to_string(), 200),
                names.join(", ")
            ))
        })
    }

    /// A `--template` value: a form of this set, or a path to a form file.
    pub fn select(&self, spec: &str) -> Result<LoadedForm, Error> {
        if let Some(f) = self.find(spec) {
            return Ok(f.clone());
        }
        let path = Path::new(spec);
        if is_yaml(spec) || path.exists() {
            let single = FormSet::from_form_file(path)?;
            return Ok(single.forms.into_iter().next().expect("one form"));
        }
        self.get(spec).cloned()
    }
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yml") || name.ends_with(".yaml")
}

fn is_config(name: &str) -> bool {
    name == "config.yml" || name == "config.yaml"
}
