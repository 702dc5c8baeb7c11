//! Styles and layout of the shown tree, turned into render ops.
//!
//! [`LayoutEngine::update`] runs when a frame closes: it walks every page under the root,
//! restyles the nodes whose style inputs changed (a node's [`Node::revision`] moved, or an
//! ancestor was restyled), rebuilds box children where the tree's children changed, marks
//! the dirty paths, lets float-pigment-layout recompute them (each page at the viewport
//! width; `%` heights resolve against the viewport height), and appends `set_style` /
//! `set_frame` ops for the nodes whose resolved visual style or frame changed. Frames are
//! border boxes in px relative to the parent's border box, rounded to 1/100 px.
//! It also answers geometry queries ([`LayoutEngine::frame`], [`LayoutEngine::client_rect`]).
//! Owned by the logic thread.

pub mod boxes;
pub mod generated;
pub mod props;
mod shared_styles;
pub mod text;

use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;

use float_pigment_css::property::NodeProperties;
use float_pigment_css::typing::Display;
use float_pigment_layout::{DefLength, OptionNum, OptionSize};
use serde::Serialize;

use crate::style::cascade::{parse_inline, StyleEngine, StyleRef, Vars};
use crate::style::motion::{self, Motion};
use crate::style::structure::Matcher;
use crate::style::visual::{line_height_px, VisualStyle};
use crate::style::StyleSheets;
use crate::view::ops::RenderOp;
use crate::view::tree::{Node, NodeId, NodeKind, StyleScope, Tree, ROOT};
use boxes::{LayoutBox, LayoutEnv, RatioFix, TextRun};
use generated::Pseudo;
use props::LayoutProps;
use text::{collapse_white_space, FontSpec, TextCache, TextMeasurer};

/// A border box in px, relative to the parent's border box.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct BoxRect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// The largest coordinate or size a frame carries, in px (what browsers clamp layout to,
/// 2^25): a length past it — `padding: 1e64rpx`, sums of huge lengths — would overflow `f32`
/// into infinity, and a host cannot place a view there.
const MAX_COORD: f32 = 33_554_432.0;

/// A layout value as frames carry it: rounded to 1/100 px, within ±[`MAX_COORD`], NaN as 0.
fn round(v: f32) -> f32 {
    if v.is_nan() {
        return 0.0;
    }
    (v.clamp(-MAX_COORD, MAX_COORD) * 100.0).round() / 100.0
}

/// What the host last received for a node.
#[derive(Debug, Clone)]
struct Sent {
    frame: BoxRect,
    /// Shared by the nodes that resolve to the same style (see [`Emit::visuals`]).
    visual: Arc<VisualStyle>,
}

/// The style and layout state of one app (see the module docs).
pub struct LayoutEngine {
    styles: StyleEngine,
    /// The scope glass-easel gives pages (app.wxss and page sheets are appended with it).
    shared_scope: StyleScope,
    measurer: Arc<dyn TextMeasurer>,
    cache: TextCache,
    pages: Vec<LayoutBox>,
    stub: Rc<LayoutBox>,
    viewport: (f32, f32),
    sent: rustc_hash::FxHashMap<NodeId, Sent>,
    /// Set when everything must be restyled (viewport change).
    restyle_all: bool,
    warned: HashSet<String>,
    /// Images whose `mode` sizes one side from the other (see [`RatioFix`]): the pass that
    /// applies them runs only while there are some.
    ratio_fixed: rustc_hash::FxHashSet<NodeId>,
    /// Ids of the generated boxes the host has (see [`generated`]).
    generated: rustc_hash::FxHashSet<NodeId>,
    /// Set by [`LayoutEngine::reset`]: the tree forgets every `::after` on the next update.
    forget_trailing: bool,
    /// Animations and transitions started since [`LayoutEngine::take_motion`].
    motion: Vec<Motion>,
    /// Custom properties every page inherits: the safe-area insets `env()` reads.
    root_vars: Vars,
}

impl std::fmt::Debug for LayoutEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayoutEngine")
            .field("viewport", &self.viewport)
            .field("pages", &self.pages.len())
            .finish()
    }
}

