//! The C ABI: `miniapp_<object>_<verb>` functions over integer app handles.
//!
//! Contract for callers:
//! - every function returns a [`MiniappStatus`]; on failure `miniapp_last_error()` gives the
//!   message (thread-local, a new string to free with `miniapp_string_free`);
//! - apps are `uint64_t` handles from a registry, so a null, bogus, closed or freed handle is
//!   an error code, never undefined behaviour;
//! - strings in are NUL-terminated UTF-8; strings out are owned by the caller
//!   (`miniapp_string_free`);
//! - functions may be called from any thread; the event callback runs on the app's logic
//!   thread and must return quickly (post to the UI thread, then call
//!   `miniapp_app_take_frames` there);
//! - no panic crosses this boundary: it becomes `MINIAPP_STATUS_PANIC`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use miniapp_core::host::{HostCall, HostReply, HostServices, TaskEvents};
use miniapp_core::layout::text::{FontSpec, TextMeasurer, TextMetrics};
use miniapp_core::package::Package;
use miniapp_core::runtime::handle::{AppHandle, AppListener, HandleError};
use miniapp_core::runtime::state::{LogLevel, LogSink};
use miniapp_core::{HostEvent, RuntimeError};

use crate::config;

/// Result of every C ABI call.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MiniappStatus {
    /// Success.
    Ok = 0,
    /// A required pointer argument was null.
    NullArgument = 1,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// A JSON argument did not parse or had the wrong shape.
    InvalidJson = 3,
    /// The package could not be opened or has errors (see `miniapp_last_error`).
    InvalidPackage = 4,
    /// The handle does not name an app (never opened, or freed).
    NoSuchApp = 5,
    /// The app was closed.
    Closed = 6,
    /// A selector matched nothing.
    NotFound = 7,
    /// The runtime reported an error (see `miniapp_last_error`).
    Failed = 8,
    /// An internal panic was caught; the process is fine, the call did nothing.
    Panic = 9,
}

/// What the event callback reports.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MiniappEvent {
    /// New frames are waiting: call `miniapp_app_take_frames` (on the UI thread).
    FramesReady = 0,
    /// A posted command failed; `message` says why.
    CommandFailed = 1,
    /// The app's logic thread has finished.
    Closed = 2,
    /// A log line (console output or an uncaught error), as `"<level>: <text>"`.
    Log = 3,
}

/// The host's event callback: `(user_data, app, event, message)`. `message` is null except for
/// `MINIAPP_EVENT_COMMAND_FAILED` and `MINIAPP_EVENT_LOG`, and is valid only during the call.
pub type MiniappEventCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        app: u64,
        event: MiniappEvent,
        message: *const c_char,
    ),
>;

/// The host's service callback: `(user_data, app, call_id, api, args_json)`. Answer with
/// `miniapp_host_reply(app, call_id, …)` from any thread, now or later. Strings are valid only
/// during the call.
pub type MiniappHostCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        app: u64,
        call_id: u64,
        api: *const c_char,
        args_json: *const c_char,
    ),
>;

/// The font a run is set in, resolved to px (for [`MiniappMeasureCallback`]).
#[repr(C)]
pub struct MiniappFont {
    /// Font size.
    pub size: f32,
    /// Line height.
    pub line_height: f32,
    /// Numeric weight (400 normal, 700 bold).
    pub weight: f32,
    /// Italic or oblique.
    pub italic: bool,
    /// Extra advance per character.
    pub letter_spacing: f32,
}

/// A measured run of text in px (for [`MiniappMeasureCallback`]).
#[repr(C)]
pub struct MiniappTextMetrics {
    /// Width of the widest line.
    pub width: f32,
    /// Total height.
    pub height: f32,
    /// From the top to the first line's baseline.
    pub baseline: f32,
    /// Number of lines.
    pub lines: u32,
}

/// The host's text measurer: `(user_data, text, font, max_width, out)`; `max_width` < 0 means
/// no wrapping (one line per `\n`). Fill `*out` and return true, or return false to let the core
/// use its headless formula (as it also does, with one warning, for sizes that are NaN,
/// infinite or negative). Called on the app's logic thread, synchronously; answers are cached.
pub type MiniappMeasureCallback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        text: *const c_char,
        font: *const MiniappFont,
        max_width: f32,
        out: *mut MiniappTextMetrics,
    ) -> bool,
>;

struct Failure(MiniappStatus, String);

thread_local! {
    static LAST_ERROR: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn registry() -> MutexGuard<'static, HashMap<u64, Arc<AppHandle>>> {
    static APPS: OnceLock<Mutex<HashMap<u64, Arc<AppHandle>>>> = OnceLock::new();
    APPS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner())
}

