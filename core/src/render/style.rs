//! The style data a `set_style` op carries: [`VisualStyle`] (what a native view needs to paint
//! a node, as plain values: px numbers, `#rrggbbaa` colors, CSS keywords), with the CSS
//! transitions and animations the host plays. Fields at their initial value are left out of
//! the serialized form (the host treats a missing field as the initial value), except the text
//! properties (`color`, `fontSize`, `fontWeight`, `lineHeight`), which every node carries
//! because they inherit. Resolution from computed styles is `style::visual` and
//! `style::motion`. Plain data; any thread.

use serde::Serialize;
use serde_json::{Map, Value};

/// The paint-relevant style of one node (see the module docs for the encoding).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct VisualStyle {
    /// `none` when the node is not displayed (its frame is empty too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Text color.
    pub color: String,
    /// Font size in px.
    pub font_size: f32,
    /// Numeric font weight (400 normal, 700 bold).
    pub font_weight: f32,
    /// Line height in px.
    pub line_height: f32,
    /// `italic` or `oblique`; absent for normal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub font_style: Option<String>,
    /// Font family list as written; absent when inherited from the host default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub font_family: Option<String>,
    /// `center`, `right`, `justify`…; absent for the start edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_align: Option<String>,
    /// `underline`, `line-through`…; absent for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_decoration: Option<String>,
    /// Letter spacing in px; absent for normal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter_spacing: Option<f32>,
    /// `nowrap`, `pre`…; absent for normal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub white_space: Option<String>,
    /// `ellipsis`; absent for clip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_overflow: Option<String>,
    /// At most this many lines, the last ending in an ellipsis (`-webkit-line-clamp`); on the
    /// element and on its text runs; absent for no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_clamp: Option<u32>,
    /// Background color; absent when transparent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_color: Option<String>,
    /// Background image (`url(...)`, gradients) as CSS text; absent for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_image: Option<String>,
    /// Border widths `[top, right, bottom, left]` in px; absent when all zero.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border_width: Option<[f32; 4]>,
    /// Border colors `[top, right, bottom, left]`; present with `borderWidth`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border_color: Option<[String; 4]>,
    /// Border styles `[top, right, bottom, left]`; present with `borderWidth`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border_style: Option<[String; 4]>,
    /// Corner radii `[top-left, top-right, bottom-right, bottom-left]` in px; absent when 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border_radius: Option<[f32; 4]>,
    /// Opacity; absent when 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opacity: Option<f32>,
    /// `[x, y]` overflow (`hidden`, `scroll`, `auto`); absent when both visible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overflow: Option<[String; 2]>,
    /// `hidden` or `collapse`; absent when visible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Transform as CSS text in a fixed form: `translate(Xpx|X%, Ypx|Y%)`, `scale(x, y)`,
    /// `rotate(Ndeg)`, `skew(Ndeg, Ndeg)`, `matrix(a, b, c, d, e, f)` (e, f in px), in the
    /// author's order; lengths resolved to px, percentages of the node's own box kept. 3D
    /// items other than a rotation about the z axis are left out (the host draws in 2D).
    /// Absent for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transform: Option<String>,
    /// `[x, y]` transform origin, each `Npx` or `N%` of the node's box; absent for the
    /// initial `50% 50%`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transform_origin: Option<[String; 2]>,
    /// Stacking order; absent for auto.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z_index: Option<i32>,
    /// CSS transitions the host plays on later changes of these properties; absent for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition: Option<Vec<Transition>>,
    /// CSS animations with resolved keyframes, which the host plays from when it receives
    /// them; absent for none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub animation: Option<Vec<Animation>>,
}

/// One `transition` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    /// The CSS property (`opacity`, `transform`, `all`…).
    pub property: String,
    /// Duration in ms.
    pub duration: f32,
    /// `ease`, `linear`, `cubic-bezier(…)`, `steps(…)`.
    pub timing_function: String,
    /// Delay in ms (negative starts part-way).
    pub delay: f32,
}

/// One `animation` entry without its keyframes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnimationTiming {
    /// The `@keyframes` name.
    pub name: String,
    /// Duration of one iteration in ms.
    pub duration: f32,
    /// Timing function as CSS text.
    pub timing_function: String,
    /// Delay in ms.
    pub delay: f32,
    /// Iterations; absent for `infinite`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iteration_count: Option<f32>,
    /// `normal`, `reverse`, `alternate`, `alternate-reverse`.
    pub direction: String,
    /// `none`, `forwards`, `backwards`, `both`.
    pub fill_mode: String,
}

/// One keyframe: its offset (0–1) and the visual fields it sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyframe {
    /// Offset in the iteration, 0 to 1.
    pub offset: f32,
    /// Resolved visual fields (as in `set_style`) that differ from the element's own.
    pub style: Map<String, Value>,
}

/// An animation as the host receives it in `set_style`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Animation {
    /// Timing.
    #[serde(flatten)]
    pub timing: AnimationTiming,
    /// Keyframes by offset; empty when no `@keyframes` of that name is visible.
    pub keyframes: Vec<Keyframe>,
}
