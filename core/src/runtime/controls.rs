//! What the host reports a user did to a built-in component, and what the core does about it.
//!
//! The host draws each built-in with a native view and reports user input as a
//! [`UserAction`] on the node ([`AppInstance::act`]). The core owns the semantics: it clamps and
//! converts the value the way WeChat's component would, updates the node's attribute (so
//! `model:` bindings, form submits and later reads see it), and fires the documented events
//! with their documented `detail`. Every action is one task and ends with a frame.
//!
//! | action | on | events (detail) |
//! |---|---|---|
//! | `tap` | any | touchstart, touchend, tap; then switch/checkbox/radio/label and form buttons ([`super::builtins::form`]) |
//! | `type {text}` | input, textarea | input {value, cursor, keyCode}; a returned string replaces the value |
//! | `focus {height}` / `blur` / `confirm` | input, textarea | focus {value, height}, blur {value, cursor}, confirm {value} (then blur unless confirm-hold) |
//! | `keyboardHeight {height, duration}` | input, textarea | keyboardheightchange {height, duration} |
//! | `slide {value, done}` | slider | changing {value} while dragging, change {value} on release |
//! | `pick {value, code?, postcode?}` | picker | change {value} (region adds code, postcode) |
//! | `pickColumn {column, index}` | picker (multiSelector) | columnchange {column, value} |
//! | `pickCancel` | picker | cancel {} |
//! | `pickerView {value}` | picker-view | pickstart, change {value}, pickend |
//! | `move {x, y}` | movable-view | change {x, y, source: "touch"} |
//! | `load {width, height}` / `error {message}` | image, cover-image | load {width, height}, error {errMsg} |
//! | `scroll {left, top}` / `refresh …` | scroll-view | see [`super::builtins::scroll_view`] |
//! | `swipe {current}` | swiper | see [`super::builtins::swiper`] |
//! | `clickOverlay` / `slideDown` | page-container | see [`super::builtins::page_container`] |
//! | `edit {html, text, delta?}`, `focus`, `blur` | editor | see [`super::builtins::editor`] |
//!
//! A disabled control ignores user input. Logic thread.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::builtins::form::{elements_under, prop, truthy};
use super::{AppInstance, RuntimeError};
use crate::builtin::picker;
use crate::view::NodeId;

/// One thing a user did to a component's native view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase", deny_unknown_fields)]
pub enum UserAction {
    /// A tap (touchstart, touchend, tap).
    Tap,
    /// The field's whole new text after a keystroke, paste or IME commit.
    Type {
        /// New text.
        text: String,
    },
    /// The field gained focus; the keyboard is `height` px tall.
    Focus {
        /// Keyboard height in px.
        #[serde(default)]
        height: f64,
    },
    /// The field lost focus.
    Blur,
    /// The user pressed the keyboard's confirm key.
    Confirm,
    /// The keyboard changed height.
    #[serde(rename_all = "camelCase")]
    KeyboardHeight {
        /// Keyboard height in px (0 when hidden).
        height: f64,
        /// Animation duration in ms.
        #[serde(default)]
        duration: f64,
    },
    /// The slider's thumb is at `value`; `done` when the finger lifted.
    Slide {
        /// Value under the thumb (snapped to `step` and clamped by the core).
        value: f64,
        /// True on release (fires `change`), false while dragging (fires `changing`).
        #[serde(default = "yes")]
        done: bool,
    },
    /// The user confirmed a picker choice.
    Pick {
        /// Index (selector), indices (multiSelector), `"HH:mm"` (time), `"YYYY-MM-DD"` (date)
        /// or `[province, city, district]` (region).
        value: Value,
        /// Region codes, when the host's region data has them.
        #[serde(default)]
        code: Option<Value>,
        /// Region postcode, when known.
        #[serde(default)]
        postcode: Option<Value>,
    },
    /// A multiSelector column moved to `index`.
    PickColumn {
        /// Column index.
        column: u32,
        /// Row index in that column.
        index: u32,
    },
    /// The picker was dismissed without a choice.
    PickCancel,
    /// A picker-view's columns settled at `value`.
    PickerView {
        /// Row index per column.
        value: Vec<i64>,
    },
    /// A movable-view was dragged to (`x`, `y`) px.
    Move {
        /// Left offset in px.
        x: f64,
        /// Top offset in px.
        y: f64,
    },
    /// An image finished loading; its natural size.
    Load {
        /// Natural width in px.
        width: f64,
        /// Natural height in px.
        height: f64,
    },
    /// An image failed to load.
    Error {
        /// Why.
        message: String,
    },
    /// A scroll-view's content offset is now (`left`, `top`).
    Scroll {
        /// Horizontal offset in px.
        #[serde(default)]
        left: f64,
        /// Vertical offset in px.
        #[serde(default)]
        top: f64,
    },
    /// The scroll-view's refresher: pulled `dy` px (`pulling`), released (`refresh`),
    /// sprung back (`restore`) or cancelled (`abort`).
    Refresher {
        /// `pulling`, `refresh`, `restore` or `abort`.
        phase: String,
        /// Pull distance in px.
        #[serde(default)]
        dy: f64,
    },
    /// The user swiped a swiper to item `current`.
    Swipe {
        /// Item index.
        current: i64,
    },
    /// The user changed an editor's content (its whole new content).
    Edit {
        /// Content as HTML.
        html: String,
        /// Content as plain text.
        text: String,
        /// Content as a delta (`{ops: [...]}`); default: one insert of `text`.
        #[serde(default)]
        delta: Option<Value>,
    },
    /// The user tapped a page-container's overlay.
    ClickOverlay,
    /// The user slid a page-container down.
    SlideDown,
}

