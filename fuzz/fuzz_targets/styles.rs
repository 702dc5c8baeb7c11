//! WXSS and Sass from the fuzzer's bytes: the part before the first NUL byte is `app.wxss`, the
//! rest the page's `index.scss` (the Sass plugin is on), parsed and compiled as when the app
//! opens: `@import`, rpx, the selector rewrites (structural pseudo-classes, sibling
//! combinators, `::before`/`::after`), keyframes, custom properties.
#![no_main]

use libfuzzer_sys::fuzz_target;
use miniapp_core::package::Package;
use miniapp_fuzz::open_and_report;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (wxss, scss) = text.split_once('\0').unwrap_or((&text, ""));
    let package = Package::from_sources([
        ("project.config.json", r#"{"setting":{"useCompilerPlugins":["sass"]}}"#),
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("app.wxss", wxss),
        ("common/base.wxss", ".base { color: red; }"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view class=\"a\"><text>x</text></view>"),
        ("pages/index/index.scss", scss),
        ("pages/index/_vars.scss", "$gap: 12rpx;"),
    ]);
    open_and_report(package);
});
