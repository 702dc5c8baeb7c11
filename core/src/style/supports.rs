//! `@supports` blocks, which the style engine does not read (it drops them whole). Each
//! condition is answered here, as CSS defines it, against this engine: a declaration test
//! `(prop: value)` holds when the engine applies that declaration (after the rewrites of
//! [`super::prefixes`]: `(padding-bottom: env(safe-area-inset-bottom))` holds); `not`, `and`,
//! `or` and nested parentheses combine tests; anything else (`selector(…)`, unknown forms) is
//! false. A block whose condition holds gives its rules to the sheet as if written outside it;
//! one whose condition fails is blanked. Every line and column is kept (the at-rule's text
//! becomes spaces). Pure; any thread.

use std::borrow::Cow;

use super::prefixes::skip_inert;

/// `css` with each `@supports` block resolved (borrowed when there is none).
pub fn resolve(css: &str) -> Cow<'_, str> {
    if !css.contains("@supports") {
        return Cow::Borrowed(css);
    }
    // byte ranges of `css` to blank, in order
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let b = css.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some(next) = skip_inert(css, i) {
            i = next;
            continue;
        }
        if b[i] != b'@' || !css[i..].starts_with("@supports") {
            i += 1;
            continue;
        }
        let Some(open) = block_start(css, i) else { break };
        let Some(close) = block_end(css, open) else { break };
        let condition = &css[i + "@supports".len()..open];
        if holds(condition) {
            // the rules stand on their own: the at-rule's prelude and closing brace go
            blanks.push((i, open + 1));
            blanks.push((close, close + 1));
            i = open + 1;
        } else {
            blanks.push((i, close + 1));
            i = close + 1;
        }
    }
    if blanks.is_empty() {
        return Cow::Borrowed(css);
    }
    blanks.sort_unstable();
    let mut out = String::with_capacity(css.len());
    let mut copied = 0;
    for (start, end) in blanks {
        if start < copied {
            continue; // inside a block already blanked
        }
        out.push_str(&css[copied..start]);
        // a space per character, newlines kept: lines and the columns after stay
        out.extend(css[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        copied = end;
    }
    out.push_str(&css[copied..]);
    Cow::Owned(out)
}

/// The `{` opening the block of the at-rule at `at` (strings, comments and parentheses skipped).
fn block_start(css: &str, at: usize) -> Option<usize> {
    let b = css.as_bytes();
    let (mut i, mut parens) = (at, 0i32);
    while i < b.len() {
        if let Some(next) = skip_inert(css, i) {
            i = next;
            continue;
        }
        match b[i] {
            b'(' => parens += 1,
            b')' => parens -= 1,
            b'{' if parens <= 0 => return Some(i),
            b';' | b'}' if parens <= 0 => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The `}` closing the block opened at `open`.
fn block_end(css: &str, open: usize) -> Option<usize> {
    let b = css.as_bytes();
    let (mut i, mut depth) = (open, 0usize);
    while i < b.len() {
        if let Some(next) = skip_inert(css, i) {
            i = next;
            continue;
        }
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether a `@supports` condition holds here (see the module docs).
fn holds(condition: &str) -> bool {
    let c = condition.trim();
    if let Some(rest) = strip_keyword(c, "not") {
        return !in_parens(rest);
    }
    let parts = split_operands(c);
    match parts.as_slice() {
        [] => false,
        [one] => in_parens(one),
        _ => {
            let ops: Vec<&str> = parts.iter().skip(1).step_by(2).copied().collect();
            let operands: Vec<&str> = parts.iter().step_by(2).copied().collect();
            let all = |op: &str| ops.iter().all(|o| o.eq_ignore_ascii_case(op));
            if all("and") {
                operands.iter().all(|o| in_parens(o))
            } else if all("or") {
                operands.iter().any(|o| in_parens(o))
            } else {
                false // `and` and `or` mixed without parentheses: invalid, so false
            }
        }
    }
}

/// `text` after the keyword `word` and whitespace, when it starts so.
fn strip_keyword<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace)).then_some(rest)
}

/// The top-level parts of a condition: operands and the `and`/`or` words between them.
fn split_operands(c: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, None::<usize>);
    for (i, ch) in c.char_indices() {
        match ch {
            '(' => {
                if depth == 0 && start.is_none() {
                    start = Some(i);
                }
                depth += 1;
            }
            ')' => depth -= 1,
            ch if ch.is_whitespace() && depth == 0 => {
                if let Some(s) = start.take() {
                    parts.push(&c[s..i]);
                }
            }
            _ if depth == 0 && start.is_none() => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        parts.push(&c[s..]);
    }
    parts
}

/// A parenthesised test: a nested condition, or a declaration the engine must apply.
fn in_parens(part: &str) -> bool {
    let p = part.trim();
    let Some(inner) = p.strip_prefix('(').and_then(|x| x.strip_suffix(')')) else {
        return false; // `selector(…)` and other functions: not answered here
    };
    let inner = inner.trim();
    if inner.starts_with('(') || strip_keyword(inner, "not").is_some() {
        return holds(inner);
    }
    if !inner.contains(':') {
        return false;
    }
    let (props, warnings) = super::cascade::parse_inline(inner);
    !props.is_empty() && warnings.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_answered_against_this_engine() {
        assert!(holds("(display: flex)"));
        assert!(holds(" (padding-bottom: env(safe-area-inset-bottom))"));
        assert!(holds("(padding-bottom: constant(safe-area-inset-bottom))"));
        assert!(!holds("(display: contents)"));
        assert!(holds("not (display: contents)"));
        assert!(holds("(display: flex) and ((color: red) or (display: contents))"));
        assert!(!holds("(display: flex) and (display: contents)"));
        assert!(holds("(display: contents) or (display: flex)"));
        assert!(!holds("(display: flex) and (color: red) or (display: grid)"));
        assert!(!holds("selector(a > b)"));
        assert!(!holds(""));
    }

    #[test]
    fn blocks_stand_alone_or_are_blanked_with_lines_kept() {
        let css = "@supports (display: flex) {\n  .a { color: red }\n}\n@supports (display: contents) { .b { x: 1 } }\n.c { y: 2 }";
        let out = resolve(css);
        assert_eq!(
            out,
            "                           \n  .a { color: red }\n \n                                             \n.c { y: 2 }"
        );
        assert_eq!(resolve("/* @supports */ .a{}"), "/* @supports */ .a{}");
        // nested blocks: the inner one is answered too
        let css = "@supports (color: red) { @supports not (color: red) { .x{} } .y{} }";
        let nested = resolve(css);
        assert_eq!((nested.trim(), nested.len()), (".y{}", css.len()));
        // unclosed: left for the engine to report
        assert_eq!(resolve("@supports (color: red) { .a{}"), "@supports (color: red) { .a{}");
        // characters of several bytes (found by the styles fuzz target: a byte offset inside one)
        assert_eq!(
            resolve("@supports (a: 文) { .文{} }\n@supports (color: red) {.b{}}"),
            "                         \n                        .b{} "
        );
    }
}
