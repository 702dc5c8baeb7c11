//! Structural pseudo-classes and sibling combinators, which float-pigment parses but never
//! matches (it matches `a + b` as `a > b` and every pseudo-class but `:host` as false).
//!
//! [`rewrite_sheet`] runs on each sheet's text before float-pigment parses it: every
//! `:first-child`, `:last-child`, `:only-child`, `:nth-child(an+b)`, `:nth-last-child()`,
//! `:first-of-type`, `:last-of-type`, `:only-of-type`, `:nth-of-type()`, `:nth-last-of-type()`,
//! `:empty`, `:not(…)` and `:active` becomes an attribute test `[-miniapp-sN]` naming the [`Condition`] `N`
//! of the app's [`Conditions`] table, and `a + b` / `a ~ b` become `b` with a condition on its
//! previous sibling(s) (`x a + b` → `x b[…]`: siblings share their ancestors). An attribute test
//! weighs what a pseudo-class does in the cascade, so specificity is kept (for `a + b` the left
//! compound counts as one class). Single-colon `:before`/`:after` are written `::before`/`::after`; `:root` is
//! the page element.
//! `:active` holds while a touch is on the element or inside it (see `Node::active`).
//! Pseudo-classes that have no meaning in a mini program (`:hover`, `:focus`, `:checked`…) are
//! left as written and stay float-pigment's located warnings. Line numbers are kept: a rewritten
//! selector list keeps every newline it had.
//!
//! [`Matcher`] answers those attribute tests against the tree during the cascade. Classes in a
//! condition (`:not(.x)`, `.x + .y`'s `.x`) match by name whatever their style scope.
//! [`StructureUse`] says which facts about siblings the app's conditions read, so the layout
//! restyles exactly the children whose facts changed when a list grows or shrinks.
//! Plain data and pure functions; the tables are built on the logic thread and read there.

use std::borrow::Cow;
use std::collections::HashMap;

use super::prefixes::skip_inert;
use crate::view::tree::{Node, NodeId, NodeKind, Tree};

/// The attribute-name prefix that marks a rewritten condition.
pub const CONDITION_ATTR: &str = "-miniapp-s";

/// An attribute test inside a condition's compound selector (`[name op value]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttrTest {
    name: String,
    /// `None` for `[name]`; else the operator (`=`, `~=`, `|=`, `^=`, `$=`, `*=`).
    op: Option<String>,
    value: String,
    case_insensitive: bool,
}

/// A compound selector evaluated by the [`Matcher`] (inside `:not()` and left of `+`/`~`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Compound {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<AttrTest>,
    /// Indices of further conditions (`:not(:last-child)`, `.a:first-child + .b`).
    conditions: Vec<usize>,
}

/// One rewritten structural test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Condition {
    /// The element's 1-based position `i` among its element siblings (only those with its tag
    /// when `of_type`; counted from the end when `from_end`) satisfies `i = a·n + b`, n ≥ 0.
    Nth {
        /// Step.
        a: i32,
        /// Offset.
        b: i32,
        /// Count only siblings with the same tag.
        of_type: bool,
        /// Count from the last sibling.
        from_end: bool,
    },
    /// No element children and no text other than white space.
    Empty,
    /// None of these compounds match the element.
    Not(Vec<Compound>),
    /// The previous element sibling matches (`a + b`).
    Previous(Compound),
    /// Some earlier element sibling matches (`a ~ b`).
    AnyPrevious(Compound),
    /// The element is being touched, or holds the touched element (`:active`).
    Active,
}

/// What an `:active` compound names besides the pseudo-class: only touched elements that
/// have one of these can start or stop matching, so only they are restyled.
#[derive(Debug, Clone, Default)]
pub struct ActiveKeys {
    /// Classes in `:active` compounds.
    pub classes: std::collections::BTreeSet<String>,
    /// Tags in `:active` compounds.
    pub tags: std::collections::BTreeSet<String>,
    /// Some `:active` compound names neither (a bare `:active`): every element may match.
    pub any: bool,
}

impl ActiveKeys {
    /// True when `node` may match an `:active` rule.
    pub fn may_match(&self, node: &Node) -> bool {
        self.any
            || self.tags.contains(&node.tag)
            || node.classes.iter().any(|(c, _)| self.classes.contains(c))
    }

    fn note(&mut self, simples: &[Simple]) {
        let mut named = false;
        for s in simples {
            match s {
                Simple::Class(c) => {
                    self.classes.insert(c.clone());
                    named = true;
                }
                Simple::Tag(t) => {
                    self.tags.insert(t.to_ascii_lowercase());
                    named = true;
                }
                _ => {}
            }
        }
        self.any |= !named;
    }
}

