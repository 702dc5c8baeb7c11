//! Package: a mini-program project directory loaded into memory.
//!
//! [`Package::open_dir`] walks the directory once, reads every source file (`.js`, `.json`,
//! `.wxml`, `.wxss`, `.wxs`, `.ts`) as UTF-8 and lists every other file as an asset. Symlinks are
//! followed only when they stay inside the root; hidden entries are skipped, and so is
//! `node_modules/`, except for what DevTools' "build npm" would take from it ([`npm`]). Problems that leave the rest of the
//! package usable become [`Diagnostics`]; only an unreadable root is an `Err`.
//!
//! The loaded package is immutable plain data (`Send + Sync`); paths are normalised with
//! [`path::resolve`], which also rejects references that escape the root.

mod archive;
mod asset;
pub mod manifest;
mod npm;
mod open_packed;
pub mod packed;
pub mod path;
pub mod positions;
pub mod precompiled;
pub mod project;
pub mod signing;
pub mod split;
pub mod store;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

use self::positions::PositionMap;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};

/// Extensions read as UTF-8 source text.
pub(crate) const SOURCE_EXTENSIONS: [&str; 8] =
    ["js", "json", "wxml", "wxss", "wxs", "ts", "less", "scss"];
/// Whether the file at `path` is read as source text (by its extension).
pub(crate) fn is_source(path: &str) -> bool {
    extension(path).is_some_and(|e| SOURCE_EXTENSIONS.contains(&e))
}
/// Upper bound on files in one package, so a wrong directory (a home folder) fails fast.
pub(crate) const MAX_FILES: usize = 20_000;
/// Upper bound on source bytes held in memory.
pub(crate) const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// A package that cannot be opened at all.
#[derive(Debug, Error)]
pub enum PackageError {
    /// The root is missing or not a directory.
    #[error("cannot open mini-program package `{path}`: {reason}")]
    RootUnreadable {
        /// The path given.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// Too many files or bytes: probably not a mini-program directory.
    #[error("`{path}` is too large for a mini-program package ({what}); point at the directory that holds app.json")]
    TooLarge {
        /// The path given.
        path: PathBuf,
        /// Which limit was hit.
        what: String,
    },
}

/// A loaded mini-program package.
#[derive(Debug, Clone)]
pub struct Package {
    root: PathBuf,
    sources: BTreeMap<String, String>,
    assets: BTreeSet<String>,
    diagnostics: Diagnostics,
    /// Compiled scripts by path: the file they were compiled from and their position map.
    compiled: BTreeMap<String, (String, PositionMap)>,
    /// The developer tool's project file, in the package or (with `miniprogramRoot`) above it.
    project: Option<project::ProjectConfig>,
    /// For a ZIP (`root` is the file): the folder inside it that holds `app.json` (`""` or
    /// `name/`), so assets can be read from it later.
    archive_prefix: Option<String>,
    /// For a packed archive with a compiled section: what `miniapp pack` compiled.
    precompiled: Option<std::sync::Arc<precompiled::Precompiled>>,
    /// Folders outside the root that hold package paths (`miniprogram_npm/x/` built from
    /// `node_modules/x`): path prefix → canonical directory.
    mounts: BTreeMap<String, PathBuf>,
    /// For a packed archive: each asset's manifest entry, checked when the asset is read.
    asset_manifest: Option<std::sync::Arc<BTreeMap<String, packed::FileEntry>>>,
    /// For a split packed archive: the subpackages packed apart (see [`split`]).
    split: Option<split::Split>,
    /// Assets of subpackages loaded from archives of their own: path prefix → archive.
    asset_archives: BTreeMap<String, PathBuf>,
}

impl Package {
    /// Loads a project directory: the folder holding `app.json`, or a developer-tool project
    /// folder whose `project.config.json` names it as `miniprogramRoot`.
    pub fn open_dir(dir: impl AsRef<Path>) -> Result<Package, PackageError> {
        let given = dir.as_ref();
        let root = fs::canonicalize(given).map_err(|e| PackageError::RootUnreadable {
            path: given.to_path_buf(),
            reason: e.to_string(),
        })?;
        if !root.is_dir() {
            return Err(PackageError::RootUnreadable {
                path: given.to_path_buf(),
                reason: "not a directory".into(),
            });
        }
        let located = project::locate(&root);
        let root = located.root.clone();
        let mut pkg = Package {
            root: root.clone(),
            sources: BTreeMap::new(),
            assets: BTreeSet::new(),
            diagnostics: Diagnostics::default(),
            compiled: BTreeMap::new(),
            project: located.config.clone(),
            archive_prefix: None,
            precompiled: None,
            mounts: BTreeMap::new(),
            asset_manifest: None,
            split: None,
            asset_archives: BTreeMap::new(),
        };
        let mut walk = Walk { pkg: &mut pkg, files: 0, bytes: 0, given, open: Vec::new() };
        walk.dir(&root, "")?;
        npm::build_npm(&mut walk, &located)?;
        Ok(pkg)
    }

