//! [`HostEventRecord`]: core's [`HostEvent`] as a typed uniffi enum (a Kotlin sealed class, a
//! Swift enum). Both conversions match exhaustively, so a new `HostEvent` kind does not build
//! until it is reachable from Kotlin and Swift. A user action on a built-in and a dispatch
//! detail cross as JSON text, as `act` and `dispatch` take them.

use miniapp_core::host::event::{Applied, HostEvent, SafeAreaInsets, UpdateState};
use miniapp_core::runtime::controls::UserAction;

use crate::uniffi_error::MiniappError;

/// Safe-area insets in px.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct SafeAreaRecord {
    /// Top inset.
    pub top: f64,
    /// Left inset.
    pub left: f64,
    /// Right inset.
    pub right: f64,
    /// Bottom inset.
    pub bottom: f64,
}

/// Where the host's update of the app stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UpdateStateRecord {
    /// Nothing newer on the server.
    NoUpdate,
    /// A newer version is downloading.
    Available,
    /// The newer version is installed, used from the next launch.
    Ready,
    /// Downloading or installing it failed.
    Failed,
}

impl From<UpdateStateRecord> for UpdateState {
    fn from(s: UpdateStateRecord) -> UpdateState {
        match s {
            UpdateStateRecord::NoUpdate => UpdateState::NoUpdate,
            UpdateStateRecord::Available => UpdateState::Available,
            UpdateStateRecord::Ready => UpdateState::Ready,
            UpdateStateRecord::Failed => UpdateState::Failed,
        }
    }
}

impl From<UpdateState> for UpdateStateRecord {
    fn from(s: UpdateState) -> UpdateStateRecord {
        match s {
            UpdateState::NoUpdate => UpdateStateRecord::NoUpdate,
            UpdateState::Available => UpdateStateRecord::Available,
            UpdateState::Ready => UpdateStateRecord::Ready,
            UpdateState::Failed => UpdateStateRecord::Failed,
        }
    }
}

/// Everything a host app reports (docs/render-protocol.md, "Host events").
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum HostEventRecord {
    /// Start at `url` (none: the entry page) from `scene`.
    Launch {
        /// `pages/x/x?a=1`.
        url: Option<String>,
        /// Scene number.
        scene: u32,
    },
    /// Back to the foreground.
    Show {
        /// Scene number.
        scene: u32,
    },
    /// To the background.
    Hide,
    /// The back button or gesture.
    Back,
    /// A tab of the host's tab bar.
    TabTap {
        /// From 0.
        index: u32,
    },
    /// The visible page scrolled.
    PageScroll {
        /// Offset in px.
        scroll_top: f64,
        /// Content height in px, when known (enables `onReachBottom`).
        scroll_height: Option<f64>,
    },
    /// The page reached its bottom.
    ReachBottom,
    /// Pull-down refresh.
    PullDown,
    /// The window changed size.
    Resize {
        /// Width in px.
        width: f64,
        /// Height in px.
        height: f64,
        /// Safe-area insets.
        safe_area: Option<SafeAreaRecord>,
    },
    /// The user chose to share (`menu` or `button`).
    Share {
        /// `menu` or `button`.
        from: String,
    },
    /// The network changed.
    NetworkChange {
        /// False when offline.
        connected: bool,
        /// `wifi`, `4g`, `none`…
        network_type: String,
    },
    /// Light or dark.
    ThemeChange {
        /// `light` or `dark`.
        theme: String,
    },
    /// The soft keyboard's height (0: hidden).
    KeyboardHeight {
        /// Height in px.
        height: f64,
    },
    /// The system is short of memory.
    MemoryWarning {
        /// Android's trim level.
        level: Option<u32>,
    },
    /// Where the host's update of the app stands (hosts with `checksUpdates`).
    Update {
        /// The state.
        state: UpdateStateRecord,
    },
    /// A tap on a node.
    Tap {
        /// Node id.
        node: u32,
    },
    /// Another event on a node.
    Dispatch {
        /// Node id.
        node: u32,
        /// Event type.
        event: String,
        /// `detail` as JSON (empty: `{}`).
        detail_json: String,
    },
    /// A user action on a built-in's native view.
    Act {
        /// Node id.
        node: u32,
        /// `{"action":"type","text":"Ann"}`…
        action_json: String,
    },
    /// Virtual time passes.
    Advance {
        /// Milliseconds.
        ms: f64,
    },
}

/// What an event did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AppliedRecord {
    /// False when it changed nothing.
    pub handled: bool,
    /// For `share`: `{title, path, imageUrl}` as JSON; else `null`.
    pub result_json: String,
}

impl From<Applied> for AppliedRecord {
    fn from(a: Applied) -> Self {
        AppliedRecord { handled: a.handled, result_json: a.result.to_string() }
    }
}

fn bad(detail: String) -> MiniappError {
    MiniappError::InvalidArgument { detail }
}

