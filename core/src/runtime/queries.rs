//! What hosts, the CLI and tests read from a running instance: selector queries, geometry and
//! styles from the last layout, tree dumps, pages, logs, errors and diagnostics. Reading never
//! runs a task. Logic thread.

use std::cell::Ref;

use serde_json::{json, Value};

use super::state::{AppError, LogEntry};
use super::{AppInstance, RuntimeError};
use crate::diagnostic::Diagnostics;
use crate::framework::{self, PageInfo};
use crate::view::select::Selector;
use crate::view::tree::ROOT;
use crate::view::{dump, NodeId, Tree};

impl AppInstance {
    /// Every element of the current (top) page matching a selector, in document order
    /// — what a user could tap. Before launch, the whole tree.
    pub fn select_all(&mut self, selector: &str) -> Result<Vec<NodeId>, RuntimeError> {
        let sel = Selector::parse(selector)?;
        let scope = self.top_page_node()?.unwrap_or(ROOT);
        let tree = self.state.tree.borrow();
        let lookup = |node: NodeId, name: &str| -> Option<String> {
            let key = crate::view::tree::dataset_key(name.strip_prefix("data-")?);
            tree.get(node)?.dataset.get(&key).map(crate::view::tree::value_text)
        };
        Ok(sel.select_all(&tree, scope, &lookup))
    }

    /// The first element matching a selector.
    pub fn select(&mut self, selector: &str) -> Result<NodeId, RuntimeError> {
        self.select_all(selector)?
            .into_iter()
            .next()
            .ok_or_else(|| RuntimeError::NoMatch(selector.to_string()))
    }

    /// The tree (read-only).
    pub fn tree(&self) -> Ref<'_, Tree> {
        self.state.tree.borrow()
    }

    /// Drops every layout cache and lays all pages out from scratch (the host receives the
    /// resulting frame). For consistency checks and after a host font change.
    pub fn relayout_all(&mut self) {
        self.state.layout.borrow_mut().reset();
        self.close_frame();
    }

    /// A node's frame: border box in px relative to its parent, once laid out.
    pub fn frame(&self, id: NodeId) -> Option<crate::layout::BoxRect> {
        self.state.layout.borrow().frame(id)
    }

    /// An element's generated boxes (`::before`/`::after` with a `content`): which, the box's
    /// node id and its text run's, as the host received them.
    pub fn generated_boxes(
        &self,
        id: NodeId,
    ) -> Vec<(crate::style::cascade::Pseudo, NodeId, Option<NodeId>)> {
        self.state.layout.borrow().generated_boxes(id)
    }

    /// A node's border box relative to its page's top-left corner.
    pub fn page_rect(&self, id: NodeId) -> Option<crate::layout::BoxRect> {
        self.state.layout.borrow().page_rect(&self.state.tree.borrow(), id)
    }

    /// The extent of a node's content in px (`scrollWidth`, `scrollHeight`).
    pub fn scroll_size(&self, id: NodeId) -> Option<(f32, f32)> {
        self.state.layout.borrow().scroll_size(&self.state.tree.borrow(), id)
    }

    /// Computed CSS values of a laid-out node, by kebab- or camelCase name; unknown names are
    /// left out.
    pub fn computed_style(&self, id: NodeId, names: &[String]) -> Vec<(String, String)> {
        self.state.layout.borrow().computed_style(id, names).unwrap_or_default()
    }

    /// A node's resolved visual style, once laid out.
    pub fn visual_style(&self, id: NodeId) -> Option<crate::style::visual::VisualStyle> {
        self.state.layout.borrow().visual(id).cloned()
    }

    /// The tree as indented WXML-like text, each node with its frame
    /// (`[x=… y=… w=… h=…]`, relative to its parent).
    pub fn dump_text(&mut self) -> Result<String, RuntimeError> {
        let layout = self.state.layout.borrow();
        let frame_of = |id| layout.frame(id).map(|f| [f.x, f.y, f.width, f.height]);
        Ok(dump::text_with_frames(&self.state.tree.borrow(), ROOT, &frame_of))
    }

    /// The tree for people (what `miniapp run` prints): like [`AppInstance::dump_text`], with
    /// each element's `data-*` attributes, long values cut and JSON attributes summarised.
    pub fn dump_readable(&mut self) -> Result<String, RuntimeError> {
        let layout = self.state.layout.borrow();
        let frame_of = |id| layout.frame(id).map(|f| [f.x, f.y, f.width, f.height]);
        let tree = self.state.tree.borrow();
        let dataset_of = |id| {
            let data = &tree.get(id)?.dataset;
            (!data.is_empty()).then(|| data.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        };
        Ok(dump::readable(&tree, ROOT, &frame_of, &dataset_of))
    }

    /// The tree as indented WXML-like text without frames (structure only).
    pub fn dump_structure(&mut self) -> Result<String, RuntimeError> {
        Ok(dump::text(&self.state.tree.borrow(), ROOT))
    }

    /// The tree as JSON, each node with its `frame` and resolved visual `style`.
    pub fn dump_json(&mut self) -> Result<Value, RuntimeError> {
        let layout = self.state.layout.borrow();
        let layout_of = |id| {
            let frame = layout.frame(id)?;
            Some(json!({ "frame": frame, "style": layout.visual(id) }))
        };
        Ok(dump::json_with_layout(&self.state.tree.borrow(), ROOT, &layout_of))
    }

    /// The page stack, bottom first.
    pub fn pages(&self) -> Result<Vec<PageInfo>, RuntimeError> {
        Ok(framework::pages(&self.engine)?)
    }

    /// The node of the page on top of the stack, without reading any page's data.
    pub fn top_page_node(&self) -> Result<Option<NodeId>, RuntimeError> {
        Ok(framework::top_page_node(&self.engine)?)
    }

    /// Console output so far.
    pub fn logs(&self) -> Vec<LogEntry> {
        self.state.logs.borrow().clone()
    }

    /// Uncaught JS errors so far.
    pub fn errors(&self) -> Vec<AppError> {
        self.state.errors.borrow().clone()
    }

    /// Package diagnostics (load time, subpackages compiled so far) plus every uncaught JS
    /// error so far, as diagnostics.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = self.state.problems.borrow().all().clone();
        for e in self.state.errors.borrow().iter().filter(|e| e.diagnostic.is_none()) {
            all.push(e.as_diagnostic());
        }
        all
    }

    /// The app id policies and storage are keyed by.
    pub fn app_id(&self) -> &str {
        &self.state.app_id
    }

    /// Instance time in ms.
    pub fn now(&self) -> f64 {
        self.state.clock.now()
    }

    /// JS heap bytes in use.
    pub fn heap_used(&self) -> usize {
        self.engine.heap_used()
    }
}
