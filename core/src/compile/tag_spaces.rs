//! Unicode spaces in templates, which glass-easel's template parser (0.12.1) loops on.
//!
//! The parser skips only ASCII whitespace between attributes, but its "invalid attribute name"
//! scan stops at any Unicode whitespace without moving, so a full-width space (U+3000, common in
//! Chinese text), a no-break space or a line separator where it reads attribute names makes it
//! loop forever, allocating a warning per turn: a 220-byte template took 12 GB (found by the
//! `templates` fuzz target, four times in four shapes). Two layers:
//!
//! - [`normalize`] turns such a character into an ASCII space where a reader would take it for
//!   a separator — between a start, end or meta (`<!name …>`) tag's attributes, outside values
//!   and comments — so `<view\u{3000}class="a">` means what its author meant.
//! - [`HiddenSpaces`] is the guarantee: every Unicode space left anywhere in the compiler's
//!   input is swapped for a private-use character the sources do not use (not whitespace to the
//!   parser, which reads Unicode spaces nowhere else), and swapped back in the compiled output.
//!   No model of where the parser stands is needed for the compiler to finish.
//!
//! [`normalize`] also reads the old name of `wx:for`, `wx:for-items` (WeChat still takes it;
//! the compiler calls it an invalid attribute and renders the element once), as `wx:for`, the
//! six letters it saves given back as spaces before it.
//!
//! Both keep every line and UTF-16 column the compiler reports. Pure; any thread.

use std::borrow::Cow;

/// glass-easel's template whitespace.
fn template_space(c: char) -> bool {
    c == ' ' || ('\x09'..='\x0d').contains(&c)
}

/// Whitespace to Unicode but not to the template parser.
fn foreign_space(c: char) -> bool {
    c.is_whitespace() && !template_space(c)
}

/// The old name of `wx:for`.
const FOR_ITEMS: &str = "wx:for-items";

/// `src` with the Unicode spaces between a tag's attributes made ASCII and `wx:for-items`
/// attributes named `wx:for` (borrowed when there are neither). Text, attribute values,
/// expressions and comments keep theirs.
pub fn normalize(src: &str) -> Cow<'_, str> {
    if !src.chars().any(foreign_space) && !src.contains(FOR_ITEMS) {
        return Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut chars = src.char_indices().peekable();
    // inside a tag; the quote of the attribute value being read; an `=` just seen; how many
    // `{{` are open (inside an expression quotes and `>` end nothing)
    let (mut in_tag, mut quote, mut after_eq, mut depth) = (false, None::<char>, false, 0usize);
    while let Some((i, c)) = chars.next() {
        if !in_tag {
            if c == '<' && src[i..].starts_with("<!--") {
                let end = src[i..].find("-->").map_or(src.len(), |e| i + e + 3);
                out.push_str(&src[i..end]);
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
                continue;
            }
            // a start tag, an end tag, or a meta tag (`<!name …>`, which the parser reads as
            // one): inside them `<!--` starts no comment
            in_tag = c == '<'
                && chars
                    .peek()
                    .is_some_and(|(_, n)| n.is_alphabetic() || matches!(*n, '_' | '!' | '/'));
            out.push(c);
            continue;
        }
        if src[i..].starts_with("{{") {
            depth += 1;
        } else if depth > 0 && src[i..].starts_with("}}") {
            depth -= 1;
            // both braces: the second must not close another expression
            out.push(c);
            if let Some((_, second)) = chars.next() {
                out.push(second);
            }
            continue;
        }
        if depth > 0 {
            out.push(c);
            continue;
        }
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None if c == '>' => {
                in_tag = false;
                after_eq = false;
                out.push(c);
            }
            None if (c == '"' || c == '\'') && after_eq => {
                quote = Some(c);
                after_eq = false;
                out.push(c);
            }
            None if foreign_space(c) => out.push(' '),
            None if src[i..].starts_with(FOR_ITEMS)
                && out.ends_with(template_space)
                && src[i + FOR_ITEMS.len()..]
                    .trim_start_matches(template_space)
                    .starts_with('=') =>
            {
                out.push_str("      wx:for");
                for _ in 1..FOR_ITEMS.len() {
                    chars.next();
                }
            }
            None => {
                after_eq = c == '=';
                out.push(c);
            }
        }
    }
    Cow::Owned(out)
}

