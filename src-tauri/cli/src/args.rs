//! The command line's grammar.

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "codebind",
    version,
    about = "Bind code-hosting accounts for container image builds, and keep them healthy.",
    long_about = "Bind code-hosting accounts for container image builds, and keep them healthy.\n\n\
                  Uses the same store and keychain as the Codebind app. Set CODEBIND_DATA_DIR to use another data directory."
)]
pub struct Cli {
    #[command(subcommand)]
    pub verb: Verb,
}

#[derive(Subcommand, Debug)]
pub enum Verb {
    /// List the bound accounts with their status, scopes and expiry.
    Status(StatusArgs),
    /// Show the history of bindings, newest first.
    History(HistoryArgs),
    /// Bind an account with a personal access token read from standard input.
    Bind(BindArgs),
    /// Check bindings against their providers and update their status.
    Verify(VerifyArgs),
    /// List the repositories a binding can reach.
    Repos(IdArgs),
    /// List the organizations, groups or workspaces of a binding.
    Orgs(IdArgs),
    /// Stop using a binding without removing its token.
    Disable(IdArgs),
    /// Use a disabled binding again.
    Enable(IdArgs),
    /// Remove a binding and its token from this computer (history stays).
    Unbind(UnbindArgs),
    /// Build rules: which branch or tag builds which Dockerfile into which image.
    #[command(subcommand)]
    Rules(RulesVerb),
    /// Webhooks Codebind created.
    #[command(subcommand)]
    Hooks(HooksVerb),
    /// Send the build service a signed push event for a rule ("Build now").
    Trigger(TriggerArgs),
    /// Connection settings per host: a CA bundle to trust and a proxy.
    #[command(subcommand)]
    Hosts(HostsVerb),
}

#[derive(Subcommand, Debug)]
pub enum HostsVerb {
    /// Hosts with bindings or settings.
    List(JsonArgs),
    /// Set a host's CA bundle and proxy; what is not given stays.
    Set(HostSetArgs),
}

#[derive(Args, Debug)]
pub struct JsonArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("ca").args(["ca_bundle", "no_ca_bundle"])))]
#[command(group(clap::ArgGroup::new("via").args(["proxy", "direct", "system_proxy"])))]
pub struct HostSetArgs {
    /// The host, e.g. https://gitlab.acme.dev
    pub host: String,
    /// A PEM bundle of extra root certificates to trust for this host.
    #[arg(long, value_name = "PATH")]
    pub ca_bundle: Option<String>,
    #[arg(long)]
    pub no_ca_bundle: bool,
    /// Reach the host through this proxy (http:// or https://, no credentials).
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Reach the host without a proxy, whatever HTTPS_PROXY says.
    #[arg(long)]
    pub direct: bool,
    /// Use HTTPS_PROXY / NO_PROXY again.
    #[arg(long)]
    pub system_proxy: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum RulesVerb {
    /// Add a rule; the repository gets Codebind's push webhook if it has none yet.
    Add(RuleAddArgs),
    /// List rules, of one binding or all.
    List(RuleListArgs),
    /// Remove a rule; its webhook goes too when no other rule on the repository needs it.
    Remove(RuleIdArgs),
    /// Change a rule; what is not given stays. The webhook follows a new trigger URL.
    Edit(RuleEditArgs),
    /// Switch a rule on; its repository gets the webhook back if it had none.
    Enable(RuleIdArgs),
    /// Switch a rule off; the webhook goes when no enabled rule on the repository needs it.
    Disable(RuleIdArgs),
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("source").args(["branch", "tag"])))]
#[command(group(clap::ArgGroup::new("url").args(["trigger_url", "default_trigger_url"])))]
#[command(group(clap::ArgGroup::new("auth").args(["trigger_auth_stdin", "clear_trigger_auth"])))]
pub struct RuleEditArgs {
    pub rule_id: String,
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// A tag name or a regular expression.
    #[arg(long, value_name = "PATTERN")]
    pub tag: Option<String>,
    #[arg(long, value_name = "PATH")]
    pub dockerfile: Option<String>,
    #[arg(long, value_name = "DIR")]
    pub context: Option<String>,
    /// REPO[:TAG-TEMPLATE], with {branch}, {tag}, {sha}, {sha7} in the template.
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
    #[arg(long, value_name = "URL")]
    pub trigger_url: Option<String>,
    /// Use the trigger URL from Settings instead of the rule's own.
    #[arg(long)]
    pub default_trigger_url: bool,
    /// Read a new Authorization header value for the trigger URL from standard input.
    #[arg(long)]
    pub trigger_auth_stdin: bool,
    /// Drop the rule's own Authorization header.
    #[arg(long)]
    pub clear_trigger_auth: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["branch", "tag"])))]