/// Which sibling facts the conditions read (the layout's restyle key follows them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StructureUse {
    /// Position from the start (`:first-child`, `:nth-child`, `-of-type`).
    pub from_start: bool,
    /// Position from the end (`:last-child`, `:only-child`, `:nth-last-child`).
    pub from_end: bool,
    /// `:empty`.
    pub empty: bool,
    /// Previous siblings' own styles inputs (`+`, `~`).
    pub previous: bool,
}

impl StructureUse {
    /// True when any condition reads siblings or children.
    pub fn any(&self) -> bool {
        self.from_start || self.from_end || self.empty || self.previous
    }
}

/// The app's conditions, shared by all its sheets (equal conditions share an index).
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    list: Vec<Condition>,
    index: HashMap<Condition, usize>,
    uses: StructureUse,
    active: Option<ActiveKeys>,
}

impl Conditions {
    fn intern(&mut self, c: Condition) -> usize {
        if let Some(i) = self.index.get(&c) {
            return *i;
        }
        match &c {
            Condition::Nth { from_end: false, .. } => self.uses.from_start = true,
            Condition::Nth { from_end: true, .. } => self.uses.from_end = true,
            Condition::Empty => self.uses.empty = true,
            Condition::Previous(_) | Condition::AnyPrevious(_) => self.uses.previous = true,
            Condition::Not(_) | Condition::Active => {}
        }
        self.list.push(c.clone());
        self.index.insert(c, self.list.len() - 1);
        self.list.len() - 1
    }

    /// The condition an attribute test names (`-miniapp-s3` → 3).
    pub fn get(&self, attr_name: &str) -> Option<&Condition> {
        let n: usize = attr_name.strip_prefix(CONDITION_ATTR)?.parse().ok()?;
        self.list.get(n)
    }

    /// What `:active` rules name, when some sheet has one.
    pub fn active(&self) -> Option<&ActiveKeys> {
        self.active.as_ref()
    }

    /// Which sibling facts the conditions read.
    pub fn uses(&self) -> StructureUse {
        self.uses
    }

    /// Number of distinct conditions.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when no sheet uses a structural selector.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// A selector taken out of its rule's list because the style engine cannot apply it (a
/// pseudo-class or pseudo-element it does not match), so the others still apply: one selector
/// the engine cannot read makes it drop the whole rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedSelector {
    /// 1-based line of the rule's selector list.
    pub line: u32,
    /// The selector as written.
    pub selector: String,
    /// The pseudo-classes and -elements it has that the engine cannot apply (names without
    /// colons).
    pub pseudos: Vec<String>,
}

/// Pseudo-classes and pseudo-elements that never match in a mini program: its built-in
/// components are not HTML links or form controls (no `:visited`, `:checked`, `:focus`,
/// `::placeholder`…), and the host draws scroll bars (`show-scrollbar`).
pub const NEVER_MATCH: &[&str] = &[
    "link",
    "visited",
    "any-link",
    "checked",
    "indeterminate",
    "disabled",
    "enabled",
    "focus",
    "focus-within",
    "focus-visible",
    "placeholder-shown",
    "valid",
    "invalid",
    "required",
    "optional",
    "read-only",
    "read-write",
    "in-range",
    "out-of-range",
    "default",
    "autofill",
    "-webkit-autofill",
    "placeholder",
    "-webkit-input-placeholder",
    "-moz-placeholder",
    "-ms-input-placeholder",
    "-webkit-inner-spin-button",
    "-webkit-outer-spin-button",
    "-webkit-search-cancel-button",
    "-webkit-search-decoration",
    "-webkit-scrollbar",
    "-webkit-scrollbar-thumb",
    "-webkit-scrollbar-track",
    "-webkit-scrollbar-corner",
    "selection",
];

/// The pseudo-classes and -elements of `selector` (as rewritten) that the style engine cannot
/// apply: all but `::before`, `::after` and `:host` (names without colons, lower case).
pub fn unapplied_pseudos(selector: &str) -> Vec<String> {
    let bare = outside_brackets(selector);
    let chars: Vec<char> = bare.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            // arguments (`:not(…)`, `:host(…)`) are the pseudo-class's own business
            i = closing(&chars, i, '(', ')').map_or(chars.len(), |c| c + 1);
            continue;
        }
        if chars[i] != ':' {
            i += 1;
            continue;
        }
        while i < chars.len() && chars[i] == ':' {
            i += 1;
        }
        let name: String = chars[i..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '-' || **c == '_')
            .collect();
        i += name.len();
        let name = name.to_ascii_lowercase();
        if !name.is_empty() && !matches!(name.as_str(), "before" | "after" | "host") {
            out.push(name);
        }
    }
    out
}