    /// Loads a project directory, a ZIP archive of one, or a packed archive (verified).
    pub fn open(path: impl AsRef<Path>) -> Result<Package, PackageError> {
        Package::open_trusting(path, &[])
    }

    /// [`Package::open`], where a packed archive (`miniapp pack`) is verified first: every
    /// file's hash always, and its signature against `trusted` when that is not empty (then an
    /// unsigned or a plain package is refused).
    pub fn open_trusting(
        path: impl AsRef<Path>,
        trusted: &[signing::PublicKey],
    ) -> Result<Package, PackageError> {
        let p = path.as_ref();
        let packed = p.is_file() && packed::is_packed(p);
        if !packed && !trusted.is_empty() {
            return Err(PackageError::RootUnreadable {
                path: p.to_path_buf(),
                reason: "not a signed packed archive, and this host only opens packages signed by its trusted keys (`miniapp pack --key`)".into(),
            });
        }
        if packed {
            Package::open_packed(p, trusted).map(|(pkg, _)| pkg)
        } else if p.is_file() {
            Package::open_archive(p)
        } else {
            Package::open_dir(p)
        }
    }

    /// Builds a package from in-memory sources (tests, benches, generated apps).
    pub fn from_sources<I, P, S>(files: I) -> Package
    where
        I: IntoIterator<Item = (P, S)>,
        P: Into<String>,
        S: Into<String>,
    {
        let mut pkg = Package {
            root: PathBuf::new(),
            sources: BTreeMap::new(),
            assets: BTreeSet::new(),
            diagnostics: Diagnostics::default(),
            compiled: BTreeMap::new(),
            project: None,
            archive_prefix: None,
            precompiled: None,
            mounts: BTreeMap::new(),
            asset_manifest: None,
            split: None,
            asset_archives: BTreeMap::new(),
        };
        for (p, s) in files {
            let p = p.into();
            match path::normalize(&p) {
                Ok(norm) => {
                    pkg.sources.insert(norm, s.into());
                }
                Err(e) => pkg.diagnostics.push(Diagnostic::new(
                    Level::Fatal,
                    Code::PathEscapes,
                    p,
                    e.to_string(),
                )),
            }
        }
        pkg.read_project_file();
        pkg
    }

    /// Parses `project.config.json` (and `project.private.config.json`) among the sources.
    fn read_project_file(&mut self) {
        let private = self.source("project.private.config.json");
        self.project = self
            .source(project::FILE)
            .and_then(|text| project::ProjectConfig::parse(text, private));
    }

    /// The developer tool's project file (`project.config.json`), if the project has one.
    pub fn project(&self) -> Option<&project::ProjectConfig> {
        self.project.as_ref()
    }

    /// What `miniapp pack` compiled, for a packed archive that has it.
    pub fn precompiled(&self) -> Option<&precompiled::Precompiled> {
        self.precompiled.as_deref()
    }

    /// The compiled section, shared.
    pub(crate) fn precompiled_shared(&self) -> Option<std::sync::Arc<precompiled::Precompiled>> {
        self.precompiled.clone()
    }

    /// Sets (or drops) the compiled section.
    pub(crate) fn set_precompiled(&mut self, pre: Option<precompiled::Precompiled>) {
        self.precompiled = pre.map(std::sync::Arc::new);
    }

    /// The code the compile step put at `path` and where it came from (see
    /// [`Package::set_compiled_source`]).
    #[cfg(feature = "compiler")]
    pub(crate) fn compiled_entry(&self, path: &str) -> Option<&(String, PositionMap)> {
        self.compiled.get(path)
    }

