//! Bad input gives a clear error (what, where, how to fix) and never a panic; after a runtime
//! error the app keeps working.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use miniapp_core::engine::Limits;
use miniapp_core::package::Package;
use miniapp_core::{AppInstance, Code, Diagnostics, InstanceConfig, RuntimeError};

const APP_JSON: &str = r#"{"pages":["pages/index/index"]}"#;
const PAGE_WXML: &str = r#"<view id="btn" bindtap="bump">{{n}}</view>"#;
const PAGE_JS: &str = "Page({ data: { n: 0 }, bump() { this.setData({ n: this.data.n + 1 }) } })";

fn app(files: &[(&str, &str)]) -> Result<AppInstance, RuntimeError> {
    app_with(files, InstanceConfig::default())
}

fn app_with(files: &[(&str, &str)], config: InstanceConfig) -> Result<AppInstance, RuntimeError> {
    let pkg = Package::from_sources(files.iter().map(|(p, s)| (p.to_string(), s.to_string())));
    AppInstance::open(pkg, config)
}

fn invalid(r: Result<AppInstance, RuntimeError>) -> Diagnostics {
    match r {
        Err(RuntimeError::Invalid(d)) => d,
        Err(other) => panic!("expected invalid package, got {other}"),
        Ok(_) => panic!("expected invalid package, got a running app"),
    }
}

/// What opening the entry page reports. The package opens unless a problem is fatal; the
/// problems in the files the page uses arrive as the app's errors when it opens, and a page whose
/// own files are broken does not open.
fn reported(files: &[(&str, &str)]) -> Diagnostics {
    let mut app = match app(files) {
        Ok(app) => app,
        Err(RuntimeError::Invalid(d)) => return d,
        Err(other) => panic!("expected the package to open, got {other}"),
    };
    let launched = app.launch(None, 1001);
    let mut d = Diagnostics::default();
    for e in app.errors() {
        d.push(e.as_diagnostic());
    }
    assert!(!d.is_empty(), "expected the page to report problems (launch: {launched:?})");
    d
}

fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("app.json", APP_JSON),
        ("app.js", "App({ onError(msg) { console.log('App.onError: ' + msg.split('\\n')[0]) } })"),
        ("pages/index/index.wxml", PAGE_WXML),
        ("pages/index/index.js", PAGE_JS),
    ]
}

fn with(
    mut files: Vec<(&'static str, &'static str)>,
    path: &'static str,
    src: &'static str,
) -> Vec<(&'static str, &'static str)> {
    files.retain(|(p, _)| *p != path);
    files.push((path, src));
    files
}

fn without(
    mut files: Vec<(&'static str, &'static str)>,
    path: &str,
) -> Vec<(&'static str, &'static str)> {
    files.retain(|(p, _)| *p != path);
    files
}

#[test]
fn missing_app_json() {
    let d = invalid(app(&without(base(), "app.json")));
    assert_eq!(d.to_string(), "app.json: fatal [E101]: app.json is missing: a mini-program directory needs app.json at its root (is this the right directory?)\n");
}

#[test]
fn missing_page_file() {
    let d = reported(&without(base(), "pages/index/index.wxml"));
    assert!(
        d.to_string().contains(
            "pages/index/index.wxml: error [E101]: page `pages/index/index` (app.json line 1) has \
             no .wxml file; create pages/index/index.wxml or remove the page from app.json"
        ),
        "{d}"
    );
}

