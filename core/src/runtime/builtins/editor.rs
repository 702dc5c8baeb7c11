//! `editor`: a rich-text editor the host draws natively (a hand-off). The core fires
//! `ready` once the editor reaches the screen, so the app can fetch its `EditorContext`
//! (`SelectorQuery.select('#e').context()`, whose methods are `EditorContext.<method>` host
//! calls, see `core/js/src/contexts.js`). The host reports what the user wrote as the `edit`
//! action (`input {html, text, delta}`), and `focus`/`blur` (`{html, text, delta}` of the
//! last edit); format changes come back as the host's `statuschange` event. Logic thread.

use serde_json::{json, Value};

use crate::runtime::{AppInstance, RuntimeError};
use crate::view::NodeId;

impl AppInstance {
    /// The editor reached the screen.
    pub(in crate::runtime) fn editor_mounted(&mut self, node: NodeId) {
        self.queued_events.push_back((node, "ready".into(), json!({})));
    }

    /// The user changed the editor's content.
    pub(in crate::runtime) fn editor_edit(
        &mut self,
        node: NodeId,
        html: &str,
        text: &str,
        delta: Option<&Value>,
    ) -> Result<(), RuntimeError> {
        let delta = delta.cloned().unwrap_or_else(|| json!({ "ops": [{ "insert": text }] }));
        let contents = json!({ "html": html, "text": text, "delta": delta });
        self.editor_contents.retain(|n, _| self.state.tree.borrow().get(*n).is_some());
        self.editor_contents.insert(node, contents.clone());
        self.dispatch(node, "input", contents).map(drop)
    }

    /// The editor gained (`focus`) or lost (`blur`) focus.
    pub(in crate::runtime) fn editor_focus(
        &mut self,
        node: NodeId,
        event: &str,
    ) -> Result<(), RuntimeError> {
        let contents = self
            .editor_contents
            .get(&node)
            .cloned()
            .unwrap_or_else(|| json!({ "html": "", "text": "", "delta": { "ops": [] } }));
        self.dispatch(node, event, contents).map(drop)
    }
}
