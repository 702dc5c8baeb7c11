//! WXSS as real apps write it for old WebViews: `-webkit-` prefixed properties and values, the
//! 2009 flexbox (`display: -webkit-box` with `-webkit-box-orient`/`-pack`/`-align`/`-flex`),
//! `-webkit-line-clamp`, `word-wrap`, `content: attr(x)`, `font-size` keywords and the `inset`
//! shorthand, rewritten to the standard declarations the style engine applies (keeping their
//! `!important`), before the sheet is parsed (`-webkit-box-direction: normal`, the default, is
//! dropped); units written in capitals (`1PX`, which build tools leave alone and WebViews read
//! as `1px`: CSS units are case-insensitive) are lower-cased, and units the engine does not
//! read become ones it does (`pt`, `pc`, `in`, `cm`, `mm`, `Q` in px; `ex`, `ch` at 0.5em);
//! `env()`/`constant()` safe-area insets become custom properties with a 0px fallback;
//! `max-width`/`max-height: none` is `auto`; `@charset` is blanked; the `font` shorthand and
//! legacy `-webkit-linear-gradient()` go through [`super::legacy_values`];
//! grid track lists with `repeat()` and flexible `minmax()` are written out
//! ([`super::grid_tracks`]).
//!
//! Only declarations change: comments, strings and selectors are copied as written, every line
//! keeps its line number, and a replacement shorter than the original is padded with spaces so
//! later columns on the line stay where they were (diagnostics keep pointing at the file as
//! written). A prefixed property whose standard name the engine does not know is left alone
//! and reported as before. Pure; any thread.

use std::borrow::Cow;

/// Standard properties the style engine applies, which apps also write with `-webkit-`.
const STANDARD: &[&str] = &[
    "align-content",
    "align-items",
    "align-self",
    "animation",
    "animation-delay",
    "animation-direction",
    "animation-duration",
    "animation-fill-mode",
    "animation-iteration-count",
    "animation-name",
    "animation-play-state",
    "animation-timing-function",
    "backdrop-filter",
    "background-clip",
    "background-origin",
    "background-size",
    "border-bottom-left-radius",
    "border-bottom-right-radius",
    "border-radius",
    "border-top-left-radius",
    "border-top-right-radius",
    "box-shadow",
    "box-sizing",
    "filter",
    "flex",
    "flex-basis",
    "flex-direction",
    "flex-flow",
    "flex-grow",
    "flex-shrink",
    "flex-wrap",
    "justify-content",
    "mask",
    "mask-clip",
    "mask-image",
    "mask-origin",
    "mask-position",
    "mask-repeat",
    "mask-size",
    "order",
    "text-decoration-color",
    "text-decoration-line",
    "text-decoration-style",
    "text-shadow",
    "transform",
    "transform-origin",
    "transition",
    "transition-delay",
    "transition-duration",
    "transition-property",
    "transition-timing-function",
];

/// The declaration `name: value` in standard form, when it needs rewriting; a value's
/// `!important` stays with what it becomes.
fn standard(name: &str, value: &str) -> Option<(String, String)> {
    let (body, important) = split_important(value);
    if name.eq_ignore_ascii_case("inset") {
        return inset(body, important).map(|v| ("top".into(), v));
    }
    if name.eq_ignore_ascii_case("font") {
        if let Some(longhands) = super::legacy_values::font(body, important) {
            let longhands = normalize_units(&longhands).unwrap_or(longhands);
            return Some(("font-style".into(), longhands));
        }
    }
    if !important.is_empty() {
        let (name, body) = standard(name, body)?;
        return Some((name, body + important));
    }
    let mapped = standard_name(name, value);
    let (new_name, new_value) =
        mapped.clone().unwrap_or_else(|| (name.to_ascii_lowercase(), value.to_string()));
    // `transition: -webkit-transform .3s` names properties in its value too.
    let mut value = new_value.clone();
    if new_name == "transition" || new_name == "transition-property" {
        value = unprefix_property_list(&value);
    }
    if new_name == "transition" {
        value = without_visibility_transitions(&value);
    }
    value = safe_area(&value);
    value = super::legacy_values::webkit_gradients(&value).unwrap_or(value);
    value = normalize_units(&value).unwrap_or(value);
    if new_name == "grid-template-columns" || new_name == "grid-template-rows" {
        value = super::grid_tracks::expand(&value).unwrap_or(value);
    }
    if value != new_value {
        return Some((new_name, value));
    }
    mapped
}

