//! The node tree behind glass-easel's composed backend.
//!
//! Contract: ids are allocated from 2 upwards (1 is the root) and never reused; every
//! mutation is validated (unknown or released ids give a [`TreeError`], never a panic).
//! A node is *host-known* once the host has been told to create it. Invariant: every child of a
//! host-known node is host-known. Inserting an unknown node under a host-known parent announces
//! its whole subtree (create + state + inserts), so a subtree built off-screen costs the host one
//! batch, and work on nodes the host never sees costs nothing. Owned by the logic thread.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroUsize;

use serde_json::Value;
use thiserror::Error;

use crate::builtin;

use super::ops::{compact, Frame, RenderOp, PROTOCOL_VERSION};

pub use crate::render::NodeId;

/// A glass-easel style scope: `None` is the global scope (only global sheets apply).
pub type StyleScope = Option<NonZeroUsize>;

/// The root node's id.
pub const ROOT: NodeId = 1;

/// A bad tree operation (from a framework bug or a misuse through the backend).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TreeError {
    /// The id was never allocated or has been released.
    #[error("node {0} does not exist (released or never created)")]
    NoSuchNode(NodeId),
    /// The child is not under the given parent.
    #[error("node {child} is not a child of node {parent}")]
    NotAChild {
        /// Expected parent.
        parent: NodeId,
        /// Child.
        child: NodeId,
    },
    /// Inserting would put a node inside itself.
    #[error("node {0} cannot be inserted into its own subtree")]
    Cycle(NodeId),
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// An element (`view`, a custom component host, …).
    Element,
    /// A text run.
    Text,
    /// A temporary container used to move several children at once; never shown.
    Fragment,
}

/// One node.
#[derive(Debug, Clone)]
pub struct Node {
    /// Kind.
    pub kind: NodeKind,
    /// Tag name for elements (`root` for the root), empty otherwise.
    pub tag: String,
    /// Text for text nodes.
    pub text: String,
    /// Parent, if attached.
    pub parent: Option<NodeId>,
    /// Children in order.
    pub children: Vec<NodeId>,
    /// The `id` attribute.
    pub id_attr: String,
    /// Classes in order, with the style scope glass-easel gave each (a class may appear once
    /// per scope: `apply-shared` components list their classes for the page's scope too).
    pub classes: Vec<(String, StyleScope)>,
    /// Inline `style` text.
    pub style: String,
    /// Other attributes.
    pub attrs: BTreeMap<String, Value>,
    /// Event types the core listens to on this node.
    pub listeners: BTreeSet<String>,
    /// The scope of the component whose template created the node.
    pub style_scope: StyleScope,
    /// A second scope whose sheets also apply (`apply-shared` components: the page's).
    pub extra_style_scope: StyleScope,
    /// On a component's host element: the component's own scope (for `:host` rules).
    pub host_style_scope: StyleScope,
    /// Bumped whenever an input of the node's style changes (classes, `style`, id,
    /// attributes, scopes) or its text; the style engine restyles nodes whose revision moved.
    pub revision: u32,
    /// A touch is on this element or inside it (CSS `:active`).
    pub active: bool,
    /// `data-*` values by dataset key (`data-user-name` → `userName`), as glass-easel holds
    /// them (mirrored as they change): what selectors, `content: attr(data-…)`, dumps and
    /// the automator read. Never sent to the host.
    pub dataset: BTreeMap<String, Value>,
    /// Content offset (left, top) in px of a scrolled container (scroll-view).
    pub scroll: (f32, f32),
    /// Natural size (width, height) in px the host reported for an image's content.
    pub natural_size: Option<(f32, f32)>,
    host_known: bool,
}

impl Node {
    fn new(kind: NodeKind, tag: &str, text: &str) -> Node {
        Node {
            kind,
            tag: tag.to_string(),
            text: text.to_string(),
            parent: None,
            children: Vec::new(),
            id_attr: String::new(),
            classes: Vec::new(),
            style: String::new(),
            attrs: BTreeMap::new(),
            listeners: BTreeSet::new(),
            style_scope: None,
            extra_style_scope: None,
            host_style_scope: None,
            revision: 0,
            active: false,
            dataset: BTreeMap::new(),
            scroll: (0.0, 0.0),
            natural_size: None,
            host_known: false,
        }
    }
}

