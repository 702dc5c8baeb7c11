//! miniapp-core: the runtime for WeChat-style mini programs.
//!
//! Data flows [`package`] → [`config`] → [`compile`] → [`engine`] (QuickJS running glass-easel
//! and our [`framework`] layer) → [`view`] (node tree, render ops in frames) → [`style`] and
//! [`layout`] (WXSS cascade, float-pigment layout, style and frame ops).
//! [`runtime::AppInstance`] ties them together for one mini-program instance on one thread.

pub mod api;
pub mod builtin;
pub mod capability;
pub mod compile;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod files;
pub mod framework;
pub mod host;
pub mod layout;
pub mod names;
pub mod package;
pub mod render;
#[cfg(feature = "compiler")]
pub mod report;
pub mod runtime;
pub mod storage;
pub mod style;
pub mod view;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Level};
pub use host::event::{Applied, HostEvent};
pub use runtime::{AppInstance, InstanceConfig, RuntimeError, Viewport};

/// Stack size of the thread an app's logic runs on ([`runtime::handle::AppHandle`]'s, and the
/// CLI's): deep but legal pages (templates up to `compile::depth::MAX_WXML_DEPTH`, recursive
/// components up to the JS stack limit) lay out without overflowing it, in debug builds too.
/// Only the pages touched are committed.
pub const LOGIC_STACK_BYTES: usize = 64 << 20;
