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
    assert!(text(&ok.stdout).contains("module-env object true mixed=yes"), "{}", text(&ok.stdout));

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
