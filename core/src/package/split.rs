//! Split packages: `miniapp pack --split-subpackages` writes the main package in one archive
//! and each subpackage in an archive of its own, which the host fetches only when the app first
//! goes there (as WeChat downloads subpackages).
//!
//! The main archive's manifest lists each subpackage archive by root, with its file name and
//! the SHA-256 of its manifest, so the main archive's signature covers the subpackages too: a
//! subpackage archive of another version, of another app or for another root is refused, as
//! is one whose own hashes or signature do not verify (the same checks as any packed archive).
//! The main archive's compiled section keeps what opening the app needs of a subpackage before
//! it arrives: its pages' and components' resolved configurations
//! ([`super::precompiled::DeferredSubpackages`]).
//!
//! [`Package::with_subpackage`] verifies a subpackage archive and returns the package with it;
//! the runtime (`runtime::subpackages`) looks for the archive beside the main one, else asks the
//! host with the host call `loadSubpackage`. Plain functions; any thread.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use super::manifest::SubpackageArchive;
use super::manifest::{Manifest, COMPILED_DIR};
use super::packed::{self, SizeLimits, MAX_ARCHIVE_BYTES};
use super::precompiled::{ArchiveReader, DeferredSubpackages, Precompiled};
use super::signing::{PublicKey, SecretKey};
use super::Package;

/// What a package opened from a split archive knows of the subpackages not loaded yet.
#[derive(Debug, Clone)]
pub struct Split {
    /// The folder of the main archive.
    dir: PathBuf,
    /// The keys the host trusts (subpackage archives are checked against the same).
    trusted: Vec<PublicKey>,
    /// The app's id and version, for messages.
    app: String,
    /// Subpackages not loaded yet, by root.
    pending: BTreeMap<String, SubpackageArchive>,
}

impl Split {
    pub(super) fn new(main: &Path, trusted: &[PublicKey], manifest: &Manifest) -> Split {
        Split {
            dir: main.parent().map(Path::to_path_buf).unwrap_or_default(),
            trusted: trusted.to_vec(),
            app: manifest.label(),
            pending: manifest.subpackages.clone(),
        }
    }
}

/// The archives `miniapp pack --split-subpackages` writes.
#[derive(Debug)]
pub struct SplitArchives {
    /// The main package.
    pub main: Vec<u8>,
    /// Each subpackage: root, file name, archive.
    pub subpackages: Vec<(String, String, Vec<u8>)>,
}

/// The file name of subpackage `root`'s archive beside main archive `main_file`
/// (`app.mpk`, `pkg/a` → `app.pkg-a.mpk`).
pub fn archive_name(main_file: &str, root: &str) -> String {
    let stem = main_file.strip_suffix(".mpk").unwrap_or(main_file);
    let part: String = root
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    format!("{stem}.{part}.mpk")
}

/// Packs `pkg` as a main archive named `main_file` plus one archive per subpackage that
/// `compiled` defers (see `runtime::prepare::precompile_split`). Deterministic.
pub fn pack_split(
    pkg: &Package,
    version: &str,
    key: Option<&SecretKey>,
    compiled: &Precompiled,
    main_file: &str,
) -> Result<SplitArchives, String> {
    let mut files = packed::package_files(pkg)?;
    let mut main_section = compiled.clone();
    let mut listed = BTreeMap::new();
    let mut subpackages = Vec::new();
    let roots = compiled.deferred.as_ref().map(|d| d.roots.clone()).unwrap_or_default();
    for root in roots {
        let prefix = format!("{root}/");
        let mut theirs: packed::Files = BTreeMap::new();
        let inside: Vec<String> =
            files.keys().filter(|p| p.starts_with(&prefix)).cloned().collect();
        for path in inside {
            if let Some(bytes) = files.remove(&path) {
                theirs.insert(path, bytes);
            }
        }
        theirs.extend(main_section.split_off(&root).entries()?);
        let meta = Manifest {
            version: version.to_string(),
            subpackage: Some(root.clone()),
            ..Manifest::of(pkg)
        };
        let (bytes, manifest_sha256) = packed::write_archive(meta, &theirs, key)?;
        let file = archive_name(main_file, &root);
        listed.insert(root.clone(), SubpackageArchive { file: file.clone(), manifest_sha256 });
        subpackages.push((root, file, bytes));
    }
    files.extend(main_section.entries()?);
    let meta = Manifest { version: version.to_string(), subpackages: listed, ..Manifest::of(pkg) };
    let (main, _) = packed::write_archive(meta, &files, key)?;
    Ok(SplitArchives { main, subpackages })
}

/// Verifies `bytes` as the archive of subpackage `root` that main manifest `main` names (see
/// [`Package::with_subpackage`]); returns its manifest.
pub fn verify_subpackage(
    main: &Manifest,
    root: &str,
    bytes: &[u8],
    trusted: &[PublicKey],
) -> Result<Manifest, String> {
    let listed = main
        .subpackages
        .get(root)
        .ok_or_else(|| format!("the main archive packs no subpackage `{root}` apart"))?;
    check_subpackage(listed, root, bytes, trusted, &main.label(), false).map(|c| c.manifest)
}

