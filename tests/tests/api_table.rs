//! Every API the official typings (`miniprogram-api-typings`, pinned in `tests/api-typings/`)
//! declare on `wx` exists on miniapp's `wx`: implemented, a host hand-off, or refused the way
//! WeChat refuses an API (`core/src/api/registry.rs`). None is `undefined`.

#![allow(clippy::expect_used)] // a test: a missing section is a failure

use std::path::Path;
use std::process::Command;

use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig, RuntimeError};

/// The member names of `interface Wx` in the typings.
fn typings_names() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("api-typings");
    let dts = dir.join("node_modules/miniprogram-api-typings/types/wx/lib.wx.api.d.ts");
    if !dts.exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status();
        assert!(status.is_ok_and(|s| s.success()), "npm ci in tests/api-typings failed");
    }
    let src = std::fs::read_to_string(&dts).unwrap_or_default();
    // Comments hold example code; drop them, then take the top-level members of `interface Wx`.
    let mut text = String::with_capacity(src.len());
    let mut rest = src.as_str();
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    text.push_str(rest);
    let start = text.find("interface Wx {").expect("interface Wx in the typings");
    let mut names = Vec::new();
    for line in text[start..].lines().skip(1) {
        if line.starts_with("    }") {
            break;
        }
        let Some(member) = line.strip_prefix("        ") else { continue };
        let name: String =
            member.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let after = member[name.len()..].trim_start();
        if !name.is_empty() && after.starts_with(['(', '<', ':', '?']) && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[test]
fn every_typings_api_exists_on_wx() -> Result<(), RuntimeError> {
    let names = typings_names();
    assert!(names.len() > 450, "the typings changed shape: {} names", names.len());
    let list = serde_json::to_string(&names).unwrap_or_default();
    let page = format!(
        "const names = {list}\nPage({{ onLoad() {{ console.log(JSON.stringify(names.filter((n) => wx[n] === undefined))) }} }})"
    );
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["pages/index/index"]}"#.to_string()),
        ("app.js", "App({})".to_string()),
        ("pages/index/index.js", page),
        ("pages/index/index.wxml", "<view/>".to_string()),
    ]);
    let mut app = AppInstance::open(pkg, InstanceConfig::default())?;
    app.launch(None, 1001)?;
    let logs = app.logs();
    let missing: Vec<String> =
        serde_json::from_str(&logs.last().map(|l| l.text.clone()).unwrap_or_default())
            .unwrap_or_default();
    assert!(missing.is_empty(), "undefined on wx: {missing:?}");
    Ok(())
}

#[test]
fn a_refused_api_fails_like_wechat() -> Result<(), RuntimeError> {
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            "Page({ onLoad() { wx.startBeaconDiscovery({ fail: (e) => console.log(e.errMsg + ' ' + e.errno) }) } })",
        ),
        ("pages/index/index.wxml", "<view/>"),
    ]);
    let mut app = AppInstance::open(pkg, InstanceConfig::default())?;
    app.launch(None, 1001)?;
    app.settle(100.0)?;
    let logs: Vec<String> = app.logs().into_iter().map(|l| l.text).collect();
    assert_eq!(logs, ["startBeaconDiscovery:fail jsapi not supported 100"]);
    Ok(())
}
