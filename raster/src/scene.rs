//! The node tree the frames build, kept as a native host keeps its views.

use std::collections::HashMap;

use miniapp_core::style::visual::VisualStyle;
use miniapp_core::view::tree::ROOT;
use miniapp_core::view::{Frame, NodeId, RenderOp};
use serde_json::Value;

/// One view.
#[derive(Debug, Default)]
pub(crate) struct Node {
    /// Element tag; `None` for a text run.
    pub tag: Option<String>,
    /// A text run's text.
    pub text: String,
    pub attrs: HashMap<String, Value>,
    pub style: VisualStyle,
    /// Border box relative to the parent's: x, y, width, height.
    pub frame: [f32; 4],
    /// Content offset of a scrolling container.
    pub scroll: [f32; 2],
    pub children: Vec<NodeId>,
    pub parent: Option<NodeId>,
}

/// The retained tree of a running app, built from its frames.
#[derive(Debug)]
pub struct Scene {
    pub(crate) nodes: HashMap<NodeId, Node>,
    /// The last frame applied, for gaps.
    seq: u64,
}

impl Default for Scene {
    fn default() -> Self {
        let mut nodes = HashMap::new();
        nodes.insert(ROOT, Node { tag: Some("root".into()), ..Node::default() });
        Scene { nodes, seq: 0 }
    }
}

impl Scene {
    /// An empty scene: the root only.
    pub fn new() -> Scene {
        Scene::default()
    }

    /// Applies one frame's ops in order. Ops about unknown nodes are skipped, as a host must
    /// not crash on them; a frame out of sequence is an error (frames must not be lost).
    pub fn apply(&mut self, frame: &Frame) -> Result<(), String> {
        if frame.seq != self.seq + 1 {
            return Err(format!(
                "frame {} after frame {}: frames must be applied in order, none skipped",
                frame.seq, self.seq
            ));
        }
        self.seq = frame.seq;
        for op in &frame.ops {
            self.apply_op(op);
        }
        Ok(())
    }

    fn apply_op(&mut self, op: &RenderOp) {
        match op {
            RenderOp::Create { id, tag } => {
                self.nodes.insert(*id, Node { tag: Some(tag.clone()), ..Node::default() });
            }
            RenderOp::CreateText { id, text } => {
                self.nodes.insert(*id, Node { text: text.clone(), ..Node::default() });
            }
            RenderOp::Insert { parent, id, before } => {
                if !self.nodes.contains_key(parent) || !self.nodes.contains_key(id) {
                    return;
                }
                self.detach(*id);
                if let Some(p) = self.nodes.get_mut(parent) {
                    let at = before
                        .and_then(|b| p.children.iter().position(|c| *c == b))
                        .unwrap_or(p.children.len());
                    p.children.insert(at, *id);
                }
                if let Some(n) = self.nodes.get_mut(id) {
                    n.parent = Some(*parent);
                }
            }
            RenderOp::Remove { id, .. } => self.detach(*id),
            RenderOp::Release { id } => {
                self.detach(*id);
                self.nodes.remove(id);
            }
            RenderOp::SetText { id, text } => {
                if let Some(n) = self.nodes.get_mut(id) {
                    n.text = text.clone();
                }
            }
            RenderOp::SetAttr { id, name, value } => {
                if let Some(n) = self.nodes.get_mut(id) {
                    match value {
                        Some(v) => n.attrs.insert(name.clone(), v.clone()),
                        None => n.attrs.remove(name),
                    };
                }
            }
            RenderOp::SetStyle { id, style } => {
                if let Some(n) = self.nodes.get_mut(id) {
                    n.style = (**style).clone();
                }
            }
            RenderOp::SetFrame { id, x, y, width, height } => {
                if let Some(n) = self.nodes.get_mut(id) {
                    n.frame = [*x, *y, *width, *height];
                }
            }
            RenderOp::ScrollTo { id, left, top, .. } => {
                if let Some(n) = self.nodes.get_mut(id) {
                    n.scroll = [*left, *top];
                }
            }
            RenderOp::Listen { .. } => {}
        }
    }

    fn detach(&mut self, id: NodeId) {
        let parent = self.nodes.get_mut(&id).and_then(|n| n.parent.take());
        if let Some(p) = parent.and_then(|p| self.nodes.get_mut(&p)) {
            p.children.retain(|c| *c != id);
        }
    }

    /// The page on screen: the last `page` under the root.
    pub fn top_page(&self) -> Option<NodeId> {
        let root = self.nodes.get(&ROOT)?;
        root.children
            .iter()
            .rev()
            .copied()
            .find(|c| self.nodes.get(c).and_then(|n| n.tag.as_deref()) == Some("page"))
    }

    /// The text of every run under `id`, in order (for tests and accessibility).
    pub fn text_under(&self, id: NodeId) -> String {
        let mut out = String::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop().and_then(|i| self.nodes.get(&i)) {
            if n.tag.is_none() {
                out.push_str(&n.text);
            }
            stack.extend(n.children.iter().rev());
        }
        out
    }
}
