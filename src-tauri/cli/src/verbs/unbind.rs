//! `codebind unbind <id> [--revoke]`

use codebind_core::model::RevokeOutcome;
use codebind_core::{Core, Error};

use crate::args::UnbindArgs;
use crate::output;

pub async fn run(core: &Core, args: &UnbindArgs) -> Result<(), Error> {
    let report = core.unbind_with(&args.id, args.revoke, !args.keep_hooks).await?;
    if args.json {
        return output::json(&report);
    }
    println!("Removed the token from the keychain and the binding {} from this computer; its history stays.", report.binding_id);
    for h in &report.hooks {
        match (&h.removed, &h.manual_url) {
            (true, _) => println!("Removed the webhook on {}.", h.repo),
            (false, Some(url)) => println!("Could not remove the webhook on {} ({}): remove it at {url}", h.repo, h.error.as_ref().map(|e| e.message.as_str()).unwrap_or("")),
            (false, None) => println!("Could not remove the webhook on {}.", h.repo),
        }
    }
    match &report.revoke {
        RevokeOutcome::Revoked => println!("The token was revoked at the provider."),
        RevokeOutcome::Manual { url } => println!("The provider has no API to revoke it: revoke the token at {url}"),
        RevokeOutcome::Failed { message, url } => println!("Revoking failed ({message}): revoke the token at {url}"),
        RevokeOutcome::NotRequested => println!("The token is still valid at the provider; pass --revoke to revoke it."),
    }
    Ok(())
}