#[test]
fn custom_tab_bar_without_its_component_is_a_warning_and_the_pages_open() {
    // lin-ui's example app sets `tabBar.custom` and draws a bar inside each tab page; WeChat
    // opens it with no custom-tab-bar component (before: an error, and no page opened)
    let app_json = r#"{"pages":["pages/index/index"],
"tabBar":{"custom":true,"list":[{"pagePath":"pages/index/index","text":"A"}]}}"#;
    let js = "Page({ data: { n: 0 }, onLoad() { console.log('getTabBar: ' + this.getTabBar()) } })";
    let files = with(with(base(), "app.json", app_json), "pages/index/index.js", js);
    let mut app = app(&files).expect("the package opens");
    let d = app.diagnostics().to_string();
    assert!(
        d.contains(
            "app.json:2:11: warning [E203]: `tabBar.custom` is true but there is no \
             `custom-tab-bar/index.js`: no tab bar is drawn and `getTabBar()` returns null"
        ),
        "{d}"
    );
    app.launch(None, 1001).expect("launch");
    assert!(app.errors().is_empty(), "{:?}", app.errors());
    let logs: Vec<String> = app.logs().into_iter().map(|l| l.text).collect();
    assert!(logs.contains(&"getTabBar: null".to_string()), "{logs:?}");
    let tree = app.dump_text().expect("dump");
    assert!(tree.contains("<view id=\"btn\">") && !tree.contains("custom-tab-bar"), "{tree}");
}

#[test]
fn missing_wxs_module_is_reported_and_the_app_still_opens() {
    // before: the compiled template group failed to load (`TypeError: not a function`, with
    // no file), so the whole package could not open (found by the templates fuzz target)
    let page = r#"<wxs module="m" src="./nope.wxs"/><view id="btn" bindtap="bump">{{n}}</view>"#;
    let d = reported(&with(base(), "pages/index/index.wxml", page));
    assert!(
        d.to_string().contains(
            "pages/index/index.wxml: error [E101]: WXS module `pages/index/nope.wxs` does not exist"
        ),
        "{d}"
    );
}

#[test]
fn wxml_syntax_error_is_located() {
    let d =
        reported(&with(base(), "pages/index/index.wxml", "<view>\n  <text>{{n</text>\n</view>"));
    let first = d.iter().find(|x| x.code == Code::TemplateSyntax).expect("template diagnostic");
    assert_eq!((first.path.as_str(), first.line), ("pages/index/index.wxml", Some(2)), "{d}");
}

#[test]
fn js_syntax_error_is_located() {
    let d = reported(&with(
        base(),
        "pages/index/index.js",
        "Page({\n  data: { n: 0 },\n  bump() { this.setData({ n: }) }\n})",
    ));
    let first = d.iter().find(|x| x.code == Code::ScriptSyntax).expect("syntax diagnostic");
    assert_eq!(first.path, "pages/index/index.js", "{d}");
    assert_eq!(first.line, Some(3), "{d}");
    assert!(first.message.starts_with("SyntaxError"), "{d}");
}

#[test]
fn a_syntax_error_in_a_required_file_is_located_in_that_file() {
    // a regular expression V8 refuses too (`{1,24}+`), in a module reached through an ES
    // `import` (compiled to a `require` the page runs)
    let mut files = with(
        base(),
        "pages/index/index.js",
        "var W = require('../../lib/a.js');\nPage({ data: { n: 0 } })",
    );
    files.push(("lib/a.js", "/** c */\nimport S from './b.js';\nexport default { S };\n"));
    files.push(("lib/b.js", "var y = 2;\nvar r = /a{1,24}+/g;\nmodule.exports = r;\n"));
    let d = reported(&files);
    let first = d.iter().find(|x| x.code == Code::ScriptSyntax).expect("syntax diagnostic");
    assert_eq!(
        (first.path.as_str(), first.line, first.column),
        ("lib/b.js", Some(2), Some(9)),
        "{d}"
    );
    assert!(first.message.starts_with("SyntaxError") && !first.message.contains("(lib/"), "{d}");
}

