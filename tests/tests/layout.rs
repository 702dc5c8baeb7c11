//! Layout and style results checked against values computed by hand.
//!
//! The `layout_basics` and `style_isolation` fixture apps are opened directly; each expected
//! frame below is derived in the comment next to it from the CSS box model and flexbox
//! rules (viewport 375 wide, so 1rpx = 0.5px; 414 wide: 1rpx = 0.552px).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use miniapp_core::layout::BoxRect;
use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig, Viewport};

fn open(case: &str, width: f64) -> AppInstance {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(case).join("app");
    let config = InstanceConfig {
        viewport: Viewport { width, height: 667.0, pixel_ratio: 2.0 },
        ..InstanceConfig::default()
    };
    let mut app =
        AppInstance::open(Package::open_dir(dir).expect("package"), config).expect("open");
    app.launch(None, 1001).expect("launch");
    app.take_frames();
    app
}

fn frame(app: &mut AppInstance, selector: &str) -> [f32; 4] {
    let id = app.select(selector).expect(selector);
    let BoxRect { x, y, width, height } = app.frame(id).expect("laid out");
    [x, y, width, height]
}

/// Opens and launches an app given as (path, text) files, checking it parses without warnings.
fn open_files(files: &[(&str, &str)]) -> AppInstance {
    let pkg = Package::from_sources(files.iter().map(|(p, s)| (p.to_string(), s.to_string())));
    let mut app = AppInstance::open(pkg, InstanceConfig::default()).expect("open");
    assert!(app.diagnostics().is_empty(), "no warnings: {}", app.diagnostics());
    app.launch(None, 1001).expect("launch");
    app
}

#[test]
fn block_flow_box_model_and_margin_collapse() {
    let mut app = open("layout_basics", 375.0);
    // margin 5 → x=y=5; width 375 − 2×5
    assert_eq!(frame(&mut app, "#block"), [5.0, 5.0, 365.0, 89.0]);
    // inside border 2 + padding 10; content width 365 − 24 = 341
    assert_eq!(frame(&mut app, "#b1"), [12.0, 12.0, 341.0, 20.0]);
    // sibling margins 10 and 15 collapse to 15: 12 + 20 + 15; width 50% of 341
    assert_eq!(frame(&mut app, "#b2"), [12.0, 47.0, 170.5, 30.0]);
    // block height = 2+10 + 20 + 15 + 30 + 10+2 = 89; next block at 5 + 89 + 5 (margin)
    // border-box: padding and border inside the 100×50
    assert_eq!(frame(&mut app, "#bb"), [0.0, 99.0, 100.0, 50.0]);
    // min-width beats width, max-height beats height
    assert_eq!(frame(&mut app, "#mm")[2..], [40.0, 30.0]);
    // margin: 0 auto centres 100 in 375
    assert_eq!(frame(&mut app, "#center")[0], 137.5);
    // display:none and the `hidden` attribute take no room
    assert_eq!(frame(&mut app, "#none"), [0.0, 0.0, 0.0, 0.0]);
    assert_eq!(frame(&mut app, "#inside-none"), [0.0, 0.0, 0.0, 0.0]);
    assert_eq!(frame(&mut app, "#hidden")[2..], [0.0, 0.0]);
    // percentage width of the page
    assert_eq!(frame(&mut app, "#after")[2], 75.0);
}

#[test]
fn flex_justify_align_grow_shrink_wrap_column() {
    let mut app = open("layout_basics", 375.0);
    // space-between: free 375 − 200 = 175 split in two gaps; align-items centre in 60
    assert_eq!(frame(&mut app, "#r1"), [0.0, 20.0, 50.0, 20.0]);
    assert_eq!(frame(&mut app, "#r2"), [137.5, 10.0, 100.0, 40.0]);
    assert_eq!(frame(&mut app, "#r3"), [325.0, 20.0, 50.0, 20.0]);
    // grow 1:3 of the 300 left after 75; stretched to the row's 10
    assert_eq!(frame(&mut app, "#g2"), [75.0, 0.0, 75.0, 10.0]);
    assert_eq!(frame(&mut app, "#g3"), [150.0, 0.0, 225.0, 10.0]);
    // overflow 100 shrinks by shrink × basis: 200×1 : 200×3 → 25 and 75
    assert_eq!(frame(&mut app, "#s1")[2], 175.0);
    assert_eq!(frame(&mut app, "#s2"), [175.0, 0.0, 125.0, 10.0]);
    // 3 × 80 in 200 wraps the third item
    assert_eq!(frame(&mut app, "#w3"), [0.0, 10.0, 80.0, 10.0]);
    assert_eq!(frame(&mut app, "#wrap")[3], 20.0);
    // column, centred on the main axis (free 60 → 30), flex-end on the cross axis
    assert_eq!(frame(&mut app, "#c1"), [70.0, 30.0, 30.0, 20.0]);
    assert_eq!(frame(&mut app, "#c2"), [70.0, 50.0, 30.0, 20.0]);
}

#[test]
fn absolute_percent_and_rpx_at_two_widths() {
    let mut app = open("layout_basics", 375.0);
    // containing block = rel's padding box 375 × 120: right/bottom 5
    assert_eq!(frame(&mut app, "#abs"), [350.0, 95.0, 20.0, 20.0]);
    // left 10% and width 50% of 375
    assert_eq!(frame(&mut app, "#abs2"), [37.5, 0.0, 187.5, 10.0]);
    // 375rpx × 100rpx, margin-left 30rpx at 0.5 px/rpx
    assert_eq!(frame(&mut app, "#rpx"), [15.0, 469.0, 187.5, 50.0]);

    let mut wide = open("layout_basics", 414.0);
    // 0.552 px/rpx
    let rpx = frame(&mut wide, "#rpx");
    assert!((rpx[0] - 16.56).abs() < 0.01 && (rpx[2] - 207.0).abs() < 0.01, "{rpx:?}");
    assert!((rpx[3] - 55.2).abs() < 0.01, "{rpx:?}");
    assert_eq!(frame(&mut wide, "#abs")[0], 389.0);
}

