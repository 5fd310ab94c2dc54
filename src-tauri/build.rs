fn main() {
    // App commands are put under the ACL: a window may call only what a capability grants it.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "app_info",
            "list_bindings",
            "list_history",
            "binding_detail",
            "bind_with_token",
            "verify_binding",
            "verify_all",
            "set_disabled",
            "unbind",
            "list_orgs",
            "list_repos",
            "start_oauth",
            "start_device",
            "oauth_app",
            "save_oauth_app",
            "open_external",
            "list_rules",
            "add_rule",
            "remove_rule",
            "export_history",
            "reveal_export",
            "update_rule",
            "set_rule_enabled",
            "repair_hook",
            "list_hooks",
            "trigger_build",
            "trigger_url",
            "set_trigger_url",
            "set_trigger_auth",
            "has_trigger_auth",
        ]),
    ))
    .expect("tauri build script failed");
}
