//! `codebind unbind <id> [--revoke]`

use codebind_core::model::RevokeOutcome;
use codebind_core::{Core, Error};

use crate::args::UnbindArgs;
use crate::output;

pub async fn run(core: &Core, args: &UnbindArgs) -> Result<(), Error> {
    let report = core.unbind(&args.id, args.revoke).await?;
    if args.json {
        return output::json(&report);
    }
    println!("Removed the token from the keychain and the binding {} from this computer; its history stays.", report.binding_id);
    match &report.revoke {
        RevokeOutcome::Revoked => println!("The token was revoked at the provider."),
        RevokeOutcome::Manual { url } => println!("The provider has no API to revoke it: revoke the token at {url}"),
        RevokeOutcome::Failed { message, url } => println!("Revoking failed ({message}): revoke the token at {url}"),
        RevokeOutcome::NotRequested => println!("The token is still valid at the provider; pass --revoke to revoke it."),
    }
    Ok(())
}
