//! Storage durability: values survive a restart of the app, and a writer killed with SIGKILL at
//! arbitrary moments never corrupts the database or loses an acknowledged write.

// Test helpers: a failed step is a test failure, so panicking is right.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use miniapp_core::capability::{Policy, StorageLimits};
use miniapp_core::package::Package;
use miniapp_core::storage::Storage;
use miniapp_core::{AppInstance, InstanceConfig};
use miniapp_tests::storage_test_value as value_for;

fn app(dir: &std::path::Path) -> AppInstance {
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["pages/a/a"]}"#),
        ("app.js", "App({})"),
        ("pages/a/a.wxml", "<view>visits={{visits}}</view>"),
        (
            "pages/a/a.js",
            "Page({ data: { visits: 0 }, onLoad() { const v = (wx.getStorageSync('visits') || 0) + 1; wx.setStorageSync('visits', v); this.setData({ visits: v }) } })",
        ),
    ]);
    let config = InstanceConfig {
        data_dir: Some(dir.to_path_buf()),
        app_id: Some("wxdurable".into()),
        policy: Policy::headless_default(),
        ..InstanceConfig::default()
    };
    AppInstance::open(pkg, config).unwrap()
}

#[test]
fn storage_survives_an_app_restart() {
    let dir = tempfile::tempdir().unwrap();
    for expected in 1..=3 {
        let mut a = app(dir.path());
        a.launch(None, 1001).unwrap();
        let tree = a.dump_text().unwrap();
        assert!(tree.contains(&format!("visits={expected}")), "{tree}");
    }
    assert!(dir.path().join("wxdurable/storage.sqlite").exists());
}

#[test]
fn sigkill_during_writes_never_corrupts_or_loses_acknowledged_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut next = 0u64;
    let mut total_acked = 0usize;
    for round in 0..12u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_storage_writer"))
            .arg(dir.path())
            .arg("wxcrash")
            .arg(next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(i) = line.strip_prefix("ack ").and_then(|n| n.parse::<u64>().ok()) {
                    let _ = tx.send(i);
                }
            }
        });
        // Kill at a different moment each round, after at least one write was acknowledged.
        let first =
            rx.recv_timeout(Duration::from_secs(20)).expect("the writer acknowledges writes");
        std::thread::sleep(Duration::from_millis(3 + (round * 37) % 60));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        assert!(!status.success(), "the writer was killed");
        reader.join().unwrap();
        let acked: Vec<u64> = std::iter::once(first).chain(rx.try_iter()).collect();
        let last = *acked.iter().max().unwrap();
        total_acked += acked.len();

        let store = Storage::open(
            Some(dir.path()),
            "wxcrash",
            StorageLimits { quota_bytes: 64 << 20, max_value_bytes: 1 << 20 },
        )
        .unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}: database corrupted");
        // Each key's latest acknowledged write (or a later, unacknowledged one) must be present.
        for key in 0..200u64 {
            let latest_acked = acked.iter().copied().filter(|i| i % 200 == key).max();
            let Some(i) = latest_acked else { continue };
            let (_, value) = store
                .get(&format!("k{key}"))
                .unwrap()
                .unwrap_or_else(|| panic!("round {round}: k{key} lost"));
            let stored: u64 = value.split(':').next().unwrap().parse().unwrap();
            assert!(
                stored >= i,
                "round {round}: k{key} holds write {stored}, but write {i} was acknowledged"
            );
            assert_eq!(value, value_for(stored), "round {round}: k{key} holds a torn value");
        }
        next = last + 1;
    }
    assert!(total_acked > 12, "too few writes happened to test anything ({total_acked})");
}

/// What the app `app_id` (or, with `None`, an app the host gave no id) stores under `dir`, for
/// a package that claims the id `claimed` in its project.config.json.
fn visits(dir: &std::path::Path, app_id: Option<&str>, claimed: &str) -> String {
    let project = format!(r#"{{"appid":"{claimed}"}}"#);
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["pages/a/a"]}"#.to_string()),
        ("project.config.json", project),
        ("app.js", "App({})".into()),
        ("pages/a/a.wxml", "<view>visits={{visits}}</view>".into()),
        (
            "pages/a/a.js",
            "Page({ data: { visits: 0 }, onLoad() { const v = (wx.getStorageSync('visits') || 0) + 1; wx.setStorageSync('visits', v); this.setData({ visits: v }) } })".into(),
        ),
    ]);
    let config = InstanceConfig {
        data_dir: Some(dir.to_path_buf()),
        app_id: app_id.map(str::to_string),
        policy: Policy::headless_default(),
        ..InstanceConfig::default()
    };
    let mut app = AppInstance::open(pkg, config).unwrap();
    app.launch(None, 1001).unwrap();
    let text = app.dump_text().unwrap();
    text.lines().find(|l| l.contains("visits=")).unwrap().trim().to_string()
}

/// App ids that differ only in characters a naive directory name would fold (`wx_a`, `wx.a`)
/// keep separate data; a package without a host-given id cannot claim another app's data.
#[test]
fn app_data_is_keyed_by_the_host_given_id_only() {
    let dir = tempfile::tempdir().unwrap();
    assert!(visits(dir.path(), Some("wx_a"), "x").contains("visits=1"));
    assert!(visits(dir.path(), Some("wx_a"), "x").contains("visits=2"));
    assert!(visits(dir.path(), Some("wx.a"), "x").contains("visits=1"), "wx.a is not wx_a");
    // claims wx_a in project.config.json, but the host gave no id: its own, fresh data
    assert!(visits(dir.path(), None, "wx_a").contains("visits=1"));
    assert!(visits(dir.path(), Some("wx_a"), "x").contains("visits=3"));
}
