//! Generated boxes: `::before` and `::after` with a `content`.
//!
//! When an element is restyled and the app's sheets have pseudo-element rules, its `::before`
//! and `::after` styles are computed (the element's selectors with the pseudo-element; they
//! inherit from the element). A `content` string or `attr(name)` (the prefix rewrite marks
//! it, see [`CONTENT_ATTR_MARKER`]; `data-*` names read the element's dataset) makes a box:
//! the first or last child of the element's layout box, holding one text run unless the
//! content is only white space.
//! They are laid out like any box and reach the host as nodes tagged `::before`/`::after` (a
//! text run inside), never with listeners: touches on them belong to their element. They are
//! not part of the view tree (selectors, dumps and events do not see them).
//!
//! New boxes get their ids after the sync walk ([`assign_ids`]), from ids the tree reserves,
//! and their `create`/`insert` ops follow the tree's own ops in the frame; the tree is told
//! about each `::after` so its appends land before it. Owned by the logic thread.

use std::rc::Rc;

use float_pigment_css::property::NodeProperties;
use float_pigment_css::typing::Content;

use super::boxes::LayoutBox;
use super::props::LayoutProps;
use super::{text_style, Sync};
use crate::style::cascade::{StyleRef, Vars};
use crate::view::ops::RenderOp;
use crate::view::tree::{Node, NodeId, Tree};

/// The id of a generated box before [`assign_ids`] gives it one (never a live node's).
pub const UNASSIGNED: NodeId = 0;

/// `content: attr(name)` is rewritten into the string `"\1 miniapp-attr:name"`: a content
/// string starting with this marker shows the attribute.
pub const CONTENT_ATTR_MARKER: &str = "\u{1}miniapp-attr:";

pub use crate::style::cascade::Pseudo;

/// Takes the generated boxes out of `children` (they are first and last). Boxed: a layout box
/// is large and the sync walk that holds these recurses once per tree level.
pub fn take(children: &mut Vec<LayoutBox>) -> [Option<Box<LayoutBox>>; 2] {
    let after = match children.last() {
        Some(b) if b.generated == Some(Pseudo::After) => children.pop().map(Box::new),
        _ => None,
    };
    let before = match children.first() {
        Some(b) if b.generated == Some(Pseudo::Before) => Some(Box::new(children.remove(0))),
        _ => None,
    };
    [before, after]
}

/// Puts the generated boxes back around the element's own children.
pub fn put_back(children: &mut Vec<LayoutBox>, [before, after]: [Option<Box<LayoutBox>>; 2]) {
    if let Some(b) = before {
        children.insert(0, *b);
    }
    if let Some(a) = after {
        children.push(*a);
    }
}

/// The text a pseudo-element's computed style generates; `None` for no box.
fn content_text(css: &NodeProperties, node: &Node) -> Option<String> {
    let Content::Str(s) = css.content() else { return None };
    let s = s.to_string();
    let Some(name) = s.strip_prefix(CONTENT_ATTR_MARKER) else { return Some(s) };
    let name = name.trim();
    if let Some(data) = name.strip_prefix("data-") {
        let key = crate::view::tree::dataset_key(data);
        return Some(
            node.dataset.get(&key).map(crate::view::tree::dataset_display).unwrap_or_default(),
        );
    }
    Some(match node.attrs.get(name) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    })
}

