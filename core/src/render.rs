//! The render protocol: what the core sends the host to draw (docs/render-protocol.md).
//!
//! A [`Frame`] is an ordered batch of [`RenderOp`]s produced by one JS task; the host applies a
//! frame's ops in order on its UI thread. Node `1` is the root and exists before the first
//! frame. [`style::VisualStyle`] is the paint-relevant style a `set_style` op carries.
//! A leaf: plain serializable data, no behaviour beyond accessors; any thread. What produces it
//! lives elsewhere (`view::tree` records ops, `style::visual` resolves styles, `layout` frames).

pub mod style;

use serde::Serialize;
use serde_json::Value;

use self::style::VisualStyle;

/// The render protocol version carried by every frame, and what a packed package says it needs.
pub const PROTOCOL_VERSION: u32 = 2;

/// A node's stable id (never reused in one app instance).
pub type NodeId = u32;

/// One change to the host's view tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RenderOp {
    /// Create an element view. `tag` is the WXML tag (`view`, `text`, `image`, or a custom
    /// component's tag, which the host renders as a plain container).
    Create {
        /// New node id.
        id: NodeId,
        /// Tag name.
        tag: String,
    },
    /// Create a text run.
    CreateText {
        /// New node id.
        id: NodeId,
        /// Initial text.
        text: String,
    },
    /// Insert (or move) `id` under `parent`, before `before` or at the end.
    Insert {
        /// Parent node.
        parent: NodeId,
        /// Child node.
        id: NodeId,
        /// Sibling to insert before; `None` appends.
        #[serde(skip_serializing_if = "Option::is_none")]
        before: Option<NodeId>,
    },
    /// Detach `id` from `parent`; the node may be inserted again later.
    Remove {
        /// Parent node.
        parent: NodeId,
        /// Child node.
        id: NodeId,
    },
    /// The node will never be used again: free its view.
    Release {
        /// Node id.
        id: NodeId,
    },
    /// Replace a text run's content.
    SetText {
        /// Node id.
        id: NodeId,
        /// New text.
        text: String,
    },
    /// Set (`value` present) or remove (`value` absent) an attribute.
    SetAttr {
        /// Node id.
        id: NodeId,
        /// Attribute name as written in WXML (`src`, `value`, `checked`…).
        name: String,
        /// JSON value; absent when removed.
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<Value>,
    },
    /// Start (`on`) or stop forwarding an event type from this node to the core.
    Listen {
        /// Node id.
        id: NodeId,
        /// Event type (`tap`, `input`, `touchstart`…).
        event: String,
        /// True when the core now listens.
        on: bool,
    },
    /// Replace the node's resolved visual style (colors, fonts, borders, opacity…; fields
    /// at their initial value are absent).
    SetStyle {
        /// Node id.
        id: NodeId,
        /// The style (shared: nodes styled alike hold one, and it is much larger than the
        /// other ops).
        style: std::sync::Arc<VisualStyle>,
    },
    /// Position the node: its border box in px relative to its parent's border box.
    SetFrame {
        /// Node id.
        id: NodeId,
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
    },
    /// Scroll a container (scroll-view) so its content offset is (`left`, `top`) px: the app
    /// set `scroll-top`/`scroll-left`/`scroll-into-view`. Offsets the user scrolled to come
    /// back as a `scroll` user action instead.
    ScrollTo {
        /// Node id.
        id: NodeId,
        /// Horizontal content offset.
        left: f32,
        /// Vertical content offset.
        top: f32,
        /// Animate the scroll (`scroll-with-animation`).
        animated: bool,
    },
}

impl RenderOp {
    /// The node the op is about.
    pub fn node(&self) -> NodeId {
        match self {
            RenderOp::Create { id, .. }
            | RenderOp::CreateText { id, .. }
            | RenderOp::Insert { id, .. }
            | RenderOp::Remove { id, .. }
            | RenderOp::Release { id }
            | RenderOp::SetText { id, .. }
            | RenderOp::SetAttr { id, .. }
            | RenderOp::Listen { id, .. }
            | RenderOp::SetStyle { id, .. }
            | RenderOp::SetFrame { id, .. }
            | RenderOp::ScrollTo { id, .. } => *id,
        }
    }
}

/// One batch of ops from one JS task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frame {
    /// Protocol version ([`PROTOCOL_VERSION`]).
    pub version: u32,
    /// Sequence number, from 1, without gaps.
    pub seq: u64,
    /// Ops in application order.
    pub ops: Vec<RenderOp>,
}
