//! The server: opens the app on a real clock, launches it, and only then listens on
//! `127.0.0.1:<port>` (the client's readiness test is "the port accepts a WebSocket").
//!
//! Threads: the app's logic thread (owned by an [`AppHandle`]) runs every method; one accept
//! thread; one thread per connection, which reads frames, answers the few methods that need no
//! app (`Tool.getInfo`, `App.enableLog`, `Tool.close`) and posts the rest to the logic thread,
//! and writes what the hub queues for it. A connection that drops or sends garbage affects only
//! itself. `Tool.close` replies, then [`Server::wait`] returns; [`Server::shutdown`] closes the
//! sockets and the app.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use miniapp_core::package::Package;
use miniapp_core::runtime::clock::ClockMode;
use miniapp_core::runtime::handle::{AppHandle, AppListener};
use miniapp_core::HostEvent;
use miniapp_core::{InstanceConfig, RuntimeError};
use serde_json::json;
use thiserror::Error;
use tungstenite::protocol::Role;
use tungstenite::{Message, WebSocket};

use crate::hub::{ConnId, Hub};
use crate::methods::{self, Call, Outcome, UNSUPPORTED};
use crate::protocol;

/// How the server starts the app.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Port on 127.0.0.1 (0: any free port; see [`Server::port`]).
    pub port: u16,
    /// Entry page with query (`None`: the app's entry page).
    pub page: Option<String>,
    /// Scene number for `App.onLaunch`.
    pub scene: u32,
}

/// Why the server could not start.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The package could not be opened or the app failed to start.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// Launching the entry page failed.
    #[error("launch failed: {0}")]
    Launch(String),
    /// The port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source} (is another server using it? pick another --automator-port)")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Keeps the screen: every frame the app produces is applied to a raster scene at once, so
/// `App.captureScreenshot` can paint the page as it is.
struct Screen {
    app: OnceLock<Weak<AppHandle>>,
    screen: Mutex<miniapp_raster::Screen<Package>>,
    viewport: miniapp_core::Viewport,
}

impl Screen {
    fn new(viewport: miniapp_core::Viewport, package: &Package) -> Screen {
        Screen {
            app: OnceLock::new(),
            screen: Mutex::new(miniapp_raster::Screen::new(package.clone())),
            viewport,
        }
    }

    /// The page on screen as `{data: <base64 PNG>}`, as the developer tool answers.
    fn capture(&self) -> Result<serde_json::Value, String> {
        use base64::Engine as _;
        let v = self.viewport;
        let picture = self.screen.lock().unwrap_or_else(|p| p.into_inner()).paint(
            v.width as f32,
            v.height as f32,
            v.pixel_ratio as f32,
        )?;
        let png = picture.png()?;
        Ok(json!({ "data": base64::engine::general_purpose::STANDARD.encode(png) }))
    }
}

impl AppListener for Screen {
    fn frames_ready(&self) {
        let Some(app) = self.app.get().and_then(Weak::upgrade) else { return };
        let mut screen = self.screen.lock().unwrap_or_else(|p| p.into_inner());
        for frame in app.take_frames() {
            if let Err(e) = screen.apply(&frame) {
                tracing::warn!(target: "miniapp::automator", "screen: {e}");
            }
        }
    }
    fn command_failed(&self, message: String) {
        tracing::warn!(target: "miniapp::automator", "{message}");
    }
}

struct Shared {
    hub: Arc<Hub>,
    app: Arc<AppHandle>,
    screen: Arc<Screen>,
}

/// A running automator server.
pub struct Server {
    shared: Arc<Shared>,
    addr: SocketAddr,
    accept: Option<JoinHandle<()>>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Server {
    /// Opens and launches the app (real time), then listens.
    pub fn start(
        package: Package,
        mut config: InstanceConfig,
        options: ServeOptions,
    ) -> Result<Server, ServeError> {
        let hub = Arc::new(Hub::default());
        config.clock = ClockMode::Real;
        config.automation = Some(hub.clone());
        let listener = Arc::new(Screen::new(config.viewport, &package));
        let app = Arc::new(AppHandle::open(package, config, listener.clone())?);
        let _ = listener.app.set(Arc::downgrade(&app));
        let (page, scene) = (options.page.clone(), options.scene);
        app.request(HostEvent::Launch { url: page, scene })
            .map(|r| r.map(drop).map_err(|e| e.to_string()))
            .map_err(|e| ServeError::Launch(e.to_string()))?
            .map_err(ServeError::Launch)?;
        let socket = TcpListener::bind(("127.0.0.1", options.port))
            .map_err(|source| ServeError::Bind { port: options.port, source })?;
        let addr = socket
            .local_addr()
            .map_err(|source| ServeError::Bind { port: options.port, source })?;
        let shared = Arc::new(Shared { hub, app, screen: listener });
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (s, c) = (shared.clone(), connections.clone());
        let accept = thread::Builder::new()
            .name("automator-accept".into())
            .spawn(move || accept_loop(&socket, &s, &c))
            .map_err(|source| ServeError::Bind { port: options.port, source })?;
        Ok(Server { shared, addr, accept: Some(accept), connections })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Blocks until a client sends `Tool.close`.
    pub fn wait(&self) {
        self.shared.hub.wait_shutdown();
    }

    /// Replies still queued are sent, then the sockets and the app close.
    pub fn shutdown(mut self) {
        self.shared.hub.request_shutdown();
        self.shared.hub.close_all();
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(a) = self.accept.take() {
            let _ = a.join();
        }
        let conns: Vec<JoinHandle<()>> =
            std::mem::take(&mut *self.connections.lock().unwrap_or_else(|p| p.into_inner()));
        for c in conns {
            let _ = c.join();
        }
        self.shared.app.close();
        self.shared.app.wait_closed(Duration::from_secs(2));
    }
}

fn accept_loop(socket: &TcpListener, shared: &Arc<Shared>, conns: &Mutex<Vec<JoinHandle<()>>>) {
    for stream in socket.incoming() {
        if shared.hub.shutting_down() {
            break;
        }
        let Ok(stream) = stream else { continue };
        let s = shared.clone();
        let spawned = thread::Builder::new()
            .name("automator-conn".into())
            .spawn(move || serve_connection(stream, &s));
        if let Ok(handle) = spawned {
            let mut list = conns.lock().unwrap_or_else(|p| p.into_inner());
            list.retain(|h| !h.is_finished());
            list.push(handle);
        }
    }
}

/// A socket whose every `write` writes the whole buffer under a lock shared by the
/// connection's reader and writer, so frames from the two never interleave (tungstenite writes
/// its buffered frames in one call).
struct LockedStream {
    stream: TcpStream,
    lock: Arc<Mutex<()>>,
}

impl Read for LockedStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.stream.read(buf)
    }
}

