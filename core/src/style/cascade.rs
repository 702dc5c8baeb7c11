//! The cascade: which rules match a node and what its computed style is.
//!
//! [`StyleEngine`] holds one float-pigment sheet group per app: sheets are appended as
//! glass-easel registers them for a page (app.wxss, the page's components, the page), each
//! with the style scope the adapter gave its component, so matching follows WeChat's
//! isolation rules (`isolated`, `apply-shared`, `shared`, `addGlobalClass`, external
//! classes arrive as classes carrying the owner's scope). The user-agent sheet is a separate
//! group merged first, so every author rule beats it whatever its specificity. Custom
//! properties (`--x`) and `var()` are resolved here, since float-pigment drops them.
//! Owned by the logic thread; the user-agent rules are parsed once per thread and shared by the
//! engines on it.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::rc::Rc;
use std::sync::Arc;

use float_pigment_css::parser::{
    parse_inline_style, parse_property_value_string, StyleParsingDebugMode,
};
use float_pigment_css::property::{NodeProperties, Property, PropertyMeta};
use float_pigment_css::query::{MatchedRuleList, StyleNode, StyleNodeAttributeCaseSensitivity};
use float_pigment_css::sheet::PseudoElements;
use float_pigment_css::typing::{CustomPropertyType, Length};
use float_pigment_css::{MediaQueryStatus, StyleSheetGroup, StyleSheetResource};
use serde_json::Value;

use super::structure::{Conditions, Matcher, CONDITION_ATTR};
use super::StyleSheets;
use crate::view::tree::{Node, NodeId, StyleScope};

const UA_KEY: &str = "miniapp:user-agent";

thread_local! {
    /// The user-agent sheet, parsed once per thread: every engine on the thread holds the same
    /// rules (matching only reads them; float-pigment's lazy rule index is built on first use).
    static USER_AGENT: StyleSheetGroup = {
        let mut resource = StyleSheetResource::new();
        let warnings = resource.add_source(UA_KEY, crate::builtin::user_agent_sheet());
        debug_assert!(warnings.is_empty(), "user-agent sheet: {warnings:?}");
        let mut user_agent = StyleSheetGroup::new();
        user_agent.append_from_resource(&resource, UA_KEY, None);
        user_agent
    };
}

/// Custom properties visible at a node (inherited), by name (`--x`).
pub type Vars = Rc<HashMap<String, String>>;

/// The style-relevant view of a node for selector matching.
#[derive(Clone, Copy)]
pub struct StyleRef<'a> {
    id: NodeId,
    node: &'a Node,
    scope: StyleScope,
    /// Answers the structural conditions sheets were rewritten into (see `structure`).
    matcher: Matcher<'a>,
    pseudo: Option<Pseudo>,
}

/// A pseudo-element box a node may generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pseudo {
    /// `::before`: the element's first child.
    Before,
    /// `::after`: the element's last child.
    After,
}

impl Pseudo {
    /// The tag the host receives for the generated node.
    pub fn tag(self) -> &'static str {
        match self {
            Pseudo::Before => "::before",
            Pseudo::After => "::after",
        }
    }
}

impl<'a> StyleRef<'a> {
    /// `node` (`id`) as it matches selectors; `scope_override` replaces its own scope (a
    /// page's root element belongs to the page's scope although glass-easel gives it none).
    pub fn new(
        id: NodeId,
        node: &'a Node,
        scope_override: StyleScope,
        matcher: Matcher<'a>,
    ) -> StyleRef<'a> {
        StyleRef { id, node, scope: scope_override.or(node.style_scope), matcher, pseudo: None }
    }

    /// The same node as its `::before` or `::after` box matches selectors.
    pub fn pseudo(self, pseudo: Pseudo) -> StyleRef<'a> {
        StyleRef { pseudo: Some(pseudo), ..self }
    }
}

