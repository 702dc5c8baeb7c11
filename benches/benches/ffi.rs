//! Cost of one frame crossing the C ABI: post an event, the logic thread runs it and calls the
//! host once, the host pulls the frame as JSON. Compare with `runtime/tap_handler_frame`
//! (the same work in-process). Run: `cargo bench -p miniapp-benches --bench ffi`.

use std::ffi::{c_char, c_void, CString};
use std::sync::{Condvar, Mutex};

use criterion::{criterion_group, criterion_main, Criterion};
use miniapp_ffi::c_abi::*;

struct Signal {
    ready: Mutex<u64>,
    cond: Condvar,
}

static SIGNAL: Signal = Signal { ready: Mutex::new(0), cond: Condvar::new() };

unsafe extern "C" fn on_event(
    _user: *mut c_void,
    _app: u64,
    event: MiniappEvent,
    _msg: *const c_char,
) {
    if event == MiniappEvent::FramesReady {
        let mut n = SIGNAL.ready.lock().expect("lock");
        *n += 1;
        SIGNAL.cond.notify_all();
    }
}

fn wait_ready(after: u64) -> u64 {
    let guard = SIGNAL.ready.lock().expect("lock");
    *SIGNAL.cond.wait_while(guard, |n| *n <= after).expect("wait")
}

fn ffi(c: &mut Criterion) {
    let dir =
        CString::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/campus")).expect("path");
    let config =
        CString::new(r#"{"clock":"virtual","policy":{"grant":["storage","ui"]}}"#).expect("config");
    let mut app = 0u64;
    // SAFETY: valid NUL-terminated strings and out pointer; the callback is a plain function.
    let status = unsafe {
        miniapp_app_open(
            dir.as_ptr(),
            config.as_ptr(),
            Some(on_event),
            std::ptr::null_mut(),
            &mut app,
        )
    };
    assert_eq!(status, MiniappStatus::Ok);
    // SAFETY: null url means the entry page.
    assert_eq!(unsafe { miniapp_app_launch(app, std::ptr::null(), 1001) }, MiniappStatus::Ok);
    let mut seen = wait_ready(0);
    let mut out: *mut c_char = std::ptr::null_mut();
    let sel = CString::new("#refresh").expect("selector");
    let mut node = 0u32;
    // SAFETY: valid strings and out pointers.
    unsafe {
        assert_eq!(miniapp_app_take_frames(app, &mut out), MiniappStatus::Ok);
        miniapp_string_free(out);
        assert_eq!(miniapp_app_select(app, sel.as_ptr(), &mut node), MiniappStatus::Ok);
    }
    let tap = CString::new("tap").expect("event");
    c.bench_function("ffi/c_abi_event_to_frame (post, callback, take_frames JSON)", |b| {
        b.iter(|| {
            // SAFETY: valid strings; null detail means {}.
            assert_eq!(
                unsafe { miniapp_app_dispatch(app, node, tap.as_ptr(), std::ptr::null()) },
                MiniappStatus::Ok
            );
            seen = wait_ready(seen);
            let mut json: *mut c_char = std::ptr::null_mut();
            // SAFETY: valid out pointer; the string is freed right after.
            unsafe {
                assert_eq!(miniapp_app_take_frames(app, &mut json), MiniappStatus::Ok);
                miniapp_string_free(json);
            }
        })
    });
    assert_eq!(miniapp_app_free(app), MiniappStatus::Ok);
}

criterion_group!(benches, ffi);
criterion_main!(benches);