/// The per-pass context of the sync walk.
struct Sync<'e> {
    styles: &'e StyleEngine,
    /// Changed nodes and their ancestors: the only subtrees the walk enters.
    paths: &'e rustc_hash::FxHashSet<NodeId>,
    /// Nodes whose boxes were dropped (the host has released or moved them).
    removed: Vec<NodeId>,
    stub: &'e Rc<LayoutBox>,
    shared_scope: StyleScope,
    warnings: Vec<String>,
    warned: &'e mut HashSet<String>,
    ratio_fixed: &'e mut rustc_hash::FxHashSet<NodeId>,
    /// Generated boxes (and text runs) created in this pass, still without ids.
    generated_new: usize,
    /// `set_text`, `remove` and `release` ops for generated boxes that changed or went away.
    generated_ops: Vec<RenderOp>,
    /// Ids of generated boxes that went away.
    generated_gone: Vec<NodeId>,
    /// Elements whose `::after` node changed (see `Tree::set_trailing`).
    trailing: Vec<(NodeId, Option<NodeId>)>,
    /// Animations started or stopped by restyles.
    motion: &'e mut Vec<Motion>,
    /// The measurer and its cache, to tell whether new text lays out as the old did.
    measurer: &'e dyn TextMeasurer,
    text_cache: &'e mut TextCache,
    /// Styles computed in this pass, shared by the boxes that agree on their inputs.
    shared: shared_styles::SharedStyles,
}

impl LayoutEngine {
    /// An engine for a `width`×`height` viewport measuring text with `measurer`.
    pub fn new(width: f32, height: f32, measurer: Arc<dyn TextMeasurer>) -> LayoutEngine {
        let styles = StyleEngine::new(width, height);
        let stub = LayoutBox::stub(styles.media());
        LayoutEngine {
            styles,
            shared_scope: None,
            measurer,
            cache: TextCache::default(),
            pages: Vec::new(),
            stub,
            viewport: (width, height),
            sent: Default::default(),
            restyle_all: false,
            warned: HashSet::new(),
            ratio_fixed: Default::default(),
            generated: Default::default(),
            forget_trailing: false,
            motion: Vec::new(),
            root_vars: Vars::default(),
        }
    }

    /// The host's safe-area insets, which WXSS reads as `env(safe-area-inset-*)` (rewritten
    /// to `var(--safe-area-inset-*, 0px)`); everything is restyled on the next update.
    pub fn set_safe_area(&mut self, insets: crate::host::event::SafeAreaInsets) {
        let mut vars = std::collections::HashMap::new();
        for (side, v) in [
            ("top", insets.top),
            ("right", insets.right),
            ("bottom", insets.bottom),
            ("left", insets.left),
        ] {
            vars.insert(format!("--safe-area-inset-{side}"), format!("{}px", v.max(0.0)));
        }
        self.root_vars = Rc::new(vars);
        self.restyle_all = true;
    }

    /// Appends a style sheet glass-easel registered (`key`: package path without `.wxss`).
    /// A new sheet may match shown nodes, so everything is restyled on the next update.
    pub fn append_sheet(&mut self, sheets: &StyleSheets, key: &str, scope: StyleScope) -> i32 {
        match self.styles.append(sheets, key, scope) {
            Some((index, new)) => {
                self.restyle_all |= new;
                i32::from(index)
            }
            None => -1,
        }
    }

    /// Records the scope pages are created with.
    pub fn set_shared_scope(&mut self, scope: StyleScope) {
        self.shared_scope = scope;
    }

    /// Changes the viewport; everything is restyled and laid out on the next update.
    pub fn set_viewport(&mut self, width: f32, height: f32) {
        self.viewport = (width, height);
        self.styles.set_viewport(width, height);
        self.restyle_all = true;
    }

    /// Forgets every box and what the host was sent: the next update restyles, lays out and
    /// sends everything again.
    pub fn reset(&mut self) {
        self.pages.clear();
        self.sent.clear();
        self.ratio_fixed.clear();
        self.generated.clear();
        self.forget_trailing = true;
        self.restyle_all = true;
    }

    /// True when the next frame must restyle even if the tree did not change.
    pub fn needs_update(&self) -> bool {
        self.restyle_all
    }

    /// Text measurements that reached the measurer so far.
    pub fn measure_calls(&self) -> u64 {
        self.cache.misses
    }