static NEXT_APP: AtomicU64 = AtomicU64::new(1);

/// Each app's mirrored screen, for `miniapp_app_render_rgba`.
#[cfg(feature = "raster")]
fn screens() -> MutexGuard<'static, HashMap<u64, Arc<crate::screen::Screen>>> {
    static SCREENS: OnceLock<Mutex<HashMap<u64, Arc<crate::screen::Screen>>>> = OnceLock::new();
    SCREENS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `f`, turning errors and panics into a status and the thread's last error.
fn guard(f: impl FnOnce() -> Result<(), Failure>) -> MiniappStatus {
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Failure(MiniappStatus::Panic, "internal error (panic caught at the C boundary)".into()))
    });
    match outcome {
        Ok(()) => MiniappStatus::Ok,
        Err(Failure(status, message)) => {
            LAST_ERROR.with(|e| *e.borrow_mut() = Some(message));
            status
        }
    }
}

/// Reads a required string argument.
///
/// Safety: `p` is null or points to a NUL-terminated string that stays valid for the call.
unsafe fn str_arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure(MiniappStatus::NullArgument, format!("`{name}` is null")));
    }
    // SAFETY: non-null and NUL-terminated per the caller contract above.
    unsafe { CStr::from_ptr(p) }.to_str().map_err(|e| {
        Failure(MiniappStatus::InvalidUtf8, format!("`{name}` is not valid UTF-8: {e}"))
    })
}

/// Reads an optional string argument (null means absent).
///
/// Safety: as [`str_arg`].
unsafe fn opt_str_arg<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded caller contract.
        unsafe { str_arg(p, name) }.map(Some)
    }
}

/// Writes an owned C string to `out`.
///
/// Safety: `out` is null (rejected) or valid for one pointer write.
unsafe fn write_string(out: *mut *mut c_char, s: String) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure(MiniappStatus::NullArgument, "output pointer is null".into()));
    }
    let c = CString::new(s.replace('\0', "\u{fffd}")).unwrap_or_default();
    // SAFETY: `out` is non-null and valid for a write per the caller contract.
    unsafe { *out = c.into_raw() };
    Ok(())
}

/// Writes an owned C string to `out` unless it is null (an output the caller does not want).
///
/// Safety: `out` is null or valid for one pointer write.
unsafe fn write_optional_string(out: *mut *mut c_char, s: String) -> Result<(), Failure> {
    if out.is_null() {
        return Ok(());
    }
    // SAFETY: non-null; forwarded caller contract.
    unsafe { write_string(out, s) }
}

fn app(id: u64) -> Result<Arc<AppHandle>, Failure> {
    registry()
        .get(&id)
        .cloned()
        .ok_or_else(|| Failure(MiniappStatus::NoSuchApp, format!("no app with handle {id}")))
}

fn closed(_: HandleError) -> Failure {
    Failure(MiniappStatus::Closed, "the app is closed".into())
}

fn runtime_failure(e: RuntimeError) -> Failure {
    match e {
        RuntimeError::Invalid(d) => Failure(MiniappStatus::InvalidPackage, d.to_string()),
        RuntimeError::NoMatch(s) => {
            Failure(MiniappStatus::NotFound, format!("no element matches `{s}`"))
        }
        other => Failure(MiniappStatus::Failed, other.to_string()),
    }
}

struct CListener {
    callback: MiniappEventCallback,
    // The host's opaque pointer, kept as an integer: the host promises it may be used from the
    // logic thread (documented on `miniapp_app_open`).
    user_data: usize,
    app: u64,
}

impl CListener {
    fn emit(&self, event: MiniappEvent, message: Option<&str>) {
        let Some(cb) = self.callback else { return };
        let text = message.map(|m| CString::new(m.replace('\0', "\u{fffd}")).unwrap_or_default());
        let ptr = text.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
        // SAFETY: the host gave us this callback and user data for exactly this use.
        unsafe { cb(self.user_data as *mut c_void, self.app, event, ptr) };
    }
}

impl LogSink for CListener {
    fn log(&self, _app_id: &str, level: LogLevel, message: &str) {
        let level = serde_json::to_value(level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        self.emit(MiniappEvent::Log, Some(&format!("{level}: {message}")));
    }
}

/// Replies the host has not given yet, by (app, call id).
fn pending_replies() -> MutexGuard<'static, HashMap<(u64, u64), HostReply>> {
    static PENDING: OnceLock<Mutex<HashMap<(u64, u64), HostReply>>> = OnceLock::new();
    PENDING.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner())
}