impl StyleNode for StyleRef<'_> {
    type Class = (String, Option<NonZeroUsize>);
    type ClassIter<'b>
        = std::slice::Iter<'b, (String, Option<NonZeroUsize>)>
    where
        Self: 'b;

    fn style_scope(&self) -> Option<NonZeroUsize> {
        self.scope
    }
    fn extra_style_scope(&self) -> Option<NonZeroUsize> {
        self.node.extra_style_scope
    }
    fn host_style_scope(&self) -> Option<NonZeroUsize> {
        self.node.host_style_scope
    }
    fn tag_name(&self) -> &str {
        &self.node.tag
    }
    fn id(&self) -> Option<&str> {
        Some(self.node.id_attr.as_str()).filter(|s| !s.is_empty())
    }
    fn classes(&self) -> Self::ClassIter<'_> {
        self.node.classes.iter()
    }
    fn attribute(&self, name: &str) -> Option<(&str, StyleNodeAttributeCaseSensitivity)> {
        if name.starts_with(CONDITION_ATTR) {
            let holds = self.matcher.test(self.id, self.node, name)?;
            return holds.then_some(("", StyleNodeAttributeCaseSensitivity::CaseSensitive));
        }
        let value = match self.node.attrs.get(name)? {
            Value::String(s) => s.as_str(),
            Value::Bool(true) => "",
            Value::Bool(false) | Value::Null => return None,
            // numbers and objects cannot be borrowed as text: they only match `[name]`
            _ => "",
        };
        Some((value, StyleNodeAttributeCaseSensitivity::CaseSensitive))
    }
    fn pseudo_element(&self) -> Option<PseudoElements> {
        match self.pseudo? {
            Pseudo::Before => Some(PseudoElements::Before),
            Pseudo::After => Some(PseudoElements::After),
        }
    }
}

/// Sheets in cascade order plus the media state they are evaluated against.
pub struct StyleEngine {
    user_agent: StyleSheetGroup,
    group: StyleSheetGroup,
    /// Appended sheets by (key, scope) → index, so a page opened twice appends nothing.
    appended: HashMap<(String, StyleScope), u16>,
    media: MediaQueryStatus<f32>,
    /// Some sheet or inline style mentions a custom property: run the `var()` pass.
    uses_vars: bool,
    /// The structural conditions of the package's sheets.
    conditions: Arc<Conditions>,
    /// Some appended sheet has `::before`/`::after` rules.
    pseudo_elements: bool,
}

impl std::fmt::Debug for StyleEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StyleEngine").field("sheets", &self.appended.len()).finish()
    }
}

impl StyleEngine {
    /// An engine for a `width`×`height` viewport (rpx = width / 750).
    pub fn new(width: f32, height: f32) -> StyleEngine {
        let user_agent = USER_AGENT.with(StyleSheetGroup::clone);
        let mut media = MediaQueryStatus::<f32>::default_screen_with_size(width, height);
        media.base_font_size = 16.0;
        StyleEngine {
            user_agent,
            group: StyleSheetGroup::new(),
            appended: HashMap::new(),
            media,
            uses_vars: false,
            conditions: Arc::default(),
            pseudo_elements: false,
        }
    }

    /// The media state (viewport) lengths resolve against.
    pub fn media(&self) -> &MediaQueryStatus<f32> {
        &self.media
    }

