//! The store of an app's installed versions for Kotlin and Swift (`PackageStore` in the core):
//! install a downloaded packed archive, launch the current version, roll back. Each call opens
//! the folder anew; any thread (one process per folder).

use std::sync::Arc;

use miniapp_core::package::signing::PublicKey;
use miniapp_core::package::store::{PackageStore, StoreError};

use crate::uniffi_error::MiniappError;

/// What to launch: the version and its verified archive (open it with `MiniApp.open`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct LaunchRecord {
    /// The version.
    pub version: String,
    /// The archive's path.
    pub archive: String,
}

/// An app's installed versions in a host folder.
#[derive(uniffi::Object)]
pub struct MiniAppStore {
    dir: String,
    trusted: Vec<PublicKey>,
}

impl From<StoreError> for MiniappError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(_) | StoreError::Downgrade { .. } | StoreError::BadVersion(_) => {
                MiniappError::InvalidPackage { detail: e.to_string() }
            }
            StoreError::Nothing(detail) => MiniappError::NotFound { detail },
            StoreError::Io(detail) => MiniappError::Failed { detail },
        }
    }
}

impl MiniAppStore {
    fn store(&self) -> Result<PackageStore, MiniappError> {
        Ok(PackageStore::open(&self.dir, &self.trusted)?)
    }
}

#[uniffi::export]
impl MiniAppStore {
    /// The store in folder `dir` (created); archives must be signed by one of `trusted_keys`
    /// (`miniapp-ed25519:…`; empty: any signer, hashes still checked).
    #[uniffi::constructor]
    pub fn open(dir: String, trusted_keys: Vec<String>) -> Result<Arc<Self>, MiniappError> {
        let trusted = trusted_keys
            .iter()
            .map(|k| PublicKey::parse(k))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|detail| MiniappError::InvalidArgument { detail })?;
        let store = MiniAppStore { dir, trusted };
        store.store()?;
        Ok(Arc::new(store))
    }

    /// Verifies the archive at `archive_path` and installs it for the next launch; returns its
    /// version. A version not newer than the installed one is refused.
    pub fn install(&self, archive_path: String) -> Result<String, MiniappError> {
        let bytes = std::fs::read(&archive_path)
            .map_err(|e| MiniappError::Failed { detail: format!("{archive_path}: {e}") })?;
        Ok(self.store()?.install(&bytes)?.version)
    }

    /// Verifies the archive at `archive_path` as subpackage `root` of installed `version` (a
    /// package packed with `--split-subpackages`, fetched when the app asked with the host call
    /// `loadSubpackage`) and saves it beside that version's archive; returns its path (the
    /// `path` to answer the host call with).
    pub fn install_subpackage(
        &self,
        version: String,
        root: String,
        archive_path: String,
    ) -> Result<String, MiniappError> {
        let bytes = std::fs::read(&archive_path)
            .map_err(|e| MiniappError::Failed { detail: format!("{archive_path}: {e}") })?;
        let at = self.store()?.install_subpackage(&version, &root, &bytes)?;
        Ok(at.to_string_lossy().into_owned())
    }

    /// The version to launch now (a pending install becomes current), verified again.
    pub fn launch(&self) -> Result<LaunchRecord, MiniappError> {
        let l = self.store()?.launch()?;
        Ok(LaunchRecord { version: l.version, archive: l.archive.to_string_lossy().into_owned() })
    }

    /// Goes back to the previous version; returns it.
    pub fn rollback(&self) -> Result<String, MiniappError> {
        Ok(self.store()?.rollback()?)
    }

    /// Removes versions that are neither current, pending nor previous; returns them.
    pub fn collect_garbage(&self) -> Result<Vec<String>, MiniappError> {
        Ok(self.store()?.collect_garbage()?)
    }
}