/// Calls that keep reporting after their answer (a socket, an audio player, a recording), by
/// (app, call id), so `miniapp_host_event` reaches them; forgotten when the app is freed.
fn call_events() -> MutexGuard<'static, HashMap<(u64, u64), TaskEvents>> {
    static EVENTS: OnceLock<Mutex<HashMap<(u64, u64), TaskEvents>>> = OnceLock::new();
    EVENTS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner())
}

/// The host calls whose task events may follow their answer.
fn reports_after_answer(api: &str) -> bool {
    matches!(
        api,
        "connectSocket"
            | "InnerAudioContext.create"
            | "BackgroundAudioManager.create"
            | "RecorderManager.start"
    )
}

struct CHost {
    callback: MiniappHostCallback,
    user_data: usize,
    app: u64,
}

impl HostServices for CHost {
    fn call(&self, call: HostCall, reply: HostReply) {
        let Some(cb) = self.callback else {
            reply.fail(format!("the host app provides no services for {}", call.api));
            return;
        };
        if reports_after_answer(&call.api) {
            call_events().insert((self.app, call.id), reply.events());
        }
        pending_replies().insert((self.app, call.id), reply);
        let api = CString::new(call.api.replace('\0', "\u{fffd}")).unwrap_or_default();
        let args =
            CString::new(call.args.to_string().replace('\0', "\u{fffd}")).unwrap_or_default();
        // SAFETY: the host gave us this callback and user data for exactly this use.
        unsafe {
            cb(self.user_data as *mut c_void, self.app, call.id, api.as_ptr(), args.as_ptr())
        };
    }
}

struct CMeasurer {
    callback: unsafe extern "C" fn(
        *mut c_void,
        *const c_char,
        *const MiniappFont,
        f32,
        *mut MiniappTextMetrics,
    ) -> bool,
    user_data: usize,
}

impl TextMeasurer for CMeasurer {
    fn measure(&self, text: &str, font: &FontSpec, max_width: Option<f32>) -> TextMetrics {
        let text = CString::new(text.replace('\0', "\u{fffd}")).unwrap_or_default();
        let font = MiniappFont {
            size: font.size,
            line_height: font.line_height,
            weight: font.weight,
            italic: font.italic,
            letter_spacing: font.letter_spacing,
        };
        let mut out =
            MiniappTextMetrics { width: f32::NAN, height: f32::NAN, baseline: f32::NAN, lines: 0 };
        // SAFETY: the host gave us this callback and user data for exactly this use; every
        // pointer is valid for the call.
        let answered = unsafe {
            (self.callback)(
                self.user_data as *mut c_void,
                text.as_ptr(),
                &font,
                max_width.unwrap_or(-1.0),
                &mut out,
            )
        };
        if !answered {
            return TextMetrics::failed();
        }
        TextMetrics {
            width: out.width,
            height: out.height,
            baseline: out.baseline,
            lines: out.lines,
        }
    }
}

impl AppListener for CListener {
    fn frames_ready(&self) {
        self.emit(MiniappEvent::FramesReady, None);
    }
    fn command_failed(&self, message: String) {
        self.emit(MiniappEvent::CommandFailed, Some(&message));
    }
    fn closed(&self) {
        self.emit(MiniappEvent::Closed, None);
    }
}

/// Reports a task event `name` with JSON `data_json` (null: `{}`) on host call `call_id` of
/// `app`, before or after its answer: download progress, a socket's `open`/`message`/`close`,
/// an audio player's `canplay`/`play`/`timeUpdate`/`ended`, a recording's `stop`.
/// `MINIAPP_STATUS_NOT_FOUND` for a call already answered that takes no later events (only
/// `connectSocket`, `InnerAudioContext.create`, `BackgroundAudioManager.create` and
/// `RecorderManager.start` do), or one never made.
///
/// # Safety
/// `name` is NUL-terminated; `data_json` is null or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn miniapp_host_event(
    app_id: u64,
    call_id: u64,
    name: *const c_char,
    data_json: *const c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let name = unsafe { str_arg(name, "name") }?.to_string();
        // SAFETY: caller contract.
        let data = match unsafe { opt_str_arg(data_json, "data_json") }? {
            None => serde_json::json!({}),
            Some(t) => serde_json::from_str(t).map_err(|e| {
                Failure(MiniappStatus::InvalidJson, format!("`data_json` is not valid JSON: {e}"))
            })?,
        };
        if let Some(reply) = pending_replies().get(&(app_id, call_id)) {
            reply.event(name, data);
            return Ok(());
        }
        let events = call_events().get(&(app_id, call_id)).cloned().ok_or_else(|| {
            Failure(
                MiniappStatus::NotFound,
                format!(
                    "host call {call_id} of app {app_id} is answered and takes no later events \
                     (only sockets, audio players and recordings do), or was never made"
                ),
            )
        })?;
        events.send(name, data);
        Ok(())
    })
}

