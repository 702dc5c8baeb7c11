//! The jest suite in `tests/automator/` (jest + the unmodified `miniprogram-automator` client,
//! pinned by its package-lock.json) against this build's `miniapp serve` / `miniapp auto`.

// A failed step is a test failure, so panicking is right.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn jest_suite_drives_miniapp_serve() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/automator");
    if !suite.join("node_modules/.bin/jest").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&suite)
            .status()
            .expect("npm is needed for the automator suite (bash .ci/run installs it)");
        assert!(status.success(), "npm ci in tests/automator failed");
    }
    let out = Command::new(suite.join("node_modules/.bin/jest"))
        .args(["--ci", "--forceExit", "--colors=false"])
        .env("MINIAPP_BIN", env!("CARGO_BIN_EXE_miniapp"))
        .current_dir(&suite)
        .output()
        .expect("jest runs");
    let report = String::from_utf8_lossy(&out.stderr);
    println!("{report}");
    assert!(out.status.success(), "the automator suite failed:\n{report}");
    let summary = report.lines().find(|l| l.starts_with("Tests:")).unwrap_or_default();
    assert!(summary.contains("passed") && !summary.contains("failed"), "{report}");
}
