//! Handle: one mini program on its own logic thread, driven from any thread.
//!
//! [`AppHandle`] is `Send + Sync`. [`AppHandle::open`] starts a thread named `miniapp-logic`
//! that builds and owns the [`AppInstance`] (engine, tree and everything else that is not
//! `Send`); it returns once the package is open, with its error if it could not be.
//!
//! Host calls post a command and return at once. The logic thread runs commands in order, then
//! moves the frames they produced to a shared queue and calls
//! [`AppListener::frames_ready`]; the host then calls [`AppHandle::take_frames`] from its UI
//! thread. With a real clock the thread also wakes up for due timers. [`AppHandle::close`] (or
//! dropping the handle) never blocks: it interrupts running JS and the thread exits on its own.
//! Several handles are fully independent (one QuickJS runtime each).
//!
//! ```no_run
//! use std::sync::Arc;
//! use miniapp_core::{package::Package, runtime::clock::ClockMode, InstanceConfig};
//! use miniapp_core::runtime::handle::{AppHandle, AppListener};
//!
//! struct Ui; // post to your UI thread in frames_ready, then call take_frames() there
//! impl AppListener for Ui {
//!     fn frames_ready(&self) { /* schedule apply_frames() on the UI thread */ }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let config = InstanceConfig { clock: ClockMode::Real, ..InstanceConfig::default() };
//! let app = AppHandle::open(Package::open_dir("examples/campus")?, config, Arc::new(Ui))?;
//! app.launch(Some("pages/detail/detail?id=3".into()), 1011)?; // scene 1011: QR code
//! for frame in app.take_frames() { /* apply frame.ops to native views */ }
//! app.tap(42)?;          // user input on node 42
//! app.back()?;           // the host's back button
//! app.close();           // returns at once
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use serde_json::Value;
use thiserror::Error;

use super::clock::ClockMode;
use super::{AppInstance, InstanceConfig, RuntimeError};
use crate::host::event::{Applied, HostEvent};
use crate::package::Package;
use crate::view::{Frame, NodeId};

/// What the host hears from an app. Called on the app's logic thread: return quickly (post to
/// the UI thread) and do not call back into the handle synchronously from `frames_ready`.
pub trait AppListener: Send + Sync {
    /// Frames are waiting in [`AppHandle::take_frames`].
    fn frames_ready(&self);
    /// A posted command failed (bad selector, a script error that reached the top, …).
    fn command_failed(&self, _message: String) {}
    /// The logic thread has finished (after `close`, or when the engine failed).
    fn closed(&self) {}
}

/// A handle that can no longer take commands.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HandleError {
    /// `close` was called or the logic thread ended.
    #[error("the mini program is closed")]
    Closed,
}

type Job = Box<dyn FnOnce(&mut AppInstance) -> Result<(), RuntimeError> + Send>;

enum Command {
    Run(Job),
    Close,
}

struct Shared {
    frames: Mutex<VecDeque<Frame>>,
    finished: Mutex<bool>,
    finished_signal: Condvar,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic on another thread must not take the host down with it: keep using the data.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running mini program. `Send + Sync`; every method returns without waiting for JS, except
/// [`AppHandle::query`] and [`AppHandle::wait_closed`].
pub struct AppHandle {
    tx: Sender<Command>,
    cancel: Arc<AtomicBool>,
    shared: Arc<Shared>,
}

impl AppHandle {
    /// Starts the logic thread and opens `package` on it.
    pub fn open(
        package: Package,
        mut config: InstanceConfig,
        listener: Arc<dyn AppListener>,
    ) -> Result<AppHandle, RuntimeError> {
        let cancel = config.cancel.get_or_insert_with(|| Arc::new(AtomicBool::new(false))).clone();
        let shared = Arc::new(Shared {
            frames: Mutex::new(VecDeque::new()),
            finished: Mutex::new(false),
            finished_signal: Condvar::new(),
        });
        let (tx, rx) = mpsc::channel::<Command>();
        let (opened_tx, opened_rx) = mpsc::channel::<Result<(), RuntimeError>>();
        let thread_shared = shared.clone();
        let thread_cancel = cancel.clone();
        let wake_tx = tx.clone();
        let spawned = thread::Builder::new()
            .name("miniapp-logic".into())
            .stack_size(crate::LOGIC_STACK_BYTES)
            .spawn(move || {
                let real_clock = config.clock == ClockMode::Real;
                match AppInstance::open(package, config) {
                    Ok(app) => {
                        // Host replies from other threads wake the loop to deliver them.
                        app.host_inbox().set_waker(Arc::new(move || {
                            let _ = wake_tx.send(Command::Run(Box::new(|app| {
                                app.process_host_messages();
                                Ok(())
                            })));
                        }));
                        let _ = opened_tx.send(Ok(()));
                        logic_loop(
                            app,
                            &rx,
                            &thread_shared,
                            listener.as_ref(),
                            &thread_cancel,
                            real_clock,
                        );
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                    }
                }
                // Tell the host first, so `wait_closed` returning means the host has heard it.
                listener.closed();
                *lock(&thread_shared.finished) = true;
                thread_shared.finished_signal.notify_all();
            });
        if let Err(e) = spawned {
            return Err(RuntimeError::Engine(crate::engine::EngineError::Start(format!(
                "cannot start the logic thread: {e}"
            ))));
        }
        match opened_rx.recv() {
            Ok(Ok(())) => Ok(AppHandle { tx, cancel, shared }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(RuntimeError::Engine(crate::engine::EngineError::Start(
                "the logic thread stopped while opening the package".into(),
            ))),
        }
    }

    /// Posts work for the logic thread. Errors it returns go to
    /// [`AppListener::command_failed`].
    pub fn post(
        &self,
        job: impl FnOnce(&mut AppInstance) -> Result<(), RuntimeError> + Send + 'static,
    ) -> Result<(), HandleError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(HandleError::Closed);
        }
        self.tx.send(Command::Run(Box::new(job))).map_err(|_| HandleError::Closed)
    }