fn yes() -> bool {
    true
}

/// A px value as JSON: whole numbers without a fraction (`150`, not `150.0`).
pub(super) fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

impl UserAction {
    /// Parses the JSON form hosts and scripts send (`{"action":"slide","value":40}`).
    pub fn from_json(text: &str) -> Result<UserAction, String> {
        serde_json::from_str(text).map_err(|e| {
            format!(
                "bad user action {text}: {e} (expected e.g. {{\"action\":\"type\",\"text\":\"Ann\"}}, \
                 {{\"action\":\"slide\",\"value\":40}}, {{\"action\":\"pick\",\"value\":2}}, \
                 {{\"action\":\"scroll\",\"top\":300}}, {{\"action\":\"swipe\",\"current\":1}})"
            )
        })
    }

    /// The action's name as written in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            UserAction::Tap => "tap",
            UserAction::Type { .. } => "type",
            UserAction::Focus { .. } => "focus",
            UserAction::Blur => "blur",
            UserAction::Confirm => "confirm",
            UserAction::KeyboardHeight { .. } => "keyboardHeight",
            UserAction::Slide { .. } => "slide",
            UserAction::Pick { .. } => "pick",
            UserAction::PickColumn { .. } => "pickColumn",
            UserAction::PickCancel => "pickCancel",
            UserAction::PickerView { .. } => "pickerView",
            UserAction::Move { .. } => "move",
            UserAction::Load { .. } => "load",
            UserAction::Error { .. } => "error",
            UserAction::Scroll { .. } => "scroll",
            UserAction::Refresher { .. } => "refresher",
            UserAction::Swipe { .. } => "swipe",
            UserAction::Edit { .. } => "edit",
            UserAction::ClickOverlay => "clickOverlay",
            UserAction::SlideDown => "slideDown",
        }
    }

    /// The components the action applies to (empty: any element).
    fn targets(&self) -> &'static [&'static str] {
        match self {
            UserAction::Tap => &[],
            UserAction::Type { .. } | UserAction::Confirm | UserAction::KeyboardHeight { .. } => {
                &["input", "textarea"]
            }
            UserAction::Focus { .. } | UserAction::Blur => &["input", "textarea", "editor"],
            UserAction::Edit { .. } => &["editor"],
            UserAction::Slide { .. } => &["slider"],
            UserAction::Pick { .. } | UserAction::PickColumn { .. } | UserAction::PickCancel => {
                &["picker"]
            }
            UserAction::PickerView { .. } => &["picker-view"],
            UserAction::Move { .. } => &["movable-view"],
            UserAction::Load { .. } | UserAction::Error { .. } => &["image", "cover-image"],
            UserAction::Scroll { .. } | UserAction::Refresher { .. } => &["scroll-view"],
            UserAction::Swipe { .. } => &["swiper"],
            UserAction::ClickOverlay | UserAction::SlideDown => &["page-container"],
        }
    }
}

