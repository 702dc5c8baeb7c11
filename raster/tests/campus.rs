//! The campus example drawn from its frames: the picture's size at the pixel ratio, the
//! navigation bar's color and title, the hero card's gradient, the tab bar, and text drawn
//! with the machine's fonts (`.ci/run` installs DejaVu and WenQuanYi Micro Hei).
#![allow(clippy::expect_used)] // a test: a failed step is a failure

use std::path::PathBuf;

use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};
use miniapp_raster::{Fonts, NoImages, Picture, Scene};

fn campus_picture(real_fonts: bool) -> Picture {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/campus");
    let mut config = InstanceConfig::default();
    if real_fonts {
        config.text_measurer = Some(std::sync::Arc::new(miniapp_raster::FontMeasurer::new()));
    }
    let mut app = AppInstance::open(Package::open_dir(dir).expect("campus opens"), config)
        .expect("campus starts");
    app.launch(None, 1001).expect("campus launches");
    app.settle(5_000.0).expect("timers settle");
    let mut scene = Scene::new();
    for frame in app.take_frames() {
        scene.apply(&frame).expect("frames in order");
    }
    scene.paint(&mut Fonts::new(), &NoImages, 375.0, 667.0, 2.0).expect("the page paints")
}

fn close(a: [u8; 4], b: [u8; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3)
}

/// Pixels in a CSS-px rectangle that differ from `background`.
fn inked(p: &Picture, [x, y, w, h]: [u32; 4], background: [u8; 4]) -> usize {
    let mut n = 0;
    for py in y * 2..(y + h) * 2 {
        for px in x * 2..(x + w) * 2 {
            if p.pixel(px, py).is_some_and(|c| !close(c, background)) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn the_campus_home_page_is_drawn_from_its_frames() {
    let p = campus_picture(true);
    // navigation bar 44 + window 667 + tab bar 50, at 2 device px per px
    assert_eq!((p.width(), p.height()), (750, 1522));
    let blue = [0x1f, 0x6f, 0xeb, 255];
    assert!(close(p.pixel(4, 4).unwrap_or_default(), blue), "{:?}", p.pixel(4, 4));
    // the title is drawn in white on it
    assert!(inked(&p, [100, 8, 175, 28], blue) > 500, "no title text on the navigation bar");
    // the hero card: a 135deg gradient from #1f6feb to #4f8ff7, lighter at the bottom right
    let (top_left, bottom_right) =
        (p.pixel(60, 130).unwrap_or_default(), p.pixel(700, 200).unwrap_or_default());
    assert!(top_left[2] > 200 && bottom_right[2] > 200, "{top_left:?} {bottom_right:?}");
    assert!(bottom_right[0] > top_left[0] + 20, "{top_left:?} {bottom_right:?}");
    // page background #f5f6f8 between the cards
    assert!(close(p.pixel(4, 330).unwrap_or_default(), [0xf5, 0xf6, 0xf8, 255]));
    // the tab bar: white with its labels, the selected one in the selected color
    assert!(close(p.pixel(4, 1500).unwrap_or_default(), [255, 255, 255, 255]));
    assert!(inked(&p, [0, 725, 375, 30], [255, 255, 255, 255]) > 300, "no tab labels");
    assert!(p.png().is_ok_and(|png| png.starts_with(b"\x89PNG")));
}

#[test]
fn formula_measurement_still_paints_every_box() {
    // the deterministic measurer sizes boxes by formula; the picture keeps the same frame
    let p = campus_picture(false);
    assert_eq!((p.width(), p.height()), (750, 1522));
    assert!(close(p.pixel(4, 4).unwrap_or_default(), [0x1f, 0x6f, 0xeb, 255]));
}

#[test]
fn frames_must_come_in_order() {
    let mut scene = Scene::new();
    let late = miniapp_core::view::Frame { version: 2, seq: 2, ops: Vec::new() };
    assert!(scene.apply(&late).is_err_and(|e| e.contains("in order")));
    assert!(scene
        .paint(&mut Fonts::new(), &NoImages, 375.0, 667.0, 2.0)
        .is_err_and(|e| e.contains("no page")));
}
