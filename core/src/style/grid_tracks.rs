//! Grid track lists in the forms float-pigment does not parse, rewritten to the plain lists it
//! does, before the sheet is parsed (called by [`super::prefixes`] for `grid-template-rows`
//! and `grid-template-columns`):
//!
//! - `repeat(N, tracks)` with a whole count becomes the tracks written N times (line names
//!   included): `repeat(3, 1fr)` → `1fr 1fr 1fr`. `auto-fill`/`auto-fit` counts, and counts
//!   over [`MAX_REPEAT`], are left as written and stay float-pigment's located warnings.
//! - `minmax(min, Xfr)` with `min` of `0`, `0px` or `auto` becomes `Xfr` (a flexible track:
//!   `1fr` is `minmax(auto, 1fr)`; a zero minimum differs only when an item's content is wider
//!   than its share). Other `minmax()` are left as written.
//!
//! Pure; any thread.

/// The largest `repeat()` count expanded (a sheet cannot make a value grow without bound).
pub const MAX_REPEAT: usize = 100;

/// `value` with `repeat()` and flexible `minmax()` expanded, when it has either.
pub fn expand(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    if !lower.contains("repeat(") && !lower.contains("minmax(") {
        return None;
    }
    let expanded = expand_repeats(&minmax_to_fr(value));
    (expanded != value).then_some(expanded)
}

/// Every `repeat(N, tracks)` with a whole N up to [`MAX_REPEAT`] written out (a `repeat()`
/// inside one is not CSS and is left as written), while the value stays under
/// [`MAX_EXPANDED`] bytes.
fn expand_repeats(value: &str) -> String {
    rewrite_calls(value, "repeat(", |args| {
        let (count, tracks) = args.split_once(',')?;
        let n = count.trim().parse::<usize>().ok().filter(|n| (1..=MAX_REPEAT).contains(n))?;
        let tracks = tracks.trim();
        (tracks.len().saturating_mul(n) <= MAX_EXPANDED
            && find_call(&tracks.to_ascii_lowercase(), "repeat(").is_none())
        .then(|| vec![tracks; n].join(" "))
    })
}

/// `minmax(0|0px|auto, Xfr)` as `Xfr`.
fn minmax_to_fr(value: &str) -> String {
    rewrite_calls(value, "minmax(", |args| {
        let (min, max) = args.split_once(',')?;
        let (min, max) = (min.trim().to_ascii_lowercase(), max.trim());
        let fr = max.strip_suffix("fr").or_else(|| max.strip_suffix("FR"))?;
        let zero = matches!(min.as_str(), "0" | "0px" | "auto");
        (zero && fr.parse::<f32>().is_ok_and(|x| x >= 0.0)).then(|| max.to_string())
    })
}

/// The largest track list a `repeat()` is written out to, in bytes.
const MAX_EXPANDED: usize = 4096;

/// `value` with each call of `name` (lower case, with its `(`) replaced by what `replace`
/// makes of its arguments, or kept when it makes nothing. One pass, left to right.
fn rewrite_calls(value: &str, name: &str, replace: impl Fn(&str) -> Option<String>) -> String {
    let lower = value.to_ascii_lowercase(); // same byte offsets: ASCII only changes
    let mut out = String::with_capacity(value.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(start) = find_call(&lower[from..], name).map(|at| from + at) {
        let args_start = start + name.len();
        let Some(close) = matching_paren(value, args_start) else { break };
        if let Some(replacement) = replace(&value[args_start..close]) {
            out.push_str(&value[copied..start]);
            out.push_str(&replacement);
            copied = close + 1;
        }
        from = close + 1;
    }
    out.push_str(&value[copied..]);
    out
}

/// Where the function `name` is called in `lower` (lower case), as a whole word.
fn find_call(lower: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let at = from + at;
        let word_start =
            at == 0 || !matches!(lower.as_bytes()[at - 1], b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_');
        if word_start {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

/// The index of the `)` closing the call whose arguments start at `from`.
fn matching_paren(s: &str, from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s[from..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(from + i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_is_written_out() {
        assert_eq!(expand("repeat(3, 1fr)").as_deref(), Some("1fr 1fr 1fr"));
        assert_eq!(
            expand(" 100px repeat(2, 1fr 2fr) 50px").as_deref(),
            Some(" 100px 1fr 2fr 1fr 2fr 50px")
        );
        assert_eq!(expand("repeat(2, [a] 10px)").as_deref(), Some("[a] 10px [a] 10px"));
        assert_eq!(expand("REPEAT(2,1fr)").as_deref(), Some("1fr 1fr"));
    }

    #[test]
    fn flexible_minmax_is_its_fraction() {
        assert_eq!(expand("repeat(2, minmax(0, 1fr))").as_deref(), Some("1fr 1fr"));
        assert_eq!(expand("minmax(auto, 2.5fr) 10px").as_deref(), Some("2.5fr 10px"));
    }

    #[test]
    fn what_float_pigment_cannot_take_is_left_as_written() {
        assert_eq!(expand("repeat(auto-fill, 100px)"), None);
        assert_eq!(expand("repeat(0, 1fr)"), None);
        assert_eq!(expand("repeat(100000, 1fr)"), None);
        assert_eq!(expand("minmax(100px, 1fr)"), None);
        assert_eq!(expand("minmax(0, 200px)"), None);
        assert_eq!(expand("repeat(3, 1fr"), None);
        assert_eq!(expand("1fr 2fr"), None);
        assert_eq!(expand("norepeat(2, 1fr)"), None);
        assert_eq!(expand("repeat(2, repeat(2, 1fr))"), None);
        assert_eq!(expand(&format!("repeat(100, {})", "1fr ".repeat(20))), None);
    }
}
