//! The uniffi surface for Kotlin and Swift: a [`MiniApp`] object over the threaded handle, a
//! host-implemented [`FrameListener`], typed render ops, and one small error type.
//!
//! Contract: every method returns at once (commands are posted to the app's logic thread) except
//! `select` and `dump`, which wait for it. `FrameListener` methods are called on the logic
//! thread; hosts post to their UI thread and call `take_frames` there.

use std::sync::{Arc, Mutex};

use miniapp_core::host::{
    HostCall, HostReply as CoreHostReply, HostServices as CoreHostServices, TaskEvents,
};
use miniapp_core::package::Package;
use miniapp_core::runtime::handle::{AppHandle, AppListener};
use miniapp_core::runtime::state::{LogLevel, LogSink as CoreLogSink};
use miniapp_core::view::{Frame, RenderOp};
use miniapp_core::HostEvent;

use crate::config;
pub use crate::uniffi_error::MiniappError;
use crate::uniffi_host_event::{AppliedRecord, HostEventRecord};
use crate::uniffi_text::{MeasurerBridge, TextMeasurer};
use miniapp_core::layout::text::TextMeasurer as CoreTextMeasurer;

/// Implemented by the host; called on the app's logic thread.
#[uniffi::export(foreign)]
pub trait FrameListener: Send + Sync {
    /// Frames are waiting: post to the UI thread and call `take_frames` there.
    fn frames_ready(&self) -> Result<(), MiniappError>;
    /// A posted command failed.
    fn command_failed(&self, detail: String) -> Result<(), MiniappError>;
    /// The app's logic thread has finished.
    fn closed(&self) -> Result<(), MiniappError>;
}

/// One request from a mini program to the host (after the capability policy allowed it).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HostCallRecord {
    /// The calling app.
    pub app_id: String,
    /// Unique per app (names the call in `cancel`).
    pub id: u64,
    /// The `wx` API (`showToast`, `getNetworkType`, …) or a custom host API.
    pub api: String,
    /// Its arguments as JSON.
    pub args_json: String,
}

/// How the host answers one call: once, from any thread, now or later. Dropping it unanswered
/// fails the call. Task events may follow the answer (a socket's messages, an audio player's
/// reports) for as long as the host keeps this object.
#[derive(uniffi::Object)]
pub struct HostReply {
    reply: Mutex<Option<CoreHostReply>>,
    events: TaskEvents,
}

#[uniffi::export]
impl HostReply {
    /// Success with a JSON object result (e.g. `{"networkType":"wifi"}`; empty: `{}`).
    pub fn ok(&self, result_json: String) -> Result<(), MiniappError> {
        let value = if result_json.trim().is_empty() {
            serde_json::json!({})
        } else {
            serde_json::from_str(&result_json).map_err(|e| MiniappError::InvalidArgument {
                detail: format!("result is not valid JSON: {e}"),
            })?
        };
        if let Some(reply) = self.take() {
            reply.ok(value);
        }
        Ok(())
    }

    /// Failure; `reason` becomes `"<api>:fail <reason>"`.
    pub fn fail(&self, reason: String) {
        if let Some(reply) = self.take() {
            reply.fail(reason);
        }
    }

    /// A task event, before or after the answer (`progressUpdate`, `headersReceived`, a
    /// socket's `message`, an audio player's `play`/`timeUpdate`/`ended`, …).
    pub fn event(&self, name: String, data_json: String) -> Result<(), MiniappError> {
        let data = serde_json::from_str(&data_json).map_err(|e| MiniappError::InvalidArgument {
            detail: format!("event data is not valid JSON: {e}"),
        })?;
        self.events.send(name, data);
        Ok(())
    }
}