/// `value` without a trailing `!important`, and that suffix (empty when there is none).
fn split_important(value: &str) -> (&str, &str) {
    let trimmed = value.trim_end();
    let Some(bang) = trimmed.rfind('!') else { return (value, "") };
    if trimmed[bang + 1..].trim_start().eq_ignore_ascii_case("important") {
        (&value[..bang], &value[bang..])
    } else {
        (value, "")
    }
}

/// The `inset` shorthand, which the engine does not read, as its four sides: the value for
/// `top` followed by `;right:…;bottom:…;left:…` (one to four lengths, as for `margin`), each
/// with the declaration's `!important` when it has one.
fn inset(value: &str, important: &str) -> Option<String> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, None);
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if c.is_whitespace() && depth == 0 => {
                if let Some(s) = start.take() {
                    parts.push(&value[s..i]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        parts.push(&value[s..]);
    }
    let [top, right, bottom, left] = match parts[..] {
        [a] => [a, a, a, a],
        [a, b] => [a, b, a, b],
        [a, b, c] => [a, b, c, b],
        [a, b, c, d] => [a, b, c, d],
        _ => return None,
    };
    let i = important;
    Some(format!("{top}{i};right:{right}{i};bottom:{bottom}{i};left:{left}{i}"))
}

/// `env(safe-area-inset-bottom)` and iOS 11's `constant(…)` as custom properties with a 0px
/// fallback: the insets of a screen without a notch or home indicator (what headless runs and
/// hosts that report none get).
fn safe_area(value: &str) -> String {
    if !value.contains("safe-area-inset-") {
        return value.to_string();
    }
    let mut out = value.to_string();
    for side in ["top", "right", "bottom", "left"] {
        for f in ["env", "constant"] {
            out = out.replace(
                &format!("{f}(safe-area-inset-{side})"),
                &format!("var(--safe-area-inset-{side}, 0px)"),
            );
        }
    }
    out
}

/// CSS units as the engine reads them (lower case).
const UNITS: &[&str] = &[
    "px", "rpx", "em", "rem", "vw", "vh", "vmin", "vmax", "deg", "rad", "grad", "turn", "s", "ms",
    "pt", "pc", "cm", "mm", "in", "q", "ex", "ch", "fr", "dpr",
];

/// Units the engine does not read, as (unit, factor, unit it reads): the absolute ones in px
/// (CSS: 1in = 96px = 72pt = 6pc = 2.54cm), and `ex`/`ch` at the 0.5em CSS assumes when the
/// font's own metrics are not known.
const CONVERTED_UNITS: &[(&str, f64, &str)] = &[
    ("pt", 4.0 / 3.0, "px"),
    ("pc", 16.0, "px"),
    ("in", 96.0, "px"),
    ("cm", 96.0 / 2.54, "px"),
    ("mm", 96.0 / 25.4, "px"),
    ("q", 96.0 / 101.6, "px"),
    ("ex", 0.5, "em"),
    ("ch", 0.5, "em"),
];

/// Whether `css` has a digit followed by a capital letter or by the start of a unit the engine
/// does not read (a cheap test before rewriting).
fn has_unit_to_rewrite(css: &str) -> bool {
    let b = css.as_bytes();
    (0..b.len().saturating_sub(1)).any(|i| {
        b[i].is_ascii_digit()
            && (b[i + 1].is_ascii_uppercase()
                || CONVERTED_UNITS.iter().any(|(unit, ..)| b[i + 1..].starts_with(unit.as_bytes())))
    })
}

/// `value` with units written in capitals (`1PX`, `2Rpx`) lower-cased and units the engine
/// does not read converted ([`CONVERTED_UNITS`]: `12pt` → `16px`), outside strings and
/// `url()`; `None` when it has none.
fn normalize_units(value: &str) -> Option<String> {
    if !has_unit_to_rewrite(value) {
        return None;
    }
    let b = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' => {
                i = skip_string(b, i, b[i]);
                continue;
            }
            b'(' if i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"url") => {
                i += b[i..].iter().position(|c| *c == b')').unwrap_or(b.len() - i);
                continue;
            }
            _ => {}
        }
        // a number starting at a token boundary, then its unit, then a boundary
        let boundary =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'_' | b'#' | b'.'));
        if !(boundary && (b[i].is_ascii_digit() || b[i] == b'.')) {
            i += 1;
            continue;
        }
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit() || **c == b'.').count();
        let unit_start = i + digits;
        let letters = b[unit_start..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let unit_end = unit_start + letters;
        let ends = unit_end == b.len()
            || !(b[unit_end].is_ascii_alphanumeric() || matches!(b[unit_end], b'_' | b'-'));
        let unit = value[unit_start..unit_end].to_ascii_lowercase();
        let converted = CONVERTED_UNITS.iter().find(|(u, ..)| *u == unit);
        let number = value[i..unit_start].parse::<f64>().ok();
        if letters > 0 && ends {
            if let (Some((_, factor, to)), Some(n)) = (converted, number) {
                out.push_str(&value[copied..i]);
                out.push_str(&format!("{}{to}", (n * factor * 1e4).round() / 1e4));
                copied = unit_end;
            } else if UNITS.contains(&unit.as_str()) && unit != value[unit_start..unit_end] {
                out.push_str(&value[copied..unit_start]);
                out.push_str(&unit);
                copied = unit_end;
            }
        }
        i = unit_end.max(i + 1);
    }
    (copied > 0).then(|| out + &value[copied..])
}

