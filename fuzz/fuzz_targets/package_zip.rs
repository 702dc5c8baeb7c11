//! A packed project (a ZIP archive) from the fuzzer's bytes, opened as a host opens it:
//! `Package::open` on the file, then everything compiled before scripts run. Entry names that
//! leave the root, symlink entries, lying sizes and bombs must all end as diagnostics.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use miniapp_core::package::Package;
use miniapp_fuzz::open_and_report;

fuzz_target!(init: miniapp_fuzz::crash_only_on_uncaught_panics(), |data: &[u8]| {
    let Ok(mut file) = tempfile::Builder::new().suffix(".zip").tempfile() else { return };
    if file.write_all(data).and_then(|()| file.flush()).is_err() {
        return;
    }
    if let Ok(package) = Package::open(file.path()) {
        open_and_report(package);
    }
});