    /// Restyles, lays out and appends the resulting ops to `tree`'s frame. Returns style
    /// warnings (inline styles float-pigment cannot apply), each once per app.
    pub fn update(&mut self, tree: &mut Tree) -> Vec<String> {
        if std::mem::take(&mut self.forget_trailing) {
            tree.forget_all_trailing();
        }
        let page_ids = tree.element_children(ROOT);
        let media = self.styles.media().clone();
        let mut removed = Vec::new();
        reconcile(&mut self.pages, &page_ids, &mut removed, |id| LayoutBox::new(id, None, &media));
        let mut paths = rustc_hash::FxHashSet::default();
        for id in tree.take_layout_changes() {
            let mut cur = Some(id);
            while let Some(c) = cur {
                if !paths.insert(c) {
                    break;
                }
                cur = tree.get(c).and_then(|n| n.parent);
            }
        }
        let force = std::mem::take(&mut self.restyle_all);
        let mut cx = Sync {
            styles: &self.styles,
            paths: &paths,
            removed,
            stub: &self.stub,
            shared_scope: self.shared_scope,
            warnings: Vec::new(),
            warned: &mut self.warned,
            ratio_fixed: &mut self.ratio_fixed,
            generated_new: 0,
            generated_ops: Vec::new(),
            generated_gone: Vec::new(),
            trailing: Vec::new(),
            motion: &mut self.motion,
            measurer: self.measurer.as_ref(),
            text_cache: &mut self.cache,
            shared: Default::default(),
        };
        let matcher = Matcher::new(tree, self.styles.conditions());
        let root_css = shared_styles::initial();
        let root = (!self.root_vars.is_empty()).then_some((&root_css, &self.root_vars));
        for page in &mut self.pages {
            let mut chain = Vec::new();
            sync(&mut cx, page, matcher, &mut chain, root, force);
        }
        let warnings = cx.warnings;
        let mut ops = std::mem::take(&mut cx.generated_ops);
        let (generated_new, mut trailing) = (cx.generated_new, std::mem::take(&mut cx.trailing));
        for id in cx.generated_gone {
            self.generated.remove(&id);
            tree.forget_trailing(id);
        }
        for id in cx.removed {
            self.sent.remove(&id);
            self.ratio_fixed.remove(&id);
            if self.generated.remove(&id) {
                // its element left the host's tree or was released: free the node too
                ops.push(RenderOp::Release { id });
                tree.forget_trailing(id);
            }
        }
        if generated_new > 0 {
            for page in &mut self.pages {
                generated::assign_ids(page, tree, &mut ops, &mut self.generated, &mut trailing);
            }
        }
        for (parent, after) in trailing {
            tree.set_trailing(parent, after);
        }
        let (w, h) = self.viewport;
        let mut env = LayoutEnv {
            screen_width: w,
            screen_height: h,
            measurer: self.measurer.clone(),
            cache: std::mem::take(&mut self.cache),
        };
        let available = OptionSize::new(OptionNum::some(w), OptionNum::none());
        let containing = OptionSize::new(OptionNum::some(w), OptionNum::some(h));
        for page in &mut self.pages {
            page.layout.update_with_containing_size(&mut env, page, available, containing);
            if !self.ratio_fixed.is_empty() && apply_ratio_fixes(page) {
                page.layout.update_with_containing_size(&mut env, page, available, containing);
            }
        }
        self.cache = env.cache;
        let mut out = Emit {
            media: &media,
            sent: &mut self.sent,
            paths: &paths,
            force,
            ops: &mut ops,
            started: &mut self.motion,
            visuals: Default::default(),
        };
        for page in &mut self.pages {
            emit(page, &mut out, true);
        }
        tree.push_ops(ops);
        warnings
    }

    /// A node's frame (relative to its parent), once laid out.
    pub fn frame(&self, id: NodeId) -> Option<BoxRect> {
        self.sent.get(&id).map(|s| s.frame)
    }

    /// A node's resolved visual style, once laid out.
    pub fn visual(&self, id: NodeId) -> Option<&VisualStyle> {
        self.sent.get(&id).map(|s| &*s.visual)
    }

    /// A node's border box relative to its page (document coordinates), with scrolled
    /// containers' offsets subtracted.
    pub fn page_rect(&self, tree: &Tree, id: NodeId) -> Option<BoxRect> {
        // frames are parent-relative and a page sits at the origin: add up the ancestors'
        let mut rect = self.frame(id)?;
        let mut cur = tree.get(id)?.parent;
        while let Some(p) = cur.filter(|p| *p != ROOT) {
            let f = self.frame(p)?;
            let parent = tree.get(p)?;
            // a scrolled container shifts its content
            rect.x += f.x - parent.scroll.0;
            rect.y += f.y - parent.scroll.1;
            cur = parent.parent;
        }
        Some(BoxRect { x: round(rect.x), y: round(rect.y), ..rect })
    }

