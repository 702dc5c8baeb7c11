//! Packed packages (`.mpk`): what a host downloads from its server. One ZIP, written
//! deterministically (entries sorted, fixed timestamps and permissions: the same package gives
//! the same bytes), holding `miniapp-manifest.json` — format, app id, version, the render
//! protocol the runtime must speak, each file's SHA-256 and size — then, when signed,
//! `miniapp-manifest.sig` (the ed25519 signature of the manifest's exact bytes and the
//! signer's public key), then the package's files at their paths.
//!
//! [`verify`] checks an archive before anything in it is used: it must be a whole ZIP, its
//! manifest must name every file with the right hash and size (no file more, none less), the
//! runtime must speak its protocol, and, when the host trusts keys, the signature must be one
//! of theirs. Each failure is its own [`PackError`]. [`Package::open_packed`] (module
//! `open_packed`) reads the archive once: it verifies the manifest, the signature and every
//! file the package holds in memory (sources, the compiled section), then builds the package
//! from those bytes; each asset (image, font…) is checked against its manifest entry when it
//! is read. The format's names and types are in `manifest`. Plain functions; any thread.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::manifest::{sha256_hex, COMPILED_DIR, COMPILED_INDEX};
pub use super::manifest::{FileEntry, Manifest, FORMAT, MANIFEST, SIGNATURE};
use super::precompiled::Precompiled;
use super::signing::{PublicKey, SecretKey};
use super::{Package, MAX_FILES};
use crate::render::PROTOCOL_VERSION;

/// Largest packed archive read (bytes).
pub const MAX_ARCHIVE_BYTES: u64 = 256 * 1024 * 1024;
/// Largest manifest or signature entry read (bytes).
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// Size caps a host sets on the packages it accepts, checked before anything is unpacked: the
/// archive's own size, and the total its manifest declares (each file is then read only up to
/// its declared size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeLimits {
    /// The archive file, bytes (default 64 MiB).
    pub max_archive_bytes: u64,
    /// All its files unpacked, bytes (default 128 MiB).
    pub max_unpacked_bytes: u64,
}

impl Default for SizeLimits {
    fn default() -> Self {
        SizeLimits { max_archive_bytes: 64 << 20, max_unpacked_bytes: 128 << 20 }
    }
}

/// The signature entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Signature {
    /// The signer's public key (`miniapp-ed25519:…`).
    key: String,
    /// The signature of the manifest's bytes, base64.
    signature: String,
}

/// Why a packed archive was refused.
#[derive(Debug, Error, PartialEq)]
pub enum PackError {
    /// Not a ZIP at all, or cut short (the central directory is missing).
    #[error("not a whole packed archive (truncated, or not a ZIP): {0}")]
    Truncated(String),
    /// A ZIP without a manifest: a plain package, not a packed one.
    #[error("no {MANIFEST}: not a packed archive (make one with `miniapp pack`)")]
    NoManifest,
    /// The manifest does not parse.
    #[error("{MANIFEST} is not a valid manifest: {0}")]
    BadManifest(String),
    /// A newer format than this runtime reads.
    #[error("archive format {found}; this runtime reads format {FORMAT}: update the runtime")]
    Format { found: u32 },
    /// The package needs a newer render protocol.
    #[error("the package needs render protocol {needs}; this runtime speaks {PROTOCOL_VERSION}: update the runtime")]
    RuntimeTooOld { needs: u32 },
    /// A file's bytes do not match the manifest.
    #[error("`{path}` does not match the manifest's SHA-256 (the archive was changed after it was packed)")]
    Tampered { path: String },
    /// A file the manifest lists is missing.
    #[error("`{path}` is listed in the manifest but missing from the archive")]
    Missing { path: String },
    /// A file the manifest does not list.
    #[error("`{path}` is in the archive but not in the manifest (the archive was changed after it was packed)")]
    Unlisted { path: String },
    /// The host trusts keys and the archive is not signed.
    #[error("the archive is not signed, and this host only opens packages signed by its trusted keys (`miniapp pack --key`)")]
    Unsigned,
    /// Signed by a key the host does not trust.
    #[error("signed by {key}, which is not one of this host's trusted keys")]
    UntrustedKey { key: String },
    /// The signature does not verify.
    #[error("the signature does not match the manifest (the manifest was changed after signing)")]
    BadSignature,
    /// A subpackage archive that is not the one the main archive names (see `package::split`).
    #[error("not the subpackage archive this version names: {0}")]
    WrongSubpackage(String),
    /// Too big, or too many entries.
    #[error("too large: {0}")]
    TooLarge(String),
    /// Reading the archive failed.
    #[error("cannot read the archive: {0}")]
    Io(String),
}