    /// The canonical root directory (empty for in-memory packages).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The text of a source file, by normalised package path.
    pub fn source(&self, path: &str) -> Option<&str> {
        self.sources.get(path).map(String::as_str)
    }

    /// Adds or replaces a source file (npm packages built from `node_modules/`).
    pub(crate) fn set_source(&mut self, path: &str, text: String) {
        self.assets.remove(path);
        self.sources.insert(path.to_string(), text);
    }

    /// Puts compiled code at `path` (in place of the source, or beside `original` when that is
    /// another file: `x.ts` compiled serves as `x.js`), remembering where its code came from.
    pub fn set_compiled_source(
        &mut self,
        path: &str,
        original: String,
        code: String,
        positions: PositionMap,
    ) {
        self.set_source(path, code);
        self.compiled.insert(path.to_string(), (original, positions));
    }

    /// The file a compiled script was compiled from, `None` for files used as written.
    pub fn compiled_from(&self, file: &str) -> Option<&str> {
        self.compiled.get(file).map(|(original, _)| original.as_str())
    }

    /// Where a position in a compiled script came from (file as written, 1-based line and
    /// column); `None` for files that were not compiled.
    pub fn original_position(
        &self,
        file: &str,
        line: u32,
        column: u32,
    ) -> Option<(String, u32, u32)> {
        let (original, positions) = self.compiled.get(file)?;
        let (l, c) = positions.original(line, column)?;
        Some((original.clone(), l, c))
    }

    /// Every file path (sources and assets), sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        let mut all: Vec<&str> =
            self.sources.keys().chain(self.assets.iter()).map(String::as_str).collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// True if the package has this file (source or asset).
    pub fn contains(&self, path: &str) -> bool {
        self.sources.contains_key(path) || self.assets.contains(path)
    }

    /// Every source file with its text, by path, in sorted order.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources.iter().map(|(p, s)| (p.as_str(), s.as_str()))
    }

    /// All source paths with the given extension (without the dot), in sorted order.
    pub fn sources_with_extension<'a>(
        &'a self,
        ext: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.sources.iter().filter_map(move |(p, s)| {
            (extension(p) == Some(ext)).then_some((p.as_str(), s.as_str()))
        })
    }

    /// Resolves a CommonJS `require(request)` made by the script at `from` (a package path)
    /// the way WeChat does: `/…` from the root, otherwise relative to `from`'s directory, then
    /// in each `miniprogram_npm/` from that directory up to the root. Tries the exact path,
    /// then `.js`, then `/index.js` (a `.json` file only by its exact path, as a module
    /// exporting its value). `Ok(None)` when nothing matches.
    pub fn resolve_script(
        &self,
        from: &str,
        request: &str,
    ) -> Result<Option<String>, path::PathError> {
        let find = |base: &str, req: &str| -> Result<Option<String>, path::PathError> {
            let p = path::resolve(base, req)?;
            let candidates = [p.clone(), format!("{p}.js"), format!("{p}/index.js")];
            let is_module =
                |c: &str| extension(c) == Some("js") || (c == p && extension(c) == Some("json"));
            Ok(candidates.into_iter().find(|c| is_module(c) && self.sources.contains_key(c)))
        };
        let dir = path::dir_of(from);
        if let Some(found) = find(dir, request)? {
            return Ok(Some(found));
        }
        if request.starts_with('/') || request.starts_with("./") || request.starts_with("../") {
            return Ok(None);
        }
        for npm in path::npm_search_dirs(dir) {
            if let Ok(Some(found)) = find(&npm, request) {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Problems found while loading.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }
}

/// The extension of a package path, without the dot.
pub fn extension(path: &str) -> Option<&str> {
    let name = &path[path.rfind('/').map_or(0, |i| i + 1)..];
    name.rfind('.').filter(|&i| i > 0).map(|i| &name[i + 1..])
}

struct Walk<'a> {
    pkg: &'a mut Package,
    files: usize,
    bytes: u64,
    given: &'a Path,
    /// The directories being walked, outermost first (a symlink back to one is a loop).
    open: Vec<std::path::PathBuf>,
}

/// The deepest directory nesting a package may have.
const MAX_DIR_DEPTH: usize = 64;

