//! CSS selectors: the one grammar and matcher of every selector query. The CLI's `--tap`,
//! tests and fixtures match over the composed tree ([`Selector::select_all`]); the automator's
//! `page.$`/`element.$` match over glass-easel's shadow trees, which the framework JS hands
//! over as [`Candidate`]s (`core/js/src/automation.js`). Both go through [`SelectorTree`].
//!
//! Grammar, as WXSS writes it: a type (`view`, `my-comp`, `*`) first, then any of `#id`,
//! `.class`, `[name]`, `[name=value]` and `~=` `^=` `$=` `*=` `|=` (value bare or quoted);
//! compounds joined by descendant (space) or child (`>`) combinators; lists (`a, b`).
//! Plain data; any thread.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::tree::{NodeId, NodeKind, Tree};

/// A selector that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "invalid selector `{selector}`: {reason}; selectors take a tag, #id, .class, [attr], \
     [attr=value] (also ~= ^= $= *= |=), descendant and `>` combinators, and lists `a, b`"
)]
pub struct SelectorError {
    /// The selector text.
    pub selector: String,
    /// What is wrong.
    pub reason: String,
}

/// How an attribute test compares (`[name]`, `[name=v]`, `[name~=v]`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttrOp {
    Present,
    Equals,
    Word,
    Prefix,
    Suffix,
    Contains,
    DashPrefix,
}

#[derive(Debug, Clone, PartialEq)]
struct AttrTest {
    name: String,
    op: AttrOp,
    value: String,
}