/// Opens the mini-program project directory (or ZIP archive of one) `dir` and starts its logic
/// thread, like
/// `miniapp_app_open`, with host services: `host_callback` (may be null) receives every call only
/// the host can perform (after the capability policy allowed it), on the logic thread, with the
/// same `user_data`.
///
/// # Safety
/// As `miniapp_app_open`.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_open_with_host(
    dir: *const c_char,
    config_json: *const c_char,
    callback: MiniappEventCallback,
    host_callback: MiniappHostCallback,
    user_data: *mut c_void,
    out_app: *mut u64,
) -> MiniappStatus {
    // SAFETY: forwarded caller contract; no measurer.
    unsafe {
        miniapp_app_open_with_measurer(
            dir,
            config_json,
            callback,
            host_callback,
            None,
            user_data,
            out_app,
        )
    }
}

/// `miniapp_app_open_with_host`, with text measured by the host's fonts: `measure_callback`
/// (may be null: the headless formula) is called on the logic thread with the same `user_data`.
///
/// # Safety
/// As `miniapp_app_open`.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_open_with_measurer(
    dir: *const c_char,
    config_json: *const c_char,
    callback: MiniappEventCallback,
    host_callback: MiniappHostCallback,
    measure_callback: MiniappMeasureCallback,
    user_data: *mut c_void,
    out_app: *mut u64,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let dir = unsafe { str_arg(dir, "dir") }?;
        // SAFETY: caller contract.
        let cfg = unsafe { opt_str_arg(config_json, "config_json") }?.unwrap_or("");
        if out_app.is_null() {
            return Err(Failure(MiniappStatus::NullArgument, "`out_app` is null".into()));
        }
        let mut config = config::parse(cfg).map_err(|e| Failure(MiniappStatus::InvalidJson, e))?;
        let trusted =
            config::trusted_keys(cfg).map_err(|e| Failure(MiniappStatus::InvalidJson, e))?;
        let package = Package::open_trusting(Path::new(dir), &trusted)
            .map_err(|e| Failure(MiniappStatus::InvalidPackage, e.to_string()))?;
        let id = NEXT_APP.fetch_add(1, Ordering::Relaxed);
        let listener = Arc::new(CListener { callback, user_data: user_data as usize, app: id });
        config.log_sink = Some(listener.clone());
        config.host_services = Some(Arc::new(CHost {
            callback: host_callback,
            user_data: user_data as usize,
            app: id,
        }));
        config.text_measurer = measure_callback.map(|callback| {
            Arc::new(CMeasurer { callback, user_data: user_data as usize }) as Arc<dyn TextMeasurer>
        });
        #[cfg(feature = "raster")]
        let screen = crate::screen::Screen::new(package.clone());
        let handle = AppHandle::open(package, config, listener).map_err(runtime_failure)?;
        #[cfg(feature = "raster")]
        screens().insert(id, Arc::new(screen));
        registry().insert(id, Arc::new(handle));
        // SAFETY: checked non-null above; valid for a write per the caller contract.
        unsafe { *out_app = id };
        Ok(())
    })
}

/// Answers host call `call_id` of `app`: `ok` with a JSON object result (null: `{}`), or a
/// failure whose `result_json` is the reason text. `MINIAPP_STATUS_NOT_FOUND` if the call was
/// already answered or never made.
///
/// # Safety
/// `result_json` is null or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn miniapp_host_reply(
    app_id: u64,
    call_id: u64,
    ok: bool,
    result_json: *const c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { opt_str_arg(result_json, "result_json") }?;
        let value = match (ok, text) {
            (true, None) => Some(serde_json::json!({})),
            (true, Some(t)) => Some(serde_json::from_str(t).map_err(|e| {
                Failure(MiniappStatus::InvalidJson, format!("`result_json` is not valid JSON: {e}"))
            })?),
            (false, _) => None,
        };
        let reply = pending_replies().remove(&(app_id, call_id)).ok_or_else(|| {
            Failure(
                MiniappStatus::NotFound,
                format!("no pending host call {call_id} for app {app_id}"),
            )
        })?;
        match value {
            Some(v) => reply.ok(v),
            None => reply.fail(text.unwrap_or("failed").to_string()),
        }
        Ok(())
    })
}

