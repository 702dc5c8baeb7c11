//! The built-ins a native host draws as its own widgets, in WeChat's default look, from their
//! attributes and the box the core laid out: `<switch>`, `<checkbox>`, `<radio>`, `<slider>`,
//! `<progress>`, `<icon>`, and the text of `<input>` and `<textarea>` (the value, or the
//! placeholder in gray; no caret). Buttons and the other boxes are drawn from their styles
//! (the core's user-agent sheet gives `<button>` its look).

use miniapp_core::builtin::attribute_truthy;
use miniapp_core::style::visual::VisualStyle;
use serde_json::Value;
use tiny_skia::{Color, FillRule, Mask, Path, PathBuilder, Pixmap, Stroke, Transform};

use crate::color;
use crate::scene::Node;
use crate::shapes::{paint_of, rounded_rect};
use crate::text::Fonts;

/// WeChat's defaults.
const SWITCH_ON: &str = "#04be02";
const CHECK: &str = "#09bb07";
const SLIDER_ACTIVE: &str = "#1aad19";
const SLIDER_TRACK: &str = "#e9e9e9";
const PROGRESS_ACTIVE: &str = "#09bb07";
const PROGRESS_TRACK: &str = "#ebebeb";
const EDGE: &str = "#d1d1d1";
const PLACEHOLDER: &str = "#808080";

/// Where and how a widget is drawn.
pub(crate) struct Canvas<'a> {
    pub pixmap: &'a mut Pixmap,
    pub fonts: &'a mut Fonts,
    /// CSS px → device px.
    pub scale: f32,
    pub opacity: f32,
    pub clip: Option<&'a Mask>,
}

/// Draws `n`'s widget, if its tag has one, in its border box `rect` (CSS px on the picture).
pub(crate) fn draw(cv: &mut Canvas<'_>, n: &Node, tag: &str, rect: [f32; 4]) {
    let disabled = attribute_truthy(n.attrs.get("disabled"));
    if disabled {
        cv.opacity *= 0.7;
    }
    match tag {
        "switch" if text(n, &["type"]) == Some("checkbox") => checkbox(cv, n, rect, false),
        "switch" => switch(cv, n, rect),
        "checkbox" => checkbox(cv, n, rect, false),
        "radio" => checkbox(cv, n, rect, true),
        "slider" => slider(cv, n, rect),
        "progress" => progress(cv, n, rect),
        "icon" => icon(cv, n, rect),
        "input" | "textarea" => field(cv, n, tag == "textarea", rect),
        _ => {}
    }
}

fn text<'n>(n: &'n Node, names: &[&str]) -> Option<&'n str> {
    names.iter().find_map(|k| n.attrs.get(*k)).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn number(n: &Node, names: &[&str], default: f32) -> f32 {
    let v = names.iter().find_map(|k| n.attrs.get(*k));
    match v {
        Some(Value::Number(x)) => x.as_f64().map(|x| x as f32),
        Some(Value::String(s)) => s.trim().trim_end_matches("px").parse().ok(),
        _ => None,
    }
    .filter(|x: &f32| x.is_finite())
    .unwrap_or(default)
}

fn fixed(hex: &str) -> Color {
    color::parse(hex).unwrap_or(Color::BLACK)
}

fn color_attr(n: &Node, names: &[&str], default: &str) -> Color {
    text(n, names).and_then(color::parse).unwrap_or_else(|| fixed(default))
}