/// The checks of [`Package::with_subpackage`] on the archive's bytes (`keep`: as when opening
/// it, assets and bytecode checked when read; else every byte now).
fn check_subpackage(
    want: &SubpackageArchive,
    root: &str,
    bytes: &[u8],
    trusted: &[PublicKey],
    app: &str,
    keep: bool,
) -> Result<packed::Checked, String> {
    let checked =
        packed::check(bytes, trusted, SizeLimits::default(), keep).map_err(|e| e.to_string())?;
    if checked.manifest.subpackage.as_deref() != Some(root) {
        let what = match &checked.manifest.subpackage {
            Some(other) => format!("the archive of subpackage `{other}`"),
            None => "the archive of a whole app".to_string(),
        };
        return Err(format!("expected subpackage `{root}`, found {what}"));
    }
    if checked.manifest_sha256 != want.manifest_sha256 {
        return Err(format!(
            "packed with another version of the app than the one running ({app}): fetch `{}` \
             of this version",
            want.file
        ));
    }
    let prefix = format!("{root}/");
    if let Some(outside) =
        checked.files.keys().find(|p| !p.starts_with(&prefix) && !p.starts_with(COMPILED_DIR))
    {
        return Err(format!("`{outside}` lies outside subpackage `{root}`"));
    }
    Ok(checked)
}

impl Package {
    /// True when subpackage `root` was packed apart and is not loaded yet.
    pub fn subpackage_pending(&self, root: &str) -> bool {
        self.split.as_ref().is_some_and(|s| s.pending.contains_key(root))
    }

    /// Subpackage `root` not loaded yet: its archive as the main archive names it, and the
    /// path it has beside the main archive.
    pub fn pending_subpackage(&self, root: &str) -> Option<(SubpackageArchive, PathBuf)> {
        let split = self.split.as_ref()?;
        let archive = split.pending.get(root)?.clone();
        let beside = split.dir.join(&archive.file);
        Some((archive, beside))
    }

    /// What the main archive's compiled section says of the subpackages packed apart.
    pub fn deferred_subpackages(&self) -> Option<&DeferredSubpackages> {
        self.precompiled.as_deref()?.deferred.as_ref()
    }

    /// This package with subpackage `root` loaded from `archive`, after checking it: a whole
    /// packed archive of subpackage `root` whose manifest is the one the main archive names,
    /// every file inside `root/` (or its compiled section) with the hash its manifest gives,
    /// signed by a trusted key when the host trusts keys. The error says which check failed.
    pub fn with_subpackage(&self, root: &str, archive: &Path) -> Result<Package, String> {
        let split = self.split.as_ref().ok_or("this package was not packed apart")?;
        let Some(want) = split.pending.get(root) else {
            return Err(format!("subpackage `{root}` is not waiting for an archive"));
        };
        let name = archive.display();
        let size = std::fs::metadata(archive).map_err(|e| format!("{name}: {e}"))?.len();
        if size > MAX_ARCHIVE_BYTES {
            return Err(format!("{name}: larger than {MAX_ARCHIVE_BYTES} bytes"));
        }
        let bytes = std::fs::read(archive).map_err(|e| format!("{name}: {e}"))?;
        let checked = check_subpackage(want, root, &bytes, &split.trusted, &split.app, true)
            .map_err(|e| format!("{name}: {e}"))?;
        let reader = ArchiveReader::new(archive.to_path_buf());
        let mut files = checked.files;
        let section = Precompiled::read(&mut files, Some((&reader, &checked.manifest.files)))
            .map_err(|e| format!("{name}: {e}"))?;
        let mut pkg = self.clone();
        let mut assets = pkg.asset_manifest.as_deref().cloned().unwrap_or_default();
        for (path, bytes) in files {
            if path.split('/').any(|seg| seg.starts_with('.')) {
                continue;
            }
            if super::is_source(&path) {
                pkg.add_entry(&path, Some(bytes));
            } else {
                if let Some(entry) = checked.manifest.files.get(&path) {
                    assets.insert(path.clone(), entry.clone());
                }
                pkg.add_entry(&path, None);
            }
        }
        pkg.asset_manifest = Some(Arc::new(assets));
        pkg.asset_archives.insert(format!("{root}/"), archive.to_path_buf());
        let mut pre = pkg.precompiled.as_deref().cloned().unwrap_or_default();
        if let Some(section) = section {
            pkg.apply_compiled(&section.files);
            pre.merge(section);
        }
        pkg.precompiled = Some(Arc::new(pre));
        if let Some(split) = &mut pkg.split {
            split.pending.remove(root);
        }
        Ok(pkg)
    }
}
