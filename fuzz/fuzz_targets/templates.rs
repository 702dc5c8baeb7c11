//! WXML and WXS from the fuzzer's bytes: the part before the first NUL byte is a page's
//! template, the rest a WXS module it may use as `<wxs src="/utils/m.wxs" module="m"/>`;
//! both compiled as when the app opens (template compiler, depth limit, inline WXS, end-tag
//! explanations, WXS → JS).
#![no_main]

use libfuzzer_sys::fuzz_target;
use miniapp_core::package::Package;
use miniapp_fuzz::open_and_report;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (wxml, wxs) = text.split_once('\0').unwrap_or((&text, ""));
    let package = Package::from_sources([
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({ data: {} })"),
        ("pages/index/index.json", r#"{"usingComponents":{}}"#),
        ("pages/index/index.wxml", wxml),
        ("utils/m.wxs", wxs),
    ]);
    let prepared = open_and_report(package);
    // what reaches the engine names every template it compiled
    assert!(prepared.templates.paths.iter().any(|p| p == "pages/index/index"));
});
