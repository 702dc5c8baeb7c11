//! Raster benches: painting the page on screen to pixels at 375×667@2 with the machine's fonts
//! (the campus home page and the 1000-row list), from a scene that already holds the frames;
//! and applying the 1000-row page's frames to a fresh scene. Run:
//! `cargo bench -p miniapp-benches --bench paint`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use miniapp_benches::list_app;
use miniapp_core::capability::Policy;
use miniapp_core::package::Package;
use miniapp_core::view::Frame;
use miniapp_core::{AppInstance, InstanceConfig};
use miniapp_raster::{FontMeasurer, Fonts, Scene};

/// The frames of `pkg` launched with real-font layout, as `miniapp run --fonts real` makes them.
fn frames(pkg: Package) -> Vec<Frame> {
    let config = InstanceConfig {
        policy: Policy::headless_default(),
        text_measurer: Some(std::sync::Arc::new(FontMeasurer::new())),
        ..InstanceConfig::default()
    };
    let mut app = AppInstance::open(pkg, config).expect("open");
    app.launch(None, 1001).expect("launch");
    app.settle(5_000.0).expect("settle");
    app.take_frames()
}

fn scene(frames: &[Frame]) -> Scene {
    let mut scene = Scene::new();
    for f in frames {
        scene.apply(f).expect("in order");
    }
    scene
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("paint");
    g.sample_size(20);
    let mut fonts = Fonts::new();
    assert!(fonts.faces() > 0, "install fonts (fonts-dejavu-core, fonts-wqy-microhei)");

    let campus_dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/campus"));
    let campus_pkg = Package::open_dir(campus_dir).expect("campus");
    let campus = scene(&frames(campus_pkg.clone()));
    g.bench_function("campus_home_375x667@2 (scene -> pixels)", |b| {
        b.iter(|| campus.paint(&mut fonts, &campus_pkg, 375.0, 667.0, 2.0).expect("paints"))
    });

    let list_pkg = list_app(1000);
    let list_frames = frames(list_pkg.clone());
    let list = scene(&list_frames);
    // the rows' text is drawn (the picture is not just the white page)
    let first = list.paint(&mut fonts, &list_pkg, 375.0, 667.0, 2.0).expect("paints");
    let ink = (0..first.height())
        .step_by(4)
        .filter(|y| (0..first.width()).any(|x| first.pixel(x, *y).is_some_and(|p| p[0] < 128)));
    assert!(ink.count() > 40, "the list's rows are drawn");
    g.bench_function("list_1000_rows_375x667@2 (scene -> pixels)", |b| {
        b.iter(|| list.paint(&mut fonts, &list_pkg, 375.0, 667.0, 2.0).expect("paints"))
    });
    g.bench_function("list_1000_rows (frames -> scene)", |b| b.iter(|| scene(&list_frames)));
    g.finish();
}

criterion_group!(paint, benches);
criterion_main!(paint);
