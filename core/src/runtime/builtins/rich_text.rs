//! `rich-text` content in the tree: when the app sets `nodes`, the core sanitises them
//! ([`crate::builtin::rich_text`]) and replaces the rich-text node's children with plain
//! nodes the host renders like any other (`div`, `p`, `img`, text runs…). Their classes match
//! the page's class rules (in the rich-text's own style scope), `style` is their inline style,
//! and kept attributes (`src`, `width`…) arrive as attributes. The children have no JS side:
//! taps on them reach the rich-text element. Logic thread.

use crate::builtin::rich_text::{sanitise, RichNode};
use crate::view::tree::Tree;
use crate::view::NodeId;

/// Replaces `node`'s children with its sanitised `nodes` attribute.
pub fn rebuild_rich_text(tree: &mut Tree, node: NodeId) {
    let Some(n) = tree.get(node) else { return };
    let content = sanitise(n.attrs.get("nodes").unwrap_or(&serde_json::Value::Null));
    let scope = n.style_scope;
    for old in n.children.clone() {
        release_subtree(tree, old);
    }
    for child in &content {
        build(tree, node, child, scope);
    }
}

fn release_subtree(tree: &mut Tree, id: NodeId) {
    let children = tree.get(id).map(|n| n.children.clone()).unwrap_or_default();
    for c in children {
        release_subtree(tree, c);
    }
    let _ = tree.release(id);
}

fn build(tree: &mut Tree, parent: NodeId, node: &RichNode, scope: crate::view::tree::StyleScope) {
    let id = match node {
        RichNode::Text(text) => tree.create_text(text),
        RichNode::Element { name, attrs, children } => {
            let id = tree.create_element(name);
            let _ = tree.set_style_scope(id, scope, None, None);
            for (k, v) in attrs {
                let _ = match k.as_str() {
                    "class" => v.split_whitespace().try_for_each(|c| tree.add_class(id, c, scope)),
                    "style" => tree.set_style(id, v),
                    _ => tree.set_attribute(id, k, Some(serde_json::Value::String(v.clone()))),
                };
            }
            for c in children {
                build(tree, id, c, scope);
            }
            id
        }
    };
    let _ = tree.append_child(parent, id);
}
