//! Unicode spaces between a start tag's attributes.
//!
//! glass-easel's template parser (0.12.1) skips only ASCII whitespace between attributes but
//! stops its "invalid attribute name" scan at any Unicode whitespace, so a full-width space
//! (U+3000, common in Chinese text), a no-break space or a line separator there makes it loop
//! forever, allocating a warning per turn: a 220-byte template took 12 GB (found by the
//! `templates` fuzz target). [`normalize`] turns such a character into an ASCII space where the
//! parser would meet it — inside a start tag, outside attribute values and comments — which
//! keeps every line and UTF-16 column the compiler reports. Text content and attribute values
//! are left as written. Pure; any thread.

use std::borrow::Cow;

/// glass-easel's template whitespace.
fn template_space(c: char) -> bool {
    c == ' ' || ('\x09'..='\x0d').contains(&c)
}

/// `src` with Unicode spaces between a start tag's attributes made ASCII (borrowed when there
/// are none).
pub fn normalize(src: &str) -> Cow<'_, str> {
    if src.chars().all(|c| c.is_ascii() || !c.is_whitespace()) {
        return Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut chars = src.char_indices().peekable();
    // inside a start tag; the quote of the attribute value being read; an `=` just seen
    let (mut in_tag, mut quote, mut after_eq) = (false, None::<char>, false);
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
            in_tag = c == '<' && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
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
            None if c.is_whitespace() && !template_space(c) => out.push(' '),
            None => {
                if c == '=' {
                    after_eq = true;
                } else if !template_space(c) {
                    after_eq = false;
                }
                out.push(c);
            }
        }
    }
    Cow::Owned(out)
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
    fn text_values_and_comments_are_kept() {
        let kept = "<text class=\"a\u{3000}b\">\u{3000}全角</text><!-- <b\u{3000}c> -->";
        assert!(matches!(normalize(kept), Cow::Owned(ref s) if s == kept));
        assert!(matches!(normalize("<view class=\"a\">b</view>"), Cow::Borrowed(_)));
    }
}
