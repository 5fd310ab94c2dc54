//! `codebind disable <id>` and `codebind enable <id>`

use codebind_core::{Core, Error};

use crate::args::IdArgs;
use crate::output;

pub fn run(core: &Core, args: &IdArgs, disable: bool) -> Result<(), Error> {
    let b = if disable { core.disable(&args.id)? } else { core.enable(&args.id)? };
    if args.json {
        return output::json(&b);
    }
    println!("{} {} ({})", if disable { "Disabled" } else { "Enabled" }, b.login, b.id);
    Ok(())
}