impl HostReply {
    fn take(&self) -> Option<CoreHostReply> {
        self.reply.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Implemented by the host: what only the host app can do for a mini program.
#[uniffi::export(foreign)]
pub trait HostServices: Send + Sync {
    /// Handles one call; answer through `reply` (any thread, now or later).
    fn call(&self, call: HostCallRecord, reply: Arc<HostReply>) -> Result<(), MiniappError>;
    /// Best-effort cancellation (`RequestTask.abort()`); the call has already failed.
    fn cancel(&self, app_id: String, id: u64) -> Result<(), MiniappError>;
}

/// Receives the app's console output and uncaught errors (called on the logic thread).
#[uniffi::export(foreign)]
pub trait LogSink: Send + Sync {
    /// One line; `level` is `debug`, `log`, `info`, `warn` or `error`.
    fn log(&self, app_id: String, level: String, message: String) -> Result<(), MiniappError>;
}

struct LogBridge(Arc<dyn LogSink>);

impl CoreLogSink for LogBridge {
    fn log(&self, app_id: &str, level: LogLevel, message: &str) {
        let level = serde_json::to_value(level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        // A host log that throws must not stop the app.
        let _ = self.0.log(app_id.to_string(), level, message.to_string());
    }
}

struct HostBridge(Arc<dyn HostServices>);

impl CoreHostServices for HostBridge {
    fn call(&self, call: HostCall, reply: CoreHostReply) {
        let events = reply.events();
        let handle = Arc::new(HostReply { reply: Mutex::new(Some(reply)), events });
        let record = HostCallRecord {
            app_id: call.app_id,
            id: call.id,
            api: call.api,
            args_json: call.args.to_string(),
        };
        // A host that throws instead of answering fails the call with its message.
        if let Err(e) = self.0.call(record, handle.clone()) {
            handle.fail(e.to_string());
        }
    }

    fn cancel(&self, app_id: &str, id: u64) {
        let _ = self.0.cancel(app_id.to_string(), id);
    }
}

struct Bridge(Arc<dyn FrameListener>);

impl AppListener for Bridge {
    // A host callback that throws must not stop the app: its error is dropped here.
    fn frames_ready(&self) {
        let _ = self.0.frames_ready();
    }
    fn command_failed(&self, message: String) {
        let _ = self.0.command_failed(message);
    }
    fn closed(&self) {
        let _ = self.0.closed();
    }
}

/// One change to the host's view tree (docs/render-protocol.md).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum RenderOpRecord {
    /// Create an element view.
    Create {
        /// Node id.
        id: u32,
        /// WXML tag.
        tag: String,
    },
    /// Create a text run.
    CreateText {
        /// Node id.
        id: u32,
        /// Text.
        text: String,
    },
    /// Insert or move `id` under `parent` before `before` (end when absent).
    Insert {
        /// Parent node.
        parent: u32,
        /// Child node.
        id: u32,
        /// Sibling to insert before.
        before: Option<u32>,
    },
    /// Detach `id` from `parent`.
    Remove {
        /// Parent node.
        parent: u32,
        /// Child node.
        id: u32,
    },
    /// Free the node's view.
    Release {
        /// Node id.
        id: u32,
    },
    /// Replace a text run's content.
    SetText {
        /// Node id.
        id: u32,
        /// Text.
        text: String,
    },
    /// Set (JSON value) or remove (absent) an attribute.
    SetAttr {
        /// Node id.
        id: u32,
        /// Attribute name.
        name: String,
        /// Value as JSON text; absent when removed.
        value_json: Option<String>,
    },
    /// Start or stop forwarding an event type from this node.
    Listen {
        /// Node id.
        id: u32,
        /// Event type.
        event: String,
        /// True when the core now listens.
        on: bool,
    },
    /// Replace the node's resolved visual style.
    SetStyle {
        /// Node id.
        id: u32,
        /// The style as a JSON object (docs/render-protocol.md lists the fields).
        style_json: String,
    },
    /// Position the node: border box in px relative to the parent's border box.
    SetFrame {
        /// Node id.
        id: u32,
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
    },
    /// Scroll a container (scroll-view) to a content offset in px.
    ScrollTo {
        /// Node id.
        id: u32,
        /// Horizontal offset.
        left: f32,
        /// Vertical offset.
        top: f32,
        /// Animate the scroll.
        animated: bool,
    },
}

/// One batch of ops from one JS task.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FrameBatch {
    /// Render protocol version.
    pub version: u32,
    /// Sequence number from 1.
    pub seq: u64,
    /// Ops in order.
    pub ops: Vec<RenderOpRecord>,
}

impl From<RenderOp> for RenderOpRecord {
    fn from(op: RenderOp) -> Self {
        match op {
            RenderOp::Create { id, tag } => RenderOpRecord::Create { id, tag },
            RenderOp::CreateText { id, text } => RenderOpRecord::CreateText { id, text },
            RenderOp::Insert { parent, id, before } => {
                RenderOpRecord::Insert { parent, id, before }
            }
            RenderOp::Remove { parent, id } => RenderOpRecord::Remove { parent, id },
            RenderOp::Release { id } => RenderOpRecord::Release { id },
            RenderOp::SetText { id, text } => RenderOpRecord::SetText { id, text },
            RenderOp::SetAttr { id, name, value } => {
                RenderOpRecord::SetAttr { id, name, value_json: value.map(|v| v.to_string()) }
            }
            RenderOp::Listen { id, event, on } => RenderOpRecord::Listen { id, event, on },
            RenderOp::SetStyle { id, style } => RenderOpRecord::SetStyle {
                id,
                style_json: serde_json::to_string(&style).unwrap_or_default(),
            },
            RenderOp::SetFrame { id, x, y, width, height } => {
                RenderOpRecord::SetFrame { id, x, y, width, height }
            }
            RenderOp::ScrollTo { id, left, top, animated } => {
                RenderOpRecord::ScrollTo { id, left, top, animated }
            }
        }
    }
}

impl From<Frame> for FrameBatch {
    fn from(f: Frame) -> Self {
        FrameBatch {
            version: f.version,
            seq: f.seq,
            ops: f.ops.into_iter().map(Into::into).collect(),
        }
    }
}

/// A running mini program.
#[derive(uniffi::Object)]
pub struct MiniApp {
    handle: AppHandle,
    /// The mirrored screen `render_rgba` paints.
    #[cfg(feature = "raster")]
    screen: crate::screen::Screen,
}

#[uniffi::export]
impl MiniApp {
    /// Opens the project directory (or ZIP archive of one) `dir` and starts its logic thread. `config_json` may be empty
    /// or e.g. `{"viewport":{"width":375,"height":667,"pixelRatio":2},"clock":"real",
    /// "appId":"wx123","dataDir":"/path","policy":{"grant":["storage","ui"]},
    /// "trustedKeys":["miniapp-ed25519:…"]}` (with keys, only packed archives signed by one of
    /// them open). `host` performs
    /// the calls only the host app can (none: such calls fail); `log` receives console output and
    /// uncaught errors; `measurer` measures text with the host's fonts (none: the headless
    /// formula).
    #[uniffi::constructor(default(measurer = None))]
    pub fn open(
        dir: String,
        config_json: String,
        listener: Arc<dyn FrameListener>,
        host: Option<Arc<dyn HostServices>>,
        log: Option<Arc<dyn LogSink>>,
        measurer: Option<Arc<dyn TextMeasurer>>,
    ) -> Result<Arc<Self>, MiniappError> {
        let mut config = config::parse(&config_json)
            .map_err(|detail| MiniappError::InvalidArgument { detail })?;
        config.text_measurer =
            measurer.map(|m| Arc::new(MeasurerBridge(m)) as Arc<dyn CoreTextMeasurer>);
        config.host_services = host.map(|h| Arc::new(HostBridge(h)) as Arc<dyn CoreHostServices>);
        config.log_sink = log.map(|l| Arc::new(LogBridge(l)) as Arc<dyn CoreLogSink>);
        let trusted = config::trusted_keys(&config_json)
            .map_err(|detail| MiniappError::InvalidArgument { detail })?;
        let package = Package::open_trusting(&dir, &trusted)
            .map_err(|e| MiniappError::InvalidPackage { detail: e.to_string() })?;
        #[cfg(feature = "raster")]
        let screen = crate::screen::Screen::new(package.clone());
        let handle = AppHandle::open(package, config, Arc::new(Bridge(listener)))?;
        Ok(Arc::new(MiniApp {
            handle,
            #[cfg(feature = "raster")]
            screen,
        }))
    }

