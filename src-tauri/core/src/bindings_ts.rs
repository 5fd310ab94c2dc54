//! The TypeScript bindings of every type that crosses IPC, generated with ts-rs and checked in at
//! `ui/src/lib/api/bindings.ts`. This test fails when the checked-in file drifts from the Rust types;
//! `UPDATE_BINDINGS=1 cargo test -p codebind-core bindings` rewrites it.

use ts_rs::{Config, TS};

use crate::error::{Error, ErrorCode};
use crate::auth::device::DeviceCode;
use crate::model::*;
use crate::usecases::{ExportFilter, ExportFormat, ExportReport, HookSync, HostEntry, HostUpdate, NewRule, OAuthAppView, OAuthFinished, OAuthStarted, Redirect, RuleAdded, RuleEdit, RuleRemoved, RuleSaved};
use crate::providers::reachability::ReachabilityWarning;
use crate::providers::scopes::{Feature, FeatureHealth, ScopeHealth};

const CHECKED_IN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/src/lib/api/bindings.ts");

fn generate() -> String {
    let cfg = Config::new().with_large_int("number".to_owned());
    let decls = [
        ProviderKind::decl(&cfg),
        AuthMethod::decl(&cfg),
        BindingStatus::decl(&cfg),
        EventKind::decl(&cfg),
        Binding::decl(&cfg),
        HistoryEvent::decl(&cfg),
        HistoryPage::decl(&cfg),
        HistoryQuery::decl(&cfg),
        ProviderInfo::decl(&cfg),
        VaultStatus::decl(&cfg),
        AppInfo::decl(&cfg),
        ErrorCode::decl(&cfg),
        Error::decl(&cfg),
        OrgAccess::decl(&cfg),
        Org::decl(&cfg),
        Repo::decl(&cfg),
        RevokeOutcome::decl(&cfg),
        BindRequest::decl(&cfg),
        VerifyReport::decl(&cfg),
        VerifyProgress::decl(&cfg),
        UnbindReport::decl(&cfg),
        Feature::decl(&cfg),
        FeatureHealth::decl(&cfg),
        ScopeHealth::decl(&cfg),
        ReachabilityWarning::decl(&cfg),
        BindingDetail::decl(&cfg),
        Redirect::decl(&cfg),
        OAuthStarted::decl(&cfg),
        OAuthAppView::decl(&cfg),
        OAuthFinished::decl(&cfg),
        DeviceCode::decl(&cfg),
        SourceType::decl(&cfg),
        BuildRule::decl(&cfg),
        Webhook::decl(&cfg),
        WebhookState::decl(&cfg),
        HookRemoval::decl(&cfg),
        TriggerReport::decl(&cfg),
        NewRule::decl(&cfg),
        RuleAdded::decl(&cfg),
        RuleRemoved::decl(&cfg),
        RuleEdit::decl(&cfg),
        HookSync::decl(&cfg),
        RuleSaved::decl(&cfg),
        ExportFormat::decl(&cfg),
        ExportFilter::decl(&cfg),
        ExportReport::decl(&cfg),
        HostSettings::decl(&cfg),
        HostEntry::decl(&cfg),
        HostUpdate::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in src-tauri/core by ts-rs. Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p codebind-core bindings` after changing them.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

#[test]
fn bindings_match_the_rust_types() {
    let fresh = generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(CHECKED_IN, &fresh).expect("write bindings.ts");
        return;
    }
    let current = std::fs::read_to_string(CHECKED_IN).unwrap_or_default();
    assert!(
        current == fresh,
        "ui/src/lib/api/bindings.ts is out of date with the Rust types; \
         run `UPDATE_BINDINGS=1 cargo test -p codebind-core bindings` and commit the result"
    );
}
