//! `rich-text` content: its `nodes` (an HTML string or WeChat's node array) parsed and
//! sanitised to the documented whitelist of trusted tags and attributes.
//!
//! Untrusted elements (`script`, `style`, `iframe`, `form`, unknown tags…) are dropped with
//! their content. Every element keeps only `class`, `style` and its own whitelisted attributes:
//! event handlers (`onclick`…), `id` and anything else are dropped, and so are URLs whose scheme
//! is not http(s) or a relative path (`javascript:`, `vbscript:`, `data:` other than images).
//! Inline styles holding `expression(` or a `javascript:` URL are dropped. Entities are
//! decoded in text. Pure functions; any thread.

use serde_json::Value;

/// One sanitised node.
#[derive(Debug, Clone, PartialEq)]
pub enum RichNode {
    /// A trusted element with its kept attributes, in source order.
    Element {
        /// Lower-case tag name.
        name: String,
        /// Kept attributes (`class`, `style` and the tag's whitelisted ones).
        attrs: Vec<(String, String)>,
        /// Children.
        children: Vec<RichNode>,
    },
    /// A text run (entities decoded).
    Text(String),
}

/// Trusted tags and the attributes each may carry besides `class` and `style`.
const TRUSTED: &[(&str, &[&str])] = &[
    ("a", &[]),
    ("abbr", &[]),
    ("address", &[]),
    ("article", &[]),
    ("aside", &[]),
    ("b", &[]),
    ("bdi", &[]),
    ("bdo", &["dir"]),
    ("big", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("center", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["span", "width"]),
    ("colgroup", &["span", "width"]),
    ("dd", &[]),
    ("del", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("fieldset", &[]),
    ("font", &[]),
    ("footer", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("header", &[]),
    ("hr", &[]),
    ("i", &[]),
    ("img", &["alt", "src", "height", "width"]),
    ("ins", &[]),
    ("label", &[]),
    ("legend", &[]),
    ("li", &[]),
    ("mark", &[]),
    ("nav", &[]),
    ("ol", &["start", "type"]),
    ("p", &[]),
    ("pre", &[]),
    ("q", &[]),
    ("rt", &[]),
    ("ruby", &[]),
    ("s", &[]),
    ("section", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("table", &["width"]),
    ("tbody", &[]),
    ("td", &["colspan", "height", "rowspan", "width"]),
    ("tfoot", &[]),
    ("th", &["colspan", "height", "rowspan", "width"]),
    ("thead", &[]),
    ("tr", &["colspan", "height", "rowspan", "width"]),
    ("tt", &[]),
    ("u", &[]),
    ("ul", &[]),
];

/// Elements that never have content.
const VOID: &[&str] =
    &["br", "hr", "img", "col", "input", "meta", "link", "area", "base", "wbr", "source"];

/// Elements whose content is raw text, not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// The text of an HTML fragment (what a reader sees; blocks end with a newline).
pub fn plain_text(html: &str) -> String {
    fn walk(nodes: &[RichNode], out: &mut String) {
        for n in nodes {
            match n {
                RichNode::Text(t) => out.push_str(t),
                RichNode::Element { name, children, .. } => {
                    walk(children, out);
                    if matches!(name.as_str(), "p" | "div" | "li" | "br" | "h1" | "h2" | "h3")
                        && !out.ends_with('\n')
                    {
                        out.push('\n');
                    }
                }
            }
        }
    }
    let mut out = String::new();
    walk(&sanitise(&Value::String(html.to_string())), &mut out);
    out.trim_end_matches('\n').to_string()
}

/// The sanitised content of a `nodes` value (string of HTML, node array or single node).
pub fn sanitise(nodes: &Value) -> Vec<RichNode> {
    match nodes {
        Value::String(html) => clean(parse_html(html)),
        Value::Array(list) => clean(list.iter().filter_map(|n| from_json(n, 1)).collect()),
        Value::Object(_) => clean(from_json(nodes, 1).into_iter().collect()),
        _ => Vec::new(),
    }
}

/// The deepest element nesting kept from `nodes` (deeper elements are dropped from the array
/// form; in HTML their tags are ignored and their text kept): every walk over rich text, the
/// view tree and the layout stays shallow whatever an app sets.
pub const MAX_RICH_TEXT_DEPTH: usize = 64;

/// A node from WeChat's array form: `{name, attrs, children}` or `{type: "text", text}`.
fn from_json(v: &Value, depth: usize) -> Option<RichNode> {
    if depth > MAX_RICH_TEXT_DEPTH {
        return None;
    }
    if v.get("type").and_then(Value::as_str) == Some("text") {
        return Some(RichNode::Text(decode_entities(v.get("text")?.as_str()?)));
    }
    let name = v.get("name")?.as_str()?.to_ascii_lowercase();
    let attrs = v
        .get("attrs")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.to_ascii_lowercase(), text)
                })
                .collect()
        })
        .unwrap_or_default();
    let children = v
        .get("children")
        .and_then(Value::as_array)
        .map(|c| c.iter().filter_map(|n| from_json(n, depth + 1)).collect())
        .unwrap_or_default();
    Some(RichNode::Element { name, attrs, children })
}

