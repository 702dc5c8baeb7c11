//! The form family's behaviour in the core: typing into a field, and what a tap on a
//! `<button form-type="submit|reset">` inside a `<form>` does.
//!
//! A tap on a `switch` toggles it and fires its `change` (`{value}`); on a `checkbox` toggles it
//! and fires the enclosing `checkbox-group`'s `change` with the checked values; on a `radio`
//! checks it, unchecks the others of its `radio-group` and fires the group's `change` with its
//! value. A `label` passes its tap to the control its `for` names, else to the first control
//! inside it. Disabled controls ignore taps.
//!
//! Submit collects every named field under the form, in document order, into
//! `detail.value` (`input`/`textarea`: the text; `switch`: `checked`; `slider`: the number;
//! `picker`/`picker-view`: their value; `checkbox-group`: the values of its checked
//! checkboxes; `radio-group`: the value of its checked radio, or `""`; a custom component with
//! the `wx://form-field` behavior, virtual hosts included: its `value` property) and fires
//! `submit` on
//! the form. Reset puts every named field back to its default, as a user clearing it would,
//! then fires `reset`. A disabled button does neither. Values are read from the tree (what the
//! template bound and what the user changed), converted like the components' properties.
//! Logic thread.

use serde_json::{json, Map, Value};

use crate::builtin;
use crate::framework;
use crate::runtime::{AppInstance, RuntimeError};
use crate::view::tree::{Node, NodeKind, Tree};
use crate::view::NodeId;

/// Fields whose `name` puts them in a form's value, and the property holding the value.
const FIELDS: &[(&str, &str)] = &[
    ("input", "value"),
    ("textarea", "value"),
    ("switch", "checked"),
    ("slider", "value"),
    ("picker", "value"),
    ("picker-view", "value"),
    ("checkbox-group", ""),
    ("radio-group", ""),
];

pub(in crate::runtime) fn prop(node: &Node, name: &str) -> Value {
    match node.attrs.get(name) {
        None | Some(Value::Null) => default_of(node, name),
        attr => builtin::property_value(&node.tag, name, attr).unwrap_or(Value::Null),
    }
}

/// What property `name` of `node` is when unset (a picker's `value` depends on its `mode`).
fn default_of(node: &Node, name: &str) -> Value {
    builtin::default_value(&node.tag, name, node.attrs.get("mode")).unwrap_or(Value::Null)
}

/// The first `tag` element in `chain` (a node and its ancestors, nearest first).
pub(in crate::runtime) fn nearest<'t>(
    tree: &'t Tree,
    chain: &[NodeId],
    tag: &str,
) -> Option<(NodeId, &'t Node)> {
    chain.iter().find_map(|id| tree.get(*id).filter(|n| n.tag == tag).map(|n| (*id, n)))
}

pub(in crate::runtime) fn truthy(node: &Node, name: &str) -> bool {
    prop(node, name).as_bool().unwrap_or(false)
}

/// Elements of the subtree at `from` (itself included), document order.
pub(in crate::runtime) fn elements_under(tree: &Tree, from: NodeId, out: &mut Vec<NodeId>) {
    let Some(n) = tree.get(from) else { return };
    if n.kind == NodeKind::Text {
        return;
    }
    out.push(from);
    for c in &n.children {
        elements_under(tree, *c, out);
    }
}

/// The value of a checkbox/radio group: checked members' values.
fn group_value(tree: &Tree, group: NodeId, member: &str) -> Value {
    let mut all = Vec::new();
    elements_under(tree, group, &mut all);
    let checked: Vec<Value> = all
        .into_iter()
        .filter_map(|id| tree.get(id))
        .filter(|n| n.tag == member && truthy(n, "checked"))
        .map(|n| prop(n, "value"))
        .collect();
    if member == "radio" {
        checked.into_iter().next().unwrap_or_else(|| json!(""))
    } else {
        Value::Array(checked)
    }
}

/// `detail.value` of a form: each named built-in field's value (custom `wx://form-field`
/// components are added from JS by the caller).
pub fn form_value(tree: &Tree, form: NodeId) -> Map<String, Value> {
    let mut all = Vec::new();
    elements_under(tree, form, &mut all);
    let mut out = Map::new();
    for id in all {
        let Some(n) = tree.get(id) else { continue };
        let Some((_, property)) = FIELDS.iter().find(|(tag, _)| *tag == n.tag) else { continue };
        let name = match n.attrs.get("name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => continue,
        };
        let value = match n.tag.as_str() {
            "checkbox-group" => group_value(tree, id, "checkbox"),
            "radio-group" => group_value(tree, id, "radio"),
            _ => prop(n, property),
        };
        out.insert(name, value);
    }
    out
}

impl AppInstance {
    /// The user typed `text` into an `input` or `textarea` (the whole new value): the field
    /// takes it (cut to `maxlength` characters unless that is -1), `model:value` writes it
    /// back, then `bindinput` fires with `{value, cursor, keyCode}`; a string (or
    /// `{value}`) the handler returns replaces the field's value.
    pub fn type_text(&mut self, node: NodeId, text: &str) -> Result<Option<NodeId>, RuntimeError> {
        let max = self.prop(node, "maxlength").as_i64().unwrap_or(-1);
        let text: String = match usize::try_from(max) {
            Ok(max) => text.chars().take(max).collect(),
            Err(_) => text.to_string(),
        };
        let text = text.as_str();
        let key = text.chars().last().map_or(0, u32::from);
        let detail = json!({ "value": text, "cursor": text.chars().count(), "keyCode": key });
        self.input_value(node, "value", json!(text), "input", detail)
    }

