//! Plain-words explanations of JSON syntax errors in `app.json` and component `.json` files:
//! what is wrong at the error's place and how to fix it, in the terms of the mistakes people
//! make when they write JSON by hand (comments, single quotes, trailing commas, unquoted keys).
//! The diagnostic carries the line and column; the message does not repeat them. Pure; any
//! thread.

/// What is wrong with `text` at serde_json's error `e`, and the fix.
pub fn explain(e: &serde_json::Error, text: &str) -> String {
    let raw = e.to_string();
    let what = raw.split(" at line ").next().unwrap_or(&raw);
    let at = char_at(text, e.line(), e.column());
    let before = last_significant_before(text, e.line(), e.column());
    if e.is_eof() {
        return "the file ends before the JSON does: a closing `}` or `]` (or a closing `\"`) is \
                missing"
            .into();
    }
    if what.starts_with("trailing comma") {
        return "a comma before a closing `}` or `]`: JSON allows no trailing comma; remove it"
            .into();
    }
    if what.starts_with("trailing characters") {
        return "text after the end of the JSON object: remove it, or look for an extra `}` \
                earlier"
            .into();
    }
    if what.starts_with("control character") {
        return "a line break or tab inside a string: write it as `\\n` or `\\t`, or close the \
                string's `\"`"
            .into();
    }
    if what.starts_with("invalid escape") {
        return "an invalid `\\` escape in a string: write `\\\\` for a backslash".into();
    }
    if at == Some('/') {
        return "a comment: JSON has no `//` or `/* */` comments; remove it".into();
    }
    if at == Some('\'') {
        return "a single-quoted string: JSON strings and keys use double quotes `\"…\"`".into();
    }
    if what.starts_with("key must be a string") {
        return "an object key without double quotes: write it as `\"key\": value`".into();
    }
    if what.starts_with("expected `:`") {
        return "a key must be followed by `:` and its value".into();
    }
    if what.starts_with("expected `,` or `}`") || what.starts_with("expected `,` or `]`") {
        let close = if what.contains('}') { '}' } else { ']' };
        return match before {
            Some('"' | '}' | ']') | Some('0'..='9') => format!(
                "a missing comma: put `,` between the two values, or close the {} with `{close}`",
                if close == '}' { "object" } else { "array" }
            ),
            _ => format!("expected `,` or `{close}` here"),
        };
    }
    if what.starts_with("expected value") || what.starts_with("expected ident") {
        return "a value is missing or misspelled here: use a \"string\", a number, true, false, \
                null, an {object} or an [array]"
            .into();
    }
    format!("{what}: check the JSON syntax at this place")
}

/// The character at serde_json's 1-based `line`/`column` (column counts bytes; it points at
/// the last byte read).
fn char_at(text: &str, line: usize, column: usize) -> Option<char> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let idx = column.checked_sub(1)?;
    l.get(idx..)?.chars().next()
}

/// The last non-whitespace character before the error's place.
fn last_significant_before(text: &str, line: usize, column: usize) -> Option<char> {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            offset += column.saturating_sub(1).min(l.len());
            break;
        }
        offset += l.len();
    }
    text.get(..offset)?.chars().rev().find(|c| !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(text: &str) -> String {
        let e = serde_json::from_str::<serde_json::Value>(text).expect_err("invalid JSON");
        explain(&e, text)
    }

    #[test]
    fn names_the_mistake_and_the_fix() {
        assert!(explained("{\"a\": 1,}").contains("trailing comma"));
        assert!(explained("{\"a\": [1, 2,]}").contains("trailing comma"));
        assert!(explained("{\n // pages\n \"a\": 1}").contains("comment"));
        assert!(explained("{'a': 1}").contains("double quotes"));
        assert!(explained("{\"a\": 'x'}").contains("double quotes"));
        assert!(explained("{a: 1}").contains("without double quotes"));
        assert!(explained("{\"a\": 1 \"b\": 2}").contains("missing comma"));
        assert!(explained("{\"a\": [1 2]}").contains("missing comma"));
        assert!(explained("{\"a\": {").contains("ends before"));
        assert!(explained("{\"a\": 1}}").contains("after the end"));
        assert!(explained("{\"a\" 1}").contains("`:`"));
        assert!(explained("{\"a\": undefined}").contains("value is missing"));
    }

    #[test]
    fn does_not_repeat_the_position() {
        let text = explained("{\n\"a\": 1,\n}");
        assert!(!text.contains("line"), "{text}");
    }
}
