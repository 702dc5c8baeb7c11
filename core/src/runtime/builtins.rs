//! What the runtime does for the built-in components it acts on, one module per component
//! (`builtins/swiper.rs`, `builtins/scroll_view.rs`, …; forms and their controls in
//! `builtins/form.rs`, a button's `open-type` in `builtins/open_type.rs`). Their registry
//! lines (properties, default style) are in [`crate::builtin`]; this module dispatches the
//! tree's attribute changes to them by tag through [`BEHAVIOURS`]. The user actions a host
//! reports are dispatched by `runtime/controls.rs`, their timers kept by
//! `runtime/component_timers.rs`. Logic thread.

pub(super) mod editor;
pub(super) mod form;
pub(super) mod open_type;
pub(super) mod page_container;
pub(super) mod progress;
pub(super) mod rich_text;
pub(super) mod scroll_view;
pub(super) mod swiper;

use serde_json::Value;

use super::AppInstance;
use crate::render::RenderOp;
use crate::view::tree::{ComponentChange, Tree};
use crate::view::NodeId;

/// What a frame's attribute changes leave to do once all of them are seen.
#[derive(Default)]
pub(super) struct Settle {
    /// Ops recorded after the batch (scroll positions).
    ops: Vec<RenderOp>,
    /// Progress bars that changed, each with its percent before the batch's first change.
    progress: Vec<(NodeId, Option<Option<Value>>)>,
}

/// One built-in's reactions to its attribute changes (an empty name: it was mounted).
struct Behaviour {
    tag: &'static str,
    /// Before layout: the change rebuilds the node's content in the tree.
    before_layout: Option<fn(&mut Tree, &ComponentChange)>,
    /// After layout, when geometry is known.
    after_layout: Option<fn(&mut AppInstance, &ComponentChange, &mut Settle)>,
}

/// The built-ins whose attribute changes the runtime acts on (the registry's `behaviour`
/// lines), sorted by tag.
const BEHAVIOURS: &[Behaviour] = &[
    Behaviour { tag: "cover-view", before_layout: None, after_layout: Some(scroll_changed) },
    Behaviour { tag: "editor", before_layout: None, after_layout: Some(editor_changed) },
    Behaviour {
        tag: "page-container",
        before_layout: None,
        after_layout: Some(|app, c, _| app.page_container_changed(c)),
    },
    Behaviour { tag: "progress", before_layout: None, after_layout: Some(progress_changed) },
    Behaviour { tag: "rich-text", before_layout: Some(rich_text_changed), after_layout: None },
    Behaviour { tag: "scroll-view", before_layout: None, after_layout: Some(scroll_changed) },
    Behaviour { tag: "swiper", before_layout: None, after_layout: Some(swiper_changed) },
];

fn behaviour(tag: &str) -> Option<&'static Behaviour> {
    BEHAVIOURS.binary_search_by(|b| b.tag.cmp(tag)).ok().map(|i| &BEHAVIOURS[i])
}

fn scroll_changed(app: &mut AppInstance, c: &ComponentChange, settle: &mut Settle) {
    settle.ops.extend(app.scroll_attribute_changed(c));
}

fn editor_changed(app: &mut AppInstance, c: &ComponentChange, _: &mut Settle) {
    if c.name.is_empty() {
        app.editor_mounted(c.node);
    }
}

fn swiper_changed(app: &mut AppInstance, c: &ComponentChange, _: &mut Settle) {
    if c.initial {
        app.arm_autoplay(c.node);
    } else {
        app.swiper_attribute_changed(c.node, &c.name);
    }
}

fn progress_changed(_: &mut AppInstance, c: &ComponentChange, settle: &mut Settle) {
    if !matches!(c.name.as_str(), "percent" | "active") {
        return;
    }
    // one start per bar: the percent before its first change in this batch
    let start = (c.name == "percent").then(|| c.previous.clone());
    match settle.progress.iter_mut().find(|(n, _)| *n == c.node) {
        Some((_, s)) if s.is_none() => *s = start,
        Some(_) => {}
        None => settle.progress.push((c.node, start)),
    }
}

fn rich_text_changed(tree: &mut Tree, c: &ComponentChange) {
    if c.name == "nodes" {
        rich_text::rebuild_rich_text(tree, c.node);
    }
}

fn behaviour_of(tree: &Tree, node: NodeId) -> Option<&'static Behaviour> {
    tree.get(node).and_then(|n| behaviour(&n.tag))
}

impl AppInstance {
    /// Before layout: the changes that rebuild content in the tree (rich text's `nodes`).
    pub(super) fn builtins_before_layout(&mut self, changes: &[ComponentChange]) {
        let mut tree = self.state.tree.borrow_mut();
        for c in changes {
            if let Some(before) = behaviour_of(&tree, c.node).and_then(|b| b.before_layout) {
                before(&mut tree, c);
            }
        }
    }

    /// After layout: what the app's attribute changes on scroll-views, swipers, progress bars,
    /// page-containers and editors start.
    pub(super) fn builtins_after_layout(&mut self, changes: Vec<ComponentChange>) {
        let mut settle = Settle::default();
        for c in changes {
            let after =
                behaviour_of(&self.state.tree.borrow(), c.node).and_then(|b| b.after_layout);
            if let Some(after) = after {
                after(self, &c, &mut settle);
            }
        }
        for (node, start) in settle.progress {
            self.progress_changed(node, start);
        }
        if !settle.ops.is_empty() {
            self.state.tree.borrow_mut().push_ops(settle.ops);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_behaviour_is_a_registry_behaviour_and_back() {
        assert!(BEHAVIOURS.windows(2).all(|w| w[0].tag < w[1].tag), "sorted by tag");
        for b in BEHAVIOURS {
            assert!(crate::builtin::get(b.tag).is_some_and(|r| r.behaviour), "{}", b.tag);
        }
        for r in crate::builtin::BUILTINS.iter().filter(|r| r.behaviour) {
            assert!(behaviour(r.tag).is_some(), "{} has no behaviour", r.tag);
        }
    }
}