/// Opens the mini-program project directory (or ZIP archive of one, or packed archive from
/// `miniapp pack`, verified first) `dir` and starts its logic thread.
///
/// `config_json` may be null (defaults) or e.g. `{"viewport":{"width":375,"height":667,
/// "pixelRatio":2},"clock":"real"}`; with `"trustedKeys":["miniapp-ed25519:…"]` only packed
/// archives signed by one of those keys open (`MINIAPP_STATUS_INVALID_PACKAGE` otherwise, the
/// error naming why). `callback` (may be null) is called on the app's logic thread
/// with `user_data`, which must therefore be usable from that thread. On success `*out_app` is
/// the new handle.
///
/// # Safety
/// String arguments are null or NUL-terminated; `out_app` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_open(
    dir: *const c_char,
    config_json: *const c_char,
    callback: MiniappEventCallback,
    user_data: *mut c_void,
    out_app: *mut u64,
) -> MiniappStatus {
    // SAFETY: forwarded caller contract; no host callback.
    unsafe { miniapp_app_open_with_host(dir, config_json, callback, None, user_data, out_app) }
}

/// Launches the app at `url` (`pages/x/x?a=1`; null: the entry page) with a scene number.
///
/// # Safety
/// `url` is null or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_launch(
    app_id: u64,
    url: *const c_char,
    scene: u32,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let url = unsafe { opt_str_arg(url, "url") }?.map(str::to_string);
        app(app_id)?.launch(url, scene).map_err(closed)
    })
}

/// Dispatches a native event (`tap`, `input`, `longpress`, …) on a node, with a JSON `detail`
/// (null: `{}`).
///
/// # Safety
/// `event` is NUL-terminated; `detail_json` is null or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_dispatch(
    app_id: u64,
    node: u32,
    event: *const c_char,
    detail_json: *const c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let event = unsafe { str_arg(event, "event") }?.to_string();
        // SAFETY: caller contract.
        let detail = match unsafe { opt_str_arg(detail_json, "detail_json") }? {
            None => serde_json::json!({}),
            Some(text) => serde_json::from_str(text).map_err(|e| {
                Failure(MiniappStatus::InvalidJson, format!("`detail_json` is not valid JSON: {e}"))
            })?,
        };
        app(app_id)?.dispatch(node, event, detail).map_err(closed)
    })
}

/// Reports a host event as JSON (`{"type":"pageScroll","scrollTop":300}`,
/// `{"type":"resize","width":667,"height":375}`, `{"type":"networkChange","connected":false,
/// "networkType":"none"}`…; every kind is in docs/render-protocol.md). Returns at once; a
/// failure arrives as `MINIAPP_EVENT_COMMAND_FAILED`.
///
/// # Safety
/// `event_json` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_send(app_id: u64, event_json: *const c_char) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let event = unsafe { host_event_arg(event_json) }?;
        app(app_id)?.send(event).map_err(closed)
    })
}

/// [`miniapp_app_send`], waiting for what the event did: `*out_json` is
/// `{"handled":true,"result":…}` (`result`: for `share`, `{title, path, imageUrl}`; else
/// null). Free it with `miniapp_string_free`.
///
/// # Safety
/// `event_json` is NUL-terminated; `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_request(
    app_id: u64,
    event_json: *const c_char,
    out_json: *mut *mut c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let event = unsafe { host_event_arg(event_json) }?;
        let applied = app(app_id)?.request(event).map_err(closed)?.map_err(runtime_failure)?;
        let text = serde_json::to_string(&applied)
            .map_err(|e| Failure(MiniappStatus::Failed, e.to_string()))?;
        // SAFETY: caller contract.
        unsafe { write_string(out_json, text) }
    })
}

/// Parses a NUL-terminated host event.
///
/// # Safety
/// `event_json` is NUL-terminated (or null, which is an error).
unsafe fn host_event_arg(event_json: *const c_char) -> Result<HostEvent, Failure> {
    // SAFETY: caller contract.
    let text = unsafe { str_arg(event_json, "event_json") }?;
    HostEvent::from_json(text).map_err(|e| Failure(MiniappStatus::InvalidJson, e))
}

/// What the user did to a built-in component's native view, as JSON
/// (`{"action":"type","text":"Ann"}`, `{"action":"pick","value":2}`, `{"action":"scroll","top":300}`…).
///
/// # Safety
/// `action_json` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_act(
    app_id: u64,
    node: u32,
    action_json: *const c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(action_json, "action_json") }?;
        let action = miniapp_core::runtime::controls::UserAction::from_json(text)
            .map_err(|e| Failure(MiniappStatus::InvalidJson, e))?;
        app(app_id)?.act(node, action).map_err(closed)
    })
}

/// A user tap on a node (`touchstart`, `touchend`, `tap`).
#[no_mangle]
pub extern "C" fn miniapp_app_tap(app_id: u64, node: u32) -> MiniappStatus {
    guard(|| app(app_id)?.tap(node).map_err(closed))
}

/// The host's back button.
#[no_mangle]
pub extern "C" fn miniapp_app_back(app_id: u64) -> MiniappStatus {
    guard(|| app(app_id)?.back().map_err(closed))
}

