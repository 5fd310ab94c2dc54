//! Helpers shared by the integration suites: seeded data dirs and the built binaries.

pub mod proxy;
pub mod receiver;
pub mod seed;

use std::path::PathBuf;

/// A binary built into the same target dir as the running test (`codebind`, `codebind-app`, ...).
/// The test command builds the workspace first; a missing binary is a clear failure, not a skip.
pub fn built_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    // target/<profile>/deps/<test> → target/<profile>/<name>
    let profile_dir = exe.parent().and_then(|d| d.parent()).expect("target profile dir");
    let path = profile_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is not built; run `cargo build --workspace` before the integration tests",
        path.display()
    );
    path
}
