//! Op batching: [`compact`] drops the redundant ops of one frame before it leaves the core.
//! The ops themselves are the render protocol ([`crate::render`]). Pure; any thread.

use crate::render::NodeId;
pub use crate::render::{Frame, RenderOp, PROTOCOL_VERSION};

/// Identity of a "set" op: later sets with the same key replace earlier ones.
#[derive(PartialEq, Eq, Hash)]
enum SetKey<'a> {
    Text(NodeId),
    Attr(NodeId, &'a str),
    Listen(NodeId, &'a str),
    Style(NodeId),
    Frame(NodeId),
    Scroll(NodeId),
}

fn set_key(op: &RenderOp) -> Option<SetKey<'_>> {
    match op {
        RenderOp::SetText { id, .. } => Some(SetKey::Text(*id)),
        RenderOp::SetAttr { id, name, .. } => Some(SetKey::Attr(*id, name.as_str())),
        RenderOp::Listen { id, event, .. } => Some(SetKey::Listen(*id, event.as_str())),
        RenderOp::SetStyle { id, .. } => Some(SetKey::Style(*id)),
        RenderOp::SetFrame { id, .. } => Some(SetKey::Frame(*id)),
        RenderOp::ScrollTo { id, .. } => Some(SetKey::Scroll(*id)),
        _ => None,
    }
}

fn mentions(op: &RenderOp, dropped: &rustc_hash::FxHashSet<NodeId>) -> bool {
    match op {
        RenderOp::Insert { parent, id, .. } | RenderOp::Remove { parent, id } => {
            dropped.contains(parent) || dropped.contains(id)
        }
        other => dropped.contains(&other.node()),
    }
}

/// Drops redundant ops from one frame's op list:
/// - of several sets of the same text/attribute/listener on a node, only the last is kept;
/// - text set on a text node created in the same frame is folded into its `create_text`;
/// - a node created and released in the same frame disappears with all its ops, unless a
///   surviving op still names it as an insertion point.
pub fn compact(ops: Vec<RenderOp>) -> Vec<RenderOp> {
    use std::collections::{HashMap, HashSet};

    let mut created = HashSet::new();
    let mut dropped = rustc_hash::FxHashSet::default();
    for op in &ops {
        match op {
            RenderOp::Create { id, .. } | RenderOp::CreateText { id, .. } => {
                created.insert(*id);
            }
            RenderOp::Release { id } if created.contains(id) => {
                dropped.insert(*id);
            }
            _ => {}
        }
    }
    let still_needed: Vec<NodeId> = ops
        .iter()
        .filter(|op| !mentions(op, &dropped))
        .filter_map(|op| match op {
            RenderOp::Insert { before: Some(b), .. } => Some(*b),
            _ => None,
        })
        .filter(|b| dropped.contains(b))
        .collect();
    for b in still_needed {
        dropped.remove(&b);
    }

    let mut last: HashMap<SetKey<'_>, usize> = HashMap::new();
    for (i, op) in ops.iter().enumerate() {
        if let Some(k) = set_key(op) {
            last.insert(k, i);
        }
    }
    let keep: Vec<bool> = ops
        .iter()
        .enumerate()
        .map(|(i, op)| {
            !mentions(op, &dropped) && set_key(op).is_none_or(|k| last.get(&k) == Some(&i))
        })
        .collect();
    drop(last);
    let mut out: Vec<RenderOp> = Vec::with_capacity(ops.len());
    // Text set after a `create_text` in the same frame is folded into the create.
    let mut created_at: rustc_hash::FxHashMap<NodeId, usize> = Default::default();
    for (op, k) in ops.into_iter().zip(keep) {
        if !k {
            continue;
        }
        match op {
            RenderOp::CreateText { id, .. } => {
                created_at.insert(id, out.len());
                out.push(op);
            }
            RenderOp::SetText { id, text } => {
                match created_at.get(&id).and_then(|i| out.get_mut(*i)) {
                    Some(RenderOp::CreateText { text: initial, .. }) => *initial = text,
                    _ => out.push(RenderOp::SetText { id, text }),
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_last_set_per_key() {
        let ops = vec![
            RenderOp::SetText { id: 2, text: "a".into() },
            RenderOp::SetAttr { id: 2, name: "src".into(), value: Some("x".into()) },
            RenderOp::SetText { id: 2, text: "b".into() },
        ];
        assert_eq!(
            compact(ops),
            vec![
                RenderOp::SetAttr { id: 2, name: "src".into(), value: Some("x".into()) },
                RenderOp::SetText { id: 2, text: "b".into() },
            ]
        );
    }

    #[test]
    fn folds_text_into_create_of_same_frame() {
        let ops = vec![
            RenderOp::CreateText { id: 4, text: String::new() },
            RenderOp::Insert { parent: 1, id: 4, before: None },
            RenderOp::SetText { id: 4, text: "hi".into() },
            RenderOp::SetText { id: 9, text: "other".into() },
        ];
        assert_eq!(
            compact(ops),
            vec![
                RenderOp::CreateText { id: 4, text: "hi".into() },
                RenderOp::Insert { parent: 1, id: 4, before: None },
                RenderOp::SetText { id: 9, text: "other".into() },
            ]
        );
    }

    #[test]
    fn drops_nodes_born_and_freed_in_one_frame() {
        let ops = vec![
            RenderOp::Create { id: 5, tag: "view".into() },
            RenderOp::Insert { parent: 1, id: 5, before: None },
            RenderOp::SetAttr { id: 5, name: "a".into(), value: None },
            RenderOp::Remove { parent: 1, id: 5 },
            RenderOp::Release { id: 5 },
            RenderOp::SetText { id: 3, text: "kept".into() },
        ];
        assert_eq!(compact(ops), vec![RenderOp::SetText { id: 3, text: "kept".into() }]);
    }

    #[test]
    fn keeps_node_still_used_as_insertion_point() {
        let ops = vec![
            RenderOp::Create { id: 5, tag: "view".into() },
            RenderOp::Insert { parent: 1, id: 5, before: None },
            RenderOp::Insert { parent: 1, id: 6, before: Some(5) },
            RenderOp::Remove { parent: 1, id: 5 },
            RenderOp::Release { id: 5 },
        ];
        assert_eq!(compact(ops.clone()), ops);
    }
}
