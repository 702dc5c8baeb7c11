//! Human- and machine-readable dumps of the tree for the CLI and snapshot tests.
//!
//! `text` prints indented WXML-like lines: `<tag id="…" class="…" attr="…">` per element and
//! the quoted content per text node; whitespace-only text is skipped. `readable` is the same
//! for people (the CLI's default): `data-*` attributes shown, long values cut, JSON-valued
//! attributes summarised. `json` gives the same information as nested objects. All are
//! deterministic for a given tree.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::tree::{Node, NodeId, NodeKind, Tree};

/// A node's frame `[x, y, width, height]` for dumps, if laid out.
pub type FrameOf<'a> = &'a dyn Fn(NodeId) -> Option<[f32; 4]>;

/// Indented WXML-like text of the subtree at `from`.
pub fn text(tree: &Tree, from: NodeId) -> String {
    text_with_frames(tree, from, &|_| None)
}

/// [`text`] with each laid-out node's frame appended: `<view class="card"> [x=12 y=40 w=351
/// h=80]` (px, relative to the parent).
pub fn text_with_frames(tree: &Tree, from: NodeId, frame_of: FrameOf<'_>) -> String {
    let mut out = String::new();
    write_text(tree, from, 0, frame_of, &mut out);
    out
}

/// A node's dataset (`data-*` attributes, camelCase keys as glass-easel holds them), if any.
pub type DatasetOf<'a> = &'a dyn Fn(NodeId) -> Option<Map<String, Value>>;

/// Longest attribute value [`readable`] prints whole, in chars.
const READABLE_VALUE_CHARS: usize = 48;

/// [`text_with_frames`] for people: each element's `data-*` attributes from `dataset_of` after
/// its own, string values longer than 48 chars cut with `…`, and JSON object or array values
/// summarised (`window={10 keys}`, `list=[3 items]`).
pub fn readable(
    tree: &Tree,
    from: NodeId,
    frame_of: FrameOf<'_>,
    dataset_of: DatasetOf<'_>,
) -> String {
    let mut out = String::new();
    let attrs = |id: NodeId, node: &Node| -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = attributes(node)
            .into_iter()
            .map(|(k, v)| match node.attrs.get(&k) {
                Some(Value::Object(o)) => (k, format!("{{{} keys}}", o.len())),
                Some(Value::Array(a)) => (k, format!("[{} items]", a.len())),
                _ => (k, format!("\"{}\"", cut(&v))),
            })
            .collect();
        for (key, value) in dataset_of(id).unwrap_or_default() {
            list.push((
                format!("data-{}", crate::names::kebab_case(&key)),
                format!("\"{}\"", cut(&super::tree::value_text(&value))),
            ));
        }
        list
    };
    write_text_with(tree, from, 0, frame_of, &attrs, &mut out);
    out
}

/// `value` cut to [`READABLE_VALUE_CHARS`] chars with `…`.
fn cut(value: &str) -> String {
    if value.chars().count() <= READABLE_VALUE_CHARS {
        return value.to_string();
    }
    let mut s: String = value.chars().take(READABLE_VALUE_CHARS - 1).collect();
    s.push('…');
    s
}

fn frame_suffix(frame_of: FrameOf<'_>, id: NodeId) -> String {
    match frame_of(id) {
        Some([x, y, w, h]) => format!(" [x={x} y={y} w={w} h={h}]"),
        None => String::new(),
    }
}

/// A node's attributes as they appear on the rendered element, stringified: `id`, `class`
/// (names as written), `style` (inline text), then the others by name.
pub fn attributes(node: &Node) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !node.id_attr.is_empty() {
        out.push(("id".to_string(), node.id_attr.clone()));
    }
    if !node.classes.is_empty() {
        out.push(("class".to_string(), class_names(node).join(" ")));
    }
    if !node.style.is_empty() {
        out.push(("style".to_string(), node.style.clone()));
    }
    for (k, v) in &node.attrs {
        out.push((k.clone(), super::tree::value_text(v)));
    }
    out
}