/// The app went to the background.
#[no_mangle]
pub extern "C" fn miniapp_app_hide(app_id: u64) -> MiniappStatus {
    guard(|| app(app_id)?.hide().map_err(closed))
}

/// The app came back to the foreground with a scene number.
#[no_mangle]
pub extern "C" fn miniapp_app_show(app_id: u64, scene: u32) -> MiniappStatus {
    guard(|| app(app_id)?.show(scene).map_err(closed))
}

/// A tab of the host's tab bar was tapped.
#[no_mangle]
pub extern "C" fn miniapp_app_tap_tab(app_id: u64, index: u32) -> MiniappStatus {
    guard(|| app(app_id)?.tap_tab(index).map_err(closed))
}

/// Moves virtual time forward (apps opened with `"clock":"virtual"`).
#[no_mangle]
pub extern "C" fn miniapp_app_advance(app_id: u64, ms: f64) -> MiniappStatus {
    guard(|| app(app_id)?.advance(ms).map_err(closed))
}

/// Takes the frames produced since the last call, as a JSON array of frames (see
/// docs/render-protocol.md). Free `*out_json` with `miniapp_string_free`.
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_take_frames(
    app_id: u64,
    out_json: *mut *mut c_char,
) -> MiniappStatus {
    guard(|| {
        let handle = app(app_id)?;
        #[cfg(feature = "raster")]
        let frames = match screens().get(&app_id).cloned() {
            Some(screen) => screen.take_frames(&handle),
            None => handle.take_frames(),
        };
        #[cfg(not(feature = "raster"))]
        let frames = handle.take_frames();
        let text = serde_json::to_string(&frames)
            .map_err(|e| Failure(MiniappStatus::Failed, e.to_string()))?;
        // SAFETY: caller contract.
        unsafe { write_string(out_json, text) }
    })
}

/// Finds the first element of the visible page matching a simple selector. Waits for the
/// logic thread: for tools and tests.
///
/// # Safety
/// `selector` is NUL-terminated; `out_node` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_select(
    app_id: u64,
    selector: *const c_char,
    out_node: *mut u32,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let selector = unsafe { str_arg(selector, "selector") }?.to_string();
        if out_node.is_null() {
            return Err(Failure(MiniappStatus::NullArgument, "`out_node` is null".into()));
        }
        let node = app(app_id)?
            .query(move |a| a.select(&selector))
            .map_err(closed)?
            .map_err(runtime_failure)?;
        // SAFETY: checked non-null; valid for a write per the caller contract.
        unsafe { *out_node = node };
        Ok(())
    })
}

/// The current tree as indented WXML-like text (for tools and tests). Free with
/// `miniapp_string_free`.
///
/// # Safety
/// `out_text` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_app_dump(
    app_id: u64,
    out_text: *mut *mut c_char,
) -> MiniappStatus {
    guard(|| {
        let text =
            app(app_id)?.query(|a| a.dump_text()).map_err(closed)?.map_err(runtime_failure)?;
        // SAFETY: caller contract.
        unsafe { write_string(out_text, text) }
    })
}

/// Stops the app without waiting: running JS is interrupted. Later calls on the handle return
/// `MINIAPP_STATUS_CLOSED`; free it with `miniapp_app_free`.
#[no_mangle]
pub extern "C" fn miniapp_app_close(app_id: u64) -> MiniappStatus {
    guard(|| {
        app(app_id)?.close();
        Ok(())
    })
}

/// Waits up to `timeout_ms` for a closed app's thread to finish. `MINIAPP_STATUS_OK` if it has.
#[no_mangle]
pub extern "C" fn miniapp_app_wait_closed(app_id: u64, timeout_ms: u32) -> MiniappStatus {
    guard(|| {
        if app(app_id)?.wait_closed(Duration::from_millis(u64::from(timeout_ms))) {
            Ok(())
        } else {
            Err(Failure(MiniappStatus::Failed, "the app is still running".into()))
        }
    })
}

/// Closes (if needed) and forgets the app. The handle is invalid afterwards
/// (`MINIAPP_STATUS_NO_SUCH_APP`).
#[no_mangle]
pub extern "C" fn miniapp_app_free(app_id: u64) -> MiniappStatus {
    guard(|| {
        let handle = registry().remove(&app_id).ok_or_else(|| {
            Failure(MiniappStatus::NoSuchApp, format!("no app with handle {app_id}"))
        })?;
        handle.close();
        #[cfg(feature = "raster")]
        screens().remove(&app_id);
        // Unanswered host calls die with the app (their replies fail quietly).
        pending_replies().retain(|(app, _), _| *app != app_id);
        call_events().retain(|(app, _), _| *app != app_id);
        Ok(())
    })
}