impl Canvas<'_> {
    fn fill(&mut self, path: Option<Path>, c: Color) {
        if let Some(path) = path {
            let paint = paint_of(c, self.opacity);
            self.pixmap.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                self.clip,
            );
        }
    }

    fn stroke(&mut self, path: Option<Path>, c: Color, width: f32) {
        if let Some(path) = path {
            let stroke = Stroke { width: width * self.scale, ..Stroke::default() };
            let paint = paint_of(c, self.opacity);
            self.pixmap.stroke_path(&path, &paint, &stroke, Transform::identity(), self.clip);
        }
    }

    /// A rounded rectangle in CSS px.
    fn rounded(&self, [x, y, w, h]: [f32; 4], r: f32) -> Option<Path> {
        let s = self.scale;
        rounded_rect([x * s, y * s, w * s, h * s], [r * s; 4])
    }

    fn circle(&self, cx: f32, cy: f32, r: f32) -> Option<Path> {
        let s = self.scale;
        PathBuilder::from_circle(cx * s, cy * s, (r * s).max(0.1))
    }

    /// A polyline through CSS px points.
    fn polyline(&self, points: &[(f32, f32)]) -> Option<Path> {
        let s = self.scale;
        let mut pb = PathBuilder::new();
        for (i, (x, y)) in points.iter().enumerate() {
            if i == 0 {
                pb.move_to(x * s, y * s);
            } else {
                pb.line_to(x * s, y * s);
            }
        }
        pb.finish()
    }

    fn label(&mut self, text: &str, style: &VisualStyle, rect: [f32; 4]) {
        let s = self.scale;
        let [x, y, w, h] = rect;
        self.fonts.draw(
            self.pixmap,
            text,
            style,
            [x * s, y * s, w * s, h * s],
            s,
            self.opacity,
            self.clip,
        );
    }
}

/// A check mark filling a `size` square at (`x`, `y`).
fn check_mark(cv: &mut Canvas<'_>, [x, y]: [f32; 2], size: f32, c: Color) {
    let p = |fx: f32, fy: f32| (x + fx * size, y + fy * size);
    let path = cv.polyline(&[p(0.22, 0.52), p(0.42, 0.72), p(0.78, 0.3)]);
    cv.stroke(path, c, (size * 0.1).max(1.0));
}

/// `<switch>`: a pill, gray-edged and white when off, filled with `color` when on, its knob
/// on the left or right.
fn switch(cv: &mut Canvas<'_>, n: &Node, [x, y, w, h]: [f32; 4]) {
    let (w, h) = (w.min(52.0).max(h.min(32.0)), h.min(32.0));
    let y = y + (n.frame[3] - h).max(0.0) / 2.0;
    let on = attribute_truthy(n.attrs.get("checked"));
    let r = h / 2.0;
    let track = if on { color_attr(n, &["color"], SWITCH_ON) } else { fixed("#dfdfdf") };
    cv.fill(cv.rounded([x, y, w, h], r), track);
    if !on {
        cv.fill(cv.rounded([x + 1.0, y + 1.0, w - 2.0, h - 2.0], r - 1.0), fixed("#fdfdfd"));
    }
    let knob_x = if on { x + w - r } else { x + r };
    cv.fill(cv.circle(knob_x, y + r + 0.5, r - 0.5), Color::from_rgba8(0, 0, 0, 60));
    cv.fill(cv.circle(knob_x, y + r, r - 1.0), Color::WHITE);
}

/// `<checkbox>` (a rounded square) and `<radio>` (a circle): gray-edged; checked, a check in
/// `color` (checkbox) or a disc of `color` with a white check (radio).
fn checkbox(cv: &mut Canvas<'_>, n: &Node, [x, y, w, h]: [f32; 4], round: bool) {
    let size = w.min(h).min(24.0);
    if size <= 0.0 {
        return;
    }
    let (x, y) = (x, y + (h - size) / 2.0);
    let on = attribute_truthy(n.attrs.get("checked"));
    let c = color_attr(n, &["color"], CHECK);
    let edge = fixed(EDGE);
    let shape = |cv: &Canvas<'_>, inset: f32| {
        let side = size - 2.0 * inset;
        if round {
            cv.circle(x + size / 2.0, y + size / 2.0, side / 2.0)
        } else {
            cv.rounded([x + inset, y + inset, side, side], 3.0)
        }
    };
    if round && on {
        cv.fill(shape(cv, 0.0), c);
        check_mark(cv, [x + size * 0.1, y + size * 0.1], size * 0.8, Color::WHITE);
        return;
    }
    let background = if attribute_truthy(n.attrs.get("disabled")) { "#e1e1e1" } else { "#ffffff" };
    cv.fill(shape(cv, 0.5), fixed(background));
    cv.stroke(shape(cv, 0.5), edge, 1.0);
    if on {
        check_mark(cv, [x, y], size, c);
    }
}

