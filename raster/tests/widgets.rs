//! The built-ins a host draws as widgets, and transformed boxes, checked at known pixels
//! (1 device px per CSS px, no navigation bar, white page).
#![allow(clippy::expect_used)] // a test: a failed step is a failure

use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};
use miniapp_raster::{Fonts, NoImages, Picture, Scene};

fn paint(wxml: &str) -> Picture {
    let pkg = Package::from_sources(
        [
            ("app.json", r#"{"pages":["p/i"],"window":{"navigationStyle":"custom"}}"#),
            ("app.js", "App({})"),
            ("p/i.js", "Page({})"),
            ("p/i.wxml", wxml),
        ]
        .map(|(p, s)| (p.to_string(), s.to_string())),
    );
    let mut app = AppInstance::open(pkg, InstanceConfig::default()).expect("starts");
    app.launch(None, 1001).expect("launches");
    let mut scene = Scene::new();
    for frame in app.take_frames() {
        scene.apply(&frame).expect("in order");
    }
    scene.paint(&mut Fonts::new(), &NoImages, 375.0, 667.0, 1.0).expect("paints")
}

const WHITE: [u8; 4] = [255, 255, 255, 255];

/// True when `p` is within 8 of `want` on every channel (anti-aliased edges aside).
fn near(p: Option<[u8; 4]>, want: [u8; 4]) -> bool {
    p.is_some_and(|p| p.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 8))
}

#[test]
fn switches_show_their_state_in_their_color() {
    let pic = paint(
        r##"<switch checked style="display:block" />
<switch style="display:block" />
<switch checked color="#ff0000" style="display:block" />"##,
    );
    // on: the green track on the left, the white knob on the right
    assert!(near(pic.pixel(8, 16), [0x04, 0xbe, 0x02, 255]), "{:?}", pic.pixel(8, 16));
    assert!(near(pic.pixel(36, 16), WHITE));
    // off: a white inside with the knob on the left; a gray edge
    assert!(near(pic.pixel(44, 32 + 16), [0xfd, 0xfd, 0xfd, 255]), "{:?}", pic.pixel(44, 48));
    assert!(near(pic.pixel(26, 32), [0xdf, 0xdf, 0xdf, 255]), "{:?}", pic.pixel(26, 32));
    // `color`
    assert!(near(pic.pixel(8, 64 + 16), [255, 0, 0, 255]));
}

#[test]
fn progress_checkbox_radio_and_slider_fill_to_their_values() {
    let pic = paint(
        r##"<progress percent="25" stroke-width="10" style="position:absolute;top:0;left:0;width:200px" />
<checkbox checked style="position:absolute;top:40px;left:0" />
<radio checked color="#0000ff" style="position:absolute;top:80px;left:0" />
<slider value="75" style="position:absolute;top:120px;left:0;width:200px;margin:0" />"##,
    );
    // progress: 0..50 active, 50..200 track, 10 px high
    assert!(near(pic.pixel(20, 5), [0x09, 0xbb, 0x07, 255]), "{:?}", pic.pixel(20, 5));
    assert!(near(pic.pixel(120, 5), [0xeb, 0xeb, 0xeb, 255]), "{:?}", pic.pixel(120, 5));
    // checkbox at y 40..64: a gray edge, a white corner inside, a green check
    assert!(near(pic.pixel(0, 52), [0xd1, 0xd1, 0xd1, 255]), "{:?}", pic.pixel(0, 52));
    assert!(near(pic.pixel(3, 43), WHITE));
    let green = (0..24).flat_map(|x| (40..64).map(move |y| (x, y)));
    assert!(green.filter(|(x, y)| near(pic.pixel(*x, *y), [0x09, 0xbb, 0x07, 255])).count() > 20);
    // radio at y 80..104: a blue disc with a white check
    assert!(near(pic.pixel(4, 92), [0, 0, 255, 255]), "{:?}", pic.pixel(4, 92));
    // slider at y 120..148: the thumb at 150; active track left of it, gray right of it
    assert!(near(pic.pixel(60, 134), [0x1a, 0xad, 0x19, 255]), "{:?}", pic.pixel(60, 134));
    assert!(near(pic.pixel(190, 134), [0xe9, 0xe9, 0xe9, 255]), "{:?}", pic.pixel(190, 134));
    assert!(near(pic.pixel(150, 134), WHITE));
}

#[test]
fn icons_are_drawn_at_their_size_and_inputs_show_placeholders() {
    let pic = paint(
        r##"<icon type="cancel" size="40" color="#ff0000" style="position:absolute;top:0;left:0" />
<input placeholder="Name here" style="position:absolute;top:40px;left:0;width:200px;font-size:20px;height:40px" />"##,
    );
    // a red disc with a white cross: red near the edge, white at the centre
    assert!(near(pic.pixel(20, 4), [255, 0, 0, 255]), "{:?}", pic.pixel(20, 4));
    assert!(near(pic.pixel(20, 20), WHITE));
    // the placeholder is drawn in gray somewhere in the input's row
    let gray = (0..150).flat_map(|x| (40..80).map(move |y| (x, y))).any(|(x, y)| {
        pic.pixel(x, y)
            .is_some_and(|[r, g, b, _]| r < 200 && r.abs_diff(g) < 10 && g.abs_diff(b) < 10)
    });
    assert!(gray, "the placeholder text is drawn");
}

#[test]
fn transforms_move_rotate_and_scale_boxes_about_their_origin() {
    let pic = paint(
        r##"<view style="width:100px;height:20px;background:#ff0000;transform:rotate(90deg)" />
<view style="width:20px;height:20px;background:#0000ff;transform:translate(200px, 0) scale(2);transform-origin:0 0" />"##,
    );
    // the 100×20 bar at (0, 0) turned about its centre (50, 10): now x 40..60, y -40..60
    assert!(near(pic.pixel(50, 50), [255, 0, 0, 255]), "{:?}", pic.pixel(50, 50));
    assert!(near(pic.pixel(5, 10), WHITE), "its old left end is empty");
    // the blue square moved right by 200 and doubled from its top-left corner (y 20..60)
    assert!(near(pic.pixel(235, 55), [0, 0, 255, 255]), "{:?}", pic.pixel(235, 55));
    assert!(near(pic.pixel(10, 30), WHITE), "its old place is empty");
}
