//! Split packages (`miniapp pack --split-subpackages`, core `package::split`): the main archive
//! opens alone, each subpackage's archive is loaded when a route first goes there — from beside
//! the main archive, or fetched by the host — and only when it is the one the main archive
//! names.
#![allow(clippy::expect_used)] // a test: a failed step is a failure

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miniapp_core::host::RecordingHost;
use miniapp_core::package::signing::SecretKey;
use miniapp_core::package::split::{pack_split, SplitArchives};
use miniapp_core::package::Package;
use miniapp_core::runtime::prepare::precompile_split;
use miniapp_core::{AppInstance, InstanceConfig};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/subpackages/app")
}

fn split(version: &str, key: Option<&SecretKey>) -> SplitArchives {
    let pkg = Package::open_dir(fixture()).expect("opens");
    let compiled = precompile_split(&pkg).expect("compiles");
    pack_split(&pkg, version, key, &compiled, "app.mpk").expect("packs")
}

/// A fresh folder holding the main archive (and, with `beside`, the subpackage archives).
fn install(name: &str, archives: &SplitArchives, beside: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("miniapp-split-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("server")).expect("dir");
    std::fs::write(dir.join("app.mpk"), &archives.main).expect("write");
    for (_, file, bytes) in &archives.subpackages {
        let at = if beside { dir.join(file) } else { dir.join("server").join(file) };
        std::fs::write(at, bytes).expect("write");
    }
    dir
}

/// Opens `dir/app.mpk` and [`drive`]s it.
fn run(
    dir: &Path,
    host: Arc<RecordingHost>,
    trusted: &[miniapp_core::package::signing::PublicKey],
) -> (String, String) {
    let (pkg, _) = Package::open_packed(dir.join("app.mpk"), trusted).expect("opens");
    let config = InstanceConfig { host_services: Some(host), ..InstanceConfig::default() };
    drive(AppInstance::open(pkg, config).expect("opens"))
}

fn from_sources() -> (String, String) {
    let pkg = Package::open_dir(fixture()).expect("opens");
    drive(AppInstance::open(pkg, InstanceConfig::default()).expect("opens"))
}

/// Launches, taps `#to-a`, goes back, taps `#to-b`: the console, and the page after each step.
fn drive(mut app: AppInstance) -> (String, String) {
    app.launch(None, 1001).expect("launches");
    app.settle(1000.0).expect("settles");
    let mut trees = Vec::new();
    for step in ["#to-a", "back", "#to-b"] {
        if step == "back" {
            app.back().expect("back");
        } else {
            let node = app.select(step).expect("selects");
            app.tap(node).expect("taps");
        }
        app.settle(1000.0).expect("settles");
        trees.push(app.dump_text().expect("dumps"));
    }
    let logs: Vec<String> = app.logs().into_iter().map(|l| l.text).collect();
    (logs.join("\n"), trees.join("\n"))
}

/// Where entry `name`'s stored bytes start in ZIP `bytes` (after its local header).
fn entry_data(bytes: &[u8], name: &str) -> usize {
    let word = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize;
    let header = (0..bytes.len() - 30)
        .find(|&i| {
            bytes[i..i + 4] == [0x50, 0x4b, 3, 4]
                && bytes[i + 30..].starts_with(name.as_bytes())
                && word(i + 26) == name.len()
        })
        .expect("the entry");
    header + 30 + word(header + 26) + word(header + 28)
}

#[test]
fn split_archives_are_deterministic_and_each_holds_its_own_files() {
    let a = split("1.0.0", None);
    let b = split("1.0.0", None);
    assert_eq!(a.main, b.main, "same main archive");
    assert_eq!(a.subpackages, b.subpackages, "same subpackage archives");
    let roots: Vec<&str> = a.subpackages.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(roots, ["packageA", "packageB", "indep"]);
    let (main, _) = miniapp_core::package::packed::verify(&a.main, &[]).expect("verifies");
    assert!(main.package_files().all(|p| !p.starts_with("packageA/")), "{:?}", main.files.keys());
    assert_eq!(main.subpackages["packageA"].file, "app.packageA.mpk");
    let (sub, _) =
        miniapp_core::package::packed::verify(&a.subpackages[0].2, &[]).expect("verifies");
    assert_eq!(sub.subpackage.as_deref(), Some("packageA"));
    assert!(sub.package_files().all(|p| p.starts_with("packageA/")), "{:?}", sub.files.keys());
    assert!(sub.package_files().any(|p| p == "packageA/pages/list/list.wxml"));
}

#[test]
fn subpackages_beside_the_main_archive_run_as_the_sources_do() {
    let dir = install("beside", &split("1.0.0", None), true);
    let (logs, tree) = run(&dir, Arc::new(RecordingHost::default()), &[]);
    // the subpackage's own styles apply once it is loaded
    assert!(tree.contains("h=40"), "{tree}");
    assert_eq!((logs, tree), from_sources());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_host_fetches_a_subpackage_when_a_route_first_goes_there() {
    let archives = split("1.0.0", None);
    let dir = install("fetch", &archives, false);
    let host = Arc::new(RecordingHost::default());
    let a = dir.join("server/app.packageA.mpk");
    let b = dir.join("server/app.packageB.mpk");
    let script = serde_json::json!({ "loadSubpackage": [{ "path": a }, { "path": b }] });
    host.set_script(&script.to_string()).expect("script");
    let (logs, tree) = run(&dir, host.clone(), &[]);
    assert_eq!((logs, tree), from_sources(), "the same pages once fetched");
    let calls: Vec<_> = host.calls().into_iter().filter(|c| c.api == "loadSubpackage").collect();
    assert_eq!(calls.len(), 2, "each subpackage fetched once: {calls:?}");
    assert_eq!(calls[0].args["root"], "packageA");
    assert_eq!(calls[0].args["name"], "alpha");
    assert_eq!(calls[0].args["file"], "app.packageA.mpk");
    let (main, _) = miniapp_core::package::packed::verify(&archives.main, &[]).expect("verifies");
    assert_eq!(calls[0].args["manifestSha256"], main.subpackages["packageA"].manifest_sha256);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The console of a run whose first fetch the host answers with `answer`.
fn refused(name: &str, answer: serde_json::Value, trusted: Option<&SecretKey>) -> String {
    let archives = split("1.0.0", trusted);
    let dir = install(name, &archives, false);
    // another version of the app, for the mismatched answers
    let other = split("2.0.0", trusted);
    std::fs::create_dir_all(dir.join("v2")).expect("dir");
    for (_, file, bytes) in &other.subpackages {
        std::fs::write(dir.join("v2").join(file), bytes).expect("write");
    }
    let answer =
        serde_json::to_string(&answer).expect("json").replace("DIR", &dir.display().to_string());
    let host = Arc::new(RecordingHost::default());
    host.set_script(&format!(r#"{{"loadSubpackage": {answer}}}"#)).expect("script");
    let keys: Vec<_> = trusted.map(|k| k.public()).into_iter().collect();
    let (logs, _) = run(&dir, host, &keys);
    let _ = std::fs::remove_dir_all(&dir);
    logs
}

#[test]
fn a_subpackage_archive_that_is_not_the_one_named_is_refused_by_name() {
    let logs = refused("fail", serde_json::json!({ "fail": "offline" }), None);
    assert!(
        logs.contains("navigateTo:fail subpackage \"packageA\" could not be loaded: offline"),
        "{logs}"
    );
    // another version's archive of the same subpackage
    let logs = refused("version", serde_json::json!({ "path": "DIR/v2/app.packageA.mpk" }), None);
    assert!(logs.contains("packed with another version of the app than the one running"), "{logs}");
    // the archive of another subpackage
    let logs = refused("root", serde_json::json!({ "path": "DIR/server/app.packageB.mpk" }), None);
    assert!(
        logs.contains("expected subpackage `packageA`, found the archive of subpackage `packageB`"),
        "{logs}"
    );
    // no file there
    let logs = refused("none", serde_json::json!({ "path": "DIR/server/nothing.mpk" }), None);
    assert!(logs.contains("nothing.mpk: No such file"), "{logs}");
    // the failed route fails; a later route into the same subpackage asks again
    assert!(!logs.contains("packageA list module evaluated"), "{logs}");
}

#[test]
fn a_signed_split_package_loads_only_subpackages_its_keys_signed() {
    let key = SecretKey::generate().expect("key");
    let archives = split("1.0.0", Some(&key));
    let dir = install("signed", &archives, true);
    let (logs, _) = run(&dir, Arc::new(RecordingHost::default()), &[key.public()]);
    assert!(logs.contains("packageA list module evaluated"), "{logs}");
    // the same subpackage, unsigned, beside a signed main archive: refused
    let plain = split("1.0.0", None);
    std::fs::write(dir.join("app.packageA.mpk"), &plain.subpackages[0].2).expect("write");
    let (logs, _) = run(&dir, Arc::new(RecordingHost::default()), &[key.public()]);
    assert!(logs.contains("the archive is not signed"), "{logs}");
    // a tampered byte
    let mut bytes = archives.subpackages[0].2.clone();
    let at = entry_data(&bytes, "packageA/pages/list/list.js");
    bytes[at] ^= 0x20;
    std::fs::write(dir.join("app.packageA.mpk"), &bytes).expect("write");
    let (logs, _) = run(&dir, Arc::new(RecordingHost::default()), &[key.public()]);
    assert!(
        logs.contains("`packageA/pages/list/list.js` does not match the manifest's SHA-256"),
        "{logs}"
    );
    assert!(!logs.contains("packageA list module evaluated"), "{logs}");
    // a subpackage archive is not an app
    let err = Package::open_packed(dir.join("app.packageB.mpk"), &[key.public()])
        .expect_err("refused")
        .to_string();
    assert!(err.contains("this is the archive of subpackage `packageB`, not an app"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn require_async_fetches_the_subpackage_it_points_into() {
    let dir = std::env::temp_dir().join(format!("miniapp-split-async-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = [
        ("app.json", r#"{"pages":["pages/i/i"],"subpackages":[{"root":"lib","pages":["p/p"]}]}"#),
        ("app.js", "App({})"),
        (
            "pages/i/i.js",
            "Page({ onLoad() { require.async('../../lib/util.js').then((u) => console.log('util', u.answer), (e) => console.log('failed', e.errMsg)) } })",
        ),
        ("pages/i/i.wxml", "<view>main</view>"),
        ("lib/util.js", "module.exports = { answer: 42 }"),
        ("lib/p/p.js", "Page({})"),
        ("lib/p/p.wxml", "<view>lib</view>"),
    ];
    for (path, text) in files {
        let at = dir.join("src").join(path);
        std::fs::create_dir_all(at.parent().expect("parent")).expect("dir");
        std::fs::write(at, text).expect("write");
    }
    let pkg = Package::open_dir(dir.join("src")).expect("opens");
    let archives =
        pack_split(&pkg, "1", None, &precompile_split(&pkg).expect("compiles"), "app.mpk")
            .expect("packs");
    std::fs::write(dir.join("app.mpk"), &archives.main).expect("write");
    std::fs::write(dir.join("lib.mpk"), &archives.subpackages[0].2).expect("write");
    let console = |answer: serde_json::Value| {
        let host = Arc::new(RecordingHost::default());
        host.set_script(&serde_json::json!({ "loadSubpackage": answer }).to_string())
            .expect("script");
        let (pkg, _) = Package::open_packed(dir.join("app.mpk"), &[]).expect("opens");
        let config = InstanceConfig { host_services: Some(host), ..InstanceConfig::default() };
        let mut app = AppInstance::open(pkg, config).expect("opens");
        app.launch(None, 1001).expect("launches");
        app.settle(1000.0).expect("settles");
        app.logs().into_iter().map(|l| l.text).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(console(serde_json::json!({ "path": dir.join("lib.mpk") })), "util 42");
    let failed = console(serde_json::json!({ "fail": "offline" }));
    assert_eq!(failed, "failed subpackage \"lib\" could not be loaded: offline");
    let _ = std::fs::remove_dir_all(&dir);
}
