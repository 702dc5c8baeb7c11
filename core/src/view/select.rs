//! Simple CSS selectors over the composed tree, for the CLI's `--tap` and tests.
//!
//! Grammar: compound selectors joined by descendant (space) or child (`>`) combinators; a
//! compound is an optional tag or `*`, then any of `#id`, `.class`, `[name]`, `[name=value]`
//! (value optionally quoted). Attribute values come from a caller-supplied lookup so `data-*`
//! (kept by glass-easel, not the tree) can be matched too.

use thiserror::Error;

use super::tree::{NodeId, NodeKind, Tree};

/// A selector that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "bad selector `{selector}`: {reason}; use tag, #id, .class, [attr=value], descendant and `>`"
)]
pub struct SelectorError {
    /// The selector text.
    pub selector: String,
    /// What is wrong.
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Compound {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Combinator {
    Descendant,
    Child,
}

/// A parsed selector.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// Compounds left to right; the combinator joins each to the previous one.
    parts: Vec<(Combinator, Compound)>,
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

impl Selector {
    /// Parses selector text.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let err =
            |reason: &str| SelectorError { selector: text.to_string(), reason: reason.to_string() };
        let chars: Vec<char> = text.trim().chars().collect();
        let mut i = 0;
        let mut parts = Vec::new();
        let mut comb = Combinator::Descendant;
        let ident = |i: &mut usize| -> String {
            let start = *i;
            while *i < chars.len() && is_ident(chars[*i]) {
                *i += 1;
            }
            chars[start..*i].iter().collect()
        };
        while i < chars.len() {
            let mut c = Compound::default();
            let start = i;
            loop {
                match chars.get(i) {
                    Some('#') => {
                        i += 1;
                        c.id = Some(ident(&mut i)).filter(|s| !s.is_empty());
                        if c.id.is_none() {
                            return Err(err("`#` needs an id"));
                        }
                    }
                    Some('.') => {
                        i += 1;
                        let n = ident(&mut i);
                        if n.is_empty() {
                            return Err(err("`.` needs a class name"));
                        }
                        c.classes.push(n);
                    }
                    Some('[') => {
                        i += 1;
                        let name = ident(&mut i);
                        if name.is_empty() {
                            return Err(err("`[` needs an attribute name"));
                        }
                        let value = if chars.get(i) == Some(&'=') {
                            i += 1;
                            let v = match chars.get(i) {
                                Some(q @ ('"' | '\'')) => {
                                    let q = *q;
                                    i += 1;
                                    let s = i;
                                    while i < chars.len() && chars[i] != q {
                                        i += 1;
                                    }
                                    let v: String = chars[s..i].iter().collect();
                                    i += 1;
                                    v
                                }
                                _ => {
                                    let s = i;
                                    while i < chars.len() && chars[i] != ']' {
                                        i += 1;
                                    }
                                    chars[s..i].iter().collect()
                                }
                            };
                            Some(v)
                        } else {
                            None
                        };
                        if chars.get(i) != Some(&']') {
                            return Err(err("missing `]`"));
                        }
                        i += 1;
                        c.attrs.push((name, value));
                    }
                    Some('*') if i == start => {
                        i += 1;
                    }
                    Some(ch) if i == start && is_ident(*ch) => {
                        c.tag = Some(ident(&mut i));
                    }
                    _ => break,
                }
            }
            if i == start {
                return Err(err(&format!("unexpected `{}`", chars[i])));
            }
            parts.push((comb, c));
            comb = Combinator::Descendant;
            while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '>') {
                if chars[i] == '>' {
                    comb = Combinator::Child;
                }
                i += 1;
            }
        }
        if parts.is_empty() {
            return Err(err("empty selector"));
        }
        Ok(Selector { parts })
    }

    /// Every matching element under `scope` (excluded), in document order.
    pub fn select_all(
        &self,
        tree: &Tree,
        scope: NodeId,
        attr: &dyn Fn(NodeId, &str) -> Option<String>,
    ) -> Vec<NodeId> {
        tree.descendants(scope)
            .into_iter()
            .skip(1)
            .filter(|id| self.matches_at(tree, *id, self.parts.len() - 1, scope, attr))
            .collect()
    }

    /// The first match under `scope`.
    pub fn select_first(
        &self,
        tree: &Tree,
        scope: NodeId,
        attr: &dyn Fn(NodeId, &str) -> Option<String>,
    ) -> Option<NodeId> {
        self.select_all(tree, scope, attr).into_iter().next()
    }

    fn matches_at(
        &self,
        tree: &Tree,
        id: NodeId,
        part: usize,
        scope: NodeId,
        attr: &dyn Fn(NodeId, &str) -> Option<String>,
    ) -> bool {
        let (comb, compound) = &self.parts[part];
        if !compound_matches(tree, id, compound, attr) {
            return false;
        }
        if part == 0 {
            return true;
        }
        let mut up = tree.get(id).and_then(|n| n.parent);
        while let Some(p) = up {
            if p == scope {
                return false;
            }
            if self.matches_at(tree, p, part - 1, scope, attr) {
                return true;
            }
            if *comb == Combinator::Child {
                return false;
            }
            up = tree.get(p).and_then(|n| n.parent);
        }
        false
    }
}

fn compound_matches(
    tree: &Tree,
    id: NodeId,
    c: &Compound,
    attr: &dyn Fn(NodeId, &str) -> Option<String>,
) -> bool {
    let Some(n) = tree.get(id) else { return false };
    if n.kind != NodeKind::Element {
        return false;
    }
    if c.tag.as_ref().is_some_and(|t| *t != n.tag) {
        return false;
    }
    if c.id.as_ref().is_some_and(|i| *i != n.id_attr) {
        return false;
    }
    if !c.classes.iter().all(|cl| n.classes.iter().any(|(x, _)| x == cl)) {
        return false;
    }
    c.attrs.iter().all(|(name, want)| {
        let have = match name.as_str() {
            "id" => Some(n.id_attr.clone()).filter(|s| !s.is_empty()),
            _ => n
                .attrs
                .get(name)
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .or_else(|| attr(id, name)),
        };
        match (have, want) {
            (Some(h), Some(w)) => h == *w,
            (Some(_), None) => true,
            (None, _) => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::tree::ROOT;

    #[test]
    fn parses_and_matches() -> Result<(), Box<dyn std::error::Error>> {
        let mut t = Tree::new();
        let list = t.create_element("view");
        t.add_class(list, "list", None)?;
        t.append_child(ROOT, list)?;
        let mut items = Vec::new();
        for i in 0..3 {
            let it = t.create_element("view");
            t.add_class(it, "item", None)?;
            t.set_id(it, &format!("i{i}"))?;
            t.append_child(list, it)?;
            items.push(it);
        }
        let none = |_: NodeId, _: &str| None;
        let data = |id: NodeId, name: &str| {
            (name == "data-k" && id == items[2]).then(|| "x y".to_string())
        };
        assert_eq!(Selector::parse(".list .item")?.select_all(&t, ROOT, &none), items);
        assert_eq!(Selector::parse("view > #i1")?.select_first(&t, ROOT, &none), Some(items[1]));
        assert_eq!(Selector::parse("root > .item")?.select_first(&t, ROOT, &none), None);
        assert_eq!(
            Selector::parse(".item[data-k='x y']")?.select_first(&t, ROOT, &data),
            Some(items[2])
        );
        assert!(Selector::parse("..x").is_err());
        assert!(Selector::parse("[a").is_err());
        Ok(())
    }
}