impl AttrTest {
    fn holds(&self, actual: Option<&str>) -> bool {
        let Some(actual) = actual else { return false };
        let want = self.value.as_str();
        match self.op {
            AttrOp::Present => true,
            AttrOp::Equals => actual == want,
            AttrOp::Word => actual.split_whitespace().any(|w| w == want),
            AttrOp::Prefix => !want.is_empty() && actual.starts_with(want),
            AttrOp::Suffix => !want.is_empty() && actual.ends_with(want),
            AttrOp::Contains => !want.is_empty() && actual.contains(want),
            AttrOp::DashPrefix => {
                actual == want || actual.strip_prefix(want).is_some_and(|r| r.starts_with('-'))
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Compound {
    tag: Option<String>,
    ids: Vec<String>,
    classes: Vec<String>,
    attrs: Vec<AttrTest>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Combinator {
    Descendant,
    Child,
}

/// A parsed selector list.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    /// Each alternative's compounds left to right; the combinator joins each to the previous.
    alternatives: Vec<Vec<(Combinator, Compound)>>,
}

/// A tree selectors match over: elements with a tag, an id, classes and attributes, and a
/// parent up to the query's scope.
pub trait SelectorTree {
    /// A node of the tree.
    type Node: Copy;
    /// The element's tag; `None` for text and fragments, which never match.
    fn tag(&self, node: Self::Node) -> Option<&str>;
    /// The element's id (empty when it has none).
    fn id(&self, node: Self::Node) -> &str;
    /// Whether the element has `class`.
    fn has_class(&self, node: Self::Node, class: &str) -> bool;
    /// The element's attribute `name` as text, `None` when it has none.
    fn attribute(&self, node: Self::Node, name: &str) -> Option<String>;
    /// The element's parent, `None` at the query's scope.
    fn parent(&self, node: Self::Node) -> Option<Self::Node>;
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// Reads one compound from `chars[*i..]`.
fn compound(
    chars: &[char],
    i: &mut usize,
    err: &dyn Fn(&str) -> SelectorError,
) -> Result<Compound, SelectorError> {
    let ident = |i: &mut usize| -> String {
        let start = *i;
        while *i < chars.len() && is_ident(chars[*i]) {
            *i += 1;
        }
        chars[start..*i].iter().collect()
    };
    let mut c = Compound::default();
    let start = *i;
    loop {
        match chars.get(*i) {
            Some('#') => {
                *i += 1;
                let id = ident(i);
                if id.is_empty() {
                    return Err(err("`#` needs an id"));
                }
                c.ids.push(id);
            }
            Some('.') => {
                *i += 1;
                let class = ident(i);
                if class.is_empty() {
                    return Err(err("`.` needs a class name"));
                }
                c.classes.push(class);
            }
            Some('[') => {
                *i += 1;
                c.attrs.push(attribute_test(chars, i, err)?);
            }
            Some('*') if *i == start => *i += 1,
            Some(ch) if is_ident(*ch) => {
                if *i != start {
                    return Err(err("a type must come first in a compound"));
                }
                c.tag = Some(ident(i));
            }
            _ => break,
        }
    }
    if *i == start {
        return Err(match chars.get(*i) {
            Some(ch) => err(&format!("unexpected `{ch}`")),
            None => err("nothing after a combinator"),
        });
    }
    Ok(c)
}

/// Reads `name op value]` after a `[`.
fn attribute_test(
    chars: &[char],
    i: &mut usize,
    err: &dyn Fn(&str) -> SelectorError,
) -> Result<AttrTest, SelectorError> {
    let skip_spaces = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    skip_spaces(i);
    let start = *i;
    while *i < chars.len() && is_ident(chars[*i]) {
        *i += 1;
    }
    let name: String = chars[start..*i].iter().collect();
    if name.is_empty() {
        return Err(err("`[` needs an attribute name"));
    }
    skip_spaces(i);
    let op = match (chars.get(*i), chars.get(*i + 1)) {
        (Some(']'), _) => None,
        (Some('='), _) => Some((AttrOp::Equals, 1)),
        (Some('~'), Some('=')) => Some((AttrOp::Word, 2)),
        (Some('^'), Some('=')) => Some((AttrOp::Prefix, 2)),
        (Some('$'), Some('=')) => Some((AttrOp::Suffix, 2)),
        (Some('*'), Some('=')) => Some((AttrOp::Contains, 2)),
        (Some('|'), Some('=')) => Some((AttrOp::DashPrefix, 2)),
        _ => return Err(err("missing `]`")),
    };
    let Some((op, len)) = op else {
        *i += 1;
        return Ok(AttrTest { name, op: AttrOp::Present, value: String::new() });
    };
    *i += len;
    skip_spaces(i);
    let value: String = match chars.get(*i) {
        Some(q @ ('"' | '\'')) => {
            let q = *q;
            *i += 1;
            let s = *i;
            while *i < chars.len() && chars[*i] != q {
                *i += 1;
            }
            if *i == chars.len() {
                return Err(err("unclosed quote"));
            }
            *i += 1;
            chars[s..*i - 1].iter().collect()
        }
        _ => {
            let s = *i;
            while *i < chars.len() && chars[*i] != ']' && !chars[*i].is_whitespace() {
                *i += 1;
            }
            chars[s..*i].iter().collect()
        }
    };
    skip_spaces(i);
    if chars.get(*i) != Some(&']') {
        return Err(err("missing `]`"));
    }
    *i += 1;
    Ok(AttrTest { name, op, value })
}

impl Selector {
    /// Parses selector text.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let err =
            |reason: &str| SelectorError { selector: text.to_string(), reason: reason.to_string() };
        let chars: Vec<char> = text.chars().collect();
        let mut alternatives = Vec::new();
        let mut i = 0;
        loop {
            let mut parts = Vec::new();
            let mut comb = None;
            loop {
                let gap_start = i;
                let mut child = false;
                while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '>') {
                    if chars[i] == '>' {
                        if child || parts.is_empty() {
                            return Err(err("misplaced `>`"));
                        }
                        child = true;
                    }
                    i += 1;
                }
                if i == chars.len() || chars[i] == ',' {
                    if child {
                        return Err(err("nothing after a combinator"));
                    }
                    break;
                }
                if !parts.is_empty() && i == gap_start {
                    return Err(err(&format!("unexpected `{}`", chars[i])));
                }
                if !parts.is_empty() {
                    comb = Some(if child { Combinator::Child } else { Combinator::Descendant });
                }
                let c = compound(&chars, &mut i, &err)?;
                parts.push((comb.unwrap_or(Combinator::Descendant), c));
            }
            if parts.is_empty() {
                return Err(err("empty selector"));
            }
            alternatives.push(parts);
            if i == chars.len() {
                break;
            }
            i += 1; // the `,`
        }
        Ok(Selector { alternatives })
    }

    /// The class names and attribute names the selector tests: what a [`Candidate`] must
    /// answer for.
    pub fn needs(&self) -> SelectorNeeds {
        let mut needs = SelectorNeeds::default();
        for c in self.alternatives.iter().flatten().map(|(_, c)| c) {
            needs.classes.extend(c.classes.iter().cloned());
            needs.attributes.extend(c.attrs.iter().map(|a| a.name.clone()));
        }
        needs
    }

    /// Whether `node` matches (any alternative of the list).
    pub fn matches<T: SelectorTree>(&self, tree: &T, node: T::Node) -> bool {
        self.alternatives.iter().any(|parts| matches_at(tree, parts, node, parts.len() - 1))
    }

    /// Every matching element under `scope` (excluded) in the composed tree, in document
    /// order. `attr` answers attributes the tree does not hold (`data-*`).
    pub fn select_all(
        &self,
        tree: &Tree,
        scope: NodeId,
        attr: &dyn Fn(NodeId, &str) -> Option<String>,
    ) -> Vec<NodeId> {
        let view = Composed { tree, scope, attr };
        tree.descendants(scope).into_iter().skip(1).filter(|id| self.matches(&view, *id)).collect()
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

    /// The indexes of the candidates that match, in their order (the first only unless
    /// `all`).
    pub fn select_candidates(&self, candidates: &[Candidate], all: bool) -> Vec<usize> {
        let view = CandidateList(candidates);
        let found = (0..candidates.len()).filter(|i| self.matches(&view, *i));
        if all {
            found.collect()
        } else {
            found.take(1).collect()
        }
    }
}

fn matches_at<T: SelectorTree>(
    tree: &T,
    parts: &[(Combinator, Compound)],
    node: T::Node,
    part: usize,
) -> bool {
    let (comb, compound) = &parts[part];
    if !compound_matches(tree, node, compound) {
        return false;
    }
    if part == 0 {
        return true;
    }
    let mut up = tree.parent(node);
    while let Some(p) = up {
        if matches_at(tree, parts, p, part - 1) {
            return true;
        }
        if *comb == Combinator::Child {
            return false;
        }
        up = tree.parent(p);
    }
    false
}

fn compound_matches<T: SelectorTree>(tree: &T, node: T::Node, c: &Compound) -> bool {
    let Some(tag) = tree.tag(node) else { return false };
    c.tag.as_ref().is_none_or(|t| t == tag)
        && c.ids.iter().all(|id| id == tree.id(node))
        && c.classes.iter().all(|class| tree.has_class(node, class))
        && c.attrs.iter().all(|a| a.holds(tree.attribute(node, &a.name).as_deref()))
}

/// What a selector tests, for the side that builds [`Candidate`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SelectorNeeds {
    /// Class names.
    pub classes: BTreeSet<String>,
    /// Attribute names.
    pub attributes: BTreeSet<String>,
}

/// One element of a tree kept outside Rust (glass-easel's shadow trees), as the framework JS
/// describes it for a query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Candidate {
    /// Its parent among the candidates (an index, earlier in the list); `None` at the scope.
    #[serde(default)]
    pub parent: Option<usize>,
    /// Its tag.
    pub tag: String,
    /// Its id (empty when none).
    #[serde(default)]
    pub id: String,
    /// Which of the selector's classes it has ([`SelectorNeeds::classes`]).
    #[serde(default)]
    pub classes: Vec<String>,
    /// The selector's attributes it has, as text ([`SelectorNeeds::attributes`]).
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

struct CandidateList<'a>(&'a [Candidate]);

impl SelectorTree for CandidateList<'_> {
    type Node = usize;
    fn tag(&self, node: usize) -> Option<&str> {
        self.0.get(node).map(|c| c.tag.as_str())
    }
    fn id(&self, node: usize) -> &str {
        self.0.get(node).map_or("", |c| c.id.as_str())
    }
    fn has_class(&self, node: usize, class: &str) -> bool {
        self.0.get(node).is_some_and(|c| c.classes.iter().any(|x| x == class))
    }
    fn attribute(&self, node: usize, name: &str) -> Option<String> {
        self.0.get(node)?.attributes.get(name).cloned()
    }
    fn parent(&self, node: usize) -> Option<usize> {
        // only earlier candidates: a malformed list cannot loop
        self.0.get(node)?.parent.filter(|p| *p < node)
    }
}

/// The composed tree below `scope`.
struct Composed<'a> {
    tree: &'a Tree,
    scope: NodeId,
    attr: &'a dyn Fn(NodeId, &str) -> Option<String>,
}

