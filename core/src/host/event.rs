//! [`HostEvent`]: everything a host app reports to a mini program, as one type. Native hosts
//! send it as JSON (`{"type": "pageScroll", "scrollTop": 300}`) through C
//! (`miniapp_app_send`) or uniffi (`send`); the CLI's `--host`, the fixture runner and the
//! automator build the same values. [`crate::AppInstance::apply`] runs one on the logic thread.
//! The JSON form is documented in `docs/render-protocol.md`. Plain data; any thread.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::runtime::controls::UserAction;
use crate::view::NodeId;

/// Scene number of a launch or show from the recent list (WeChat's default).
pub const DEFAULT_SCENE: u32 = 1001;

fn default_scene() -> u32 {
    DEFAULT_SCENE
}

fn menu() -> String {
    "menu".into()
}

/// Safe-area insets in px: what the notch, rounded corners and home indicator cover.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeAreaInsets {
    /// Top inset.
    #[serde(default)]
    pub top: f64,
    /// Left inset.
    #[serde(default)]
    pub left: f64,
    /// Right inset.
    #[serde(default)]
    pub right: f64,
    /// Bottom inset.
    #[serde(default)]
    pub bottom: f64,
}

/// One thing the host app reports. JSON: an object whose `type` names the variant in
/// camelCase, with the variant's fields in camelCase beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum HostEvent {
    /// Start the app at `url` (`path?query`; the entry page when absent) from `scene`.
    Launch {
        /// Page and query, e.g. `pages/detail/detail?id=3`.
        #[serde(default)]
        url: Option<String>,
        /// Scene number (1001: the recent list; 1011: a QR code).
        #[serde(default = "default_scene")]
        scene: u32,
    },
    /// The app came back to the foreground.
    Show {
        /// Scene number.
        #[serde(default = "default_scene")]
        scene: u32,
    },
    /// The app went to the background.
    Hide,
    /// The host's back button or gesture.
    Back,
    /// The user tapped tab `index` of the host-drawn tab bar.
    TabTap {
        /// Tab index, from 0.
        index: u32,
    },
    /// The visible page scrolled to `scroll_top` px; with `scroll_height` (the page's content
    /// height) the core also fires `onReachBottom` on entering the bottom zone.
    PageScroll {
        /// Scroll offset in px.
        scroll_top: f64,
        /// Content height in px.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scroll_height: Option<f64>,
    },
    /// The host's scroll view decided the page reached its bottom.
    ReachBottom,
    /// The user pulled the visible page down (when its window enables it).
    PullDown,
    /// The window changed size (rotation, split screen), with its safe area.
    Resize {
        /// Width in px.
        width: f64,
        /// Height in px.
        height: f64,
        /// Safe-area insets, when the host knows them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        safe_area: Option<SafeAreaInsets>,
    },
    /// The user chose to share the page (`from`: `menu`, or `button` for an
    /// `open-type="share"` button); the outcome's `result` is what to share.
    Share {
        /// `menu` or `button`.
        #[serde(default = "menu")]
        from: String,
    },
    /// The device's network changed.
    NetworkChange {
        /// False when offline.
        connected: bool,
        /// `wifi`, `2g`…`5g`, `ethernet`, `unknown` or `none`.
        network_type: String,
    },
    /// The system switched between `light` and `dark`.
    ThemeChange {
        /// `light` or `dark`.
        theme: String,
    },
    /// The soft keyboard's height changed (0: hidden).
    KeyboardHeight {
        /// Height in px.
        height: f64,
    },
    /// The system is short of memory.
    MemoryWarning {
        /// Android's trim level, when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<u32>,
    },
    /// Where the host's update of this app stands (`wx.getUpdateManager`): sent by hosts whose
    /// configuration says `"checksUpdates": true`, after they asked their server.
    Update {
        /// `noUpdate`, `available` (downloading), `ready` (installed, used from the next
        /// launch) or `failed`.
        state: UpdateState,
    },
    /// A user tap on a node (`touchstart`, `touchend`, `tap`).
    Tap {
        /// The node.
        node: NodeId,
    },
    /// Any other event on a node (`longpress`, `input`…).
    Dispatch {
        /// The node.
        node: NodeId,
        /// Event type.
        event: String,
        /// Its `detail`.
        #[serde(default)]
        detail: Value,
    },
    /// What a user did to a built-in component's native view (type, slide, pick, scroll…).
    Act {
        /// The node.
        node: NodeId,
        /// The action, e.g. `{"action": "type", "text": "Ann"}`.
        action: UserAction,
    },
    /// Virtual time passes (`"clock": "virtual"` only): timers due within `ms` run.
    Advance {
        /// Milliseconds.
        ms: f64,
    },
}

/// Where a host's check for a newer version of the app stands (see [`HostEvent::Update`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UpdateState {
    /// The server has nothing newer: `onCheckForUpdate({hasUpdate: false})`.
    NoUpdate,
    /// A newer version exists and is being downloaded: `onCheckForUpdate({hasUpdate: true})`.
    Available,
    /// The newer version is installed (e.g. `PackageStore::install`): `onUpdateReady`; the
    /// app's `applyUpdate()` then reaches the host as the host call `applyUpdate`.
    Ready,
    /// Downloading or installing it failed: `onUpdateFailed`.
    Failed,
}

