//! The shell around the page, drawn as WeChat draws it: the navigation bar from the page's
//! `window` attribute (title, background, `navigationBarTextStyle`; none for `navigationStyle:
//! custom`) and, on tab pages, the tab bar from the root's `tabBar` attribute (labels in
//! `color`/`selectedColor`, the top border by `borderStyle`; icons are not drawn yet).

use miniapp_core::style::visual::VisualStyle;
use serde_json::Value;
use tiny_skia::{Color, Pixmap, Transform};

use crate::color;
use crate::shapes::{paint_of, rect_of};
use crate::text::Fonts;
use crate::{NAVIGATION_BAR_HEIGHT, TAB_BAR_HEIGHT};

/// What the page's `window` says about the navigation bar: `None` when it is custom (the page
/// draws its own).
pub(crate) fn navigation_bar(window: Option<&Value>) -> Option<(String, Color, Color)> {
    let w = window?;
    let text = |k: &str| w.get(k).and_then(Value::as_str);
    if text("navigationStyle") == Some("custom") {
        return None;
    }
    let background =
        text("navigationBarBackgroundColor").and_then(color::parse).unwrap_or(Color::BLACK);
    let fg =
        if text("navigationBarTextStyle") == Some("black") { Color::BLACK } else { Color::WHITE };
    Some((text("navigationBarTitleText").unwrap_or_default().to_string(), background, fg))
}

/// Draws the navigation bar at the top.
pub(crate) fn draw_navigation_bar(
    pixmap: &mut Pixmap,
    fonts: &mut Fonts,
    (title, background, fg): &(String, Color, Color),
    width: f32,
    scale: f32,
) {
    if let Some(r) = rect_of([0.0, 0.0, width * scale, NAVIGATION_BAR_HEIGHT * scale]) {
        pixmap.fill_rect(r, &paint_of(*background, 1.0), Transform::identity(), None);
    }
    let style = label_style(fg, 17.0, 600.0);
    let line = 24.0;
    let top = (NAVIGATION_BAR_HEIGHT - line) / 2.0;
    fonts.draw(
        pixmap,
        title,
        &style,
        [0.0, top * scale, width * scale, line * scale],
        scale,
        1.0,
        None,
    );
}

/// The tab bar's items when `route` is one of its pages.
pub(crate) fn tab_bar<'a>(tab_bar: Option<&'a Value>, route: &str) -> Option<&'a Value> {
    let list = tab_bar?.get("list")?.as_array()?;
    list.iter()
        .any(|item| {
            item.get("pagePath").and_then(Value::as_str).map(|p| p.trim_start_matches('/'))
                == Some(route)
        })
        .then_some(tab_bar?)
}

/// Draws the tab bar with its top at `top` (CSS px).
pub(crate) fn draw_tab_bar(
    pixmap: &mut Pixmap,
    fonts: &mut Fonts,
    bar: &Value,
    route: &str,
    top: f32,
    width: f32,
    scale: f32,
) {
    let text = |k: &str| bar.get(k).and_then(Value::as_str);
    let background = text("backgroundColor").and_then(color::parse).unwrap_or(Color::WHITE);
    if let Some(r) = rect_of([0.0, top * scale, width * scale, TAB_BAR_HEIGHT * scale]) {
        pixmap.fill_rect(r, &paint_of(background, 1.0), Transform::identity(), None);
    }
    let border = if text("borderStyle") == Some("white") {
        Color::from_rgba8(255, 255, 255, 84)
    } else {
        Color::from_rgba8(0, 0, 0, 84)
    };
    if let Some(r) = rect_of([0.0, top * scale, width * scale, (0.5 * scale).max(1.0)]) {
        pixmap.fill_rect(r, &paint_of(border, 1.0), Transform::identity(), None);
    }
    let items = bar.get("list").and_then(Value::as_array).cloned().unwrap_or_default();
    if items.is_empty() {
        return;
    }
    let normal =
        text("color").and_then(color::parse).unwrap_or(Color::from_rgba8(0x7a, 0x7e, 0x83, 255));
    let selected = text("selectedColor")
        .and_then(color::parse)
        .unwrap_or(Color::from_rgba8(0x3c, 0xc5, 0x1f, 255));
    let slot = width / items.len() as f32;
    for (i, item) in items.iter().enumerate() {
        let label = item.get("text").and_then(Value::as_str).unwrap_or_default();
        let path = item.get("pagePath").and_then(Value::as_str).unwrap_or_default();
        let c = if path.trim_start_matches('/') == route { selected } else { normal };
        let style = label_style(&c, 12.0, 400.0);
        let line = 16.0;
        let y = top + (TAB_BAR_HEIGHT - line) / 2.0;
        fonts.draw(
            pixmap,
            label,
            &style,
            [i as f32 * slot * scale, y * scale, slot * scale, line * scale],
            scale,
            1.0,
            None,
        );
    }
}

fn label_style(c: &Color, size: f32, weight: f32) -> VisualStyle {
    VisualStyle {
        color: miniapp_core::style::visual::hex(color::rgba8(*c)),
        font_size: size,
        font_weight: weight,
        line_height: size * 1.4,
        text_align: Some("center".into()),
        white_space: Some("nowrap".into()),
        text_overflow: Some("ellipsis".into()),
        ..VisualStyle::default()
    }
}
