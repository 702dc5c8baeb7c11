//! Installed packed packages of one app, kept in a host folder so an update never leaves the
//! app unlaunchable:
//!
//! ```text
//! <root>/versions/<version>/app.mpk   each installed version, verified when installed
//! <root>/current                       the version launched now      (one line)
//! <root>/pending                       installed, launched from the next launch on
//! <root>/previous                      the version before current, for rollback
//! <root>/incoming/                     archives being written; cleared when the store opens
//! ```
//!
//! Every change is write-to-a-temporary-file, fsync, rename, fsync the folder: a crash (or a
//! SIGKILL) at any point leaves either the old state or the new one, and a half-written archive
//! only in `incoming/`, which the next [`PackageStore::open`] removes. An archive is verified
//! (hashes, signature against the store's trusted keys) before it is installed, a version not
//! newer than the installed one is refused, and [`PackageStore::launch`] verifies again what it
//! hands out. Each operation holds an exclusive lock on `<root>/lock`, so processes and threads
//! sharing a folder take turns (an install in progress is never cleared by another's open).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::packed::{self, Manifest, PackError, SizeLimits};
use super::signing::PublicKey;

/// Why a store operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The archive did not verify.
    #[error("the archive was refused: {0}")]
    Refused(#[from] PackError),
    /// Not newer than what is installed.
    #[error(
        "version {offered} is not newer than the installed {installed}: downgrades are refused"
    )]
    Downgrade { offered: String, installed: String },
    /// A version string that cannot name a folder.
    #[error("version `{0}` is not usable (letters, digits, `.`, `-`, `_`, `+` only)")]
    BadVersion(String),
    /// Nothing installed to launch or roll back to.
    #[error("{0}")]
    Nothing(String),
    /// The file system failed.
    #[error("{0}")]
    Io(String),
}

fn io(what: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> StoreError {
    move |e| StoreError::Io(format!("{what}: {e}"))
}

/// An app's installed versions (see the module docs).
pub struct PackageStore {
    root: PathBuf,
    trusted: Vec<PublicKey>,
    limits: StoreLimits,
}

/// Size caps of a store, checked before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreLimits {
    /// Each archive (see [`SizeLimits`]).
    pub package: SizeLimits,
    /// The archives kept once an install is launched — the current version (then previous) and
    /// the new one — in bytes (default 256 MiB); versions `collect_garbage` would then remove
    /// do not count.
    pub max_total_bytes: u64,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits { package: SizeLimits::default(), max_total_bytes: 256 << 20 }
    }
}

/// What [`PackageStore::launch`] hands out.
#[derive(Debug, Clone, PartialEq)]
pub struct Launchable {
    /// The version.
    pub version: String,
    /// Its archive, verified.
    pub archive: PathBuf,
}

impl PackageStore {
    /// Opens (creating) the store at `root`; archives must be signed by one of `trusted` (none:
    /// any, hashes still checked). Removes what an interrupted install left in `incoming/`.
    pub fn open(root: impl AsRef<Path>, trusted: &[PublicKey]) -> Result<PackageStore, StoreError> {
        let root = root.as_ref().to_path_buf();
        for dir in ["versions", "incoming"] {
            fs::create_dir_all(root.join(dir)).map_err(io(root.join(dir).display()))?;
        }
        let store =
            PackageStore { root, trusted: trusted.to_vec(), limits: StoreLimits::default() };
        let _turn = store.lock()?;
        for entry in fs::read_dir(store.root.join("incoming")).map_err(io("incoming"))?.flatten() {
            let _ = fs::remove_file(entry.path());
        }
        Ok(store)
    }

    /// The same store with other size caps.
    pub fn with_limits(mut self, limits: StoreLimits) -> PackageStore {
        self.limits = limits;
        self
    }