    /// The size of a node's content (`scrollWidth`, `scrollHeight`): its own box or, when
    /// larger, the extent of its laid-out descendants.
    pub fn scroll_size(&self, tree: &Tree, id: NodeId) -> Option<(f32, f32)> {
        let own = self.frame(id)?;
        let (mut w, mut h) = (own.width, own.height);
        let mut stack: Vec<(NodeId, f32, f32)> =
            tree.get(id)?.children.iter().map(|c| (*c, 0.0, 0.0)).collect();
        while let Some((c, ox, oy)) = stack.pop() {
            let Some(f) = self.frame(c) else { continue };
            if f.width == 0.0 && f.height == 0.0 {
                continue;
            }
            let (x, y) = (ox + f.x, oy + f.y);
            w = w.max(x + f.width);
            h = h.max(y + f.height);
            if let Some(n) = tree.get(c) {
                stack.extend(n.children.iter().map(|g| (*g, x, y)));
            }
        }
        Some((round(w), round(h)))
    }

    /// Computed values of CSS properties for `getComputedStyle`-like queries, keyed by the
    /// names as given (camelCase or kebab-case): lengths the layout resolved (`width`,
    /// `height`, margins, paddings, border widths) in px, colors as `rgb()`/`rgba()`,
    /// everything else as float-pigment prints it. Unknown names are left out.
    pub fn computed_style(&self, id: NodeId, names: &[String]) -> Option<Vec<(String, String)>> {
        let bx = self.find_box(id)?;
        let frame = self.frame(id)?;
        let cs = bx.layout.computed_style();
        let edges = |e: &float_pigment_layout::Edge<f32>| [e.top, e.right, e.bottom, e.left];
        let (margin, border, padding) = (edges(&cs.margin), edges(&cs.border), edges(&cs.padding));
        let px = |v: f32| format!("{}px", round(v));
        // `margin-top` → the margin's top edge; `border-left-width` → the border's left edge
        let edge = |name: &str| -> Option<String> {
            let (prefix, rest) = name.split_once('-')?;
            let side = match prefix {
                "border" => rest.strip_suffix("-width")?,
                _ => rest,
            };
            let i = ["top", "right", "bottom", "left"].iter().position(|s| *s == side)?;
            match prefix {
                "margin" => Some(px(margin[i])),
                "padding" => Some(px(padding[i])),
                "border" => Some(px(border[i])),
                _ => None,
            }
        };
        let all = bx.css.to_property_name_value_list();
        let mut out = Vec::new();
        for name in names {
            let css_name = crate::names::kebab_case(name);
            let value = match css_name.as_str() {
                "width" => Some(px(frame.width - padding[1] - padding[3] - border[1] - border[3])),
                "height" => {
                    Some(px(frame.height - padding[0] - padding[2] - border[0] - border[2]))
                }
                n => edge(n)
                    .or_else(|| all.iter().find(|(k, _)| *k == n).map(|(_, v)| css_color_text(v))),
            };
            if let Some(v) = value {
                out.push((name.clone(), v));
            }
        }
        Some(out)
    }

    /// The animations and transitions layout passes started since the last call, for the
    /// runtime's `animation*`/`transitionend` events.
    pub fn take_motion(&mut self) -> Vec<Motion> {
        std::mem::take(&mut self.motion)
    }

    /// What the sheets' `:active` rules name, when there are some.
    pub fn active_keys(&self) -> Option<&crate::style::structure::ActiveKeys> {
        self.styles.conditions().active()
    }

    /// The generated boxes (`::before`, `::after`) of an element, with each box's text run
    /// when it has one.
    pub fn generated_boxes(&self, id: NodeId) -> Vec<(Pseudo, NodeId, Option<NodeId>)> {
        let Some(bx) = self.find_box(id) else { return Vec::new() };
        bx.children
            .iter()
            .filter_map(|c| Some((c.generated?, c.id, c.children.first().map(|t| t.id))))
            .collect()
    }

