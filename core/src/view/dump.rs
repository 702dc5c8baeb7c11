//! Human- and machine-readable dumps of the tree for the CLI and snapshot tests.
//!
//! `text` prints indented WXML-like lines: `<tag id="…" class="…" attr="…">` per element and
//! the quoted content per text node; whitespace-only text is skipped. `json` gives the same
//! information as nested objects. Both are deterministic for a given tree.

use std::fmt::Write;

use serde_json::{json, Map, Value};

use super::tree::{NodeId, NodeKind, Tree};

/// Indented WXML-like text of the subtree at `from`.
pub fn text(tree: &Tree, from: NodeId) -> String {
    let mut out = String::new();
    write_text(tree, from, 0, &mut out);
    out
}

fn attr_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn write_text(tree: &Tree, id: NodeId, depth: usize, out: &mut String) {
    let Some(node) = tree.get(id) else { return };
    let pad = "  ".repeat(depth);
    match node.kind {
        NodeKind::Text => {
            if !node.text.trim().is_empty() {
                let _ = writeln!(out, "{pad}{}", Value::String(node.text.clone()));
            }
        }
        NodeKind::Element | NodeKind::Fragment => {
            let _ = write!(
                out,
                "{pad}<{}",
                if node.kind == NodeKind::Fragment { "#fragment" } else { &node.tag }
            );
            if !node.id_attr.is_empty() {
                let _ = write!(out, " id=\"{}\"", node.id_attr);
            }
            if !node.classes.is_empty() {
                let names: Vec<&str> = node.classes.iter().map(|(c, _)| c.as_str()).collect();
                let _ = write!(out, " class=\"{}\"", names.join(" "));
            }
            if !node.style.is_empty() {
                let _ = write!(out, " style=\"{}\"", node.style);
            }
            for (k, v) in &node.attrs {
                let _ = write!(out, " {k}=\"{}\"", attr_text(v));
            }
            let _ = writeln!(out, ">");
            for c in &node.children {
                write_text(tree, *c, depth + 1, out);
            }
        }
    }
}

/// JSON of the subtree at `from`: `{id, tag | text, attrs, classes, children}`.
pub fn json(tree: &Tree, from: NodeId) -> Value {
    let Some(node) = tree.get(from) else { return Value::Null };
    let mut o = Map::new();
    o.insert("id".into(), json!(from));
    match node.kind {
        NodeKind::Text => {
            o.insert("text".into(), json!(node.text));
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
        o.insert("classes".into(), json!(node.classes.iter().map(|(c, _)| c).collect::<Vec<_>>()));
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
    let children: Vec<Value> = node.children.iter().map(|c| json(tree, *c)).collect();
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
        t.add_class(v, "big", Some(2))?;
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
}
