use super::args::{ContactArgs, SimpleFormat};
use super::common::runtime;
use super::{w, Io};
use crate::error::Error;
use crate::mastodon::{lookup_contact, Contact};
use std::time::Duration;

/// Servers that take longer than this are treated as unreachable.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(8);

pub fn run(args: ContactArgs, io: &mut Io<'_>) -> Result<i32, Error> {
    let contact = runtime()?.block_on(lookup_contact(&args.server, LOOKUP_TIMEOUT))?;
    match args.format {
        SimpleFormat::Json => w(
            io.out,
            serde_json::to_string_pretty(&contact).expect("plain data"),
        )?,
        SimpleFormat::Human => print_contact(&contact, io)?,
    }
    Ok(0)
}

pub(crate) fn print_contact(c: &Contact, io: &mut Io<'_>) -> Result<(), Error> {
    w(
        io.out,
        format!("{} ({})", io.style.bold(&c.title), c.domain),
    )?;
    match &c.email {
        Some(e) => w(io.out, format!("  e-mail:  {e}"))?,
        None => w(io.out, "  e-mail:  none published")?,
    }
    if let (Some(handle), Some(acct)) = (c.admin_handle(), &c.account) {
        w(io.out, format!("  account: {handle}  {}", acct.url))?;
    }
    w(io.out, format!("  about:   {}", c.about_url))?;
    if !c.rules.is_empty() {
        w(
            io.out,
            format!("  rules:   {} (see the about page)", c.rules.len()),
        )?;
    }
    Ok(())
}