/// Draws the page on screen (navigation bar, page, tab bar) for hosts without a view system:
/// the page in a window of `width` × `height` CSS px (the viewport the app was opened with) at
/// `scale` device px per CSS px. `*out_pixels` receives `*out_width` × `*out_height` pixels of
/// 4 bytes (R, G, B, A, not premultiplied), rows top to bottom, `*out_len` bytes in all; free
/// them with `miniapp_pixels_free`. Frames the host has not taken yet are drawn and still
/// returned by its next `miniapp_app_take_frames`. Only in a library built with the `raster`
/// feature (`MINIAPP_RASTER`).
///
/// # Safety
/// The four out pointers are valid for a write.
#[cfg(feature = "raster")]
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn miniapp_app_render_rgba(
    app_id: u64,
    width: f32,
    height: f32,
    scale: f32,
    out_pixels: *mut *mut u8,
    out_len: *mut usize,
    out_width: *mut u32,
    out_height: *mut u32,
) -> MiniappStatus {
    guard(|| {
        if out_pixels.is_null() || out_len.is_null() || out_width.is_null() || out_height.is_null()
        {
            return Err(Failure(MiniappStatus::NullArgument, "an out pointer is null".into()));
        }
        let handle = app(app_id)?;
        let screen = screens().get(&app_id).cloned().ok_or_else(|| {
            Failure(MiniappStatus::NoSuchApp, format!("no app with handle {app_id}"))
        })?;
        let picture = screen
            .render(&handle, width, height, scale)
            .map_err(|e| Failure(MiniappStatus::Failed, e))?;
        let pixels = picture.pixels.into_boxed_slice();
        let len = pixels.len();
        // SAFETY: all four checked non-null; valid for a write per the caller contract. The
        // buffer is returned to Rust by `miniapp_pixels_free` with this length.
        unsafe {
            *out_len = len;
            *out_width = picture.width;
            *out_height = picture.height;
            *out_pixels = Box::into_raw(pixels).cast::<u8>();
        }
        Ok(())
    })
}

/// Frees pixels from `miniapp_app_render_rgba` (null does nothing).
///
/// # Safety
/// `pixels` and `len` are exactly what `miniapp_app_render_rgba` gave, freed once.
#[cfg(feature = "raster")]
#[no_mangle]
pub unsafe extern "C" fn miniapp_pixels_free(pixels: *mut u8, len: usize) {
    if pixels.is_null() {
        return;
    }
    // SAFETY: caller contract: a boxed slice of `len` bytes from `miniapp_app_render_rgba`.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(pixels, len)) });
}

/// Opens (creating) the store of installed versions at `store_dir`; `trusted_keys_json` is null
/// (any signer, hashes still checked) or a JSON array of `miniapp-ed25519:…` keys.
fn store_at(
    store_dir: &str,
    trusted_keys_json: Option<&str>,
) -> Result<miniapp_core::package::store::PackageStore, Failure> {
    let bad = |e: String| Failure(MiniappStatus::InvalidJson, format!("trusted_keys_json: {e}"));
    let trusted = match trusted_keys_json {
        None => Vec::new(),
        Some(json) => serde_json::from_str::<Vec<String>>(json)
            .map_err(|e| bad(format!("not a JSON array of strings: {e}")))?
            .iter()
            .map(|k| miniapp_core::package::signing::PublicKey::parse(k))
            .collect::<Result<_, _>>()
            .map_err(bad)?,
    };
    miniapp_core::package::store::PackageStore::open(store_dir, &trusted).map_err(store_failure)
}

fn store_failure(e: miniapp_core::package::store::StoreError) -> Failure {
    use miniapp_core::package::store::StoreError;
    let status = match &e {
        StoreError::Refused(_) | StoreError::Downgrade { .. } | StoreError::BadVersion(_) => {
            MiniappStatus::InvalidPackage
        }
        StoreError::Nothing(_) => MiniappStatus::NotFound,
        StoreError::Io(_) => MiniappStatus::Failed,
    };
    Failure(status, e.to_string())
}

/// Verifies the packed archive at `archive_path` and installs it in the store at `store_dir`,
/// to be launched from the next `miniapp_store_launch` on (see `miniapp store`). A version not
/// newer than the installed one is `MINIAPP_STATUS_INVALID_PACKAGE` (a downgrade), as is an
/// archive that does not verify; `*out_version` (may be null) gets the version installed.
///
/// # Safety
/// Strings are null (only `trusted_keys_json`) or NUL-terminated; `out_version` is null or
/// valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_store_install(
    store_dir: *const c_char,
    trusted_keys_json: *const c_char,
    archive_path: *const c_char,
    out_version: *mut *mut c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let (dir, keys, archive) = unsafe {
            (
                str_arg(store_dir, "store_dir")?,
                opt_str_arg(trusted_keys_json, "trusted_keys_json")?,
                str_arg(archive_path, "archive_path")?,
            )
        };
        let store = store_at(dir, keys)?;
        let bytes = std::fs::read(archive)
            .map_err(|e| Failure(MiniappStatus::Failed, format!("{archive}: {e}")))?;
        let manifest = store.install(&bytes).map_err(store_failure)?;
        // SAFETY: caller contract.
        unsafe { write_optional_string(out_version, manifest.version) }
    })
}

