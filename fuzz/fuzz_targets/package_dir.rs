//! A project directory from the fuzzer's bytes (text format: `miniapp_fuzz::entries`), written
//! to a fresh temporary folder and loaded as a host loads it: the directory walk (`Package::open`
//! with DevTools' build npm), `app.json` and every page and component config it leads to, and
//! the compatibility report. Symbolic links may point anywhere: the loader must not follow them
//! out of the package, loop on them, or hang on what they name. (What is compiled from the
//! files is the `package_zip`, `templates` and `styles` targets' part.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use miniapp_core::config::AppManifest;
use miniapp_core::package::Package;
use miniapp_fuzz::{entries, stays_inside, Entry};

fuzz_target!(init: miniapp_fuzz::crash_only_on_uncaught_panics(), |data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    for entry in entries(data) {
        let path = match &entry {
            Entry::File(p, _) | Entry::Dir(p) | Entry::Link(p, _) => *p,
        };
        if !stays_inside(path) {
            continue;
        }
        let at = root.join(path);
        if let Some(parent) = at.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = match entry {
            Entry::File(_, bytes) => std::fs::write(&at, bytes),
            Entry::Dir(_) => std::fs::create_dir_all(&at),
            // absolute targets are left out: the harness must not hand the loader the
            // machine's own files (a relative `../..` still leaves the package)
            Entry::Link(_, target) if !target.starts_with('/') => {
                std::os::unix::fs::symlink(target, &at)
            }
            Entry::Link(..) => Ok(()),
        };
    }
    if let Ok(package) = Package::open(root) {
        let mut diags = package.diagnostics().clone();
        if let Some(manifest) = AppManifest::load(&package, &mut diags) {
            let _ = miniapp_core::report::compatibility(&package, &manifest, &diags).to_string();
        }
        let _ = diags.to_string();
    }
});
