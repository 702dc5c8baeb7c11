//! The uniffi bindings: Kotlin is generated, compiled with kotlinc (npm `kotlin-compiler`,
//! pinned by bindings/kotlin/package-lock.json) and run on the JVM with JNA (Debian
//! `libjna-java`), driving the campus example. (Swift: `swift.rs`.)

// Test helpers: a failed build step is a test failure, so panicking is right.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{
    campus, cargo_build, crate_dir, generate, host_events_app, lib_dir, native_lib_dir, run,
};

const JNA_JAR: &str = "/usr/share/java/jna.jar";

fn kotlinc() -> PathBuf {
    let tools = crate_dir().join("kotlin");
    let bin = tools.join("node_modules/kotlin-compiler/bin/kotlinc");
    if !bin.exists() {
        run(
            Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&tools),
            "npm ci (kotlin-compiler)",
        );
    }
    bin
}

#[test]
fn kotlin_on_the_jvm() {
    // Check what the build cannot provide before spending minutes on it.
    assert!(
        Path::new(JNA_JAR).exists(),
        "{JNA_JAR} is missing: install Debian's libjna-java (bash .ci/run does)"
    );
    let kotlinc = kotlinc();
    let libs = native_lib_dir();
    // Its own cargo invocation: the bindgen's `cli` feature must not leak into the library.
    cargo_build(&["-p", "miniapp-uniffi-bindgen"]);

    let kotlin = generate("kotlin");
    let jar = lib_dir().join("miniapp-kotlin-test.jar");
    run(
        Command::new(kotlinc)
            .arg(kotlin.join("dev/miniapp/miniapp.kt"))
            .arg(crate_dir().join("kotlin/AppTest.kt"))
            .arg(embed_example())
            .args(["-nowarn", "-cp", JNA_JAR, "-d"])
            .arg(&jar),
        "kotlinc",
    );
    let stdlib = crate_dir().join("kotlin/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar");
    let classpath = format!("{}:{JNA_JAR}:{}", jar.display(), stdlib.display());
    let stdout = run(
        Command::new("java")
            .arg(format!("-Djna.library.path={}", libs.display()))
            .args(["-cp", &classpath, "AppTestKt"])
            .arg(campus())
            .arg(host_events_app()),
        "the Kotlin test on the JVM",
    );
    assert!(stdout.contains("kotlin: all checks passed"), "{stdout}");

    // The README's Kotlin host, run as its header says.
    let stdout = run(
        Command::new("java")
            .arg(format!("-Djna.library.path={}", libs.display()))
            .args(["-cp", &classpath, "example.MainKt"])
            .arg(campus()),
        "examples/embed/kotlin/Main.kt on the JVM",
    );
    assert!(stdout.contains("launched: ") && !stdout.contains("launched: 0 ops"), "{stdout}");
    assert!(stdout.contains("tapped #refresh (node "), "{stdout}");
    assert!(stdout.contains("page says: Refreshed 1 time\n"), "{stdout}");
    assert!(stdout.contains("[app] log: [app] onLaunch"), "{stdout}");
}

/// The Kotlin host example the README shows.
fn embed_example() -> PathBuf {
    crate_dir().join("../examples/embed/kotlin/Main.kt")
}
