//! Integer literals in template expressions that the template compiler cannot hold.
//!
//! glass-easel's expression parser accumulates an integer literal in an `i64` without an
//! overflow check: `{{5555555555555555555555}}` panics where overflow checks are on (debug
//! builds: the CLI, tests) and silently wraps to a wrong number where they are off. [`too_long`]
//! finds such a literal (found by the `templates` fuzz target) so the template is refused with
//! its place instead. Pure; any thread.

/// Digits an `i64` always holds (its maximum has 19).
const MAX_DIGITS: usize = 18;

/// The 1-based line and column of the first integer literal inside `{{ }}` longer than an
/// `i64` can hold, if any. Quoted strings inside the braces are skipped; digits that continue
/// a name (`item123…`) or follow a `.` (a fraction) are not integer literals.
pub fn too_long(src: &str) -> Option<(u32, u32)> {
    let b = src.as_bytes();
    let mut i = 0;
    while let Some(open) = src[i..].find("{{").map(|o| i + o + 2) {
        let close = src[open..].find("}}").map_or(b.len(), |c| open + c);
        let mut j = open;
        let mut quote = None;
        while j < close {
            let c = b[j];
            match quote {
                Some(_) if c == b'\\' => j += 1,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'\'' || c == b'"' => quote = Some(c),
                None if c.is_ascii_digit() => {
                    let run = b[j..close].iter().take_while(|d| d.is_ascii_digit()).count();
                    let before = if j > open { b[j - 1] } else { b' ' };
                    let starts_number = !(before.is_ascii_alphanumeric()
                        || before == b'_'
                        || before == b'$'
                        || before == b'.');
                    if starts_number && run > MAX_DIGITS {
                        let line = src[..j].matches('\n').count() as u32 + 1;
                        let col = src[..j].rfind('\n').map_or(j, |n| j - n - 1) as u32 + 1;
                        return Some((line, col));
                    }
                    j += run;
                    continue;
                }
                None => {}
            }
            j += 1;
        }
        i = close.min(b.len());
        if i >= b.len() {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_integer_literals_too_long_for_the_compiler() {
        assert_eq!(too_long("<view>{{5555555555555555555555}}</view>"), Some((1, 9)));
        assert_eq!(too_long("<view>\n a=\"{{ x + 12345678901234567890 }}\"</view>"), Some((2, 12)));
        // 18 digits, fractions, names, strings and text outside the braces are fine
        for ok in [
            "{{555555555555555555}}",
            "{{1.55555555555555555555555}}",
            "{{item55555555555555555555}}",
            "{{'55555555555555555555'}}",
            "55555555555555555555 {{a}}",
            "{{a",
        ] {
            assert_eq!(too_long(ok), None, "{ok}");
        }
    }
}
