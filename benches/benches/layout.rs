//! Layout benches, straight on the core's style + layout API (no JavaScript): a full style and
//! layout pass of a ~1000-node page, and the relayout after one text node changes.
//! Run: `cargo bench -p miniapp-benches --bench layout`.

use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use miniapp_core::layout::text::HeadlessMeasurer;
use miniapp_core::layout::LayoutEngine;
use miniapp_core::package::Package;
use miniapp_core::style::StyleSheets;
use miniapp_core::view::tree::{NodeId, StyleScope, Tree, ROOT};
use miniapp_core::view::RenderOp;
use miniapp_core::Diagnostics;
use std::hint::black_box;

/// Rows of the page: 1 page + ROWS × (row + CELLS × (cell + text + text node)) nodes.
const ROWS: usize = 77;
const CELLS: usize = 4;

const APP_WXSS: &str = r#"/* app.wxss */
page {
  background-color: #f5f6f8;
  color: #1f2329;
  font-size: 28rpx;
  line-height: 1.5;
}

.list {
  box-sizing: border-box;
  padding: 24rpx 24rpx 0;
}

.row {
  display: flex;
  flex-direction: row;
  align-items: stretch;
  margin-bottom: 16rpx;
}

.cell {
  display: flex;
  flex-direction: column;
  flex: 1;
  margin-right: 12rpx;
  padding: 16rpx 20rpx;
  border: 1px solid #e5e6eb;
  border-radius: 12rpx;
  background-color: #ffffff;
}

.muted {
  color: #8a919f;
  font-size: 22rpx;
}
"#;

const PAGE_WXSS: &str = r#"/* pages/index/index.wxss */
.cell.featured {
  border-color: #1f6feb;
  background-color: #eef4ff;
}

.row .title {
  font-size: 26rpx;
  font-weight: 600;
  line-height: 40rpx;
}

.list .cell .label {
  margin-top: 4rpx;
  letter-spacing: 1rpx;
}
"#;

const WORDS: &[&str] =
    &["课程", "Course", "第三教学楼", "Room", "305", "周二", "Lab", "图书馆", "open", "8:00"];

