//! Text with real fonts: cosmic-text shapes, wraps, aligns and ellipsizes a run inside the box
//! the core laid out, and swash rasterizes its glyphs. Fonts are the machine's (fontdb reads the
//! system font folders: `.ci/run` installs DejaVu and WenQuanYi Micro Hei for Latin and CJK);
//! none is bundled.

use cosmic_text::{
    Align, Attrs, Buffer, Ellipsize, EllipsizeHeightLimit, Family, FontSystem, Metrics, Shaping,
    Style, SwashCache, Weight, Wrap,
};
use miniapp_core::layout::text::{FontSpec, TextMeasurer, TextMetrics};
use miniapp_core::style::visual::VisualStyle;
use tiny_skia::Pixmap;

use crate::color;

/// The fonts and the glyph cache, loaded once and reused for every picture.
pub struct Fonts {
    system: FontSystem,
    cache: SwashCache,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts::new()
    }
}

impl Fonts {
    /// The machine's fonts; the generic families name the first installed of the usual
    /// free families (DejaVu, Noto, Liberation; WenQuanYi for CJK-only machines).
    pub fn new() -> Fonts {
        let mut system = FontSystem::new();
        let db = system.db_mut();
        let installed: std::collections::HashSet<String> =
            db.faces().flat_map(|f| f.families.iter().map(|(n, _)| n.clone())).collect();
        let pick =
            |names: &[&str]| names.iter().find(|n| installed.contains(**n)).map(|n| n.to_string());
        if let Some(n) =
            pick(&["DejaVu Sans", "Noto Sans", "Liberation Sans", "WenQuanYi Micro Hei"])
        {
            db.set_sans_serif_family(n);
        }
        if let Some(n) = pick(&["DejaVu Serif", "Noto Serif", "Liberation Serif"]) {
            db.set_serif_family(n);
        }
        if let Some(n) = pick(&["DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono"]) {
            db.set_monospace_family(n);
        }
        Fonts { system, cache: SwashCache::new() }
    }

    /// Lays `text` out the way [`Fonts::draw`] does and measures it (the core's
    /// [`TextMeasurer`] contract): widest line, height, first baseline, line count.
    pub fn measure(&mut self, text: &str, font: &FontSpec, max_width: Option<f32>) -> TextMetrics {
        let line = if font.line_height > 0.0 { font.line_height } else { font.size * 1.2 };
        let mut buffer =
            Buffer::new(&mut self.system, Metrics::new(font.size.max(1.0), line.max(1.0)));
        buffer.set_size(max_width.map(|w| w + 2.0), None);
        buffer.set_wrap(if max_width.is_some() { Wrap::WordOrGlyph } else { Wrap::None });
        let mut attrs = Attrs::new().family(Family::SansSerif).weight(Weight(font.weight as u16));
        if font.italic {
            attrs = attrs.style(Style::Italic);
        }
        buffer.set_text(text, &attrs, Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.system, false);
        let (mut width, mut lines, mut baseline) = (0f32, 0u32, None);
        for run in buffer.layout_runs() {
            let chars = run.glyphs.len() as f32;
            width = width.max(run.line_w + font.letter_spacing * chars);
            lines += 1;
            baseline.get_or_insert(run.line_y);
        }
        let lines = lines.max(1);
        TextMetrics {
            width,
            height: lines as f32 * line,
            baseline: baseline.unwrap_or(line * 0.8),
            lines,
        }
    }

    /// How many font faces were found (0: text cannot be drawn; install fonts).
    pub fn faces(&mut self) -> usize {
        self.system.db().faces().count()
    }