/// The Unicode spaces of a template group's sources, each with the private-use character
/// that stands for it while the template compiler reads them.
#[derive(Debug, Default)]
pub struct HiddenSpaces {
    /// (space, placeholder), one per space the sources hold
    pairs: Vec<(char, char)>,
}

/// Basic Multilingual Plane private-use area: one UTF-16 unit, as every Unicode space is.
const PRIVATE_USE: std::ops::RangeInclusive<u32> = 0xE000..=0xF8FF;

impl HiddenSpaces {
    /// Placeholders for the Unicode spaces of `sources` — every source whose text reaches the
    /// compiled group: templates and WXS modules — chosen among private-use characters none of
    /// them holds or names (`&#xE000;`, `\u{e000}`).
    pub fn for_sources<'a>(sources: impl IntoIterator<Item = &'a str>) -> Self {
        let (mut spaces, mut used) = (Vec::<char>::new(), std::collections::HashSet::new());
        for src in sources {
            for c in src.chars() {
                if foreign_space(c) && !spaces.contains(&c) {
                    spaces.push(c);
                }
                if PRIVATE_USE.contains(&(c as u32)) {
                    used.insert(c as u32);
                }
            }
            used.extend(named_code_points(src));
        }
        let mut free = PRIVATE_USE.filter(|p| !used.contains(p)).filter_map(char::from_u32);
        // with every placeholder taken (6,400 of them), the rest become ASCII spaces
        let pairs = spaces.into_iter().map(|s| (s, free.next().unwrap_or(' '))).collect();
        HiddenSpaces { pairs }
    }

    /// `src` with every Unicode space swapped for its placeholder (borrowed when it has none).
    pub fn hide<'a>(&self, src: &'a str) -> Cow<'a, str> {
        if !src.chars().any(foreign_space) {
            return Cow::Borrowed(src);
        }
        let hidden = src.chars().map(|c| {
            self.pairs
                .iter()
                .find(|(s, _)| *s == c)
                .map_or(if foreign_space(c) { ' ' } else { c }, |p| p.1)
        });
        Cow::Owned(hidden.collect())
    }

    /// The compiler's output with the placeholders swapped back: as written, or in the escaped
    /// form its string literals use (`\u{e000}`, after an even number of backslashes).
    pub fn restore<'a>(&self, js: &'a str) -> Cow<'a, str> {
        let pairs: Vec<_> = self.pairs.iter().filter(|(_, p)| *p != ' ').collect();
        if pairs.is_empty() {
            return Cow::Borrowed(js);
        }
        let mut out = String::with_capacity(js.len());
        let mut backslashes = 0usize;
        let mut rest = js;
        while let Some(c) = rest.chars().next() {
            let escape = (backslashes % 2 == 1 && c == 'u')
                .then(|| rest.strip_prefix("u{")?.split_once('}'))
                .flatten()
                .and_then(|(hex, after)| Some((u32::from_str_radix(hex, 16).ok()?, after)))
                .and_then(|(code, after)| {
                    Some((pairs.iter().find(|(_, p)| *p as u32 == code)?, after))
                });
            if let Some(((space, _), after)) = escape {
                out.push_str(&format!("u{{{:x}}}", *space as u32));
                rest = after;
                backslashes = 0;
                continue;
            }
            out.push(pairs.iter().find(|(_, p)| *p == c).map_or(c, |(s, _)| *s));
            backslashes = if c == '\\' { backslashes + 1 } else { 0 };
            rest = &rest[c.len_utf8()..];
        }
        Cow::Owned(out)
    }
}

/// Code points `src` names rather than holds: numeric character references (`&#57344;`,
/// `&#xE000;`, which the compiler decodes) and JavaScript escapes (`\u{e000}`, `\uE000`, which
/// reach the output as written).
fn named_code_points(src: &str) -> impl Iterator<Item = u32> + '_ {
    character_references(src).chain(src.match_indices("\\u").filter_map(|(i, _)| {
        let rest = &src[i + 2..];
        let hex = match rest.strip_prefix('{') {
            Some(braced) => &braced[..braced.find('}')?],
            None => rest.get(..4)?,
        };
        u32::from_str_radix(hex, 16).ok()
    }))
}

