//! Runtime benches: cold start, first render of a 1000-row list, one-row setData, tap → frame.
//! Run: `cargo bench -p miniapp-benches`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use miniapp_benches::list_app;
use miniapp_core::capability::Policy;
use miniapp_core::package::signing::SecretKey;
use miniapp_core::package::{packed, Package};
use miniapp_core::runtime::prepare::precompile;
use miniapp_core::{AppInstance, InstanceConfig};
use serde_json::json;

fn campus_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/campus"))
}

/// What the campus example needs from its host.
fn config() -> InstanceConfig {
    InstanceConfig { policy: Policy::headless_default(), ..InstanceConfig::default() }
}

fn launched(pkg: Package) -> AppInstance {
    let mut app = AppInstance::open(pkg, config()).expect("open");
    app.launch(None, 1001).expect("launch");
    app.take_frames();
    app
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("runtime");
    g.sample_size(20);

    g.bench_function("cold_start_campus (open dir -> first frame)", |b| {
        b.iter(|| {
            let pkg = Package::open_dir(campus_dir()).expect("package");
            let mut app = AppInstance::open(pkg, config()).expect("open");
            app.launch(None, 1001).expect("launch");
            let frames = app.take_frames();
            assert!(!frames.is_empty());
            frames.len()
        })
    });

    // The same app from a signed packed archive with its compiled section (`miniapp pack`):
    // nothing is compiled, scripts and templates load as bytecode.
    let key = SecretKey::generate().expect("key");
    let source = Package::open_dir(campus_dir()).expect("package");
    let compiled = precompile(&source).expect("compiles");
    let archive = std::env::temp_dir().join(format!("miniapp-bench-{}.mpk", std::process::id()));
    let bytes = packed::pack_compiled(&source, "1.0.0", Some(&key), &compiled).expect("packs");
    std::fs::write(&archive, bytes).expect("write");
    let trusted = [key.public()];
    g.bench_function("cold_start_campus_packed (open signed .mpk -> first frame)", |b| {
        b.iter(|| {
            let (pkg, _) = Package::open_packed(&archive, &trusted).expect("package");
            let mut app = AppInstance::open(pkg, config()).expect("open");
            app.launch(None, 1001).expect("launch");
            let frames = app.take_frames();
            assert!(!frames.is_empty());
            frames.len()
        })
    });
    let _ = std::fs::remove_file(&archive);

    let pkg = list_app(1000);
    g.bench_function("first_render_1000_rows (launch -> frames)", |b| {
        b.iter_batched(
            || AppInstance::open(pkg.clone(), config()).expect("open"),
            |mut app| {
                app.launch(None, 1001).expect("launch");
                let ops: usize = app.take_frames().iter().map(|f| f.ops.len()).sum();
                assert!(ops > 5000, "{ops}");
                app
            },
            BatchSize::PerIteration,
        )
    });

    let mut app = launched(list_app(1000));
    let set_row = app.select("#set-row").expect("#set-row");
    g.bench_function("set_data_one_row_of_1000 (event -> frame)", |b| {
        b.iter(|| {
            app.dispatch(set_row, "tap", json!({})).expect("dispatch");
            let frames = app.take_frames();
            assert_eq!(frames.len(), 1);
            frames
        })
    });

    let bump = app.select("#bump").expect("#bump");
    g.bench_function("tap_handler_frame (event -> setData -> frame)", |b| {
        b.iter(|| {
            app.dispatch(bump, "tap", json!({})).expect("dispatch");
            app.take_frames()
        })
    });
    let mut campus = launched(Package::open_dir(campus_dir()).expect("package"));
    let refresh = campus.select("#refresh").expect("#refresh");
    g.bench_function("campus_refresh_tap (in-process event -> frame; compare ffi/*)", |b| {
        b.iter(|| {
            campus.dispatch(refresh, "tap", json!({})).expect("dispatch");
            campus.take_frames()
        })
    });
    g.finish();
}

criterion_group!(runtime, benches);
criterion_main!(runtime);
