//! Runtime benches: cold start, first render of a keyed list and one-row setData in it at 100,
//! 1,000 and 5,000 rows (to show growth), tap → frame.
//! Run: `cargo bench -p miniapp-benches --bench runtime`; instruction counts of the same
//! scenarios: `bash benches/callgrind.sh`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use miniapp_benches::{campus_dir, config, launched, list_app, LIST_SIZES};
use miniapp_core::package::signing::SecretKey;
use miniapp_core::package::{packed, Package};
use miniapp_core::runtime::prepare::precompile;
use miniapp_core::AppInstance;
use serde_json::json;

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("runtime");
    g.sample_size(20);

    g.bench_function("cold_start_campus (open dir -> first frame)", |b| {
        // the instance is returned, so dropping it (~12 M Ir) is not timed
        b.iter_with_large_drop(|| {
            let pkg = Package::open_dir(campus_dir()).expect("package");
            let mut app = AppInstance::open(pkg, config()).expect("open");
            app.launch(None, 1001).expect("launch");
            let frames = app.take_frames();
            assert!(!frames.is_empty());
            app
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
        // the instance is returned, so dropping it (~12 M Ir) is not timed
        b.iter_with_large_drop(|| {
            let (pkg, _) = Package::open_packed(&archive, &trusted).expect("package");
            let mut app = AppInstance::open(pkg, config()).expect("open");
            app.launch(None, 1001).expect("launch");
            let frames = app.take_frames();
            assert!(!frames.is_empty());
            app
        })
    });
    let _ = std::fs::remove_file(&archive);

    for rows in LIST_SIZES {
        let pkg = list_app(rows);
        g.sample_size(if rows > 1000 { 10 } else { 20 });
        g.bench_function(format!("first_render_{rows}_rows (launch -> frames)"), |b| {
            b.iter_batched(
                || AppInstance::open(pkg.clone(), config()).expect("open"),
                |mut app| {
                    app.launch(None, 1001).expect("launch");
                    let ops: usize = app.take_frames().iter().map(|f| f.ops.len()).sum();
                    assert!(ops > rows * 5, "{ops}");
                    app
                },
                BatchSize::PerIteration,
            )
        });
        let mut app = launched(pkg);
        let set_row = app.select("#set-row").expect("#set-row");
        g.bench_function(format!("set_data_one_row_of_{rows} (event -> frame)"), |b| {
            b.iter(|| {
                app.dispatch(set_row, "tap", json!({})).expect("dispatch");
                let frames = app.take_frames();
                assert_eq!(frames.len(), 1);
                frames
            })
        });
    }
    g.sample_size(20);

    let mut app = launched(list_app(1000));
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