#[test]
fn every_frame_of_an_uncaught_errors_stack_is_where_it_was_written() -> Result<(), RuntimeError> {
    // a one-line page (the module wrapper shares its line) calling into an ES module (compiled
    // to CommonJS with helpers above its code)
    let mut files = with(
        base(),
        "pages/index/index.js",
        "var m = require('../../lib/m.js'); Page({ onLoad() { m.explode() } })",
    );
    files.push((
        "lib/m.js",
        "import x from './x.js';\n\nexport function explode() {\n  return x.nothing.here;\n}\n",
    ));
    files.push(("lib/x.js", "module.exports = {};\n"));
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    let errors = app.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let frames: Vec<&str> = errors[0]
        .error
        .stack
        .lines()
        .filter(|l| !l.contains("miniapp:") && !l.contains("(native)"))
        .collect();
    assert_eq!(
        frames,
        ["    at explode (lib/m.js:4:10)", "    at onLoad (pages/index/index.js:1:55)"],
        "{}",
        errors[0].error.stack
    );
    Ok(())
}

#[test]
fn exception_in_onload_reaches_app_onerror_and_app_keeps_working() -> Result<(), RuntimeError> {
    let files = with(
        base(),
        "pages/index/index.js",
        "Page({ data: { n: 0 }, onLoad() { null.boom }, bump() { this.setData({ n: this.data.n + 1 }) } })",
    );
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    let errors = app.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].during, "onLoad");
    assert_eq!(errors[0].error.name, "TypeError");
    let logs: Vec<String> = app.logs().into_iter().map(|l| l.text).collect();
    assert!(logs.iter().any(|l| l.starts_with("App.onError: ") && l.contains("null")), "{logs:?}");
    let d = app.diagnostics();
    let diag = d.iter().find(|x| x.code == Code::ScriptException).expect("diagnostic");
    assert_eq!((diag.path.as_str(), diag.line), ("pages/index/index.js", Some(1)), "{d}");
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    assert!(app.dump_text()?.contains("\"1\""), "tap after the error still updates the page");
    Ok(())
}

#[test]
fn require_of_missing_module_is_a_clear_error() -> Result<(), RuntimeError> {
    let files =
        with(base(), "pages/index/index.js", "const x = require('../../utils/nope')\nPage({})");
    let mut app = app(&files)?;
    assert!(app.errors().is_empty(), "modules run at launch, not at open");
    // The page module throws, so the page never registers: launching it is an error, not a crash.
    assert!(app.launch(None, 1001).is_err());
    let errors = app.errors();
    assert_eq!(errors[0].error.message, "module 'utils/nope.js' is not defined, require args is '../../utils/nope' (from pages/index/index.js)");
    assert_eq!(errors[0].error.location, Some(("pages/index/index.js".into(), 1, 10)));
    Ok(())
}

#[test]
fn require_escaping_the_package_is_refused() -> Result<(), RuntimeError> {
    let files = with(
        base(),
        "app.js",
        "try { require('../../etc/passwd') } catch (e) { console.log(e.message) }\nApp({})",
    );
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    let logs: Vec<String> = app.logs().into_iter().map(|l| l.text).collect();
    assert_eq!(logs, vec!["require('../../etc/passwd') in app.js: `../../etc/passwd` leaves the package root; paths must stay inside the mini-program directory"]);
    Ok(())
}

#[test]
fn component_path_escaping_the_package_is_refused() {
    let files = with(
        base(),
        "pages/index/index.json",
        r#"{"usingComponents":{"x":"../../../../outside/comp"}}"#,
    );
    let d = reported(&files);
    assert!(d.to_string().contains("pages/index/index.json:1:25: error [E203]: `x`: `../../../../outside/comp` leaves the package root"), "{d}");
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_package_is_refused() -> Result<(), Box<dyn std::error::Error>> {
    let outside = tempfile::tempdir()?;
    std::fs::write(outside.path().join("secret.js"), "module.exports = 'secret'")?;
    let dir = tempfile::tempdir()?;
    for (p, s) in base() {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().ok_or("no parent")?)?;
        std::fs::write(path, s)?;
    }
    std::os::unix::fs::symlink(
        outside.path().join("secret.js"),
        dir.path().join("pages/index/secret.js"),
    )?;
    let pkg = Package::open_dir(dir.path())?;
    let d = invalid(AppInstance::open(pkg, InstanceConfig::default()));
    assert!(
        d.to_string().contains(
            "pages/index/secret.js: fatal [E102]: symlink points outside the package root"
        ),
        "{d}"
    );
    Ok(())
}