#[test]
fn text_wraps_by_the_headless_formula_and_relayout_follows_set_data() {
    let mut app = open("layout_basics", 375.0);
    // "Hello world": 11 ASCII × 8px (0.5em of 16px) = 88 in one 20px line
    let t = app.select("#t").unwrap();
    let text = app.tree().get(t).unwrap().children[0];
    assert_eq!(app.frame(text).map(|f| (f.width, f.height)), Some((88.0, 20.0)));
    let after = frame(&mut app, "#after")[1];
    app.tap(t).unwrap();
    let frames = app.take_frames();
    // "Hello wonderful world" at 100px: Hello | wonderful | world → 3 lines, widest 72
    assert_eq!(app.frame(text).map(|f| (f.width, f.height)), Some((72.0, 60.0)));
    assert_eq!(frame(&mut app, "#after")[1], after + 40.0);
    // only what moved or resized is sent: the text, its view, the node below, the page
    let moved: Vec<u32> = frames
        .iter()
        .flat_map(|f| &f.ops)
        .filter_map(|op| match op {
            miniapp_core::view::RenderOp::SetFrame { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(moved.len(), 4, "{moved:?}");
}

fn style(app: &mut AppInstance, selector: &str) -> miniapp_core::style::visual::VisualStyle {
    let id = app.select(selector).expect(selector);
    app.visual_style(id).expect("styled")
}

const BLACK: &str = "#000000ff";

#[test]
fn page_nodes_see_app_and_page_sheets_but_no_isolated_component_classes() {
    let mut app = open("style_isolation", 375.0);
    assert_eq!(style(&mut app, "#page-app").color, "#ff0000ff");
    assert_eq!(style(&mut app, "#page-imported").color, "#00aa00ff", "@import in app.wxss");
    assert_eq!(style(&mut app, "#page-own").color, "#0000ffff");
    assert_eq!(style(&mut app, "#page-id").letter_spacing, Some(2.0));
    // `.comp-purple` lives in isolated components' sheets: it does not leak out
    assert_eq!(style(&mut app, "#page-comp-class").color, BLACK);
    // a `styleIsolation: shared` component's sheet applies to the page
    assert_eq!(style(&mut app, "#page-shared-out").color, "#a52a2aff");
}

#[test]
fn isolated_components_see_only_their_own_sheet() {
    let mut app = open("style_isolation", 375.0);
    // the host element belongs to the page: page classes and the component's :host apply
    assert_eq!(style(&mut app, "#iso").opacity, Some(0.5));
    assert_eq!(frame(&mut app, "#iso-app")[0], 4.0, ":host padding");
    assert_eq!(style(&mut app, "#iso-app").color, BLACK);
    assert_eq!(style(&mut app, "#iso-page").color, BLACK);
    let own = style(&mut app, "#iso-own");
    assert_eq!((own.color.as_str(), own.font_weight), ("#800080ff", 400.0));
    // the component's `view` rule applies, app.wxss's `view` rule does not
    let tag = style(&mut app, "#iso-tag");
    assert_eq!((tag.line_height, tag.font_size), (30.0, 16.0));
}

#[test]
fn apply_shared_add_global_class_and_shared_let_page_styles_in() {
    let mut app = open("style_isolation", 375.0);
    for c in ["applyshared", "globalclass", "sharedcomp"] {
        assert_eq!(style(&mut app, &format!("#{c}-app")).color, "#ff0000ff", "{c}");
        assert_eq!(style(&mut app, &format!("#{c}-page")).color, "#0000ffff", "{c}");
        let own = style(&mut app, &format!("#{c}-own"));
        assert_eq!((own.color.as_str(), own.font_weight), ("#800080ff", 700.0), "{c}");
        assert_eq!(style(&mut app, &format!("#{c}-tag")).font_size, 10.0, "{c}");
    }
}

#[test]
fn external_classes_carry_the_page_scope() {
    let mut app = open("style_isolation", 375.0);
    assert_eq!(style(&mut app, "#ext-inner").color, "#123456ff");
    assert_eq!(style(&mut app, "#ext-plain").color, BLACK);
}

#[test]
fn incremental_relayout_matches_a_fresh_layout() {
    for case in ["layout_basics", "style_isolation", "selector_query"] {
        let mut app = open(case, 375.0);
        for sel in ["#t", "#center", "#box", "#to-card"] {
            if let Ok(id) = app.select(sel) {
                app.tap(id).unwrap();
            }
        }
        let incremental = app.dump_text().unwrap();
        // new boxes, no caches: everything styled and laid out from scratch
        app.relayout_all();
        assert_eq!(app.dump_text().unwrap(), incremental, "{case}");
    }
}

/// `-webkit-` properties and the 2009 flexbox lay out as their standard forms (style/prefixes.rs).
#[test]
fn webkit_prefixes_and_old_flexbox() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<view class="row"><view id="a" class="a"/><view id="b" class="b"/></view>
<view class="col"><view id="c1" class="c"/><view id="c2" class="c"/></view>
<view id="inline" style="display:-webkit-flex;-webkit-justify-content:center"><view id="i" class="a"/></view>"#,
        ),
        (
            "pages/index/index.wxss",
            ".row { display: -webkit-box; -webkit-box-align: center; -webkit-box-pack: justify; height: 100px; }
.a { width: 50px; height: 20px; }
.b { width: 60px; height: 40px; -webkit-transform: translateX(10px); }
.col { display: -webkit-box; -webkit-box-orient: vertical; -webkit-box-direction: normal; }
.c { height: 20px; }",
        ),
    ];
    let mut app = open_files(&files);
    // row: justify → a at the start, b at the end (375 − 60); centred in 100: (100 − h) / 2
    assert_eq!(frame(&mut app, "#a"), [0.0, 40.0, 50.0, 20.0]);
    assert_eq!(frame(&mut app, "#b"), [315.0, 30.0, 60.0, 40.0]);
    let b = app.select("#b").unwrap();
    assert_eq!(
        app.visual_style(b).and_then(|s| s.transform).as_deref(),
        Some("translate(10px, 0px)")
    );
    // vertical box: stacked, stretched to the full width
    assert_eq!(frame(&mut app, "#c1"), [0.0, 0.0, 375.0, 20.0]);
    assert_eq!(frame(&mut app, "#c2"), [0.0, 20.0, 375.0, 20.0]);
    // inline style with -webkit- names: centred (375 − 50) / 2
    assert_eq!(frame(&mut app, "#i")[0], 162.5);
}

