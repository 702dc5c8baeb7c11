//! [`AppInstance::apply`]: one [`HostEvent`] run on the logic thread, whichever surface sent
//! it (C, uniffi, the CLI, the fixture runner, the automator). The older one-verb methods
//! (`back`, `tap_tab`, …) remain as the steps this dispatches to.

use serde_json::{json, Value};

use super::{AppInstance, RuntimeError};
use crate::framework;
use crate::host::event::{Applied, HostEvent};

impl AppInstance {
    /// Applies one host event (see [`HostEvent`] for what each does).
    pub fn apply(&mut self, event: &HostEvent) -> Result<Applied, RuntimeError> {
        let done = |handled: bool| Applied { handled, result: Value::Null };
        Ok(match event {
            HostEvent::Launch { url, scene } => {
                self.launch(url.as_deref(), *scene)?;
                done(true)
            }
            HostEvent::Show { scene } => done(self.show(*scene)?),
            HostEvent::Hide => done(self.hide()?),
            HostEvent::Back => done(self.back()?),
            HostEvent::TabTap { index } => done(self.tap_tab(*index)?),
            HostEvent::PageScroll { scroll_top, scroll_height } => {
                done(self.page_scroll(*scroll_top, *scroll_height)?)
            }
            HostEvent::ReachBottom => {
                let r = framework::reach_bottom(&self.engine);
                self.finish_task();
                done(r?)
            }
            HostEvent::PullDown => done(self.pull_down_refresh()?),
            HostEvent::Resize { width, height, safe_area } => {
                {
                    let mut layout = self.state.layout.borrow_mut();
                    layout.set_viewport(*width as f32, *height as f32);
                    if let Some(insets) = safe_area {
                        layout.set_safe_area(*insets);
                    }
                }
                let insets = safe_area.map(|s| json!(s));
                let r = framework::resize(&self.engine, *width, *height, insets.as_ref());
                self.finish_task();
                done(r?)
            }
            HostEvent::Share { from } => {
                let content = self.share_app_message(from)?;
                Applied { handled: content.is_some(), result: content.unwrap_or(Value::Null) }
            }
            HostEvent::NetworkChange { connected, network_type } => {
                done(self.network_status_changed(*connected, network_type)?)
            }
            HostEvent::ThemeChange { theme } => {
                let r = framework::theme_changed(&self.engine, theme);
                self.finish_task();
                done(r?)
            }
            HostEvent::KeyboardHeight { height } => {
                let r = framework::keyboard_height_changed(&self.engine, *height);
                self.finish_task();
                done(r?)
            }
            HostEvent::MemoryWarning { level } => {
                let r = framework::memory_warning(&self.engine, *level);
                self.finish_task();
                done(r?)
            }
            HostEvent::Update { state } => {
                let r = framework::update_state(&self.engine, state.as_str());
                self.finish_task();
                done(r?)
            }
            HostEvent::Tap { node } => done(self.tap(*node)?.is_some()),
            HostEvent::Dispatch { node, event, detail } => {
                done(self.dispatch(*node, event, detail.clone())?.is_some())
            }
            HostEvent::Act { node, action } => {
                self.act(*node, action)?;
                done(true)
            }
            HostEvent::Advance { ms } => {
                self.advance(*ms)?;
                done(true)
            }
        })
    }
}