/// A `transition` list without its `visibility` entries, which the engine cannot animate (a
/// WebView flips `visibility` at one end of the transition; here it flips at once), `none`
/// when nothing is left.
fn without_visibility_transitions(value: &str) -> String {
    if !value.contains("visibility") {
        return value.to_string();
    }
    let kept: Vec<&str> = value
        .split(',')
        .filter(|t| !t.trim_start().to_ascii_lowercase().starts_with("visibility"))
        .collect();
    if kept.is_empty() {
        "none".into()
    } else {
        kept.join(",")
    }
}

/// A transition's property names without `-webkit-` where the standard name is known.
fn unprefix_property_list(value: &str) -> String {
    let mut out = value.to_string();
    for std in STANDARD {
        out = out.replace(&format!("-webkit-{std}"), std);
    }
    out
}

fn standard_name(name: &str, value: &str) -> Option<(String, String)> {
    let lower = name.to_ascii_lowercase();
    let v = value.trim();
    let keep = || value.to_string();
    match lower.as_str() {
        "display" => {
            let mapped = match v.to_ascii_lowercase().as_str() {
                "-webkit-flex" | "-webkit-box" | "-moz-box" | "-ms-flexbox" => "flex",
                // a block with a list marker, which no built-in draws
                "list-item" => "block",
                "-webkit-inline-flex" | "-webkit-inline-box" | "-ms-inline-flexbox" => {
                    "inline-flex"
                }
                _ => return None,
            };
            Some((lower, mapped.to_string()))
        }
        // the engine reads neither the size keywords nor the relative ones: the sizes Chromium
        // and WebKit give them at the default 16px, and their 1.2 step
        "font-size" => {
            let mapped = match v.to_ascii_lowercase().as_str() {
                "xx-small" => "9px",
                "x-small" => "10px",
                "small" => "13px",
                "medium" => "16px",
                "large" => "18px",
                "x-large" => "24px",
                "xx-large" => "32px",
                "xxx-large" => "48px",
                "smaller" => "0.8333em",
                "larger" => "1.2em",
                _ => return None,
            };
            Some((lower, mapped.into()))
        }
        "word-wrap" => Some(("overflow-wrap".into(), keep())),
        // no limit: the engine reads `none` nowhere, `auto` as none
        "max-width" | "max-height" if v.eq_ignore_ascii_case("none") => {
            Some((lower, "auto".into()))
        }
        // the generated box reads the attribute (layout/generated.rs)
        "content" => {
            let name = v.strip_prefix("attr(")?.strip_suffix(')')?.trim();
            // a marked string (layout::generated::CONTENT_ATTR_MARKER, U+0001 as a CSS
            // escape): it wins or loses in the cascade like any content
            Some((lower, format!("\"\\1 miniapp-attr:{name}\"")))
        }
        "-webkit-line-clamp" => Some(("-wx-line-clamp".into(), keep())),
        "-webkit-box-orient" => {
            let mapped = match v.to_ascii_lowercase().as_str() {
                "vertical" | "block-axis" => "column",
                "horizontal" | "inline-axis" => "row",
                _ => return None,
            };
            Some(("flex-direction".into(), mapped.into()))
        }
        "-webkit-box-pack" => {
            let mapped = match v.to_ascii_lowercase().as_str() {
                "start" => "flex-start",
                "end" => "flex-end",
                "center" => "center",
                "justify" => "space-between",
                _ => return None,
            };
            Some(("justify-content".into(), mapped.into()))
        }
        "-webkit-box-align" => {
            let mapped = match v.to_ascii_lowercase().as_str() {
                "start" => "flex-start",
                "end" => "flex-end",
                "center" => "center",
                "baseline" => "baseline",
                "stretch" | "initial" => "stretch",
                _ => return None,
            };
            Some(("align-items".into(), mapped.into()))
        }
        "-webkit-box-flex" => Some(("flex-grow".into(), keep())),
        // The default direction: nothing to apply (`reverse` stays a warning).
        "-webkit-box-direction" if v.eq_ignore_ascii_case("normal") => {
            Some((String::new(), String::new()))
        }
        "-webkit-box-ordinal-group" => Some(("order".into(), keep())),
        _ => {
            let bare = lower.strip_prefix("-webkit-")?;
            STANDARD.contains(&bare).then(|| (bare.to_string(), keep()))
        }
    }
}

