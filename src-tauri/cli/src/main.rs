//! `codebind`: the command line, a thin shell over `codebind_core`'s use cases.
//! Every failure prints one line, `codebind: error [<code>]: <message>`, and exits non-zero.

mod args;
mod output;
mod verbs;

use std::process::ExitCode;

use clap::Parser;
use codebind_core::{Core, Error, ErrorCode};

use args::{Cli, Verb};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let text = e.to_string();
            let line = text.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ");
            fail(&Error::invalid_input(format!("{line} (see `codebind --help`)")));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            fail(&e);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let core = Core::open_default()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(ErrorCode::Internal, format!("cannot start the runtime: {e}")))?;
    rt.block_on(async {
        match cli.verb {
            Verb::Status(a) => verbs::status::run(&core, &a),
            Verb::History(a) => verbs::history::run(&core, &a),
            Verb::Bind(a) => verbs::bind::run(&core, a).await,
            Verb::Verify(a) => verbs::verify::run(&core, &a).await,
            Verb::Repos(a) => verbs::browse::repos(&core, &a).await,
            Verb::Orgs(a) => verbs::browse::orgs(&core, &a).await,
            Verb::Disable(a) => verbs::toggle::run(&core, &a, true),
            Verb::Enable(a) => verbs::toggle::run(&core, &a, false),
            Verb::Unbind(a) => verbs::unbind::run(&core, &a).await,
            Verb::Rules(v) => verbs::rules::run(&core, v).await,
            Verb::Hooks(args::HooksVerb::List(a)) => verbs::rules::hooks(&core, &a).await,
            Verb::Hooks(args::HooksVerb::Repair(a)) => verbs::rule_change::repair(&core, &a).await,
            Verb::Hosts(v) => verbs::hosts::run(&core, v),
            Verb::Trigger(a) => verbs::rules::trigger(&core, &a).await,
        }
    })
}

fn fail(e: &Error) {
    let message = e.message.replace('\n', " ");
    eprintln!("codebind: error [{}]: {message}", e.code.as_str());
    debug_assert!(e.code != ErrorCode::Internal || !message.is_empty());
}