/// `-webkit-line-clamp` clamps the text run to that many lines; element and run carry it.
#[test]
fn line_clamp_limits_lines() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<view id="t" class="title">alpha beta gamma delta epsilon zeta eta theta iota kappa</view><view id="u" class="free">alpha beta gamma delta epsilon zeta eta theta iota kappa</view>"#,
        ),
        (
            "pages/index/index.wxss",
            ".title, .free { width: 100px; font-size: 16px; line-height: 20px; }
.title { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; text-overflow: ellipsis; }",
        ),
    ];
    let mut app = open_files(&files);
    // 8 px per ASCII char at 16px: the words wrap to 5 lines of 20px unclamped, 2 clamped
    assert_eq!(frame(&mut app, "#u")[3], 100.0);
    assert_eq!(frame(&mut app, "#t")[3], 40.0);
    let t = app.select("#t").unwrap();
    assert_eq!(app.visual_style(t).and_then(|s| s.line_clamp), Some(2));
    let run = app.tree().get(t).unwrap().children[0];
    assert_eq!(app.visual_style(run).and_then(|s| s.line_clamp), Some(2));
    assert_eq!(app.frame(run).unwrap().height, 40.0);
}

/// `env()`/`constant()` safe-area insets lay out as a screen without a notch: 0px.
#[test]
fn safe_area_insets_are_zero_without_a_notch() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", r#"<view id="bar" class="bar"/>"#),
        (
            "pages/index/index.wxss",
            ".bar { height: 50px; padding-bottom: constant(safe-area-inset-bottom); padding-bottom: calc(10px + env(safe-area-inset-bottom)); }",
        ),
    ];
    let mut app = open_files(&files);
    // 50 + 10 + 0
    assert_eq!(frame(&mut app, "#bar")[3], 60.0);
    // the host reports a home indicator: the padding follows
    let event = serde_json::json!({"type": "resize", "width": 375, "height": 667,
        "safeArea": {"top": 44, "bottom": 34}});
    app.apply(&serde_json::from_value(event).unwrap()).unwrap();
    assert_eq!(frame(&mut app, "#bar")[3], 50.0 + 10.0 + 34.0);
    // and from the start, through the config
    let pkg = Package::from_sources(files.iter().map(|(p, s)| (p.to_string(), s.to_string())));
    let insets = miniapp_core::host::event::SafeAreaInsets { bottom: 20.0, ..Default::default() };
    let config = InstanceConfig { safe_area: Some(insets), ..InstanceConfig::default() };
    let mut app = AppInstance::open(pkg, config).unwrap();
    app.launch(None, 1001).unwrap();
    assert_eq!(frame(&mut app, "#bar")[3], 80.0);
}

/// `hover-class`: pressed 50 ms after touchstart, released 400 ms after touchend, restyled.
#[test]
fn hover_class_is_the_press_state() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<view id="card" hover-class="pressed"><view id="inner" hover-class="inner-pressed" hover-stop-propagation>x</view></view><button id="off" disabled hover-class="pressed">b</button>"#,
        ),
        (
            "pages/index/index.wxss",
            ".pressed { background-color: #ff0000; } .inner-pressed { opacity: 0.5; }",
        ),
    ];
    let mut app = open_files(&files);
    let card = app.select("#card").unwrap();
    let inner = app.select("#inner").unwrap();
    let background = |app: &AppInstance, id| app.visual_style(id).and_then(|s| s.background_color);
    let opacity = |app: &AppInstance, id| app.visual_style(id).and_then(|s| s.opacity);

    app.dispatch(card, "touchstart", serde_json::json!({})).unwrap();
    app.advance(40.0).unwrap();
    assert_eq!(background(&app, card), None, "not yet: hover-start-time is 50");
    app.advance(20.0).unwrap();
    assert_eq!(background(&app, card).as_deref(), Some("#ff0000ff"));
    app.dispatch(card, "touchend", serde_json::json!({})).unwrap();
    app.advance(399.0).unwrap();
    assert_eq!(background(&app, card).as_deref(), Some("#ff0000ff"), "stays 400 ms");
    app.advance(2.0).unwrap();
    assert_eq!(background(&app, card), None);

    // The inner element stops propagation: only it is pressed.
    app.dispatch(inner, "touchstart", serde_json::json!({})).unwrap();
    app.advance(60.0).unwrap();
    assert_eq!(opacity(&app, inner), Some(0.5));
    assert_eq!(background(&app, card), None);

    // A disabled button has no press state.
    let off = app.select("#off").unwrap();
    app.dispatch(off, "touchstart", serde_json::json!({})).unwrap();
    app.advance(60.0).unwrap();
    assert_ne!(background(&app, off).as_deref(), Some("#ff0000ff"));
}

