//! Computed styles shared between boxes within one sync pass: an element's computed style is
//! a function of the rules it matches, its inline style and its parent's computed style and
//! custom properties ([`StyleEngine::compute_matched`]), and a text leaf's of its parent's
//! alone; boxes that agree on those hold one [`Rc`] of it instead of a copy each (the rows of
//! a list: one style per kind of row instead of one per node, ~3 KB each).
//!
//! Parents are named by address; every parent and custom-property map a key names is kept
//! alive until the pass ends, so an address cannot be reused for another style meanwhile.
//! Rules are named by address too ([`crate::style::cascade::Matched::identity`]): the sheets
//! do not change during a pass. Logic thread (one pass).

use std::rc::Rc;

use float_pigment_css::property::{NodeProperties, PropertyMeta};
use rustc_hash::FxHashMap;

use crate::style::cascade::{mentions_custom_properties, StyleEngine, StyleRef, Vars};

thread_local! {
    /// The initial style (no parent, no rules): what a box holds until its first restyle.
    static INITIAL: Rc<NodeProperties> = Rc::new(NodeProperties::new(None));
}

/// The initial computed style, shared.
pub fn initial() -> Rc<NodeProperties> {
    INITIAL.with(Rc::clone)
}

/// What an element's computed style is a function of.
#[derive(PartialEq, Eq, Hash)]
struct ElementKey {
    parent: usize,
    vars: usize,
    rules: Vec<(usize, u64)>,
    inline: String,
}

/// The styles computed in one pass, by what they were computed from.
#[derive(Default)]
pub(super) struct SharedStyles {
    elements: FxHashMap<ElementKey, (Rc<NodeProperties>, Vars)>,
    texts: FxHashMap<usize, Rc<NodeProperties>>,
    /// What the keys name by address, kept alive for the pass.
    parents: Vec<Rc<NodeProperties>>,
    vars: Vec<Vars>,
}

fn address<T>(rc: Option<&Rc<T>>) -> usize {
    rc.map_or(0, |r| Rc::as_ptr(r) as usize)
}