/// `css` (a style sheet) with prefixed declarations rewritten (borrowed when nothing changes).
pub fn unprefix(css: &str) -> Cow<'_, str> {
    rewrite(css, false)
}

/// [`unprefix`] for a `style="…"` attribute: declarations without a rule around them.
pub fn unprefix_declarations(text: &str) -> Cow<'_, str> {
    rewrite(text, true)
}

/// Text one of the rewrites needs: a sheet with none of these (and no unit to rewrite) is
/// left as it is without being scanned.
const REWRITE_HINTS: &[&str] = &[
    "-webkit-",
    "word-wrap",
    "-ms-",
    "-moz-box",
    "safe-area-inset-",
    "attr(",
    "repeat(",
    "minmax(",
    "small",
    "large",
    "medium",
    "inset",
    "!important",
    "font",
    "none",
    "@charset",
    "visibility",
    "list-item",
];

fn rewrite(css: &str, declarations_first: bool) -> Cow<'_, str> {
    if !REWRITE_HINTS.iter().any(|hint| css.contains(hint)) && !has_unit_to_rewrite(css) {
        return Cow::Borrowed(css);
    }
    let b = css.as_bytes();
    let mut out = String::with_capacity(css.len());
    let mut i = 0;
    let mut copied = 0;
    let mut at_decl_start = declarations_first;
    while i < b.len() {
        if let Some(next) = skip_inert(css, i) {
            at_decl_start &= b[i] == b'/'; // a comment keeps the place, a string ends it
            i = next;
            continue;
        }
        // `@charset "…";` says how the file is encoded, which the package loader settled:
        // blanked, columns kept
        if b[i] == b'@' && css[i..].starts_with("@charset") {
            if let Some(e) = value_end(b, i) {
                let end = if b.get(e) == Some(&b';') { e + 1 } else { e };
                out.push_str(&css[copied..i]);
                out.push_str(&" ".repeat(css[i..end].chars().count()));
                copied = end;
                i = end;
                continue;
            }
        }
        match b[i] {
            b'{' | b';' => {
                at_decl_start = true;
                i += 1;
                continue;
            }
            b'}' => {
                at_decl_start = false;
                i += 1;
                continue;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        if !at_decl_start {
            i += 1;
            continue;
        }
        at_decl_start = false;
        // A property name, then `:`, then the value up to `;` or `}`.
        let name_end = i + b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b'_')
            .count();
        let mut colon = name_end;
        while colon < b.len() && (b[colon] == b' ' || b[colon] == b'\t') {
            colon += 1;
        }
        if name_end == i || b.get(colon) != Some(&b':') {
            i += 1;
            continue;
        }
        let Some(value_end) = value_end(b, colon + 1) else {
            i = colon + 1;
            continue;
        };
        let (name, value) = (&css[i..name_end], &css[colon + 1..value_end]);
        if let Some((new_name, new_value)) = standard(name, value) {
            out.push_str(&css[copied..i]);
            let before = value_end - i;
            let decl = if new_name.is_empty() {
                String::new() // a declaration with no effect: blanked, columns kept
            } else if new_value == value {
                format!("{new_name}{}", &css[name_end..value_end])
            } else {
                format!(
                    "{new_name}:{}{new_value}",
                    " ".repeat(value.len() - value.trim_start().len())
                )
            };
            let pad = before.saturating_sub(decl.chars().count());
            out.push_str(&decl);
            out.push_str(&" ".repeat(pad));
            copied = value_end;
        }
        i = value_end;
    }
    if copied == 0 {
        return Cow::Borrowed(css);
    }
    out.push_str(&css[copied..]);
    Cow::Owned(out)
}