#[test]
fn unknown_entry_page() -> Result<(), RuntimeError> {
    let mut app = app(&base())?;
    let err = app.launch(Some("pages/nope/nope?x=1"), 1001).err();
    assert_eq!(
        err.map(|e| e.to_string()),
        Some("page `pages/nope/nope` is not in app.json `pages` (or a subpackage)".into())
    );
    Ok(())
}

#[test]
fn runaway_handler_is_interrupted_and_app_keeps_working() -> Result<(), RuntimeError> {
    let files = with(
        base(),
        "pages/index/index.js",
        "Page({ data: { n: 0 }, spin() { while (true) {} }, bump() { this.setData({ n: this.data.n + 1 }) } })",
    );
    let files = with(
        files,
        "pages/index/index.wxml",
        r#"<view id="spin" bindtap="spin">spin</view><view id="btn" bindtap="bump">{{n}}</view>"#,
    );
    let config = InstanceConfig {
        limits: Limits { task_time: Duration::from_millis(200), ..Limits::default() },
        ..InstanceConfig::default()
    };
    let mut app = app_with(&files, config)?;
    app.launch(None, 1001)?;
    let spin = app.select("#spin")?;
    let r = app.tap(spin);
    assert!(
        r.is_err() || app.errors().iter().any(|e| e.error.message.contains("interrupted")),
        "{r:?}"
    );
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    assert!(app.dump_text()?.contains("\"1\""));
    Ok(())
}

#[test]
fn custom_api_may_not_shadow_a_builtin_or_join_base() {
    for (name, group) in [("setStorage", "wallet"), ("openWallet", "base"), ("bad-name", "wallet")]
    {
        let mut config = InstanceConfig::default();
        config.custom_apis.insert(name.into(), group.into());
        let d = invalid(app_with(&base(), config));
        assert!(d.to_string().contains(&format!("custom host API `{name}`")), "{d}");
    }
}

#[test]
fn the_policy_time_limit_interrupts_runaway_code() -> Result<(), RuntimeError> {
    let files = with(base(), "pages/index/index.js", "Page({ onLoad() { while (true) {} } })");
    let policy = miniapp_core::capability::Policy::from_json(
        r#"{"limits":{"heapBytes":67108864,"taskMillis":150}}"#,
    )
    .expect("policy");
    let mut app = app_with(&files, InstanceConfig { policy, ..InstanceConfig::default() })?;
    let started = std::time::Instant::now();
    // The interrupt cannot be caught by JS: the launch task itself reports it.
    let err = app.launch(None, 1001).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(started.elapsed() < Duration::from_secs(5), "the 150 ms task limit was not applied");
    assert!(err.contains("interrupted"), "{err}");
    Ok(())
}

#[test]
fn broken_wxss_is_warned_about_with_its_place_and_the_app_still_runs() -> Result<(), RuntimeError> {
    let files = with(
        with(
            base(),
            "app.wxss",
            "@import './nope.wxss';\n.a { color: red }\n.b { width: 12zz; }\n.c:hover ~ .d { top: 0 }\n",
        ),
        "pages/index/index.wxss",
        ".x { color: red;\n  float: sideways; }\n{{ broken",
    );
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    let text = app.diagnostics().to_string();
    assert!(text.contains("app.wxss: warning [E501]"), "{text}");
    assert!(text.contains("app.wxss:3:"), "{text}");
    assert!(text.contains("app.wxss:4:1: warning [E500]: selector `.c:hover ~ .d`"), "{text}");
    assert!(text.contains("pages/index/index.wxss:"), "{text}");
    assert!(!app.diagnostics().has_errors(), "{text}");
    assert!(app.dump_text()?.contains("<view id=\"btn\">"));
    Ok(())
}

