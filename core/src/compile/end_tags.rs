//! Unbalanced WXML tags as errors a person can act on.
//!
//! The template compiler reports a mistyped end tag (`<text>hi</txet>`) as two warnings, a
//! "missing end tag" at the start tag and an "invalid end tag" at the end tag, plus one pair
//! for every enclosing element its recovery then mis-pairs. WeChat's compiler refuses such a
//! template, so these are errors here, one per real mistake: an end tag that does not match the
//! element it closes names both tags and both places and says which to change; the cascade it
//! causes (later pairs whose names do match) is dropped; an end tag with no start tag and a
//! start tag never closed are reported on their own. Pure; any thread.

use crate::diagnostic::{Code, Diagnostic, Level};

/// A tag the compiler complained about: 1-based line and UTF-16 column, and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct TagAt {
    /// 1-based line.
    pub line: u32,
    /// 1-based UTF-16 column.
    pub column: u32,
    /// The tag name read from the source at that place.
    pub name: String,
}

impl TagAt {
    /// The tag at the compiler's 0-based `line`/`utf16_col` in `src` (the place of `<`, `</` or
    /// the name itself).
    pub fn read(src: &str, line: u32, utf16_col: u32) -> TagAt {
        let text = src.lines().nth(line as usize).unwrap_or_default();
        let mut units = 0u32;
        let rest = text
            .char_indices()
            .find(|(_, c)| {
                let here = units >= utf16_col;
                units += c.len_utf16() as u32;
                here
            })
            .map_or("", |(i, _)| &text[i..]);
        let name: String = rest
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        TagAt { line: line + 1, column: utf16_col + 1, name }
    }

    fn place(&self) -> String {
        format!("line {}, column {}", self.line, self.column)
    }
}

/// The errors for one template, given the start tags reported unclosed and the end tags
/// reported invalid (each in any order).
pub fn explain(
    file: &str,
    mut unclosed: Vec<TagAt>,
    mut stray_ends: Vec<TagAt>,
) -> Vec<Diagnostic> {
    let key = |t: &TagAt| (t.line, t.column);
    unclosed.sort_by_key(key);
    stray_ends.sort_by_key(key);
    let mut paired = vec![false; unclosed.len()];
    let mut out = Vec::new();
    let error = |at: &TagAt, message: String| {
        Diagnostic::new(Level::Error, Code::TemplateSyntax, file, message).at(at.line, at.column)
    };
    for end in &stray_ends {
        let open = (0..unclosed.len()).rev().find(|&i| !paired[i] && key(&unclosed[i]) < key(end));
        match open {
            Some(i) => {
                paired[i] = true;
                let start = &unclosed[i];
                if start.name != end.name {
                    out.push(error(
                        end,
                        format!(
                            "end tag `</{}>` does not match start tag `<{}>` at {}: change it to \
                             `</{}>` (or the start tag to `<{}>`)",
                            end.name,
                            start.name,
                            start.place(),
                            start.name,
                            end.name
                        ),
                    ));
                }
                // Same names: the compiler's recovery mis-paired them after an earlier mistake.
            }
            None => out.push(error(
                end,
                format!(
                    "end tag `</{}>` has no start tag: remove it, or add `<{}>` before it",
                    end.name, end.name
                ),
            )),
        }
    }
    let cascade = paired.iter().any(|p| *p);
    for (start, _) in unclosed.iter().zip(&paired).filter(|(_, p)| !**p) {
        // After a mismatch every enclosing element is reported unclosed too; only an unclosed
        // tag with no mismatch before it is a mistake of its own.
        if cascade && stray_ends.iter().any(|e| key(e) > key(start)) {
            continue;
        }
        out.push(error(
            start,
            format!(
                "start tag `<{}>` is never closed: add `</{}>` where the element ends (or write \
                 `<{} />`)",
                start.name, start.name, start.name
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(line: u32, column: u32, name: &str) -> TagAt {
        TagAt { line, column, name: name.into() }
    }

    #[test]
    fn reads_names_at_compiler_positions() {
        let src = "<view>\n  <text>中文</txet>\n";
        assert_eq!(TagAt::read(src, 1, 3), tag(2, 4, "text"));
        assert_eq!(TagAt::read(src, 1, 10), tag(2, 11, "txet"));
        assert_eq!(TagAt::read(src, 0, 0), tag(1, 1, "view"));
    }

    #[test]
    fn one_error_for_a_mistyped_end_tag() {
        let d = explain(
            "p.wxml",
            vec![tag(1, 2, "view"), tag(2, 4, "text")],
            vec![tag(2, 11, "txet"), tag(4, 1, "view")],
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].to_string(),
            "p.wxml:2:11: error [E300]: end tag `</txet>` does not match start tag `<text>` at \
             line 2, column 4: change it to `</text>` (or the start tag to `<txet>`)"
        );
    }

    #[test]
    fn stray_end_and_unclosed_start() {
        let d = explain("p.wxml", vec![], vec![tag(3, 1, "view")]);
        assert!(d[0].message.contains("`</view>` has no start tag"), "{d:?}");
        let d = explain("p.wxml", vec![tag(1, 2, "view")], vec![]);
        assert!(d[0].message.contains("`<view>` is never closed: add `</view>`"), "{d:?}");
    }
}