/// A node's class names in order, each once (a class glass-easel added for two scopes
/// appears once).
pub fn class_names(node: &Node) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::with_capacity(node.classes.len());
    for (c, _) in &node.classes {
        if !names.contains(&c.as_str()) {
            names.push(c);
        }
    }
    names
}

/// The rendered text of a subtree (`innerText`): text nodes in document order, skipping
/// elements with a true `hidden` attribute; block-level siblings are separated by a newline.
pub fn inner_text(tree: &Tree, from: NodeId) -> String {
    let mut out = String::new();
    collect_text(tree, from, &mut out);
    out
}

fn is_hidden(node: &Node) -> bool {
    matches!(node.attrs.get("hidden"), Some(v) if v.as_bool().unwrap_or(!v.is_null()))
}

fn collect_text(tree: &Tree, id: NodeId, out: &mut String) {
    let Some(node) = tree.get(id) else { return };
    match node.kind {
        NodeKind::Text => out.push_str(&tree.display_text(id)),
        NodeKind::Element | NodeKind::Fragment => {
            if is_hidden(node) {
                return;
            }
            for c in &node.children {
                let block = tree
                    .get(*c)
                    .is_some_and(|n| n.kind == NodeKind::Element && is_block_tag(&n.tag));
                if block && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                collect_text(tree, *c, out);
            }
        }
    }
}

/// Built-in tags that render as blocks by default (`text`, `button`'s label and inline
/// containers run on one line).
fn is_block_tag(tag: &str) -> bool {
    crate::builtin::get(tag).is_some_and(|b| b.block)
}

/// The subtree as WXML: the element itself when `outer`, else its children. Text is
/// escaped; attributes come from [`attributes`].
pub fn wxml(tree: &Tree, from: NodeId, outer: bool) -> String {
    let mut out = String::new();
    match tree.get(from) {
        Some(node) if !outer => {
            for c in &node.children {
                write_wxml(tree, *c, &mut out);
            }
        }
        Some(_) => write_wxml(tree, from, &mut out),
        None => {}
    }
    out
}

fn escape(text: &str, quote: bool) -> String {
    let mut s = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    if quote {
        s = s.replace('"', "&quot;");
    }
    s
}

fn write_wxml(tree: &Tree, id: NodeId, out: &mut String) {
    let Some(node) = tree.get(id) else { return };
    match node.kind {
        NodeKind::Text => out.push_str(&escape(&tree.display_text(id), false)),
        NodeKind::Fragment => {
            for c in &node.children {
                write_wxml(tree, *c, out);
            }
        }
        NodeKind::Element => {
            let _ = write!(out, "<{}", node.tag);
            for (k, v) in attributes(node) {
                let _ = write!(out, " {k}=\"{}\"", escape(&v, true));
            }
            out.push('>');
            for c in &node.children {
                write_wxml(tree, *c, out);
            }
            let _ = write!(out, "</{}>", node.tag);
        }
    }
}

/// How [`write_text_with`] prints an element's attributes: `(name, value as printed)`.
type AttrsOf<'a> = &'a dyn Fn(NodeId, &Node) -> Vec<(String, String)>;

fn write_text(tree: &Tree, id: NodeId, depth: usize, frame_of: FrameOf<'_>, out: &mut String) {
    let exact = |_: NodeId, node: &Node| -> Vec<(String, String)> {
        attributes(node).into_iter().map(|(k, v)| (k, format!("\"{v}\""))).collect()
    };
    write_text_with(tree, id, depth, frame_of, &exact, out);
}

fn write_text_with(
    tree: &Tree,
    id: NodeId,
    depth: usize,
    frame_of: FrameOf<'_>,
    attrs_of: AttrsOf<'_>,
    out: &mut String,
) {
    let Some(node) = tree.get(id) else { return };
    let pad = "  ".repeat(depth);
    match node.kind {
        NodeKind::Text => {
            if !node.text.trim().is_empty() {
                let frame = frame_suffix(frame_of, id);
                let shown = tree.display_text(id).into_owned();
                let _ = writeln!(out, "{pad}{}{frame}", Value::String(shown));
            }
        }
        NodeKind::Element | NodeKind::Fragment => {
            let _ = write!(
                out,
                "{pad}<{}",
                if node.kind == NodeKind::Fragment { "#fragment" } else { &node.tag }
            );
            for (k, v) in attrs_of(id, node) {
                let _ = write!(out, " {k}={v}");
            }
            let _ = writeln!(out, ">{}", frame_suffix(frame_of, id));
            for c in &node.children {
                write_text_with(tree, *c, depth + 1, frame_of, attrs_of, out);
            }
        }
    }
}

