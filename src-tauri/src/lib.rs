//! The Codebind desktop app: a thin Tauri shell over `codebind_core`.
//!
//! - `commands`: one thin function per use case, exposed over IPC.
//! - `deep_link`: `codebind://` links, on a cold start and forwarded by single-instance.
//! - `state`: the `Core` the commands share.

mod commands;
mod deep_link;
mod export;
mod hosts;
mod links;
mod rules;
mod oauth;
mod state;
mod threads;

use tauri::Manager;

/// Builds and runs the app. Single-instance is registered first so that a second launch (the OS
/// handing us a `codebind://` URL on Linux and Windows) forwards its arguments to this process.
pub fn run() {
    let mut builder = tauri::Builder::default();
    #[cfg(desktop)]
    {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // With the `deep-link` feature the URL in argv is already re-emitted as an open-url event.
            deep_link::focus_main_window(app);
        }));
    }
    builder
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state::AppState::open())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_bindings,
            commands::list_history,
            commands::binding_detail,
            commands::bind_with_token,
            commands::verify_binding,
            commands::verify_all,
            commands::set_disabled,
            commands::unbind,
            commands::list_orgs,
            commands::list_repos,
            oauth::start_oauth,
            oauth::start_device,
            oauth::oauth_app,
            oauth::save_oauth_app,
            links::open_external,
            rules::list_rules,
            rules::add_rule,
            rules::remove_rule,
            export::export_history,
            export::reveal_export,
            hosts::list_hosts,
            hosts::save_host,
            oauth::cancel_sign_in,
            rules::update_rule,
            rules::set_rule_enabled,
            rules::repair_hook,
            rules::list_hooks,
            rules::trigger_build,
            rules::trigger_url,
            rules::set_trigger_url,
            rules::set_trigger_auth,
            rules::has_trigger_auth,
        ])
        .setup(|app| {
            deep_link::install(app.handle())?;
            oauth::spawn_refresher(app.handle());
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.set_title("Codebind");
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Codebind");
}
