//! Visual snapshots: pages drawn by `miniapp run --fonts real --screenshot` and compared with
//! reviewed pictures in `tests/visual/` (the campus pages, two built-in fixtures and
//! `tests/visual/looks`, every built-in's look on one page; 375×667 at ratio 1, the machine's DejaVu and
//! WenQuanYi Micro Hei fonts, which `.ci/run` installs from Debian).
//!
//! A pixel differs when a channel is off by more than [`CHANNEL_TOLERANCE`]; a page fails when
//! more than [`DIFFERING_PIXELS`] of its pixels differ (anti-aliasing that moves with a font
//! build stays under it; a moved box, a lost border or a wrong color does not). On failure the
//! new picture and a diff (differing pixels red over a faded copy of the reviewed one) are
//! written to `target/visual-diffs/`. After a deliberate change, review them and update with
//! `MINIAPP_UPDATE_SNAPSHOTS=1 cargo test -p miniapp-cli --test visual`.

#![allow(clippy::expect_used)] // a test: a failed step is a failure

use std::path::{Path, PathBuf};
use std::process::Command;

const CHANNEL_TOLERANCE: u8 = 40;
const DIFFERING_PIXELS: f64 = 0.002;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Rgba {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

fn decode(png: &[u8]) -> Rgba {
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("a PNG")
        .to_rgba8();
    Rgba { width: img.width(), height: img.height(), pixels: img.into_raw() }
}

fn write_png(path: &Path, p: &Rgba) {
    image::save_buffer(path, &p.pixels, p.width, p.height, image::ExtendedColorType::Rgba8)
        .expect("write PNG");
}

/// Draws `page` of `app` and compares it with `tests/visual/<name>.png`.
fn check(name: &str, app: &str, page: &str) -> Result<(), String> {
    let out_dir = repo().join("target/visual-diffs");
    std::fs::create_dir_all(&out_dir).expect("target dir");
    let actual_path = out_dir.join(format!("{name}.png"));
    let out = Command::new(env!("CARGO_BIN_EXE_miniapp"))
        .args(["run", &repo().join(app).to_string_lossy(), "--page", page])
        .args(["--fonts", "real", "--viewport", "375x667@1", "--dump", "json", "--screenshot"])
        .arg(&actual_path)
        .output()
        .expect("miniapp runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !actual_path.exists() {
        return Err(format!("{name}: no picture was written:\n{stderr}"));
    }
    if stderr.contains("no fonts found") {
        return Err(format!("{name}: no fonts on this machine: install fonts-dejavu-core and fonts-wqy-microhei (`.ci/run` does)"));
    }
    let reviewed_path = repo().join("cli/tests/visual").join(format!("{name}.png"));
    let actual_bytes = std::fs::read(&actual_path).expect("read picture");
    if std::env::var_os("MINIAPP_UPDATE_SNAPSHOTS").is_some() {
        std::fs::copy(&actual_path, &reviewed_path).expect("update the reviewed picture");
        return Ok(());
    }
    let Ok(reviewed_bytes) = std::fs::read(&reviewed_path) else {
        return Err(format!(
            "{name}: no reviewed picture {}: look at {} and, if it is right, run with MINIAPP_UPDATE_SNAPSHOTS=1",
            reviewed_path.display(),
            actual_path.display()
        ));
    };
    let (actual, reviewed) = (decode(&actual_bytes), decode(&reviewed_bytes));
    if (actual.width, actual.height) != (reviewed.width, reviewed.height) {
        return Err(format!(
            "{name}: {}×{} px, the reviewed picture is {}×{} (new picture: {})",
            actual.width,
            actual.height,
            reviewed.width,
            reviewed.height,
            actual_path.display()
        ));
    }
    let mut diff = Rgba { width: actual.width, height: actual.height, pixels: Vec::new() };
    let mut differing = 0usize;
    for (a, r) in actual.pixels.chunks(4).zip(reviewed.pixels.chunks(4)) {
        let off = a.iter().zip(r).any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE);
        if off {
            differing += 1;
            diff.pixels.extend([255, 0, 0, 255]);
        } else {
            // the reviewed picture, faded, for orientation
            diff.pixels.extend(r[..3].iter().map(|c| 192 + c / 4).chain([255]));
        }
    }
    let share = differing as f64 / (actual.width * actual.height) as f64;
    if share > DIFFERING_PIXELS {
        let diff_path = out_dir.join(format!("{name}.diff.png"));
        write_png(&diff_path, &diff);
        return Err(format!(
            "{name}: {differing} pixels ({:.2}%) differ from {} (allowed {:.2}%): new picture {}, diff {}",
            share * 100.0,
            reviewed_path.display(),
            DIFFERING_PIXELS * 100.0,
            actual_path.display(),
            diff_path.display()
        ));
    }
    Ok(())
}

/// Every page in one test, so one run reports them all.
#[test]
fn pages_look_as_reviewed() {
    let pages = [
        ("campus-index", "examples/campus", "pages/index/index"),
        ("campus-detail", "examples/campus", "pages/detail/detail?id=1"),
        ("campus-schedule", "examples/campus", "pages/schedule/schedule"),
        ("campus-events", "examples/campus", "pages/events/events"),
        ("campus-feedback", "examples/campus", "pages/feedback/feedback"),
        ("campus-about", "examples/campus", "pages/about/about"),
        ("builtin-fields", "tests/fixtures/builtin_fields/app", "pages/index/index"),
        ("builtin-looks", "cli/tests/visual/looks", "pages/index/index"),
        ("builtin-scroll-swiper", "tests/fixtures/builtin_scroll_swiper/app", "pages/index/index"),
    ];
    let failures: Vec<String> =
        pages.iter().filter_map(|(name, app, page)| check(name, app, page).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
