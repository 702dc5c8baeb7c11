//! Shapes and paints every painting module uses: rectangles in device px, rounded rectangles
//! with per-corner radii, and a color's paint at an opacity. A leaf: plain functions.

use tiny_skia::{Paint, Path, PathBuilder, Rect};

/// Paint of a color with an extra opacity.
pub(crate) fn paint_of(c: tiny_skia::Color, opacity: f32) -> Paint<'static> {
    let mut c = c;
    c.apply_opacity(opacity);
    let mut paint = Paint::default();
    paint.set_color(c);
    paint.anti_alias = true;
    paint
}

pub(crate) fn scaled([x, y, w, h]: [f32; 4], s: f32) -> [f32; 4] {
    [x * s, y * s, w * s, h * s]
}

pub(crate) fn rect_of([x, y, w, h]: [f32; 4]) -> Option<Rect> {
    Rect::from_xywh(x, y, w, h)
}

/// A rectangle with corner radii `[top-left, top-right, bottom-right, bottom-left]` (each
/// limited to half the shorter side); `None` for an empty one.
pub(crate) fn rounded_rect([x, y, w, h]: [f32; 4], radii: [f32; 4]) -> Option<Path> {
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    if radii.iter().all(|r| *r <= 0.0) {
        return Some(PathBuilder::from_rect(rect_of([x, y, w, h])?));
    }
    let max = w.min(h) / 2.0;
    let [tl, tr, br, bl] = radii.map(|r| r.clamp(0.0, max));
    // cubic Bézier handle length for a quarter circle
    const K: f32 = 0.552_284_8;
    let mut pb = PathBuilder::new();
    pb.move_to(x + tl, y);
    pb.line_to(x + w - tr, y);
    pb.cubic_to(x + w - tr + tr * K, y, x + w, y + tr - tr * K, x + w, y + tr);
    pb.line_to(x + w, y + h - br);
    pb.cubic_to(x + w, y + h - br + br * K, x + w - br + br * K, y + h, x + w - br, y + h);
    pb.line_to(x + bl, y + h);
    pb.cubic_to(x + bl - bl * K, y + h, x, y + h - bl + bl * K, x, y + h - bl);
    pb.line_to(x, y + tl);
    pb.cubic_to(x, y + tl - tl * K, x + tl - tl * K, y, x + tl, y);
    pb.close();
    pb.finish()
}