/// `<slider>`: a thin track, the part up to the value in the active color, a white round
/// thumb, and with `show-value` the value to the right.
fn slider(cv: &mut Canvas<'_>, n: &Node, [x, y, w, h]: [f32; 4]) {
    let (min, max) = (number(n, &["min"], 0.0), number(n, &["max"], 100.0));
    let value = number(n, &["value"], min).clamp(min.min(max), max.max(min));
    let ratio = if max > min { (value - min) / (max - min) } else { 0.0 };
    let show = attribute_truthy(n.attrs.get("show-value").or(n.attrs.get("showValue")));
    let value_box = if show { 3.0 * 14.0 * 0.6 + 14.0 } else { 0.0 };
    let track_w = (w - value_box).max(0.0);
    let cy = y + h / 2.0;
    let active = color_attr(
        n,
        &["active-color", "activeColor", "selected-color", "selectedColor"],
        SLIDER_ACTIVE,
    );
    let track = color_attr(n, &["background-color", "backgroundColor", "color"], SLIDER_TRACK);
    cv.fill(cv.rounded([x, cy - 1.0, track_w, 2.0], 1.0), track);
    cv.fill(cv.rounded([x, cy - 1.0, track_w * ratio, 2.0], 1.0), active);
    let block = number(n, &["block-size", "blockSize"], 28.0).clamp(12.0, 28.0);
    let knob = color_attr(n, &["block-color", "blockColor"], "#ffffff");
    let kx = x + track_w * ratio;
    cv.fill(cv.circle(kx, cy + 0.5, block / 2.0 + 0.5), Color::from_rgba8(0, 0, 0, 40));
    cv.fill(cv.circle(kx, cy, block / 2.0), knob);
    if show {
        let style = label_style(&n.style, "#888888", 14.0, None);
        let shown = format_number(value);
        cv.label(&shown, &style, [x + track_w + 14.0, cy - 10.0, value_box, 20.0]);
    }
}

/// `<progress>`: a bar `stroke-width` high across the box, filled to `percent` in the active
/// color, and with `show-info` the percentage to the right.
fn progress(cv: &mut Canvas<'_>, n: &Node, [x, y, w, h]: [f32; 4]) {
    let percent = number(n, &["percent"], 0.0).clamp(0.0, 100.0);
    let stroke = number(n, &["stroke-width", "strokeWidth"], 6.0).max(0.0);
    let radius = number(n, &["border-radius", "borderRadius"], 0.0).max(0.0);
    let show = attribute_truthy(n.attrs.get("show-info").or(n.attrs.get("showInfo")));
    let font = number(n, &["font-size", "fontSize"], 16.0).max(1.0);
    let shown = format!("{}%", format_number(percent));
    let info_w = if show {
        let spec = miniapp_core::layout::text::FontSpec {
            size: font,
            line_height: font * 1.4,
            weight: 400.0,
            italic: false,
            letter_spacing: 0.0,
        };
        cv.fonts.measure(&shown, &spec, None).width + 15.0
    } else {
        0.0
    };
    let bar_w = (w - info_w).max(0.0);
    let cy = y + h / 2.0;
    let active = color_attr(n, &["active-color", "activeColor", "color"], PROGRESS_ACTIVE);
    let track = color_attr(n, &["background-color", "backgroundColor"], PROGRESS_TRACK);
    cv.fill(cv.rounded([x, cy - stroke / 2.0, bar_w, stroke], radius), track);
    cv.fill(cv.rounded([x, cy - stroke / 2.0, bar_w * percent / 100.0, stroke], radius), active);
    if show {
        let style = label_style(&n.style, &n.style.color, font, None);
        cv.label(&shown, &style, [x + bar_w + 15.0, cy - font * 0.7, info_w, font * 1.4]);
    }
}