/// The ops of `frames` that mention `id`, as JSON, for assertions on the render protocol.
fn ops_of(frames: &[miniapp_core::view::Frame], id: u32) -> Vec<serde_json::Value> {
    frames
        .iter()
        .flat_map(|f| &f.ops)
        .map(|op| serde_json::to_value(op).unwrap())
        .filter(|v| v["id"] == id || v["parent"] == id)
        .collect()
}

/// `:first-child`, `:last-child`, `:nth-child()`, `:not()`, `+` and `~` match as in a browser,
/// and a list that grows restyles the old last child (style/structure.rs).
#[test]
fn structural_and_sibling_selectors() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            "Page({ data: { items: [1, 2, 3] }, grow() { this.setData({ items: [1, 2, 3, 4] }) } })",
        ),
        (
            "pages/index/index.wxml",
            r#"<view id="list" bindtap="grow"><view wx:for="{{items}}" wx:key="*this" id="i{{item}}" class="item">{{item}}</view></view>
<view class="row"><view class="c" id="c1"/><view class="c" id="c2"/><view class="c" id="c3"/></view>"#,
        ),
        (
            "pages/index/index.wxss",
            ".item { height: 10px; }
.item:first-child { height: 20px; }
.item:last-child { height: 30px; }
.item:nth-child(2n) { width: 100px; }
.c { height: 5px; }
.c + .c { margin-top: 7px; }
.c ~ .c:not(:last-child) { width: 50px; }",
        ),
    ];
    let mut app = open_files(&files);
    // 20 (first) + 10 + 30 (last); the second is even: 100 wide
    assert_eq!(frame(&mut app, "#i1"), [0.0, 0.0, 375.0, 20.0]);
    assert_eq!(frame(&mut app, "#i2"), [0.0, 20.0, 100.0, 10.0]);
    assert_eq!(frame(&mut app, "#i3"), [0.0, 30.0, 375.0, 30.0]);
    // c2, c3 follow a .c: margin 7; only c2 is a later sibling that is not last: 50 wide
    assert_eq!(frame(&mut app, "#c1"), [0.0, 0.0, 375.0, 5.0]);
    assert_eq!(frame(&mut app, "#c2"), [0.0, 12.0, 50.0, 5.0]);
    assert_eq!(frame(&mut app, "#c3"), [0.0, 24.0, 375.0, 5.0]);
    let list = app.select("#list").unwrap();
    app.tap(list).unwrap();
    // the old last child is an ordinary item now; the new one is last and even
    assert_eq!(frame(&mut app, "#i3"), [0.0, 30.0, 375.0, 10.0]);
    assert_eq!(frame(&mut app, "#i4"), [0.0, 40.0, 100.0, 30.0]);
    assert_eq!(frame(&mut app, "#list")[3], 70.0);
    let incremental = app.dump_text().unwrap();
    app.relayout_all();
    assert_eq!(app.dump_text().unwrap(), incremental);
}