impl SelectorTree for Composed<'_> {
    type Node = NodeId;
    fn tag(&self, node: NodeId) -> Option<&str> {
        self.tree.get(node).filter(|n| n.kind == NodeKind::Element).map(|n| n.tag.as_str())
    }
    fn id(&self, node: NodeId) -> &str {
        self.tree.get(node).map_or("", |n| n.id_attr.as_str())
    }
    fn has_class(&self, node: NodeId, class: &str) -> bool {
        self.tree.get(node).is_some_and(|n| n.classes.iter().any(|(x, _)| x == class))
    }
    fn attribute(&self, node: NodeId, name: &str) -> Option<String> {
        let n = self.tree.get(node)?;
        match name {
            "id" => Some(n.id_attr.clone()).filter(|s| !s.is_empty()),
            _ => n
                .attrs
                .get(name)
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .or_else(|| (self.attr)(node, name)),
        }
    }
    fn parent(&self, node: NodeId) -> Option<NodeId> {
        self.tree.get(node)?.parent.filter(|p| *p != self.scope)
    }
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
        assert_eq!(Selector::parse("[data-k~=y]")?.select_all(&t, ROOT, &data), [items[2]]);
        assert_eq!(Selector::parse("#i2, #i0")?.select_all(&t, ROOT, &none), [items[0], items[2]]);
        // the scope's own ancestors are out of reach
        assert_eq!(
            Selector::parse(".list .item")?.select_all(&t, list, &none),
            Vec::<NodeId>::new()
        );
        assert!(Selector::parse("..x").is_err());
        assert!(Selector::parse("[a").is_err());
        Ok(())
    }

    #[test]
    fn attribute_operators_follow_css() -> Result<(), SelectorError> {
        let test = |sel: &str, value: &str| -> Result<bool, SelectorError> {
            let candidate = Candidate {
                tag: "view".into(),
                attributes: [("a".to_string(), value.to_string())].into(),
                ..Candidate::default()
            };
            Ok(!Selector::parse(sel)?.select_candidates(&[candidate], true).is_empty())
        };
        assert!(test("[a]", "")?);
        assert!(test("[a=x]", "x")? && !test("[a=x]", "xy")?);
        assert!(test("[a~=b]", "a b c")? && !test("[a~=b]", "abc")?);
        assert!(test("[a^=ab]", "abc")? && !test("[a^='']", "abc")?);
        assert!(test("[a$=bc]", "abc")? && !test("[a$=b]", "abc")?);
        assert!(test("[a*=b]", "abc")? && !test("[a*=d]", "abc")?);
        assert!(test("[a|=en]", "en-US")? && test("[a|=en]", "en")? && !test("[a|=en]", "eng")?);
        assert!(test("[ a = \"x y\" ]", "x y")?);
        Ok(())
    }

    #[test]
    fn candidates_match_through_their_parents() -> Result<(), SelectorError> {
        let c = |parent: Option<usize>, tag: &str, classes: &[&str]| Candidate {
            parent,
            tag: tag.into(),
            classes: classes.iter().map(|s| s.to_string()).collect(),
            ..Candidate::default()
        };
        let list = [
            c(None, "view", &["list"]),
            c(Some(0), "my-row", &[]),
            c(Some(1), "text", &["name"]),
            c(None, "text", &["name"]),
        ];
        let sel = Selector::parse(".list .name")?;
        assert_eq!(sel.select_candidates(&list, true), [2]);
        assert_eq!(
            Selector::parse(".list > .name")?.select_candidates(&list, true),
            Vec::<usize>::new()
        );
        assert_eq!(Selector::parse("my-row > text")?.select_candidates(&list, true), [2]);
        assert_eq!(Selector::parse("text")?.select_candidates(&list, false), [2]);
        assert_eq!(Selector::parse("*")?.select_candidates(&list, true).len(), 4);
        let needs = Selector::parse(".a [b], .c")?.needs();
        assert_eq!(needs.classes.into_iter().collect::<Vec<_>>(), ["a", "c"]);
        assert_eq!(needs.attributes.into_iter().collect::<Vec<_>>(), ["b"]);
        // a parent that is not earlier in the list is no parent
        let looped = [c(Some(1), "view", &["a"]), c(Some(0), "view", &["b"])];
        assert_eq!(Selector::parse(".b .a")?.select_candidates(&looped, true), Vec::<usize>::new());
        Ok(())
    }

    #[test]
    fn bad_selectors_say_what_is_wrong() {
        let reason = |s: &str| Selector::parse(s).map(drop).map_err(|e| e.reason);
        assert_eq!(reason(""), Err("empty selector".to_string()));
        assert_eq!(reason("a,"), Err("empty selector".to_string()));
        assert_eq!(reason("> a"), Err("misplaced `>`".to_string()));
        assert_eq!(reason("a > > b"), Err("misplaced `>`".to_string()));
        assert_eq!(reason("a >"), Err("nothing after a combinator".to_string()));
        assert_eq!(reason(".a view"), Ok(()));
        assert_eq!(reason(".a.b#c[d]"), Ok(()));
        assert_eq!(reason("[a=\"x]"), Err("unclosed quote".to_string()));
        assert!(Selector::parse("a!").is_err_and(|e| e.to_string().contains("invalid selector")));
    }
}
