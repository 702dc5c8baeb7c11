//! Subpackages packed apart (`miniapp pack --split-subpackages`, see `package::split`): when
//! the app first goes into one, its archive is taken from beside the main archive, or fetched
//! by the host (the host call `loadSubpackage`, answered with the path it saved the archive
//! to), verified, and added to the running app: its files, styles, compiled section and the
//! problems found compiling it. Logic thread only (it changes [`AppState`]).

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::Diagnostics;
use crate::package::split::SubpackageArchive;

use super::state::AppState;

impl AppState {
    /// What is needed before the app can go into subpackage `root`: nothing (`None`) when it
    /// is loaded, not packed apart, or its archive lies beside the main archive (then it is
    /// loaded now), else the archive the host has to fetch. An archive beside the main one
    /// that does not verify is an error naming the check that failed.
    pub fn subpackage_to_fetch(&self, root: &str) -> Result<Option<SubpackageArchive>, String> {
        let Some((archive, beside)) = self.package().pending_subpackage(root) else {
            return Ok(None);
        };
        if beside.is_file() {
            self.load_subpackage_archive(root, &beside)?;
            return Ok(None);
        }
        Ok(Some(archive))
    }

    /// Verifies the archive of subpackage `root` at `path` and adds the subpackage to the app.
    pub fn load_subpackage_archive(&self, root: &str, path: &Path) -> Result<(), String> {
        let package = Arc::new(self.package().with_subpackage(root, path)?);
        let mut diags = Diagnostics::default();
        if let Some(sheets) = self.style_sheets.borrow_mut().as_mut() {
            sheets.add_package(&package, root, &mut diags);
        }
        // what compiling the subpackage's scripts and styles reported when it was packed
        if let Some(pre) = package.precompiled() {
            let prefix = format!("{root}/");
            let mut compiled = pre.diagnostics.clone();
            diags.extend(compiled.take_where(|d| d.path.starts_with(&prefix)));
        }
        self.problems.borrow_mut().add(diags, Default::default());
        self.set_package(package);
        tracing::debug!(target: "miniapp::package", app = %self.app_id, root, path = %path.display(), "subpackage loaded");
        Ok(())
    }
}