/// Packs `pkg` (every file, plus its project settings when they live above it) as
/// `app_id`/`version`, signed with `key` when given, without a compiled section (the runtime
/// compiles it when it opens). Deterministic.
pub fn pack(pkg: &Package, version: &str, key: Option<&SecretKey>) -> Result<Vec<u8>, String> {
    pack_with(pkg, version, key, None)
}

/// [`pack`] with the compiled section `compiled` (`runtime::prepare::precompile` makes it),
/// so opening the archive compiles nothing. Deterministic.
pub fn pack_compiled(
    pkg: &Package,
    version: &str,
    key: Option<&SecretKey>,
    compiled: &Precompiled,
) -> Result<Vec<u8>, String> {
    pack_with(pkg, version, key, Some(compiled))
}

fn pack_with(
    pkg: &Package,
    version: &str,
    key: Option<&SecretKey>,
    compiled: Option<&Precompiled>,
) -> Result<Vec<u8>, String> {
    let mut files = package_files(pkg)?;
    if let Some(compiled) = compiled {
        files.extend(compiled.entries()?);
    }
    let meta = Manifest { version: version.to_string(), ..Manifest::of(pkg) };
    write_archive(meta, &files, key).map(|(bytes, _)| bytes)
}

impl Manifest {
    /// An empty manifest of `pkg` (its app id, this format and protocol, no files).
    pub(super) fn of(pkg: &Package) -> Manifest {
        Manifest {
            format: FORMAT,
            app_id: pkg.project().and_then(|p| p.app_id()).unwrap_or_default().to_string(),
            version: String::new(),
            protocol: PROTOCOL_VERSION,
            files: BTreeMap::new(),
            subpackage: None,
            subpackages: BTreeMap::new(),
        }
    }
}

/// Every file of `pkg` (plus its project settings when they live above it), by package path.
pub(super) fn package_files(pkg: &Package) -> Result<Files, String> {
    let mut files = Files::new();
    for path in pkg.files() {
        if path == MANIFEST || path == SIGNATURE {
            continue;
        }
        files.insert(path.to_string(), pkg.read_asset(path)?);
    }
    if let Some(project) = pkg.project() {
        files
            .entry(super::project::FILE.to_string())
            .or_insert_with(|| project.to_root_text().into_bytes());
    }
    Ok(files)
}

/// Writes `files` as a packed archive with manifest `meta` (its `files` filled in here),
/// signed with `key` when given. Returns the archive and the SHA-256 of its manifest.
pub(super) fn write_archive(
    mut meta: Manifest,
    files: &Files,
    key: Option<&SecretKey>,
) -> Result<(Vec<u8>, String), String> {
    meta.files = files
        .iter()
        .map(|(p, b)| (p.clone(), FileEntry { sha256: sha256_hex(b), size: b.len() as u64 }))
        .collect();
    let manifest_bytes =
        serde_json::to_vec_pretty(&meta).map_err(|e| format!("the manifest: {e}"))?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), String> {
        zip.start_file(name, options).map_err(|e| format!("{name}: {e}"))?;
        zip.write_all(bytes).map_err(|e| format!("{name}: {e}"))
    };
    add(MANIFEST, &manifest_bytes)?;
    if let Some(key) = key {
        let sig = Signature {
            key: key.public().to_text(),
            signature: base64::engine::general_purpose::STANDARD.encode(key.sign(&manifest_bytes)),
        };
        let text = serde_json::to_vec_pretty(&sig).map_err(|e| format!("the signature: {e}"))?;
        add(SIGNATURE, &text)?;
    }
    for (path, bytes) in files {
        add(path, bytes)?;
    }
    let out = zip.finish().map_err(|e| format!("the archive: {e}"))?;
    Ok((out.into_inner(), sha256_hex(&manifest_bytes)))
}

/// Verifies the packed archive `bytes` (see the module docs); `trusted` empty: any signer, or
/// none, but every hash still checked. Returns the manifest and whether it is signed.
pub fn verify(bytes: &[u8], trusted: &[PublicKey]) -> Result<(Manifest, bool), PackError> {
    verify_within(bytes, trusted, SizeLimits::default())
}

/// [`verify`] with the host's size caps.
pub fn verify_within(
    bytes: &[u8],
    trusted: &[PublicKey],
    limits: SizeLimits,
) -> Result<(Manifest, bool), PackError> {
    check(bytes, trusted, limits, false).map(|c| (c.manifest, c.signed))
}

