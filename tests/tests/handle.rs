//! The threaded handle: commands from any thread, frames signalled and pulled, several apps at
//! once, `close()` that never blocks and stops running JS.

// Test helpers: a failed open or a poisoned lock is a test failure, so panicking is right.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use miniapp_core::capability::Policy;
use miniapp_core::package::Package;
use miniapp_core::runtime::clock::ClockMode;
use miniapp_core::runtime::handle::{AppHandle, AppListener, HandleError};
use miniapp_core::{InstanceConfig, RuntimeError};

#[derive(Default)]
struct Listener {
    ready: Mutex<usize>,
    signal: Condvar,
    failures: Mutex<Vec<String>>,
    closed: AtomicUsize,
}

impl AppListener for Listener {
    fn frames_ready(&self) {
        *self.ready.lock().unwrap() += 1;
        self.signal.notify_all();
    }
    fn command_failed(&self, message: String) {
        self.failures.lock().unwrap().push(message);
    }
    fn closed(&self) {
        self.closed.fetch_add(1, Ordering::SeqCst);
    }
}

impl Listener {
    /// Waits until `frames_ready` has been called more than `seen` times.
    fn wait_ready(&self, seen: usize, timeout: Duration) -> usize {
        let guard = self.ready.lock().unwrap();
        let (guard, _) = self.signal.wait_timeout_while(guard, timeout, |n| *n <= seen).unwrap();
        *guard
    }
}

fn real_clock() -> InstanceConfig {
    InstanceConfig {
        clock: ClockMode::Real,
        policy: Policy::headless_default(),
        ..InstanceConfig::default()
    }
}

fn campus() -> Package {
    Package::open_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/campus")).unwrap()
}

fn small_app(page_js: &str, wxml: &str) -> Package {
    Package::from_sources([
        ("app.json", r#"{"pages":["pages/a/a"]}"#),
        ("app.js", "App({})"),
        ("pages/a/a.wxml", wxml),
        ("pages/a/a.js", page_js),
    ])
}

#[test]
fn frames_are_signalled_and_pulled() {
    let listener = Arc::new(Listener::default());
    let app = AppHandle::open(campus(), real_clock(), listener.clone()).unwrap();
    app.launch(None, 1001).unwrap();
    let n = listener.wait_ready(0, Duration::from_secs(10));
    assert!(n >= 1, "no frame after launch");
    let frames = app.take_frames();
    assert!(frames.iter().map(|f| f.ops.len()).sum::<usize>() > 100);
    assert!(app.take_frames().is_empty(), "frames are handed out once");

    let node = app.query(|a| a.select("#refresh")).unwrap().unwrap();
    app.tap(node).unwrap();
    listener.wait_ready(n, Duration::from_secs(10));
    let tree = app.query(|a| a.dump_text()).unwrap().unwrap();
    assert!(tree.contains("Refreshed 1 time"), "{tree}");
    assert!(listener.failures.lock().unwrap().is_empty());
}

#[test]
fn several_apps_run_at_once_in_isolation() {
    let page =
        "counter = 0; Page({ data: { n: 0 }, bump() { counter++; this.setData({ n: counter }) } })";
    let wxml = r#"<view id="b" bindtap="bump">n={{n}}</view>"#;
    let (la, lb) = (Arc::new(Listener::default()), Arc::new(Listener::default()));
    let a = AppHandle::open(small_app(page, wxml), real_clock(), la.clone()).unwrap();
    let b = AppHandle::open(small_app(page, wxml), real_clock(), lb.clone()).unwrap();
    a.launch(None, 1001).unwrap();
    b.launch(None, 1001).unwrap();
    la.wait_ready(0, Duration::from_secs(10));
    lb.wait_ready(0, Duration::from_secs(10));
    let node = a.query(|app| app.select("#b")).unwrap().unwrap();
    for _ in 0..3 {
        a.tap(node).unwrap();
    }
    // `counter` is a sloppy-mode global: each app has its own.
    let ta = a.query(|app| app.dump_text()).unwrap().unwrap();
    let tb = b.query(|app| app.dump_text()).unwrap().unwrap();
    assert!(ta.contains("n=3"), "{ta}");
    assert!(tb.contains("n=0"), "{tb}");
}

#[test]
fn close_interrupts_running_js_without_blocking() {
    let page = "Page({ spin() { while (true) {} } })";
    let listener = Arc::new(Listener::default());
    let app = AppHandle::open(
        small_app(page, r#"<view id="s" bindtap="spin">spin</view>"#),
        real_clock(),
        listener.clone(),
    )
    .unwrap();
    app.launch(None, 1001).unwrap();
    let node = app.query(|a| a.select("#s")).unwrap().unwrap();
    app.tap(node).unwrap();
    std::thread::sleep(Duration::from_millis(100)); // the logic thread is now spinning
    let start = Instant::now();
    app.close();
    assert!(start.elapsed() < Duration::from_millis(50), "close() must not wait for JS");
    assert!(app.wait_closed(Duration::from_secs(5)), "the spinning script was not interrupted");
    assert_eq!(app.tap(node), Err(HandleError::Closed));
    assert_eq!(listener.closed.load(Ordering::SeqCst), 1);
}

#[test]
fn real_clock_timers_fire_without_commands() {
    let page = "Page({ data: { t: 'waiting' }, onLoad() { setTimeout(() => this.setData({ t: 'fired' }), 30) } })";
    let listener = Arc::new(Listener::default());
    let app =
        AppHandle::open(small_app(page, "<view>{{t}}</view>"), real_clock(), listener.clone())
            .unwrap();
    app.launch(None, 1001).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = String::new();
    while Instant::now() < deadline {
        text = app.query(|a| a.dump_text()).unwrap().unwrap();
        if text.contains("fired") {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(text.contains("fired"), "{text}");
}

#[test]
fn open_errors_come_back_to_the_caller() {
    let bad = Package::from_sources([("app.js", "App({})")]);
    let err = AppHandle::open(bad, real_clock(), Arc::new(Listener::default())).err();
    assert!(matches!(err, Some(RuntimeError::Invalid(_))));
}
