//! `render_rgba` (feature `raster`) through the C ABI and the uniffi surface: the campus home
//! page drawn to pixels, the frames still delivered to the host, and bad arguments refused.
//! Run with `cargo test -p miniapp-ffi --features raster --test render`.
#![allow(unsafe_code, clippy::expect_used)] // a test of the C ABI: raw pointers by nature

mod common;

use std::ffi::{CStr, CString};
use std::ptr;
use std::sync::Arc;

use common::{campus, crate_dir, run};
use miniapp_ffi::c_abi::*;
use miniapp_ffi::uniffi_api::{FrameListener, MiniApp};
use miniapp_ffi::uniffi_error::MiniappError;

fn last_error() -> String {
    let p = miniapp_last_error();
    // SAFETY: a string from the library, freed once.
    let s = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    // SAFETY: as above.
    unsafe { miniapp_string_free(p) };
    s
}

struct Picture {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

fn render(app: u64, w: f32, h: f32, scale: f32) -> Result<Picture, (MiniappStatus, String)> {
    let (mut px, mut len, mut width, mut height) = (ptr::null_mut(), 0usize, 0u32, 0u32);
    // SAFETY: four valid out pointers.
    let status = unsafe {
        miniapp_app_render_rgba(app, w, h, scale, &mut px, &mut len, &mut width, &mut height)
    };
    if status != MiniappStatus::Ok {
        return Err((status, last_error()));
    }
    // SAFETY: the library's buffer of `len` bytes, copied then freed once.
    let pixels = unsafe { std::slice::from_raw_parts(px, len) }.to_vec();
    // SAFETY: as above.
    unsafe { miniapp_pixels_free(px, len) };
    Ok(Picture { width, height, pixels })
}

fn pixel(p: &Picture, x: u32, y: u32) -> [u8; 4] {
    let at = ((y * p.width + x) * 4) as usize;
    [p.pixels[at], p.pixels[at + 1], p.pixels[at + 2], p.pixels[at + 3]]
}

#[test]
fn the_c_abi_draws_the_page_and_the_host_still_gets_every_frame() {
    let dir = CString::new(campus().to_str().expect("utf-8")).expect("no NUL");
    let config =
        CString::new(r#"{"viewport":{"width":375,"height":667,"pixelRatio":1}}"#).expect("no NUL");
    let mut app = 0u64;
    // SAFETY: valid strings and out pointer; no callback.
    let status =
        unsafe { miniapp_app_open(dir.as_ptr(), config.as_ptr(), None, ptr::null_mut(), &mut app) };
    assert_eq!(status, MiniappStatus::Ok, "{}", last_error());
    // SAFETY: null url: the entry page.
    assert_eq!(unsafe { miniapp_app_launch(app, ptr::null(), 1001) }, MiniappStatus::Ok);
    let mut node = 0u32;
    let sel = CString::new("#refresh").expect("no NUL");
    // SAFETY: valid selector and out pointer; waits for the launch to finish.
    assert_eq!(unsafe { miniapp_app_select(app, sel.as_ptr(), &mut node) }, MiniappStatus::Ok);

    let pic = render(app, 375.0, 667.0, 1.0).expect("renders");
    // navigation bar 44 + window 667 + tab bar 50, at 1 device px per CSS px
    assert_eq!((pic.width, pic.height, pic.pixels.len()), (375, 761, 375 * 761 * 4));
    assert_eq!(pixel(&pic, 2, 2), [0x1f, 0x6f, 0xeb, 255], "the campus navigation bar's blue");
    let inked = (100..180).flat_map(|x| (8..36).map(move |y| (x, y)));
    assert!(inked.filter(|(x, y)| pixel(&pic, *x, *y)[0] > 200).count() > 50, "a white title");
    // twice the scale: twice the pixels each way
    let big = render(app, 375.0, 667.0, 2.0).expect("renders");
    assert_eq!((big.width, big.height), (750, 1522));

    // the frames the picture used are still the host's, in order from the first
    let mut json = ptr::null_mut();
    // SAFETY: valid out pointer; the string is freed below.
    assert_eq!(unsafe { miniapp_app_take_frames(app, &mut json) }, MiniappStatus::Ok);
    // SAFETY: a string from the library.
    let text = unsafe { CStr::from_ptr(json) }.to_string_lossy().into_owned();
    // SAFETY: as above, freed once.
    unsafe { miniapp_string_free(json) };
    let frames: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON frames");
    assert_eq!(frames.first().and_then(|f| f["seq"].as_u64()), Some(1), "{text:.200}");

    // bad arguments: a clear status and message, nothing drawn
    let (status, message) = render(app, 375.0, 667.0, 0.0).err().expect("refused");
    assert_eq!(status, MiniappStatus::Failed);
    assert!(message.contains("scale 0"), "{message}");
    let (status, _) = render(9_999_999, 375.0, 667.0, 1.0).err().expect("refused");
    assert_eq!(status, MiniappStatus::NoSuchApp);
    let (mut w, mut h, mut len) = (0u32, 0u32, 0usize);
    // SAFETY: a null pixel pointer is what is being tested; the others are valid.
    let status = unsafe {
        miniapp_app_render_rgba(app, 375.0, 667.0, 1.0, ptr::null_mut(), &mut len, &mut w, &mut h)
    };
    assert_eq!(status, MiniappStatus::NullArgument);
    // SAFETY: null is allowed.
    unsafe { miniapp_pixels_free(ptr::null_mut(), 0) };
    assert_eq!(miniapp_app_free(app), MiniappStatus::Ok);
}

struct Quiet;

impl FrameListener for Quiet {
    fn frames_ready(&self) -> Result<(), MiniappError> {
        Ok(())
    }
    fn command_failed(&self, _detail: String) -> Result<(), MiniappError> {
        Ok(())
    }
    fn closed(&self) -> Result<(), MiniappError> {
        Ok(())
    }
}

#[test]
fn the_uniffi_surface_draws_the_page() {
    let app = MiniApp::open(
        campus().to_string_lossy().into_owned(),
        r#"{"viewport":{"width":320,"height":480,"pixelRatio":1}}"#.into(),
        Arc::new(Quiet),
        None,
        None,
        None,
    )
    .expect("opens");
    app.launch(None, 1001).expect("launches");
    app.select("#refresh".into()).expect("waits for the page");
    let pic = app.render_rgba(320.0, 480.0, 1.0).expect("renders");
    assert_eq!((pic.width, pic.height), (320, 44 + 480 + 50));
    assert_eq!(&pic.pixels[..4], &[0x1f, 0x6f, 0xeb, 255]);
    assert!(!app.take_frames().is_empty(), "the frames are still delivered");
    assert!(app.render_rgba(f32::NAN, 480.0, 1.0).is_err());
    app.stop();
}

/// The header declares the raster functions under `MINIAPP_RASTER`: the README's C snippet
/// (`examples/embed/c/draw.c`) compiles against it.
#[test]
fn the_header_declares_render_rgba_under_its_define() {
    run(
        std::process::Command::new("gcc")
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I"])
            .arg(crate_dir().join("include"))
            .arg(crate_dir().join("../examples/embed/c/draw.c")),
        "gcc (examples/embed/c/draw.c)",
    );
}