    fn find_box(&self, id: NodeId) -> Option<&LayoutBox> {
        let mut stack: Vec<&LayoutBox> = self.pages.iter().collect();
        while let Some(b) = stack.pop() {
            if b.id == id {
                return Some(b);
            }
            stack.extend(b.children.iter());
        }
        None
    }
}

/// float-pigment prints colors as `#rrggbbaa`-ish or `rgba(…)`; normalise opaque hex and
/// rgba to the `rgb(r, g, b)` / `rgba(r, g, b, a)` form browsers report.
fn css_color_text(v: &str) -> String {
    let hex = v.strip_prefix('#').filter(|h| h.len() == 8 || h.len() == 6);
    if let Some(h) = hex {
        let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("ff"), 16).ok();
        if let (Some(r), Some(g), Some(b)) = (byte(0), byte(2), byte(4)) {
            let a = if h.len() == 8 { byte(6).unwrap_or(255) } else { 255 };
            return if a == 255 {
                format!("rgb({r}, {g}, {b})")
            } else {
                format!("rgba({r}, {g}, {b}, {})", round(f32::from(a) / 255.0))
            };
        }
    }
    v.to_string()
}

fn page_scope(cx: &Sync<'_>, chain_len: usize) -> StyleScope {
    // a page's root element belongs to the page's (shared) scope
    if chain_len == 0 {
        cx.shared_scope
    } else {
        None
    }
}

/// Brings `bx` up to date with the tree; true when its layout must be recomputed.
fn sync<'t>(
    cx: &mut Sync<'_>,
    bx: &mut LayoutBox,
    matcher: Matcher<'t>,
    chain: &mut Vec<StyleRef<'t>>,
    parent: Option<(&Rc<NodeProperties>, &Vars)>,
    force: bool,
) -> bool {
    if !force && bx.revision.is_some() && !cx.paths.contains(&bx.id) {
        return false; // nothing changed in this subtree
    }
    let tree = matcher.tree();
    let Some(node) = tree.get(bx.id) else { return false };
    let restyle = force || bx.revision != Some(node.revision);
    let mut dirty = false;
    if node.kind == NodeKind::Text {
        if restyle {
            dirty = restyle_text(cx, bx, node, &tree.display_text(bx.id), parent);
        }
        if dirty {
            bx.mark_dirty();
        }
        return dirty;
    }
    chain.push(StyleRef::new(bx.id, node, page_scope(cx, chain.len()), matcher));
    if restyle {
        dirty = restyle_element(cx, bx, node, chain, parent);
    }
    let [mut before, mut after] = generated::take(&mut bx.children);
    let (media, stub) = (cx.styles.media(), cx.stub);
    dirty |= reconcile(&mut bx.children, &node.children, &mut cx.removed, |id| {
        LayoutBox::new(id, Some(stub.clone()), media)
    });
    if restyle && cx.styles.has_pseudo_elements() {
        for (slot, pseudo) in [(&mut before, Pseudo::Before), (&mut after, Pseudo::After)] {
            dirty |= generated::update(cx, slot, pseudo, bx.id, node, chain, &bx.css, &bx.vars);
        }
    }

    // structural selectors: an inserted or removed sibling, or a restyled previous one, may
    // change what matches a child; only children whose facts moved are restyled
    let uses = cx.styles.conditions().uses();
    let keys = if uses.any() { matcher.child_keys(node, uses) } else { Vec::new() };
    let LayoutBox { css, vars, children, .. } = bx;
    // a long list with a few changed items: only those are entered
    let only = if !restyle && keys.is_empty() {
        children_on_paths(cx.paths, node, children)
    } else {
        None
    };
    if let Some(changed) = only {
        for i in changed {
            dirty |= sync(cx, &mut children[i], matcher, chain, Some((css, vars)), false);
        }
    } else {
        for (i, child) in children.iter_mut().enumerate() {
            let mut force_child = restyle;
            if let Some(key) = keys.get(i) {
                force_child |= child.revision.is_some() && child.structure != *key;
                child.structure = *key;
            }
            dirty |= sync(cx, child, matcher, chain, Some((css, vars)), force_child);
        }
    }
    generated::put_back(children, [before, after]);
    chain.pop();
    if dirty {
        bx.mark_dirty();
    }
    dirty
}

