//! Packed packages: a ZIP of the project directory (what `zip -r app.zip app/` makes).
//!
//! Entries get the same normalisation and checks as files in a directory, plus what only
//! archives can attempt: `..` and absolute entry names (zip-slip) and symlink entries are
//! refused as fatal diagnostics, and sizes are checked while reading, not trusted from the
//! headers (zip bombs). When `app.json` is not at the top but inside one folder, that folder
//! is the package root.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::{path, Package, PackageError, MAX_FILES, MAX_SOURCE_BYTES};
use crate::diagnostic::{Code, Diagnostic, Level};

impl Package {
    /// Loads a ZIP archive of a project directory.
    pub fn open_archive(file: impl AsRef<Path>) -> Result<Package, PackageError> {
        let given = file.as_ref();
        let unreadable =
            |reason: String| PackageError::RootUnreadable { path: given.to_path_buf(), reason };
        let f = File::open(given).map_err(|e| unreadable(e.to_string()))?;
        let mut zip = zip::ZipArchive::new(f)
            .map_err(|e| unreadable(format!("not a readable ZIP archive: {e}")))?;
        if zip.len() > MAX_FILES {
            return Err(PackageError::TooLarge {
                path: given.to_path_buf(),
                what: format!("more than {MAX_FILES} entries"),
            });
        }
        let mut pkg = Package::from_sources(Vec::<(String, String)>::new());
        pkg.root = given.to_path_buf();
        let mut entries: Vec<(String, Option<Vec<u8>>)> = Vec::new();
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(|e| unreadable(format!("entry {i}: {e}")))?;
            let raw =
                entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("<entry {i}>"));
            if entry.is_dir() {
                continue;
            }
            if entry.is_symlink() {
                pkg.diagnostics.push(Diagnostic::new(
                    Level::Fatal,
                    Code::PathEscapes,
                    raw,
                    "symlink entries are not allowed in a packed mini program; store the file itself",
                ));
                continue;
            }
            let name = match path::normalize(&raw) {
                Ok(n) if !raw.starts_with('/') && !raw.contains('\\') => n,
                Ok(_) | Err(_) => {
                    pkg.diagnostics.push(Diagnostic::new(
                        Level::Fatal,
                        Code::PathEscapes,
                        raw.clone(),
                        format!("archive entry `{raw}` leaves the package root; entries must be relative paths inside it"),
                    ));
                    continue;
                }
            };
            if name.split('/').any(|seg| seg.starts_with('.') || seg == "node_modules") {
                continue;
            }
            let is_source = super::is_source(&name);
            if !is_source {
                entries.push((name, None));
                continue;
            }
            // Read at most what the remaining budget allows, whatever the header claims.
            let budget = MAX_SOURCE_BYTES.saturating_sub(total);
            let mut bytes = Vec::new();
            (&mut entry)
                .take(budget + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| unreadable(format!("entry `{raw}`: {e}")))?;
            total += bytes.len() as u64;
            if total > MAX_SOURCE_BYTES {
                return Err(PackageError::TooLarge {
                    path: given.to_path_buf(),
                    what: format!("more than {MAX_SOURCE_BYTES} bytes of source"),
                });
            }
            entries.push((name, Some(bytes)));
        }
        pkg.fill_from_entries(entries);
        Ok(pkg)
    }

    /// Takes an archive's files (name → bytes, `None` for an asset left in the archive) as
    /// the package's: inside the one top folder holding `app.json` when there is one.
    pub(super) fn fill_from_entries(&mut self, entries: Vec<(String, Option<Vec<u8>>)>) {
        let pkg = self;
        // A ZIP of the folder itself: strip that one top-level folder.
        let prefix = if entries.iter().any(|(n, _)| n == "app.json") {
            String::new()
        } else {
            let tops: std::collections::BTreeSet<&str> =
                entries.iter().filter_map(|(n, _)| n.split_once('/').map(|(t, _)| t)).collect();
            match tops.iter().next() {
                Some(top)
                    if tops.len() == 1
                        && entries.iter().any(|(n, _)| *n == format!("{top}/app.json")) =>
                {
                    format!("{top}/")
                }
                _ => String::new(),
            }
        };
        pkg.archive_prefix = Some(prefix.clone());
        for (name, bytes) in entries {
            let Some(rel) = name.strip_prefix(&prefix) else { continue };
            pkg.add_entry(rel, bytes);
        }
        pkg.read_project_file();
    }

    /// Adds one file read from an archive: a source (`bytes`, UTF-8 with an optional BOM; other
    /// bytes are a diagnostic) or an asset (`None`, read when used).
    pub(super) fn add_entry(&mut self, rel: &str, bytes: Option<Vec<u8>>) {
        match bytes {
            None => {
                self.assets.insert(rel.to_string());
            }
            Some(b) => match String::from_utf8(b) {
                Ok(mut text) => {
                    if text.starts_with('\u{feff}') {
                        text.drain(..3);
                    }
                    self.sources.insert(rel.to_string(), text);
                }
                Err(e) => self.diagnostics.push(Diagnostic::new(
                    Level::Error,
                    Code::NotUtf8,
                    rel,
                    format!(
                        "not valid UTF-8 (byte {}); save the file as UTF-8",
                        e.utf8_error().valid_up_to()
                    ),
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(
        entries: &[(&str, &str)],
        symlink: Option<(&str, &str)>,
    ) -> Result<tempfile::NamedTempFile, Box<dyn std::error::Error>> {
        let file = tempfile::NamedTempFile::new()?;
        let mut w = zip::ZipWriter::new(file.reopen()?);
        for (name, body) in entries {
            w.start_file(*name, SimpleFileOptions::default())?;
            w.write_all(body.as_bytes())?;
        }
        if let Some((name, target)) = symlink {
            w.add_symlink(name, target, SimpleFileOptions::default())?;
        }
        w.finish()?;
        Ok(file)
    }

    #[test]
    fn opens_a_zip_of_the_project_folder() -> Result<(), Box<dyn std::error::Error>> {
        let z = zip_of(
            &[
                ("campus/app.json", "{}"),
                ("campus/pages/a/a.js", "Page({})"),
                ("campus/logo.png", "png"),
            ],
            None,
        )?;
        let pkg = Package::open_archive(z.path())?;
        assert_eq!(pkg.source("app.json"), Some("{}"));
        assert_eq!(pkg.source("pages/a/a.js"), Some("Page({})"));
        assert!(pkg.contains("logo.png"));
        assert!(pkg.diagnostics().is_empty());
        Ok(())
    }

    #[test]
    fn refuses_zip_slip_and_symlinks() -> Result<(), Box<dyn std::error::Error>> {
        let z = zip_of(
            &[("app.json", "{}"), ("../../etc/evil.js", "x"), ("/abs.js", "x")],
            Some(("link.js", "/etc/passwd")),
        )?;
        let pkg = Package::open_archive(z.path())?;
        let text = pkg.diagnostics().to_string();
        assert!(text.contains("../../etc/evil.js: fatal [E102]"), "{text}");
        assert!(text.contains("/abs.js: fatal [E102]"), "{text}");
        assert!(text.contains("link.js: fatal [E102]: symlink entries are not allowed"), "{text}");
        assert!(pkg.source("evil.js").is_none() && pkg.source("etc/evil.js").is_none());
        Ok(())
    }

    #[test]
    fn not_a_zip_is_a_clear_error() -> Result<(), Box<dyn std::error::Error>> {
        let f = tempfile::NamedTempFile::new()?;
        std::fs::write(f.path(), "plain text")?;
        let err = Package::open_archive(f.path()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("not a readable ZIP archive"), "{err}");
        Ok(())
    }
}
