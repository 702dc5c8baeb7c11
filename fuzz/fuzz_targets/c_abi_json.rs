//! The C ABI's JSON arguments from the fuzzer's bytes, through the exported functions
//! themselves: the bytes are split at NUL into the config of `miniapp_app_open`, a host event
//! (`miniapp_app_send`/`miniapp_app_request`), a user action (`miniapp_app_act`), an event
//! detail and a host reply (`miniapp_app_dispatch`, `miniapp_host_reply`) and a selector
//! (`miniapp_app_select`). Each call must return a status (a caught panic is a bug: it says
//! `MINIAPP_STATUS_PANIC`) and leave an error message to free.
#![no_main]

use std::ffi::{c_char, CString};

use libfuzzer_sys::fuzz_target;
use miniapp_ffi::c_abi::*;

/// No app has handle 0, so every call stops after parsing its arguments (or, for `open`,
/// at the package that does not exist).
const NO_APP: u64 = 0;

fn check(status: MiniappStatus) {
    assert_ne!(status, MiniappStatus::Panic, "a call panicked");
    if status != MiniappStatus::Ok {
        let message = miniapp_last_error();
        assert!(!message.is_null(), "a failure left no message");
        // SAFETY: a string miniapp returned, freed once.
        unsafe { miniapp_string_free(message) };
    }
}

fuzz_target!(init: miniapp_fuzz::crash_only_on_uncaught_panics(), |data: &[u8]| {
    let parts: Vec<CString> =
        data.split(|&b| b == 0).take(6).map(|p| CString::new(p).unwrap_or_default()).collect();
    let arg = |i: usize| parts.get(i).map_or(c"{}".as_ptr(), |s| s.as_ptr());
    let mut app = 0u64;
    let mut out: *mut c_char = std::ptr::null_mut();
    // SAFETY: every pointer is a live NUL-terminated string or a valid out slot.
    unsafe {
        check(miniapp_app_open(
            c"/nonexistent/miniapp-fuzz".as_ptr(),
            arg(0),
            None,
            std::ptr::null_mut(),
            &mut app,
        ));
        check(miniapp_app_send(NO_APP, arg(1)));
        check(miniapp_app_request(NO_APP, arg(1), &mut out));
        check(miniapp_app_act(NO_APP, 1, arg(2)));
        check(miniapp_app_dispatch(NO_APP, 1, c"tap".as_ptr(), arg(3)));
        check(miniapp_host_reply(NO_APP, 1, true, arg(4)));
        check(miniapp_host_reply(NO_APP, 1, false, arg(4)));
        let mut node = 0u32;
        check(miniapp_app_select(NO_APP, arg(5), &mut node));
    }
});
