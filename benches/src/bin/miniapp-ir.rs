//! Runs one bench scenario once, its measured part inside [`counted`], for
//! `benches/callgrind.sh` (which counts instructions only there:
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*counted*'`).
//!
//! `miniapp-ir cold-start | first-render ROWS | set-row ROWS | retitle-row ROWS | tap`
//!
//! Prints the measured part's wall time (`measured: 1.234 ms`), which `benches/simulate`
//! compares with `miniprogram-simulate` running the same page.

use std::time::Duration;

use miniapp_benches::{campus_dir, launched_with, list_app};
use miniapp_core::engine::Limits;
use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};
use serde_json::json;

/// The benches' configuration, with no task time limit: under valgrind everything runs ~50×
/// slower, and a first render of 5,000 rows would pass the default 10 s.
fn config() -> InstanceConfig {
    let limits = Limits { task_time: Duration::from_secs(24 * 3600), ..Limits::default() };
    InstanceConfig { limits, ..miniapp_benches::config() }
}

fn launched(pkg: Package) -> AppInstance {
    launched_with(pkg, config())
}

/// The part whose instructions are counted, timed outside it (the count leaves the clock
/// and the printing out).
fn measured<T>(f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = counted(f);
    println!("measured: {:.3} ms", start.elapsed().as_secs_f64() * 1000.0);
    out
}

#[inline(never)]
fn counted<T>(f: impl FnOnce() -> T) -> T {
    std::hint::black_box(f())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows = || -> usize {
        args.get(1).and_then(|n| n.parse().ok()).unwrap_or_else(|| usage("ROWS must be a number"))
    };
    match args.first().map(String::as_str) {
        Some("cold-start") => {
            let pkg = Package::open_dir(campus_dir()).expect("campus");
            // the instance leaves the measured part: dropping it is not the cold start
            let app = measured(|| {
                let mut app = AppInstance::open(pkg, config()).expect("open");
                app.launch(None, 1001).expect("launch");
                app.take_frames();
                app
            });
            drop(app);
        }
        Some("first-render") => {
            let mut app = AppInstance::open(list_app(rows()), config()).expect("open");
            measured(|| {
                app.launch(None, 1001).expect("launch");
                app.take_frames().len()
            });
        }
        Some("set-row") => one_event(list_app(rows()), "#set-row"),
        Some("retitle-row") => one_event(list_app(rows()), "#retitle-row"),
        Some("tap") => one_event(list_app(1000), "#bump"),
        _ => usage("unknown scenario"),
    }
}

/// A tap on `selector` of `pkg` launched: once before (as criterion's warm-up does), then
/// measured.
fn one_event(pkg: Package, selector: &str) {
    let mut app = launched(pkg);
    let node = app.select(selector).expect("selects");
    app.dispatch(node, "tap", json!({})).expect("dispatch");
    app.take_frames();
    measured(|| {
        app.dispatch(node, "tap", json!({})).expect("dispatch");
        app.take_frames().len()
    });
}

fn usage(why: &str) -> ! {
    eprintln!(
        "miniapp-ir: {why}\nusage: miniapp-ir cold-start | first-render ROWS | set-row ROWS | retitle-row ROWS | tap"
    );
    std::process::exit(64)
}
