//! CSS transforms in the protocol's fixed form (`translate(Xpx|X%, Ypx|Y%)`, `scale(x, y)`,
//! `rotate(Ndeg)`, `skew(Ndeg, Ndeg)`, `matrix(a, b, c, d, e, f)`, see the core's
//! `VisualStyle::transform`) turned into a device-space matrix about the transform origin.

use tiny_skia::Transform;

/// The matrix of `text` for a box of `size` CSS px, translations in CSS px. `None` when it is
/// the identity or cannot be read (an unknown item is skipped, as a browser drops the whole
/// declaration only when it does not parse).
pub(crate) fn matrix(text: &str, size: [f32; 2]) -> Option<Transform> {
    let mut acc = Transform::identity();
    let mut rest = text.trim();
    while let Some(open) = rest.find('(') {
        let name = rest[..open].trim();
        let Some(close) = rest[open..].find(')').map(|c| open + c) else { break };
        let args: Vec<&str> = rest[open + 1..close].split(',').map(str::trim).collect();
        rest = &rest[close + 1..];
        let item = match (name, args.as_slice()) {
            ("translate", [x, y]) => {
                Transform::from_translate(length(x, size[0])?, length(y, size[1])?)
            }
            ("scale", [x, y]) => Transform::from_scale(x.parse().ok()?, y.parse().ok()?),
            ("rotate", [a]) => Transform::from_rotate(angle(a)?),
            ("skew", [x, y]) => {
                Transform::from_skew(angle(x)?.to_radians().tan(), angle(y)?.to_radians().tan())
            }
            ("matrix", [a, b, c, d, e, f]) => Transform::from_row(
                a.parse().ok()?,
                b.parse().ok()?,
                c.parse().ok()?,
                d.parse().ok()?,
                e.parse().ok()?,
                f.parse().ok()?,
            ),
            _ => continue,
        };
        acc = acc.pre_concat(item);
    }
    (!acc.is_identity() && acc.is_finite()).then_some(acc)
}

/// The device-space transform of a box at `rect` (CSS px on the picture) whose style has
/// `transform` and `origin` (default its center), at `scale` device px per CSS px.
pub(crate) fn about_origin(
    transform: &str,
    origin: Option<&[String; 2]>,
    [x, y, w, h]: [f32; 4],
    scale: f32,
) -> Option<Transform> {
    let m = matrix(transform, [w, h])?;
    let (ox, oy) = match origin {
        Some([ox, oy]) => (length(ox, w).unwrap_or(w / 2.0), length(oy, h).unwrap_or(h / 2.0)),
        None => (w / 2.0, h / 2.0),
    };
    let (px, py) = ((x + ox) * scale, (y + oy) * scale);
    // the matrix's translation is in CSS px: in device px it scales with the picture
    let m = Transform::from_row(m.sx, m.ky, m.kx, m.sy, m.tx * scale, m.ty * scale);
    Some(
        Transform::from_translate(px, py)
            .pre_concat(m)
            .pre_concat(Transform::from_translate(-px, -py)),
    )
}

/// `Npx` or `N%` of `of`.
fn length(text: &str, of: f32) -> Option<f32> {
    if let Some(p) = text.strip_suffix('%') {
        return Some(p.trim().parse::<f32>().ok()? / 100.0 * of);
    }
    text.strip_suffix("px").unwrap_or(text).trim().parse().ok()
}

/// `Ndeg` in degrees.
fn angle(text: &str) -> Option<f32> {
    text.strip_suffix("deg").unwrap_or(text).trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(t: Transform, x: f32, y: f32) -> (f32, f32) {
        let mut p = [tiny_skia::Point::from_xy(x, y)];
        t.map_points(&mut p);
        ((p[0].x * 100.0).round() / 100.0, (p[0].y * 100.0).round() / 100.0)
    }

    #[test]
    fn items_apply_right_to_left_as_css_composes_them() {
        // translate then rotate: the point rotates about the origin, then moves
        let t = matrix("translate(10px, 0px) rotate(90deg)", [100.0, 100.0]).unwrap();
        assert_eq!(apply(t, 1.0, 0.0), (10.0, 1.0));
        let t = matrix("translate(-50%, 50%)", [40.0, 20.0]).unwrap();
        assert_eq!(apply(t, 0.0, 0.0), (-20.0, 10.0));
        assert!(matrix("rotate(0deg) scale(1, 1)", [1.0, 1.0]).is_none());
        assert!(matrix("", [1.0, 1.0]).is_none());
    }

    #[test]
    fn the_origin_defaults_to_the_center_and_translations_scale_with_the_picture() {
        // a 20×10 box at (100, 50) rotated 180° about its center maps its top-left corner
        // to its bottom-right, at 2 device px per CSS px
        let t = about_origin("rotate(180deg)", None, [100.0, 50.0, 20.0, 10.0], 2.0).unwrap();
        assert_eq!(apply(t, 200.0, 100.0), (240.0, 120.0));
        let origin = ["0px".to_string(), "0%".to_string()];
        let t = about_origin("scale(2, 2)", Some(&origin), [100.0, 50.0, 20.0, 10.0], 1.0).unwrap();
        assert_eq!(apply(t, 110.0, 55.0), (120.0, 60.0));
        let t = about_origin("translate(5px, 0px)", None, [0.0, 0.0, 10.0, 10.0], 3.0).unwrap();
        assert_eq!(apply(t, 0.0, 0.0), (15.0, 0.0));
    }
}
