//! `codebind status`

use codebind_core::{Core, Error};

use crate::args::StatusArgs;
use crate::output;

pub fn run(core: &Core, args: &StatusArgs) -> Result<(), Error> {
    let bindings = core.list_bindings()?;
    if args.json {
        return output::json(&bindings);
    }
    if bindings.is_empty() {
        println!("No accounts are bound yet. Bind one in the Codebind app.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = bindings
        .iter()
        .map(|b| {
            vec![
                b.id.clone(),
                b.provider.as_str().to_owned(),
                b.host.clone(),
                b.login.clone(),
                b.auth_method.as_str().to_owned(),
                if b.disabled { "disabled".to_owned() } else { b.status.as_str().to_owned() },
                if b.scopes.is_empty() { "-".to_owned() } else { b.scopes.join(",") },
                b.expires_at.clone().unwrap_or_else(|| "never".to_owned()),
            ]
        })
        .collect();
    output::table(&["ID", "PROVIDER", "HOST", "LOGIN", "METHOD", "STATUS", "SCOPES", "EXPIRES"], &rows);
    Ok(())
}