impl AppInstance {
    /// Performs what the user did to `node`'s native view (see the module table). Fails when
    /// the action does not apply to the node's component; a disabled control ignores it.
    pub fn act(&mut self, node: NodeId, action: &UserAction) -> Result<(), RuntimeError> {
        let (tag, disabled) = {
            let tree = self.state.tree.borrow();
            let n = tree.get(node).ok_or(RuntimeError::NoSuchNode(node))?;
            (n.tag.clone(), truthy(n, "disabled"))
        };
        let targets = action.targets();
        if !targets.is_empty() && !targets.contains(&tag.as_str()) {
            return Err(RuntimeError::Action(format!(
                "`{}` applies to <{}>, not to <{tag}> (node {node})",
                action.name(),
                targets.join(">, <")
            )));
        }
        if disabled && !matches!(action, UserAction::Tap | UserAction::Scroll { .. }) {
            return Ok(());
        }
        match action {
            UserAction::Tap => self.tap(node).map(drop),
            UserAction::Type { text } => self.type_text(node, text).map(drop),
            UserAction::Focus { .. } if tag == "editor" => self.editor_focus(node, "focus"),
            UserAction::Blur if tag == "editor" => self.editor_focus(node, "blur"),
            UserAction::Edit { html, text, delta } => {
                self.editor_edit(node, html, text, delta.as_ref())
            }
            UserAction::Focus { height } => {
                let value = self.prop(node, "value");
                self.input_value(
                    node,
                    "focus",
                    json!(true),
                    "focus",
                    json!({ "value": value, "height": height }),
                )?;
                if *height > 0.0 {
                    self.dispatch(
                        node,
                        "keyboardheightchange",
                        json!({ "height": height, "duration": 0 }),
                    )?;
                }
                Ok(())
            }
            UserAction::Blur => self.blur(node),
            UserAction::Confirm => {
                let value = self.prop(node, "value");
                self.dispatch(node, "confirm", json!({ "value": value }))?;
                if !self.truthy(node, "confirm-hold") && tag == "input" {
                    self.blur(node)?;
                }
                Ok(())
            }
            UserAction::KeyboardHeight { height, duration } => self
                .dispatch(
                    node,
                    "keyboardheightchange",
                    json!({ "height": height, "duration": duration }),
                )
                .map(drop),
            UserAction::Slide { value, done } => self.slide(node, *value, *done),
            UserAction::Pick { value, code, postcode } => {
                self.pick(node, value, code.as_ref(), postcode.as_ref())
            }
            UserAction::PickColumn { column, index } => {
                let mode = self.prop(node, "mode");
                if mode.as_str() != Some("multiSelector") {
                    return Err(RuntimeError::Action(format!(
                        "`pickColumn` needs a <picker mode=\"multiSelector\">, node {node} is mode {mode}"
                    )));
                }
                self.dispatch(node, "columnchange", json!({ "column": column, "value": index }))
                    .map(drop)
            }
            UserAction::PickCancel => self.dispatch(node, "cancel", json!({})).map(drop),
            UserAction::PickerView { value } => self.picker_view(node, value),
            UserAction::Move { x, y } => self.move_view(node, *x, *y),
            UserAction::Load { width, height } => {
                // widthFix/heightFix images size themselves from it in the next layout
                let _ = self.state.tree.borrow_mut().set_natural_size(
                    node,
                    *width as f32,
                    *height as f32,
                );
                let detail = json!({ "width": number(*width), "height": number(*height) });
                self.dispatch(node, "load", detail).map(drop)
            }
            UserAction::Error { message } => {
                self.dispatch(node, "error", json!({ "errMsg": message })).map(drop)
            }
            UserAction::Scroll { left, top } => self.user_scroll(node, *left, *top),
            UserAction::Refresher { phase, dy } => self.refresher(node, phase, *dy),
            UserAction::Swipe { current } => self.swipe(node, *current, "touch"),
            UserAction::ClickOverlay => self.page_container_gesture(node, false),
            UserAction::SlideDown => self.page_container_gesture(node, true),
        }
    }

