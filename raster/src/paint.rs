//! Painting boxes: each node at its frame (relative to its parent, minus the parent's scroll
//! offset), children in z-index order (stable, so document order breaks ties), opacity
//! multiplied down the tree, backgrounds and borders with corner radii, and `overflow` other
//! than visible clipping the children to the padding box's rounded shape. A swiper's items are
//! laid side by side (or stacked, `vertical`) and shown from its `current` one.

use miniapp_core::style::visual::VisualStyle;
use miniapp_core::view::NodeId;
use tiny_skia::{
    FillRule, FilterQuality, Mask, Paint, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke, Transform,
};

use crate::color;
use crate::image::Images;
use crate::scene::{Node, Scene};
use crate::shapes::{paint_of, rect_of, rounded_rect, scaled};
use crate::text::Fonts;
use crate::{transform, widgets};

/// Paints one subtree.
pub(crate) struct Painter<'a, 'i> {
    pub scene: &'a Scene,
    pub fonts: &'a mut Fonts,
    pub images: &'a mut Images<'i>,
    pub pixmap: &'a mut Pixmap,
    /// CSS px → device px.
    pub scale: f32,
}

impl Painter<'_, '_> {
    /// Paints `id` with its parent's border box at `origin` (CSS px, on the picture).
    pub fn node(&mut self, id: NodeId, origin: [f32; 2], opacity: f32, clip: Option<&Mask>) {
        let Some(n) = self.scene.nodes.get(&id) else { return };
        let style = &n.style;
        if style.display.as_deref() == Some("none") {
            return;
        }
        let [fx, fy, w, h] = n.frame;
        let (x, y) = (origin[0] + fx, origin[1] + fy);
        let opacity = opacity * style.opacity.unwrap_or(1.0).clamp(0.0, 1.0);
        if opacity <= 0.0 {
            return;
        }
        let visible = style.visibility.is_none();
        let s = self.scale;
        if n.tag.is_none() {
            if visible {
                self.fonts.draw(
                    self.pixmap,
                    &n.text,
                    style,
                    [x * s, y * s, w * s, h * s],
                    s,
                    opacity,
                    clip,
                );
            }
            return;
        }
        if let Some(t) = style.transform.as_deref().and_then(|t| {
            transform::about_origin(t, style.transform_origin.as_ref(), [x, y, w, h], s)
        }) {
            self.transformed(n, [x, y], opacity, t, clip);
            return;
        }
        self.untransformed(n, [x, y, w, h], opacity, clip);
    }

    /// Paints a transformed box: the subtree into a layer of the picture's size, as if it were
    /// not transformed, then the layer through `t` (ancestors' clips apply after it).
    fn transformed(
        &mut self,
        n: &Node,
        [x, y]: [f32; 2],
        opacity: f32,
        t: Transform,
        clip: Option<&Mask>,
    ) {
        let Some(mut layer) = Pixmap::new(self.pixmap.width(), self.pixmap.height()) else {
            return;
        };
        let mut inner = Painter {
            scene: self.scene,
            fonts: &mut *self.fonts,
            images: &mut *self.images,
            pixmap: &mut layer,
            scale: self.scale,
        };
        inner.untransformed(n, [x, y, n.frame[2], n.frame[3]], opacity, None);
        let paint = PixmapPaint { quality: FilterQuality::Bilinear, ..PixmapPaint::default() };
        self.pixmap.draw_pixmap(0, 0, layer.as_ref(), &paint, t, clip);
    }

