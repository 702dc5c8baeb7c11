//! Page URLs: `pages/x/x?a=1&b=%E4%BD%A0` → route and decoded query.

use serde_json::{Map, Value};

/// Splits a page URL into its route (no leading `/`) and decoded query.
pub fn parse_page_url(url: &str) -> (String, Map<String, Value>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut map = Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(decode(k), Value::String(decode(v)));
    }
    (path.trim_start_matches('/').to_string(), map)
}

/// Percent-decodes (and turns `+` into a space); invalid escapes stay as written.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_decodes() {
        let (p, q) = parse_page_url("/pages/a/a?id=3&name=%E4%BD%A0+x&flag&bad=%zz%");
        assert_eq!(p, "pages/a/a");
        assert_eq!(q["id"], "3");
        assert_eq!(q["name"], "你 x");
        assert_eq!(q["flag"], "");
        assert_eq!(q["bad"], "%zz%");
    }
}