/// Files read while verifying: package path → bytes.
pub(super) type Files = BTreeMap<String, Vec<u8>>;

/// What [`check`] found.
pub(super) struct Checked {
    pub manifest: Manifest,
    /// SHA-256 of the manifest's bytes (what a split package's main archive names).
    pub manifest_sha256: String,
    /// Signed (by a trusted key when the host trusts any).
    pub signed: bool,
    /// The files kept (see [`check`]).
    pub files: Files,
}

/// [`verify_within`]; when `keep` (opening the archive), keeps the bytes of the files a package
/// holds in memory (sources and the compiled section's index) and neither reads nor hashes the
/// others (assets, bytecode): each is checked against its manifest entry when it is read
/// ([`Package::read_asset`], `precompiled::SectionBytes`).
pub(super) fn check(
    bytes: &[u8],
    trusted: &[PublicKey],
    limits: SizeLimits,
    keep: bool,
) -> Result<Checked, PackError> {
    if bytes.len() as u64 > limits.max_archive_bytes {
        return Err(PackError::TooLarge(format!(
            "the archive is {} bytes; at most {} are accepted",
            bytes.len(),
            limits.max_archive_bytes
        )));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| PackError::Truncated(e.to_string()))?;
    if zip.len() > MAX_FILES + 2 {
        return Err(PackError::TooLarge(format!("more than {MAX_FILES} files")));
    }
    let mut read = |name: &str| -> Result<Option<Vec<u8>>, PackError> {
        let mut entry = match zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(PackError::Io(format!("{name}: {e}"))),
        };
        let mut out = Vec::new();
        (&mut entry)
            .take(MAX_MANIFEST_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| PackError::Truncated(format!("{name}: {e}")))?;
        if out.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(PackError::TooLarge(format!("{name} is over {MAX_MANIFEST_BYTES} bytes")));
        }
        Ok(Some(out))
    };
    let manifest_bytes = read(MANIFEST)?.ok_or(PackError::NoManifest)?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| PackError::BadManifest(e.to_string()))?;
    if manifest.format > FORMAT {
        return Err(PackError::Format { found: manifest.format });
    }
    if manifest.protocol > PROTOCOL_VERSION {
        return Err(PackError::RuntimeTooOld { needs: manifest.protocol });
    }
    let unpacked = manifest.files.values().fold(0u64, |sum, f| sum.saturating_add(f.size));
    if unpacked > limits.max_unpacked_bytes {
        return Err(PackError::TooLarge(format!(
            "its files come to {unpacked} bytes; at most {} are accepted",
            limits.max_unpacked_bytes
        )));
    }
    let signed = match read(SIGNATURE)? {
        None if !trusted.is_empty() => return Err(PackError::Unsigned),
        None => false,
        Some(text) => {
            let sig: Signature =
                serde_json::from_slice(&text).map_err(|_| PackError::BadSignature)?;
            let key = PublicKey::parse(&sig.key).map_err(|_| PackError::BadSignature)?;
            let raw = base64::engine::general_purpose::STANDARD
                .decode(sig.signature)
                .map_err(|_| PackError::BadSignature)?;
            if !key.verifies(&manifest_bytes, &raw) {
                return Err(PackError::BadSignature);
            }
            if !trusted.is_empty() && !trusted.contains(&key) {
                return Err(PackError::UntrustedKey { key: key.to_text() });
            }
            true
        }
    };
    let mut seen = 0usize;
    let mut files = Files::new();
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(std::borrow::Cow::into_owned))
        .collect::<Result<_, _>>()
        .map_err(|e| PackError::Io(format!("an entry's name: {e}")))?;
    for name in &names {
        let name = name.clone();
        if name == MANIFEST || name == SIGNATURE || name.ends_with('/') {
            continue;
        }
        let Some(want) = manifest.files.get(&name) else {
            return Err(PackError::Unlisted { path: name });
        };
        let in_memory =
            name == COMPILED_INDEX || (!name.starts_with(COMPILED_DIR) && super::is_source(&name));
        if keep && !in_memory {
            files.insert(name, Vec::new());
            seen += 1;
            continue;
        }
        let mut entry = zip.by_name(&name).map_err(|e| PackError::Io(format!("{name}: {e}")))?;
        let mut bytes = Vec::new();
        // the directory read, so an entry that does not inflate or fails its CRC was changed
        (&mut entry)
            .take(want.size + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| PackError::Tampered { path: name.clone() })?;
        if bytes.len() as u64 != want.size || sha256_hex(&bytes) != want.sha256 {
            return Err(PackError::Tampered { path: name });
        }
        if keep {
            files.insert(name, bytes);
        }
        seen += 1;
    }
    if seen != manifest.files.len() {
        let present: std::collections::BTreeSet<&str> = names.iter().map(String::as_str).collect();
        if let Some(path) = manifest.files.keys().find(|p| !present.contains(p.as_str())) {
            return Err(PackError::Missing { path: path.clone() });
        }
    }
    Ok(Checked { manifest, manifest_sha256: sha256_hex(&manifest_bytes), signed, files })
}