    /// Paints `n` (a box) at `[x, y, w, h]` (CSS px on the picture) and its children.
    fn untransformed(
        &mut self,
        n: &Node,
        [x, y, w, h]: [f32; 4],
        opacity: f32,
        clip: Option<&Mask>,
    ) {
        let style = &n.style;
        let visible = style.visibility.is_none();
        let s = self.scale;
        let radii = style.border_radius.unwrap_or([0.0; 4]);
        if visible {
            self.background(style, [x, y, w, h], radii, opacity, clip);
            if n.tag.as_deref() == Some("image") {
                let text = |k: &str| n.attrs.get(k).and_then(|v| v.as_str()).unwrap_or_default();
                let mode = if text("mode").is_empty() { "scaleToFill" } else { text("mode") };
                let rect = scaled([x, y, w, h], s);
                let radii = radii.map(|r| r * s);
                self.images.draw(self.pixmap, text("src"), mode, rect, radii, opacity, clip);
            }
            if let Some(tag) = n.tag.as_deref() {
                let mut canvas = widgets::Canvas {
                    pixmap: &mut *self.pixmap,
                    fonts: &mut *self.fonts,
                    scale: s,
                    opacity,
                    clip,
                };
                widgets::draw(&mut canvas, n, tag, [x, y, w, h]);
            }
            self.borders(style, [x, y, w, h], radii, opacity, clip);
        }
        let clips = style.overflow.as_ref().is_some_and(|o| o.iter().any(|v| v != "visible"));
        let own_clip = if clips { self.clip_to(clip, [x, y, w, h], radii) } else { None };
        let clip = own_clip.as_ref().or(clip);
        let child_origin = [x - n.scroll[0], y - n.scroll[1]];
        let pager = (n.tag.as_deref() == Some("swiper")).then(|| swiper_pages(n));
        for child in self.stacking_order(n) {
            let mut at = child_origin;
            if let Some((current, vertical)) = pager {
                // a swiper is a pager: item i sits i - current pages from the window
                let i = n.children.iter().position(|c| *c == child).unwrap_or(0) as f32;
                let axis = usize::from(vertical);
                at[axis] += (i - current) * if vertical { h } else { w };
            }
            self.node(child, at, opacity, clip);
        }
    }

