//! Resolved visual style: [`VisualStyle::resolve`] turns a computed style into the plain
//! values of the render protocol's [`VisualStyle`] (`crate::render::style`, which says how
//! they are encoded): px numbers, `#rrggbbaa` colors and CSS keywords. Pure; any thread.

use float_pigment_css::property::NodeProperties;
use float_pigment_css::typing::{
    Angle, BorderRadius, BorderStyle, Color, Display, FontWeight, Length, LineHeight, Number,
    Overflow, TextAlign, Transform, TransformItem, TransformOrigin, Visibility, ZIndex,
};
use float_pigment_css::MediaQueryStatus;

use super::cascade::font_size_px;

pub use crate::render::style::VisualStyle;

/// A number, `calc()` numbers resolve to 0 (float-pigment's own accessor panics on them).
/// `-webkit-line-clamp` (`-wx-line-clamp`) as a line count, when it limits lines.
pub fn line_clamp(np: &NodeProperties) -> Option<u32> {
    let n = number(&np.wx_line_clamp());
    (n >= 1.0).then_some(n as u32)
}

pub fn number(n: &Number) -> f32 {
    match n {
        Number::F32(x) => *x,
        Number::I32(x) => *x as f32,
        Number::Calc(_) => 0.0,
    }
}

/// `[r, g, b, a]` of a computed color (`currentColor` resolves against `current`).
pub fn rgba(c: &Color, current: &Color) -> [u8; 4] {
    match c {
        Color::Specified(r, g, b, a) => [*r, *g, *b, *a],
        Color::CurrentColor => rgba(current, &Color::Specified(0, 0, 0, 255)),
        Color::Undefined => [0, 0, 0, 0],
    }
}

/// `#rrggbbaa`.
pub fn hex(c: [u8; 4]) -> String {
    format!("#{:02x}{:02x}{:02x}{:02x}", c[0], c[1], c[2], c[3])
}

/// Numeric font weight.
pub fn font_weight(w: &FontWeight) -> f32 {
    match w {
        FontWeight::Normal | FontWeight::Lighter => 400.0,
        FontWeight::Bold | FontWeight::Bolder => 700.0,
        FontWeight::Num(n) => number(n),
    }
}

/// Line height in px (`normal` = 1.2 × font size).
pub fn line_height_px(np: &NodeProperties, media: &MediaQueryStatus<f32>) -> f32 {
    let fs = font_size_px(np, 16.0);
    match np.line_height_ref() {
        LineHeight::Normal => 1.2 * fs,
        LineHeight::Num(n) => number(n) * fs,
        LineHeight::Length(l) => l.resolve_to_f32(media, fs, false).unwrap_or(1.2 * fs),
    }
}

/// Letter spacing in px; `None` for `normal`.
pub fn letter_spacing_px(np: &NodeProperties, media: &MediaQueryStatus<f32>) -> Option<f32> {
    match np.letter_spacing_ref() {
        float_pigment_css::typing::LetterSpacing::Length(l) => Some(px(l, media, 0.0)),
        _ => None,
    }
}

fn px(l: &Length, media: &MediaQueryStatus<f32>, base: f32) -> f32 {
    l.resolve_to_f32(media, base, false).unwrap_or(0.0)
}

/// A length as the protocol writes it: `N%` for a percentage, else `Npx`.
fn length_text(l: &Length, media: &MediaQueryStatus<f32>) -> String {
    match l {
        Length::Ratio(r) => format!("{}%", r * 100.0),
        other => format!("{}px", px(other, media, 0.0)),
    }
}

fn degrees(a: &Angle) -> Option<f32> {
    Some(match a {
        Angle::Deg(d) => *d,
        Angle::Grad(g) => g * 0.9,
        Angle::Rad(r) => r.to_degrees(),
        Angle::Turn(t) => t * 360.0,
        Angle::Calc(_) => return None,
    })
}