    /// After a tap on `node`: a switch, checkbox or radio (or a label for one) changes.
    pub(in crate::runtime) fn control_tap(&mut self, node: NodeId) -> Result<(), RuntimeError> {
        // The tap's handlers may have routed away and released the node.
        let Ok(chain) = self.ancestors(node) else { return Ok(()) };
        let target = {
            let tree = self.state.tree.borrow();
            let is_control = |id: &NodeId| {
                tree.get(*id)
                    .is_some_and(|n| matches!(n.tag.as_str(), "switch" | "checkbox" | "radio"))
            };
            match chain.iter().copied().find(is_control) {
                Some(c) => Some(c),
                None => nearest(&tree, &chain, "label")
                    .and_then(|(label, _)| label_target(&tree, label)),
            }
        };
        let Some(control) = target else { return Ok(()) };
        let (tag, checked, value, group) = {
            let tree = self.state.tree.borrow();
            let Some(n) = tree.get(control) else { return Ok(()) };
            if truthy(n, "disabled") {
                return Ok(());
            }
            let group_tag = if n.tag == "checkbox" { "checkbox-group" } else { "radio-group" };
            let group = self
                .ancestors(control)?
                .into_iter()
                .find(|id| tree.get(*id).is_some_and(|g| g.tag == group_tag));
            (n.tag.clone(), truthy(n, "checked"), prop(n, "value"), group)
        };
        match tag.as_str() {
            "switch" => {
                self.input_value(
                    control,
                    "checked",
                    json!(!checked),
                    "change",
                    json!({ "value": !checked }),
                )?;
            }
            "checkbox" => {
                self.input_value(control, "checked", json!(!checked), "", Value::Null)?;
                if let Some(g) = group {
                    let value = group_value(&self.state.tree.borrow(), g, "checkbox");
                    self.dispatch(g, "change", json!({ "value": value }))?;
                }
            }
            _ if !checked => {
                if let Some(g) = group {
                    let others: Vec<NodeId> = {
                        let tree = self.state.tree.borrow();
                        let mut all = Vec::new();
                        elements_under(&tree, g, &mut all);
                        all.into_iter()
                            .filter(|id| {
                                *id != control
                                    && tree
                                        .get(*id)
                                        .is_some_and(|n| n.tag == "radio" && truthy(n, "checked"))
                            })
                            .collect()
                    };
                    for other in others {
                        self.input_value(other, "checked", json!(false), "", Value::Null)?;
                    }
                }
                self.input_value(control, "checked", json!(true), "", Value::Null)?;
                if let Some(g) = group {
                    self.dispatch(g, "change", json!({ "value": value }))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// After a tap on `node`: if it is (inside) a form button, submit or reset its form.
    pub(in crate::runtime) fn form_action(&mut self, node: NodeId) -> Result<(), RuntimeError> {
        let Ok(chain) = self.ancestors(node) else { return Ok(()) };
        let (form, submit) = {
            let tree = self.state.tree.borrow();
            let Some((_, button)) = nearest(&tree, &chain, "button") else { return Ok(()) };
            let kind = prop(button, "form-type");
            let submit = match kind.as_str() {
                Some("submit") => true,
                Some("reset") => false,
                _ => return Ok(()),
            };
            if truthy(button, "disabled") {
                return Ok(());
            }
            let Some((form, _)) = nearest(&tree, &chain, "form") else { return Ok(()) };
            (form, submit)
        };
        if submit {
            let (mut value, report) = {
                let tree = self.state.tree.borrow();
                let report = tree.get(form).is_some_and(|f| truthy(f, "report-submit"));
                (form_value(&tree, form), report)
            };
            // Custom components with `wx://form-field` (virtual hosts too) live in JS.
            for (name, v) in framework::custom_form_fields(&self.engine, form)? {
                value.insert(name, v);
            }
            let mut detail = json!({ "value": value });
            if report {
                detail["formId"] = json!("");
            }
            self.dispatch(form, "submit", detail)?;
        } else {
            for (field, property, default) in self.reset_targets(form) {
                self.input_value(field, &property, default, "", Value::Null)?;
            }
            self.dispatch(form, "reset", json!({}))?;
        }
        Ok(())
    }

    /// Each field value a reset puts back: `(node, property, default)`.
    fn reset_targets(&self, form: NodeId) -> Vec<(NodeId, String, Value)> {
        let tree = self.state.tree.borrow();
        let mut all = Vec::new();
        elements_under(&tree, form, &mut all);
        let mut out = Vec::new();
        for id in all {
            let Some(n) = tree.get(id) else { continue };
            let property = match n.tag.as_str() {
                "input" | "textarea" | "slider" | "picker" | "picker-view" => "value",
                "switch" | "checkbox" | "radio" => "checked",
                _ => continue,
            };
            let default = default_of(n, property);
            out.push((id, property.to_string(), default));
        }
        out
    }
}

/// The control a `label` acts on: the element whose `id` its `for` names, else the first
/// control inside it.
fn label_target(tree: &Tree, label: NodeId) -> Option<NodeId> {
    const CONTROLS: &[&str] = &["switch", "checkbox", "radio", "button", "input", "textarea"];
    let wanted = tree.get(label)?.attrs.get("for").and_then(Value::as_str).map(str::to_string);
    let mut scope = Vec::new();
    match &wanted {
        Some(id) if !id.is_empty() => elements_under(tree, crate::view::tree::ROOT, &mut scope),
        _ => elements_under(tree, label, &mut scope),
    }
    scope.into_iter().find(|id| {
        tree.get(*id).is_some_and(|n| {
            CONTROLS.contains(&n.tag.as_str())
                && wanted.as_deref().is_none_or(|w| w.is_empty() || n.id_attr == w)
        })
    })
}
