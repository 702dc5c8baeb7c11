//! The store's kill test: `miniapp store DIR install` (a new signed version each time) and
//! `miniapp store DIR launch` (which switches to it) are killed with SIGKILL at random moments,
//! again and again on one store folder. After every kill an uninterrupted `launch` must give a
//! version that verifies, never older than the last one launched, and either that one or a
//! version installed since.
//!
//! `MINIAPP_STORE_KILLS` sets the number of kills (default 500; CI runs it):
//! `cargo test -p miniapp-cli --test store_kill -- --nocapture` prints the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Rng;
use std::process::{Command, Stdio};
use std::time::Duration;

use miniapp_core::package::packed;
use miniapp_core::package::signing::SecretKey;
use miniapp_core::package::store::compare_versions;
use miniapp_core::package::Package;

fn miniapp() -> Command {
    Command::new(env!("CARGO_BIN_EXE_miniapp"))
}

/// Runs `launch` to the end: the version it launches.
fn launch(dir: &str, key: &str) -> String {
    let out = miniapp().args(["store", dir, "launch", "--trust", key]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "launch after a kill failed: {}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout.split_whitespace().next().expect("a version").to_string()
}

#[test]
fn killed_installs_and_launches_always_leave_a_launchable_version() {
    let kills: u64 =
        std::env::var("MINIAPP_STORE_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let base = std::env::temp_dir().join(format!("miniapp-store-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("dir");
    let key = SecretKey::generate().expect("key");
    let key_arg = key.public().to_text();
    let store = base.join("store").to_string_lossy().into_owned();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // a payload large enough that writing and syncing it takes a moment
    let payload: String = (0..200_000).map(|_| char::from(b'a' + rng.below(26) as u8)).collect();
    let archive = |version: &str| {
        let pkg = Package::from_sources([
            ("app.json", r#"{"pages":["p/i"]}"#.to_string()),
            ("p/i.wxml", format!("<view>{version}</view>")),
            ("p/data.js", format!("module.exports = '{payload}'")),
        ]);
        let path = base.join(format!("{version}.mpk"));
        std::fs::write(&path, packed::pack(&pkg, version, Some(&key)).expect("packs"))
            .expect("write");
        path
    };

    let first = archive("1.0.0");
    let ok = miniapp()
        .args(["store", &store, "install"])
        .arg(&first)
        .args(["--trust", &key_arg])
        .stdout(Stdio::null())
        .status()
        .expect("runs");
    assert!(ok.success());
    let mut launched = launch(&store, &key_arg);
    let (mut mid_install, mut mid_launch, mut newest) = (0u64, 0u64, "1.0.0".to_string());
    for i in 1..=kills {
        let version = format!("1.0.{i}");
        let path = archive(&version);
        let installing = rng.below(2) == 0;
        let mut cmd = miniapp();
        cmd.args(["store", &store]).stdout(Stdio::null()).stderr(Stdio::null());
        if installing {
            cmd.arg("install").arg(&path);
        } else {
            cmd.arg("launch");
        }
        let mut child = cmd.args(["--trust", &key_arg]).spawn().expect("spawns");
        std::thread::sleep(Duration::from_micros(rng.below(60_000)));
        if child.try_wait().expect("status").is_none() {
            if installing {
                mid_install += 1;
            } else {
                mid_launch += 1;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        if installing {
            newest = version;
        }
        let _ = std::fs::remove_file(&path);
        let now = launch(&store, &key_arg);
        assert!(
            compare_versions(&now, &launched) != std::cmp::Ordering::Less,
            "kill {i}: launched {now} after {launched}"
        );
        assert!(
            compare_versions(&now, &newest) != std::cmp::Ordering::Greater,
            "kill {i}: launched {now}, newer than anything installed ({newest})"
        );
        launched = now;
    }
    println!(
        "store kill test: {kills} kills ({mid_install} during an install, {mid_launch} during a launch), \
         a verified version launched after every one; last launched {launched}"
    );
    let _ = std::fs::remove_dir_all(&base);
}
