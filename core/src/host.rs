//! What the host app implements and sends, in one place.
//!
//! The host implements:
//! - [`HostServices`]: what only the host app can do for mini programs (UI, network, device, …).
//!   Every call carries the app id, a call id, the `wx` API name and its JSON arguments, plus a
//!   [`HostReply`] the host completes from any thread, now or later. Replies (and task events
//!   such as download progress) queue in the app's [`HostInbox`] and reach JS as their own tasks
//!   on the logic thread. A call reaches the host only after the capability policy allowed it.
//! - [`TextMeasurer`]: text measured with the host's fonts (logic thread, synchronous, cached).
//! - [`LogSink`]: the app's console output and uncaught errors.
//! - [`AppListener`]: frames ready, a posted command failed, the app closed.
//!
//! The host sends [`event::HostEvent`]s. [`RecordingHost`] (feature `headless`) is the headless
//! host used by the CLI and tests: it records every call and answers with sensible defaults.

pub mod event;
#[cfg(feature = "headless")]
mod recording;
#[cfg(feature = "headless")]
pub use recording::{HttpFixture, RecordingHost};

pub use crate::layout::text::{FontSpec, HeadlessMeasurer, TextMeasurer, TextMetrics};
pub use crate::runtime::handle::AppListener;
pub use crate::runtime::state::{LogLevel, LogSink};

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use serde_json::Value;

/// One request to the host.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostCall {
    /// The calling app.
    pub app_id: String,
    /// Unique per app; names the call in [`HostServices::cancel`].
    pub id: u64,
    /// The `wx` API (`showToast`, `request`, …) or a custom host API name.
    pub api: String,
    /// Its arguments (callbacks removed).
    pub args: Value,
}

/// What the host sends back.
#[derive(Debug, Clone, PartialEq)]
pub enum HostMessage {
    /// The call succeeded with this result.
    Ok(u64, Value),
    /// The call failed; the reason goes into errMsg.
    Fail(u64, String),
    /// A task event before completion (`headersReceived`, `progressUpdate`, …).
    Event(u64, String, Value),
}

/// Where replies wait for the logic thread.
#[derive(Default)]
pub struct HostInbox {
    queue: Mutex<VecDeque<HostMessage>>,
    waker: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl HostInbox {
    /// Queues a message and wakes the logic thread.
    pub fn push(&self, message: HostMessage) {
        lock(&self.queue).push_back(message);
        let waker = lock(&self.waker).clone();
        if let Some(wake) = waker {
            wake();
        }
    }

    /// Takes the oldest queued message.
    pub fn pop(&self) -> Option<HostMessage> {
        lock(&self.queue).pop_front()
    }

    /// Takes every queued message.
    pub fn drain(&self) -> Vec<HostMessage> {
        lock(&self.queue).drain(..).collect()
    }

    /// True when messages wait.
    pub fn has_messages(&self) -> bool {
        !lock(&self.queue).is_empty()
    }

    /// Installs the function that wakes the logic thread (the threaded handle's).
    pub fn set_waker(&self, waker: Arc<dyn Fn() + Send + Sync>) {
        *lock(&self.waker) = Some(waker);
    }
}

/// The host's way back for one call. `Send`; completing twice is ignored.
pub struct HostReply {
    id: u64,
    inbox: Arc<HostInbox>,
    done: bool,
}

impl HostReply {
    /// A reply handle for call `id` (hosts receive these; tests may build them).
    pub fn new(id: u64, inbox: Arc<HostInbox>) -> HostReply {
        HostReply { id, inbox, done: false }
    }

    /// The call succeeded.
    pub fn ok(mut self, result: Value) {
        self.done = true;
        self.inbox.push(HostMessage::Ok(self.id, result));
    }

    /// The call failed (`reason` becomes `"<api>:fail <reason>"`).
    pub fn fail(mut self, reason: impl Into<String>) {
        self.done = true;
        self.inbox.push(HostMessage::Fail(self.id, reason.into()));
    }

    /// A task event before completion (for `request`, `downloadFile`, …).
    pub fn event(&self, name: impl Into<String>, data: Value) {
        self.inbox.push(HostMessage::Event(self.id, name.into(), data));
    }

    /// A handle for events after completion too (a socket's `open`/`message`/`close`).
    pub fn events(&self) -> TaskEvents {
        TaskEvents { id: self.id, inbox: self.inbox.clone() }
    }
}

/// Sends events for one call at any time, from any thread (`Send + Sync + Clone`).
#[derive(Clone)]
pub struct TaskEvents {
    id: u64,
    inbox: Arc<HostInbox>,
}

impl TaskEvents {
    /// The call the events belong to.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Sends one event (`open`, `message`, `close`, `progressUpdate`, …).
    pub fn send(&self, name: impl Into<String>, data: Value) {
        self.inbox.push(HostMessage::Event(self.id, name.into(), data));
    }
}

impl Drop for HostReply {
    fn drop(&mut self) {
        // A host that drops a reply without answering must not leave the app waiting forever.
        if !self.done {
            self.inbox.push(HostMessage::Fail(self.id, "the host did not answer".into()));
        }
    }
}

/// Implemented by the host app.
pub trait HostServices: Send + Sync {
    /// Handles one call; complete `reply` from any thread, now or later.
    fn call(&self, call: HostCall, reply: HostReply);
    /// Best-effort cancellation of call `id` (e.g. `RequestTask.abort()`); the core already
    /// failed the call with `abort`, so later replies are ignored.
    fn cancel(&self, _app_id: &str, _id: u64) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replies_queue_and_wake() {
        let inbox = Arc::new(HostInbox::default());
        let woken = Arc::new(Mutex::new(0));
        let w = woken.clone();
        inbox.set_waker(Arc::new(move || *lock(&w) += 1));
        HostReply::new(1, inbox.clone()).ok(json!({"a": 1}));
        HostReply::new(2, inbox.clone()).fail("no");
        drop(HostReply::new(3, inbox.clone()));
        assert_eq!(
            inbox.drain(),
            vec![
                HostMessage::Ok(1, json!({"a": 1})),
                HostMessage::Fail(2, "no".into()),
                HostMessage::Fail(3, "the host did not answer".into()),
            ]
        );
        assert_eq!(*lock(&woken), 3);
    }
}
