//! Values old WebViews read that the style engine does not, written the way it does (called by
//! [`super::prefixes`] before a sheet is parsed):
//!
//! - the `font` shorthand with every optional part (`normal normal normal 14px/1 vant-icon`,
//!   the icon fonts of component libraries; `italic small-caps bold 12px/30px Georgia`) as the
//!   longhands it sets: `font-style`, `font-weight`, `font-size`, `line-height` (`normal` when
//!   not given, as the shorthand resets it) and `font-family` (`font-variant` and
//!   `font-stretch` have no effect here and are left out); system-font keywords (`caption`…)
//!   are left as written;
//! - the 2011 gradient syntax, `-webkit-linear-gradient(top, …)`, whose first argument names
//!   where the gradient starts (and whose angles run counter-clockwise from east), as the
//!   standard `linear-gradient(to bottom, …)`.
//!
//! Pure functions; any thread.

/// Keywords the `font` shorthand takes before the size: style, variant, weight and stretch.
const FONT_STYLES: &[&str] = &["italic", "oblique"];
const FONT_WEIGHTS: &[&str] = &["bold", "bolder", "lighter"];
const FONT_OTHERS: &[&str] = &[
    "normal",
    "small-caps",
    "ultra-condensed",
    "extra-condensed",
    "condensed",
    "semi-condensed",
    "semi-expanded",
    "expanded",
    "extra-expanded",
    "ultra-expanded",
];

/// The `font` shorthand's value as its longhands: `font-style:…;font-weight:…;font-size:…;
/// line-height:…;font-family:…` (the first name included), each with `important`; `None` when
/// it is not a size-and-family shorthand.
pub fn font(value: &str, important: &str) -> Option<String> {
    let value = value.trim();
    let (mut style, mut weight) = ("normal", "normal");
    let mut rest = value;
    loop {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        let lower = word.to_ascii_lowercase();
        if FONT_STYLES.contains(&lower.as_str()) {
            style = word;
        } else if FONT_WEIGHTS.contains(&lower.as_str())
            || (word.len() == 3
                && word.ends_with("00")
                && word.starts_with(|c: char| c.is_ascii_digit()))
        {
            weight = word;
        } else if !FONT_OTHERS.contains(&lower.as_str()) {
            break;
        }
        rest = rest[word_end..].trim_start();
    }
    // the size, with `/line-height` joined to it or spaced apart
    let size_end = rest.find(|c: char| c.is_whitespace() || c == '/')?;
    let size = &rest[..size_end];
    if !size.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None; // a size keyword, a var(): left to the engine
    }
    rest = rest[size_end..].trim_start();
    let mut line_height = "normal";
    if let Some(after) = rest.strip_prefix('/') {
        let after = after.trim_start();
        let end = after.find(char::is_whitespace)?;
        line_height = &after[..end];
        rest = after[end..].trim_start();
    }
    let family = rest.trim();
    if family.is_empty() {
        return None;
    }
    let i = important;
    Some(format!(
        "{style}{i};font-weight:{weight}{i};font-size:{size}{i};line-height:{line_height}{i};\
         font-family:{family}{i}"
    ))
}

/// The value with each `-webkit-linear-gradient(…)` and `-webkit-repeating-linear-gradient(…)`
/// written in the standard syntax; `None` when it has none.
pub fn webkit_gradients(value: &str) -> Option<String> {
    if !value.contains("-webkit-") || !value.contains("linear-gradient(") {
        return None;
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut changed = false;
    while let Some(at) = rest.find("-webkit-") {
        let after = &rest[at + "-webkit-".len()..];
        let name_len = ["repeating-linear-gradient(", "linear-gradient("]
            .iter()
            .find(|n| after.starts_with(**n))
            .map(|n| n.len());
        let Some(name_len) = name_len else {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            continue;
        };
        changed = true;
        out.push_str(&rest[..at]);
        out.push_str(&after[..name_len]);
        let args = &after[name_len..];
        let first_end = args.find([',', ')']).unwrap_or(args.len());
        let first = args[..first_end].trim();
        match direction(first) {
            Some(standard) => {
                out.push_str(&standard);
                rest = &args[first_end..];
            }
            None => rest = args,
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// A legacy gradient's first argument in the standard syntax: the side it starts from becomes
/// the side it goes `to`; an angle (counter-clockwise from east) becomes the standard one
/// (clockwise from north). `None` when the argument is a colour (no direction given).
fn direction(first: &str) -> Option<String> {
    let lower = first.to_ascii_lowercase();
    if let Some(deg) = lower.strip_suffix("deg").and_then(|d| d.trim().parse::<f64>().ok()) {
        return Some(format!("{}deg", 90.0 - deg));
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let opposite = |w: &str| match w {
        "top" => Some("bottom"),
        "bottom" => Some("top"),
        "left" => Some("right"),
        "right" => Some("left"),
        _ => None,
    };
    let sides = words.iter().map(|w| opposite(w)).collect::<Option<Vec<_>>>()?;
    (!sides.is_empty() && sides.len() <= 2).then(|| format!("to {}", sides.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_shorthand_becomes_its_longhands() {
        assert_eq!(
            font("normal normal normal 14px/1 vant-icon", "").as_deref(),
            Some("normal;font-weight:normal;font-size:14px;line-height:1;font-family:vant-icon")
        );
        assert_eq!(
            font(" italic small-caps bold 12px / 30px Georgia, \"Times New Roman\", serif", " !important")
                .as_deref(),
            Some(
                "italic !important;font-weight:bold !important;font-size:12px !important;\
                 line-height:30px !important;font-family:Georgia, \"Times New Roman\", serif !important"
            )
        );
        assert_eq!(
            font("700 1.2em sans-serif", "").as_deref(),
            Some(
                "normal;font-weight:700;font-size:1.2em;line-height:normal;font-family:sans-serif"
            )
        );
        // system fonts, a missing family and other text are left alone
        for kept in ["caption", "14px", "inherit", "bold", "var(--font)"] {
            assert_eq!(font(kept, ""), None, "{kept}");
        }
    }

    #[test]
    fn legacy_gradients_take_the_standard_syntax() {
        let cases = [
            ("-webkit-linear-gradient(top, #fff, #000)", "linear-gradient(to bottom, #fff, #000)"),
            (
                "-webkit-linear-gradient(left top, red 0%, blue 100%) no-repeat",
                "linear-gradient(to right bottom, red 0%, blue 100%) no-repeat",
            ),
            ("-webkit-linear-gradient(45deg, red, blue)", "linear-gradient(45deg, red, blue)"),
            ("-webkit-linear-gradient(0deg, red, blue)", "linear-gradient(90deg, red, blue)"),
            (
                "-webkit-repeating-linear-gradient(red, blue 10%)",
                "repeating-linear-gradient(red, blue 10%)",
            ),
            (
                "url(a.png), -webkit-linear-gradient(bottom, rgba(0,0,0,.5), transparent)",
                "url(a.png), linear-gradient(to top, rgba(0,0,0,.5), transparent)",
            ),
        ];
        for (legacy, standard) in cases {
            assert_eq!(webkit_gradients(legacy).as_deref(), Some(standard), "{legacy}");
        }
        assert_eq!(webkit_gradients("linear-gradient(to top, red, blue)"), None);
        assert_eq!(
            webkit_gradients("-webkit-radial-gradient(red, blue) -webkit-linear-gradientx"),
            None
        );
    }
}