/// `<icon type>`: WeChat's icons drawn as shapes in the box (sized by the core from `size`).
fn icon(cv: &mut Canvas<'_>, n: &Node, [x, y, w, h]: [f32; 4]) {
    let size = w.min(h);
    if size <= 0.0 {
        return;
    }
    let kind = text(n, &["type"]).unwrap_or_default();
    let default = match kind {
        "success" | "success_no_circle" | "download" => "#09bb07",
        "info" | "waiting" | "info_circle" => "#10aeff",
        "warn" => "#f76260",
        "cancel" => "#f43530",
        "search" | "clear" => "#b2b2b2",
        _ => return,
    };
    let c = color_attr(n, &["color"], default);
    let (cx, cy, r) = (x + size / 2.0, y + size / 2.0, size / 2.0);
    let at = |fx: f32, fy: f32| (x + fx * size, y + fy * size);
    let line = size * 0.09;
    match kind {
        "success_no_circle" => check_mark(cv, [x, y], size, c),
        "search" => {
            cv.stroke(cv.circle(cx - r * 0.15, cy - r * 0.15, r * 0.55), c, line);
            cv.stroke(cv.polyline(&[at(0.66, 0.66), at(0.92, 0.92)]), c, line * 1.2);
        }
        _ => {
            cv.fill(cv.circle(cx, cy, r), c);
            let white = Color::WHITE;
            match kind {
                "success" => check_mark(cv, [x + size * 0.1, y + size * 0.1], size * 0.8, white),
                "cancel" | "clear" => {
                    cv.stroke(cv.polyline(&[at(0.33, 0.33), at(0.67, 0.67)]), white, line);
                    cv.stroke(cv.polyline(&[at(0.67, 0.33), at(0.33, 0.67)]), white, line);
                }
                "info" | "info_circle" => {
                    cv.fill(cv.circle(cx, y + size * 0.3, line * 0.7), white);
                    cv.stroke(cv.polyline(&[at(0.5, 0.43), at(0.5, 0.76)]), white, line);
                }
                "warn" => {
                    cv.stroke(cv.polyline(&[at(0.5, 0.24), at(0.5, 0.58)]), white, line);
                    cv.fill(cv.circle(cx, y + size * 0.72, line * 0.7), white);
                }
                "waiting" => {
                    cv.stroke(
                        cv.polyline(&[at(0.5, 0.22), at(0.5, 0.5), at(0.7, 0.62)]),
                        white,
                        line,
                    );
                }
                "download" => {
                    cv.stroke(cv.polyline(&[at(0.5, 0.25), at(0.5, 0.72)]), white, line);
                    cv.stroke(
                        cv.polyline(&[at(0.32, 0.55), at(0.5, 0.73), at(0.68, 0.55)]),
                        white,
                        line,
                    );
                }
                _ => {}
            }
        }
    }
}

/// `<input>` and `<textarea>`: the value in the field's style (dots for a password), or the
/// placeholder in gray (`placeholder-style`'s `color` when given); an input's one line is
/// centered vertically.
fn field(cv: &mut Canvas<'_>, n: &Node, multiline: bool, [x, y, w, h]: [f32; 4]) {
    let value = match n.attrs.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(x)) => x.to_string(),
        _ => String::new(),
    };
    let password =
        attribute_truthy(n.attrs.get("password")) || text(n, &["type"]) == Some("safe-password");
    let (shown, style) = if !value.is_empty() {
        let shown = if password { "•".repeat(value.chars().count()) } else { value };
        (shown, n.style.clone())
    } else if let Some(p) = text(n, &["placeholder"]) {
        let custom = text(n, &["placeholder-style", "placeholderStyle"]).and_then(|s| {
            s.split(';').find_map(|d| {
                let (k, v) = d.split_once(':')?;
                (k.trim() == "color").then(|| v.trim().to_string())
            })
        });
        let gray = custom.filter(|c| color::parse(c).is_some()).unwrap_or(PLACEHOLDER.into());
        (p.to_string(), label_style(&n.style, &gray, n.style.font_size, n.style.text_align.clone()))
    } else {
        return;
    };
    let mut style = style;
    if multiline {
        cv.label(&shown, &style, [x, y, w, h]);
    } else {
        style.white_space = Some("nowrap".into());
        let line = if style.line_height > 0.0 { style.line_height } else { style.font_size * 1.2 };
        cv.label(&shown, &style, [x, y + (h - line) / 2.0, w, line]);
    }
}

/// A one-line label in `base`'s font with another color and size.
fn label_style(base: &VisualStyle, color: &str, size: f32, align: Option<String>) -> VisualStyle {
    VisualStyle {
        color: color.to_string(),
        font_size: size,
        line_height: size * 1.4,
        white_space: Some("nowrap".into()),
        text_align: align,
        font_family: base.font_family.clone(),
        font_weight: 400.0,
        ..VisualStyle::default()
    }
}

/// A number as a person reads it: no trailing `.0`.
fn format_number(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}