    /// Waits for this folder's lock; released when the file is dropped.
    fn lock(&self) -> Result<File, StoreError> {
        let path = self.root.join("lock");
        let f = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(path.display()))?;
        f.lock().map_err(io(path.display()))?;
        Ok(f)
    }

    fn pointer(&self, name: &str) -> Option<String> {
        let text = fs::read_to_string(self.root.join(name)).ok()?;
        let v = text.trim().to_string();
        (!v.is_empty() && self.archive(&v).is_file()).then_some(v)
    }

    /// Writes pointer `name` (or removes it) atomically.
    fn set_pointer(&self, name: &str, version: Option<&str>) -> Result<(), StoreError> {
        let path = self.root.join(name);
        match version {
            None => match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(name)(e)),
            },
            Some(v) => {
                let tmp = self.root.join("incoming").join(format!("{name}.tmp"));
                let mut f = File::create(&tmp).map_err(io(tmp.display()))?;
                f.write_all(format!("{v}\n").as_bytes()).map_err(io(tmp.display()))?;
                f.sync_all().map_err(io(tmp.display()))?;
                fs::rename(&tmp, &path).map_err(io(path.display()))?;
            }
        }
        sync_dir(&self.root)
    }

    fn archive(&self, version: &str) -> PathBuf {
        self.root.join("versions").join(version).join("app.mpk")
    }

    /// The newest installed version: pending, else current.
    pub fn installed(&self) -> Option<String> {
        self.pointer("pending").or_else(|| self.pointer("current"))
    }

    /// Verifies `archive` and installs it next to the installed versions, to be launched from
    /// the next [`PackageStore::launch`] on. Refuses a version not newer than the installed one.
    pub fn install(&self, archive: &[u8]) -> Result<Manifest, StoreError> {
        let (manifest, _) = packed::verify_within(archive, &self.trusted, self.limits.package)?;
        let _turn = self.lock()?;
        let version = manifest.version.clone();
        let usable = |c: char| c.is_ascii_alphanumeric() || "._-+".contains(c);
        if version.is_empty() || version.starts_with('.') || !version.chars().all(usable) {
            return Err(StoreError::BadVersion(version));
        }
        if let Some(installed) = self.installed() {
            if compare_versions(&version, &installed) != std::cmp::Ordering::Greater {
                return Err(StoreError::Downgrade { offered: version, installed });
            }
        }
        // kept from the next launch on: the current version (then previous) and this one; an
        // older pending install and the previous version become garbage
        let current = self
            .pointer("current")
            .and_then(|v| fs::metadata(self.archive(&v)).ok())
            .map_or(0, |m| m.len());
        let total = current + archive.len() as u64;
        if total > self.limits.max_total_bytes {
            return Err(StoreError::Refused(PackError::TooLarge(format!(
                "the store would hold {total} bytes of archives; at most {} are allowed",
                self.limits.max_total_bytes
            ))));
        }
        let tmp = self.root.join("incoming").join(format!("{version}.mpk"));
        let mut f = File::create(&tmp).map_err(io(tmp.display()))?;
        f.write_all(archive).map_err(io(tmp.display()))?;
        f.sync_all().map_err(io(tmp.display()))?;
        let dir = self.root.join("versions").join(&version);
        fs::create_dir_all(&dir).map_err(io(dir.display()))?;
        fs::rename(&tmp, self.archive(&version)).map_err(io(dir.display()))?;
        sync_dir(&dir)?;
        sync_dir(&self.root.join("versions"))?;
        self.set_pointer("pending", Some(&version))?;
        Ok(manifest)
    }

    /// Verifies `archive` as the archive of subpackage `root` of installed `version` (a split
    /// package: see `package::split`; a host calls this when the app asks it to fetch one with
    /// the host call `loadSubpackage`) and saves it beside that version's main archive, where
    /// the running app and every later launch find it. Returns its path.
    pub fn install_subpackage(
        &self,
        version: &str,
        root: &str,
        archive: &[u8],
    ) -> Result<PathBuf, StoreError> {
        if archive.len() as u64 > self.limits.package.max_archive_bytes {
            return Err(StoreError::Refused(PackError::TooLarge(format!(
                "the archive is {} bytes; at most {} are accepted",
                archive.len(),
                self.limits.package.max_archive_bytes
            ))));
        }
        let _turn = self.lock()?;
        let main_path = self.archive(version);
        let main_bytes = fs::read(&main_path).map_err(|e| {
            StoreError::Nothing(format!("version {version} is not installed ({e})"))
        })?;
        let (main, _) = packed::verify_within(&main_bytes, &self.trusted, self.limits.package)?;
        super::split::verify_subpackage(&main, root, archive, &self.trusted)
            .map_err(|e| StoreError::Refused(PackError::WrongSubpackage(e)))?;
        let file = &main.subpackages[root].file;
        let tmp = self.root.join("incoming").join(file);
        let mut f = File::create(&tmp).map_err(io(tmp.display()))?;
        f.write_all(archive).map_err(io(tmp.display()))?;
        f.sync_all().map_err(io(tmp.display()))?;
        let dir = self.root.join("versions").join(version);
        let at = dir.join(file);
        fs::rename(&tmp, &at).map_err(io(dir.display()))?;
        sync_dir(&dir)?;
        Ok(at)
    }

    /// The version to launch now: a pending install becomes current (the old current becomes
    /// previous); its archive is verified again before it is handed out.
    pub fn launch(&self) -> Result<Launchable, StoreError> {
        let _turn = self.lock()?;
        if let Some(pending) = self.pointer("pending") {
            let current = self.pointer("current");
            if current.as_deref() != Some(pending.as_str()) {
                self.set_pointer("previous", current.as_deref())?;
                self.set_pointer("current", Some(&pending))?;
            }
            self.set_pointer("pending", None)?;
        }
        let version = self
            .pointer("current")
            .ok_or_else(|| StoreError::Nothing("no version is installed".into()))?;
        let archive = self.archive(&version);
        let bytes = fs::read(&archive).map_err(io(archive.display()))?;
        packed::verify_within(&bytes, &self.trusted, self.limits.package)?;
        Ok(Launchable { version, archive })
    }

    /// Goes back to the previous version (the current one is dropped from launches).
    pub fn rollback(&self) -> Result<String, StoreError> {
        let _turn = self.lock()?;
        let previous = self.pointer("previous").ok_or_else(|| {
            StoreError::Nothing("there is no previous version to go back to".into())
        })?;
        self.set_pointer("pending", None)?;
        self.set_pointer("current", Some(&previous))?;
        self.set_pointer("previous", None)?;
        Ok(previous)
    }

    /// Removes versions that are neither current, pending nor previous; returns them.
    pub fn collect_garbage(&self) -> Result<Vec<String>, StoreError> {
        let _turn = self.lock()?;
        let keep: Vec<String> =
            ["current", "pending", "previous"].iter().filter_map(|p| self.pointer(p)).collect();
        let mut removed = Vec::new();
        for entry in fs::read_dir(self.root.join("versions")).map_err(io("versions"))?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                fs::remove_dir_all(entry.path()).map_err(io(entry.path().display()))?;
                removed.push(name);
            }
        }
        removed.sort();
        Ok(removed)
    }
}