/// An attribute or `data-*` value as text, as selectors, attribute reads and dumps show it: a
/// string as written, anything else as JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A primitive `data-*` value as JavaScript's `String()` writes it (what `content: attr()`
/// shows); empty for objects, arrays and null.
pub fn dataset_display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
            _ => n.to_string(),
        },
        _ => String::new(),
    }
}

/// `user-name` → `userName`, as glass-easel keys `dataset`.
pub fn dataset_key(attr: &str) -> String {
    let mut out = String::with_capacity(attr.len());
    let mut upper = false;
    for c in attr.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The tree and the ops of the frame being built.
#[derive(Debug)]
pub struct Tree {
    nodes: Vec<Option<Node>>,
    pending: Vec<RenderOp>,
    seq: u64,
    /// Nodes whose style inputs, text or children changed since the layout last looked.
    layout_changes: Vec<NodeId>,
    /// Attributes set on components whose behaviour the core runs (built-ins with `behaviour`).
    component_changes: Vec<ComponentChange>,
    /// Elements with a generated `::after` box (the layout's): appends go before it.
    trailing: rustc_hash::FxHashMap<NodeId, NodeId>,
}

/// An attribute set on a built-in with `behaviour`, or (with an empty `name`) the
/// component reaching the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentChange {
    /// The component's node.
    pub node: NodeId,
    /// Attribute name; empty when the component was mounted (sent to the host).
    pub name: String,
    /// True when the node was not on screen yet (its initial attributes).
    pub initial: bool,
    /// The attribute's value before the change (`None`: it was unset).
    pub previous: Option<Value>,
}