/// Verifies the archive at `archive_path` as subpackage `root` of installed `version` in the
/// store at `store_dir` (a package packed with `--split-subpackages`, fetched when the app asked
/// with the host call `loadSubpackage`) and saves it beside that version's archive:
/// `*out_path` (may be null) gets its path, the `path` to answer the host call with. An
/// archive that is not the one the version names is `MINIAPP_STATUS_INVALID_PACKAGE`; a version
/// not installed, `MINIAPP_STATUS_NOT_FOUND`.
///
/// # Safety
/// Strings are null (only `trusted_keys_json`) or NUL-terminated; `out_path` is null or valid
/// for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_store_install_subpackage(
    store_dir: *const c_char,
    trusted_keys_json: *const c_char,
    version: *const c_char,
    root: *const c_char,
    archive_path: *const c_char,
    out_path: *mut *mut c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let (dir, keys, version, root, archive) = unsafe {
            (
                str_arg(store_dir, "store_dir")?,
                opt_str_arg(trusted_keys_json, "trusted_keys_json")?,
                str_arg(version, "version")?,
                str_arg(root, "root")?,
                str_arg(archive_path, "archive_path")?,
            )
        };
        let store = store_at(dir, keys)?;
        let bytes = std::fs::read(archive)
            .map_err(|e| Failure(MiniappStatus::Failed, format!("{archive}: {e}")))?;
        let at = store.install_subpackage(version, root, &bytes).map_err(store_failure)?;
        // SAFETY: caller contract.
        unsafe { write_optional_string(out_path, at.to_string_lossy().into_owned()) }
    })
}

/// The version to launch from the store at `store_dir` (a pending install becomes current), its
/// archive verified again: `*out_archive` is its path (open it with `miniapp_app_open`),
/// `*out_version` (may be null) its version. `MINIAPP_STATUS_NOT_FOUND` when none is installed.
///
/// # Safety
/// As `miniapp_store_install`; `out_archive` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_store_launch(
    store_dir: *const c_char,
    trusted_keys_json: *const c_char,
    out_archive: *mut *mut c_char,
    out_version: *mut *mut c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let (dir, keys) = unsafe {
            (str_arg(store_dir, "store_dir")?, opt_str_arg(trusted_keys_json, "trusted_keys_json")?)
        };
        if out_archive.is_null() {
            return Err(Failure(MiniappStatus::NullArgument, "`out_archive` is null".into()));
        }
        let launch = store_at(dir, keys)?.launch().map_err(store_failure)?;
        // SAFETY: caller contract.
        unsafe { write_string(out_archive, launch.archive.to_string_lossy().into_owned()) }?;
        // SAFETY: caller contract.
        unsafe { write_optional_string(out_version, launch.version) }
    })
}

/// Goes back to the previous version in the store at `store_dir`; `*out_version` (may be
/// null) gets it. `MINIAPP_STATUS_NOT_FOUND` when there is none.
///
/// # Safety
/// `store_dir` is NUL-terminated; `out_version` is null or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn miniapp_store_rollback(
    store_dir: *const c_char,
    out_version: *mut *mut c_char,
) -> MiniappStatus {
    guard(|| {
        // SAFETY: caller contract.
        let dir = unsafe { str_arg(store_dir, "store_dir") }?;
        let version = store_at(dir, None)?.rollback().map_err(store_failure)?;
        // SAFETY: caller contract.
        unsafe { write_optional_string(out_version, version) }
    })
}

/// The last error message on this thread, or null. Free with `miniapp_string_free`.
#[no_mangle]
pub extern "C" fn miniapp_last_error() -> *mut c_char {
    LAST_ERROR
        .with(|e| e.borrow().clone())
        .and_then(|m| CString::new(m.replace('\0', "\u{fffd}")).ok())
        .map_or(std::ptr::null_mut(), CString::into_raw)
}

/// Frees a string returned by this library. Null is ignored.
///
/// # Safety
/// `s` is null or a string from this library not freed before.
#[no_mangle]
pub unsafe extern "C" fn miniapp_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: `s` came from `CString::into_raw` in this library (caller contract).
        drop(unsafe { CString::from_raw(s) });
    }
}