    /// A property's current value on `node` (its attribute converted, or the default).
    pub(super) fn prop(&self, node: NodeId, name: &str) -> Value {
        self.state.tree.borrow().get(node).map_or(Value::Null, |n| prop(n, name))
    }

    pub(super) fn truthy(&self, node: NodeId, name: &str) -> bool {
        self.prop(node, name).as_bool().unwrap_or(false)
    }

    fn num(&self, node: NodeId, name: &str) -> f64 {
        self.prop(node, name).as_f64().unwrap_or(0.0)
    }

    fn blur(&mut self, node: NodeId) -> Result<(), RuntimeError> {
        let value = self.prop(node, "value");
        let cursor = value.as_str().map_or(0, |s| s.chars().count());
        self.input_value(
            node,
            "focus",
            json!(false),
            "blur",
            json!({ "value": value, "cursor": cursor }),
        )?;
        Ok(())
    }

    fn slide(&mut self, node: NodeId, value: f64, done: bool) -> Result<(), RuntimeError> {
        let (min, max, step) =
            (self.num(node, "min"), self.num(node, "max"), self.num(node, "step"));
        let value = number(picker::snap(value, min, max, step));
        let event = if done { "change" } else { "changing" };
        self.input_value(node, "value", value.clone(), event, json!({ "value": value }))?;
        Ok(())
    }

    fn pick(
        &mut self,
        node: NodeId,
        value: &Value,
        code: Option<&Value>,
        postcode: Option<&Value>,
    ) -> Result<(), RuntimeError> {
        let (mode, range) = (self.prop(node, "mode"), self.prop(node, "range"));
        let bounds = (self.prop(node, "start"), self.prop(node, "end"), self.prop(node, "fields"));
        let mode = mode.as_str().unwrap_or("selector");
        let value = picker::normalise(mode, value, &range, &bounds)
            .map_err(|e| RuntimeError::Action(format!("pick on node {node}: {e}")))?;
        let mut detail = json!({ "value": value });
        if mode == "region" {
            detail["code"] = code.cloned().unwrap_or_else(|| json!([]));
            detail["postcode"] = postcode.cloned().unwrap_or_else(|| json!(""));
        }
        self.input_value(node, "value", value, "change", detail)?;
        Ok(())
    }

    fn picker_view(&mut self, node: NodeId, value: &[i64]) -> Result<(), RuntimeError> {
        let rows: Vec<usize> = {
            let tree = self.state.tree.borrow();
            let mut all = Vec::new();
            elements_under(&tree, node, &mut all);
            all.into_iter()
                .filter(|id| tree.get(*id).is_some_and(|n| n.tag == "picker-view-column"))
                .map(|col| tree.element_children(col).len())
                .collect()
        };
        let value: Vec<i64> = value
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let last = rows.get(i).map_or(0, |n| n.saturating_sub(1)) as i64;
                (*v).clamp(0, last)
            })
            .collect();
        self.dispatch(node, "pickstart", json!({}))?;
        self.input_value(node, "value", json!(value), "change", json!({ "value": value }))?;
        self.dispatch(node, "pickend", json!({}))?;
        Ok(())
    }

    fn move_view(&mut self, node: NodeId, x: f64, y: f64) -> Result<(), RuntimeError> {
        let direction = self.prop(node, "direction");
        let (mut x, mut y) = match direction.as_str() {
            Some("all") => (x, y),
            Some("horizontal") => (x, self.num(node, "y")),
            Some("vertical") => (self.num(node, "x"), y),
            _ => return Ok(()),
        };
        if !self.truthy(node, "out-of-bounds") {
            let area = self.ancestors(node)?.into_iter().skip(1).find(|id| {
                self.state.tree.borrow().get(*id).is_some_and(|n| n.tag == "movable-area")
            });
            if let (Some(area), Some(own)) = (area.and_then(|a| self.frame(a)), self.frame(node)) {
                x = x.clamp(0.0, f64::from((area.width - own.width).max(0.0)));
                y = y.clamp(0.0, f64::from((area.height - own.height).max(0.0)));
            }
        }
        let (x, y) = (number(x), number(y));
        self.input_value(node, "x", x.clone(), "", Value::Null)?;
        self.input_value(
            node,
            "y",
            y.clone(),
            "change",
            json!({ "x": x, "y": y, "source": "touch" }),
        )?;
        Ok(())
    }
}
