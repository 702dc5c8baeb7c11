//! How deep WXML nests, checked before the template compiler sees it.
//!
//! The template compiler recurses once per nesting level (tens of KiB of stack each in a
//! debug build), so a template nested thousands deep would overflow the stack and abort the
//! host process. [`too_deep`] scans the source (comments, quoted attribute values and the
//! inside of `<wxs>` skipped) and reports the first element nested deeper than
//! [`MAX_WXML_DEPTH`]; such a template is refused with that place instead. Real templates
//! nest a few dozen deep. Pure; any thread.

/// The deepest element nesting a template may have.
pub const MAX_WXML_DEPTH: usize = 256;

/// The 1-based line and column of the first element nested deeper than `max`, if any.
pub fn too_deep(src: &str, max: usize) -> Option<(u32, u32)> {
    let b = src.as_bytes();
    let (mut i, mut depth) = (0usize, 0usize);
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if src[i..].starts_with("<!--") {
            i = src[i + 4..].find("-->").map_or(b.len(), |e| i + 4 + e + 3);
            continue;
        }
        if b.get(i + 1) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            i = src[i..].find('>').map_or(b.len(), |e| i + e + 1);
            continue;
        }
        if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let start = i;
        let name_end = i
            + 1
            + b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count();
        let name = &src[i + 1..name_end];
        // the end of the start tag, quoted values skipped (`{{a > b}}` inside quotes)
        let mut j = name_end;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let self_closing = j > 0 && b.get(j - 1) == Some(&b'/');
        // past the `>`, or the end of the source when the tag never closes
        i = (j + 1).min(b.len());
        if self_closing {
            continue;
        }
        if name == "wxs" {
            i = src[i..].find("</wxs>").map_or(b.len(), |e| i + e + 6);
            continue;
        }
        depth += 1;
        if depth > max {
            let line = src[..start].matches('\n').count() as u32 + 1;
            let col = src[..start].rfind('\n').map_or(start, |n| start - n - 1) as u32 + 1;
            return Some((line, col));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_left_open_at_the_end_are_not_an_error_here() {
        // found by the `templates` fuzz target: `<wxs` with no `>` read past the end
        for src in ["<wxs src='a'", "<wxs", "<view><wxs module=\"m\">", "<view", "<view a=\"x"] {
            assert_eq!(too_deep(src, 2), None, "{src}");
        }
    }

    #[test]
    fn finds_the_first_element_too_deep() {
        assert_eq!(too_deep("<view><view>x</view></view>", 2), None);
        assert_eq!(too_deep("<view>\n  <view><text>x</text></view></view>", 2), Some((2, 9)));
        // self-closing, comments, quoted `>` and wxs content do not nest
        let src = "<view a=\"{{b > c}}\"><image/><!-- <view><view> --><wxs module=\"m\">var a = '<view>'</wxs></view>";
        assert_eq!(too_deep(src, 1), None);
    }
}