/// The indexes of `children` (the boxes of `node`'s children, in order) on changed paths,
/// found from the paths when they are few against the children; `None` when asking each child
/// is as cheap.
fn children_on_paths(
    paths: &rustc_hash::FxHashSet<NodeId>,
    node: &Node,
    children: &[LayoutBox],
) -> Option<Vec<usize>> {
    if children.len() < 32 || paths.len() * 8 > children.len() {
        return None;
    }
    let mut found = Vec::new();
    for id in paths {
        if let Some(i) = node.children.iter().position(|c| c == id) {
            if children.get(i).map(|b| b.id) != Some(*id) {
                return None;
            }
            found.push(i);
        }
    }
    found.sort_unstable();
    Some(found)
}

fn restyle_element(
    cx: &mut Sync<'_>,
    bx: &mut LayoutBox,
    node: &Node,
    chain: &[StyleRef<'_>],
    parent: Option<(&Rc<NodeProperties>, &Vars)>,
) -> bool {
    let implied = crate::builtin::attribute_style(&node.tag, &node.attrs);
    let inline = match &implied {
        Some(own) => std::borrow::Cow::Owned(format!("{own}{}", node.style)),
        None => std::borrow::Cow::Borrowed(node.style.as_str()),
    };
    if bx.inline.0 != *inline {
        let (props, warnings) = parse_inline(&inline);
        for w in warnings {
            let msg = format!(
                "style=\"{}\" on <{}>: {w} (the declaration is ignored)",
                node.style, node.tag
            );
            if cx.warned.insert(msg.clone()) {
                cx.warnings.push(msg);
            }
        }
        bx.inline = (inline.into_owned(), props);
    }
    let (css, vars) = cx.shared.element(cx.styles, chain, &bx.inline, parent);
    let props = LayoutProps::from_css(&css, cx.styles.media());
    let ratio_fix = if node.tag == "image" { image_ratio_fix(node) } else { None };
    let changed = props != bx.props || ratio_fix != bx.ratio_fix || bx.revision.is_none();
    bx.ratio_fix = ratio_fix;
    if ratio_fix.is_some() {
        cx.ratio_fixed.insert(bx.id);
    } else {
        cx.ratio_fixed.remove(&bx.id);
    }
    let timings = motion::animations(&css);
    if !timings.iter().eq(bx.animations.iter().map(|a| &a.0)) {
        let scope = node.style_scope;
        cx.motion.push(Motion::Animations { node: bx.id, timings: timings.clone() });
        bx.animations =
            timings.into_iter().map(|t| (t.clone(), cx.styles.keyframes(&t.name, scope))).collect();
    }
    bx.css = css;
    bx.vars = vars;
    bx.props = props;
    bx.revision = Some(node.revision);
    bx.restyled = true;
    changed
}

/// `<image mode="widthFix">` keeps its width and takes the height of the picture's aspect
/// ratio (the natural size the host reported with `load`); `heightFix` keeps the height.
fn image_ratio_fix(node: &Node) -> Option<RatioFix> {
    let (w, h) = node.natural_size.filter(|(w, h)| *w > 0.0 && *h > 0.0)?;
    match node.attrs.get("mode").and_then(serde_json::Value::as_str) {
        Some("widthFix") => Some(RatioFix::Height(w / h)),
        Some("heightFix") => Some(RatioFix::Width(w / h)),
        _ => None,
    }
}

/// After a layout pass: gives each `widthFix`/`heightFix` image the side its laid-out other
/// side implies. True when a box changed (the caller lays out again).
fn apply_ratio_fixes(bx: &mut LayoutBox) -> bool {
    let mut dirty = false;
    for c in &mut bx.children {
        dirty |= apply_ratio_fixes(c);
    }
    if let Some(fix) = bx.ratio_fix {
        let size = bx.layout.result().size;
        let (side, want) = match fix {
            RatioFix::Height(r) => (&mut bx.props.height, size.width / r),
            RatioFix::Width(r) => (&mut bx.props.width, size.height * r),
        };
        let want = DefLength::Points((want * 100.0).round() / 100.0);
        if *side != want {
            *side = want;
            dirty = true;
        }
    }
    if dirty {
        bx.mark_dirty();
    }
    dirty
}

/// A box's resolved visual style; a text run carries its element's line clamp.
fn visual_of(
    bx: &LayoutBox,
    media: &float_pigment_css::MediaQueryStatus<f32>,
    width: f32,
) -> VisualStyle {
    let mut visual = VisualStyle::resolve(&bx.css, media, width);
    if let Some(run) = &bx.text {
        visual.line_clamp = run.max_lines;
    }
    if !bx.animations.is_empty() {
        let resolve =
            |(timing, frames): &(motion::AnimationTiming, Option<Rc<_>>)| motion::Animation {
                timing: timing.clone(),
                keyframes: frames
                    .as_ref()
                    .map(|f| crate::style::visual::keyframe_styles(f, &bx.css, media, width))
                    .unwrap_or_default(),
            };
        visual.animation = Some(bx.animations.iter().map(resolve).collect());
    }
    visual
}

fn restyle_text(
    cx: &mut Sync<'_>,
    bx: &mut LayoutBox,
    node: &Node,
    shown: &str,
    parent: Option<(&Rc<NodeProperties>, &Vars)>,
) -> bool {
    let css = cx.shared.text(parent.map(|p| p.0));
    let (props, run) = text_style(&css, parent.map(|p| &**p.0), cx.styles.media(), shown);
    // new words in the same font that measure the same (a counter's digits): the box and
    // everything around it stay where they are, and nothing is laid out again
    let same_layout = bx.revision.is_some()
        && props == bx.props
        && bx.text.as_ref().is_some_and(|old| {
            old.text != run.text && old.font == run.font && old.max_lines == run.max_lines
        })
        && bx.same_layout_with(&run, cx.measurer, cx.text_cache);
    let run = Some(run);
    let changed = !same_layout && (props != bx.props || run != bx.text || bx.revision.is_none());
    bx.css = css;
    bx.vars = parent.map(|p| p.1.clone()).unwrap_or_default();
    bx.props = props;
    bx.text = run;
    bx.revision = Some(node.revision);
    bx.restyled = true;
    changed
}

/// The layout inputs and run of a text leaf styled `css` showing `shown` inside an element
/// styled `parent`.
fn text_style(
    css: &NodeProperties,
    parent: Option<&NodeProperties>,
    media: &float_pigment_css::MediaQueryStatus<f32>,
    shown: &str,
) -> (LayoutProps, TextRun) {
    let mut props = LayoutProps::from_css(css, media);
    let text = collapse_white_space(shown);
    if text.is_empty() {
        // white space between elements takes no room
        props.display = Display::None;
    }
    let font = FontSpec {
        size: crate::style::cascade::font_size_px(css, 16.0),
        line_height: line_height_px(css, media),
        weight: crate::style::visual::font_weight(css.font_weight_ref()),
        italic: css.font_style().to_string() != "normal",
        letter_spacing: crate::style::visual::letter_spacing_px(css, media).unwrap_or(0.0),
    };
    let max_lines = parent.and_then(crate::style::visual::line_clamp);
    (props, TextRun { text, font, max_lines })
}

/// Makes `boxes` follow `ids`: keeps the boxes (and their caches) of nodes still there,
/// creates the missing ones with `new`, and lists the dropped subtrees in `removed`. True
/// when anything changed.
fn reconcile(
    boxes: &mut Vec<LayoutBox>,
    ids: &[NodeId],
    removed: &mut Vec<NodeId>,
    new: impl Fn(NodeId) -> LayoutBox,
) -> bool {
    if boxes.iter().map(|b| b.id).eq(ids.iter().copied()) {
        return false;
    }
    let mut old: rustc_hash::FxHashMap<NodeId, LayoutBox> =
        boxes.drain(..).map(|b| (b.id, b)).collect();
    *boxes = ids.iter().map(|id| old.remove(id).unwrap_or_else(|| new(*id))).collect();
    old.values().for_each(|b| subtree_ids(b, removed));
    true
}

fn subtree_ids(bx: &LayoutBox, out: &mut Vec<NodeId>) {
    out.push(bx.id);
    for c in &bx.children {
        subtree_ids(c, out);
    }
}

/// What [`emit`] reads and appends to.
struct Emit<'e> {
    media: &'e float_pigment_css::MediaQueryStatus<f32>,
    sent: &'e mut rustc_hash::FxHashMap<NodeId, Sent>,
    /// Changed nodes and their ancestors.
    paths: &'e rustc_hash::FxHashSet<NodeId>,
    force: bool,
    ops: &'e mut Vec<RenderOp>,
    started: &'e mut Vec<Motion>,
    /// Visual styles resolved in this pass, by what they were resolved from: the computed
    /// style (its address: boxes hold it for the pass), the width and a text run's line
    /// limit. Boxes with animations resolve their own.
    visuals: rustc_hash::FxHashMap<(usize, u32, Option<u32>), Arc<VisualStyle>>,
}