/// `::before`/`::after` with `content` are boxes in the layout and nodes in the protocol,
/// restyled with their element's classes, dropped when the content goes.
#[test]
fn pseudo_elements_generate_boxes() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            "Page({ data: { on: false }, flip() { this.setData({ on: !this.data.on }) } })",
        ),
        (
            "pages/index/index.wxml",
            r#"<view id="cell" class="cell {{on ? 'on' : ''}}" data-unit="kg" bindtap="flip">ab</view>
<view id="line" class="line"/>"#,
        ),
        (
            "pages/index/index.wxss",
            ".cell { display: flex; font-size: 16px; line-height: 20px; }
.cell:before { content: \"<<\"; width: 30px; }
.cell::after { content: attr(data-unit); color: #ff0000; }
.cell.on::after { content: none; }
.line { position: relative; height: 10px; }
.line::after { content: \" \"; position: absolute; left: 0; right: 0; bottom: 0; height: 1px; }",
        ),
    ];
    let mut app = open_files(&files);
    let frames = app.take_frames();
    let cell = app.select("#cell").unwrap();
    let boxes = app.generated_boxes(cell);
    assert_eq!(boxes.len(), 2, "{boxes:?}");
    let (before, before_text) = (boxes[0].1, boxes[0].2.unwrap());
    let (after, after_text) = (boxes[1].1, boxes[1].2.unwrap());
    // flex row: ::before 30 wide, the text "ab" (2 × 8px), ::after "kg" (2 × 8px)
    let f = |app: &AppInstance, id| {
        let r = app.frame(id).unwrap();
        [r.x, r.y, r.width, r.height]
    };
    assert_eq!(f(&app, before), [0.0, 0.0, 30.0, 20.0]);
    assert_eq!(f(&app, after), [46.0, 0.0, 16.0, 20.0]);
    assert_eq!(f(&app, after_text), [0.0, 0.0, 16.0, 20.0]);
    let text = app.tree().get(cell).unwrap().children[0];
    assert_eq!(f(&app, text)[0], 30.0);
    // the protocol: created with their tags, text inside, ::before first, ::after appended
    let ops = ops_of(&frames, cell);
    let created = ops_of(&frames, before);
    assert!(
        created.contains(&serde_json::json!({"op": "create", "id": before, "tag": "::before"})),
        "{created:?}"
    );
    assert!(
        ops.contains(
            &serde_json::json!({"op": "insert", "parent": cell, "id": before, "before": text})
        ),
        "{ops:?}"
    );
    assert!(
        ops.contains(&serde_json::json!({"op": "insert", "parent": cell, "id": after})),
        "{ops:?}"
    );
    assert!(ops_of(&frames, before_text)
        .contains(&serde_json::json!({"op": "create_text", "id": before_text, "text": "<<"})));
    assert_eq!(app.visual_style(after).map(|s| s.color).as_deref(), Some("#ff0000ff"));
    // whitespace content: a box without a text run, laid out absolutely at the bottom
    let line = app.select("#line").unwrap();
    let hair = app.generated_boxes(line);
    assert_eq!(hair.len(), 1);
    assert_eq!(hair[0].2, None);
    assert_eq!(f(&app, hair[0].1), [0.0, 9.0, 375.0, 1.0]);
    // a class change removes ::after: removed and released, ::before stays
    app.tap(cell).unwrap();
    let frames = app.take_frames();
    let ops = ops_of(&frames, after);
    assert!(
        ops.contains(&serde_json::json!({"op": "remove", "parent": cell, "id": after})),
        "{ops:?}"
    );
    assert!(ops.contains(&serde_json::json!({"op": "release", "id": after})), "{ops:?}");
    assert_eq!(app.generated_boxes(cell).len(), 1);
    // and back: a new ::after node
    app.tap(cell).unwrap();
    let again = app.generated_boxes(cell);
    assert_eq!(again.len(), 2);
    assert_ne!(again[1].1, after);
}

/// CSS `:active` holds from `touchstart` to `touchend` on the touched element and its
/// ancestors; elements no `:active` rule names are not restyled.
#[test]
fn active_follows_the_touch() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<view id="card" class="card"><view id="mid"><view id="btn" class="btn">x</view></view></view><view id="other" class="btn"/>"#,
        ),
        (
            "pages/index/index.wxss",
            ".btn:active { background-color: #ff0000; } .card:active { opacity: 0.5; }",
        ),
    ];
    let mut app = open_files(&files);
    let (card, btn, other) =
        (app.select("#card").unwrap(), app.select("#btn").unwrap(), app.select("#other").unwrap());
    let background = |app: &AppInstance, id| app.visual_style(id).and_then(|s| s.background_color);
    app.take_frames();
    app.dispatch(btn, "touchstart", serde_json::json!({})).unwrap();
    assert_eq!(background(&app, btn).as_deref(), Some("#ff0000ff"));
    assert_eq!(app.visual_style(card).and_then(|s| s.opacity), Some(0.5));
    assert_eq!(background(&app, other), None);
    // the middle view matches no `:active` rule: no style op for it
    let mid = app.select("#mid").unwrap();
    let styled: Vec<u32> = app
        .take_frames()
        .iter()
        .flat_map(|f| &f.ops)
        .filter_map(|op| match op {
            miniapp_core::view::RenderOp::SetStyle { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert!(
        styled.contains(&btn) && styled.contains(&card) && !styled.contains(&mid),
        "{styled:?}"
    );
    app.dispatch(btn, "touchend", serde_json::json!({})).unwrap();
    assert_eq!(background(&app, btn), None);
    assert_eq!(app.visual_style(card).and_then(|s| s.opacity), None);
}

/// `@keyframes` + `animation` reach the host resolved in `set_style`, and `animationstart`,
/// `animationiteration`, `animationend` and `transitionend` fire on the instance clock.
#[test]
fn animations_and_transitions_are_resolved_and_timed() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            "Page({ data: { on: false, log: [] },
              note(e) { this.setData({ log: this.data.log.concat(e.type + ':' + (e.detail.animationName || e.detail.propertyName) + '@' + e.detail.elapsedTime) }) },
              flip() { this.setData({ on: true }) } })",
        ),
        (
            "pages/index/index.wxml",
            r#"<view id="spin" class="spin" bindanimationstart="note" bindanimationiteration="note" bindanimationend="note"/>
<view id="fade" class="fade {{on ? 'on' : ''}}" bindtap="flip" bindtransitionend="note"/>
<text id="log">{{log}}</text>"#,
        ),
        (
            "pages/index/index.wxss",
            "@-webkit-keyframes pulse { from { opacity: 1 } 50% { opacity: 0.5; transform: translateX(10px) } to { opacity: 1 } }
.spin { width: 10px; height: 10px; -webkit-animation: pulse 200ms linear 100ms 2; }
.fade { height: 10px; transition: opacity 300ms ease; }
.fade.on { opacity: 0.2; }",
        ),
    ];
    let mut app = open_files(&files);
    let spin = app.select("#spin").unwrap();
    let style = serde_json::to_value(app.visual_style(spin).unwrap()).unwrap();
    let anim = &style["animation"][0];
    assert_eq!(anim["name"], "pulse", "{style}");
    assert_eq!((anim["duration"].as_f64(), anim["delay"].as_f64()), (Some(200.0), Some(100.0)));
    assert_eq!(
        (anim["iterationCount"].as_f64(), &anim["timingFunction"]),
        (Some(2.0), &"linear".into())
    );
    let frames = anim["keyframes"].as_array().unwrap();
    assert_eq!(frames.len(), 3, "{anim}");
    assert_eq!(frames[1]["offset"], 0.5);
    assert_eq!(frames[1]["style"]["opacity"], 0.5);
    assert!(frames[1]["style"]["transform"].as_str().unwrap().contains("10px"), "{anim}");
    assert_eq!(frames[0]["style"], serde_json::json!({}));
    let log = |app: &mut AppInstance| {
        let id = app.select("#log").unwrap();
        miniapp_core::view::dump::inner_text(&app.tree(), id)
    };
    app.advance(99.0).unwrap();
    assert_eq!(log(&mut app), "");
    app.advance(2.0).unwrap();
    assert_eq!(log(&mut app), "animationstart:pulse@0");
    app.advance(400.0).unwrap();
    assert_eq!(
        log(&mut app),
        "animationstart:pulse@0,animationiteration:pulse@0.2,animationend:pulse@0.4"
    );
    // a transitioned property changes: transitionend after its duration
    let fade = app.select("#fade").unwrap();
    app.tap(fade).unwrap();
    let transition = app.visual_style(fade).unwrap().transition.unwrap();
    assert_eq!((transition[0].property.as_str(), transition[0].duration), ("opacity", 300.0));
    app.advance(299.0).unwrap();
    assert!(!log(&mut app).contains("transitionend"));
    app.advance(2.0).unwrap();
    assert!(log(&mut app).ends_with(",transitionend:opacity@0.3"), "{}", log(&mut app));
}

