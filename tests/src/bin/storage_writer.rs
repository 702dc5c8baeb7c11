//! Test helper for `tests/tests/storage.rs`: writes `k<i>` values into an app's storage
//! forever, printing `ack <i>` after each write returned, until it is killed.
//! Usage: storage_writer <data dir> <app id> <first index>

use std::io::Write;
use std::path::PathBuf;

use miniapp_core::capability::StorageLimits;
use miniapp_core::storage::Storage;
use miniapp_tests::storage_test_value as value_for;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(app), Some(first)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: storage_writer <data dir> <app id> <first index>");
        std::process::exit(64);
    };
    let first: u64 = first.parse().unwrap_or(0);
    let limits = StorageLimits { quota_bytes: 64 * 1024 * 1024, max_value_bytes: 1024 * 1024 };
    let mut storage = match Storage::open(Some(&PathBuf::from(dir)), &app, limits) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("open failed: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    for i in first.. {
        // Keys cycle so the database stays small while values keep being replaced.
        if let Err(e) = storage.set(&format!("k{}", i % 200), "json", &value_for(i)) {
            eprintln!("write {i} failed: {e}");
            std::process::exit(1);
        }
        if writeln!(out, "ack {i}").and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}
