//! Name spellings WXML, CSS and JavaScript share: `backgroundColor` ↔ `background-color`.
//! A leaf; pure; any thread.

/// `backgroundColor` → `background-color`; kebab-case names pass through (CSS property and
/// WXML attribute names written either way).
pub fn kebab_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