#[test]
fn hostile_styles_lay_out_without_panics() -> Result<(), RuntimeError> {
    let wxss = ".a { width: calc(100% / 0); height: calc(1px * 1e38); min-width: 50px; max-width: 10px; \
                flex: -1 -1 -5px; font-size: -5px; line-height: calc(2 * 1e30); letter-spacing: 1e30px; }\n\
                .b { display: flex; flex-wrap: wrap; width: -100px; padding: 1e30px; border: 1e9px solid red; }\n\
                .c { position: absolute; left: 50%; right: 50%; width: 1e39px; aspect-ratio: 0 / 0; }\n\
                .d { margin: auto auto; order: 2147483647; z-index: calc(1 / 0); opacity: calc(0 / 0); }\n\
                .e { padding: 9999999999999999999999999999999999999999999999999999999999999999rpx 28rpx; }";
    let wxml = r#"<view class="b"><view class="a c">x</view><view class="d a">{{n}}</view></view>
<view class="e">padded past f32</view>
<view id="btn" class="a b c d" style="width: var(--missing); height: {{n}}00000000000px" bindtap="bump">{{n}}</view>"#;
    let files = with(with(base(), "pages/index/index.wxss", wxss), "pages/index/index.wxml", wxml);
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    app.tap(btn)?;
    let frames = app.take_frames();
    assert!(frames
        .iter()
        .flat_map(|f| &f.ops)
        .any(|op| matches!(op, miniapp_core::view::RenderOp::SetFrame { .. })));
    // a host cannot place a view at NaN or infinity (found by the styles fuzz target: a
    // padding of 10^64 rpx gave a height of inf)
    for op in frames.iter().flat_map(|f| &f.ops) {
        if let miniapp_core::view::RenderOp::SetFrame { id, x, y, width, height } = op {
            let edges = [x, y, width, height];
            assert!(edges.iter().all(|v| v.is_finite()), "node {id}: {edges:?}");
        }
    }
    assert!(app.errors().is_empty(), "{:?}", app.errors());
    assert!(app.frame(btn).is_some());
    Ok(())
}

/// Runs `f` on a thread with the stack a host's logic thread has, as the CLI and `AppHandle` do.
fn on_logic_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(miniapp_core::LOGIC_STACK_BYTES)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic")
}

#[test]
fn templates_nested_thousands_deep_are_refused_with_their_place() {
    let deep = format!("{}x{}", "<view>".repeat(1500), "</view>".repeat(1500));
    // on a small (2 MiB test) stack: the compiler gets its own, the check comes first
    let files = with(base(), "pages/index/index.wxml", Box::leak(deep.into_boxed_str()));
    let text = reported(&files).to_string();
    assert!(
        text.contains(
            "pages/index/index.wxml:1:1537: error [E300]: elements nested more than 256 deep"
        ),
        "{text}"
    );
    // 256 deep is allowed and lays out on the logic thread's stack
    let ok = format!("{}deep{}", "<view>".repeat(256), "</view>".repeat(256));
    let files: Vec<(String, String)> = with(base(), "pages/index/index.wxml", "")
        .into_iter()
        .map(|(p, s)| {
            (p.to_string(), if p.ends_with(".wxml") { ok.clone() } else { s.to_string() })
        })
        .collect();
    let dump = on_logic_stack(move || {
        let pkg = Package::from_sources(files);
        let mut app = AppInstance::open(pkg, InstanceConfig::default()).expect("opens");
        app.launch(None, 1001).expect("launches");
        app.dump_text().expect("dump")
    });
    assert!(dump.contains("\"deep\""), "{dump}");
}