    /// Reports what the host app did or saw (launch, back, scroll, resize, network, theme,
    /// keyboard, user input…). Returns at once; failures reach `FrameListener.commandFailed`.
    pub fn send(&self, event: HostEventRecord) -> Result<(), MiniappError> {
        Ok(self.handle.send(HostEvent::try_from(event)?)?)
    }

    /// `send`, waiting for what the event did (for `Share`: what to share, as JSON).
    pub fn request(&self, event: HostEventRecord) -> Result<AppliedRecord, MiniappError> {
        Ok(self.handle.request(HostEvent::try_from(event)?)??.into())
    }

    /// Launches at `url` (`pages/x/x?a=1`; none: the entry page) with a scene number.
    pub fn launch(&self, url: Option<String>, scene: u32) -> Result<(), MiniappError> {
        Ok(self.handle.launch(url, scene)?)
    }

    /// Dispatches a native event on a node with a JSON `detail` (empty: `{}`).
    pub fn dispatch(
        &self,
        node: u32,
        event: String,
        detail_json: String,
    ) -> Result<(), MiniappError> {
        let detail = if detail_json.trim().is_empty() {
            serde_json::json!({})
        } else {
            serde_json::from_str(&detail_json).map_err(|e| MiniappError::InvalidArgument {
                detail: format!("detail is not valid JSON: {e}"),
            })?
        };
        Ok(self.handle.dispatch(node, event, detail)?)
    }

