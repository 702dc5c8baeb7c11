//! miniapp-automator: serves the `miniprogram-automator` WebSocket protocol for a running mini
//! program, so jest suites written for the desktop developer tool run headless in CI.
//!
//! [`server::Server`] opens the app on a real clock (the client sleeps between steps), launches
//! it, then listens on `127.0.0.1:<port>`. [`protocol`] is the wire format, [`hub`] routes
//! answers and pushed events to connections, [`methods`] implements the protocol's methods on
//! the app's logic thread, [`elements`] the built-in elements' user actions. The CLI's
//! `miniapp serve` and `miniapp auto` start it.

pub mod elements;
pub mod hub;
pub mod methods;
pub mod protocol;
pub mod server;

pub use server::{ServeError, ServeOptions, Server};