fn clean(nodes: Vec<RichNode>) -> Vec<RichNode> {
    nodes.into_iter().filter_map(clean_node).collect()
}

fn clean_node(node: RichNode) -> Option<RichNode> {
    let RichNode::Element { name, attrs, children } = node else { return Some(node) };
    let (_, allowed) = TRUSTED.iter().find(|(t, _)| *t == name)?;
    let attrs = attrs
        .into_iter()
        .filter(|(k, v)| match k.as_str() {
            "class" => true,
            "style" => safe_style(v),
            "src" => safe_url(v),
            _ => allowed.contains(&k.as_str()),
        })
        .collect();
    Some(RichNode::Element { name, attrs, children: clean(children) })
}

fn safe_url(url: &str) -> bool {
    let compact: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>();
    let lower = compact.to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon after a '/', '?' or '#' is part of a path or query, not a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "wxfile") || lower.starts_with("data:image/")
        }
        _ => true,
    }
}

fn safe_style(style: &str) -> bool {
    let lower: String =
        style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    !lower.contains("expression(") && !lower.contains("javascript:") && !lower.contains("vbscript:")
}

/// Decodes the entities HTML text may hold (named ones rich text uses, and numeric ones).
pub fn decode_entities(s: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("lt", '<'),
        ("gt", '>'),
        ("amp", '&'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", '\u{a0}'),
        ("ensp", '\u{2002}'),
        ("emsp", '\u{2003}'),
        ("thinsp", '\u{2009}'),
        ("copy", '©'),
        ("reg", '®'),
        ("trade", '™'),
        ("hellip", '…'),
        ("mdash", '—'),
        ("ndash", '–'),
        ("middot", '·'),
    ];
    decode_entities_with(s, |name| {
        if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
        }
    })
}

/// One left-to-right pass over `s` replacing each `&name;` that `lookup` knows (names of up to
/// 9 characters); everything else, a bare `&` included, stays as it is.
pub fn decode_entities_with(s: &str, lookup: impl Fn(&str) -> Option<char>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|e| *e <= 10);
        match end.and_then(|e| lookup(&rest[1..e]).map(|c| (c, e + 1))) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A forgiving HTML parser: unclosed elements close at their parent's end, stray end tags
/// are ignored, comments and doctypes are skipped, raw-text elements keep their content as
/// text (and are dropped later as untrusted).
fn parse_html(html: &str) -> Vec<RichNode> {
    // Open elements: (name, attrs, children); the bottom entry collects the top level.
    let mut stack: OpenElements = vec![(String::new(), Vec::new(), Vec::new())];
    // start tags ignored past the depth limit, and the end tags they are owed
    let mut ignored: Vec<String> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = after[..end].trim().to_ascii_lowercase();
            rest = after.get(end + 1..).unwrap_or("");
            if ignored.last() == Some(&name) {
                ignored.pop();
            } else if let Some(pos) = stack.iter().rposition(|(n, _, _)| *n == name) {
                while stack.len() > pos.max(1) {
                    close_top(&mut stack);
                }
            }
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let (name, attrs, self_closing, after) = parse_tag(&rest[1..]);
            rest = after;
            if RAW_TEXT.contains(&name.as_str()) {
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                let end = lower.find(&close).unwrap_or(rest.len());
                let text = &rest[..end];
                rest = rest[end..].find('>').map_or("", |e| &rest[end + e + 1..]);
                let children = vec![RichNode::Text(text.to_string())];
                push_node(&mut stack, RichNode::Element { name, attrs, children });
            } else if self_closing || VOID.contains(&name.as_str()) {
                push_node(&mut stack, RichNode::Element { name, attrs, children: Vec::new() });
            } else if stack.len() > MAX_RICH_TEXT_DEPTH {
                ignored.push(name);
            } else {
                stack.push((name, attrs, Vec::new()));
            }
        } else {
            push_text(&mut stack, "<");
            rest = &rest[1..];
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().map(|(_, _, c)| c).unwrap_or_default()
}

/// Open elements while parsing: (name, attributes, children so far).
type OpenElements = Vec<(String, Vec<(String, String)>, Vec<RichNode>)>;

fn push_node(stack: &mut OpenElements, node: RichNode) {
    if let Some(top) = stack.last_mut() {
        top.2.push(node);
    }
}