impl Walk<'_> {
    fn too_large(&self, what: String) -> PackageError {
        PackageError::TooLarge { path: self.given.to_path_buf(), what }
    }

    fn warn(&mut self, level: Level, code: Code, rel: &str, msg: String) {
        self.pkg.diagnostics.push(Diagnostic::new(level, code, rel, msg));
    }

    fn dir(&mut self, abs: &Path, rel: &str) -> Result<(), PackageError> {
        if self.open.len() >= MAX_DIR_DEPTH {
            let msg = format!("directories nested more than {MAX_DIR_DEPTH} deep; skipped");
            self.warn(Level::Warn, Code::PackageUnreadable, rel, msg);
            return Ok(());
        }
        self.open.push(abs.to_path_buf());
        let r = self.dir_entries(abs, rel);
        self.open.pop();
        r
    }

    fn dir_entries(&mut self, abs: &Path, rel: &str) -> Result<(), PackageError> {
        let entries = match fs::read_dir(abs) {
            Ok(e) => e,
            Err(e) => {
                if rel.is_empty() {
                    return Err(PackageError::RootUnreadable {
                        path: self.given.to_path_buf(),
                        reason: e.to_string(),
                    });
                }
                self.warn(
                    Level::Warn,
                    Code::PackageUnreadable,
                    rel,
                    format!("cannot read directory: {e}"),
                );
                return Ok(());
            }
        };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        names.sort_by_key(|e| e.file_name());
        for entry in names {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "node_modules" {
                continue;
            }
            let child_rel = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            let child_abs = entry.path();
            let meta = match fs::symlink_metadata(&child_abs) {
                Ok(m) => m,
                Err(e) => {
                    self.warn(
                        Level::Warn,
                        Code::PackageUnreadable,
                        &child_rel,
                        format!("cannot read: {e}"),
                    );
                    continue;
                }
            };
            let target = if meta.file_type().is_symlink() {
                match fs::canonicalize(&child_abs) {
                    Ok(t) if t.starts_with(&self.pkg.root) => t,
                    Ok(t) => {
                        self.warn(
                            Level::Fatal,
                            Code::PathEscapes,
                            &child_rel,
                            format!(
                                "symlink points outside the package root (to `{}`); copy the file into the package instead",
                                t.display()
                            ),
                        );
                        continue;
                    }
                    Err(e) => {
                        self.warn(
                            Level::Warn,
                            Code::PackageUnreadable,
                            &child_rel,
                            format!("broken symlink: {e}"),
                        );
                        continue;
                    }
                }
            } else {
                child_abs.clone()
            };
            let Ok(target_meta) = fs::metadata(&target) else { continue };
            if target_meta.is_dir() {
                if self.open.contains(&target) {
                    let msg = "symlink loop (it points to a directory that contains it); skipped";
                    self.warn(Level::Warn, Code::PackageUnreadable, &child_rel, msg.to_string());
                    continue;
                }
                self.dir(&target, &child_rel)?;
                continue;
            }
            if !target_meta.is_file() {
                // a named pipe or device would block or never end
                let msg = "not a regular file (a pipe, socket or device); skipped";
                self.warn(Level::Warn, Code::PackageUnreadable, &child_rel, msg.to_string());
                continue;
            }
            self.files += 1;
            if self.files > MAX_FILES {
                return Err(self.too_large(format!("more than {MAX_FILES} files")));
            }
            let is_source = is_source(&child_rel);
            if !is_source {
                self.pkg.assets.insert(child_rel);
                continue;
            }
            if self.bytes + target_meta.len() > MAX_SOURCE_BYTES {
                return Err(self.too_large(format!(
                    "more than {MAX_SOURCE_BYTES} bytes of source (`{child_rel}` is {} bytes)",
                    target_meta.len()
                )));
            }
            match fs::read(&target) {
                Ok(bytes) => {
                    self.bytes += bytes.len() as u64;
                    if self.bytes > MAX_SOURCE_BYTES {
                        return Err(
                            self.too_large(format!("more than {MAX_SOURCE_BYTES} bytes of source"))
                        );
                    }
                    match String::from_utf8(bytes) {
                        Ok(mut text) => {
                            if text.starts_with('\u{feff}') {
                                text.drain(..3);
                            }
                            self.pkg.sources.insert(child_rel, text);
                        }
                        Err(e) => self.warn(
                            Level::Error,
                            Code::NotUtf8,
                            &child_rel,
                            format!(
                                "not valid UTF-8 (byte {}); save the file as UTF-8",
                                e.utf8_error().valid_up_to()
                            ),
                        ),
                    }
                }
                Err(e) => self.warn(
                    Level::Error,
                    Code::PackageUnreadable,
                    &child_rel,
                    format!("cannot read: {e}"),
                ),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_sources_and_assets_skipping_node_modules() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("app.json"), "\u{feff}{}")?;
        fs::create_dir_all(dir.path().join("pages/a"))?;
        fs::write(dir.path().join("pages/a/a.js"), "Page({})")?;
        fs::write(dir.path().join("pages/a/logo.png"), [0u8, 1, 2])?;
        fs::create_dir_all(dir.path().join("node_modules/x"))?;
        fs::write(dir.path().join("node_modules/x/index.js"), "")?;
        let pkg = Package::open_dir(dir.path())?;
        assert_eq!(pkg.source("app.json"), Some("{}"));
        assert_eq!(pkg.source("pages/a/a.js"), Some("Page({})"));
        assert!(pkg.contains("pages/a/logo.png"));
        assert!(!pkg.contains("node_modules/x/index.js"));
        assert!(pkg.diagnostics().is_empty());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_pipes_are_skipped_with_a_warning() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        fs::create_dir(dir.path().join("utils"))?;
        fs::write(dir.path().join("utils/a.js"), "x")?;
        std::os::unix::fs::symlink("..", dir.path().join("utils/up"))?;
        let fifo = dir.path().join("utils/pipe.js");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        assert!(made.success());
        // would recurse without end and block on the pipe before
        let pkg = Package::open_dir(dir.path())?;
        assert_eq!(pkg.source("utils/a.js"), Some("x"));
        let text = pkg.diagnostics().to_string();
        assert!(text.contains("utils/up: warning [E100]: symlink loop"), "{text}");
        assert!(text.contains("utils/pipe.js: warning [E100]: not a regular file"), "{text}");
        Ok(())
    }

    #[test]
    fn symlink_outside_root_is_fatal() -> Result<(), Box<dyn std::error::Error>> {
        let outside = tempfile::tempdir()?;
        fs::write(outside.path().join("secret.js"), "x")?;
        let dir = tempfile::tempdir()?;
        std::os::unix::fs::symlink(outside.path().join("secret.js"), dir.path().join("leak.js"))?;
        let pkg = Package::open_dir(dir.path())?;
        assert!(pkg.source("leak.js").is_none());
        let d = pkg.diagnostics().iter().next().ok_or("no diagnostic")?;
        assert_eq!(
            (d.level, d.code, d.path.as_str()),
            (Level::Fatal, Code::PathEscapes, "leak.js")
        );
        Ok(())
    }

    #[test]
    fn missing_root_is_an_error() {
        let err = Package::open_dir("/definitely/not/here").err();
        assert!(matches!(err, Some(PackageError::RootUnreadable { .. })));
    }

    #[test]
    fn resolves_require_like_wechat() {
        let pkg = Package::from_sources([
            ("pages/a/a.js", ""),
            ("utils/util.js", ""),
            ("utils/lib/index.js", ""),
            ("miniprogram_npm/dayjs/index.js", ""),
            ("pages/a/helper.js", ""),
        ]);
        let r = |from: &str, req: &str| pkg.resolve_script(from, req);
        assert_eq!(r("pages/a/a.js", "../../utils/util"), Ok(Some("utils/util.js".into())));
        assert_eq!(r("pages/a/a.js", "/utils/util.js"), Ok(Some("utils/util.js".into())));
        assert_eq!(r("pages/a/a.js", "/utils/lib"), Ok(Some("utils/lib/index.js".into())));
        assert_eq!(r("pages/a/a.js", "helper"), Ok(Some("pages/a/helper.js".into())));
        assert_eq!(r("pages/a/a.js", "dayjs"), Ok(Some("miniprogram_npm/dayjs/index.js".into())));
        assert_eq!(r("pages/a/a.js", "./nope"), Ok(None));
        assert!(r("pages/a/a.js", "../../../etc/passwd").is_err());
    }

    #[test]
    fn extension_of_paths() {
        assert_eq!(extension("a/b.wxml"), Some("wxml"));
        assert_eq!(extension("a.b/c"), None);
        assert_eq!(extension(".hidden"), None);
    }
}