/// Where scanning CSS goes on when `i` starts a comment or a string (their insides are never
/// CSS syntax); `None` at anything else.
pub(super) fn skip_inert(css: &str, i: usize) -> Option<usize> {
    let b = css.as_bytes();
    match b[i] {
        b'/' if b.get(i + 1) == Some(&b'*') => {
            Some(css[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2))
        }
        q @ (b'"' | b'\'') => Some(skip_string(b, i, q)),
        _ => None,
    }
}

/// The index after the string starting at `start` (quote `quote`), escapes skipped.
fn skip_string(b: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// Where a declaration's value ends (before `;`, `}` or a newline-free `!important`'s end);
/// `None` when a `{` comes first (a selector such as `view:first-child {`, not a declaration).
fn value_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut parens = 0i32;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' => {
                i = skip_string(b, i, b[i]);
                continue;
            }
            b'(' => parens += 1,
            b')' => parens -= 1,
            b'{' => return None,
            b';' | b'}' if parens <= 0 => return Some(trim_end(b, from, i)),
            _ => {}
        }
        i += 1;
    }
    Some(trim_end(b, from, b.len()))
}

fn trim_end(b: &[u8], from: usize, mut end: usize) -> usize {
    while end > from && b[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_properties_and_values_become_standard() {
        assert_eq!(unprefix(".a{-webkit-flex:1;flex:1}"), ".a{flex:1        ;flex:1}");
        assert_eq!(
            unprefix(
                ".a { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }"
            ),
            ".a { display: flex       ; flex-direction: column      ; -wx-line-clamp: 2    ; }"
        );
        assert_eq!(unprefix("a{-webkit-box-pack:justify}"), "a{justify-content:space-between}");
        assert_eq!(
            unprefix("a{-webkit-transform:rotate(45deg)}"),
            "a{transform:rotate(45deg)        }"
        );
        assert_eq!(unprefix("a{word-wrap:break-word}"), "a{overflow-wrap:break-word}");
        assert_eq!(
            unprefix("a{padding-bottom:calc(8px + env(safe-area-inset-bottom))}"),
            "a{padding-bottom:calc(8px + var(--safe-area-inset-bottom, 0px))}"
        );
        assert_eq!(
            unprefix("a{transition:-webkit-transform .3s}"),
            "a{transition:transform .3s        }"
        );
        assert_eq!(
            unprefix("a{-webkit-box-direction:normal;b:c}"),
            "a{                            ;b:c}"
        );
    }

    #[test]
    fn capital_units_are_lower_cased_outside_strings_and_urls() {
        assert_eq!(
            unprefix(".a{height:1PX;border-bottom:1PX solid #d9d9d9}"),
            ".a{height:1px;border-bottom:1px solid #d9d9d9}"
        );
        assert_eq!(unprefix(".a{margin:-2Rpx .5EM 0 1.5Vw}"), ".a{margin:-2rpx .5em 0 1.5vw}");
        assert_eq!(normalize_units("translate(1PX, 2PX)").as_deref(), Some("translate(1px, 2px)"));
        // colours, identifiers, strings, url() and unknown units stay as written
        assert_eq!(normalize_units("#1A2B3C"), None);
        assert_eq!(normalize_units("#10EM00"), None);
        assert_eq!(normalize_units("url(IMG1PX.png) no-repeat"), None);
        assert_eq!(normalize_units("'1PX' H5PX 3XY"), None);
        assert_eq!(normalize_units("1PX-2"), None);
    }

    #[test]
    fn inset_is_written_out_and_important_values_are_rewritten_too() {
        assert_eq!(unprefix(".a{inset:0}"), ".a{top:0;right:0;bottom:0;left:0}");
        assert_eq!(
            unprefix(".a{inset: 1px calc(2px + 1%) 3px}"),
            ".a{top: 1px;right:calc(2px + 1%);bottom:3px;left:calc(2px + 1%)}"
        );
        assert_eq!(
            unprefix(".a{inset:0 !important}"),
            ".a{top:0!important;right:0!important;bottom:0!important;left:0!important}"
        );
        assert_eq!(
            unprefix(".a{display:-webkit-flex!important}"),
            ".a{display:flex!important        }"
        );
        assert_eq!(unprefix(".a{color:red !important}"), ".a{color:red !important}");
    }

    #[test]
    fn font_shorthands_old_gradients_no_max_and_charset_are_read() {
        assert_eq!(
            unprefix("@charset \"UTF-8\";\n.i{font:normal normal normal 14px/1 vant-icon}"),
            "                 \n.i{font-style:normal;font-weight:normal;font-size:14px;\
             line-height:1;font-family:vant-icon}"
        );
        assert_eq!(
            unprefix(".a{font:bold 12pt Arial !important}"),
            ".a{font-style:normal!important;font-weight:bold!important;font-size:16px!important;\
             line-height:normal!important;font-family:Arial!important}"
        );
        assert_eq!(
            unprefix(".a{background:-webkit-linear-gradient(top,#fff,#000)}"),
            ".a{background:linear-gradient(to bottom,#fff,#000)  }"
        );
        assert_eq!(
            unprefix(".a{max-height:none;max-width: NONE;min-height:none}"),
            ".a{max-height:auto;max-width: auto;min-height:none}"
        );
        assert_eq!(
            unprefix(".a{transition:opacity .3s,visibility .3s;display:list-item}"),
            ".a{transition:opacity .3s               ;display:block    }"
        );
        assert_eq!(
            unprefix(".a{transition: visibility 0s linear .2s;-webkit-box-align:initial}"),
            ".a{transition: none                    ;align-items:stretch      }"
        );
    }

    #[test]
    fn font_size_keywords_become_lengths() {
        assert_eq!(
            unprefix(".a{font-size:x-large}.b{font-size: Smaller }.c{font-size:medium;color:red}"),
            ".a{font-size:24px   }.b{font-size: 0.8333em }.c{font-size:16px  ;color:red}"
        );
        // other properties and values stay
        assert_eq!(unprefix(".a{size:large;font-size:12px}"), ".a{size:large;font-size:12px}");
    }

    #[test]
    fn units_the_engine_does_not_read_are_converted() {
        assert_eq!(
            unprefix(".a{font-size:12pt;margin:0 1.5PT}"),
            ".a{font-size:16px;margin:0 2px  }"
        );
        assert_eq!(
            normalize_units("1in 2.54cm 25.4mm 6pc 72pt").as_deref(),
            Some("96px 96px 96px 96px 96px")
        );
        assert_eq!(normalize_units("-10pt 3q").as_deref(), Some("-13.3333px 2.8346px"));
        assert_eq!(
            normalize_units("20ch calc(1ex + 2px)").as_deref(),
            Some("10em calc(0.5em + 2px)")
        );
        // identifiers, colours, strings and url() stay as written
        assert_eq!(normalize_units("#12cm00 h1pt '2pt' url(a2pt.png) 2pts"), None);
    }

    #[test]
    fn leaves_what_it_does_not_know_and_keeps_lines() {
        let css = "/* -webkit-flex: 1 */\n.a{-webkit-tap-highlight-color:transparent;content:'-webkit-flex:1'}\n@media (x){view:first-child{-webkit-flex:1}}";
        let out = unprefix(css);
        assert_eq!(out.lines().count(), css.lines().count());
        assert!(out.starts_with("/* -webkit-flex: 1 */\n.a{-webkit-tap-highlight-color:transparent;content:'-webkit-flex:1'}"), "{out}");
        assert!(out.contains("view:first-child{flex:1        }"), "{out}");
        assert!(matches!(unprefix(".a{color:red}"), Cow::Borrowed(_)));
        assert_eq!(unprefix_declarations("-webkit-flex:1;color:red"), "flex:1        ;color:red");
    }
}
