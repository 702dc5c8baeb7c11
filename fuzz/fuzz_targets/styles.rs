//! WXSS and Sass from the fuzzer's bytes: the part before the first NUL byte is `app.wxss`, the
//! rest the page's `index.scss` (the Sass plugin is on). Both are compiled and parsed as when
//! the app opens (`@import`, rpx, `-webkit-` rewrites, structural pseudo-classes, sibling
//! combinators, `::before`/`::after`, keyframes, custom properties), then cascaded onto a
//! fixed page of common elements and laid out, as the first frame is. Every frame the layout
//! emits must have finite coordinates: a host cannot place a view at NaN.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use miniapp_core::compile::styles::compile_package_styles;
use miniapp_core::layout::text::HeadlessMeasurer;
use miniapp_core::layout::LayoutEngine;
use miniapp_core::package::Package;
use miniapp_core::style::StyleSheets;
use miniapp_core::view::tree::{NodeId, StyleScope, Tree, ROOT};
use miniapp_core::view::RenderOp;
use miniapp_core::Diagnostics;

const CLASSES: [&str; 8] = ["a", "b", "item", "row", "title", "active", "hd", "bd"];
const TAGS: [&str; 8] =
    ["view", "text", "image", "button", "input", "scroll-view", "icon", "switch"];

fn page(tree: &mut Tree, scope: StyleScope) {
    let page = tree.create_element("page");
    let mut parents = vec![page];
    for i in 0..24usize {
        let el = tree.create_element(TAGS[i % TAGS.len()]);
        let _ = tree.set_style_scope(el, scope, None, None);
        let _ = tree.add_class(el, CLASSES[i % CLASSES.len()], scope);
        if i % 3 == 0 {
            let _ = tree.add_class(el, CLASSES[(i / 3) % CLASSES.len()], scope);
        }
        if i % 5 == 0 {
            let _ = tree.set_id(el, &format!("n{i}"));
            let _ = tree.set_dataset(el, "index", Some(serde_json::Value::from(i.to_string())));
        }
        let parent = parents[i % parents.len()];
        let _ = tree.append_child(parent, el);
        if i % 4 == 1 {
            let text = tree.create_text("文字 text 12");
            let _ = tree.append_child(el, text);
        }
        if i % 3 == 2 {
            parents.push(el);
        }
    }
    let _ = tree.append_child(ROOT, page);
}

fuzz_target!(init: miniapp_fuzz::crash_only_on_uncaught_panics(), |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (wxss, scss) = text.split_once('\0').unwrap_or((&text, ""));
    let mut package = Package::from_sources([
        ("project.config.json", r#"{"setting":{"useCompilerPlugins":["sass"]}}"#),
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.wxss", wxss),
        ("common/base.wxss", ".base { color: red; }"),
        ("pages/index/index.scss", scss),
        ("pages/index/_vars.scss", "$gap: 12rpx;"),
    ]);
    let mut diags = Diagnostics::default();
    compile_package_styles(&mut package, &mut diags);
    let sheets = StyleSheets::load(&package, &mut diags);
    let _ = diags.to_string();

    let scope: StyleScope = std::num::NonZeroUsize::new(1);
    let mut engine = LayoutEngine::new(375.0, 667.0, Arc::new(HeadlessMeasurer));
    engine.set_shared_scope(scope);
    engine.append_sheet(&sheets, "app", scope);
    engine.append_sheet(&sheets, "pages/index/index", scope);
    let mut tree = Tree::new();
    page(&mut tree, scope);
    let _ = engine.update(&mut tree);
    let frame = tree.take_frame();
    for op in frame.iter().flat_map(|f| &f.ops) {
        if let RenderOp::SetFrame { id, x, y, width, height } = op {
            let id: NodeId = *id;
            assert!(
                [x, y, width, height].iter().all(|v| v.is_finite()),
                "node {id}: frame {x} {y} {width} {height}"
            );
        }
    }
});