/// `css` with structural selectors rewritten into condition tests (borrowed when there are
/// none); new conditions go to `conds`. In a selector list, selectors the engine cannot apply
/// are taken out when others can be (each one reported in `dropped`).
pub fn rewrite_sheet<'a>(
    css: &'a str,
    conds: &mut Conditions,
    dropped: &mut Vec<DroppedSelector>,
) -> Cow<'a, str> {
    if !css.contains(':') && !css.contains('+') && !css.contains('~') {
        return Cow::Borrowed(css);
    }
    let b = css.as_bytes();
    let mut out = String::with_capacity(css.len() + 64);
    let mut copied = 0;
    let mut i = 0;
    let mut prelude_start = 0;
    // block kinds: true where the block holds keyframe selectors or declarations only
    let mut blocks: Vec<bool> = Vec::new();
    let mut changed = false;
    while i < b.len() {
        if let Some(next) = skip_inert(css, i) {
            i = next;
            continue;
        }
        match b[i] {
            b'{' => {
                let prelude = &css[prelude_start..i];
                let trimmed = prelude.trim();
                let in_plain = blocks.last().is_some_and(|plain| *plain);
                if let Some(at) = trimmed.strip_prefix('@') {
                    let name = at.split(|c: char| !c.is_ascii_alphanumeric() && c != '-').next();
                    let nested_rules =
                        matches!(name, Some("media" | "supports" | "document" | "layer"));
                    blocks.push(!nested_rules);
                } else {
                    if !in_plain && !trimmed.is_empty() {
                        let line = 1 + css
                            [..prelude_start + prelude.len() - prelude.trim_start().len()]
                            .matches('\n')
                            .count() as u32;
                        if let Some(new) = rewrite_prelude(trimmed, conds, line, dropped) {
                            let start =
                                prelude_start + (prelude.len() - prelude.trim_start().len());
                            out.push_str(&css[copied..start]);
                            out.push_str(&new);
                            copied = start + trimmed.len();
                            changed = true;
                        }
                    }
                    blocks.push(true);
                }
                i += 1;
                prelude_start = i;
                continue;
            }
            b'}' => {
                blocks.pop();
                i += 1;
                prelude_start = i;
                continue;
            }
            b';' => {
                i += 1;
                prelude_start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if !changed {
        return Cow::Borrowed(css);
    }
    out.push_str(&css[copied..]);
    Cow::Owned(out)
}

/// One simple selector as written.
#[derive(Debug, Clone)]
enum Simple {
    Tag(String),
    Universal,
    Class(String),
    Id(String),
    /// Raw `[…]` text and its parsed test.
    Attr(String, AttrTest),
    /// `:name` or `:name(args)` (lower-case name, raw args).
    Pseudo(String, Option<String>),
    /// `::before` / `::after` / `::selection`…
    Element(String),
}

/// The rewritten selector list, or `None` when it needs no change (or cannot be read here:
/// float-pigment then reports it as before). Selectors the engine cannot apply are taken out
/// (into `dropped`, at `line`) when others of the list can be applied.
fn rewrite_prelude(
    prelude: &str,
    conds: &mut Conditions,
    line: u32,
    dropped: &mut Vec<DroppedSelector>,
) -> Option<String> {
    let bare = outside_brackets(prelude);
    if !bare.contains(':') && !bare.contains('+') && !bare.contains('~') {
        return None;
    }
    // (as written, rewritten)
    let mut rewritten = Vec::new();
    let mut any = false;
    for selector in split_top_level(prelude, ',') {
        let written = selector.trim();
        let new = rewrite_selector(written, conds).unwrap_or_else(|| written.to_string());
        any |= new != written;
        rewritten.push((written, new));
    }
    let (kept, unapplied): (Vec<_>, Vec<_>) =
        rewritten.into_iter().partition(|(_, new)| unapplied_pseudos(new).is_empty());
    let rewritten: Vec<String> = if kept.is_empty() || unapplied.is_empty() {
        kept.into_iter().chain(unapplied).map(|(_, new)| new).collect()
    } else {
        for (written, new) in unapplied {
            let pseudos = unapplied_pseudos(&new);
            dropped.push(DroppedSelector { line, selector: written.to_string(), pseudos });
        }
        any = true;
        kept.into_iter().map(|(_, new)| new).collect()
    };
    if !any {
        return None;
    }
    let mut text = rewritten.join(", ");
    // keep the line count: the declarations stay on their lines
    for _ in 0..prelude.matches('\n').count() {
        text.push('\n');
    }
    Some(text)
}

/// The text outside `[…]` and strings.
fn outside_brackets(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, c) if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Splits on `sep` outside brackets, parentheses and strings.
fn split_top_level(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Combinator {
    Descendant,
    Child,
    Next,
    Subsequent,
}

/// Parses a complex selector into (combinator before, compound) pairs.
fn parse_complex(s: &str) -> Option<Vec<(Option<Combinator>, Vec<Simple>)>> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out: Vec<(Option<Combinator>, Vec<Simple>)> = Vec::new();
    let mut pending: Option<Combinator> = None;
    let mut cur: Vec<Simple> = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || matches!(c, '>' | '+' | '~') {
            if !cur.is_empty() {
                out.push((if out.is_empty() { None } else { pending }, std::mem::take(&mut cur)));
                pending = Some(Combinator::Descendant);
            }
            match c {
                '>' => pending = Some(Combinator::Child),
                '+' => pending = Some(Combinator::Next),
                '~' => pending = Some(Combinator::Subsequent),
                _ => {}
            }
            if out.is_empty() && pending != Some(Combinator::Descendant) && c != ' ' {
                // a combinator with nothing before it
                if !c.is_whitespace() {
                    return None;
                }
            }
            i += 1;
            continue;
        }
        match c {
            '.' => {
                let (name, n) = ident(&chars[i + 1..])?;
                cur.push(Simple::Class(name));
                i += 1 + n;
            }
            '#' => {
                let (name, n) = ident(&chars[i + 1..])?;
                cur.push(Simple::Id(name));
                i += 1 + n;
            }
            '*' => {
                cur.push(Simple::Universal);
                i += 1;
            }
            '[' => {
                let end = closing(&chars, i, '[', ']')?;
                let raw: String = chars[i..=end].iter().collect();
                let test = parse_attr(&raw[1..raw.len() - 1])?;
                cur.push(Simple::Attr(raw, test));
                i = end + 1;
            }
            ':' => {
                if chars.get(i + 1) == Some(&':') {
                    let (name, n) = ident(&chars[i + 2..])?;
                    cur.push(Simple::Element(name.to_ascii_lowercase()));
                    i += 2 + n;
                } else {
                    let (name, n) = ident(&chars[i + 1..])?;
                    let name = name.to_ascii_lowercase();
                    i += 1 + n;
                    if chars.get(i) == Some(&'(') {
                        let end = closing(&chars, i, '(', ')')?;
                        let args: String = chars[i + 1..end].iter().collect();
                        cur.push(Simple::Pseudo(name, Some(args)));
                        i = end + 1;
                    } else if name == "before" || name == "after" {
                        cur.push(Simple::Element(name));
                    } else {
                        cur.push(Simple::Pseudo(name, None));
                    }
                }
            }
            _ => {
                let (name, n) = ident(&chars[i..])?;
                cur.push(Simple::Tag(name));
                i += n;
            }
        }
    }
    if !cur.is_empty() {
        out.push((if out.is_empty() { None } else { pending }, cur));
    } else if pending.is_some_and(|p| p != Combinator::Descendant) {
        return None; // ends with a combinator
    }
    (!out.is_empty()).then_some(out)
}

/// An identifier (escapes resolved) and the chars it took.
fn ident(chars: &[char]) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let hex: String =
                chars[i + 1..].iter().take_while(|h| h.is_ascii_hexdigit()).take(6).collect();
            if hex.is_empty() {
                out.push(*chars.get(i + 1)?);
                i += 2;
            } else {
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                i += 1 + hex.len();
                if chars.get(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
            }
            continue;
        }
        if c.is_alphanumeric() || c == '-' || c == '_' || !c.is_ascii() {
            out.push(c);
            i += 1;
        } else {
            break;
        }
    }
    (!out.is_empty()).then_some((out, i))
}