/// A settings list written the way WeUI writes cells: a hairline `::before` on every cell but
/// the first, an arrow `::after` on links, a list that grows and shrinks; and a news card with a
/// two-line clamped title. Incremental layout equals a fresh one, generated boxes included.
#[test]
fn cell_list_and_news_card() {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            "Page({ data: { cells: ['a', 'b'] },
              add() { this.setData({ cells: ['z'].concat(this.data.cells, ['c']) }) },
              drop() { this.setData({ cells: this.data.cells.slice(1) }) } })",
        ),
        (
            "pages/index/index.wxml",
            r#"<view class="cells" id="cells">
  <view wx:for="{{cells}}" wx:key="*this" id="cell-{{item}}" class="cell {{item == 'b' ? 'cell_access' : ''}}">
    <view class="cell__bd">{{item}}</view>
  </view>
</view>
<view id="add" bindtap="add"/><view id="drop" bindtap="drop"/>
<view class="card"><view id="title" class="card__title">Campus library extends its opening hours during the exam weeks</view></view>"#,
        ),
        (
            "pages/index/index.wxss",
            ".cells { background-color: #ffffff; line-height: 20px; font-size: 16px; }
.cell { position: relative; display: flex; align-items: center; padding: 16px; }
.cell:before { content: \" \"; position: absolute; left: 16px; right: 0; top: 0; height: 1px; border-top: 1px solid #e5e5e5; transform: scaleY(0.5); }
.cell:first-child:before { display: none; }
.cell__bd { flex: 1; }
.cell_access::after { content: \" \"; width: 8px; height: 16px; margin-left: 8px; }
.card { padding: 12px; }
.card__title { width: 200px; font-size: 16px; line-height: 22px; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }",
        ),
    ];
    let mut app = open_files(&files);
    let rect = |app: &AppInstance, id| {
        let r = app.frame(id).unwrap();
        [r.x, r.y, r.width, r.height]
    };
    let generated = |app: &mut AppInstance, sel: &str| {
        let id = app.select(sel).unwrap();
        app.generated_boxes(id)
            .into_iter()
            .map(|(p, g, _)| (p.tag(), rect(app, g)))
            .collect::<Vec<_>>()
    };
    // cells: 16 + 20 + 16 = 52 high; hairline inset 16 from the left, full width after it
    assert_eq!(frame(&mut app, "#cell-a"), [0.0, 0.0, 375.0, 52.0]);
    assert_eq!(frame(&mut app, "#cell-b"), [0.0, 52.0, 375.0, 52.0]);
    // the first cell's hairline is not displayed: a box with an empty frame
    assert_eq!(generated(&mut app, "#cell-a"), vec![("::before", [0.0, 0.0, 0.0, 0.0])]);
    // second cell: hairline (1px content + 1px border) and the arrow after the text
    // (375 − 32 padding − 8 arrow − 8 margin = 327 for the text; arrow at 16 + 327 + 8)
    assert_eq!(
        generated(&mut app, "#cell-b"),
        vec![("::before", [16.0, 0.0, 359.0, 2.0]), ("::after", [351.0, 18.0, 8.0, 16.0])]
    );
    assert_eq!(frame(&mut app, "#cell-b .cell__bd")[2], 327.0);
    // the clamped title: 62 chars × 8px in 200px wraps to more than 2 lines; 2 × 22 shown
    assert_eq!(frame(&mut app, "#title")[3], 44.0);

    // a cell inserted before the first: the old first gets its hairline, the new one has none
    let add = app.select("#add").unwrap();
    app.tap(add).unwrap();
    assert_eq!(generated(&mut app, "#cell-z"), vec![("::before", [0.0, 0.0, 0.0, 0.0])]);
    assert_eq!(generated(&mut app, "#cell-a"), vec![("::before", [16.0, 0.0, 359.0, 2.0])]);
    assert_eq!(frame(&mut app, "#cell-c")[1], 156.0);
    let drop = app.select("#drop").unwrap();
    app.tap(drop).unwrap();
    assert_eq!(generated(&mut app, "#cell-a"), vec![("::before", [0.0, 0.0, 0.0, 0.0])]);
    let incremental: Vec<_> =
        ["#cell-a", "#cell-b", "#cell-c"].iter().map(|s| generated(&mut app, s)).collect();
    let dump = app.dump_text().unwrap();
    app.relayout_all();
    let fresh: Vec<_> =
        ["#cell-a", "#cell-b", "#cell-c"].iter().map(|s| generated(&mut app, s)).collect();
    assert_eq!(fresh, incremental);
    assert_eq!(app.dump_text().unwrap(), dump);
}