impl Write for LockedStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        self.stream.write_all(buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

/// One connection: this thread reads and dispatches frames; a writer thread sends what the hub
/// queues, as soon as it is queued. The connection ends when the client closes, the socket
/// fails, or the server shuts the read side down; the writer then drains and closes.
fn serve_connection(stream: TcpStream, shared: &Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let lock = Arc::new(Mutex::new(()));
    let (Ok(read_half), Ok(write_half)) = (stream.try_clone(), stream.try_clone()) else { return };
    let mut reader =
        match tungstenite::accept(LockedStream { stream: read_half, lock: lock.clone() }) {
            Ok(ws) => ws,
            Err(e) => {
                tracing::debug!(target: "miniapp::automator", "WebSocket handshake failed: {e}");
                return;
            }
        };
    let _ = stream.set_read_timeout(None);
    let mut writer =
        WebSocket::from_raw_socket(LockedStream { stream: write_half, lock }, Role::Server, None);
    let (tx, rx) = mpsc::channel::<String>();
    let conn = shared.hub.connect(tx);
    let sending = thread::Builder::new().name("automator-send".into()).spawn(move || {
        for text in rx {
            if writer.send(Message::text(text)).is_err() {
                return;
            }
        }
        let _ = writer.close(None);
        let _ = writer.flush();
    });
    shared.hub.register_socket(conn, stream);
    loop {
        match reader.read() {
            Ok(Message::Text(text)) => dispatch(shared, conn, text.as_str()),
            Ok(Message::Binary(bytes)) => match std::str::from_utf8(&bytes) {
                Ok(text) => dispatch(shared, conn, text),
                Err(_) => {
                    tracing::warn!(target: "miniapp::automator", "binary frame that is not UTF-8 ignored")
                }
            },
            Ok(Message::Close(_)) => break,
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(target: "miniapp::automator", "connection {conn} ended: {e}");
                break;
            }
        }
    }
    shared.hub.disconnect(conn);
    if let Ok(handle) = sending {
        let _ = handle.join();
    }
}

/// Answers a frame: malformed frames with an error (when they carry an id), the app-less
/// methods at once, everything else on the logic thread.
fn dispatch(shared: &Arc<Shared>, conn: ConnId, text: &str) {
    let hub = &shared.hub;
    let request = match protocol::parse_request(text) {
        Ok(r) => r,
        Err(bad) => {
            match bad.id {
                Some(id) => hub.answer(conn, &id, Err(bad.message)),
                None => tracing::warn!(target: "miniapp::automator", "{}", bad.message),
            }
            return;
        }
    };
    let method = request.method.as_str();
    match method {
        "Tool.getInfo" => {
            let info = json!({ "SDKVersion": miniapp_core::api::SDK_VERSION });
            hub.answer(conn, &request.id, Ok(info));
        }
        "App.captureScreenshot" => {
            let shot = shared.screen.capture().map_err(|e| format!("App.captureScreenshot: {e}"));
            hub.answer(conn, &request.id, shot);
        }
        "App.enableLog" => {
            hub.enable_log(conn);
            hub.answer(conn, &request.id, Ok(json!({})));
        }
        "Tool.close" => {
            hub.answer(conn, &request.id, Ok(json!({})));
            hub.request_shutdown();
        }
        _ => {
            if let Some((_, why)) = UNSUPPORTED.iter().find(|(m, _)| *m == method) {
                hub.answer(conn, &request.id, Err(format!("{method} unimplemented: {why}")));
                return;
            }
            let job_hub = hub.clone();
            let id = request.id.clone();
            let posted = shared.app.post(move |app| {
                let call = Call {
                    hub: &job_hub,
                    conn,
                    id: request.id,
                    method: request.method,
                    params: request.params,
                };
                // A bug in one method must not take the app down: answer with it instead.
                let outcome =
                    std::panic::catch_unwind(AssertUnwindSafe(|| methods::run(app, &call)))
                        .unwrap_or_else(|_| {
                            Outcome::Now(Err(format!(
                                "{}: internal error (see the server log)",
                                call.method
                            )))
                        });
                if let Outcome::Now(r) = outcome {
                    job_hub.answer(conn, &call.id, r);
                }
                Ok(())
            });
            if posted.is_err() {
                hub.answer(conn, &id, Err("the mini program has stopped".into()));
            }
        }
    }
}