/// Whether the file at `path` is a ZIP holding a manifest (read from its central directory
/// only).
pub fn is_packed(path: &Path) -> bool {
    std::fs::File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .is_some_and(|z| z.index_for_name(MANIFEST).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> Package {
        Package::from_sources([
            ("app.json", r#"{"pages":["p/i"]}"#),
            ("app.js", "App({})"),
            ("p/i.js", "Page({})"),
            ("p/i.wxml", "<view>hi</view>"),
        ])
    }

    /// Rewrites one entry of a packed archive (as an attacker or a bad disk would).
    fn rewrite(bytes: &[u8], name: &str, new: Option<&[u8]>) -> Vec<u8> {
        let mut src = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..src.len() {
            let mut e = src.by_index(i).expect("entry");
            let n = e.name().expect("a name").into_owned();
            let mut data = Vec::new();
            e.read_to_end(&mut data).expect("read");
            let data = if n == name {
                match new {
                    Some(b) => b.to_vec(),
                    None => continue,
                }
            } else {
                data
            };
            out.start_file(&n, zip::write::SimpleFileOptions::default()).expect("start");
            out.write_all(&data).expect("write");
        }
        out.finish().expect("finish").into_inner()
    }

    #[test]
    fn packing_is_deterministic_and_verifies() {
        let key = SecretKey::generate().expect("key");
        let a = pack(&app(), "1.0.0", Some(&key)).expect("packs");
        assert_eq!(a, pack(&app(), "1.0.0", Some(&key)).expect("packs"), "same bytes");
        let (m, signed) = verify(&a, &[key.public()]).expect("verifies");
        assert!(signed);
        assert_eq!((m.version.as_str(), m.files.len()), ("1.0.0", 4));
        assert_eq!(m.files["app.js"].sha256, sha256_hex(b"App({})"));
        // unsigned archives open when the host trusts no key, not when it does
        let plain = pack(&app(), "1.0.0", None).expect("packs");
        assert!(!verify(&plain, &[]).expect("verifies").1);
        assert_eq!(verify(&plain, &[key.public()]).err(), Some(PackError::Unsigned));
    }

    #[test]
    fn each_kind_of_damage_has_its_own_error() {
        let key = SecretKey::generate().expect("key");
        let trusted = [key.public()];
        let good = pack(&app(), "1.0.0", Some(&key)).expect("packs");
        // one changed byte of a file
        let tampered = rewrite(&good, "p/i.js", Some(b"Page({}) "));
        assert_eq!(
            verify(&tampered, &trusted).err(),
            Some(PackError::Tampered { path: "p/i.js".into() })
        );
        // a changed manifest no longer matches its signature
        let (mut m, _) = verify(&good, &trusted).expect("verifies");
        m.version = "9.9.9".into();
        let forged = rewrite(&good, MANIFEST, Some(&serde_json::to_vec_pretty(&m).expect("json")));
        assert_eq!(verify(&forged, &trusted).err(), Some(PackError::BadSignature));
        // signed by someone else
        let stranger = SecretKey::generate().expect("key");
        let theirs = pack(&app(), "1.0.0", Some(&stranger)).expect("packs");
        assert_eq!(
            verify(&theirs, &trusted).err(),
            Some(PackError::UntrustedKey { key: stranger.public().to_text() })
        );
        // a file removed, a file added
        assert_eq!(
            verify(&rewrite(&good, "p/i.wxml", None), &trusted).err(),
            Some(PackError::Missing { path: "p/i.wxml".into() })
        );
        let extra = {
            let mut z = zip::ZipWriter::new_append(Cursor::new(good.clone())).expect("append");
            z.start_file("evil.js", zip::write::SimpleFileOptions::default()).expect("start");
            z.write_all(b"steal()").expect("write");
            z.finish().expect("finish").into_inner()
        };
        assert_eq!(
            verify(&extra, &trusted).err(),
            Some(PackError::Unlisted { path: "evil.js".into() })
        );
        // cut short
        let cut = &good[..good.len() * 2 / 3];
        assert!(matches!(verify(cut, &trusted), Err(PackError::Truncated(_))));
        // a newer runtime needed
        let (mut m, _) = verify(&good, &trusted).expect("verifies");
        m.protocol = PROTOCOL_VERSION + 1;
        let newer = rewrite(
            &pack(&app(), "1", None).expect("packs"),
            MANIFEST,
            Some(&serde_json::to_vec(&m).expect("json")),
        );
        assert_eq!(
            verify(&newer, &[]).err(),
            Some(PackError::RuntimeTooOld { needs: PROTOCOL_VERSION + 1 })
        );
        // a plain ZIP is not a packed archive
        let plain = rewrite(&pack(&app(), "1", None).expect("packs"), MANIFEST, None);
        assert_eq!(verify(&plain, &[]).err(), Some(PackError::NoManifest));
    }

    #[test]
    fn size_caps_are_checked_before_unpacking() {
        let good = pack(&app(), "1", None).expect("packs");
        let small = SizeLimits { max_archive_bytes: 100, ..SizeLimits::default() };
        let err = verify_within(&good, &[], small).expect_err("too big");
        assert!(matches!(&err, PackError::TooLarge(m) if m.contains("at most 100")), "{err}");
        // the manifest's declared total is checked before any file is read
        let tight = SizeLimits { max_unpacked_bytes: 20, ..SizeLimits::default() };
        let err = verify_within(&good, &[], tight).expect_err("too big");
        assert!(matches!(&err, PackError::TooLarge(m) if m.contains("come to")), "{err}");
        assert!(verify_within(&good, &[], SizeLimits::default()).is_ok());
    }

    #[test]
    fn an_asset_is_checked_against_the_manifest_when_it_is_read() {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        files.insert("img/logo.png".into(), vec![137, 80, 78, 71, 1, 2, 3]);
        let dir = std::env::temp_dir().join(format!("miniapp-asset-check-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("p/img")).expect("dirs");
        std::fs::create_dir_all(dir.join("p/p")).expect("dirs");
        for (p, t) in
            [("app.json", r#"{"pages":["p/i"]}"#), ("app.js", "App({})"), ("p/i.js", "Page({})")]
        {
            std::fs::write(dir.join("p").join(p), t).expect("write");
        }
        std::fs::write(dir.join("p/img/logo.png"), &files["img/logo.png"]).expect("write");
        let src = Package::open_dir(dir.join("p")).expect("opens");
        let good = pack(&src, "1", None).expect("packs");
        let path = dir.join("a.mpk");
        std::fs::write(&path, &good).expect("write");
        let (opened, _) = Package::open_packed(&path, &[]).expect("opens");
        assert_eq!(opened.read_asset("img/logo.png").expect("reads"), files["img/logo.png"]);
        // the archive changes under an open package: the asset is refused when read
        std::fs::write(&path, rewrite(&good, "img/logo.png", Some(b"\x89PNG evil")))
            .expect("write");
        let err = opened.read_asset("img/logo.png").expect_err("refused");
        assert!(err.contains("does not match the packed archive's manifest"), "{err}");
        // verifying (what installing does) refuses it at once
        let changed = std::fs::read(&path).expect("read");
        assert_eq!(
            verify(&changed, &[]).err(),
            Some(PackError::Tampered { path: "img/logo.png".into() })
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_packed_archive_opens_as_the_package_it_was_made_from() {
        let key = SecretKey::generate().expect("key");
        let path = std::env::temp_dir().join(format!("miniapp-packed-{}.mpk", std::process::id()));
        std::fs::write(&path, pack(&app(), "2.1.0", Some(&key)).expect("packs")).expect("write");
        let (pkg, manifest) = Package::open_packed(&path, &[key.public()]).expect("opens");
        assert_eq!(manifest.version, "2.1.0");
        assert_eq!(pkg.files().collect::<Vec<_>>(), ["app.js", "app.json", "p/i.js", "p/i.wxml"]);
        assert_eq!(pkg.source("p/i.wxml"), Some("<view>hi</view>"));
        let other = SecretKey::generate().expect("key").public();
        let err = Package::open_packed(&path, &[other]).expect_err("refused").to_string();
        assert!(err.contains("not one of this host's trusted keys"), "{err}");
        let _ = std::fs::remove_file(&path);
    }
}
