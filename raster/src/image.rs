//! `<image>`: the package's PNG, JPEG, GIF (first frame) and WebP files, decoded with the
//! `image` crate and drawn into the box by `mode` as WeChat draws them — `scaleToFill` (the
//! default), `aspectFit`, `aspectFill`, `widthFix`/`heightFix` (the core sized the box) and the
//! unscaled `top`, `bottom`, `center`, `left`, `right`, `top left`, … — clipped to the box's
//! rounded shape. The host reads files through an [`ImageSource`] (a [`Package`] is one);
//! network images are not fetched here.
//!
//! [`Package`]: miniapp_core::package::Package

use std::collections::HashMap;

use tiny_skia::{FilterQuality, Mask, Paint, Pattern, Pixmap, SpreadMode, Transform};

use crate::shapes::rounded_rect;

/// Where a picture's images come from: the bytes of a package path (`/images/a.png`), or
/// `None` when there is no such file.
pub trait ImageSource {
    /// The file's bytes.
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}

impl<T: ImageSource + ?Sized> ImageSource for Box<T> {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        (**self).read(path)
    }
}

/// No images (they are left blank).
pub struct NoImages;

impl ImageSource for NoImages {
    fn read(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
}

/// A package as the core opened it, a directory or a ZIP: its files (`read_asset`); network
/// and temporary-file paths are not package files.
impl ImageSource for miniapp_core::package::Package {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        if path.contains("://") {
            return None;
        }
        self.read_asset(path).ok()
    }
}

/// Decoded images, by path, for one picture.
pub(crate) struct Images<'a> {
    source: &'a dyn ImageSource,
    decoded: HashMap<String, Option<Pixmap>>,
}

impl<'a> Images<'a> {
    pub fn new(source: &'a dyn ImageSource) -> Images<'a> {
        Images { source, decoded: HashMap::new() }
    }

    fn get(&mut self, src: &str) -> Option<&Pixmap> {
        let source = self.source;
        self.decoded.entry(src.to_string()).or_insert_with(|| decode(&source.read(src)?)).as_ref()
    }

    /// Draws `src` into the box (device px) by `mode`.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        target: &mut Pixmap,
        src: &str,
        mode: &str,
        [x, y, w, h]: [f32; 4],
        radii: [f32; 4],
        opacity: f32,
        clip: Option<&Mask>,
    ) {
        let Some(img) = self.get(src) else { return };
        let (iw, ih) = (img.width() as f32, img.height() as f32);
        let (sx, sy) = match mode {
            "aspectFit" => {
                let s = (w / iw).min(h / ih);
                (s, s)
            }
            "aspectFill" => {
                let s = (w / iw).max(h / ih);
                (s, s)
            }
            "scaleToFill" | "widthFix" | "heightFix" | "" => (w / iw, h / ih),
            _ => (1.0, 1.0),
        };
        let (dw, dh) = (iw * sx, ih * sy);
        let horizontal = if mode.contains("left") {
            0.0
        } else if mode.contains("right") {
            w - dw
        } else {
            (w - dw) / 2.0
        };
        let vertical = if mode.starts_with("top") {
            0.0
        } else if mode.starts_with("bottom") {
            h - dh
        } else {
            (h - dh) / 2.0
        };
        let (left, top) = (x + horizontal, y + vertical);
        // where the image lands inside the box (the pattern's edge pixels would pad the rest)
        let (l, t) = (left.max(x), top.max(y));
        let (r, b) = ((left + dw).min(x + w), (top + dh).min(y + h));
        let Some(path) = rounded_rect([l, t, r - l, b - t], radii) else { return };
        let transform = Transform::from_row(sx, 0.0, 0.0, sy, left, top);
        let shader = Pattern::new(
            img.as_ref(),
            SpreadMode::Pad,
            FilterQuality::Bilinear,
            opacity.clamp(0.0, 1.0),
            transform,
        );
        let paint = Paint { shader, anti_alias: true, ..Paint::default() };
        target.fill_path(&path, &paint, tiny_skia::FillRule::Winding, Transform::identity(), clip);
    }
}

/// The first frame as a premultiplied pixmap; `None` for what does not decode.
fn decode(bytes: &[u8]) -> Option<Pixmap> {
    let rgba = image::load_from_memory(bytes).ok()?.to_rgba8();
    let (w, h) = rgba.dimensions();
    let mut pixmap = Pixmap::new(w, h)?;
    for (dst, px) in pixmap.pixels_mut().iter_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        *dst = tiny_skia::ColorU8::from_rgba(r, g, b, a).premultiply();
    }
    Some(pixmap)
}
