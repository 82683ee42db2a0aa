//! `preflight action`: the GitHub Action's entry point. The library does the
//! work and returns the step's log; this writes it out.

use super::args::{ActionArgs, Global};
use super::common::settings;
use super::{w, Io, Outcome};
use issue_preflight::action::{self, config::Config, event::Event, Env, Log, Options};
use issue_preflight::services::Services;

pub fn run(global: &Global, args: ActionArgs, io: &mut Io<'_>) -> Outcome {
    let env = Env::from_process();
    let mut config = Config::load(args.config.as_deref())?;
    config.apply_label_inputs(|k| std::env::var(k).ok());
    let mut log = Log::default();
    let result = match env.event()? {
        (Event::Skip(reason), _) => {
            log.notice(&format!("nothing to check: {reason}"));
            Ok(())
        }
        (Event::Check(ev), repo) => {
            let mut s = settings(global)?;
            s.repo = repo.unwrap_or(s.repo);
            s.checkout = Some(env.workspace.clone());
            s.policy = config.thresholds;
            let opts = Options {
                config,
                env,
                close_support: args.close_support,
                dry_run: args.dry_run,
            };
            action::run(&Services::new(s), &ev, &opts, &mut log)
        }
    };
    // What was logged is printed even when the run failed half-way.
    for line in &log.lines {
        w(io.out, line)?;
    }
    result?;
    Ok(0)
}
