//! Shared pieces of the fuzz targets: a plain-text package format the fuzzer can mutate, and
//! the open path every target ends in.
//!
//! A package as text is a list of entries, each a header line `=== <path>` followed by the
//! file's bytes up to the next header. A path ending in `/` is a directory; contents starting
//! with `-> ` make a symbolic link to the rest of the line. Seeds are made from real projects
//! with `fuzz/seeds.sh`.

use miniapp_core::package::Package;
use miniapp_core::runtime::prepare::{prepare, Prepared};

/// Each target's `init`: a panic the code under test catches on purpose (third-party compiler
/// code failing on one file: `miniapp_core::compile::third_party`) is not a crash. libfuzzer-sys
/// installs a hook that aborts on every panic, caught or not; this one only prints it. A panic
/// that reaches the target's boundary still aborts there (libfuzzer-sys catches it and aborts),
/// so it is recorded as a crash, with its message printed just before.
pub fn crash_only_on_uncaught_panics() {
    std::panic::set_hook(Box::new(|info| eprintln!("panic (a crash unless caught): {info}")));
}

/// One entry of a package written as text.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry<'a> {
    /// A file and its bytes.
    File(&'a str, &'a [u8]),
    /// An empty directory.
    Dir(&'a str),
    /// A symbolic link and its target, as written.
    Link(&'a str, &'a str),
}

/// Splits a package written as text into its entries (paths are not checked here).
pub fn entries(data: &[u8]) -> Vec<Entry<'_>> {
    const HEADER: &[u8] = b"=== ";
    let mut starts: Vec<usize> = Vec::new();
    let mut at = 0;
    while at < data.len() {
        if data[at..].starts_with(HEADER) {
            starts.push(at);
        }
        at = match data[at..].iter().position(|&b| b == b'\n') {
            Some(n) => at + n + 1,
            None => data.len(),
        };
    }
    let mut out = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(data.len());
        let block = &data[start + HEADER.len()..end];
        let (name, body) = match block.iter().position(|&b| b == b'\n') {
            Some(n) => (&block[..n], &block[n + 1..]),
            None => (block, &block[block.len()..]),
        };
        let Ok(name) = std::str::from_utf8(name) else { continue };
        let name = name.trim_end_matches('\r');
        if let Some(dir) = name.strip_suffix('/') {
            out.push(Entry::Dir(dir));
        } else if let Some(target) = body.strip_prefix(b"-> ") {
            let line = target.split(|&b| b == b'\n').next().unwrap_or_default();
            if let Ok(t) = std::str::from_utf8(line) {
                out.push(Entry::Link(name, t));
            }
        } else {
            out.push(Entry::File(name, body));
        }
    }
    out
}

/// Whether `path` names a place inside the folder it is written to: relative, no `..`, no
/// empty or `.` parts (the harness writes only there; what the loader does with links that
/// leave is what is being tested).
pub fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

/// What every target ends in: the open path (`prepare`), then the compatibility report and
/// the diagnostics as `check` prints them.
pub fn open_and_report(package: Package) -> Prepared {
    let prepared = prepare(package);
    if let Some(manifest) = &prepared.manifest {
        let report =
            miniapp_core::report::compatibility(&prepared.package, manifest, &prepared.diagnostics);
        let _ = report.to_string();
    }
    let _ = prepared.diagnostics.to_string();
    prepared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_split_at_headers() {
        let text = b"=== app.json\n{}\n=== pages/\n=== link\n-> ../x\n=== a.wxml\n<view/>";
        assert_eq!(
            entries(text),
            vec![
                Entry::File("app.json", b"{}\n"),
                Entry::Dir("pages"),
                Entry::Link("link", "../x"),
                Entry::File("a.wxml", b"<view/>"),
            ]
        );
        assert!(stays_inside("pages/a.wxml"));
        assert!(!stays_inside("../a") && !stays_inside("/a") && !stays_inside("a//b"));
    }
}
