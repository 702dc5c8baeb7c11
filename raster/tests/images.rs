//! `<image>` from the package, drawn by `mode`: a 4×2 red-and-blue PNG (left half red, right
//! half blue) in a 200×50 box, stretched by `scaleToFill` and centred by `aspectFit`.
#![allow(clippy::expect_used)] // a test: a failed step is a failure

use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};
use miniapp_raster::{Fonts, Picture, Scene};

fn png() -> Vec<u8> {
    let mut p = tiny_skia::Pixmap::new(4, 2).expect("pixmap");
    for (i, px) in p.pixels_mut().iter_mut().enumerate() {
        let (r, b) = if i % 4 < 2 { (255, 0) } else { (0, 255) };
        *px = tiny_skia::ColorU8::from_rgba(r, 0, b, 255).premultiply();
    }
    p.encode_png().expect("png")
}

fn picture(mode: &str) -> Picture {
    let dir =
        std::env::temp_dir().join(format!("miniapp-raster-img-{}-{mode}", std::process::id()));
    std::fs::create_dir_all(dir.join("pages/index")).expect("dirs");
    std::fs::write(
        dir.join("app.json"),
        r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#,
    )
    .expect("write");
    std::fs::write(dir.join("app.js"), "App({})").expect("write");
    std::fs::write(dir.join("pages/index/index.js"), "Page({})").expect("write");
    std::fs::write(
        dir.join("pages/index/index.wxml"),
        format!(
            r#"<image src="/pic.png" mode="{mode}" style="display:block;width:200px;height:50px"/>"#
        ),
    )
    .expect("write");
    std::fs::write(dir.join("pic.png"), png()).expect("write");
    let mut app =
        AppInstance::open(Package::open_dir(&dir).expect("opens"), InstanceConfig::default())
            .expect("starts");
    app.launch(None, 1001).expect("launches");
    let mut scene = Scene::new();
    for frame in app.take_frames() {
        scene.apply(&frame).expect("in order");
    }
    let images = Package::open_dir(&dir).expect("opens");
    let picture = scene.paint(&mut Fonts::new(), &images, 375.0, 667.0, 1.0).expect("paints");
    let _ = std::fs::remove_dir_all(&dir);
    picture
}

#[test]
fn images_are_drawn_by_mode() {
    let fill = picture("scaleToFill");
    // stretched over the whole box: red on the left, blue on the right, nothing below it
    assert_eq!(fill.pixel(10, 25), Some([255, 0, 0, 255]));
    assert_eq!(fill.pixel(190, 25), Some([0, 0, 255, 255]));
    assert_eq!(fill.pixel(10, 60), Some([255, 255, 255, 255]));
    // aspectFit: 100×50 centred, the box's sides stay empty
    let fit = picture("aspectFit");
    assert_eq!(fit.pixel(20, 25), Some([255, 255, 255, 255]));
    assert_eq!(fit.pixel(60, 25), Some([255, 0, 0, 255]));
    assert_eq!(fit.pixel(140, 25), Some([0, 0, 255, 255]));
    assert_eq!(fit.pixel(180, 25), Some([255, 255, 255, 255]));
}