    /// The structural conditions selectors were rewritten into.
    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }

    /// The `@keyframes` rule `name` as seen from `scope` (its own sheets, then the shared ones).
    pub fn keyframes(
        &self,
        name: &str,
        scope: StyleScope,
    ) -> Option<Rc<float_pigment_css::sheet::KeyFrames>> {
        self.group
            .search_keyframes(scope, name, &self.media)
            .or_else(|| self.group.search_keyframes(None, name, &self.media))
    }

    /// True when generated boxes may exist (some sheet has `::before`/`::after` rules).
    pub fn has_pseudo_elements(&self) -> bool {
        self.pseudo_elements
    }

    /// Changes the viewport (rotation, window resize).
    pub fn set_viewport(&mut self, width: f32, height: f32) {
        self.media.width = width;
        self.media.height = height;
    }

    /// Appends the sheet `key` (package path without `.wxss`) for `scope`, once: its index
    /// and whether it is new. Unknown keys give `None` (the package has no such sheet).
    pub fn append(
        &mut self,
        sheets: &StyleSheets,
        key: &str,
        scope: StyleScope,
    ) -> Option<(u16, bool)> {
        if let Some(i) = self.appended.get(&(key.to_string(), scope)) {
            return Some((*i, false));
        }
        if !sheets.has(key) {
            return None;
        }
        self.uses_vars |= sheets.uses_custom_properties();
        self.conditions = sheets.conditions().clone();
        self.pseudo_elements |= sheets.has_pseudo_elements();
        // link problems (missing imports) were reported when the package was loaded
        let (index, _) =
            self.group.append_from_resource_with_warnings(sheets.resource(), key, scope);
        self.appended.insert((key.to_string(), scope), index);
        Some((index, true))
    }

    /// The rules of the user-agent sheet and of the app's sheets that match the last node of
    /// `chain` (root first).
    pub fn matched(&self, chain: &[StyleRef<'_>]) -> Matched {
        Matched {
            user_agent: self.user_agent.query_matched_rules(chain, &self.media),
            sheets: self.group.query_matched_rules(chain, &self.media),
        }
    }

    /// The computed style of the last node of `chain` (root first), given its parent's.
    pub fn compute(
        &self,
        chain: &[StyleRef<'_>],
        inline: &[PropertyMeta],
        parent: Option<&NodeProperties>,
        parent_vars: &Vars,
    ) -> (NodeProperties, Vars) {
        self.compute_matched(&self.matched(chain), (inline, false), parent, parent_vars)
    }

    /// The computed style of a node that `matched` these rules, has this inline style and
    /// this parent: a function of those alone (two nodes that agree on them share a style).
    /// `inline.1`: the inline style mentions custom properties ([`mentions_custom_properties`]).
    pub fn compute_matched(
        &self,
        matched: &Matched,
        (inline, inline_vars): (&[PropertyMeta], bool),
        parent: Option<&NodeProperties>,
        parent_vars: &Vars,
    ) -> (NodeProperties, Vars) {
        let base = self.media.base_font_size;
        let parent_fs = parent.map_or(base, |p| font_size_px(p, base));
        let mut np = NodeProperties::new(parent);
        let ua = &matched.user_agent;
        if !ua.rules.is_empty() {
            let fs = ua.get_current_font_size(parent_fs, parent, &[], &self.media);
            ua.merge_node_properties(&mut np, parent, fs, &[]);
        }
        let rules = &matched.sheets;
        // font-size first: `em` in the other declarations resolves against it
        let fs = rules.get_current_font_size(parent_fs, parent, inline, &self.media);
        rules.merge_node_properties(&mut np, parent, fs, inline);
        if !matches!(np.font_size_ref(), Length::Px(_)) {
            let resolved = np.font_size_ref().resolve_to_f32(&self.media, parent_fs, false);
            np.set_font_size(Length::Px(resolved.unwrap_or(parent_fs)));
        }
        let mut vars = parent_vars.clone();
        if self.uses_vars || inline_vars {
            let mut decls: Vec<(u64, &PropertyMeta)> = Vec::new();
            for pm in inline {
                let w = if pm.is_important() { (1u64 << 62) + (1 << 63) } else { 1 << 62 };
                decls.push((w, pm));
            }
            for r in &rules.rules {
                for pm in r.rule.properties() {
                    let w =
                        if pm.is_important() { r.weight.important() } else { r.weight.normal() };
                    decls.push((w, pm));
                }
            }
            decls.sort_by_key(|d| d.0);
            resolve_vars(&decls, &mut np, parent, fs, &mut vars);
        }
        (np, vars)
    }
}

/// The rules that match a node, user-agent sheet first.
pub struct Matched {
    user_agent: MatchedRuleList,
    sheets: MatchedRuleList,
}

impl Matched {
    /// Names the matched rules (each rule's address in its sheet and its weight): equal for
    /// two nodes that match the same rules, while the sheets stay as they are.
    pub fn identity(&self) -> Vec<(usize, u64)> {
        let list = self.user_agent.rules.iter().chain(&self.sheets.rules);
        list.map(|r| (Rc::as_ptr(&r.rule) as usize, r.weight.normal())).collect()
    }
}

/// Whether style text declares or reads custom properties (`--x`, or `env(safe-area-inset-*)`,
/// which reads them): then the `var()` pass runs for it.
pub fn mentions_custom_properties(text: &str) -> bool {
    text.contains("--") || text.contains("safe-area-inset-")
}

/// Parses a `style="…"` attribute; problems are returned as messages (the declaration is
/// dropped).
pub fn parse_inline(text: &str) -> (Vec<PropertyMeta>, Vec<String>) {
    if text.trim().is_empty() {
        return (Vec::new(), Vec::new());
    }
    let text = super::prefixes::unprefix_declarations(text);
    let (props, warnings) = parse_inline_style(&text, StyleParsingDebugMode::None);
    (props, warnings.iter().map(|w| w.message.as_str().to_string()).collect())
}

/// The node's font size in px (`fallback` when unresolved).
pub fn font_size_px(np: &NodeProperties, fallback: f32) -> f32 {
    match np.font_size_ref() {
        Length::Px(x) => *x,
        _ => fallback,
    }
}

/// Applies `var()` declarations float-pigment could not (it leaves them unresolved):
/// collects custom properties in weight order, substitutes the winning declarations' text
/// and merges the re-parsed value.
fn resolve_vars(
    decls: &[(u64, &PropertyMeta)],
    np: &mut NodeProperties,
    parent: Option<&NodeProperties>,
    fs: f32,
    vars: &mut Vars,
) {
    let mut own: Vec<(String, String)> = Vec::new();
    for (_, pm) in decls {
        for p in pm.iter() {
            if let Property::CustomProperty(CustomPropertyType::Expr(n, v)) = p {
                own.push((n.as_str().trim().to_string(), v.as_str().trim().to_string()));
            }
        }
    }
    if !own.is_empty() {
        let m = Rc::make_mut(vars);
        for (n, v) in own {
            m.insert(n, v);
        }
    }
    let mut top: HashMap<String, u64> = HashMap::new();
    for (w, pm) in decls {
        let e = top.entry(pm.get_property_name().into_owned()).or_insert(0);
        *e = (*e).max(*w);
    }
    for (w, pm) in decls {
        let name = pm.get_property_name();
        if name == "custom-property" || top.get(name.as_ref()) != Some(w) {
            continue;
        }
        let raw = pm.get_property_value_string();
        if !raw.contains("var(") {
            continue;
        }
        let raw = raw.trim_end_matches(" !important").trim();
        // invalid at computed-value time: the property keeps its inherited/initial value
        let Some(text) = substitute_vars(raw, vars, 0) else { continue };
        // A var() inside a shorthand reports the whole shorthand value on each longhand;
        // only the Debug form names the shorthand, and the value must be parsed as it.
        let dbg = pm.iter().next().map(|p| format!("{p:?}")).unwrap_or_default();
        let prop_name = match dbg.find("VarInShorthand(") {
            Some(i) => {
                let rest = &dbg[i + "VarInShorthand(".len()..];
                rest[..rest.find(',').unwrap_or(0)].trim().to_string()
            }
            None => name.to_string(),
        };
        let parsed = parse_property_value_string(&prop_name, &text).0;
        for p in parsed.iter().filter(|p| p.get_property_name() == name) {
            for prop in p.iter() {
                np.merge_property(prop, parent, fs);
            }
        }
    }
}

/// Textual `var(--name, fallback)` substitution; `None` when a variable is undefined
/// without fallback or references nest too deep.
pub fn substitute_vars(text: &str, vars: &HashMap<String, String>, depth: u32) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let Some(start) = text.find("var(") else { return Some(text.to_string()) };
    let body_start = start + 4;
    let (mut level, mut end, mut comma) = (1, None, None);
    for (i, ch) in text[body_start..].char_indices() {
        match ch {
            '(' => level += 1,
            ')' => {
                level -= 1;
                if level == 0 {
                    end = Some(body_start + i);
                    break;
                }
            }
            ',' if level == 1 && comma.is_none() => comma = Some(body_start + i),
            _ => {}
        }
    }
    let end = end?;
    let name = text[body_start..comma.unwrap_or(end)].trim();
    let value = match vars.get(name) {
        Some(v) => substitute_vars(v, vars, depth + 1)?,
        None => substitute_vars(text[comma? + 1..end].trim(), vars, depth + 1)?,
    };
    let rest = substitute_vars(&text[end + 1..], vars, depth + 1)?;
    Some(format!("{}{}{}", &text[..start], value, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_substitution_uses_fallbacks_and_nesting() {
        let vars: HashMap<String, String> =
            [("--a".to_string(), "var(--b)".to_string()), ("--b".to_string(), "4px".to_string())]
                .into_iter()
                .collect();
        assert_eq!(substitute_vars("var(--a) var(--c, 2px)", &vars, 0).as_deref(), Some("4px 2px"));
        assert_eq!(substitute_vars("var(--missing)", &vars, 0), None);
    }
}