impl UpdateState {
    /// The JSON name (`noUpdate`).
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateState::NoUpdate => "noUpdate",
            UpdateState::Available => "available",
            UpdateState::Ready => "ready",
            UpdateState::Failed => "failed",
        }
    }

    /// Parses the JSON name.
    pub fn parse(text: &str) -> Option<UpdateState> {
        [UpdateState::NoUpdate, UpdateState::Available, UpdateState::Ready, UpdateState::Failed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// What applying a [`HostEvent`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    /// False when the event changed nothing (back on the first page, show while shown, no such
    /// tab, pull-down on a page that does not enable it, share on a page that cannot share).
    pub handled: bool,
    /// What the event produced: for `share`, `{title, path, imageUrl}`; else null.
    pub result: Value,
}

impl HostEvent {
    /// Parses the JSON form, with an error that shows the expected shape.
    pub fn from_json(text: &str) -> Result<HostEvent, String> {
        serde_json::from_str(text).map_err(|e| {
            format!(
                "bad host event {text}: {e} (expected e.g. {{\"type\":\"back\"}}, \
                 {{\"type\":\"pageScroll\",\"scrollTop\":300}}, \
                 {{\"type\":\"resize\",\"width\":667,\"height\":375}}; see docs/render-protocol.md)"
            )
        })
    }

    /// The variant's name as written in JSON (`pageScroll`).
    pub fn kind(&self) -> &'static str {
        match self {
            HostEvent::Launch { .. } => "launch",
            HostEvent::Show { .. } => "show",
            HostEvent::Hide => "hide",
            HostEvent::Back => "back",
            HostEvent::TabTap { .. } => "tabTap",
            HostEvent::PageScroll { .. } => "pageScroll",
            HostEvent::ReachBottom => "reachBottom",
            HostEvent::PullDown => "pullDown",
            HostEvent::Resize { .. } => "resize",
            HostEvent::Share { .. } => "share",
            HostEvent::NetworkChange { .. } => "networkChange",
            HostEvent::ThemeChange { .. } => "themeChange",
            HostEvent::KeyboardHeight { .. } => "keyboardHeight",
            HostEvent::MemoryWarning { .. } => "memoryWarning",
            HostEvent::Update { .. } => "update",
            HostEvent::Tap { .. } => "tap",
            HostEvent::Dispatch { .. } => "dispatch",
            HostEvent::Act { .. } => "act",
            HostEvent::Advance { .. } => "advance",
        }
    }

    /// One event of every kind, for tests that check each kind reaches every surface.
    pub fn one_of_each() -> Vec<HostEvent> {
        vec![
            HostEvent::Launch { url: None, scene: DEFAULT_SCENE },
            HostEvent::Show { scene: 1011 },
            HostEvent::Hide,
            HostEvent::Back,
            HostEvent::TabTap { index: 1 },
            HostEvent::PageScroll { scroll_top: 300.0, scroll_height: Some(2000.0) },
            HostEvent::ReachBottom,
            HostEvent::PullDown,
            HostEvent::Resize {
                width: 667.0,
                height: 375.0,
                safe_area: Some(SafeAreaInsets { top: 0.0, left: 44.0, right: 44.0, bottom: 21.0 }),
            },
            HostEvent::Share { from: "menu".into() },
            HostEvent::NetworkChange { connected: false, network_type: "none".into() },
            HostEvent::ThemeChange { theme: "dark".into() },
            HostEvent::KeyboardHeight { height: 260.0 },
            HostEvent::MemoryWarning { level: Some(10) },
            HostEvent::Update { state: UpdateState::Ready },
            HostEvent::Tap { node: 2 },
            HostEvent::Dispatch { node: 2, event: "longpress".into(), detail: Value::Null },
            HostEvent::Act { node: 2, action: UserAction::Tap },
            HostEvent::Advance { ms: 16.0 },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_exactly() {
        // found by the `host_event` fuzz target: without serde_json's exact float parsing the
        // value read back from what was written differed in its last digit
        let event =
            HostEvent::from_json(r#"{"type":"pageScroll","scrollTop":18219922592957114985}"#)
                .expect("parses");
        let text = serde_json::to_string(&event).expect("serializes");
        assert_eq!(HostEvent::from_json(&text), Ok(event), "{text}");
    }

    #[test]
    fn json_round_trips_for_every_kind() {
        for event in HostEvent::one_of_each() {
            let text = serde_json::to_string(&event).expect("serializes");
            assert!(text.starts_with(&format!("{{\"type\":\"{}\"", event.kind())), "{text}");
            assert_eq!(HostEvent::from_json(&text), Ok(event), "{text}");
        }
    }

    #[test]
    fn json_defaults_and_errors() {
        assert_eq!(
            HostEvent::from_json(r#"{"type":"launch"}"#),
            Ok(HostEvent::Launch { url: None, scene: 1001 })
        );
        assert_eq!(
            HostEvent::from_json(r#"{"type":"pageScroll","scrollTop":12}"#),
            Ok(HostEvent::PageScroll { scroll_top: 12.0, scroll_height: None })
        );
        let e = HostEvent::from_json(r#"{"type":"fly"}"#).expect_err("unknown type");
        assert!(
            e.contains("unknown variant `fly`") && e.contains("docs/render-protocol.md"),
            "{e}"
        );
    }
}