impl TryFrom<HostEventRecord> for HostEvent {
    type Error = MiniappError;

    fn try_from(r: HostEventRecord) -> Result<HostEvent, MiniappError> {
        Ok(match r {
            HostEventRecord::Launch { url, scene } => HostEvent::Launch { url, scene },
            HostEventRecord::Show { scene } => HostEvent::Show { scene },
            HostEventRecord::Hide => HostEvent::Hide,
            HostEventRecord::Back => HostEvent::Back,
            HostEventRecord::TabTap { index } => HostEvent::TabTap { index },
            HostEventRecord::PageScroll { scroll_top, scroll_height } => {
                HostEvent::PageScroll { scroll_top, scroll_height }
            }
            HostEventRecord::ReachBottom => HostEvent::ReachBottom,
            HostEventRecord::PullDown => HostEvent::PullDown,
            HostEventRecord::Resize { width, height, safe_area } => HostEvent::Resize {
                width,
                height,
                safe_area: safe_area.map(|s| SafeAreaInsets {
                    top: s.top,
                    left: s.left,
                    right: s.right,
                    bottom: s.bottom,
                }),
            },
            HostEventRecord::Share { from } => HostEvent::Share { from },
            HostEventRecord::NetworkChange { connected, network_type } => {
                HostEvent::NetworkChange { connected, network_type }
            }
            HostEventRecord::ThemeChange { theme } => HostEvent::ThemeChange { theme },
            HostEventRecord::KeyboardHeight { height } => HostEvent::KeyboardHeight { height },
            HostEventRecord::MemoryWarning { level } => HostEvent::MemoryWarning { level },
            HostEventRecord::Update { state } => HostEvent::Update { state: state.into() },
            HostEventRecord::Tap { node } => HostEvent::Tap { node },
            HostEventRecord::Dispatch { node, event, detail_json } => {
                let detail = if detail_json.trim().is_empty() {
                    serde_json::json!({})
                } else {
                    serde_json::from_str(&detail_json)
                        .map_err(|e| bad(format!("detail is not valid JSON: {e}")))?
                };
                HostEvent::Dispatch { node, event, detail }
            }
            HostEventRecord::Act { node, action_json } => {
                HostEvent::Act { node, action: UserAction::from_json(&action_json).map_err(bad)? }
            }
            HostEventRecord::Advance { ms } => HostEvent::Advance { ms },
        })
    }
}

impl From<&HostEvent> for HostEventRecord {
    fn from(e: &HostEvent) -> HostEventRecord {
        match e.clone() {
            HostEvent::Launch { url, scene } => HostEventRecord::Launch { url, scene },
            HostEvent::Show { scene } => HostEventRecord::Show { scene },
            HostEvent::Hide => HostEventRecord::Hide,
            HostEvent::Back => HostEventRecord::Back,
            HostEvent::TabTap { index } => HostEventRecord::TabTap { index },
            HostEvent::PageScroll { scroll_top, scroll_height } => {
                HostEventRecord::PageScroll { scroll_top, scroll_height }
            }
            HostEvent::ReachBottom => HostEventRecord::ReachBottom,
            HostEvent::PullDown => HostEventRecord::PullDown,
            HostEvent::Resize { width, height, safe_area } => HostEventRecord::Resize {
                width,
                height,
                safe_area: safe_area.map(|s| SafeAreaRecord {
                    top: s.top,
                    left: s.left,
                    right: s.right,
                    bottom: s.bottom,
                }),
            },
            HostEvent::Share { from } => HostEventRecord::Share { from },
            HostEvent::NetworkChange { connected, network_type } => {
                HostEventRecord::NetworkChange { connected, network_type }
            }
            HostEvent::ThemeChange { theme } => HostEventRecord::ThemeChange { theme },
            HostEvent::KeyboardHeight { height } => HostEventRecord::KeyboardHeight { height },
            HostEvent::MemoryWarning { level } => HostEventRecord::MemoryWarning { level },
            HostEvent::Update { state } => HostEventRecord::Update { state: state.into() },
            HostEvent::Tap { node } => HostEventRecord::Tap { node },
            HostEvent::Dispatch { node, event, detail } => {
                HostEventRecord::Dispatch { node, event, detail_json: detail.to_string() }
            }
            HostEvent::Act { node, action } => HostEventRecord::Act {
                node,
                action_json: serde_json::to_string(&action).unwrap_or_default(),
            },
            HostEvent::Advance { ms } => HostEventRecord::Advance { ms },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of host event reaches Kotlin and Swift and comes back unchanged.
    #[test]
    fn every_host_event_kind_crosses_uniffi() {
        for event in HostEvent::one_of_each() {
            let record = HostEventRecord::from(&event);
            let back = HostEvent::try_from(record.clone()).map_err(|e| e.to_string());
            assert_eq!(back, Ok(event), "{record:?}");
        }
    }
}
