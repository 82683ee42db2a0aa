use super::args::{Global, TemplatesCommand};
use super::common::services;
use super::{findings_code, w, Io, Outcome};
use issue_preflight::files::{files_in, read_text_file};
use issue_preflight::form::check::{check_config, check_form};
use issue_preflight::form::FieldKind;
use issue_preflight::text::printable as p;
use issue_preflight::Error;
use std::path::{Path, PathBuf};

pub fn run(global: &Global, cmd: TemplatesCommand, io: &mut Io<'_>) -> Outcome {
    match cmd {
        TemplatesCommand::List => {
            let set = services(global)?.forms(false)?.set;
            w(
                io.out,
                format!("Forms from the {}:", p(&set.origin.to_string())),
            )?;
            for f in &set.forms {
                w(
                    io.out,
                    format!(
                        "  {:<26} {}  ({})",
                        p(&f.file),
                        p(&f.form.name),
                        p(f.form.description.trim())
                    ),
                )?;
            }
            if !set.config.blank_issues_enabled {
                w(io.out, "Blank issues: disabled")?;
            }
            for link in &set.config.contact_links {
                w(
                    io.out,
                    format!("Contact link: {} <{}>", p(&link.name), p(&link.url)),
                )?;
            }
            Ok(0)
        }
        TemplatesCommand::Show { name } => {
            let set = services(global)?.forms(false)?.set;
            let f = set.select(&name)?;
            let form = &f.form;
            w(
                io.out,
                format!("{} ({})", io.style.bold(&p(&form.name)), p(&f.file)),
            )?;
            for line in form.description.trim().lines() {
                w(io.out, p(line))?;
            }
            if let Some(t) = &form.issue_type {
                w(io.out, format!("type: {}", p(t)))?;
            }
            if !form.labels.is_empty() {
                w(io.out, format!("labels: {}", p(&form.labels.join(", "))))?;
            }
            if let Some(t) = &form.title {
                w(io.out, format!("title prefix: {}", p(t)))?;
            }
            w(io.out, "")?;
            for field in form.fields() {
                let kind = match field.kind {
                    FieldKind::Input => "input",
                    FieldKind::Textarea => "textarea",
                    FieldKind::Dropdown if field.multiple => "dropdown (several)",
                    FieldKind::Dropdown => "dropdown",
                    FieldKind::Checkboxes => "checkboxes",
                };
                let req = if field.required {
                    "required"
                } else {
                    "optional"
                };
                let id = field
                    .id
                    .map(|i| format!(" [id: {}]", p(i)))
                    .unwrap_or_default();
                w(io.out, format!("- {}{id}: {kind}, {req}", p(field.label)))?;
                if let Some(d) = field.description {
                    for line in d.trim().lines() {
                        w(io.out, format!("    {}", p(line)))?;
                    }
                }
                if let Some(ph) = field.placeholder {
                    w(io.out, format!("    placeholder: {}", p(ph)))?;
                }
                if let Some(v) = field.value {
                    w(
                        io.out,
                        format!("    prefilled: {}", p(&v.trim_end().replace('\n', " | "))),
                    )?;
                }
                for o in field.option_labels() {
                    w(io.out, format!("    option: {}", p(o)))?;
                }
            }
            Ok(0)
        }
        TemplatesCommand::Check { paths } => {
            // (shown name, text)
            let mut files: Vec<(String, String)> = Vec::new();
            let mut add = |p: &Path| -> Result<(), Error> {
                files.push((p.display().to_string(), read_text_file(p)?));
                Ok(())
            };
            if paths.is_empty() {
                match &global.templates {
                    Some(dir) => yaml_files(dir)?.iter().try_for_each(|p| add(p))?,
                    None => files.extend(
                        issue_preflight::form::source::embedded_files()
                            .into_iter()
                            .map(|(n, t)| (format!("embedded:{n}"), t.to_string())),
                    ),
                }
            } else {
                for p in paths {
                    if p.is_dir() {
                        yaml_files(&p)?.iter().try_for_each(|f| add(f))?;
                    } else {
                        add(&p)?;
                    }
                }
            }
            let mut bad = 0;
            for (file, text) in &files {
                let name = file.rsplit(['/', '\\', ':']).next().unwrap_or(file);
                let is_config = name == "config.yml" || name == "config.yaml";
                let problems = if is_config {
                    check_config(text)
                } else {
                    check_form(text).1
                };
                for problem in &problems {
                    w(
                        io.out,
                        format!(
                            "{}:{}:{}: {}",
                            p(file),
                            problem.pos.line,
                            problem.pos.col,
                            p(&problem.message)
                        ),
                    )?;
                }
                if !problems.is_empty() {
                    bad += 1;
                }
            }
            let n = files.len();
            io.note(format!(
                "{n} file{} checked, {bad} with problems",
                if n == 1 { "" } else { "s" }
            ))?;
            Ok(findings_code(bad > 0))
        }
    }
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    files_in(dir, |n| n.ends_with(".yml") || n.ends_with(".yaml"))
}