#[test]
fn numbers_too_long_for_the_template_compiler_are_refused_with_their_place() {
    // found by the `templates` fuzz target: the compiler's i64 overflowed (a panic in debug
    // builds, a wrong number in release ones)
    let files =
        with(base(), "pages/index/index.wxml", "<view>\n  {{5555555555555555555555 + n}}</view>");
    let text = reported(&files).to_string();
    assert!(
        text.contains("pages/index/index.wxml:2:5: error [E300]: this number has more digits than the template compiler can hold"),
        "{text}"
    );
}

#[test]
fn rich_text_nested_thousands_deep_is_capped() -> Result<(), RuntimeError> {
    let files = with(
        with(base(), "pages/index/index.wxml", r#"<rich-text id="rt" nodes="{{html}}"/>"#),
        "pages/index/index.js",
        "Page({ data: { html: '' }, onLoad() { this.setData({ html: '<div>'.repeat(5000) + 'deep' + '</div>'.repeat(5000) }) } })",
    );
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    let rt = app.select("#rt")?;
    assert_eq!(miniapp_core::view::dump::inner_text(&app.tree(), rt), "deep");
    let depth = |app: &AppInstance| {
        let tree = app.tree();
        let mut deepest = 0;
        let mut stack = vec![(rt, 0usize)];
        while let Some((id, d)) = stack.pop() {
            deepest = deepest.max(d);
            for c in &tree.get(id).unwrap().children {
                stack.push((*c, d + 1));
            }
        }
        deepest
    };
    // 64 elements and the text run
    assert_eq!(depth(&app), miniapp_core::builtin::rich_text::MAX_RICH_TEXT_DEPTH + 1);
    Ok(())
}

#[test]
fn zero_delay_timer_chains_let_virtual_time_move() -> Result<(), RuntimeError> {
    let files = with(
        base(),
        "pages/index/index.js",
        "let n = 0
         Page({ data: { n: 0 }, onLoad() { const t = () => { n++; setTimeout(t, 0) }; t() },
                bump() { this.setData({ n }) } })",
    );
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    // returns: after 5 nested levels each timer waits 4 ms, as in browsers
    app.advance(1000.0)?;
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    let n: u32 = miniapp_core::view::dump::inner_text(&app.tree(), btn).parse().unwrap();
    assert!((250..=260).contains(&n), "{n} callbacks in 1 s");
    Ok(())
}

#[test]
fn twenty_thousand_timers_all_fire_in_order() -> Result<(), RuntimeError> {
    let files = with(
        base(),
        "pages/index/index.js",
        "let order = []
         Page({ data: { n: 0 }, onLoad() {
                  for (let i = 0; i < 20000; i++) setTimeout(() => order.push(i), 20000 - i)
                  const t = setTimeout(() => order.push(-1), 5); clearTimeout(t) },
                bump() { this.setData({ n: order.length + ':' + order[0] + ':' + order[19999] }) } })",
    );
    let mut app = app(&files)?;
    app.launch(None, 1001)?;
    app.advance(20001.0)?;
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    assert_eq!(miniapp_core::view::dump::inner_text(&app.tree(), btn), "20000:19999:0");
    Ok(())
}

#[test]
fn inline_wxs_errors_lone_elif_and_wrong_json_types_are_located() -> Result<(), RuntimeError> {
    let files = with(
        with(base(), "app.json", r#"{"pages":["pages/index/index"],"window":5}"#),
        "pages/index/index.wxml",
        "<wxs module=\"m\">\nvar a = function( { return 1 }\n</wxs>\n<view wx:elif=\"{{true}}\">x</view>\n<view id=\"btn\" bindtap=\"bump\">{{n}}</view>",
    );
    let mut app = app(&files)?;
    let text = app.diagnostics().to_string();
    assert!(text.contains("app.json: error [E201]: `window` must be an object"), "{text}");
    assert!(text.contains("pages/index/index.wxml:2:"), "the WXS error has its line: {text}");
    assert!(
        text.contains("pages/index/index.wxml:4:7: error [E300]: `wx:elif` without a `wx:if`"),
        "{text}"
    );
    // the broken inline module does not take the template group down: the page still works
    let _ = app.launch(None, 1001);
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    assert!(app.dump_text()?.contains("\"1\""));
    Ok(())
}

#[test]
fn an_interrupted_task_names_the_limit_and_a_cyclic_set_data_is_kept_by_reference(
) -> Result<(), RuntimeError> {
    // a value that refers to itself (lin-ui keeps related component instances in its data);
    // before: glass-easel's deep copy never ended, then the call was refused with a TypeError
    let files = with(
        with(
            base(),
            "pages/index/index.wxml",
            "<view id=\"spin\" bindtap=\"spin\">s</view><view id=\"btn\" bindtap=\"bump\">{{n}}</view><view id=\"cyc\" bindtap=\"cyc\">c {{a.self.self.name}}</view>",
        ),
        "pages/index/index.js",
        "Page({ data: { n: 0 }, spin() { for (;;) {} }, bump() { this.setData({ n: this.data.n + 1 }) },
                cyc() { const a = { name: 'loop' }; a.self = a; this.setData({ a }) } })",
    );
    let limits = Limits { task_time: Duration::from_millis(200), ..Limits::default() };
    let mut app = app_with(&files, InstanceConfig { limits, ..InstanceConfig::default() })?;
    app.launch(None, 1001)?;
    let spin = app.select("#spin")?;
    let err = app.tap(spin).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("past the task time limit of 0.2 s"), "{err}");
    assert!(err.contains("pages/index/index.js:"), "{err}");
    let errors_before = app.errors().len();
    let cyc = app.select("#cyc")?;
    app.tap(cyc)?;
    assert_eq!(miniapp_core::view::dump::inner_text(&app.tree(), cyc), "c loop");
    assert_eq!(app.errors().len(), errors_before, "{:?}", app.errors());
    // the host reads the page's data as JSON, the cycle written where it comes back
    let data = &app.pages()?[0].data;
    assert_eq!(data["a"], serde_json::json!({ "name": "loop", "self": "[Circular]" }));
    // the page still takes setData
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    assert_eq!(miniapp_core::view::dump::inner_text(&app.tree(), btn), "1");
    Ok(())
}