    /// Draws `text` with `style` into the box at (`x`, `y`, `w`, `h`) (device px; `scale`
    /// turns CSS px into device px), clipped to `clip` when given.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn draw(
        &mut self,
        pixmap: &mut Pixmap,
        text: &str,
        style: &VisualStyle,
        [x, y, w, h]: [f32; 4],
        scale: f32,
        opacity: f32,
        clip: Option<&tiny_skia::Mask>,
    ) {
        let outside = y > pixmap.height() as f32 || x > pixmap.width() as f32 || x + w < 0.0;
        if text.trim().is_empty() || w <= 0.0 || outside || y + h.max(0.0) + 2.0 * scale < 0.0 {
            return;
        }
        let size = style.font_size.max(1.0) * scale;
        let line = if style.line_height > 0.0 { style.line_height * scale } else { size * 1.2 };
        let mut buffer = Buffer::new(&mut self.system, Metrics::new(size, line));
        // a little room: the core measured with its own formula, real glyphs may be wider
        buffer.set_size(Some(w + 2.0 * scale), Some(h.max(line)));
        let nowrap = style.white_space.as_deref().is_some_and(|s| s == "nowrap" || s == "pre");
        buffer.set_wrap(if nowrap { Wrap::None } else { Wrap::WordOrGlyph });
        let ellipsis = style.text_overflow.as_deref() == Some("ellipsis");
        if let Some(lines) = style.line_clamp {
            buffer.set_ellipsize(Ellipsize::End(EllipsizeHeightLimit::Lines(lines as usize)));
        } else if ellipsis {
            buffer.set_ellipsize(Ellipsize::End(EllipsizeHeightLimit::Lines(1)));
        }
        let family = match style.font_family.as_deref().map(str::to_ascii_lowercase) {
            Some(f) if f.contains("monospace") || f.contains("mono") => Family::Monospace,
            Some(f) if f.contains("serif") && !f.contains("sans") => Family::Serif,
            _ => Family::SansSerif,
        };
        let mut attrs = Attrs::new().family(family).weight(Weight(style.font_weight as u16));
        if matches!(style.font_style.as_deref(), Some("italic" | "oblique")) {
            attrs = attrs.style(Style::Italic);
        }
        let align = match style.text_align.as_deref() {
            Some("center") => Align::Center,
            Some("right" | "end") => Align::Right,
            Some("justify") => Align::Justified,
            _ => Align::Left,
        };
        buffer.set_text(text, &attrs, Shaping::Advanced, Some(align));
        let c = color::parse(&style.color).unwrap_or(tiny_skia::Color::BLACK);
        let [r, g, b, a] = color::rgba8(c);
        let ink = Ink { rgb: [r, g, b], alpha: f32::from(a) / 255.0 * opacity.clamp(0.0, 1.0) };
        buffer.shape_until_scroll(&mut self.system, false);
        // glyph images from the cache, blended straight into the pixels (one call per glyph,
        // not one fill per pixel)
        let (ox, oy) = (x.round() as i32, y.round() as i32);
        for run in buffer.layout_runs() {
            for glyph in run.glyphs {
                let g = glyph.physical((0.0, run.line_y), 1.0);
                if let Some(image) = self.cache.get_image(&mut self.system, g.cache_key) {
                    let at = [ox + g.x + image.placement.left, oy + g.y - image.placement.top];
                    blend_glyph(pixmap, image, at, &ink, clip);
                }
            }
        }
    }
}

/// A text's color (straight RGB) and overall alpha (its color's alpha times the opacity).
struct Ink {
    rgb: [u8; 3],
    alpha: f32,
}

/// Source-over blends a glyph image at `[x, y]` (device px, its top-left), the mask's coverage
/// times `ink`'s alpha times the clip's coverage; color glyphs (emoji) keep their colors.
fn blend_glyph(
    pixmap: &mut Pixmap,
    image: &cosmic_text::SwashImage,
    [x, y]: [i32; 2],
    ink: &Ink,
    clip: Option<&tiny_skia::Mask>,
) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let clip = clip.filter(|m| (m.width(), m.height()) == (pixmap.width(), pixmap.height()));
    let (gw, gh) = (image.placement.width as i32, image.placement.height as i32);
    let pixels = pixmap.pixels_mut();
    for row in 0..gh {
        let py = y + row;
        if py < 0 || py >= ph {
            continue;
        }
        for col in 0..gw {
            let px = x + col;
            if px < 0 || px >= pw {
                continue;
            }
            let i = (row * gw + col) as usize;
            let ([r, g, b], coverage) = match image.content {
                cosmic_text::SwashContent::Mask => (ink.rgb, image.data[i]),
                cosmic_text::SwashContent::Color => {
                    let d = &image.data[i * 4..i * 4 + 4];
                    ([d[0], d[1], d[2]], d[3])
                }
                cosmic_text::SwashContent::SubpixelMask => continue,
            };
            let at = (py * pw + px) as usize;
            let mut alpha = f32::from(coverage) * ink.alpha;
            if let Some(m) = clip {
                alpha = alpha * f32::from(m.data()[at]) / 255.0;
            }
            let a = alpha.round().clamp(0.0, 255.0) as u32;
            if a == 0 {
                continue;
            }
            let dst = pixels[at];
            let over = |s: u8, d: u8| ((u32::from(s) * a + u32::from(d) * (255 - a)) / 255) as u8;
            let out_a = (a + u32::from(dst.alpha()) * (255 - a) / 255) as u8;
            // premultiplied: source channel × a, plus destination × (1 − a)
            let (nr, ng, nb) = (over(r, dst.red()), over(g, dst.green()), over(b, dst.blue()));
            if let Some(c) = tiny_skia::PremultipliedColorU8::from_rgba(
                nr.min(out_a),
                ng.min(out_a),
                nb.min(out_a),
                out_a,
            ) {
                pixels[at] = c;
            }
        }
    }
}

/// Real-font text measurement for layout (`miniapp run --fonts real`): the same fonts and line
/// breaking the raster host draws with, so boxes fit their text. Thread-safe (one lock; the
/// core caches answers).
pub struct FontMeasurer(std::sync::Mutex<Fonts>);

impl FontMeasurer {
    /// A measurer over the machine's fonts.
    pub fn new() -> FontMeasurer {
        FontMeasurer(std::sync::Mutex::new(Fonts::new()))
    }
}

impl Default for FontMeasurer {
    fn default() -> Self {
        FontMeasurer::new()
    }
}

impl TextMeasurer for FontMeasurer {
    fn measure(&self, text: &str, font: &FontSpec, max_width: Option<f32>) -> TextMetrics {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).measure(text, font, max_width)
    }
}