    /// What the user did to a built-in component's native view, as JSON:
    /// `{"action":"type","text":"Ann"}`, `{"action":"slide","value":40,"done":true}`,
    /// `{"action":"pick","value":2}`, `{"action":"scroll","top":300}`,
    /// `{"action":"swipe","current":1}`… (README: "Built-in components").
    pub fn act(&self, node: u32, action_json: String) -> Result<(), MiniappError> {
        let action = miniapp_core::runtime::controls::UserAction::from_json(&action_json)
            .map_err(|detail| MiniappError::InvalidArgument { detail })?;
        Ok(self.handle.act(node, action)?)
    }

    /// A user tap on a node.
    pub fn tap(&self, node: u32) -> Result<(), MiniappError> {
        Ok(self.handle.tap(node)?)
    }

    /// The host's back button.
    pub fn back(&self) -> Result<(), MiniappError> {
        Ok(self.handle.back()?)
    }

    /// The app went to the background.
    pub fn hide(&self) -> Result<(), MiniappError> {
        Ok(self.handle.hide()?)
    }

    /// The app came back to the foreground.
    pub fn show(&self, scene: u32) -> Result<(), MiniappError> {
        Ok(self.handle.show(scene)?)
    }

    /// A tab of the host's tab bar was tapped.
    pub fn tap_tab(&self, index: u32) -> Result<(), MiniappError> {
        Ok(self.handle.tap_tab(index)?)
    }

    /// Moves virtual time forward (apps opened with `"clock":"virtual"`).
    pub fn advance(&self, ms: f64) -> Result<(), MiniappError> {
        Ok(self.handle.advance(ms)?)
    }

    /// Frames produced since the last call, oldest first. Call on the UI thread.
    pub fn take_frames(&self) -> Vec<FrameBatch> {
        #[cfg(feature = "raster")]
        let frames = self.screen.take_frames(&self.handle);
        #[cfg(not(feature = "raster"))]
        let frames = self.handle.take_frames();
        frames.into_iter().map(Into::into).collect()
    }

    /// The first element of the visible page matching a simple selector (waits for the app).
    pub fn select(&self, selector: String) -> Result<u32, MiniappError> {
        Ok(self.handle.query(move |a| a.select(&selector))??)
    }

    /// The tree as indented WXML-like text (waits for the app; for tools and tests).
    pub fn dump(&self) -> Result<String, MiniappError> {
        Ok(self.handle.query(|a| a.dump_text())??)
    }

    /// Stops the app without waiting (running JS is interrupted) but keeps the object: later
    /// calls fail with `Closed`. Named `stop` because Kotlin's `close()` (AutoCloseable) and
    /// Swift's release already mean "free": they stop the app too, through `Drop`.
    pub fn stop(&self) {
        self.handle.close();
    }

    /// True once the app's logic thread has finished (after `stop`).
    pub fn is_stopped(&self) -> bool {
        self.handle.is_closed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniapp_core::host::{HostInbox, HostMessage};
    use serde_json::json;

    /// A socket's messages and an audio player's reports come after the call's answer.
    #[test]
    fn task_events_follow_the_answer() -> Result<(), MiniappError> {
        let inbox = Arc::new(HostInbox::default());
        let core = CoreHostReply::new(7, inbox.clone());
        let events = core.events();
        let reply = HostReply { reply: Mutex::new(Some(core)), events };
        reply.event("open".into(), "{}".into())?;
        reply.ok("{}".into())?;
        reply.event("message".into(), r#"{"data":"hi"}"#.into())?;
        assert_eq!(
            inbox.drain(),
            vec![
                HostMessage::Event(7, "open".into(), json!({})),
                HostMessage::Ok(7, json!({})),
                HostMessage::Event(7, "message".into(), json!({"data": "hi"})),
            ]
        );
        Ok(())
    }
}

/// A painted page: `width` × `height` pixels of 4 bytes (R, G, B, A, not premultiplied), rows
/// top to bottom.
#[cfg(feature = "raster")]
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RgbaPicture {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

#[cfg(feature = "raster")]
#[uniffi::export]
impl MiniApp {
    /// Draws the page on screen (navigation bar, page, tab bar) for hosts without a view
    /// system: the page in a window of `width` × `height` CSS px (the app's viewport) at
    /// `scale` device px per CSS px. Frames not taken yet are drawn and still returned by the
    /// next `take_frames`. Only in a library built with the `raster` feature.
    pub fn render_rgba(
        &self,
        width: f32,
        height: f32,
        scale: f32,
    ) -> Result<RgbaPicture, MiniappError> {
        let p = self
            .screen
            .render(&self.handle, width, height, scale)
            .map_err(|detail| MiniappError::Failed { detail })?;
        Ok(RgbaPicture { width: p.width, height: p.height, pixels: p.pixels })
    }
}