    /// Runs `f` on the logic thread and waits for its answer. For tools and tests; a UI
    /// thread should prefer posting.
    pub fn query<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut AppInstance) -> R + Send + 'static,
    ) -> Result<R, HandleError> {
        let (tx, rx) = mpsc::channel();
        self.post(move |app| {
            let _ = tx.send(f(app));
            Ok(())
        })?;
        rx.recv().map_err(|_| HandleError::Closed)
    }

    /// Reports what the host app did or saw ([`HostEvent`]: launch, back, scroll, resize,
    /// network, theme, user input…). Returns at once; errors go to
    /// [`AppListener::command_failed`].
    pub fn send(&self, event: HostEvent) -> Result<(), HandleError> {
        self.post(move |app| app.apply(&event).map(drop))
    }

    /// [`AppHandle::send`], waiting for what the event did (for `share`: what to share).
    pub fn request(&self, event: HostEvent) -> Result<Result<Applied, RuntimeError>, HandleError> {
        self.query(move |app| app.apply(&event))
    }

    /// Launches at `url` (`None`: the entry page) with a scene number.
    pub fn launch(&self, url: Option<String>, scene: u32) -> Result<(), HandleError> {
        self.send(HostEvent::Launch { url, scene })
    }

    /// Dispatches a native event on a node.
    pub fn dispatch(&self, node: NodeId, event: String, detail: Value) -> Result<(), HandleError> {
        self.send(HostEvent::Dispatch { node, event, detail })
    }

    /// What the user did to a built-in component's native view (typed, slid, picked,
    /// scrolled, swiped…); see [`crate::runtime::controls`].
    pub fn act(
        &self,
        node: NodeId,
        action: crate::runtime::controls::UserAction,
    ) -> Result<(), HandleError> {
        self.send(HostEvent::Act { node, action })
    }

    /// A user tap on a node (`touchstart`, `touchend`, `tap`).
    pub fn tap(&self, node: NodeId) -> Result<(), HandleError> {
        self.send(HostEvent::Tap { node })
    }

    /// The host's back action.
    pub fn back(&self) -> Result<(), HandleError> {
        self.send(HostEvent::Back)
    }

    /// The app went to the background.
    pub fn hide(&self) -> Result<(), HandleError> {
        self.send(HostEvent::Hide)
    }

    /// The app came back to the foreground.
    pub fn show(&self, scene: u32) -> Result<(), HandleError> {
        self.send(HostEvent::Show { scene })
    }

    /// A tab of the host's tab bar was tapped.
    pub fn tap_tab(&self, index: u32) -> Result<(), HandleError> {
        self.send(HostEvent::TabTap { index })
    }

    /// Moves virtual time forward (virtual-clock instances; real clocks run timers by themselves).
    pub fn advance(&self, ms: f64) -> Result<(), HandleError> {
        self.send(HostEvent::Advance { ms })
    }

    /// Frames produced since the last call, oldest first. Any thread (normally the UI thread).
    pub fn take_frames(&self) -> Vec<Frame> {
        lock(&self.shared.frames).drain(..).collect()
    }

    /// Stops the app without waiting: running JS is interrupted and the thread exits.
    pub fn close(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        let _ = self.tx.send(Command::Close);
    }

    /// True once the logic thread has finished.
    pub fn is_closed(&self) -> bool {
        *lock(&self.shared.finished)
    }

    /// Waits until the logic thread has finished, at most `timeout`. True if it has.
    pub fn wait_closed(&self, timeout: Duration) -> bool {
        let guard = lock(&self.shared.finished);
        let (guard, _) = self
            .shared
            .finished_signal
            .wait_timeout_while(guard, timeout, |done| !*done)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard
    }
}

impl Drop for AppHandle {
    fn drop(&mut self) {
        self.close();
    }
}

fn logic_loop(
    mut app: AppInstance,
    rx: &mpsc::Receiver<Command>,
    shared: &Shared,
    listener: &dyn AppListener,
    cancel: &AtomicBool,
    real_clock: bool,
) {
    // Frames from opening (none usually) and from launch go out like any others.
    publish(&mut app, shared, listener);
    loop {
        let wait = if real_clock {
            match app.next_timer_at() {
                Ok(Some(at)) => Some(Duration::from_secs_f64(((at - app.now()).max(0.0)) / 1000.0)),
                _ => None,
            }
        } else {
            None
        };
        let next = match wait {
            Some(d) => rx.recv_timeout(d),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match next {
            Ok(Command::Run(job)) => {
                if let Err(e) = job(&mut app) {
                    listener.command_failed(e.to_string());
                }
            }
            Ok(Command::Close) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                if let Err(e) = app.advance(0.0) {
                    listener.command_failed(e.to_string());
                }
            }
        }
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        publish(&mut app, shared, listener);
    }
}

fn publish(app: &mut AppInstance, shared: &Shared, listener: &dyn AppListener) {
    let frames = app.take_frames();
    if frames.is_empty() {
        return;
    }
    lock(&shared.frames).extend(frames);
    listener.frames_ready();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn handle_is_send_and_sync() {
        assert_send_sync::<AppHandle>();
    }
}