#[test]
fn running_out_of_js_heap_is_named_and_the_app_keeps_working() -> Result<(), RuntimeError> {
    let files = with(
        with(
            base(),
            "pages/index/index.wxml",
            "<view id=\"hog\" bindtap=\"hog\">h</view><view id=\"btn\" bindtap=\"bump\">{{n}}</view>",
        ),
        "pages/index/index.js",
        "Page({ data: { n: 0 }, bump() { this.setData({ n: this.data.n + 1 }) },
                hog() { const a = []; for (;;) a.push(new Array(100000).fill(a.length)) } })",
    );
    let limits = Limits { heap_bytes: 48 << 20, ..Limits::default() };
    let mut app = app_with(&files, InstanceConfig { limits, ..InstanceConfig::default() })?;
    app.launch(None, 1001)?;
    let hog = app.select("#hog")?;
    let r = app.tap(hog);
    let mut said: Vec<String> = app.errors().iter().map(|e| e.error.message.clone()).collect();
    if let Err(e) = r {
        said.push(e.to_string());
    }
    assert!(
        said.iter().any(|m| m.contains("out of memory") || m.contains("heap limit")),
        "{said:?}"
    );
    assert!(!said.iter().any(|m| m.ends_with("null") || m.contains("Error: null")), "{said:?}");
    let btn = app.select("#btn")?;
    app.tap(btn)?;
    assert_eq!(miniapp_core::view::dump::inner_text(&app.tree(), btn), "1");
    Ok(())
}