pub struct RuleAddArgs {
    pub binding_id: String,
    /// owner/name, or group/subgroup/project on GitLab.
    pub repo: String,
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// A tag name or a regular expression.
    #[arg(long, value_name = "PATTERN")]
    pub tag: Option<String>,
    #[arg(long, value_name = "PATH")]
    pub dockerfile: String,
    #[arg(long, value_name = "DIR")]
    pub context: Option<String>,
    /// REPO[:TAG-TEMPLATE], with {branch}, {tag}, {sha}, {sha7} in the template.
    #[arg(long, value_name = "IMAGE")]
    pub image: String,
    #[arg(long, value_name = "URL")]
    pub trigger_url: Option<String>,
    /// Read an Authorization header value for the trigger URL from standard input (kept in the keychain).
    #[arg(long)]
    pub trigger_auth_stdin: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct RuleListArgs {
    pub binding_id: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct RuleIdArgs {
    pub rule_id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum HooksVerb {
    /// List a binding's webhooks and compare them with the provider (drift).
    List(IdArgs),
    /// Re-create a repository's webhook that is missing or drifted (or remove one no rule needs).
    Repair(HookRepairArgs),
}

#[derive(Args, Debug)]
pub struct HookRepairArgs {
    pub binding_id: String,
    pub repo: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TriggerArgs {
    pub rule_id: String,
    /// The branch or tag to build (default: the rule's own, when it is not a pattern).
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BindArgs {
    /// github, gitlab, bitbucket, gitee, codeup or gitea.
    pub provider: String,
    /// The host URL (default: the provider's public service; required for gitea).
    #[arg(long, value_name = "URL")]
    pub host: Option<String>,
    /// Bitbucket: the Atlassian account email; Codeup: the HTTPS clone user name; GitLab: the user name.
    #[arg(long, value_name = "NAME")]
    pub username: Option<String>,
    /// Codeup: the organization id.
    #[arg(long, value_name = "ID")]
    pub org: Option<String>,
    /// A PEM bundle of extra root certificates for a host with a private CA.
    #[arg(long, value_name = "FILE")]
    pub ca_bundle: Option<String>,
    /// Read a personal access token from standard input (tokens never go on the command line).
    #[arg(long, conflicts_with_all = ["oauth", "device"])]
    pub token_stdin: bool,
    /// Sign in with OAuth in the browser, returning to a loopback listener on 127.0.0.1.
    #[arg(long, conflicts_with = "device")]
    pub oauth: bool,
    /// Sign in with the device grant: type a code at the provider's page (GitHub, GitLab 17.9+).
    #[arg(long)]
    pub device: bool,
    /// The OAuth app's client id (default: Settings, CODEBIND_<PROVIDER>_CLIENT_ID, the settings file).
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Do not open a browser; only print the authorization URL.
    #[arg(long)]
    pub no_browser: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The binding to verify.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub id: Option<String>,
    /// Verify every enabled binding.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct IdArgs {
    /// The binding id (see `codebind status`).
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct UnbindArgs {
    /// The binding id (see `codebind status`).
    pub id: String,
    /// Also revoke the token at the provider where its API allows; otherwise say where to do it.
    #[arg(long)]
    pub revoke: bool,
    /// Leave the webhooks Codebind created in place (by default they are removed).
    #[arg(long)]
    pub keep_hooks: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Print JSON (an array of bindings) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Print JSON (an array of events) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only this binding's events.
    #[arg(long, value_name = "ID")]
    pub binding: Option<String>,
    /// Only events of this kind (bound, verified, verification_failed, disabled, enabled,
    /// re_authorized, token_refreshed, unbound, revoked, rule_added, rule_changed, rule_enabled,
    /// rule_disabled, rule_removed, hook_created, hook_removed, build_triggered).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// At most this many events (1-1000).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Only events older than this event id (to page further back).
    #[arg(long, value_name = "EVENT_ID")]
    pub before: Option<i64>,
    /// Write every matching event (not one page) to a file in this format.
    #[arg(long, value_name = "csv|json", requires = "output")]
    pub export: Option<String>,
    /// The file the export goes to (replaced if it exists).
    #[arg(long, value_name = "FILE", requires = "export")]
    pub output: Option<std::path::PathBuf>,
    /// With --export: only events at or after this time (RFC 3339).
    #[arg(long, value_name = "TIME", requires = "export")]
    pub from: Option<String>,
    /// With --export: only events before this time (RFC 3339).
    #[arg(long, value_name = "TIME", requires = "export")]
    pub to: Option<String>,
}