/// Whether the runtime acts on `tag`'s attribute changes and mounting ([`builtin::Builtin`]).
fn has_behaviour(tag: &str) -> bool {
    builtin::get(tag).is_some_and(|b| b.behaviour)
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

type Result<T> = std::result::Result<T, TreeError>;

impl Tree {
    /// A tree holding only the root.
    pub fn new() -> Tree {
        let mut root = Node::new(NodeKind::Element, "root", "");
        root.host_known = true;
        Tree {
            nodes: vec![None, Some(root)],
            pending: Vec::new(),
            seq: 0,
            layout_changes: Vec::new(),
            component_changes: Vec::new(),
            trailing: Default::default(),
        }
    }

    /// A live node.
    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id as usize).and_then(Option::as_ref)
    }

    fn node(&self, id: NodeId) -> Result<&Node> {
        self.get(id).ok_or(TreeError::NoSuchNode(id))
    }

    fn node_mut(&mut self, id: NodeId) -> Result<&mut Node> {
        self.nodes.get_mut(id as usize).and_then(Option::as_mut).ok_or(TreeError::NoSuchNode(id))
    }

    /// Number of live nodes, root included.
    pub fn len(&self) -> usize {
        self.nodes.iter().filter(|n| n.is_some()).count()
    }

    /// True when only the root exists.
    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    fn alloc(&mut self, node: Node) -> NodeId {
        self.nodes.push(Some(node));
        (self.nodes.len() - 1) as NodeId
    }

    /// An id no node will ever have, for a node the layout generates (`::before`/`::after`).
    pub fn reserve_id(&mut self) -> NodeId {
        self.nodes.push(None);
        (self.nodes.len() - 1) as NodeId
    }

    /// Records (or with `None` forgets) `parent`'s generated `::after` node: the host
    /// inserts appended children before it.
    pub fn set_trailing(&mut self, parent: NodeId, after: Option<NodeId>) {
        match after {
            Some(a) => {
                self.trailing.insert(parent, a);
            }
            None => {
                self.trailing.remove(&parent);
            }
        }
    }

    /// Forgets every generated `::after` (the layout starts over).
    pub fn forget_all_trailing(&mut self) {
        self.trailing.clear();
    }

    /// Forgets the generated node `id` wherever it was an `::after`.
    pub fn forget_trailing(&mut self, id: NodeId) {
        self.trailing.retain(|_, a| *a != id);
    }

    /// Creates a detached element.
    pub fn create_element(&mut self, tag: &str) -> NodeId {
        self.alloc(Node::new(NodeKind::Element, tag, ""))
    }

    /// Creates a detached text node.
    pub fn create_text(&mut self, text: &str) -> NodeId {
        self.alloc(Node::new(NodeKind::Text, "", text))
    }

    /// Creates a fragment.
    pub fn create_fragment(&mut self) -> NodeId {
        self.alloc(Node::new(NodeKind::Fragment, "", ""))
    }

    /// Tells the host about `id` and its subtree (not yet inserted anywhere).
    fn announce(&mut self, id: NodeId) -> Result<()> {
        let node = self.node_mut(id)?;
        node.host_known = true;
        if has_behaviour(&node.tag) {
            // mounted: an unnamed initial change
            self.component_changes.push(ComponentChange {
                node: id,
                name: String::new(),
                initial: true,
                previous: None,
            });
        }
        let node = self.node(id)?;
        let mut ops = Vec::new();
        match node.kind {
            NodeKind::Text => {
                ops.push(RenderOp::CreateText { id, text: self.display_text(id).into_owned() })
            }
            NodeKind::Element | NodeKind::Fragment => {
                ops.push(RenderOp::Create { id, tag: node.tag.clone() });
                for (name, value) in &node.attrs {
                    ops.push(RenderOp::SetAttr {
                        id,
                        name: name.clone(),
                        value: Some(value.clone()),
                    });
                }
                for event in &node.listeners {
                    ops.push(RenderOp::Listen { id, event: event.clone(), on: true });
                }
            }
        }
        let children = node.children.clone();
        self.pending.extend(ops);
        for child in children {
            self.announce(child)?;
            self.pending.push(RenderOp::Insert { parent: id, id: child, before: None });
        }
        Ok(())
    }

    fn host_known(&self, id: NodeId) -> bool {
        self.get(id).is_some_and(|n| n.host_known)
    }

    /// Removes `child` from its current parent, if any, telling the host when it knew.
    fn detach(&mut self, child: NodeId) -> Result<()> {
        let Some(parent) = self.node(child)?.parent else { return Ok(()) };
        let p = self.node_mut(parent)?;
        p.children.retain(|c| *c != child);
        self.layout_changes.push(parent);
        self.node_mut(child)?.parent = None;
        if self.host_known(parent) {
            self.pending.push(RenderOp::Remove { parent, id: child });
        }
        Ok(())
    }

    /// Inserts `child` into `parent` before `before` (or at the end), moving it if attached.
    pub fn insert_before(
        &mut self,
        parent: NodeId,
        child: NodeId,
        before: Option<NodeId>,
    ) -> Result<()> {
        self.node(child)?;
        self.node(parent)?;
        let mut up = Some(parent);
        while let Some(a) = up {
            if a == child {
                return Err(TreeError::Cycle(child));
            }
            up = self.node(a)?.parent;
        }
        if let Some(b) = before {
            if self.node(b)?.parent != Some(parent) {
                return Err(TreeError::NotAChild { parent, child: b });
            }
        }
        if before == Some(child) {
            return Ok(());
        }
        self.detach(child)?;
        let p = self.node_mut(parent)?;
        let index = match before {
            Some(b) => p.children.iter().position(|c| *c == b).unwrap_or(p.children.len()),
            None => p.children.len(),
        };
        p.children.insert(index, child);
        self.layout_changes.push(parent);
        self.node_mut(child)?.parent = Some(parent);
        if self.host_known(parent) {
            if !self.host_known(child) {
                self.announce(child)?;
            }
            let before = before.or_else(|| self.trailing.get(&parent).copied());
            self.pending.push(RenderOp::Insert { parent, id: child, before });
        }
        Ok(())
    }

    /// Appends `child` to `parent`.
    pub fn append_child(&mut self, parent: NodeId, child: NodeId) -> Result<()> {
        self.insert_before(parent, child, None)
    }

    /// Removes `child` from `parent`.
    pub fn remove_child(&mut self, parent: NodeId, child: NodeId) -> Result<()> {
        if self.node(child)?.parent != Some(parent) {
            return Err(TreeError::NotAChild { parent, child });
        }
        self.detach(child)
    }

    /// Puts `new` where `old` is and detaches `old`.
    pub fn replace_child(&mut self, parent: NodeId, new: NodeId, old: NodeId) -> Result<()> {
        if new == old {
            return Ok(());
        }
        if self.node(old)?.parent != Some(parent) {
            return Err(TreeError::NotAChild { parent, child: old });
        }
        // Insert before `old`'s next sibling rather than before `old`, so the host never needs
        // `old` as a reference point (a placeholder created and replaced in one frame then
        // disappears from the frame entirely).
        let after = {
            let siblings = &self.node(parent)?.children;
            let i = siblings.iter().position(|c| *c == old).unwrap_or(siblings.len());
            siblings.get(i + 1).copied().filter(|n| *n != new)
        };
        self.insert_before(parent, new, after)?;
        self.remove_child(parent, old)
    }

    fn child_index(&self, parent: NodeId, child: NodeId) -> Result<usize> {
        self.node(parent)?
            .children
            .iter()
            .position(|c| *c == child)
            .ok_or(TreeError::NotAChild { parent, child })
    }

    /// Removes `count` children of `parent` starting at `before`.
    pub fn splice_remove(&mut self, parent: NodeId, before: NodeId, count: usize) -> Result<()> {
        let start = self.child_index(parent, before)?;
        let victims: Vec<NodeId> =
            self.node(parent)?.children.iter().skip(start).take(count).copied().collect();
        for v in victims {
            self.detach(v)?;
        }
        Ok(())
    }

    /// Removes `count` children starting at `before`, then moves the fragment's children to
    /// where they were.
    pub fn splice_before(
        &mut self,
        parent: NodeId,
        before: NodeId,
        count: usize,
        fragment: NodeId,
    ) -> Result<()> {
        let start = self.child_index(parent, before)?;
        let anchor = self.node(parent)?.children.get(start + count).copied();
        self.splice_remove(parent, before, count)?;
        let moved = self.node(fragment)?.children.clone();
        for c in moved {
            self.insert_before(parent, c, anchor)?;
        }
        Ok(())
    }

    /// Moves all the fragment's children to the end of `parent`.
    pub fn splice_append(&mut self, parent: NodeId, fragment: NodeId) -> Result<()> {
        let moved = self.node(fragment)?.children.clone();
        for c in moved {
            self.insert_before(parent, c, None)?;
        }
        Ok(())
    }

    /// Frees a node. Its children are detached (each is released on its own).
    pub fn release(&mut self, id: NodeId) -> Result<()> {
        if id == ROOT {
            return Ok(());
        }
        self.detach(id)?;
        let node = self
            .nodes
            .get_mut(id as usize)
            .and_then(Option::take)
            .ok_or(TreeError::NoSuchNode(id))?;
        for c in node.children {
            if let Some(child) = self.nodes.get_mut(c as usize).and_then(Option::as_mut) {
                child.parent = None;
            }
        }
        self.trailing.remove(&id);
        if node.host_known {
            self.pending.push(RenderOp::Release { id });
        }
        Ok(())
    }

    /// Sets a text node's content.
    pub fn set_text(&mut self, id: NodeId, text: &str) -> Result<()> {
        let n = self.node_mut(id)?;
        if n.text == text {
            return Ok(());
        }
        n.text = text.to_string();
        self.text_shown_changed(id);
        Ok(())
    }

    /// A text node shows something else: restyle/relayout it and re-send what it shows.
    fn text_shown_changed(&mut self, id: NodeId) {
        let Ok(n) = self.node_mut(id) else { return };
        n.revision = n.revision.wrapping_add(1);
        self.layout_changes.push(id);
        if self.host_known(id) {
            let text = self.display_text(id).into_owned();
            self.pending.push(RenderOp::SetText { id, text });
        }
    }

    /// What a text node shows: its text, with the `decode` and `space` rules of the `<text>`
    /// element it sits in ([`crate::builtin::text`]). Empty for other nodes.
    pub fn display_text(&self, id: NodeId) -> Cow<'_, str> {
        let Some(node) = self.get(id).filter(|n| n.kind == NodeKind::Text) else {
            return Cow::Borrowed("");
        };
        let mut up = node.parent;
        while let Some(p) = up.and_then(|p| self.get(p)) {
            if p.kind == NodeKind::Element {
                if p.tag != "text" {
                    break;
                }
                let decode = builtin::attribute_truthy(p.attrs.get("decode"));
                let space = p.attrs.get("space").and_then(Value::as_str).unwrap_or("");
                return builtin::text::display(&node.text, decode, space);
            }
            up = p.parent;
        }
        Cow::Borrowed(&node.text)
    }

    /// A `<text>`'s `decode` or `space` changed: its text runs show differently.
    fn text_rules_changed(&mut self, id: NodeId) {
        let mut stack = self.get(id).map(|n| n.children.clone()).unwrap_or_default();
        while let Some(c) = stack.pop() {
            let Some(n) = self.get(c) else { continue };
            match n.kind {
                NodeKind::Text => self.text_shown_changed(c),
                NodeKind::Fragment => stack.extend(n.children.iter().copied()),
                NodeKind::Element => {}
            }
        }
    }

    /// Sets or removes an attribute.
    pub fn set_attribute(&mut self, id: NodeId, name: &str, value: Option<Value>) -> Result<()> {
        let n = self.node_mut(id)?;
        let previous = match &value {
            Some(v) => n.attrs.insert(name.to_string(), v.clone()),
            None => n.attrs.remove(name),
        };
        let changed = previous != value;
        if changed {
            n.revision = n.revision.wrapping_add(1);
            if has_behaviour(&n.tag) {
                let initial = !n.host_known;
                self.component_changes.push(ComponentChange {
                    node: id,
                    name: name.into(),
                    initial,
                    previous,
                });
            }
            self.layout_changes.push(id);
        }
        let n = self.node_mut(id)?;
        let text_rules = changed && n.tag == "text" && matches!(name, "decode" | "space");
        if changed && n.host_known {
            self.pending.push(RenderOp::SetAttr { id, name: name.to_string(), value });
        }
        if text_rules {
            self.text_rules_changed(id);
        }
        Ok(())
    }

    /// Sets the `id` attribute.
    pub fn set_id(&mut self, id: NodeId, value: &str) -> Result<()> {
        // `select()` copies every id from the engine before matching: an unchanged one must not
        // restyle (and re-emit) the node
        if self.node(id)?.id_attr == value {
            return Ok(());
        }
        let n = self.restyled(id)?;
        value.clone_into(&mut n.id_attr);
        Ok(())
    }

    /// Sets the `:active` state; `restyle` when an `:active` rule may match the node.
    pub fn set_active(&mut self, id: NodeId, on: bool, restyle: bool) -> Result<()> {
        if self.node(id)?.active == on {
            return Ok(());
        }
        let n = if restyle { self.restyled(id)? } else { self.node_mut(id)? };
        n.active = on;
        Ok(())
    }

    /// Records a `data-*` value (glass-easel's dataset key; `None`: removed); a changed value
    /// restyles the node (a generated box may show it).
    pub fn set_dataset(&mut self, id: NodeId, key: &str, value: Option<Value>) -> Result<()> {
        let n = self.node_mut(id)?;
        if n.dataset.get(key) == value.as_ref() {
            return Ok(());
        }
        let n = self.restyled(id)?;
        match value {
            Some(v) => n.dataset.insert(key.to_string(), v),
            None => n.dataset.remove(key),
        };
        Ok(())
    }

    /// A node about to change in a way that affects its style.
    fn restyled(&mut self, id: NodeId) -> Result<&mut Node> {
        self.node(id)?;
        self.layout_changes.push(id);
        let n = self.node_mut(id)?;
        n.revision = n.revision.wrapping_add(1);
        Ok(n)
    }

    /// The nodes whose style inputs, text or children changed since the last call (with
    /// repeats), for the layout to restyle and relayout only what changed.
    pub fn take_layout_changes(&mut self) -> Vec<NodeId> {
        std::mem::take(&mut self.layout_changes)
    }

    /// Attribute changes on built-in with `behaviour`s since the last call, in order.
    pub fn take_component_changes(&mut self) -> Vec<ComponentChange> {
        std::mem::take(&mut self.component_changes)
    }

    /// Records a container's content offset (the host scrolled it, or will when told).
    pub fn set_scroll(&mut self, id: NodeId, left: f32, top: f32) -> Result<()> {
        self.node_mut(id)?.scroll = (left, top);
        Ok(())
    }

    /// Records an image's natural size (its `mode` may size the box from it).
    pub fn set_natural_size(&mut self, id: NodeId, width: f32, height: f32) -> Result<()> {
        let size = Some((width, height));
        if self.node(id)?.natural_size != size {
            self.restyled(id)?.natural_size = size;
        }
        Ok(())
    }

    /// Sets the inline style text.
    pub fn set_style(&mut self, id: NodeId, style: &str) -> Result<()> {
        let n = self.restyled(id)?;
        style.clone_into(&mut n.style);
        Ok(())
    }

    /// Sets the style scopes: the owner component's scope, its extra scope and, on a
    /// component's host element, the component's own scope.
    pub fn set_style_scope(
        &mut self,
        id: NodeId,
        scope: StyleScope,
        extra: StyleScope,
        host: StyleScope,
    ) -> Result<()> {
        let n = self.restyled(id)?;
        n.style_scope = scope;
        n.extra_style_scope = extra;
        n.host_style_scope = host;
        Ok(())
    }

    /// Adds a class.
    pub fn add_class(&mut self, id: NodeId, name: &str, scope: StyleScope) -> Result<()> {
        let n = self.restyled(id)?;
        if !n.classes.iter().any(|(c, s)| c == name && *s == scope) {
            n.classes.push((name.to_string(), scope));
        }
        Ok(())
    }

    /// Removes a class.
    pub fn remove_class(&mut self, id: NodeId, name: &str, scope: StyleScope) -> Result<()> {
        self.restyled(id)?.classes.retain(|(c, s)| !(c == name && *s == scope));
        Ok(())
    }

    /// Removes every class.
    pub fn clear_classes(&mut self, id: NodeId) -> Result<()> {
        self.restyled(id)?.classes.clear();
        Ok(())
    }

    /// Records that the core listens to `event` on `id`.
    pub fn set_listener(&mut self, id: NodeId, event: &str, on: bool) -> Result<()> {
        let n = self.node_mut(id)?;
        let changed =
            if on { n.listeners.insert(event.to_string()) } else { n.listeners.remove(event) };
        if changed && n.host_known {
            self.pending.push(RenderOp::Listen { id, event: event.to_string(), on });
        }
        Ok(())
    }

    /// Appends ops computed outside the tree (styles and frames) to the current frame.
    pub fn push_ops(&mut self, ops: Vec<RenderOp>) {
        self.pending.extend(ops);
    }

    /// True when ops are waiting for the next frame.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// True when something changed that layout must look at (possibly without any op yet:
    /// an image's natural size).
    pub fn has_layout_changes(&self) -> bool {
        !self.layout_changes.is_empty()
    }

    /// Closes the current frame: `None` when nothing changed.
    pub fn take_frame(&mut self) -> Option<Frame> {
        if self.pending.is_empty() {
            return None;
        }
        let ops = compact(std::mem::take(&mut self.pending));
        if ops.is_empty() {
            return None;
        }
        self.seq += 1;
        Some(Frame { version: PROTOCOL_VERSION, seq: self.seq, ops })
    }

    /// The element children of `id` (text runs and fragments left out), in order.
    pub fn element_children(&self, id: NodeId) -> Vec<NodeId> {
        let Some(n) = self.get(id) else { return Vec::new() };
        n.children
            .iter()
            .copied()
            .filter(|c| self.get(*c).is_some_and(|c| c.kind == NodeKind::Element))
            .collect()
    }

    /// Pre-order walk of the attached subtree under `from` (included).
    pub fn descendants(&self, from: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![from];
        while let Some(id) = stack.pop() {
            if let Some(n) = self.get(id) {
                out.push(id);
                stack.extend(n.children.iter().rev());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_keys_are_camel_cased() {
        assert_eq!(dataset_key("user-name"), "userName");
        assert_eq!(dataset_key("cat"), "cat");
    }
    use RenderOp::*;

    #[test]
    fn subtree_built_offscreen_is_announced_once() -> Result<()> {
        let mut t = Tree::new();
        let v = t.create_element("view");
        let txt = t.create_text("hi");
        t.append_child(v, txt)?;
        t.set_attribute(v, "src", Some("a.png".into()))?;
        t.set_text(txt, "hello")?;
        assert!(!t.has_pending());
        t.append_child(ROOT, v)?;
        let f = t.take_frame().ok_or(TreeError::NoSuchNode(0))?;
        assert_eq!(
            f.ops,
            vec![
                Create { id: v, tag: "view".into() },
                SetAttr { id: v, name: "src".into(), value: Some("a.png".into()) },
                CreateText { id: txt, text: "hello".into() },
                Insert { parent: v, id: txt, before: None },
                Insert { parent: ROOT, id: v, before: None },
            ]
        );
        assert_eq!(f.seq, 1);
        t.set_text(txt, "hello")?;
        assert!(t.take_frame().is_none(), "unchanged text emits nothing");
        Ok(())
    }

    #[test]
    fn splice_moves_fragment_children_in_place() -> Result<()> {
        let mut t = Tree::new();
        let ids: Vec<NodeId> = (0..4).map(|_| t.create_element("view")).collect();
        for id in &ids {
            t.append_child(ROOT, *id)?;
        }
        t.take_frame();
        let frag = t.create_fragment();
        let a = t.create_element("a");
        let b = t.create_element("b");
        t.append_child(frag, a)?;
        t.append_child(frag, b)?;
        t.splice_before(ROOT, ids[1], 2, frag)?;
        assert_eq!(t.get(ROOT).map(|n| n.children.clone()), Some(vec![ids[0], a, b, ids[3]]));
        let ops = t.take_frame().map(|f| f.ops).unwrap_or_default();
        assert_eq!(ops[0], Remove { parent: ROOT, id: ids[1] });
        assert_eq!(ops[1], Remove { parent: ROOT, id: ids[2] });
        assert!(ops.contains(&Insert { parent: ROOT, id: a, before: Some(ids[3]) }));
        assert!(t.get(frag).map(|n| n.children.is_empty()).unwrap_or(false));
        t.splice_remove(ROOT, a, 2)?;
        assert_eq!(t.get(ROOT).map(|n| n.children.clone()), Some(vec![ids[0], ids[3]]));
        Ok(())
    }

    #[test]
    fn replaced_placeholder_vanishes_from_frame() -> Result<()> {
        let mut t = Tree::new();
        let placeholder = t.create_element("wx-placeholder");
        t.append_child(ROOT, placeholder)?;
        let page = t.create_element("page");
        t.replace_child(ROOT, page, placeholder)?;
        t.release(placeholder)?;
        assert_eq!(
            t.take_frame().map(|f| f.ops),
            Some(vec![
                Create { id: page, tag: "page".into() },
                Insert { parent: ROOT, id: page, before: None }
            ])
        );
        Ok(())
    }

    #[test]
    fn an_unchanged_id_does_not_restyle() -> Result<()> {
        let mut t = Tree::new();
        let v = t.create_element("view");
        t.append_child(ROOT, v)?;
        t.set_id(v, "main")?;
        assert!(t.take_layout_changes().contains(&v));
        t.set_id(v, "main")?;
        assert!(t.take_layout_changes().is_empty(), "the same id again changes nothing");
        t.set_id(v, "other")?;
        assert_eq!(t.take_layout_changes(), vec![v]);
        Ok(())
    }

    #[test]
    fn misuse_is_an_error_not_a_panic() {
        let mut t = Tree::new();
        let v = t.create_element("view");
        assert_eq!(t.append_child(99, v), Err(TreeError::NoSuchNode(99)));
        assert_eq!(t.remove_child(ROOT, v), Err(TreeError::NotAChild { parent: ROOT, child: v }));
        let w = t.create_element("view");
        assert!(t.append_child(v, w).is_ok());
        assert_eq!(t.append_child(w, v), Err(TreeError::Cycle(v)));
        assert!(t.release(v).is_ok());
        assert_eq!(t.set_text(v, "x"), Err(TreeError::NoSuchNode(v)));
        assert_eq!(t.get(w).and_then(|n| n.parent), None);
    }

    #[test]
    fn release_of_shown_node_removes_then_releases() -> Result<()> {
        let mut t = Tree::new();
        let v = t.create_element("view");
        t.append_child(ROOT, v)?;
        t.take_frame();
        t.release(v)?;
        assert_eq!(
            t.take_frame().map(|f| f.ops),
            Some(vec![Remove { parent: ROOT, id: v }, Release { id: v }])
        );
        Ok(())
    }
}
