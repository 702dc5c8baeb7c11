//! WXML and WXS from the fuzzer's bytes: the part before the first NUL byte is a page's
//! template, the rest a WXS module it may use as `<wxs src="/utils/m.wxs" module="m"/>`;
//! both compiled as when the app opens (the depth limit, inline WXS, the template compiler,
//! end-tag explanations, WXS → JS), every problem a located diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use miniapp_core::compile::compile_templates;
use miniapp_core::package::Package;
use miniapp_core::Diagnostics;

fuzz_target!(init: miniapp_fuzz::crash_only_on_uncaught_panics(), |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (wxml, wxs) = text.split_once('\0').unwrap_or((&text, ""));
    let package = Package::from_sources([
        ("pages/index/index.wxml", wxml),
        ("templates/item.wxml", "<template name=\"item\"><view>{{name}}</view></template>"),
        ("utils/m.wxs", wxs),
    ]);
    let mut diags = Diagnostics::default();
    let compiled = compile_templates(&package, &mut diags);
    let _ = diags.to_string();
    // what reaches the engine names every template, compiled or emptied after an error
    assert!(compiled.paths.iter().any(|p| p == "pages/index/index"));
});