#[test]
fn built_in_looks_icon_sizes_and_transforms_reach_the_host() {
    let mut app = open_files(&[
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<button id="plain-default">A</button>
<button id="primary" type="primary">B</button>
<button id="warn-plain" type="warn" plain>C</button>
<button id="themed" type="primary" class="themed">D</button>
<icon id="icon-default" type="success" />
<icon id="icon-30" type="info" size="30" />
<icon id="icon-rpx" type="warn" size="40rpx" style="height: 10px" />
<view id="moved" class="moved">x</view>
<view id="turned" style="transform: rotateZ(0.25turn); transform-origin: left top">y</view>"#,
        ),
        (
            "pages/index/index.wxss",
            ".themed { background-color: #123456; }
.moved { transform: translate(-50%, 20rpx) scale(2) rotate(45deg) perspective(10px); }",
        ),
    ]);
    // WeChat's classic button colors come from the user-agent sheet; author rules win
    let button = style(&mut app, "#plain-default");
    assert_eq!(
        (button.background_color.as_deref(), button.color.as_str()),
        (Some("#f8f8f8ff"), BLACK)
    );
    let primary = style(&mut app, "#primary");
    assert_eq!(
        (primary.background_color.as_deref(), primary.color.as_str()),
        (Some("#1aad19ff"), "#ffffffff")
    );
    let warn = style(&mut app, "#warn-plain");
    assert_eq!(warn.background_color, None, "plain buttons are transparent");
    assert_eq!(warn.border_color.as_ref().map(|c| c[0].as_str()), Some("#e64340ff"));
    assert_eq!(style(&mut app, "#themed").background_color.as_deref(), Some("#123456ff"));
    // an icon is a `size` square, 23px by default; its own style still wins
    assert_eq!(frame(&mut app, "#icon-default")[2..], [23.0, 23.0]);
    assert_eq!(frame(&mut app, "#icon-30")[2..], [30.0, 30.0]);
    assert_eq!(frame(&mut app, "#icon-rpx")[2..], [20.0, 10.0]);
    // transforms arrive in one fixed form, lengths in px, percentages kept, perspective dropped
    let moved = style(&mut app, "#moved");
    assert_eq!(moved.transform.as_deref(), Some("translate(-50%, 10px) scale(2, 2) rotate(45deg)"));
    assert_eq!(moved.transform_origin, None);
    let turned = style(&mut app, "#turned");
    assert_eq!(turned.transform.as_deref(), Some("rotate(90deg)"));
    assert_eq!(turned.transform_origin, Some(["0%".to_string(), "0%".to_string()]));
}

/// Texts a page shows at each step: a block's, a shrinking flex item's (measured at its
/// min-content and max-content widths), a wrapped run's, one of three inline runs and a
/// two-line clamped run's. Between steps some keep their measurements (the same digits count)
/// and some do not (wider, wrapping elsewhere, same widest line but another narrowest word).
const TEXT_STEPS: &[[&str; 5]] = &[
    ["12", "aa bb", "aaaa bbbb", "x", "a b c d e f g h i j"],
    ["34", "aaaab", "aaaa bbbb", "y", "k l m n o p q r s t"],
    ["12345", "aaaab", "aaaa", "xyz", "k l"],
    ["12346", "a b", "bbbb", "xyz", "k l m n o p q r s t u v w x y z"],
];

fn text_steps_app(step: usize) -> AppInstance {
    let wxml = r#"<view id="a">{{t[0]}}</view>
<view style="display: flex; width: 60px"><view id="b" style="flex-shrink: 1">{{t[1]}}</view><view style="width: 40px; flex-shrink: 0">|</view></view>
<view id="c" style="width: 40px">{{t[2]}}</view>
<view id="d"><text>a</text><text>{{t[3]}}</text><text>b</text></view>
<view id="e" style="width: 50px; -webkit-line-clamp: 2; display: -webkit-box; overflow: hidden">{{t[4]}}</view>
<view id="next" bindtap="next">next</view>"#;
    let js = format!(
        "const STEPS = {};\nPage({{ data: {{ t: [], i: 0 }}, onLoad(q) {{ const i = Number(q.step); this.setData({{ t: STEPS[i], i }}) }}, next() {{ const i = this.data.i + 1; this.setData({{ i, 't[0]': STEPS[i][0], 't[1]': STEPS[i][1], 't[2]': STEPS[i][2], 't[3]': STEPS[i][3], 't[4]': STEPS[i][4] }}) }} }})",
        serde_json::to_string(TEXT_STEPS).unwrap()
    );
    one_page_at_step(wxml, "", &js, step)
}

/// A one-page app (`pages/p/p` with `wxml`, `wxss` and `js`) launched with `?step=…`.
fn one_page_at_step(wxml: &str, wxss: &str, js: &str, step: usize) -> AppInstance {
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["pages/p/p"]}"#),
        ("app.js", "App({})"),
        ("pages/p/p.wxml", wxml),
        ("pages/p/p.wxss", wxss),
        ("pages/p/p.js", js),
    ]);
    let mut app = AppInstance::open(pkg, InstanceConfig::default()).expect("open");
    app.launch(Some(&format!("pages/p/p?step={step}")), 1001).expect("launch");
    app
}

#[test]
fn changed_text_lays_out_as_a_fresh_page_would() {
    let mut app = text_steps_app(0);
    for (step, texts) in TEXT_STEPS.iter().enumerate().skip(1) {
        let next = app.select("#next").unwrap();
        app.tap(next).unwrap();
        let fresh = text_steps_app(step).dump_text().unwrap();
        assert_eq!(app.dump_text().unwrap(), fresh, "after step {step}: {texts:?}");
    }
    // the steps changed what is laid out: the flex item's width, the run that no longer wraps
    assert_ne!(frame(&mut text_steps_app(0), "#b"), frame(&mut text_steps_app(1), "#b"));
    assert_ne!(frame(&mut text_steps_app(0), "#c")[3], frame(&mut text_steps_app(2), "#c")[3]);
}