/// `n` words of mixed ASCII and CJK, varied by `seed`.
fn words(seed: usize, n: usize) -> String {
    (0..n).map(|i| WORDS[(seed * 7 + i * 3) % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

/// Loads the page's sheets from a package written to a temp dir.
fn sheets() -> StyleSheets {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.wxss", APP_WXSS),
        ("pages/index/index.wxss", PAGE_WXSS),
        ("pages/index/index.js", ""),
        ("pages/index/index.json", "{}"),
        ("pages/index/index.wxml", ""),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let package = Package::open_dir(dir.path()).expect("package");
    let mut diags = Diagnostics::default();
    let sheets = StyleSheets::load(&package, &mut diags);
    let problems: Vec<_> = diags.iter().collect();
    assert!(problems.is_empty(), "every rule must apply: {problems:#?}");
    sheets
}

fn scope() -> StyleScope {
    NonZeroUsize::new(1)
}

fn element(tree: &mut Tree, parent: NodeId, tag: &str, classes: &[&str]) -> NodeId {
    let id = tree.create_element(tag);
    tree.set_style_scope(id, scope(), None, None).expect("scope");
    for class in classes {
        tree.add_class(id, class, scope()).expect("class");
    }
    tree.append_child(parent, id).expect("append");
    id
}

/// The page (built off-screen, then attached under the root) and the text node of the middle
/// row's second cell. The creation ops are taken, so the frame holds only layout's ops.
fn page_tree() -> (Tree, NodeId) {
    let mut tree = Tree::new();
    let page = tree.create_element("page");
    let list = element(&mut tree, page, "view", &["list"]);
    let mut probe = None;
    for r in 0..ROWS {
        let row = element(&mut tree, list, "view", &["row"]);
        for c in 0..CELLS {
            let classes: &[&str] = if (r + c) % 5 == 0 { &["cell", "featured"] } else { &["cell"] };
            let cell = element(&mut tree, row, "view", classes);
            let class = if c % 2 == 0 { "title" } else { "label" };
            let text = element(&mut tree, cell, "text", &[class]);
            let node = tree.create_text(&words(r * CELLS + c, 2 + (r + c) % 4));
            tree.append_child(text, node).expect("append");
            if r == ROWS / 2 && c == 1 {
                probe = Some(node);
            }
        }
    }
    tree.append_child(ROOT, page).expect("attach page");
    tree.take_frame();
    (tree, probe.expect("probe text node"))
}

fn engine(sheets: &StyleSheets) -> LayoutEngine {
    let mut engine = LayoutEngine::new(375.0, 667.0, Arc::new(HeadlessMeasurer));
    engine.set_shared_scope(scope());
    assert!(engine.append_sheet(sheets, "app", scope()) >= 0, "app.wxss");
    assert!(engine.append_sheet(sheets, "pages/index/index", scope()) >= 0, "index.wxss");
    engine
}

fn update(engine: &mut LayoutEngine, tree: &mut Tree) -> Vec<RenderOp> {
    let warnings = engine.update(tree);
    assert!(warnings.is_empty(), "{warnings:?}");
    tree.take_frame().map(|f| f.ops).unwrap_or_default()
}

fn count(ops: &[RenderOp], pred: fn(&RenderOp) -> bool) -> usize {
    ops.iter().filter(|op| pred(op)).count()
}

fn is_frame(op: &RenderOp) -> bool {
    matches!(op, RenderOp::SetFrame { .. })
}

fn is_style(op: &RenderOp) -> bool {
    matches!(op, RenderOp::SetStyle { .. })
}

fn benches(c: &mut Criterion) {
    let sheets = sheets();
    let mut g = c.benchmark_group("layout");
    g.sample_size(20);

    // Checked once, outside the timing: layout positions every node.
    let (mut tree, probe) = page_tree();
    let nodes = tree.len() - 1; // without the root
    let mut laid_out = engine(&sheets);
    let ops = update(&mut laid_out, &mut tree);
    let frames = count(&ops, is_frame);
    println!(
        "style_layout_1000_nodes: {nodes} nodes -> {} ops ({frames} set_frame, {} set_style)",
        ops.len(),
        count(&ops, is_style)
    );
    assert!(frames >= nodes * 9 / 10, "{frames} set_frame ops for {nodes} nodes");
    // The sheets applied: the probe's row lays its cells out side by side.
    let parent = |id: NodeId| tree.get(id).and_then(|n| n.parent).expect("parent");
    let row = parent(parent(parent(probe)));
    let cells: Vec<_> = tree.get(row).map(|n| n.children.clone()).unwrap_or_default();
    let rects: Vec<_> = cells.iter().filter_map(|id| laid_out.frame(*id)).collect();
    assert_eq!(rects.len(), CELLS);
    assert!(rects.windows(2).all(|w| w[0].y == w[1].y && w[0].x < w[1].x), "{rects:?}");
    let measured = laid_out.measure_calls();

    g.bench_function("style_layout_1000_nodes", |b| {
        b.iter_batched(
            || (page_tree().0, engine(&sheets)),
            |(mut tree, mut engine)| {
                engine.update(&mut tree);
                (tree, engine)
            },
            BatchSize::PerIteration,
        )
    });

    // One text node of the middle row alternates between 2 and 12 words: its cell grows a few
    // lines, so its row and every row below it move.
    let texts = [words(1, 2), words(2, 12)];
    let mut flip = 0;
    let mut change = |tree: &mut Tree| {
        flip ^= 1;
        tree.set_text(probe, &texts[flip]).expect("set_text");
    };
    change(&mut tree);
    let ops = update(&mut laid_out, &mut tree);
    println!(
        "relayout_after_text_change: {} ops ({} set_frame, {} set_style, {} set_text), \
         {} text measurements (first pass: {measured})",
        ops.len(),
        count(&ops, is_frame),
        count(&ops, is_style),
        count(&ops, |op| matches!(op, RenderOp::SetText { .. })),
        laid_out.measure_calls() - measured
    );
    assert!(ops.iter().any(|op| matches!(op, RenderOp::SetFrame { id, .. } if *id == probe)));
    assert!(ops.len() < nodes / 10, "{} ops after one text change", ops.len());

    g.bench_function("relayout_after_text_change", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                change(&mut tree);
                let start = Instant::now();
                let ops = black_box(update(&mut laid_out, &mut tree));
                total += start.elapsed();
                drop(ops);
            }
            total
        })
    });
    g.finish();
}

criterion_group!(layout, benches);
criterion_main!(layout);
