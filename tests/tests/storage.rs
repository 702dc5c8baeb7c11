//! Storage durability: values survive a restart of the app (a writer killed with SIGKILL at
//! arbitrary moments is `cli/tests/kill.rs`, storage and files through the whole runtime).

// Test helpers: a failed step is a test failure, so panicking is right.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use miniapp_core::capability::Policy;
use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};

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
