//! How a long operation tells its caller how far it got. The library never
//! draws anything: the front end decides what to show (a bar on a terminal,
//! nothing elsewhere) by implementing [`Progress`].

/// Told as work advances. Both methods may be called from several threads
/// at once; they must be cheap (they are called often) and never fail.
pub trait Progress: Sync {
    /// `total` units of work begin; `what` names them ("issues analysed",
    /// "bytes"). May be called again for a later stage.
    fn start(&self, what: &str, total: u64) {
        let _ = (what, total);
    }

    /// `n` more units are done.
    fn advance(&self, n: u64) {
        let _ = n;
    }
}

/// Reports to no one: for callers that do not follow progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
