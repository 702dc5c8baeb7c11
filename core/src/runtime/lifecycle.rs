//! App- and page-level host events that are one task each: launch, hide and show, tab taps,
//! page scroll, pull-down refresh, network status, resize, share, system back. Logic thread.

use serde_json::Value;

use super::url;
use super::{AppInstance, RuntimeError};
use crate::framework;

impl AppInstance {
    /// Launches at `url` (`pages/x/x?a=1`, default: the entry page) with a scene number.
    pub fn launch(&mut self, url: Option<&str>, scene: u32) -> Result<(), RuntimeError> {
        let url = url.map_or_else(|| self.state.manifest.app.entry_page.clone(), str::to_string);
        let (route, query) = url::parse_page_url(&url);
        let r = framework::launch(&self.engine, &route, &query, scene);
        self.finish_task();
        match r? {
            framework::Launched::Opened => Ok(()),
            framework::Launched::Failed(why) => Err(RuntimeError::PageFailed(why)),
            framework::Launched::NotFound => {
                // A page app.json lists whose files are missing: say why it is not there.
                let listed = self
                    .state
                    .manifest
                    .app
                    .pages
                    .iter()
                    .chain(self.state.manifest.app.subpackages.iter().flat_map(|s| &s.pages));
                if listed.into_iter().any(|p| *p == route) {
                    self.state.report_page_problems(&route);
                    let problems = self.state.problems.borrow();
                    let why: Vec<String> = problems
                        .errors_of_page(&self.state.manifest, &route)
                        .map(|(_, d)| d.to_string())
                        .collect();
                    return Err(RuntimeError::PageFailed(format!(
                        "page \"{route}\" cannot open: {}",
                        why.join("; ")
                    )));
                }
                Err(RuntimeError::PageNotFound(route))
            }
        }
    }

    /// The user left the app (home button, another app): page `onHide`, then App `onHide`.
    pub fn hide(&mut self) -> Result<bool, RuntimeError> {
        let r = framework::app_hide(&self.engine);
        self.finish_task();
        Ok(r?)
    }

    /// The user came back: App `onShow` (with `scene`), then page `onShow`.
    pub fn show(&mut self, scene: u32) -> Result<bool, RuntimeError> {
        let r = framework::app_show(&self.engine, scene);
        self.finish_task();
        Ok(r?)
    }

    /// The user tapped tab `index` in the host's tab bar: switch to that tab, then its
    /// `onTabItemTap`. False when there is no such tab.
    pub fn tap_tab(&mut self, index: u32) -> Result<bool, RuntimeError> {
        let r = framework::tab_item_tap(&self.engine, index);
        self.finish_task();
        Ok(r?)
    }

    /// The visible page scrolled to `scroll_top` (px). With `scroll_height` (the page's content
    /// height) the core also fires `onReachBottom` when the bottom zone is entered.
    pub fn page_scroll(
        &mut self,
        scroll_top: f64,
        scroll_height: Option<f64>,
    ) -> Result<bool, RuntimeError> {
        let r = framework::page_scroll(&self.engine, scroll_top, scroll_height);
        self.finish_task();
        Ok(r?)
    }

    /// The user pulled the visible page down. False when its window does not enable it.
    pub fn pull_down_refresh(&mut self) -> Result<bool, RuntimeError> {
        let r = framework::pull_down_refresh(&self.engine);
        self.finish_task();
        Ok(r?)
    }

    /// The device's network changed (`wx.onNetworkStatusChange` listeners hear it).
    pub fn network_status_changed(
        &mut self,
        connected: bool,
        network_type: &str,
    ) -> Result<bool, RuntimeError> {
        let r = framework::network_status_changed(&self.engine, connected, network_type);
        self.finish_task();
        Ok(r?)
    }

    /// The window changed size.
    pub fn resize(&mut self, width: f64, height: f64) -> Result<bool, RuntimeError> {
        self.state.layout.borrow_mut().set_viewport(width as f32, height as f32);
        let r = framework::resize(&self.engine, width, height, None);
        self.finish_task();
        Ok(r?)
    }

    /// The user chose to share the visible page (`from`: `menu` or `button`). Returns
    /// `{title, path, imageUrl}` for the host's share sheet, `None` when the page does not
    /// support sharing.
    pub fn share_app_message(&mut self, from: &str) -> Result<Option<Value>, RuntimeError> {
        let r = framework::share_app_message(&self.engine, from);
        self.finish_task();
        Ok(r?)
    }

    /// The host's back button or gesture. False when already at the first page (the host
    /// then leaves the app).
    pub fn back(&mut self) -> Result<bool, RuntimeError> {
        if self.close_page_container()? {
            return Ok(true);
        }
        let r = framework::system_back(&self.engine);
        self.finish_task();
        Ok(r?)
    }
}
