//! Opening a packed archive (`.mpk`) as a [`Package`]: the archive is read once and checked
//! (`packed`), its compiled section read (`precompiled`), and a split package's pending
//! subpackages remembered (`split`). Plain functions; any thread.

use std::path::Path;

use super::manifest::Manifest;
use super::packed::{check, Checked, SizeLimits, MAX_ARCHIVE_BYTES};
use super::precompiled::{ArchiveReader, Precompiled};
use super::signing::PublicKey;
use super::split::Split;
use super::{Package, PackageError};

impl Package {
    /// Opens a packed archive (`.mpk`) after [`super::packed::verify`]ing it against `trusted` keys, from the
    /// bytes verified (the archive is read once). Its compiled section's bytecode may run only
    /// when the archive is signed by one of `trusted` (none: never).
    pub fn open_packed(
        file: impl AsRef<Path>,
        trusted: &[PublicKey],
    ) -> Result<(Package, Manifest), PackageError> {
        let path = file.as_ref();
        let unreadable =
            |reason: String| PackageError::RootUnreadable { path: path.to_path_buf(), reason };
        let size = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?.len();
        if size > MAX_ARCHIVE_BYTES {
            return Err(unreadable(format!("larger than {MAX_ARCHIVE_BYTES} bytes")));
        }
        let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
        let Checked { manifest, signed, mut files, .. } =
            check(&bytes, trusted, SizeLimits::default(), true)
                .map_err(|e| unreadable(e.to_string()))?;
        if let Some(root) = &manifest.subpackage {
            return Err(unreadable(format!(
                "this is the archive of subpackage `{root}`, not an app: open the app's main \
                 archive (its subpackages are loaded from beside it or through the host)"
            )));
        }
        let reader = ArchiveReader::new(path.to_path_buf());
        let section = Precompiled::read(&mut files, Some((&reader, &manifest.files)));
        let compiled = section.map_err(unreadable)?.map(|mut pre| {
            pre.bytecode_trusted = signed && !trusted.is_empty();
            pre
        });
        let mut pkg = Package::from_sources(Vec::<(String, String)>::new());
        pkg.root = path.to_path_buf();
        let entries = files
            .into_iter()
            .filter(|(name, _)| !name.split('/').any(|seg| seg.starts_with('.')))
            .map(|(name, bytes)| {
                let source = super::is_source(&name);
                (name, source.then_some(bytes))
            })
            .collect();
        pkg.fill_from_entries(entries);
        pkg.set_precompiled(compiled);
        let assets = manifest
            .files
            .iter()
            .filter(|(p, _)| pkg.assets.contains(p.as_str()))
            .map(|(p, f)| (p.clone(), f.clone()))
            .collect();
        pkg.asset_manifest = Some(std::sync::Arc::new(assets));
        if !manifest.subpackages.is_empty() {
            pkg.split = Some(Split::new(path, trusted, &manifest));
        }
        Ok((pkg, manifest))
    }
}