impl SharedStyles {
    /// The computed style of the last element of `chain`, whose inline style is `inline`
    /// (its text and declarations), inside `parent`.
    pub fn element(
        &mut self,
        styles: &StyleEngine,
        chain: &[StyleRef<'_>],
        inline: &(String, Vec<PropertyMeta>),
        parent: Option<(&Rc<NodeProperties>, &Vars)>,
    ) -> (Rc<NodeProperties>, Vars) {
        let matched = styles.matched(chain);
        let key = ElementKey {
            parent: address(parent.map(|p| p.0)),
            vars: address(parent.map(|p| p.1)),
            rules: matched.identity(),
            inline: inline.0.clone(),
        };
        if let Some((css, vars)) = self.elements.get(&key) {
            return (css.clone(), vars.clone());
        }
        let no_vars = Vars::default();
        let parent_vars = parent.map_or(&no_vars, |p| p.1);
        let inline_vars = mentions_custom_properties(&inline.0);
        let (css, vars) = styles.compute_matched(
            &matched,
            (&inline.1, inline_vars),
            parent.map(|p| &**p.0),
            parent_vars,
        );
        let css = Rc::new(css);
        if let Some((p, v)) = parent {
            self.parents.push(p.clone());
            self.vars.push(v.clone());
        }
        self.elements.insert(key, (css.clone(), vars.clone()));
        (css, vars)
    }

    /// The computed style of a text leaf inside `parent` (it inherits and sets nothing).
    pub fn text(&mut self, parent: Option<&Rc<NodeProperties>>) -> Rc<NodeProperties> {
        let Some(parent) = parent else { return initial() };
        let key = address(Some(parent));
        if let Some(css) = self.texts.get(&key) {
            return css.clone();
        }
        let css = Rc::new(NodeProperties::new(Some(parent)));
        self.parents.push(parent.clone());
        self.texts.insert(key, css.clone());
        css
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::layout::text::HeadlessMeasurer;
    use crate::layout::LayoutEngine;
    use crate::package::Package;
    use crate::style::StyleSheets;
    use crate::view::tree::{NodeId, Tree, ROOT};
    use crate::Diagnostics;

    /// A page of rows `<view class=…><text class="t">row</text></view>`, laid out: the
    /// engine, the tree and each row's element id.
    fn rows(classes: &[&str], inline: &[(usize, &str)]) -> (LayoutEngine, Tree, Vec<NodeId>) {
        let package = Package::from_sources([
            ("app.json", r#"{"pages":["p/i"]}"#),
            ("app.wxss", ".row { padding: 4px; } .odd { color: red; } .t { font-size: 20px; }"),
        ]);
        let sheets = StyleSheets::load(&package, &mut Diagnostics::default());
        let scope = std::num::NonZeroUsize::new(1);
        let mut engine = LayoutEngine::new(375.0, 667.0, Arc::new(HeadlessMeasurer));
        engine.set_shared_scope(scope);
        engine.append_sheet(&sheets, "app", scope);
        let mut tree = Tree::new();
        let page = tree.create_element("page");
        let mut ids = Vec::new();
        for (i, class) in classes.iter().enumerate() {
            let row = tree.create_element("view");
            tree.set_style_scope(row, scope, None, None).unwrap();
            for c in class.split(' ') {
                tree.add_class(row, c, scope).unwrap();
            }
            if let Some((_, style)) = inline.iter().find(|(at, _)| *at == i) {
                tree.set_style(row, style).unwrap();
            }
            let t = tree.create_element("text");
            tree.set_style_scope(t, scope, None, None).unwrap();
            tree.add_class(t, "t", scope).unwrap();
            let leaf = tree.create_text("row");
            tree.append_child(t, leaf).unwrap();
            tree.append_child(row, t).unwrap();
            tree.append_child(page, row).unwrap();
            ids.push(row);
        }
        tree.append_child(ROOT, page).unwrap();
        engine.update(&mut tree);
        (engine, tree, ids)
    }

    fn css(engine: &LayoutEngine, id: NodeId) -> Rc<NodeProperties> {
        engine.find_box(id).expect("a box").css.clone()
    }

    /// The style of a row's text element and of its text leaf.
    fn inner(engine: &LayoutEngine, tree: &Tree, row: NodeId) -> [Rc<NodeProperties>; 2] {
        let t = tree.get(row).unwrap().children[0];
        let leaf = tree.get(t).unwrap().children[0];
        [css(engine, t), css(engine, leaf)]
    }

    #[test]
    fn rows_styled_alike_share_one_style_and_others_keep_their_own() {
        let classes = ["row", "row", "row odd", "row", "row"];
        let (engine, tree, ids) = rows(&classes, &[(4, "color: blue")]);
        let [a, b, odd, d, blue] = [0, 1, 2, 3, 4].map(|i| css(&engine, ids[i]));
        assert!(Rc::ptr_eq(&a, &b) && Rc::ptr_eq(&a, &d), "alike rows share");
        // …down their subtrees: the text element and its leaf
        let [ta, la] = inner(&engine, &tree, ids[0]);
        let [tb, lb] = inner(&engine, &tree, ids[1]);
        assert!(Rc::ptr_eq(&ta, &tb) && Rc::ptr_eq(&la, &lb));
        assert!(!Rc::ptr_eq(&ta, &la), "an element and its text leaf differ");
        // a class or an inline style of its own: a style of its own, with what it says
        assert!(!Rc::ptr_eq(&a, &odd) && !Rc::ptr_eq(&a, &blue));
        let color = |c: &NodeProperties| c.color().to_string();
        assert_eq!(color(&a), color(&b));
        assert_ne!(color(&odd), color(&a));
        assert_ne!(color(&blue), color(&a));
        assert_ne!(color(&blue), color(&odd));
        // what the odd row's text inherits is its parent's, not the plain rows'
        let [t_odd, l_odd] = inner(&engine, &tree, ids[2]);
        assert!(!Rc::ptr_eq(&t_odd, &ta) && !Rc::ptr_eq(&l_odd, &la));
        assert_eq!(color(&l_odd), color(&odd));
    }

    #[test]
    fn a_restyled_row_leaves_the_shared_style_and_its_siblings_keep_it() {
        let (mut engine, mut tree, ids) = rows(&["row"; 4], &[]);
        let before = css(&engine, ids[0]);
        tree.add_class(ids[1], "odd", std::num::NonZeroUsize::new(1)).unwrap();
        engine.update(&mut tree);
        assert!(Rc::ptr_eq(&before, &css(&engine, ids[0])), "untouched rows keep their style");
        let odd = css(&engine, ids[1]);
        assert!(!Rc::ptr_eq(&before, &odd));
        assert_ne!(odd.color().to_string(), before.color().to_string());
        let [_, leaf] = inner(&engine, &tree, ids[1]);
        assert_eq!(leaf.color().to_string(), odd.color().to_string(), "its text follows");
    }

    #[test]
    fn rows_styled_alike_send_one_shared_visual_style() {
        let (_, mut tree, ids) = rows(&["row", "row", "row odd"], &[]);
        let styles: std::collections::HashMap<NodeId, std::sync::Arc<_>> = tree
            .take_frame()
            .iter()
            .flat_map(|f| &f.ops)
            .filter_map(|op| match op {
                crate::render::RenderOp::SetStyle { id, style } => Some((*id, style.clone())),
                _ => None,
            })
            .collect();
        let [a, b, odd] = [0, 1, 2].map(|i| styles[&ids[i]].clone());
        assert!(std::sync::Arc::ptr_eq(&a, &b), "one style for alike rows");
        assert!(!std::sync::Arc::ptr_eq(&a, &odd));
        assert_ne!(a.color, odd.color);
    }

    #[test]
    fn inline_custom_properties_resolve_without_any_in_the_sheets() {
        // the sheets mention no custom property: the inline style alone asks for the var() pass
        let inline = [(0, "--c: rgb(1, 2, 3); color: var(--c)"), (1, "color: rgb(1, 2, 3)")];
        let (engine, tree, ids) = rows(&["row", "row", "row"], &inline);
        let color = |id| css(&engine, id).color().to_string();
        assert_eq!(color(ids[0]), color(ids[1]));
        assert_ne!(color(ids[0]), color(ids[2]));
        let [_, leaf] = inner(&engine, &tree, ids[0]);
        assert_eq!(leaf.color().to_string(), color(ids[1]), "inherited");
    }
}
