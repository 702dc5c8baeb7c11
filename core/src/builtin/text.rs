//! The `text` component's content rules. `decode` turns the entities WeChat's `text` knows
//! (`&nbsp;`, `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&ensp;`, `&emsp;`) into characters; `space` (`nbsp`, `ensp` or `emsp`) keeps
//! each space as that non-collapsing space, so runs of spaces show. The tree keeps what the
//! template bound; hosts, layout and dumps see [`display`]'s result. Plain data; any thread.

use std::borrow::Cow;

use super::rich_text::decode_entities_with;

/// What a text run inside `<text decode=… space=…>` shows.
pub fn display<'a>(text: &'a str, decode: bool, space: &str) -> Cow<'a, str> {
    let fill = match space {
        "nbsp" => Some('\u{a0}'),
        "ensp" => Some('\u{2002}'),
        "emsp" => Some('\u{2003}'),
        _ => None,
    };
    if !decode && (fill.is_none() || !text.contains(' ')) {
        return Cow::Borrowed(text);
    }
    let mut out = match fill {
        Some(c) => text.replace(' ', &c.to_string()),
        None => text.to_string(),
    };
    if decode && out.contains('&') {
        out = decode_text_entities(&out);
    }
    Cow::Owned(out)
}

/// The entities `text` decodes (WeChat's list), in one pass.
fn decode_text_entities(s: &str) -> String {
    const ENTITIES: &[(&str, char)] = &[
        ("nbsp", '\u{a0}'),
        ("lt", '<'),
        ("gt", '>'),
        ("amp", '&'),
        ("apos", '\''),
        ("ensp", '\u{2002}'),
        ("emsp", '\u{2003}'),
    ];
    decode_entities_with(s, |name| ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_only_when_asked() {
        assert_eq!(display("a &lt; b&nbsp;c", false, ""), "a &lt; b&nbsp;c");
        assert_eq!(display("a &lt; b&nbsp;c", true, ""), "a < b\u{a0}c");
        assert_eq!(display("&amp;lt;", true, ""), "&lt;", "one pass, not recursive");
        assert_eq!(display("&bogus; & &copy; &#60;", true, ""), "&bogus; & &copy; &#60;");
        assert_eq!(display("&apos;&gt;&ensp;&emsp;", true, ""), "'>\u{2002}\u{2003}");
    }

    #[test]
    fn space_keeps_every_space() {
        assert_eq!(display("a  b", false, "nbsp"), "a\u{a0}\u{a0}b");
        assert_eq!(display("a  b", false, "ensp"), "a\u{2002}\u{2002}b");
        assert_eq!(display("a b", false, "emsp"), "a\u{2003}b");
        assert_eq!(display("a  b", false, "wide"), "a  b", "unknown values change nothing");
        assert_eq!(display("a &emsp; b", true, "nbsp"), "a\u{a0}\u{2003}\u{a0}b");
    }
}
