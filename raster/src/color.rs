//! CSS colors as the core resolves them (`#rrggbbaa`), and the few forms app.json uses
//! (`#rgb`, `#rrggbb`, `white`, `black`).

use tiny_skia::Color;

/// A color's straight RGBA bytes.
pub fn rgba8(c: Color) -> [u8; 4] {
    [c.red(), c.green(), c.blue(), c.alpha()].map(|v| (v * 255.0) as u8)
}

/// Parses a color; `None` for anything else.
pub fn parse(text: &str) -> Option<Color> {
    let t = text.trim();
    if let Some(args) = t.strip_prefix("rgba(").or_else(|| t.strip_prefix("rgb(")) {
        let parts: Vec<f32> =
            args.trim_end_matches(')').split(',').filter_map(|p| p.trim().parse().ok()).collect();
        let channel = |v: f32| v.clamp(0.0, 255.0) as u8;
        return match parts[..] {
            [r, g, b] => Some(Color::from_rgba8(channel(r), channel(g), channel(b), 255)),
            [r, g, b, a] => {
                Some(Color::from_rgba8(channel(r), channel(g), channel(b), channel(a * 255.0)))
            }
            _ => None,
        };
    }
    match t {
        "white" => return Some(Color::WHITE),
        "black" => return Some(Color::BLACK),
        "transparent" => return Some(Color::TRANSPARENT),
        _ => {}
    }
    let hex = t.strip_prefix('#')?;
    let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    let [r, g, b, a] = match hex.len() {
        3 => [digit(0)? * 17, digit(1)? * 17, digit(2)? * 17, 255],
        6 => [byte(0)?, byte(2)?, byte(4)?, 255],
        8 => [byte(0)?, byte(2)?, byte(4)?, byte(6)?],
        _ => return None,
    };
    Some(Color::from_rgba8(r, g, b, a))
}

/// A `linear-gradient(…)` as the core resolves `backgroundImage` (`135deg` or `to right`,
/// stops with `%` positions; stops without one spread evenly): the angle in degrees (0 points
/// up, 90 right) and the stops. `None` for anything else.
pub fn linear_gradient(text: &str) -> Option<(f32, Vec<(Color, f32)>)> {
    let start = text.find("linear-gradient(")? + "linear-gradient(".len();
    let mut depth = 0;
    let mut parts = Vec::new();
    let mut from = start;
    let mut end = None;
    for (i, ch) in text[start..].char_indices() {
        let at = start + i;
        match ch {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = Some(at);
                break;
            }
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(text[from..at].trim());
                from = at + 1;
            }
            _ => {}
        }
    }
    parts.push(text[from..end?].trim());
    let mut angle = 180.0;
    let first = parts.first()?;
    let stops_from = if let Some(deg) = first.strip_suffix("deg") {
        angle = deg.trim().parse().ok()?;
        1
    } else if let Some(side) = first.strip_prefix("to ") {
        angle = match side.trim() {
            "top" => 0.0,
            "right" => 90.0,
            "bottom" => 180.0,
            "left" => 270.0,
            "top right" | "right top" => 45.0,
            "bottom right" | "right bottom" => 135.0,
            "bottom left" | "left bottom" => 225.0,
            "top left" | "left top" => 315.0,
            _ => return None,
        };
        1
    } else {
        0
    };
    let raw = &parts[stops_from..];
    let n = raw.len();
    if n < 2 {
        return None;
    }
    let mut stops = Vec::with_capacity(n);
    for (i, stop) in raw.iter().enumerate() {
        let (color_text, pos) = match stop.rfind(' ') {
            Some(sp) if stop[sp + 1..].ends_with('%') => {
                let p: f32 = stop[sp + 1..].trim_end_matches('%').parse().ok()?;
                (&stop[..sp], p / 100.0)
            }
            _ => (*stop, i as f32 / (n - 1) as f32),
        };
        stops.push((parse(color_text)?, pos.clamp(0.0, 1.0)));
    }
    Some((angle, stops))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_forms() {
        assert_eq!(parse("#1f6feb"), Some(Color::from_rgba8(0x1f, 0x6f, 0xeb, 255)));
        assert_eq!(parse("#ffffff80"), Some(Color::from_rgba8(255, 255, 255, 0x80)));
        assert_eq!(parse("#fff"), Some(Color::WHITE));
        assert_eq!(parse("rgb(1, 2, 3)"), Some(Color::from_rgba8(1, 2, 3, 255)));
        assert_eq!(parse("hsl(1,2,3)"), None);
    }

    #[test]
    fn gradients_as_the_core_resolves_them() {
        let (angle, stops) = linear_gradient(
            "linear-gradient(135deg, rgb(31, 111, 235) 0%, rgb(79, 143, 247) 100%)",
        )
        .unwrap_or_default();
        assert_eq!(angle, 135.0);
        assert_eq!(stops.len(), 2);
        assert_eq!(stops[1], (Color::from_rgba8(79, 143, 247, 255), 1.0));
        assert_eq!(
            linear_gradient("linear-gradient(to right, #fff, #000)").map(|g| g.0),
            Some(90.0)
        );
        assert!(linear_gradient("url(x.png)").is_none());
    }
}
