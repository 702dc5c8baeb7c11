//! The packed archive's format: the entry names, the manifest (what an archive says about
//! itself and each file's SHA-256 and size) and the hash. Plain data; the archive's writing and
//! checks are `packed`, its compiled section `precompiled`, split packages `split`. Any thread.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's entry name.
pub const MANIFEST: &str = "miniapp-manifest.json";
/// The signature's entry name.
pub const SIGNATURE: &str = "miniapp-manifest.sig";
/// The format this runtime writes and reads.
pub const FORMAT: u32 = 1;
/// The folder of the compiled section in an archive (see `precompiled`).
pub const COMPILED_DIR: &str = ".miniapp/";
/// The compiled section's index entry.
pub const COMPILED_INDEX: &str = ".miniapp/compiled.json";

/// What a packed archive says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// The app id (`project.config.json`'s `appid`), empty when none.
    pub app_id: String,
    /// The publisher's version string (`miniapp pack --app-version`).
    pub version: String,
    /// The render protocol version the runtime must speak.
    pub protocol: u32,
    /// Every file: its package path → SHA-256 (hex) and size.
    pub files: BTreeMap<String, FileEntry>,
    /// In a subpackage's own archive: its root (see `package::split`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subpackage: Option<String>,
    /// In the main archive of a split package: each subpackage packed apart, by root.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subpackages: BTreeMap<String, SubpackageArchive>,
}

impl Manifest {
    /// `app_id version` (either may be empty), as messages name the app an archive was
    /// packed from.
    pub fn label(&self) -> String {
        format!("{} {}", self.app_id, self.version).trim().to_string()
    }

    /// The package's own files (not the compiled section).
    pub fn package_files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str).filter(|p| !p.starts_with(COMPILED_DIR))
    }

    /// Whether the archive has a compiled section (`miniapp pack` without `--sources-only`).
    pub fn has_compiled(&self) -> bool {
        self.files.contains_key(COMPILED_INDEX)
    }
}

/// One file of a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// A subpackage packed in an archive of its own, as the main archive's manifest names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubpackageArchive {
    /// Its file name, beside the main archive (on the host's server, and once downloaded).
    pub file: String,
    /// SHA-256 of its manifest: ties it to this very version of the app.
    pub manifest_sha256: String,
}

/// SHA-256 of `bytes`, lowercase hex.
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