/// Restyles (or creates, or drops) the `pseudo` box of the element `node` whose style was just
/// computed (`css`, `vars`; `chain` ends with the element). True when layout must re-run.
#[allow(clippy::too_many_arguments)]
pub(super) fn update(
    cx: &mut Sync<'_>,
    slot: &mut Option<Box<LayoutBox>>,
    pseudo: Pseudo,
    element: NodeId,
    node: &Node,
    chain: &mut Vec<StyleRef<'_>>,
    css: &Rc<NodeProperties>,
    vars: &Vars,
) -> bool {
    let Some(last) = chain.pop() else { return false };
    chain.push(last.pseudo(pseudo));
    let (pcss, pvars) = cx.styles.compute(chain, &[], Some(css), vars);
    chain.pop();
    chain.push(last);
    let media = cx.styles.media();
    let Some(text) = content_text(&pcss, node) else {
        if let Some(old) = slot.take() {
            drop_box(cx, element, &old);
            return true;
        }
        return false;
    };
    let mut bx = slot.take().unwrap_or_else(|| {
        cx.generated_new += 1;
        let mut b = Box::new(LayoutBox::new(UNASSIGNED, Some(cx.stub.clone()), media));
        b.generated = Some(pseudo);
        b
    });
    let props = LayoutProps::from_css(&pcss, media);
    let mut changed = props != bx.props || bx.revision.is_none();
    bx.props = props;
    bx.css = Rc::new(pcss);
    bx.vars = pvars;
    bx.revision = Some(0);
    bx.restyled = true;
    if text.trim().is_empty() {
        if let Some(t) = bx.children.pop() {
            drop_box(cx, bx.id, &t);
            changed = true;
        }
    } else {
        if bx.children.is_empty() {
            cx.generated_new += 1;
            let mut t = LayoutBox::new(UNASSIGNED, Some(cx.stub.clone()), media);
            t.generated = Some(pseudo);
            bx.children.push(t);
        }
        let tcss = cx.shared.text(Some(&bx.css));
        let (tprops, run) = text_style(&tcss, Some(&bx.css), media, &text);
        let t = &mut bx.children[0];
        if t.id != UNASSIGNED && t.text.as_ref().map(|r| &r.text) != Some(&run.text) {
            cx.generated_ops.push(RenderOp::SetText { id: t.id, text: run.text.clone() });
        }
        let t_changed = tprops != t.props || Some(&run) != t.text.as_ref() || t.revision.is_none();
        t.css = tcss;
        t.props = tprops;
        t.text = Some(run);
        t.vars = bx.vars.clone();
        t.revision = Some(0);
        t.restyled = true;
        if t_changed {
            t.mark_dirty();
            changed = true;
        }
    }
    if changed {
        bx.mark_dirty();
    }
    *slot = Some(bx);
    changed
}

/// Tells the host a generated box (and its text) left `parent`.
fn drop_box(cx: &mut Sync<'_>, parent: NodeId, bx: &LayoutBox) {
    if bx.id == UNASSIGNED {
        return;
    }
    cx.generated_ops.push(RenderOp::Remove { parent, id: bx.id });
    let mut ids = Vec::new();
    super::subtree_ids(bx, &mut ids);
    for id in &ids {
        cx.generated_ops.push(RenderOp::Release { id: *id });
    }
    cx.generated_gone.extend(ids);
    if bx.generated == Some(Pseudo::After) {
        cx.trailing.push((parent, None));
    }
}

/// Gives new generated boxes under `bx` ids the tree reserves and appends the ops that create
/// and insert them; records each in `known` and each `::after` in `trailing`.
pub(super) fn assign_ids(
    bx: &mut LayoutBox,
    tree: &mut Tree,
    ops: &mut Vec<RenderOp>,
    known: &mut rustc_hash::FxHashSet<NodeId>,
    trailing: &mut Vec<(NodeId, Option<NodeId>)>,
) {
    let parent = bx.id;
    // `::after` first: a new `::before` may be inserted before it
    let n = bx.children.len();
    let order: Vec<usize> = (0..n).rev().filter(|i| bx.children[*i].generated.is_some()).collect();
    for i in order {
        let next = bx.children.get(i + 1).map(|c| c.id);
        let g = &mut bx.children[i];
        let Some(pseudo) = g.generated else { continue };
        let new = g.id == UNASSIGNED;
        if new {
            g.id = tree.reserve_id();
            known.insert(g.id);
            ops.push(RenderOp::Create { id: g.id, tag: pseudo.tag().to_string() });
        }
        if let Some(t) = g.children.first_mut().filter(|t| t.id == UNASSIGNED) {
            t.id = tree.reserve_id();
            known.insert(t.id);
            let text = t.text.as_ref().map(|r| r.text.clone()).unwrap_or_default();
            ops.push(RenderOp::CreateText { id: t.id, text });
            ops.push(RenderOp::Insert { parent: g.id, id: t.id, before: None });
        }
        if new {
            let before = if pseudo == Pseudo::Before { next } else { None };
            ops.push(RenderOp::Insert { parent, id: g.id, before });
            if pseudo == Pseudo::After {
                trailing.push((parent, Some(g.id)));
            }
        }
    }
    for c in &mut bx.children {
        if c.generated.is_none() {
            assign_ids(c, tree, ops, known, trailing);
        }
    }
}
