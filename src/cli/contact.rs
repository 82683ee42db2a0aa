use super::args::{ContactArgs, Global, SimpleFormat};
use super::common::services;
use super::render::Style;
use super::{w, Io, Outcome};
use issue_preflight::mastodon::{normalize_server, Contact};
use issue_preflight::services::Named;
use issue_preflight::text::printable;
use issue_preflight::Error;
use std::io::Write;

pub fn run(global: &Global, args: ContactArgs, io: &mut Io<'_>) -> Outcome {
    let services = services(global)?;
    let addr = normalize_server(&args.server).map_err(Error::from)?;
    // Named on the command line on purpose: any address may be asked.
    let contact = services.contact(&addr, Named::ByUser)?;
    match args.format {
        SimpleFormat::Json => w(
            io.out,
            serde_json::to_string_pretty(&contact).expect("plain data"),
        )?,
        SimpleFormat::Human => print_contact(&contact, io.out, io.style)?,
    }
    Ok(0)
}

pub fn print_contact(c: &Contact, out: &mut dyn Write, style: Style) -> Result<(), super::Failure> {
    w(
        out,
        format!(
            "{} ({})",
            style.bold(&printable(&c.title)),
            printable(&c.domain)
        ),
    )?;
    match &c.email {
        Some(e) => w(out, format!("  e-mail:  {}", printable(e)))?,
        None => w(out, "  e-mail:  none published")?,
    }
    if let (Some(handle), Some(acct)) = (c.admin_handle(), &c.account) {
        w(
            out,
            format!(
                "  account: {}  {}",
                printable(&handle),
                printable(&acct.url)
            ),
        )?;
    }
    w(out, format!("  about:   {}", printable(&c.about_url)))?;
    if !c.rules.is_empty() {
        w(
            out,
            format!("  rules:   {} (see the about page)", c.rules.len()),
        )?;
    }
    Ok(())
}
