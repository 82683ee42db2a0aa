use super::args::{Format, Global, LintArgs};
use super::common::{display_name, read_document, services};
use super::render;
use super::{findings_code, w, Io, Outcome};
use issue_preflight::checks::lint::{lint_document, summary, Severity};
use issue_preflight::draft::FormChoice;
use issue_preflight::text::printable;

pub fn run(global: &Global, args: LintArgs, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    let (set, doc) = read_document(&services, &args.input, io)?;
    let origin = printable(&display_name(&args.input.file));
    let findings = lint_document(&doc, &set);
    let failed = findings.iter().any(|f| f.severity == Severity::Error);
    match args.format {
        Format::Json => {
            let json = serde_json::json!({
                "template": doc.form.as_ref().map(|f| f.form.name.clone()),
                "file": doc.form.as_ref().map(|f| f.file.clone()),
                "fields": doc.fields(),
                "findings": findings,
            });
            w(
                io.out,
                serde_json::to_string_pretty(&json).expect("JSON of plain data"),
            )?;
        }
        Format::Github => {
            let file = (args.input.file != "-").then_some(args.input.file.as_str());
            for f in &findings {
                w(io.out, render::github_annotation(f, file))?;
            }
        }
        Format::Human => {
            let form = match (&doc.form, &doc.choice) {
                (Some(f), FormChoice::Detected { matched, fields }) => format!(
                    "form: {} ({}), picked from the body: {matched} of its {fields} fields found",
                    printable(&f.form.name),
                    printable(&f.file)
                ),
                (Some(f), _) => {
                    format!("form: {} ({})", printable(&f.form.name), printable(&f.file))
                }
                (None, _) => "form: none matches".to_string(),
            };
            w(io.out, format!("{origin}: {form}"))?;
            for f in &findings {
                w(io.out, render::human_finding(f, io.style))?;
            }
            let verdict = if findings.is_empty() {
                "clean".to_string()
            } else {
                summary(&findings)
            };
            w(io.out, verdict)?;
        }
    }
    Ok(findings_code(failed))
}