    /// Children by z-index, document order within one.
    fn stacking_order(&self, n: &Node) -> Vec<NodeId> {
        let mut kids: Vec<(i32, usize, NodeId)> = n
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let z = self.scene.nodes.get(c).and_then(|k| k.style.z_index).unwrap_or(0);
                (z, i, *c)
            })
            .collect();
        kids.sort();
        kids.into_iter().map(|(_, _, c)| c).collect()
    }

    fn background(
        &mut self,
        style: &VisualStyle,
        rect: [f32; 4],
        radii: [f32; 4],
        opacity: f32,
        clip: Option<&Mask>,
    ) {
        let Some(path) = rounded_rect(scaled(rect, self.scale), radii.map(|r| r * self.scale))
        else {
            return;
        };
        if let Some(c) = style.background_color.as_deref().and_then(color::parse) {
            let paint = paint_of(c, opacity);
            self.pixmap.fill_path(&path, &paint, FillRule::Winding, Transform::identity(), clip);
        }
        let gradient = style.background_image.as_deref().and_then(color::linear_gradient);
        if let Some(paint) =
            gradient.and_then(|g| gradient_paint(g, scaled(rect, self.scale), opacity))
        {
            self.pixmap.fill_path(&path, &paint, FillRule::Winding, Transform::identity(), clip);
        }
    }

    fn borders(
        &mut self,
        style: &VisualStyle,
        [x, y, w, h]: [f32; 4],
        radii: [f32; 4],
        opacity: f32,
        clip: Option<&Mask>,
    ) {
        let (Some(widths), Some(colors)) = (style.border_width, style.border_color.as_ref()) else {
            return;
        };
        let drawn = |i: usize| {
            widths[i] > 0.0
                && style.border_style.as_ref().is_none_or(|st| st[i] != "none" && st[i] != "hidden")
        };
        let s = self.scale;
        let uniform = (1..4)
            .all(|i| widths[i] == widths[0] && colors[i] == colors[0] && drawn(i) == drawn(0));
        if uniform && drawn(0) && radii.iter().any(|r| *r > 0.0) {
            // one stroke along the rounded edge, inset by half its width
            let bw = widths[0];
            let inset = [x + bw / 2.0, y + bw / 2.0, w - bw, h - bw];
            let Some(path) =
                rounded_rect(scaled(inset, s), radii.map(|r| (r - bw / 2.0).max(0.0) * s))
            else {
                return;
            };
            let Some(c) = color::parse(&colors[0]) else { return };
            let stroke = Stroke { width: bw * s, ..Stroke::default() };
            self.pixmap.stroke_path(
                &path,
                &paint_of(c, opacity),
                &stroke,
                Transform::identity(),
                clip,
            );
            return;
        }
        // each side as a band: top, right, bottom, left
        let bands = [
            [x, y, w, widths[0]],
            [x + w - widths[1], y, widths[1], h],
            [x, y + h - widths[2], w, widths[2]],
            [x, y, widths[3], h],
        ];
        for (i, band) in bands.iter().enumerate() {
            if !drawn(i) {
                continue;
            }
            let (Some(c), Some(r)) = (color::parse(&colors[i]), rect_of(scaled(*band, s))) else {
                continue;
            };
            self.pixmap.fill_rect(r, &paint_of(c, opacity), Transform::identity(), clip);
        }
    }

    /// A mask for the children: `parent` (if any) narrowed to this box's rounded shape.
    fn clip_to(&self, parent: Option<&Mask>, rect: [f32; 4], radii: [f32; 4]) -> Option<Mask> {
        let path = rounded_rect(scaled(rect, self.scale), radii.map(|r| r * self.scale));
        let mut mask = match parent {
            Some(p) => p.clone(),
            None => {
                let mut m = Mask::new(self.pixmap.width(), self.pixmap.height())?;
                m.fill_path(
                    &PathBuilder::from_rect(Rect::from_xywh(
                        0.0,
                        0.0,
                        self.pixmap.width() as f32,
                        self.pixmap.height() as f32,
                    )?),
                    FillRule::Winding,
                    false,
                    Transform::identity(),
                );
                m
            }
        };
        match path {
            Some(p) => mask.intersect_path(&p, FillRule::Winding, true, Transform::identity()),
            // an empty box clips everything away
            None => mask.clear(),
        }
        Some(mask)
    }
}

/// A swiper's current item and whether it pages vertically (its `current` and `vertical`
/// attributes, which the core updates on swipes and autoplay).
fn swiper_pages(n: &Node) -> (f32, bool) {
    let current = match n.attrs.get("current") {
        Some(serde_json::Value::Number(c)) => c.as_f64().unwrap_or(0.0) as f32,
        Some(serde_json::Value::String(c)) => c.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    };
    let vertical = miniapp_core::builtin::attribute_truthy(n.attrs.get("vertical"));
    (current.max(0.0), vertical)
}

/// A CSS linear gradient over the box (device px): the gradient line through the center at
/// `angle`, as long as the box's extent along it, so the corners get the end colors.
fn gradient_paint(
    (angle, stops): (f32, Vec<(tiny_skia::Color, f32)>),
    [x, y, w, h]: [f32; 4],
    opacity: f32,
) -> Option<Paint<'static>> {
    let a = angle.to_radians();
    let (dx, dy) = (a.sin(), -a.cos());
    let half = (w * dx.abs() + h * dy.abs()) / 2.0;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let stops = stops
        .into_iter()
        .map(|(mut c, p)| {
            c.apply_opacity(opacity);
            tiny_skia::GradientStop::new(p, c)
        })
        .collect();
    let shader = tiny_skia::LinearGradient::new(
        tiny_skia::Point::from_xy(cx - dx * half, cy - dy * half),
        tiny_skia::Point::from_xy(cx + dx * half, cy + dy * half),
        stops,
        tiny_skia::SpreadMode::Pad,
        Transform::identity(),
    )?;
    Some(Paint { shader, anti_alias: true, ..Paint::default() })
}