fn push_text(stack: &mut OpenElements, text: &str) {
    if text.is_empty() {
        return;
    }
    let text = decode_entities(text);
    match stack.last_mut().and_then(|top| top.2.last_mut()) {
        Some(RichNode::Text(prev)) => prev.push_str(&text),
        _ => push_node(stack, RichNode::Text(text)),
    }
}

fn close_top(stack: &mut OpenElements) {
    if let Some((name, attrs, children)) = stack.pop() {
        push_node(stack, RichNode::Element { name, attrs, children });
    }
}

/// Parses `name attr="v" …>` (after the `<`): name, attributes, `/>`, and the rest.
fn parse_tag(s: &str) -> (String, Vec<(String, String)>, bool, &str) {
    let name_end = s.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(s.len());
    let name = s[..name_end].to_ascii_lowercase();
    let mut rest = &s[name_end..];
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return (name, attrs, false, rest);
        }
        if let Some(after) = rest.strip_prefix("/>") {
            return (name, attrs, true, after);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (name, attrs, false, after);
        }
        if let Some(after) = rest.strip_prefix('/') {
            rest = after;
            continue;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len())
            .max(1);
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                value = decode_entities(&body[..end]);
                rest = body.get(end + 1..).unwrap_or("");
            } else {
                let end =
                    after.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(after.len());
                value = decode_entities(&after[..end]);
                rest = &after[end..];
            }
        }
        attrs.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn el(name: &str, attrs: &[(&str, &str)], children: Vec<RichNode>) -> RichNode {
        RichNode::Element {
            name: name.into(),
            attrs: attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            children,
        }
    }

    fn text(s: &str) -> RichNode {
        RichNode::Text(s.into())
    }

    #[test]
    fn html_strings_parse_and_lose_untrusted_parts() {
        let html = r#"<div class="a" id="x" onclick="steal()"><p>Hi &amp; <b>bye</b></p><script>alert(1)</script><img src="javascript:alert(1)" alt="x"><br/>tail</div><!-- c -->"#;
        assert_eq!(
            sanitise(&json!(html)),
            vec![el(
                "div",
                &[("class", "a")],
                vec![
                    el("p", &[], vec![text("Hi & "), el("b", &[], vec![text("bye")])]),
                    el("img", &[("alt", "x")], vec![]),
                    el("br", &[], vec![]),
                    text("tail"),
                ],
            )]
        );
    }

    #[test]
    fn node_arrays_are_sanitised_the_same_way() {
        let nodes = json!([
            {"name": "DIV", "attrs": {"style": "color:red", "onload": "x()"}, "children": [
                {"type": "text", "text": "a&lt;b"},
                {"name": "iframe", "attrs": {"src": "https://evil"}, "children": []},
                {"name": "img", "attrs": {"src": "https://ok/p.png", "width": 10}},
                {"name": "span", "attrs": {"style": "background:url(javascript:x)"}}
            ]}
        ]);
        assert_eq!(
            sanitise(&nodes),
            vec![el(
                "div",
                &[("style", "color:red")],
                vec![
                    text("a<b"),
                    el("img", &[("src", "https://ok/p.png"), ("width", "10")], vec![]),
                    el("span", &[], vec![]),
                ],
            )]
        );
    }

    #[test]
    fn nesting_is_capped() {
        fn depth(nodes: &[RichNode]) -> usize {
            nodes
                .iter()
                .map(|n| match n {
                    RichNode::Element { children, .. } => 1 + depth(children),
                    RichNode::Text(_) => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let html = format!("{}deep{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let parsed = sanitise(&Value::String(html));
        assert_eq!(depth(&parsed), MAX_RICH_TEXT_DEPTH);
        assert_eq!(plain_text_of(&parsed), "deep");
        let mut json = serde_json::json!({"type": "text", "text": "x"});
        // (serde_json itself recurses on drop: a few hundred levels in a test thread)
        for _ in 0..300 {
            json = serde_json::json!({"name": "div", "children": [json]});
        }
        assert_eq!(depth(&sanitise(&json)), MAX_RICH_TEXT_DEPTH);
    }

    fn plain_text_of(nodes: &[RichNode]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                RichNode::Element { children, .. } => plain_text_of(children),
                RichNode::Text(t) => t.clone(),
            })
            .collect()
    }

    #[test]
    fn sloppy_markup_still_parses() {
        assert_eq!(
            sanitise(&json!("<p>one<p>two</div> 3 < 4 &unknown;")),
            vec![el("p", &[], vec![text("one"), el("p", &[], vec![text("two 3 < 4 &unknown;")])])]
        );
        assert!(safe_url("/images/a.png"));
        assert!(safe_url("a.png?x=1:2"));
        assert!(!safe_url(" JaVa\tScript:alert(1)"));
        assert!(!safe_url("data:text/html,<b>"));
        assert!(safe_url("data:image/png;base64,AAAA"));
    }
}
