//! A painted page: [`Scene::paint`] composes the shell (navigation bar, tab bar) and the page
//! clipped to its window into a [`Picture`].

use serde_json::Value;

use crate::image::{ImageSource, Images};
use crate::paint::Painter;
use crate::scene::Scene;
use crate::text::Fonts;
use crate::{chrome, NAVIGATION_BAR_HEIGHT, TAB_BAR_HEIGHT};
use miniapp_core::view::tree::ROOT;

/// A painted picture: RGBA pixels, premultiplied as tiny-skia keeps them.
pub struct Picture {
    pixmap: tiny_skia::Pixmap,
}

impl Picture {
    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.pixmap.width()
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.pixmap.height()
    }

    /// The pixel at (`x`, `y`) as straight (not premultiplied) RGBA.
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        let p = self.pixmap.pixel(x, y)?.demultiply();
        Some([p.red(), p.green(), p.blue(), p.alpha()])
    }

    /// Straight RGBA bytes, row by row.
    pub fn rgba(&self) -> Vec<u8> {
        self.pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect()
    }

    /// The picture as PNG bytes.
    pub fn png(&self) -> Result<Vec<u8>, String> {
        self.pixmap.encode_png().map_err(|e| format!("cannot encode the PNG: {e}"))
    }
}

impl Scene {
    /// Paints the page on screen at `scale` device pixels per CSS px, images read from `images`:
    /// its navigation bar, the
    /// page in a viewport of `width` × `height` CSS px (the app's window) clipped to it, and the
    /// tab bar on tab pages. The picture is `width` wide and as tall as those three.
    pub fn paint(
        &self,
        fonts: &mut Fonts,
        images: &dyn ImageSource,
        width: f32,
        height: f32,
        scale: f32,
    ) -> Result<Picture, String> {
        let page = self.top_page().ok_or("no page on screen yet: launch the app first")?;
        let node = self.nodes.get(&page).ok_or("the page node is missing")?;
        let route = node.attrs.get("route").and_then(Value::as_str).unwrap_or_default();
        let nav = chrome::navigation_bar(node.attrs.get("window"));
        let tabs =
            chrome::tab_bar(self.nodes.get(&ROOT).and_then(|r| r.attrs.get("tabBar")), route);
        let top = if nav.is_some() { NAVIGATION_BAR_HEIGHT } else { 0.0 };
        let total = top + height + if tabs.is_some() { TAB_BAR_HEIGHT } else { 0.0 };
        let (pw, ph) = ((width * scale).round() as u32, (total * scale).round() as u32);
        let mut pixmap = tiny_skia::Pixmap::new(pw, ph)
            .ok_or_else(|| format!("cannot make a {pw}×{ph} picture"))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        let mut clip = tiny_skia::Mask::new(pw, ph).ok_or("cannot make the page's clip")?;
        let area = tiny_skia::Rect::from_xywh(0.0, top * scale, width * scale, height * scale)
            .ok_or("the viewport is empty")?;
        clip.fill_path(
            &tiny_skia::PathBuilder::from_rect(area),
            tiny_skia::FillRule::Winding,
            false,
            tiny_skia::Transform::identity(),
        );
        // the page's background fills the window, as the root's fills a browser's canvas
        if let Some(c) = node.style.background_color.as_deref().and_then(crate::color::parse) {
            pixmap.fill_rect(
                area,
                &crate::shapes::paint_of(c, 1.0),
                tiny_skia::Transform::identity(),
                None,
            );
        }
        let mut images = Images::new(images);
        let mut painter =
            Painter { scene: self, fonts, images: &mut images, pixmap: &mut pixmap, scale };
        painter.node(page, [0.0, top], 1.0, Some(&clip));
        if let Some(bar) = &nav {
            chrome::draw_navigation_bar(&mut pixmap, fonts, bar, width, scale);
        }
        if let Some(bar) = tabs {
            chrome::draw_tab_bar(&mut pixmap, fonts, bar, route, top + height, width, scale);
        }
        Ok(Picture { pixmap })
    }
}