/// `setData` paths a long list goes through, one step each: the same digits count, a wider
/// text, a text that wraps (the rows below move), a class that restyles a row, two rows at
/// once, a row of another list. (No structural selector: with one, every child is asked.)
const LIST_STEPS: &[&str] = &[
    "'rows[5].t': '11'",
    "'rows[6].t': 'a wider text'",
    "'rows[7].t': 'a text long enough to wrap onto a second line here'",
    "'rows[8].on': true",
    "'rows[9].t': '99', 'rows[30].t': 'thirty'",
    "'odd[3].t': 'three'",
];

fn list_steps_app(step: usize) -> AppInstance {
    let wxml = r#"<view id="rows"><view wx:for="{{rows}}" wx:key="id" id="r{{index}}" class="row {{item.on ? 'on' : ''}}">{{item.t}}</view></view>
<view id="odd"><view wx:for="{{odd}}" wx:key="id" id="o{{index}}" class="o">{{item.t}}</view></view>
<view id="next" bindtap="next">next</view>"#;
    let wxss = ".row { width: 150px } .on { height: 30px; color: red } .o { padding: 2px }";
    let sets: Vec<String> = LIST_STEPS.iter().map(|s| format!("{{ {s} }}")).collect();
    let js = format!(
        "const STEPS = [{}];
Page({{
  data: {{ i: 0, rows: [], odd: [] }},
  onLoad(q) {{
    const rows = [], odd = []
    for (let i = 0; i < 100; i++) rows.push({{ id: i, t: String(10 + i), on: false }})
    for (let i = 0; i < 40; i++) odd.push({{ id: i, t: 'o' + i }})
    this.setData({{ rows, odd }})
    for (let s = 0; s < Number(q.step); s++) this.setData(STEPS[s])
    this.setData({{ i: Number(q.step) }})
  }},
  next() {{ this.setData(STEPS[this.data.i]); this.setData({{ i: this.data.i + 1 }}) }},
}})",
        sets.join(", ")
    );
    one_page_at_step(wxml, wxss, &js, step)
}

#[test]
fn long_lists_update_as_a_fresh_page_lays_out() {
    let mut app = list_steps_app(0);
    for step in 1..=LIST_STEPS.len() {
        let next = app.select("#next").unwrap();
        app.tap(next).unwrap();
        let mut fresh = list_steps_app(step);
        assert_eq!(
            app.dump_text().unwrap(),
            fresh.dump_text().unwrap(),
            "after {}",
            LIST_STEPS[step - 1]
        );
        for row in ["#r8", "#o3", "#o4"] {
            assert_eq!(style(&mut app, row), style(&mut fresh, row), "{row} after step {step}");
        }
    }
    // the steps reached the page: the wrapped row pushed the next ones down, the class applied
    assert_eq!(frame(&mut app, "#r7")[3], 57.6);
    assert_eq!(frame(&mut app, "#r8")[1..], [192.0, 150.0, 30.0]);
    assert_eq!(style(&mut app, "#r8").color, "#ff0000ff");
}

#[test]
fn grid_tracks_gaps_and_automatic_placement() {
    let mut app = open_files(&[
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<view id="grid" class="grid">
  <view id="i0" /><view id="i1" /><view id="i2" /><view id="i3" /><view id="i4" />
</view>
<view id="fixed" class="fixed"><view id="f0" class="dot" /><view id="f1" class="dot" /></view>"#,
        ),
        (
            "pages/index/index.wxss",
            ".grid { display: grid; grid-template-columns: 100px repeat(2, minmax(0, 1fr));
  column-gap: 15px; row-gap: 10px; grid-auto-rows: 40px; }
.fixed { display: grid; grid-template-columns: repeat(3, 50px); grid-template-rows: 30px;
  justify-items: center; }
.dot { width: 20px; height: 10px; }",
        ),
    ]);
    // columns: 100, then (375 − 100 − 2 × 15) / 2 = 122.5 each; rows 40 apart by 10
    assert_eq!(frame(&mut app, "#i0"), [0.0, 0.0, 100.0, 40.0]);
    assert_eq!(frame(&mut app, "#i1"), [115.0, 0.0, 122.5, 40.0]);
    assert_eq!(frame(&mut app, "#i2"), [252.5, 0.0, 122.5, 40.0]);
    // the fourth item starts the second row (automatic placement, row by row)
    assert_eq!(frame(&mut app, "#i3"), [0.0, 50.0, 100.0, 40.0]);
    assert_eq!(frame(&mut app, "#i4"), [115.0, 50.0, 122.5, 40.0]);
    assert_eq!(frame(&mut app, "#grid"), [0.0, 0.0, 375.0, 90.0]);
    // three 50px columns, 20px items centred in theirs: (50 − 20) / 2 = 15 in each; row 30
    assert_eq!(frame(&mut app, "#f0"), [15.0, 0.0, 20.0, 10.0]);
    assert_eq!(frame(&mut app, "#f1"), [65.0, 0.0, 20.0, 10.0]);
    assert_eq!(frame(&mut app, "#fixed"), [0.0, 90.0, 375.0, 30.0]);
}

#[test]
fn grid_placement_by_line_is_reported_not_applied() {
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view class=\"g\"><view class=\"wide\" /></view>"),
        (
            "pages/index/index.wxss",
            ".g { display: grid; grid-template-columns: repeat(auto-fill, 100px); }\n\
             .wide { grid-column: span 2; }",
        ),
    ]);
    let app = AppInstance::open(pkg, InstanceConfig::default()).expect("open");
    let diagnostics = app.diagnostics().to_string();
    assert!(
        diagnostics.contains("index.wxss:1:21: warning [E500]: unsupported property: grid-template-columns: repeat(auto-fill, 100px)"),
        "{diagnostics}"
    );
    assert!(
        diagnostics
            .contains("index.wxss:2:9: warning [E500]: unsupported property: grid-column: span 2"),
        "{diagnostics}"
    );
}
