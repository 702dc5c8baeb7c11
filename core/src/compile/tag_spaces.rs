//! Unicode spaces between a start tag's attributes.
//!
//! glass-easel's template parser (0.12.1) skips only ASCII whitespace between attributes but
//! stops its "invalid attribute name" scan at any Unicode whitespace, so a full-width space
//! (U+3000, common in Chinese text), a no-break space or a line separator there makes it loop
//! forever, allocating a warning per turn: a 220-byte template took 12 GB (found by the
//! `templates` fuzz target). [`normalize`] turns such a character into an ASCII space where the
//! parser would meet it — inside a start, end or meta (`<!name …>`) tag, outside attribute
//! values and comments — which
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
    // inside a start tag; the quote of the attribute value being read; an `=` just seen; how
    // many `{{` are open. An expression is JavaScript to the compiler, whose error recovery may
    // end it elsewhere than its `}}`: inside one, quotes and `>` are not trusted to end
    // anything, and a Unicode space (whitespace in JavaScript too) is made ASCII, so no reading
    // of the tag can leave one where the parser loops.
    let (mut in_tag, mut quote, mut after_eq, mut depth) = (false, None::<char>, false, 0usize);
    // An attribute name the parser cannot read (empty before `=`: `<t ="…"`, or with a
    // character a name cannot hold: `<t i+="…"`) makes it skip ahead and read what follows —
    // the quoted value included — as attribute names, where a Unicode space loops it as above.
    // Once that happens in a tag (`tainted`), every Unicode space in the rest of it is made
    // ASCII, values included. `in_name`: an attribute name is being read (`tag_name`: the tag's
    // own name).
    let (mut in_name, mut tainted, mut tag_name) = (false, false, false);
    // an unquoted attribute value is being read (`a=12`)
    let mut unquoted = false;
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
            in_name = false;
            tag_name = in_tag;
            tainted = false;
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
            out.push(if c.is_whitespace() && !template_space(c) { ' ' } else { c });
            continue;
        }
        let foreign_space = c.is_whitespace() && !template_space(c);
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(if tainted && foreign_space { ' ' } else { c });
            }
            None if c == '>' => {
                in_tag = false;
                after_eq = false;
                unquoted = false;
                out.push(c);
            }
            None if (c == '"' || c == '\'') && after_eq => {
                quote = Some(c);
                after_eq = false;
                out.push(c);
            }
            None if foreign_space => {
                in_name = false;
                tag_name = false;
                unquoted = false;
                out.push(' ')
            }
            None => {
                if c == '=' {
                    // the tag name ends at `=` as an attribute name would not
                    tainted |= !in_name || tag_name;
                    after_eq = true;
                    in_name = false;
                    tag_name = false;
                } else if template_space(c) || c == '/' {
                    in_name = false;
                    tag_name = false;
                    unquoted = false;
                } else {
                    // an unquoted value is read by other rules: only names are checked
                    unquoted |= after_eq;
                    if !tag_name && !unquoted {
                        // glass-easel's names: [A-Za-z_][A-Za-z0-9_.-]*, joined by `:`
                        let fits = if in_name {
                            c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':')
                        } else {
                            c.is_ascii_alphabetic() || c == '_'
                        };
                        tainted |= !fits;
                        in_name = true;
                    }
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
    fn spaces_inside_expressions_become_ascii_whatever_their_quotes() {
        // found by the fuzzer: the quote inside the expression and the `>` in the next one do
        // not end the value or the tag for the compiler, whose recovery then met U+2004 in
        // attribute-name position and looped, allocating (2 GB from 57 bytes)
        let src = "<cmost nuter:if=\"{{s  >=u\"{{count > 2}}\"\n  nu<=fro\n\u{2004} \u{1}(";
        let out = normalize(src);
        assert!(!out.contains('\u{2004}'), "{out:?}");
        assert_eq!(out.len(), src.len() - 2, "one 3-byte character became one byte");
        assert_eq!(
            normalize("<a b=\"{{ x\u{3000}+ 1 }}\u{3000}y\">"),
            "<a b=\"{{ x + 1 }}\u{3000}y\">"
        );
    }

    #[test]
    fn spaces_in_the_value_of_a_nameless_attribute_become_ascii() {
        // found by the fuzzer: `="…"` with no name before it is read as a name, and a Unicode
        // space in it looped the parser (2 GB from 100 bytes; the minimal form is `<t="\u{2029}`)
        assert_eq!(normalize("<t=\"\u{2029}"), "<t=\" ");
        assert_eq!(normalize("<t =\"a\u{a0}b\"></t>"), "<t =\"a b\"></t>");
        assert_eq!(normalize("<t a=\"1\" ='\u{3000}'/>"), "<t a=\"1\" =' '/>");
        // a name the parser cannot read: it reads the value as names (100 bytes, > 2 GB)
        assert_eq!(normalize("<text i+=\"rw \u{2029} vi"), "<text i+=\"rw   vi");
        assert_eq!(normalize("<t \"x\u{3000}\" a=\"\u{a0}\">"), "<t \"x \" a=\" \">");
        // well-formed names keep their values' spaces
        let named =
            "<t a=\"\u{2029}\" n=12 b='\u{3000}' wx:for-item=\"\u{a0}\" data-x.y=\"\u{3000}\"/>";
        assert_eq!(normalize(named), named);
    }

    #[test]
    fn text_values_and_comments_are_kept() {
        let kept = "<text class=\"a\u{3000}b\">\u{3000}全角</text><!-- <b\u{3000}c> -->";
        assert!(matches!(normalize(kept), Cow::Owned(ref s) if s == kept));
        assert!(matches!(normalize("<view class=\"a\">b</view>"), Cow::Borrowed(_)));
    }
}