/// The transform in the protocol's fixed form (see [`VisualStyle::transform`]).
fn transform_text(np: &NodeProperties, media: &MediaQueryStatus<f32>) -> Option<String> {
    let Transform::Series(items) = np.transform_ref();
    let mut parts = Vec::new();
    for item in items.iter() {
        let part = match item {
            TransformItem::None | TransformItem::Perspective(_) => continue,
            TransformItem::Matrix([a, b, c, d, e, f]) => {
                format!("matrix({a}, {b}, {c}, {d}, {e}, {f})")
            }
            TransformItem::Matrix3D(m) => {
                format!("matrix({}, {}, {}, {}, {}, {})", m[0], m[1], m[4], m[5], m[12], m[13])
            }
            TransformItem::Translate2D(x, y) | TransformItem::Translate3D(x, y, _) => {
                format!("translate({}, {})", length_text(x, media), length_text(y, media))
            }
            TransformItem::Scale2D(x, y) | TransformItem::Scale3D(x, y, _) => {
                format!("scale({x}, {y})")
            }
            TransformItem::Rotate2D(a) => match degrees(a) {
                Some(d) => format!("rotate({d}deg)"),
                None => continue,
            },
            // a rotation about the z axis is a 2D rotation; others need 3D
            TransformItem::Rotate3D(x, y, z, a) if *x == 0.0 && *y == 0.0 && *z != 0.0 => {
                match degrees(a) {
                    Some(d) => format!("rotate({}deg)", if *z < 0.0 { -d } else { d }),
                    None => continue,
                }
            }
            TransformItem::Rotate3D(..) => continue,
            TransformItem::Skew(x, y) => match (degrees(x), degrees(y)) {
                (Some(x), Some(y)) => format!("skew({x}deg, {y}deg)"),
                _ => continue,
            },
        };
        parts.push(part);
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The transform origin as `[x, y]`, or `None` for the initial center.
fn transform_origin(np: &NodeProperties, media: &MediaQueryStatus<f32>) -> Option<[String; 2]> {
    let half = Length::Ratio(0.5);
    let (x, y) = match np.transform_origin_ref() {
        TransformOrigin::LengthTuple(x, y, _) => (x.clone(), y.clone()),
        TransformOrigin::Left => (Length::Ratio(0.0), half.clone()),
        TransformOrigin::Right => (Length::Ratio(1.0), half.clone()),
        TransformOrigin::Top => (half.clone(), Length::Ratio(0.0)),
        TransformOrigin::Bottom => (half.clone(), Length::Ratio(1.0)),
        TransformOrigin::Center => return None,
        TransformOrigin::Length(l) => (l.clone(), half.clone()),
    };
    (x != half || y != half).then(|| [length_text(&x, media), length_text(&y, media)])
}

fn border_width(w: &Length, s: &BorderStyle, media: &MediaQueryStatus<f32>) -> f32 {
    // the initial width is `medium` (3px) even when the style is none
    match s {
        BorderStyle::None | BorderStyle::Hidden => 0.0,
        _ => px(w, media, 0.0),
    }
}

fn radius(r: &BorderRadius, media: &MediaQueryStatus<f32>, width: f32) -> f32 {
    let BorderRadius::Pos(x, _) = r;
    px(x, media, width)
}

fn overflow_name(o: &Overflow) -> &'static str {
    match o {
        Overflow::Visible => "visible",
        Overflow::Hidden => "hidden",
        Overflow::Auto => "auto",
        Overflow::Scroll => "scroll",
    }
}

impl VisualStyle {
    /// Resolves `np`; `width` is the node's border-box width (for `%` radii).
    pub fn resolve(np: &NodeProperties, media: &MediaQueryStatus<f32>, width: f32) -> VisualStyle {
        let black = Color::Specified(0, 0, 0, 255);
        let current = np.color();
        let color = rgba(&current, &black);
        let bw = [
            border_width(np.border_top_width_ref(), np.border_top_style_ref(), media),
            border_width(np.border_right_width_ref(), np.border_right_style_ref(), media),
            border_width(np.border_bottom_width_ref(), np.border_bottom_style_ref(), media),
            border_width(np.border_left_width_ref(), np.border_left_style_ref(), media),
        ];
        let has_border = bw.iter().any(|w| *w > 0.0);
        let radii = [
            radius(np.border_top_left_radius_ref(), media, width),
            radius(np.border_top_right_radius_ref(), media, width),
            radius(np.border_bottom_right_radius_ref(), media, width),
            radius(np.border_bottom_left_radius_ref(), media, width),
        ];
        let background = rgba(np.background_color_ref(), &current);
        let overflow = [overflow_name(np.overflow_x_ref()), overflow_name(np.overflow_y_ref())];
        let opacity = number(np.opacity_ref());
        let text = |s: String| Some(s).filter(|s| !s.is_empty() && s != "none" && s != "normal");
        VisualStyle {
            display: matches!(np.display_ref(), Display::None).then(|| "none".to_string()),
            color: hex(color),
            font_size: font_size_px(np, 16.0),
            font_weight: font_weight(np.font_weight_ref()),
            line_height: line_height_px(np, media),
            font_style: text(np.font_style().to_string()),
            font_family: None,
            text_align: match np.text_align_ref() {
                TextAlign::Left | TextAlign::Start | TextAlign::MatchParent => None,
                other => Some(other.to_string()),
            },
            text_decoration: text(np.text_decoration_line().to_string()),
            letter_spacing: letter_spacing_px(np, media).filter(|l| *l != 0.0),
            white_space: text(np.white_space().to_string()),
            text_overflow: text(np.text_overflow().to_string()).filter(|s| s != "clip"),
            line_clamp: line_clamp(np),
            background_color: (background[3] > 0).then(|| hex(background)),
            background_image: text(np.background_image().to_string()),
            border_width: has_border.then_some(bw),
            border_color: has_border.then(|| {
                [
                    hex(rgba(np.border_top_color_ref(), &current)),
                    hex(rgba(np.border_right_color_ref(), &current)),
                    hex(rgba(np.border_bottom_color_ref(), &current)),
                    hex(rgba(np.border_left_color_ref(), &current)),
                ]
            }),
            border_style: has_border.then(|| {
                [
                    np.border_top_style().to_string(),
                    np.border_right_style().to_string(),
                    np.border_bottom_style().to_string(),
                    np.border_left_style().to_string(),
                ]
            }),
            border_radius: radii.iter().any(|r| *r > 0.0).then_some(radii),
            opacity: (opacity != 1.0).then_some(opacity),
            overflow: (overflow != ["visible", "visible"])
                .then(|| [overflow[0].to_string(), overflow[1].to_string()]),
            visibility: match np.visibility_ref() {
                Visibility::Visible => None,
                other => Some(other.to_string()),
            },
            transform: transform_text(np, media),
            transform_origin: transform_origin(np, media),
            z_index: match np.z_index_ref() {
                ZIndex::Auto => None,
                ZIndex::Num(n) => Some(number(n) as i32),
            },
            transition: Some(super::motion::transitions(np)).filter(|t| !t.is_empty()),
            animation: None,
        }
    }
}

/// The keyframes of `frames` resolved against the element's style `css` (border-box `width`
/// for percentages), each holding the visual fields that differ from the element's own.
pub fn keyframe_styles(
    frames: &float_pigment_css::sheet::KeyFrames,
    css: &NodeProperties,
    media: &MediaQueryStatus<f32>,
    width: f32,
) -> Vec<super::motion::Keyframe> {
    let base = serde_json::to_value(VisualStyle::resolve(css, media, width)).unwrap_or_default();
    let fs = font_size_px(css, 16.0);
    let mut out = Vec::new();
    for rule in &frames.keyframes {
        let mut np = css.clone();
        for pm in &rule.properties {
            pm.merge_to_node_properties(&mut np, None, fs);
        }
        let resolved =
            serde_json::to_value(VisualStyle::resolve(&np, media, width)).unwrap_or_default();
        let style = super::motion::changed_fields(&base, &resolved);
        for k in &rule.keyframe {
            out.push(super::motion::Keyframe { offset: k.ratio(), style: style.clone() });
        }
    }
    out.sort_by(|a, b| a.offset.total_cmp(&b.offset));
    out
}
