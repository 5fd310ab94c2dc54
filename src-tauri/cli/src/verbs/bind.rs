//! `codebind bind <provider> (--token-stdin | --oauth | --device)`

use std::io::Read;
use std::time::Duration;

use codebind_core::auth::loopback::Loopback;
use codebind_core::model::{Binding, BindRequest, ProviderKind};
use codebind_core::{Core, Error, ErrorCode};

use crate::args::BindArgs;
use crate::output;

/// How long the CLI waits for the browser or the device approval.
const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(600);

pub async fn run(core: &Core, args: BindArgs) -> Result<(), Error> {
    let provider = ProviderKind::parse(&args.provider).ok_or_else(|| {
        Error::invalid_input(format!("unknown provider {:?}; use github, gitlab, bitbucket, gitee, codeup or gitea", args.provider))
    })?;
    let b = if args.oauth {
        oauth(core, provider, &args).await?
    } else if args.device {
        device(core, provider, &args).await?
    } else {
        token(core, provider, &args).await?
    };
    if args.json {
        return output::json(&b);
    }
    println!("You have successfully bound the {} account {} ({}).", provider.display_name(), b.login, b.host);
    println!("id: {}  status: {}", b.id, b.status.as_str());
    Ok(())
}

async fn token(core: &Core, provider: ProviderKind, args: &BindArgs) -> Result<Binding, Error> {
    if !args.token_stdin {
        return Err(Error::invalid_input("pass the token on standard input with --token-stdin (never as an argument), or use --oauth or --device"));
    }
    let mut token = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut token)
        .map_err(|e| Error::invalid_input(format!("cannot read the token from standard input: {e}")))?;
    core.bind_with_token(BindRequest {
        provider,
        host: args.host.clone(),
        token,
        username: args.username.clone(),
        organization: args.org.clone(),
        ca_bundle: args.ca_bundle.clone(),
    })
    .await
}

async fn oauth(core: &Core, provider: ProviderKind, args: &BindArgs) -> Result<Binding, Error> {
    let listener = Loopback::bind().await?;
    let started = core.start_oauth(provider, args.host.as_deref(), Some(&listener.redirect_uri()), args.client_id.as_deref())?;
    eprintln!("Open this URL to sign in (waiting up to 10 minutes):");
    // The URL alone on stdout's line, always, even when a browser opens.
    println!("{}", started.authorize_url);
    if !args.no_browser {
        open_browser(&started.authorize_url);
    }
    let callback = tokio::time::timeout(SIGN_IN_TIMEOUT, listener.wait())
        .await
        .map_err(|_| Error::new(ErrorCode::OauthExpired, "no sign-in arrived within 10 minutes"))??;
    core.finish_oauth(callback).await
}

async fn device(core: &Core, provider: ProviderKind, args: &BindArgs) -> Result<Binding, Error> {
    let (code, signin) = core.start_device(provider, args.host.as_deref(), args.client_id.as_deref()).await?;
    eprintln!("Enter the code {} at:", code.user_code);
    println!("{}", code.verification_uri);
    if !args.no_browser {
        open_browser(code.verification_uri_complete.as_deref().unwrap_or(&code.verification_uri));
    }
    core.finish_device(signin).await
}

/// The system browser; failing to open one is not an error (the URL is printed).
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("rundll32", vec!["url.dll,FileProtocolHandler", url])
    } else {
        ("xdg-open", vec![url])
    };
    let _ = std::process::Command::new(cmd.0)
        .args(cmd.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