/// Makes a folder's entries (renames) durable.
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir.display()))
}

/// Orders dotted versions numerically where both parts are numbers (`1.10.0` > `1.9.2`), else
/// by text.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let mut x = a.split(['.', '-', '+']);
    let mut y = b.split(['.', '-', '+']);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(p), Some(q)) => {
                let order = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    _ => p.cmp(q),
                };
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::signing::SecretKey;
    use crate::package::Package;

    fn archive(version: &str, key: &SecretKey) -> Vec<u8> {
        let pkg = Package::from_sources([
            ("app.json", r#"{"pages":["p/i"]}"#.to_string()),
            ("p/i.wxml", format!("<view>{version}</view>")),
        ]);
        packed::pack(&pkg, version, Some(key)).expect("packs")
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("miniapp-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[cfg(feature = "compiler")]
    #[test]
    fn a_subpackage_fetched_later_is_verified_and_saved_beside_its_version() {
        let key = SecretKey::generate().expect("key");
        let split = |version: &str| {
            let pkg = Package::from_sources([
                ("app.json", r#"{"pages":["p/i"],"subpackages":[{"root":"s","pages":["q"]}]}"#),
                ("app.js", "App({})"),
                ("p/i.js", "Page({})"),
                ("p/i.wxml", "<view>main</view>"),
                ("s/q.js", "Page({})"),
                ("s/q.wxml", "<view>sub</view>"),
            ]);
            let pre = crate::runtime::prepare::precompile_split(&pkg).expect("compiles");
            super::super::split::pack_split(&pkg, version, Some(&key), &pre, "app.mpk")
                .expect("packs")
        };
        let (one, two) = (split("1.0.0"), split("2.0.0"));
        let store = PackageStore::open(temp("sub"), &[key.public()]).expect("opens");
        store.install(&one.main).expect("installs");
        let launched = store.launch().expect("launches");
        // another version's subpackage is refused; this version's is saved beside its archive
        let err = store.install_subpackage("1.0.0", "s", &two.subpackages[0].2).expect_err("no");
        assert!(err.to_string().contains("packed with another version"), "{err}");
        let at = store.install_subpackage("1.0.0", "s", &one.subpackages[0].2).expect("saved");
        assert_eq!(at, launched.archive.with_file_name("app.s.mpk"));
        assert_eq!(fs::read(&at).expect("read"), one.subpackages[0].2);
        let (pkg, _) = Package::open_packed(&launched.archive, &[key.public()]).expect("opens");
        assert!(pkg.subpackage_pending("s"));
        let (_, beside) = pkg.pending_subpackage("s").expect("pending");
        assert_eq!(beside, at, "where the running app looks");
        assert!(!pkg.with_subpackage("s", &at).expect("loads").subpackage_pending("s"));
        let missing = store.install_subpackage("9.9.9", "s", &one.subpackages[0].2);
        assert!(matches!(missing, Err(StoreError::Nothing(_))), "{missing:?}");
        let _ = fs::remove_dir_all(temp("sub"));
    }

    #[test]
    fn versions_compare_numerically() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("1.10.0", "1.9.2"), Greater);
        assert_eq!(compare_versions("1.2", "1.2.0"), Less);
        assert_eq!(compare_versions("2.0.0", "2.0.0"), Equal);
        assert_eq!(compare_versions("1.0.0-beta", "1.0.0-alpha"), Greater);
    }

    #[test]
    fn install_switches_on_the_next_launch_and_rolls_back() {
        let key = SecretKey::generate().expect("key");
        let dir = temp("cycle");
        let store = PackageStore::open(&dir, &[key.public()]).expect("opens");
        assert!(matches!(store.launch(), Err(StoreError::Nothing(_))));
        store.install(&archive("1.0.0", &key)).expect("installs");
        assert_eq!(store.launch().expect("launches").version, "1.0.0");
        store.install(&archive("1.1.0", &key)).expect("installs");
        // the new version is pending until the next launch
        assert_eq!(store.pointer("current").as_deref(), Some("1.0.0"));
        assert_eq!(store.launch().expect("launches").version, "1.1.0");
        // downgrades and reinstalls are refused
        for v in ["1.0.5", "1.1.0"] {
            assert!(matches!(store.install(&archive(v, &key)), Err(StoreError::Downgrade { .. })));
        }
        // someone else's archive is refused before anything is written
        let other = SecretKey::generate().expect("key");
        assert!(matches!(
            store.install(&archive("9.0.0", &other)),
            Err(StoreError::Refused(PackError::UntrustedKey { .. }))
        ));
        assert_eq!(store.rollback().expect("rolls back"), "1.0.0");
        assert_eq!(store.launch().expect("launches").version, "1.0.0");
        assert!(matches!(store.rollback(), Err(StoreError::Nothing(_))));
        assert_eq!(store.collect_garbage().expect("collects"), ["1.1.0"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn size_caps_refuse_before_writing() {
        let key = SecretKey::generate().expect("key");
        let dir = temp("caps");
        let one = archive("1.0.0", &key);
        let limits =
            StoreLimits { max_total_bytes: one.len() as u64 + 10, ..StoreLimits::default() };
        let store = PackageStore::open(&dir, &[key.public()]).expect("opens").with_limits(limits);
        store.install(&one).expect("fits");
        store.launch().expect("launches");
        let err = store.install(&archive("1.1.0", &key)).expect_err("two do not fit");
        assert!(err.to_string().contains("at most"), "{err}");
        assert!(!dir.join("versions/1.1.0").exists(), "nothing was written");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn threads_sharing_a_folder_take_turns() {
        let key = SecretKey::generate().expect("key");
        let dir = temp("turns");
        let archives: Vec<Vec<u8>> = (1..=8).map(|i| archive(&format!("1.0.{i}"), &key)).collect();
        std::thread::scope(|s| {
            for a in &archives {
                let (dir, key) = (&dir, key.public());
                s.spawn(move || {
                    let store = PackageStore::open(dir, &[key]).expect("opens");
                    // out of order, some are downgrades by the time they run: refused whole
                    let _ = store.install(a);
                    store.launch().expect("a version launches");
                });
            }
        });
        let store = PackageStore::open(&dir, &[key.public()]).expect("opens");
        let launched = store.launch().expect("launches");
        let bytes = fs::read(&launched.archive).expect("read");
        assert_eq!(
            packed::verify(&bytes, &[key.public()]).expect("whole").0.version,
            launched.version
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_half_written_install_is_cleared_and_a_damaged_archive_is_not_launched() {
        let key = SecretKey::generate().expect("key");
        let dir = temp("damage");
        let store = PackageStore::open(&dir, &[key.public()]).expect("opens");
        store.install(&archive("1.0.0", &key)).expect("installs");
        store.launch().expect("launches");
        fs::write(dir.join("incoming/2.0.0.mpk"), b"PK\x03\x04half").expect("write");
        let store = PackageStore::open(&dir, &[key.public()]).expect("opens");
        assert_eq!(fs::read_dir(dir.join("incoming")).expect("dir").count(), 0);
        // a byte changed on disk after installing: refused at launch, by name
        let path = store.archive("1.0.0");
        let mut bytes = fs::read(&path).expect("read");
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        fs::write(&path, bytes).expect("write");
        assert!(matches!(store.launch(), Err(StoreError::Refused(_))));
        let _ = fs::remove_dir_all(&dir);
    }
}
