//! `<button open-type="…">`: after the tap, an enabled button with an `open-type` hands off to
//! the host app. The framework (`core/js/src/open_type.js`) makes the `Button.<type>` host call
//! and fires the button's event (`getphonenumber {code}`, `chooseavatar {avatarUrl}`,
//! `opensetting {authSetting}`, …) when the host answers; `share` asks the page's
//! `onShareAppMessage({from: "button"})` first. Logic thread.

use serde_json::{Map, Value};

use super::form::{nearest, prop, truthy};
use crate::runtime::{AppInstance, RuntimeError};
use crate::view::NodeId;
use crate::{builtin, framework};

impl AppInstance {
    /// After a tap on `node`: if it is (inside) an enabled button with an `open-type`, start
    /// the hand-off.
    pub(in crate::runtime) fn open_type_action(
        &mut self,
        node: NodeId,
    ) -> Result<(), RuntimeError> {
        let Ok(chain) = self.ancestors(node) else { return Ok(()) };
        let (button, open_type, props) = {
            let tree = self.state.tree.borrow();
            let Some((id, button)) = nearest(&tree, &chain, "button") else { return Ok(()) };
            let open_type = prop(button, "open-type");
            let Some(open_type) = open_type.as_str().filter(|t| !t.is_empty()) else {
                return Ok(());
            };
            if truthy(button, "disabled") {
                return Ok(());
            }
            let props: Map<String, Value> = builtin::properties("button")
                .unwrap_or_default()
                .iter()
                .map(|(name, _)| (name.to_string(), prop(button, name)))
                .collect();
            (id, open_type.to_string(), props)
        };
        let r =
            framework::button_open_type(&self.engine, button, &open_type, &Value::Object(props));
        self.finish_task();
        r?;
        Ok(())
    }
}