/// JSON of the subtree at `from`: `{id, tag | text, attrs, classes, children}`.
pub fn json(tree: &Tree, from: NodeId) -> Value {
    json_with_layout(tree, from, &|_| None)
}

/// Layout facts of a node for JSON dumps: `{"frame": {...}, "style": {...}}`.
pub type LayoutOf<'a> = &'a dyn Fn(NodeId) -> Option<Value>;

/// [`json`] with each laid-out node's `frame` and resolved `style` added.
pub fn json_with_layout(tree: &Tree, from: NodeId, layout_of: LayoutOf<'_>) -> Value {
    let Some(node) = tree.get(from) else { return Value::Null };
    let mut o = Map::new();
    o.insert("id".into(), json!(from));
    if let Some(Value::Object(facts)) = layout_of(from) {
        o.extend(facts);
    }
    match node.kind {
        NodeKind::Text => {
            o.insert("text".into(), json!(tree.display_text(from)));
            return Value::Object(o);
        }
        NodeKind::Fragment => {
            o.insert("tag".into(), json!("#fragment"));
        }
        NodeKind::Element => {
            o.insert("tag".into(), json!(node.tag));
        }
    }
    if !node.id_attr.is_empty() {
        o.insert("idAttr".into(), json!(node.id_attr));
    }
    if !node.classes.is_empty() {
        o.insert("classes".into(), json!(class_names(node)));
    }
    if !node.style.is_empty() {
        o.insert("style".into(), json!(node.style));
    }
    if !node.attrs.is_empty() {
        o.insert(
            "attrs".into(),
            Value::Object(node.attrs.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        );
    }
    if !node.listeners.is_empty() {
        o.insert("listeners".into(), json!(node.listeners));
    }
    let children: Vec<Value> =
        node.children.iter().map(|c| json_with_layout(tree, *c, layout_of)).collect();
    if !children.is_empty() {
        o.insert("children".into(), Value::Array(children));
    }
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::tree::ROOT;

    #[test]
    fn text_dump_is_wxml_like() -> Result<(), crate::view::tree::TreeError> {
        let mut t = Tree::new();
        let v = t.create_element("view");
        t.set_id(v, "main")?;
        t.add_class(v, "card", None)?;
        t.add_class(v, "big", std::num::NonZeroUsize::new(2))?;
        t.add_class(v, "big", std::num::NonZeroUsize::new(3))?;
        t.set_attribute(v, "checked", Some(Value::Bool(true)))?;
        let s = t.create_text("Hi \"you\"");
        t.append_child(v, s)?;
        t.append_child(ROOT, v)?;
        assert_eq!(
            text(&t, ROOT),
            "<root>\n  <view id=\"main\" class=\"card big\" checked=\"true\">\n    \"Hi \\\"you\\\"\"\n"
        );
        assert_eq!(json(&t, v)["children"][0]["text"], "Hi \"you\"");
        Ok(())
    }

    #[test]
    fn readable_dump_shows_data_and_summarises() -> Result<(), crate::view::tree::TreeError> {
        let mut t = Tree::new();
        let v = t.create_element("view");
        t.set_attribute(v, "window", Some(json!({"a": 1, "b": 2})))?;
        t.set_attribute(v, "src", Some(json!("x".repeat(60))))?;
        t.append_child(ROOT, v)?;
        let data = |id: NodeId| {
            (id == v)
                .then(|| json!({"cat": "library", "userName": 3}))
                .and_then(|d| d.as_object().cloned())
        };
        let text = readable(&t, v, &|_| None, &data);
        let expected = format!(
            "<view src=\"{}…\" window={{2 keys}} data-cat=\"library\" data-user-name=\"3\">\n",
            "x".repeat(47)
        );
        assert_eq!(text, expected);
        Ok(())
    }
}
