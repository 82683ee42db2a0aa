//! The GitHub Action's entry point (being written).

use crate::cli::args::{ActionArgs, Global};
use crate::cli::Io;
use crate::error::Error;

pub fn run(_global: &Global, _args: ActionArgs, _io: &mut Io<'_>) -> Result<i32, Error> {
    Err(Error::Usage(
        "`preflight action` is not available in this build yet".into(),
    ))
}
