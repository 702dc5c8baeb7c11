//! DevTools' LESS compile step: with `useCompilerPlugins: ["less"]`, `.less` files style pages,
//! components and the app as their compiled WXSS; problems are located errors.

#![allow(clippy::expect_used)] // a test: a failed step is a failure

use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};

const WITH_LESS: &str = r#"{"setting": {"useCompilerPlugins": ["typescript", "less"]}}"#;

fn files(project_config: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("project.config.json", project_config),
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("app.less", "@import './styles/theme';\n@import './styles/uses_theme';\npage { color: @ink; }"),
        ("styles/theme.less", "@ink: #333333; @brand: #07c160; .pad(@n) { padding: @n * 8rpx; }"),
        // A partial that only works inside its importers: no error of its own.
        ("styles/uses_theme.less", ".brand { color: @brand; }"),
        ("pages/index/index.json", r#"{"usingComponents": {"badge": "/components/badge/badge"}}"#),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view class=\"card\"><text class=\"title\">Hi</text><badge /></view>"),
        (
            "pages/index/index.less",
            "@import '../../styles/theme.less';\n.card {\n  .pad(2);\n  width: (750rpx / 2);\n  .title { color: @brand; }\n}",
        ),
        ("components/badge/badge.json", r#"{"component": true}"#),
        ("components/badge/badge.js", "Component({})"),
        ("components/badge/badge.wxml", "<view class=\"badge\">1</view>"),
        ("components/badge/badge.less", "@size: 40rpx;\n.badge { width: @size; height: @size; }"),
    ]
}

const WITH_SASS: &str = r#"{"setting": {"useCompilerPlugins": ["sass"]}}"#;

/// An app of these files, opened (not launched), and its diagnostics as text.
fn opened(files: &[(&str, &str)]) -> (AppInstance, String) {
    let pkg = Package::from_sources(files.iter().map(|(p, s)| (p.to_string(), s.to_string())));
    let app = AppInstance::open(pkg, InstanceConfig::default()).expect("opens");
    let text = app.diagnostics().to_string();
    (app, text)
}

/// Launches the app and gives the colour of its page's `.a` (what `app.scss` sets).
fn launched_color(app: &mut AppInstance) -> String {
    app.launch(None, 1001).expect("launches");
    let a = app.select(".a").expect("the page");
    app.visual_style(a).expect("laid out").color
}

fn open(files: &[(&str, &str)]) -> AppInstance {
    let pkg = Package::from_sources(files.iter().map(|(p, s)| (p.to_string(), s.to_string())));
    let mut app = AppInstance::open(pkg, InstanceConfig::default()).expect("opens");
    app.launch(None, 1001).expect("launches");
    app
}

#[test]
fn less_styles_pages_components_and_the_app() {
    let mut app = open(&files(WITH_LESS));
    assert!(app.diagnostics().is_empty(), "{}", app.diagnostics());
    let title = app.select(".title").expect("title");
    assert_eq!(app.visual_style(title).expect("laid out").color, "#07c160ff");
    let card = app.select(".card").expect("card");
    let frame = app.frame(card).expect("laid out");
    // 375 px screen: (750rpx / 2) = 187.5 px of content; .pad(2) = 16rpx = 8 px of padding.
    assert_eq!(frame.width, 187.5 + 16.0);
    let text = app.frame(title).expect("laid out");
    assert_eq!((text.x, text.y), (8.0, 8.0));
    // the component's own .less styles its shadow tree
    let tree = app.dump_text().expect("dump");
    assert!(tree.contains("<view class=\"badge\"> [x=0 y=0 w=20 h=20]"), "{tree}");
    // app.less styles every page
    assert_eq!(app.visual_style(card).expect("laid out").color, "#333333ff");
}

#[test]
fn without_the_plugin_less_is_left_alone() {
    let mut app = open(&files("{}"));
    let title = app.select(".title").expect("title");
    assert_ne!(app.visual_style(title).expect("laid out").color, "#07c160ff");
    let report = app.compatibility_report().to_string();
    assert!(report.contains("LESS (.less)") && report.contains("ignored"), "{report}");
}

#[test]
fn a_less_error_is_located_in_the_file_as_written() {
    let mut broken = files(WITH_LESS);
    broken.retain(|(p, _)| *p != "pages/index/index.less");
    broken.push(("pages/index/index.less", ".card {\n  color: @missing;\n}"));
    let pkg = Package::from_sources(broken.iter().map(|(p, s)| (p.to_string(), s.to_string())));
    let app = AppInstance::open(pkg, InstanceConfig::default()).expect("opens");
    let text = app.diagnostics().to_string();
    assert_eq!(
        text, "pages/index/index.less:2:10: error [E502]: LESS: variable @missing is undefined\n",
        "only the broken page file is reported, not the partial its importers complete"
    );
}

/// With `useCompilerPlugins: ["sass"]`, `.scss` files (partials and `@use` included) style the
/// app as their compiled WXSS; a Sass error is located in the file that has it.
#[test]
fn sass_styles_pages_and_errors_are_located() {
    let files = [
        ("project.config.json", WITH_SASS),
        ("app.json", r#"{"pages":["pages/index/index","pages/broken/broken"]}"#),
        ("app.js", "App({})"),
        ("styles/_theme.scss", "$brand: #07c160;\n@mixin pad($n) { padding: $n * 8rpx; }"),
        ("app.scss", "@use 'styles/theme';\npage { color: theme.$brand; }"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view class=\"card\"><text class=\"title\">Hi</text></view>"),
        (
            "pages/index/index.scss",
            "@import '../../styles/theme';\n.card {\n  @include pad(2);\n  .title { color: $brand; }\n}",
        ),
        ("pages/broken/broken.js", "Page({})"),
        ("pages/broken/broken.wxml", "<view/>"),
        ("pages/broken/broken.scss", ".a {\n  color: $missing;\n}"),
    ];
    let (mut app, text) = opened(&files);
    assert!(
        text.contains("pages/broken/broken.scss:2:10: error [E502]: Sass: Undefined variable."),
        "{text}"
    );
    app.launch(None, 1001).expect("launches");
    let title = app.select(".title").expect("title");
    assert_eq!(app.visual_style(title).expect("laid out").color, "#07c160ff");
    let card = app.select(".card").expect("card");
    let frame = app.frame(card).expect("laid out");
    // pad(2) = 16rpx = 8px each side
    assert_eq!(app.frame(title).map(|f| (f.x, f.y)), Some((8.0, 8.0)), "{frame:?}");
}

/// grass panics formatting the error of some input (its source map slices inside a UTF-8
/// character; 6 bytes found by the styles fuzz target): that file fails with an error, the app
/// opens and the other pages keep their styles.
#[test]
fn a_sass_compiler_panic_fails_only_its_file() {
    let files = [
        ("project.config.json", WITH_SASS),
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("app.scss", "page { color: #07c160; }"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view class=\"a\">x</view>"),
        ("pages/index/index.scss", "\\\u{fffd}[{}"),
    ];
    let (mut app, text) = opened(&files);
    assert!(text.contains("pages/index/index.scss"), "{text}");
    assert!(text.contains("E502"), "{text}");
    assert_eq!(launched_color(&mut app), "#07c160ff");
}

/// Parentheses nested past what the Sass compiler reads in reasonable time (its work doubles
/// per level: 24 levels of `(()` took 30 s, found by the styles fuzz target) are refused at
/// the place they pass the limit, in the file itself and in a partial a page imports; the app
/// opens at once and the rest of its styles apply.
#[test]
fn sass_nested_too_deep_is_refused_where_it_passes_the_limit() {
    let deep = format!(".slow {{ width: {}1{}; }}", "(()".repeat(24), ")".repeat(24));
    let partial = format!(
        "// (((( in a comment\n$w: \"((((\";\n.p {{ w: {}1{}; }}",
        "(".repeat(13),
        ")".repeat(13)
    );
    let files = [
        ("project.config.json", WITH_SASS),
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("app.scss", "page { color: #07c160; }"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view class=\"a\">x</view>"),
        ("pages/index/index.scss", "@import 'part';\n.a { width: calc((100% - (2 * 8px)) / 3); }"),
        ("pages/index/_part.scss", partial.as_str()),
        ("pages/other.scss", deep.as_str()),
    ];
    let (mut app, text) = opened(&files);
    assert!(
        text.contains(
            "pages/other.scss:1:50: error [E502]: Sass: parentheses nested more than 12 deep"
        ),
        "{text}"
    );
    assert!(text.contains("pages/index/_part.scss:3:21: error [E502]"), "{text}");
    assert_eq!(launched_color(&mut app), "#07c160ff");
}

/// `@import` of a `.wxss` file from Sass (an icon font's sheet, written for WXSS): Sass cannot
/// read it, so it stays a plain CSS import for the WXSS loader, its path taken from the file
/// that wrote it (a partial's relative path too).
#[test]
fn sass_imports_of_wxss_files_load_those_sheets() {
    let files = [
        ("project.config.json", WITH_SASS),
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("app.scss", "@import \"/styles/icons.wxss\";\n$ink: #07c160;\npage { color: $ink; }"),
        ("styles/icons.wxss", ".icon { width: 12px; }"),
        ("styles/card.wxss", ".card { width: 30px; }"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view class=\"icon\">i</view><view class=\"card\">c</view>"),
        ("pages/index/index.scss", "@import 'part';\n.card { height: 5px; }"),
        ("pages/index/_part.scss", "@import '../../styles/card.wxss';"),
    ];
    let (mut app, text) = opened(&files);
    assert!(!text.contains("E502"), "{text}");
    app.launch(None, 1001).expect("launches");
    let icon = app.select(".icon").expect("icon");
    let card = app.select(".card").expect("card");
    assert_eq!(app.visual_style(icon).expect("icon").color, "#07c160ff");
    let sizes: Vec<(f32, f32)> = [icon, card]
        .iter()
        .map(|n| app.frame(*n).map(|f| (f.width, f.height)).expect("laid out"))
        .collect();
    assert_eq!(sizes, [(12.0, 19.2), (30.0, 5.0)]);
}
