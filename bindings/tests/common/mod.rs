//! Shared by the binding tests: build the shared library and locate build outputs.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `target/<profile>`, where cargo puts libminiapp_ffi.so for this test run.
pub fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    exe.parent().and_then(Path::parent).expect("target dir").to_path_buf()
}

/// Runs `cmd`, panicking with its output unless it succeeds; returns its stdout.
pub fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Runs `cargo build` with `args` in its own invocation.
pub fn cargo_build(args: &[&str]) {
    let what = format!("cargo build {args:?}");
    run(Command::new(env!("CARGO")).arg("build").args(args).current_dir(crate_dir()), &what);
}

/// Where the shared and static libraries the foreign programs link are: `target/<profile>/deps`.
/// The `cargo test` running this binary built them — the library target's crate types are
/// `cdylib`, `staticlib` and `lib`, built together whenever an integration test needs the crate —
/// with the features it resolved for the whole run. (Building them again in a nested
/// `cargo build -p miniapp-ffi` resolved other features for the dependencies and rebuilt some
/// hundred crates beside the run's own: minutes, and gigabytes a small CI disk did not have.)
pub fn native_lib_dir() -> PathBuf {
    let dir = lib_dir().join("deps");
    for name in ["libminiapp_ffi.so", "libminiapp_ffi.a"] {
        assert!(
            dir.join(name).is_file(),
            "{} is missing: run this test through `cargo test -p miniapp-ffi`, which builds it",
            dir.join(name).display()
        );
    }
    dir
}

/// The campus example every binding test drives.
pub fn campus() -> PathBuf {
    crate_dir().join("../examples/campus")
}

/// The fixture app that logs what every host event reaches.
pub fn host_events_app() -> PathBuf {
    crate_dir().join("../tests/fixtures/host_events/app")
}

/// Generates bindings for `language` into `target/<profile>/<language>-bindings`.
pub fn generate(language: &str) -> PathBuf {
    let out = lib_dir().join(format!("{language}-bindings"));
    let _ = std::fs::remove_dir_all(&out);
    run(
        Command::new(lib_dir().join("uniffi-bindgen"))
            .args(["generate", "--no-format", "--language", language, "--library"])
            .arg(native_lib_dir().join("libminiapp_ffi.so"))
            .arg("--out-dir")
            .arg(&out)
            .current_dir(crate_dir()),
        &format!("uniffi-bindgen ({language})"),
    );
    out
}