fn closing(chars: &[char], open_at: usize, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in chars.iter().enumerate().skip(open_at) {
        match (quote, *c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(*c),
            (None, c) if c == open => depth += 1,
            (None, c) if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn parse_attr(body: &str) -> Option<AttrTest> {
    let body = body.trim();
    let op_at = body.find(['=', '~', '|', '^', '$', '*']);
    let Some(at) = op_at else {
        return Some(AttrTest {
            name: body.to_string(),
            op: None,
            value: String::new(),
            case_insensitive: false,
        });
    };
    let name = body[..at].trim().to_string();
    let rest = &body[at..];
    let op_len = if rest.starts_with('=') { 1 } else { 2 };
    let op = rest.get(..op_len)?.to_string();
    let mut value = rest[op_len..].trim();
    let mut case_insensitive = false;
    if let Some(v) = value.strip_suffix(" i").or_else(|| value.strip_suffix(" I")) {
        value = v.trim();
        case_insensitive = true;
    }
    let value = value.trim_matches(|c| c == '"' || c == '\'').to_string();
    Some(AttrTest { name, op: Some(op), value, case_insensitive })
}

/// `an+b` (`odd`, `even`, `3`, `-n+2`, `2n`, …).
fn parse_nth(args: &str) -> Option<(i32, i32)> {
    let s: String = args.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    match s.as_str() {
        "odd" => return Some((2, 1)),
        "even" => return Some((2, 0)),
        _ => {}
    }
    match s.find('n') {
        None => Some((0, s.parse().ok()?)),
        Some(n) => {
            let a = match &s[..n] {
                "" | "+" => 1,
                "-" => -1,
                x => x.parse().ok()?,
            };
            let b = if s[n + 1..].is_empty() { 0 } else { s[n + 1..].parse().ok()? };
            Some((a, b))
        }
    }
}

/// The structural condition a pseudo-class stands for; `None` when it is not structural
/// (`:only-child` is two conditions: see [`only`]).
fn structural(name: &str, args: Option<&str>, conds: &mut Conditions) -> Option<usize> {
    let nth = |a, b, of_type, from_end| Condition::Nth { a, b, of_type, from_end };
    let c = match (name, args) {
        ("first-child", None) => nth(0, 1, false, false),
        ("last-child", None) => nth(0, 1, false, true),
        ("first-of-type", None) => nth(0, 1, true, false),
        ("last-of-type", None) => nth(0, 1, true, true),
        ("empty", None) => Condition::Empty,
        ("nth-child", Some(a)) | ("nth-last-child", Some(a)) => {
            let (a, b) = parse_nth(a)?;
            nth(a, b, false, name == "nth-last-child")
        }
        ("nth-of-type", Some(a)) | ("nth-last-of-type", Some(a)) => {
            let (a, b) = parse_nth(a)?;
            nth(a, b, true, name == "nth-last-of-type")
        }
        ("not", Some(list)) => {
            let mut compounds = Vec::new();
            for part in split_top_level(list, ',') {
                let complex = parse_complex(part.trim())?;
                if complex.len() != 1 {
                    return None; // `:not(a b)`: complex arguments are not supported
                }
                compounds.push(compound(&complex[0].1, conds)?);
            }
            Condition::Not(compounds)
        }
        _ => return None,
    };
    Some(conds.intern(c))
}

/// `:only-child` / `:only-of-type` as first-and-last conditions.
fn only(name: &str, conds: &mut Conditions) -> Option<[usize; 2]> {
    let of_type = match name {
        "only-child" => false,
        "only-of-type" => true,
        _ => return None,
    };
    Some([
        conds.intern(Condition::Nth { a: 0, b: 1, of_type, from_end: false }),
        conds.intern(Condition::Nth { a: 0, b: 1, of_type, from_end: true }),
    ])
}

/// The compound as text with its pseudo-classes (and the `extra` conditions) as condition
/// tests.
fn lower_compound(simples: &[Simple], extra: Vec<usize>, conds: &mut Conditions) -> String {
    let mut ids = extra;
    let (mut text, mut tail) = (String::new(), String::new());
    for s in simples {
        match s {
            Simple::Tag(t) => text.insert_str(0, t),
            Simple::Universal => text.insert(0, '*'),
            Simple::Class(c) => {
                text.push('.');
                text.push_str(&escape_ident(c));
            }
            Simple::Id(i) => {
                text.push('#');
                text.push_str(&escape_ident(i));
            }
            Simple::Attr(raw, _) => text.push_str(raw),
            Simple::Pseudo(name, None) if only(name, conds).is_some() => {
                ids.extend(only(name, conds).unwrap_or_default());
            }
            // a mini program's root element is its page
            Simple::Pseudo(name, None) if name == "root" => text.insert_str(0, "page"),
            Simple::Pseudo(name, None) if name == "active" => {
                conds.active.get_or_insert_with(ActiveKeys::default).note(simples);
                ids.push(conds.intern(Condition::Active));
            }
            Simple::Pseudo(name, args) => match structural(name, args.as_deref(), conds) {
                Some(i) => ids.push(i),
                None => {
                    // not structural: leave it for float-pigment (`:host`, or a warning)
                    tail.push(':');
                    tail.push_str(name);
                    if let Some(a) = args {
                        tail.push('(');
                        tail.push_str(a);
                        tail.push(')');
                    }
                }
            },
            Simple::Element(e) => {
                tail.push_str("::");
                tail.push_str(e);
            }
        }
    }
    for i in &ids {
        text.push_str(&format!("[{CONDITION_ATTR}{i}]"));
    }
    // pseudo-classes before the pseudo-element, which must come last
    let (classes, element): (Vec<&str>, Vec<&str>) = split_tail(&tail);
    text.push_str(&classes.concat());
    text.push_str(&element.concat());
    text
}

fn split_tail(tail: &str) -> (Vec<&str>, Vec<&str>) {
    match tail.find("::") {
        Some(at) => (vec![&tail[..at]], vec![&tail[at..]]),
        None => (vec![tail], vec![]),
    }
}

fn escape_ident(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' || !c.is_ascii() {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// A compound for the matcher; `None` when it holds something only float-pigment can test
/// (`:host`, `:hover`, a pseudo-element).
fn compound(simples: &[Simple], conds: &mut Conditions) -> Option<Compound> {
    let mut c = Compound::default();
    for s in simples {
        match s {
            Simple::Tag(t) => c.tag = Some(t.to_ascii_lowercase()),
            Simple::Universal => {}
            Simple::Class(n) => c.classes.push(n.clone()),
            Simple::Id(i) => c.id = Some(i.clone()),
            Simple::Attr(_, t) => c.attrs.push(t.clone()),
            Simple::Pseudo(name, None) if only(name, conds).is_some() => {
                c.conditions.extend(only(name, conds).unwrap_or_default());
            }
            Simple::Pseudo(name, None) if name == "root" => c.tag = Some("page".into()),
            Simple::Pseudo(name, None) if name == "active" => {
                conds.active.get_or_insert_with(ActiveKeys::default).any = true;
                c.conditions.push(conds.intern(Condition::Active));
            }
            Simple::Pseudo(name, args) => match structural(name, args.as_deref(), conds) {
                Some(i) => c.conditions.push(i),
                None => return None,
            },
            Simple::Element(_) => return None,
        }
    }
    Some(c)
}

/// One selector rewritten; `None` when it cannot be read here.
fn rewrite_selector(selector: &str, conds: &mut Conditions) -> Option<String> {
    let complex = parse_complex(selector)?;
    // fold `a + b` and `a ~ b` into conditions on `b`
    let mut folded: Vec<(Option<Combinator>, Vec<Simple>, Vec<usize>)> = Vec::new();
    for (comb, simples) in complex {
        match comb {
            Some(Combinator::Next | Combinator::Subsequent) => {
                let (left_comb, left, left_extra) = folded.pop()?;
                let mut left_compound = compound(&left, conds)?;
                left_compound.conditions.extend(left_extra);
                let cond = if comb == Some(Combinator::Next) {
                    Condition::Previous(left_compound)
                } else {
                    Condition::AnyPrevious(left_compound)
                };
                let id = conds.intern(cond);
                folded.push((left_comb, simples, vec![id]));
            }
            _ => folded.push((comb, simples, Vec::new())),
        }
    }
    let mut out = String::new();
    for (comb, simples, extra) in folded {
        match comb {
            None => {}
            Some(Combinator::Child) => out.push_str(" > "),
            Some(_) => out.push(' '),
        }
        let text = lower_compound(&simples, extra, conds);
        out.push_str(&text);
    }
    Some(out)
}

/// Answers condition tests against the tree (see the module docs).
#[derive(Clone, Copy)]
pub struct Matcher<'a> {
    tree: &'a Tree,
    conds: &'a Conditions,
}

impl<'a> Matcher<'a> {
    /// A matcher over `tree` for the app's `conds`.
    pub fn new(tree: &'a Tree, conds: &'a Conditions) -> Matcher<'a> {
        Matcher { tree, conds }
    }

    /// The tree conditions are answered against.
    pub fn tree(&self) -> &'a Tree {
        self.tree
    }

    /// True when the condition named by the attribute `name` holds for `id`; `None` when
    /// `name` is no condition test.
    pub fn test(&self, id: NodeId, node: &Node, name: &str) -> Option<bool> {
        let c = self.conds.get(name)?;
        Some(self.holds(id, node, c, 0))
    }

    fn holds(&self, id: NodeId, node: &Node, c: &Condition, depth: u32) -> bool {
        if depth > 32 {
            return false;
        }
        match c {
            Condition::Nth { a, b, of_type, from_end } => {
                let Some(i) = self.position(id, node, *of_type, *from_end) else { return false };
                nth_matches(*a, *b, i)
            }
            Condition::Empty => node.children.iter().all(|c| {
                self.tree.get(*c).is_none_or(|n| match n.kind {
                    NodeKind::Element => false,
                    NodeKind::Text => n.text.trim().is_empty(),
                    NodeKind::Fragment => true,
                })
            }),
            Condition::Not(list) => !list.iter().any(|k| self.compound(id, node, k, depth + 1)),
            Condition::Previous(k) => self
                .element_siblings(node)
                .and_then(|sibs| {
                    let at = sibs.iter().position(|s| *s == id)?;
                    let prev = *sibs.get(at.checked_sub(1)?)?;
                    Some(self.compound(prev, self.tree.get(prev)?, k, depth + 1))
                })
                .unwrap_or(false),
            Condition::AnyPrevious(k) => self
                .element_siblings(node)
                .map(|sibs| {
                    sibs.iter().take_while(|s| **s != id).any(|s| {
                        self.tree.get(*s).is_some_and(|n| self.compound(*s, n, k, depth + 1))
                    })
                })
                .unwrap_or(false),
            Condition::Active => node.active,
        }
    }

    fn compound(&self, id: NodeId, node: &Node, k: &Compound, depth: u32) -> bool {
        if node.kind != NodeKind::Element {
            return false;
        }
        if k.tag.as_ref().is_some_and(|t| *t != node.tag) {
            return false;
        }
        if k.id.as_ref().is_some_and(|i| *i != node.id_attr) {
            return false;
        }
        if !k.classes.iter().all(|c| node.classes.iter().any(|(n, _)| n == c)) {
            return false;
        }
        if !k.attrs.iter().all(|t| attr_matches(node, t)) {
            return false;
        }
        k.conditions
            .iter()
            .all(|i| self.conds.list.get(*i).is_some_and(|c| self.holds(id, node, c, depth + 1)))
    }

    fn element_siblings(&self, node: &Node) -> Option<Vec<NodeId>> {
        let parent = self.tree.get(node.parent?)?;
        Some(
            parent
                .children
                .iter()
                .copied()
                .filter(|c| self.tree.get(*c).is_some_and(|n| n.kind == NodeKind::Element))
                .collect(),
        )
    }

    /// 1-based position among element siblings (of the same tag when `of_type`).
    fn position(&self, id: NodeId, node: &Node, of_type: bool, from_end: bool) -> Option<i32> {
        let parent = self.tree.get(node.parent?)?;
        let counts = |c: &NodeId| {
            self.tree
                .get(*c)
                .is_some_and(|n| n.kind == NodeKind::Element && (!of_type || n.tag == node.tag))
        };
        let mut i = 0;
        let mut walk = |c: &NodeId| -> Option<i32> {
            if counts(c) {
                i += 1;
            }
            (*c == id).then_some(i)
        };
        if from_end {
            parent.children.iter().rev().find_map(&mut walk)
        } else {
            parent.children.iter().find_map(&mut walk)
        }
    }

    /// For each of `parent`'s children, the sibling facts [`StructureUse`] selects, as one
    /// comparable key (0 for text): equal keys mean every condition reads the same answer.
    /// One pass over the children.
    pub fn child_keys(&self, parent: &Node, uses: StructureUse) -> Vec<u64> {
        let kids: Vec<Option<&Node>> = parent
            .children
            .iter()
            .map(|c| self.tree.get(*c).filter(|n| n.kind == NodeKind::Element))
            .collect();
        let mut keys = vec![0xcbf2_9ce4_8422_2325u64; kids.len()];
        let mix = |h: &mut u64, v: u64| {
            *h ^= v;
            *h = h.wrapping_mul(0x0100_0000_01b3);
        };
        let positions = |order: &mut dyn Iterator<Item = usize>, keys: &mut Vec<u64>| {
            let mut all = 0u64;
            let mut by_tag: HashMap<&str, u64> = HashMap::new();
            for i in order {
                let Some(n) = kids[i] else { continue };
                all += 1;
                let t = by_tag.entry(n.tag.as_str()).or_insert(0);
                *t += 1;
                mix(&mut keys[i], all);
                mix(&mut keys[i], *t);
            }
        };
        if uses.from_start {
            positions(&mut (0..kids.len()), &mut keys);
        }
        if uses.from_end {
            positions(&mut (0..kids.len()).rev(), &mut keys);
        }
        if uses.empty {
            for (i, n) in kids.iter().enumerate() {
                if let Some(n) = n {
                    let empty = self.holds(parent.children[i], n, &Condition::Empty, 0);
                    mix(&mut keys[i], u64::from(empty) | 1 << 40);
                }
            }
        }
        if uses.previous {
            let mut running = 0u64;
            for (i, n) in kids.iter().enumerate() {
                if let Some(n) = n {
                    mix(&mut keys[i], running);
                    mix(&mut running, u64::from(parent.children[i]) << 32 | u64::from(n.revision));
                }
            }
        }
        for (k, n) in keys.iter_mut().zip(&kids) {
            if n.is_none() {
                *k = 0;
            }
        }
        keys
    }
}

fn nth_matches(a: i32, b: i32, i: i32) -> bool {
    if a == 0 {
        return i == b;
    }
    let d = i - b;
    d % a == 0 && d / a >= 0
}

fn attr_matches(node: &Node, t: &AttrTest) -> bool {
    let value = match node.attrs.get(&t.name) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Bool(false) | serde_json::Value::Null) => return false,
        Some(serde_json::Value::Bool(true)) => String::new(),
        Some(v) => v.to_string(),
        None if t.name == "id" && !node.id_attr.is_empty() => node.id_attr.clone(),
        None => return false,
    };
    let Some(op) = &t.op else { return true };
    let (v, want) = if t.case_insensitive {
        (value.to_lowercase(), t.value.to_lowercase())
    } else {
        (value, t.value.clone())
    };
    match op.as_str() {
        "=" => v == want,
        "~=" => !want.is_empty() && v.split_whitespace().any(|w| w == want),
        "|=" => v == want || v.starts_with(&format!("{want}-")),
        "^=" => !want.is_empty() && v.starts_with(&want),
        "$=" => !want.is_empty() && v.ends_with(&want),
        "*=" => !want.is_empty() && v.contains(&want),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(css: &str) -> (String, Conditions) {
        let mut c = Conditions::default();
        let out = rewrite_sheet(css, &mut c, &mut Vec::new()).into_owned();
        (out, c)
    }

    #[test]
    fn selectors_the_engine_cannot_apply_leave_their_list() {
        let mut c = Conditions::default();
        let mut dropped = Vec::new();
        let css = ".a:focus, .b { x: 1 }\n.c:hover,\n.d:last-child::after { y: 2 }\n.e:visited { z: 3 }\n";
        let out = rewrite_sheet(css, &mut c, &mut dropped).into_owned();
        assert_eq!(out, ".b { x: 1 }\n.d[-miniapp-s0]::after\n { y: 2 }\n.e:visited { z: 3 }\n");
        let seen: Vec<(u32, &str, Vec<String>)> =
            dropped.iter().map(|d| (d.line, d.selector.as_str(), d.pseudos.clone())).collect();
        assert_eq!(
            seen,
            [
                (1, ".a:focus", vec!["focus".to_string()]),
                (2, ".c:hover", vec!["hover".to_string()])
            ]
        );
        assert_eq!(unapplied_pseudos(".x::before:host(.y:hover)"), Vec::<String>::new());
        assert_eq!(unapplied_pseudos(".x:not(.y)::after"), ["not"]);
        assert_eq!(unapplied_pseudos("a[href=':visited']::selection"), ["selection"]);
    }

    #[test]
    fn structural_pseudo_classes_become_condition_tests() {
        let (out, c) = rw(".a:first-child { x: 1 }\n.b:nth-child(2n+1)::after, .c:last-child{}\n");
        assert_eq!(
            out, ".a[-miniapp-s0] { x: 1 }\n.b[-miniapp-s1]::after, .c[-miniapp-s2]{}\n",
            "{out}"
        );
        assert_eq!(c.len(), 3);
        assert!(c.uses().from_start && c.uses().from_end && !c.uses().previous);
    }

    #[test]
    fn siblings_fold_into_conditions_and_lines_are_kept() {
        let (out, c) = rw(".x .a + .b > .c,\n.d ~ view:not(.e) { color: red }");
        assert_eq!(out, ".x .b[-miniapp-s0] > .c, view[-miniapp-s1][-miniapp-s2]\n { color: red }");
        assert_eq!(
            c.get("-miniapp-s2"),
            Some(&Condition::Not(vec![Compound {
                classes: vec!["e".into()],
                ..Compound::default()
            }]))
        );
    }

    #[test]
    fn unknown_pseudo_classes_keyframes_and_plain_rules_are_untouched() {
        let css = ".a:hover { x: 1 }\n@keyframes k { from { a: b } to { a: c } }\n.p > .q {}";
        let (out, c) = rw(css);
        assert_eq!(out, css);
        assert!(c.is_empty());
        let (out, _) = rw(".i:before { content: 'a:b' }\n@media (min-width: 1px) { .m:empty {} }");
        assert_eq!(
            out,
            ".i::before { content: 'a:b' }\n@media (min-width: 1px) { .m[-miniapp-s0] {} }"
        );
    }

    #[test]
    fn nth_formulas() {
        assert_eq!(parse_nth("odd"), Some((2, 1)));
        assert_eq!(parse_nth(" -n + 3 "), Some((-1, 3)));
        assert_eq!(parse_nth("4"), Some((0, 4)));
        assert!(nth_matches(2, 1, 3) && !nth_matches(2, 1, 2));
        assert!(nth_matches(-1, 3, 1) && nth_matches(-1, 3, 3) && !nth_matches(-1, 3, 4));
        assert!(nth_matches(3, 0, 6) && !nth_matches(3, 0, 1));
    }
}
