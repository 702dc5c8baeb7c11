//! The hub: every open connection's outgoing queue, the requests waiting for the app's JS,
//! and where pushed events go. It is the app's [`AutomationSink`], so it is called on the logic
//! thread; connection threads call it too. All state sits behind one mutex, held briefly and
//! never across a call into the app.

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::Sender;
use std::sync::{Condvar, Mutex, MutexGuard};

use miniapp_core::runtime::automation::{AutomationEvent, AutomationSink};
use serde_json::{json, Value};

use crate::protocol;

/// A connection's number, unique for the server's life.
pub type ConnId = u64;

/// Turns the app's answer to a JS-side request into the reply's `result`.
pub type Shape = Box<dyn FnOnce(Option<Value>) -> Result<Value, String> + Send>;

struct Pending {
    conn: ConnId,
    id: Value,
    shape: Shape,
}

struct Connection {
    out: Sender<String>,
    log_enabled: bool,
    socket: Option<TcpStream>,
}

#[derive(Default)]
struct State {
    conns: HashMap<ConnId, Connection>,
    pending: HashMap<u64, Pending>,
    bindings: HashMap<String, ConnId>,
    next_conn: ConnId,
    next_ticket: u64,
    shutdown: bool,
}

/// Shared by the accept loop, the connection threads and the app's logic thread.
#[derive(Default)]
pub struct Hub {
    state: Mutex<State>,
    shutdown_signal: Condvar,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a connection; what is sent to it arrives on `out`.
    pub fn connect(&self, out: Sender<String>) -> ConnId {
        let mut s = self.lock();
        s.next_conn += 1;
        let id = s.next_conn;
        s.conns.insert(id, Connection { out, log_enabled: false, socket: None });
        id
    }

    /// Keeps the connection's socket so [`Hub::close_all`] can end its reads.
    pub fn register_socket(&self, conn: ConnId, socket: TcpStream) {
        if let Some(c) = self.lock().conns.get_mut(&conn) {
            c.socket = Some(socket);
        }
    }

    /// Ends every connection: reads stop, and each writer sends what is queued, then a close
    /// frame.
    pub fn close_all(&self) {
        let mut s = self.lock();
        for c in s.conns.values() {
            if let Some(socket) = &c.socket {
                let _ = socket.shutdown(Shutdown::Read);
            }
        }
        s.conns.clear();
        s.pending.clear();
    }

    /// Forgets a connection: its pending answers and bindings are dropped.
    pub fn disconnect(&self, conn: ConnId) {
        let mut s = self.lock();
        s.conns.remove(&conn);
        s.pending.retain(|_, p| p.conn != conn);
        s.bindings.retain(|_, c| *c != conn);
    }

    /// Sends text to one connection (dropped if it has gone).
    pub fn send(&self, conn: ConnId, text: String) {
        if let Some(c) = self.lock().conns.get(&conn) {
            let _ = c.out.send(text);
        }
    }

    /// Replies to request `id` on `conn`.
    pub fn answer(&self, conn: ConnId, id: &Value, outcome: Result<Value, String>) {
        let text = match outcome {
            Ok(v) => protocol::reply(id, v),
            Err(m) => protocol::error_reply(id, &m),
        };
        self.send(conn, text);
    }

    /// Reserves a ticket for a JS-side request; its answer is shaped and sent to `conn`.
    pub fn expect(&self, conn: ConnId, id: Value, shape: Shape) -> u64 {
        let mut s = self.lock();
        s.next_ticket += 1;
        let ticket = s.next_ticket;
        s.pending.insert(ticket, Pending { conn, id, shape });
        ticket
    }

    /// Fails a ticket that will never be answered (the request could not start).
    pub fn abandon(&self, ticket: u64, message: String) {
        self.reply(ticket, Err(message));
    }

    /// `App.enableLog`: console events go to this connection from now on.
    pub fn enable_log(&self, conn: ConnId) {
        if let Some(c) = self.lock().conns.get_mut(&conn) {
            c.log_enabled = true;
        }
    }