/// Code points named by numeric character references (`&#57344;`, `&#xE000;`) in `src`.
fn character_references(src: &str) -> impl Iterator<Item = u32> + '_ {
    src.match_indices("&#").filter_map(|(i, _)| {
        let rest = &src[i + 2..];
        let (radix, digits) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (16, hex),
            None => (10, rest),
        };
        let end = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        u32::from_str_radix(&digits[..end], radix).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_attributes_become_ascii() {
        assert_eq!(normalize("<view\u{3000}class=\"a\">x</view>"), "<view class=\"a\">x</view>");
        assert_eq!(normalize("<a x=\"1\"\u{a0}y=\"2\"/>"), "<a x=\"1\" y=\"2\"/>");
    }

    #[test]
    fn values_expressions_and_broken_tags_keep_their_spaces() {
        let kept = [
            "<a b=\"{{ '\u{3000}' + x }}\u{3000}y\">",
            "<t a=\"\u{2029}\" n=12 b='\u{3000}' wx:for-item=\"\u{a0}\" data-x.y=\"\u{3000}\"/>",
            // names the compiler cannot read: what it loops on there, HiddenSpaces hides
            "<t =\"a\u{a0}b\"></t>",
            "<text i+=\"rw \u{2029} vi",
        ];
        for src in kept {
            assert_eq!(normalize(src), src);
        }
        // an expression's quote and `>` end neither the value nor the tag
        assert_eq!(normalize("<a b=\"{{ x > '\"' }}\"\u{a0}c>"), "<a b=\"{{ x > '\"' }}\" c>");
    }

    #[test]
    fn for_items_is_read_as_for_in_tags_only() {
        assert_eq!(
            normalize("<view wx:for-items=\"{{list}}\" wx:key=\"id\">{{item}}</view>"),
            "<view       wx:for=\"{{list}}\" wx:key=\"id\">{{item}}</view>"
        );
        let kept = [
            "<text>wx:for-items=\"{{a}}\"</text>",
            "<view data-x=\" wx:for-items={{a}}\" wx:for-itemsx=\"1\"/>",
            "<!-- <view wx:for-items=\"{{a}}\"/> -->",
        ];
        for src in kept {
            assert_eq!(normalize(src), src);
        }
    }

    #[test]
    fn hidden_spaces_come_back_as_written_and_escaped() {
        let srcs = ["<t a=\"\u{3000}\">\u{e000}&#xE001;&#57346;</t>", "<b>\u{a0}\u{3000}</b>"];
        let wxs = "var icon = '\\u{e003}' + '\\ue004';";
        let hidden = HiddenSpaces::for_sources(srcs.into_iter().chain([wxs]));
        // private-use characters the sources use or name (also as JavaScript escapes) are skipped
        assert_eq!(hidden.pairs, [('\u{3000}', '\u{e005}'), ('\u{a0}', '\u{e006}')]);
        let text = hidden.hide(srcs[0]);
        assert_eq!(text, "<t a=\"\u{e005}\">\u{e000}&#xE001;&#57346;</t>");
        assert!(matches!(hidden.hide("<b>x</b>"), Cow::Borrowed(_)));
        // raw, escaped, and an escaped backslash before text that only looks like an escape
        let js = "\"\u{e005}\\u{e006}\\\\u{e005}\u{e000}\"";
        assert_eq!(hidden.restore(js), "\"\u{3000}\\u{a0}\\\\u{e005}\u{e000}\"");
    }

    #[test]
    fn text_values_and_comments_are_kept() {
        let kept = "<text class=\"a\u{3000}b\">\u{3000}全角</text><!-- <b\u{3000}c> -->";
        assert!(matches!(normalize(kept), Cow::Owned(ref s) if s == kept));
        assert!(matches!(normalize("<view class=\"a\">b</view>"), Cow::Borrowed(_)));
    }
}
