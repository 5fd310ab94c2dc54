//! `codebind bind <provider> --token-stdin`

use std::io::Read;

use codebind_core::model::{BindRequest, ProviderKind};
use codebind_core::{Core, Error};

use crate::args::BindArgs;
use crate::output;

pub async fn run(core: &Core, args: BindArgs) -> Result<(), Error> {
    let provider = ProviderKind::parse(&args.provider).ok_or_else(|| {
        Error::invalid_input(format!("unknown provider {:?}; use github, gitlab, bitbucket, gitee, codeup or gitea", args.provider))
    })?;
    if !args.token_stdin {
        return Err(Error::invalid_input("pass the token on standard input with --token-stdin (never as an argument)"));
    }
    let mut token = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut token)
        .map_err(|e| Error::invalid_input(format!("cannot read the token from standard input: {e}")))?;
    let b = core
        .bind_with_token(BindRequest {
            provider,
            host: args.host,
            token,
            username: args.username,
            organization: args.org,
            ca_bundle: args.ca_bundle,
        })
        .await?;
    if args.json {
        return output::json(&b);
    }
    println!("You have successfully bound the {} account {} ({}).", provider.display_name(), b.login, b.host);
    println!("id: {}  status: {}", b.id, b.status.as_str());
    Ok(())
}