    /// `App.addBinding`: calls of `name` are pushed to this connection.
    pub fn bind(&self, conn: ConnId, name: &str) {
        self.lock().bindings.insert(name.to_string(), conn);
    }

    /// `Tool.close`: ask the server to stop.
    pub fn request_shutdown(&self) {
        self.lock().shutdown = true;
        self.shutdown_signal.notify_all();
    }

    /// True once shutdown was requested.
    pub fn shutting_down(&self) -> bool {
        self.lock().shutdown
    }

    /// Blocks until shutdown is requested.
    pub fn wait_shutdown(&self) {
        let guard = self.lock();
        let _guard = self
            .shutdown_signal
            .wait_while(guard, |s| !s.shutdown)
            .unwrap_or_else(|p| p.into_inner());
    }

    /// How many connections are open.
    pub fn connections(&self) -> usize {
        self.lock().conns.len()
    }
}

impl AutomationSink for Hub {
    fn reply(&self, ticket: u64, outcome: Result<Option<Value>, String>) {
        let Some(p) = self.lock().pending.remove(&ticket) else { return };
        let shaped = outcome.and_then(p.shape);
        self.answer(p.conn, &p.id, shaped);
    }

    fn event(&self, event: AutomationEvent) {
        let s = self.lock();
        let (text, targets): (String, Vec<&Connection>) = match event {
            AutomationEvent::Console { level, args } => {
                let kind = serde_json::to_value(level).unwrap_or_else(|_| json!("log"));
                let text = protocol::event("App.logAdded", json!({ "type": kind, "args": args }));
                (text, s.conns.values().filter(|c| c.log_enabled).collect())
            }
            AutomationEvent::Exception { message, stack } => {
                let text = protocol::event(
                    "App.exceptionThrown",
                    json!({ "message": message, "stack": stack }),
                );
                (text, s.conns.values().collect())
            }
            AutomationEvent::BindingCalled { name, args } => {
                let owner = s.bindings.get(&name).and_then(|c| s.conns.get(c));
                let text =
                    protocol::event("App.bindingCalled", json!({ "name": name, "args": args }));
                (text, owner.into_iter().collect())
            }
        };
        for c in targets {
            let _ = c.out.send(text.clone());
        }
    }
}

/// A shape that wraps the value as `{result: value}` (omitted when `undefined`).
pub fn as_result() -> Shape {
    Box::new(|v| Ok(v.map_or_else(|| json!({}), |v| json!({ "result": v }))))
}

/// A shape that ignores the value and replies `{}`.
pub fn as_empty() -> Shape {
    Box::new(|_| Ok(json!({})))
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniapp_core::runtime::state::LogLevel;
    use std::sync::mpsc;

    #[test]
    fn answers_reach_their_connection_and_events_their_listeners() {
        let hub = Hub::default();
        let (tx1, rx1) = mpsc::channel();
        let (tx2, rx2) = mpsc::channel();
        let a = hub.connect(tx1);
        let b = hub.connect(tx2);
        let t = hub.expect(a, json!("r1"), as_result());
        hub.reply(t, Ok(Some(json!(5))));
        assert_eq!(rx1.try_recv().ok().as_deref(), Some(r#"{"id":"r1","result":{"result":5}}"#));
        hub.reply(t, Ok(None)); // answered already: nothing more
        assert!(rx1.try_recv().is_err());

        hub.enable_log(b);
        hub.event(AutomationEvent::Console { level: LogLevel::Warn, args: vec![json!("w")] });
        assert!(rx1.try_recv().is_err());
        assert!(rx2.try_recv().is_ok_and(|t| t.contains("\"type\":\"warn\"")));

        hub.bind(a, "f");
        hub.event(AutomationEvent::BindingCalled { name: "f".into(), args: vec![] });
        assert!(rx1.try_recv().is_ok_and(|t| t.contains("App.bindingCalled")));
        assert!(rx2.try_recv().is_err());

        let t = hub.expect(b, json!("r2"), as_empty());
        hub.disconnect(b);
        hub.reply(t, Ok(None));
        assert!(rx2.try_recv().is_err());
        assert_eq!(hub.connections(), 1);
    }
}
