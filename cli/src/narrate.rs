//! What the CLI tells a person on stderr, in the order it happens: each step `run` takes
//! (`→ tap #refresh (node 42)`), the app's console output and uncaught errors as they are
//! logged (`[log] …`, `[error] …`), and each call the app makes to the host
//! (`[host] showToast {"title":"Saved"}`). Lines are written at once, so they interleave as
//! the app ran. Called on the app's logic thread.

use std::sync::Arc;

use miniapp_core::host::{HostCall, HostReply, HostServices};
use miniapp_core::runtime::state::{LogLevel, LogSink};

/// Longest host-call argument text printed whole, in chars.
const ARGS_CHARS: usize = 160;

/// Console output and uncaught errors on stderr, one `[level] text` line each.
pub struct StderrLog;

impl LogSink for StderrLog {
    fn log(&self, _app_id: &str, level: LogLevel, message: &str) {
        let level = serde_json::to_value(level).ok().and_then(|v| v.as_str().map(str::to_string));
        eprintln!("[{}] {message}", level.unwrap_or_default());
    }
}

/// A step the CLI takes on the user's behalf: `→ text`.
pub fn step(text: &str) {
    eprintln!("→ {text}");
}

/// A note about a step: `  text` (why nothing happened, what was shared).
pub fn note(text: &str) {
    eprintln!("  {text}");
}

/// Host services that print each call before `inner` answers it.
pub struct NarratedHost {
    inner: Arc<dyn HostServices>,
}

impl NarratedHost {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn HostServices>) -> NarratedHost {
        NarratedHost { inner }
    }
}

impl HostServices for NarratedHost {
    fn call(&self, call: HostCall, reply: HostReply) {
        eprintln!("[host] {} {}", call.api, cut(&call.args.to_string()));
        self.inner.call(call, reply);
    }

    fn cancel(&self, app_id: &str, id: u64) {
        self.inner.cancel(app_id, id);
    }
}

/// `text` cut to [`ARGS_CHARS`] chars with `…`.
fn cut(text: &str) -> String {
    if text.chars().count() <= ARGS_CHARS {
        return text.to_string();
    }
    let mut s: String = text.chars().take(ARGS_CHARS - 1).collect();
    s.push('…');
    s
}
