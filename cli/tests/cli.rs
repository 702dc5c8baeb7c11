//! The `miniapp` binary as a user runs it: exit codes and what it prints, on fixture apps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture_app(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(case).join("app")
}

fn miniapp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_miniapp")).args(args).output().expect("miniapp runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A broken file blocks only the pages that use it: the other pages open clean.
#[test]
fn a_broken_page_does_not_block_the_others() {
    let app = fixture_app("module_env");
    let app = app.to_str().unwrap();
    let ok = miniapp(&["run", app, "--page", "pages/index/index"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(
        text(&ok.stdout)
            .contains("module-env object true regexp=2024-01-05|1b|za|2|b|true mixed=yes"),
        "{}",
        text(&ok.stdout)
    );

    // Opens, but reports the problems in the files it uses: exit 1 with each problem located.
    let broken = miniapp(&["run", app, "--page", "pages/broken/broken"]);
    let err = text(&broken.stderr);
    assert_eq!(broken.status.code(), Some(1), "{err}");
    assert!(err.contains("pages/broken/broken.json:1:32: error [E203]: `nope`: no component at `/components/nope/nope`"), "{err}");
    assert!(err.contains("pages/broken/broken.wxml: error [E101]: imported or included template `templates/missing.wxml` does not exist"), "{err}");
    assert!(text(&broken.stdout).contains("still opens"));

    // Its own module throws: it cannot open (exit 2), and the error names the module's line.
    let throws = miniapp(&["run", app, "--page", "pages/throws/throws"]);
    let err = text(&throws.stderr);
    assert_eq!(throws.status.code(), Some(2), "{err}");
    assert!(err.contains("pages/throws/throws.js:2:1: error [E401]: TypeError"), "{err}");
    assert!(err.contains("error: page \"pages/throws/throws\" cannot open: pages/throws/throws.js threw TypeError: cannot set property 'theme' of null"), "{err}");
}

/// `check` parses every script, used or not, and compiles every template.
#[test]
fn check_reports_every_problem() {
    let app = fixture_app("module_env");
    let out = miniapp(&["check", app.to_str().unwrap()]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("utils/unused.js:"), "{report}");
    assert!(report.contains("error [E400]: SyntaxError"), "{report}");
    assert!(report.contains("pages/broken/broken.json:1:32: error [E203]"), "{report}");
}

/// `check --report` says what a package uses and how each thing is supported.
#[test]
fn check_report_lists_what_the_package_uses() {
    let app = fixture_app("wx_shell");
    let out = miniapp(&["check", app.to_str().unwrap(), "--report", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let support = |kind: &str, name: &str| {
        report[kind]
            .as_array()
            .and_then(|l| l.iter().find(|u| u["name"] == name))
            .map(|u| u["support"].clone())
    };
    assert_eq!(support("apis", "getMenuButtonBoundingClientRect"), Some("supported".into()));
    assert_eq!(support("apis", "addCard"), Some("refused".into()));
    assert_eq!(support("apis", "cloud"), Some("refused".into()));
    assert_eq!(support("apis", "showShareMenu"), Some("supported".into()));
    assert_eq!(support("tags", "view"), Some("supported".into()));
    let human = text(&miniapp(&["check", app.to_str().unwrap(), "--report"]).stdout);
    assert!(human.starts_with("wx APIs: "), "{human}");
    assert!(human.contains("addCard") && human.contains("refused"), "{human}");
}

/// `check --pages` opens each page in a fresh instance and says which open clean.
#[test]
fn check_pages_opens_every_page() {
    let app = fixture_app("module_env");
    let out = miniapp(&["check", app.to_str().unwrap(), "--pages"]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("ok    pages/index/index\n"), "{report}");
    assert!(
        report.contains("fail  pages/throws/throws: pages/throws/throws.js:2:1: error [E401]"),
        "{report}"
    );
    assert!(report.ends_with("1 of 3 pages open clean\n"), "{report}");
    let json = miniapp(&["check", app.to_str().unwrap(), "--pages", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!((doc["clean"].as_u64(), doc["pages"].as_u64()), (Some(1), Some(3)));
}

/// Bad usage exits 64 (2 means an invalid package); help exits 0.
#[test]
fn bad_usage_exits_64() {
    for args in
        [&["run", "--bogus"][..], &["run", "x", "--viewport", "12"], &["run", "x", "--dump", "xml"]]
    {
        let out = miniapp(args);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).starts_with("error:"), "{}", text(&out.stderr));
    }
    assert_eq!(miniapp(&["--help"]).status.code(), Some(0));
}

fn campus() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/campus").to_str().unwrap().to_string()
}

/// `--screenshot` draws the page after the steps at the viewport's pixel ratio; a bad ratio is
/// a usage error.
#[test]
fn run_screenshot_writes_a_png_at_the_pixel_ratio() {
    let dir = std::env::temp_dir().join(format!("miniapp-shot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let png = dir.join("home.png");
    let png_arg = png.to_str().expect("utf-8 path");
    let out = miniapp(&["run", &campus(), "--viewport", "375x667@1", "--screenshot", png_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("→ screenshot"), "{}", text(&out.stderr));
    let bytes = std::fs::read(&png).expect("the PNG was written");
    assert!(bytes.starts_with(b"\x89PNG"));
    // IHDR: width and height, big-endian, at bytes 16..24 (44 + 667 + 50 px tall at ratio 1)
    let size =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    assert_eq!((size(16), size(20)), (375, 761));
    let bad = miniapp(&["run", &campus(), "--viewport", "375x667@9", "--screenshot", png_arg]);
    assert_eq!(bad.status.code(), Some(64), "{}", text(&bad.stderr));
    // one picture per frame: the launch's, then the tap's (the page changes)
    let every = dir.join("frames");
    let every_arg = every.to_str().expect("utf-8 path");
    let steps = miniapp(&[
        "run",
        &campus(),
        "--viewport",
        "375x667@1",
        "--tap",
        "#refresh",
        "--screenshot-every",
        every_arg,
    ]);
    assert_eq!(steps.status.code(), Some(0), "{}", text(&steps.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&every)
        .expect("the folder was made")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 2 && names[0] == "frame-0001.png", "{names:?}");
    let first = std::fs::read(every.join(&names[0])).expect("read");
    let last = std::fs::read(every.join(names.last().expect("one"))).expect("read");
    assert!(first.starts_with(b"\x89PNG") && first != last, "the pictures follow the frames");
    let _ = std::fs::remove_dir_all(&dir);
}

/// stderr tells the run in order: each step, then what the app logged and asked the host.
#[test]
fn run_narrates_steps_in_order() {
    let out =
        miniapp(&["run", &campus(), "--tap", "#refresh", "--host", "share", "--host", "show 1011"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let at = |needle: &str| err.find(needle).unwrap_or_else(|| panic!("no `{needle}` in\n{err}"));
    assert!(at("→ launch the entry page (scene 1001)") < at("[log] [app] onLaunch"));
    assert!(at("[log] [app] onLaunch") < at("[host] getNetworkType {}"));
    assert!(at("[host] getNetworkType {}") < at("→ tap #refresh (node "));
    assert!(at("→ tap #refresh (node ") < at("→ host share"));
    assert!(err.contains("→ host share (from the menu)\n  nothing happened: this page cannot be shared: it defines no onShareAppMessage\n"), "{err}");
    assert!(err.contains("→ host show (scene 1011)\n  nothing happened: the app is already in the foreground: `--host hide` first\n"), "{err}");
}

/// `--host` takes every host event, in words or as JSON.
#[test]
fn host_events_in_words_or_json() {
    let out = miniapp(&[
        "run",
        &campus(),
        "--host",
        r#"{"type":"themeChange","theme":"dark"}"#,
        "--host",
        "memory 10",
        "--host",
        "resize 414x736",
    ]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("→ host theme dark\n"), "{err}");
    assert!(err.contains("→ host memory warning (level 10)\n"), "{err}");
    assert!(
        text(&out.stdout)
            .contains("<page route=\"pages/index/index\" window={10 keys}> [x=0 y=0 w=414"),
        "relaid out at the new width"
    );
}

/// The default dump is for people: data-* shown, JSON attributes summarised.
#[test]
fn default_dump_is_readable() {
    let out = miniapp(&["run", &campus()]);
    let tree = text(&out.stdout);
    assert!(tree.starts_with("<root tabBar={"), "{tree}");
    assert!(tree.contains(" keys}>\n  <page route=\"pages/index/index\" window={"), "{tree}");
    assert!(tree.contains("<view class=\"chip\" data-cat=\"library\">"), "{tree}");
    assert!(tree.lines().all(|l| l.chars().count() < 200), "{tree}");
}

/// `--host` with an unknown action lists every valid one.
#[test]
fn unknown_host_action_lists_the_valid_ones() {
    let out = miniapp(&["run", &campus(), "--host", "fly"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        text(&out.stderr).contains("network TYPE|none, theme light|dark"),
        "{}",
        text(&out.stderr)
    );
}

/// `miniapp new` writes a starter project that runs and checks clean; it never overwrites.
#[test]
fn new_writes_a_starter_that_runs() {
    let dir = std::env::temp_dir().join(format!("miniapp-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let created = miniapp(&["new", d]);
    assert_eq!(created.status.code(), Some(0), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains(&format!("miniapp run {d} --tap '#add'")));
    let check = miniapp(&["check", d]);
    assert_eq!(text(&check.stdout), "ok: 2 pages, 1 component, 0 diagnostics\n");
    let run = miniapp(&["run", d, "--tap", "#add", "--tap", ".task[data-id=2]"]);
    let tree = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(tree.contains("\"Taps: 1\""), "{tree}");
    assert!(tree.contains("\"2 of 3 done · counter: 1\""), "{tree}");
    assert!(tree.contains("<view class=\"task done\" data-id=\"2\">"), "{tree}");
    let logs = text(&miniapp(&["run", d, "--tap", "#logs"]).stdout);
    assert!(logs.contains("<page route=\"pages/logs/logs\""), "{logs}");
    let again = miniapp(&["new", d]);
    assert_eq!(again.status.code(), Some(64));
    assert!(text(&again.stderr).contains("is not empty"), "{}", text(&again.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A mistyped end tag is an error naming both tags and both places.
#[test]
fn mismatched_end_tag_is_an_error() {
    let dir = std::env::temp_dir().join(format!("miniapp-tags-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pages/index")).unwrap();
    std::fs::write(dir.join("app.json"), r#"{"pages":["pages/index/index"]}"#).unwrap();
    std::fs::write(dir.join("app.js"), "App({})").unwrap();
    std::fs::write(dir.join("pages/index/index.js"), "Page({})").unwrap();
    std::fs::write(
        dir.join("pages/index/index.wxml"),
        "<view class=\"a\">\n  <text>hi</txet>\n  <view>x</view>\n</view>\n",
    )
    .unwrap();
    let d = dir.to_str().unwrap();
    let expected = "pages/index/index.wxml:2:11: error [E300]: end tag `</txet>` does not match \
                    start tag `<text>` at line 2, column 4: change it to `</text>` (or the start \
                    tag to `<txet>`)\n";
    let check = miniapp(&["check", d]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        text(&check.stdout),
        format!("{expected}failed: 1 page, 0 components, 1 diagnostic\n")
    );
    let run = miniapp(&["run", d]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains(expected.trim_end()), "{}", text(&run.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A user's swipe is what the dump shows: autoplay waits `duration + interval` after it.
#[test]
fn a_swipe_is_not_undone_by_autoplay() {
    let app = fixture_app("builtin_scroll_swiper");
    // interval 4000, duration 300: the old restart at +4000 fell inside a 4000 ms settle.
    let out = miniapp(&[
        "run",
        app.to_str().unwrap(),
        "--settle",
        "4000",
        "--act",
        r#"swiper {"action":"swipe","current":2}"#,
    ]);
    let tree = text(&out.stdout);
    assert!(
        tree.contains("<swiper id=\"sw\" autoplay=\"true\" circular=\"true\" current=\"2\""),
        "{tree}"
    );
}

/// `check` runs what WeChat runs at launch: a top-level throw in `app.js` and a loop that never
/// ends are errors with their place (the loop after the 2 s task limit).
#[test]
fn check_runs_the_app_at_launch() {
    let dir = std::env::temp_dir().join(format!("miniapp-check-run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pages/index")).unwrap();
    std::fs::write(dir.join("app.json"), r#"{"pages":["pages/index/index"]}"#).unwrap();
    std::fs::write(dir.join("pages/index/index.js"), "Page({})").unwrap();
    std::fs::write(dir.join("pages/index/index.wxml"), "<view>ok</view>").unwrap();
    std::fs::write(dir.join("app.js"), "const x = 1\nthrow new Error('boom at start')\n").unwrap();
    let out = miniapp(&["check", dir.to_str().unwrap()]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("app.js:2:11: error [E401]: Error (during app.js): boom at start"),
        "{report}"
    );
    std::fs::write(dir.join("app.js"), "App({})\nfor (;;) {}\n").unwrap();
    let out = miniapp(&["check", dir.to_str().unwrap()]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("past the task time limit of 2.0 s"), "{report}");
    std::fs::write(dir.join("app.js"), "App({})").unwrap();
    assert_eq!(miniapp(&["check", dir.to_str().unwrap()]).status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check --pages` takes `run`'s options: a page whose only uncaught errors are requests no
/// server answered is told apart (`net`), and the same page opens clean when `--http-fixtures`
/// answers them; so is a page whose only uncaught error is a `wx` call's failure nothing
/// handles (`api`); a page that throws for another reason stays `fail`.
#[test]
fn check_pages_tells_unanswered_requests_apart_and_takes_fixtures() {
    let dir = std::env::temp_dir().join(format!("miniapp-check-net-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for page in ["plain", "shop", "broken", "ads", "alone"] {
        std::fs::create_dir_all(dir.join("pages").join(page)).unwrap();
        std::fs::write(dir.join(format!("pages/{page}/{page}.wxml")), "<view>{{n}}</view>")
            .unwrap();
    }
    std::fs::write(
        dir.join("app.json"),
        r#"{"pages":["pages/plain/plain","pages/shop/shop","pages/broken/broken","pages/ads/ads","pages/alone/alone"]}"#,
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "App({})").unwrap();
    std::fs::write(dir.join("pages/plain/plain.js"), "Page({ data: { n: 1 } })").unwrap();
    // the usual promise wrapper: rejects with the fail result, nobody catches it
    let get = "const get = (url) => new Promise((resolve, reject) => wx.request({ url, \
               success: (r) => resolve(r.data), fail: reject }))\n";
    std::fs::write(
        dir.join("pages/shop/shop.js"),
        format!("{get}Page({{ data: {{ n: 0 }}, onLoad() {{ get('https://api.shop.example/goods').then((d) => this.setData({{ n: d.n }})) }} }})"),
    )
    .unwrap();
    std::fs::write(
        dir.join("pages/broken/broken.js"),
        format!(
            "{get}Page({{ onLoad() {{ get('https://api.shop.example/goods'); setTimeout(() => this.nope(), 100) }} }})"
        ),
    )
    .unwrap();
    // an ad shown with nobody catching that none loads (miniapp serves no ads)
    std::fs::write(
        dir.join("pages/ads/ads.js"),
        "Page({ data: { n: 2 }, onLoad() { wx.createInterstitialAd({ adUnitId: 'a' }).show() } })",
    )
    .unwrap();
    // opened alone, it has no page to go back to: the call fails, its promise unhandled
    std::fs::write(
        dir.join("pages/alone/alone.js"),
        "Page({ data: { n: 3 }, onLoad() { wx.navigateBack() } })",
    )
    .unwrap();
    let out = miniapp(&["check", dir.to_str().unwrap(), "--pages"]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(report.contains("ok    pages/plain/plain\n"), "{report}");
    assert!(
        report.contains("net   pages/shop/shop: opens; its only uncaught error is a network call no server answered: unhandled promise rejection"),
        "{report}"
    );
    assert!(report.contains("request:fail url not in domain list"), "{report}");
    // reported with what failed it, not the unanswered request before it
    assert!(
        report.contains("fail  pages/broken/broken: pages/broken/broken.js:")
            && report.contains("TypeError (during timer callback)"),
        "{report}"
    );
    assert!(report.contains("net   pages/ads/ads: opens;"), "{report}");
    assert!(
        report.contains(
            "api   pages/alone/alone: opens; its uncaught errors are wx calls that failed with \
             nothing to handle them (WeChat logs these too): unhandled promise rejection"
        ) && report.contains("navigateBack:fail cannot navigate back at first page"),
        "{report}"
    );
    assert!(
        report.contains(
            "1 of 5 pages open clean; 2 more open with only unanswered network calls failing"
        ) && report
            .ends_with("; 1 more open with only wx calls failing that nothing handles (`api`)\n"),
        "{report}"
    );
    let json = miniapp(&["check", dir.to_str().unwrap(), "--pages", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(
        (
            doc["clean"].as_u64(),
            doc["only_unanswered_requests"].as_u64(),
            doc["only_failed_wx_calls"].as_u64()
        ),
        (Some(1), Some(2), Some(1))
    );

    let fixtures = dir.join("fixtures.json");
    std::fs::write(
        &fixtures,
        r#"[{"method":"GET","url":"https://api.shop.example/goods","status":200,"header":{},"body":{"n":7}}]"#,
    )
    .unwrap();
    let args =
        ["check", dir.to_str().unwrap(), "--pages", "--http-fixtures", fixtures.to_str().unwrap()];
    let out = miniapp(&args);
    let report = text(&out.stdout);
    assert!(report.contains("ok    pages/shop/shop\n"), "{report}");
    assert!(report.contains("2 of 5 pages open clean; 1 more open"), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `keygen`, `pack` and `verify`: a signed archive is byte-for-byte reproducible, opens with
/// `--trust`, and a wrong key, a changed byte and a cut-short archive are each refused by name.
#[test]
fn packed_archives_are_reproducible_signed_and_refused_when_damaged() {
    let dir = std::env::temp_dir().join(format!("miniapp-pack-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("pages/index")).expect("dirs");
    for (p, t) in [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({ data: { n: 1 } })"),
        ("pages/index/index.wxml", "<view id=\"n\">{{n}}</view>"),
    ] {
        std::fs::write(app.join(p), t).expect("write");
    }
    // incompressible bytes, so the middle of the archive is this file's data
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..65_536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(app.join("big.bin"), &noise).expect("write");
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let app_arg = app.to_string_lossy().into_owned();

    let keygen = miniapp(&["keygen", "-o", &path("key")]);
    assert_eq!(keygen.status.code(), Some(0), "{}", text(&keygen.stderr));
    assert!(std::fs::read_to_string(path("key.pub"))
        .expect("public key")
        .starts_with("miniapp-ed25519:"));
    assert_eq!(
        miniapp(&["keygen", "-o", &path("key")]).status.code(),
        Some(64),
        "never overwrites"
    );
    let pack = |out: &str| {
        miniapp(&[
            "pack",
            &app_arg,
            "-o",
            &path(out),
            "--key",
            &path("key"),
            "--app-version",
            "1.0.0",
        ])
    };
    assert_eq!(pack("a.mpk").status.code(), Some(0), "{}", text(&pack("a.mpk").stderr));
    assert_eq!(pack("b.mpk").status.code(), Some(0));
    let packed = std::fs::read(path("a.mpk")).expect("archive");
    assert_eq!(packed, std::fs::read(path("b.mpk")).expect("archive"), "the same bytes");

    let good = miniapp(&["verify", &path("a.mpk"), "--trust", &path("key.pub")]);
    assert_eq!(good.status.code(), Some(0), "{}", text(&good.stderr));
    assert!(
        text(&good.stdout).contains("version 1.0.0, 5 files, compiled"),
        "{}",
        text(&good.stdout)
    );
    assert!(text(&good.stdout).contains("signed by a trusted key"), "{}", text(&good.stdout));
    let run = miniapp(&["run", &path("a.mpk"), "--trust", &path("key.pub")]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("\"1\""), "{}", text(&run.stdout));

    let refused = |args: &[&str], why: &str| {
        let out = miniapp(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(why), "{args:?}: {}", text(&out.stderr));
    };
    miniapp(&["keygen", "-o", &path("other")]);
    refused(
        &["verify", &path("a.mpk"), "--trust", &path("other.pub")],
        "not one of this host's trusted keys",
    );
    refused(&["run", &app_arg, "--trust", &path("key.pub")], "not a signed packed archive");
    let mut tampered = packed.clone();
    let mid = tampered.len() / 2;
    tampered[mid] ^= 0x01;
    std::fs::write(path("tampered.mpk"), &tampered).expect("write");
    refused(&["verify", &path("tampered.mpk")], "`big.bin` does not match the manifest");
    std::fs::write(path("cut.mpk"), &packed[..packed.len() * 2 / 3]).expect("write");
    refused(&["verify", &path("cut.mpk")], "truncated");

    // subpackages packed apart: verified beside the main archive, run as the sources do
    let subs = fixture_app("subpackages").to_string_lossy().into_owned();
    std::fs::create_dir_all(dir.join("split")).expect("dir");
    let split = miniapp(&[
        "pack",
        &subs,
        "-o",
        &path("split/app.mpk"),
        "--split-subpackages",
        "--key",
        &path("key"),
    ]);
    assert_eq!(split.status.code(), Some(0), "{}", text(&split.stderr));
    assert!(
        text(&split.stdout).contains("app.packageA.mpk: subpackage packageA"),
        "{}",
        text(&split.stdout)
    );
    let verified = miniapp(&["verify", &path("split/app.mpk"), "--trust", &path("key.pub")]);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified.stderr));
    assert!(text(&verified.stdout).contains("subpackage packageB:"), "{}", text(&verified.stdout));
    let taps = ["--tap", "#to-a", "--host", "back", "--tap", "#to-b"];
    let from_split = miniapp(
        &[&["run", &path("split/app.mpk"), "--trust", &path("key.pub")][..], &taps].concat(),
    );
    let from_dir = miniapp(&[&["run", &subs][..], &taps].concat());
    assert_eq!(from_split.status.code(), Some(0), "{}", text(&from_split.stderr));
    assert_eq!(text(&from_split.stdout), text(&from_dir.stdout));
    assert_eq!(text(&from_split.stderr), text(&from_dir.stderr));
    std::fs::copy(path("split/app.packageB.mpk"), path("split/app.packageA.mpk")).expect("copy");
    refused(
        &["verify", &path("split/app.mpk")],
        "expected subpackage `packageA`, found the archive of subpackage `packageB`",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