/// [`visual_of`] `bx` at `width`, shared with the boxes resolved from the same inputs
/// ([`Emit::visuals`]).
fn shared_visual(
    visuals: &mut rustc_hash::FxHashMap<(usize, u32, Option<u32>), Arc<VisualStyle>>,
    media: &float_pigment_css::MediaQueryStatus<f32>,
    bx: &LayoutBox,
    width: f32,
) -> Arc<VisualStyle> {
    if !bx.animations.is_empty() {
        return Arc::new(visual_of(bx, media, width));
    }
    let clamp = bx.text.as_ref().and_then(|r| r.max_lines);
    let key = (Rc::as_ptr(&bx.css) as usize, width.to_bits(), clamp);
    visuals.entry(key).or_insert_with(|| Arc::new(visual_of(bx, media, width))).clone()
}

/// Appends ops for boxes whose frame or visual style differ from what the host has. A box
/// that was not restyled, is not on a changed path and kept its size has the same layout
/// inside (its children's frames are relative to it), so its subtree is skipped.
fn emit(bx: &mut LayoutBox, out: &mut Emit<'_>, clean_above: bool) {
    let r = bx.layout.result();
    let frame = BoxRect {
        x: round(r.origin.x),
        y: round(r.origin.y),
        width: round(r.size.width),
        height: round(r.size.height),
    };
    let previous = out.sent.get_mut(&bx.id);
    let width_changed = previous.as_ref().is_some_and(|p| p.frame.width != frame.width);
    let resized = previous
        .as_ref()
        .is_none_or(|p| p.frame.width != frame.width || p.frame.height != frame.height);
    let descend = out.force || resized || bx.restyled || out.paths.contains(&bx.id);
    match previous {
        Some(p) => {
            let mut changed: Vec<String> = Vec::new();
            if p.frame != frame {
                if p.visual.transition.is_some() {
                    changed.extend(frame_changes(&p.frame, &frame));
                }
                p.frame = frame;
                out.ops.push(set_frame(bx.id, frame));
            }
            if bx.restyled || width_changed {
                let visual = shared_visual(&mut out.visuals, out.media, bx, frame.width);
                if visual != p.visual {
                    if visual.transition.is_some() {
                        let old = serde_json::to_value(&p.visual).unwrap_or_default();
                        let new = serde_json::to_value(&visual).unwrap_or_default();
                        changed.extend(motion::changed_fields(&old, &new).into_iter().map(|f| f.0));
                    }
                    out.ops.push(RenderOp::SetStyle { id: bx.id, style: visual.clone() });
                    p.visual = visual;
                }
            }
            if let Some(t) = p.visual.transition.as_ref().filter(|_| !changed.is_empty()) {
                let ends = motion::triggered(t, &changed);
                if !ends.is_empty() {
                    out.started.push(Motion::Transitions { node: bx.id, ends });
                }
            }
        }
        None => {
            let visual = shared_visual(&mut out.visuals, out.media, bx, frame.width);
            out.ops.push(RenderOp::SetStyle { id: bx.id, style: visual.clone() });
            out.ops.push(set_frame(bx.id, frame));
            out.sent.insert(bx.id, Sent { frame, visual });
        }
    }
    bx.restyled = false;
    // nothing from the root down to here was laid out again: no frame below moved, and only
    // the changed nodes' paths have styles to send
    let clean = clean_above && !bx.relaid.replace(false);
    if descend {
        for c in &mut bx.children {
            if clean && !out.force && !out.paths.contains(&c.id) {
                continue;
            }
            emit(c, out, clean);
        }
    }
}

/// The frame edges that moved, named as transition properties (`left`, `top`, `width`,
/// `height`).
fn frame_changes(old: &BoxRect, new: &BoxRect) -> Vec<String> {
    [("left", old.x != new.x), ("top", old.y != new.y)]
        .into_iter()
        .chain([("width", old.width != new.width), ("height", old.height != new.height)])
        .filter(|(_, moved)| *moved)
        .map(|(n, _)| n.to_string())
        .collect()
}

fn set_frame(id: NodeId, f: BoxRect) -> RenderOp {
    RenderOp::SetFrame { id, x: f.x, y: f.y, width: f.width, height: f.height }
}
