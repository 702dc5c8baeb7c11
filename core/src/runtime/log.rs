//! The app's console output as the host and the test driver receive it: [`LogLevel`],
//! [`LogEntry`] and the host's [`LogSink`]. Plain data and a trait; a leaf of the runtime
//! (`state` and `automation` both use it).

use serde::Serialize;

/// Severity of a JS console message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// `console.debug`/`trace`.
    Debug,
    /// `console.log`.
    Log,
    /// `console.info`.
    Info,
    /// `console.warn` and framework warnings.
    Warn,
    /// `console.error`.
    Error,
}

impl LogLevel {
    /// Parses the level names the framework JS uses.
    pub fn parse(s: &str) -> LogLevel {
        match s {
            "debug" => LogLevel::Debug,
            "info" => LogLevel::Info,
            "warn" => LogLevel::Warn,
            "error" => LogLevel::Error,
            _ => LogLevel::Log,
        }
    }
}

/// Receives an app's console output and uncaught errors (the host's log). Called on the app's
/// logic thread; return quickly.
pub trait LogSink: Send + Sync {
    /// One line: `console.*` output, or an uncaught error with its stack.
    fn log(&self, app_id: &str, level: LogLevel, message: &str);
}

/// One console message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    /// Level.
    pub level: LogLevel,
    /// Formatted text.
    pub text: String,
    /// Instance time in ms.
    pub time: f64,
}
