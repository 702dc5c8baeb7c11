//! Files: `wx.getFileSystemManager()` over a per-app sandbox.
//!
//! Virtual paths map to areas: `wxfile://usr/…` (user files, read-write, counted against the
//! policy's file quota), `wxfile://tmp/…` (temp files made by the runtime, read-only to the app),
//! and `/…` package files (read-only). Paths are normalised; `..` past an area's root, other
//! schemes, and symlinks that lead out of the sandbox are refused. The sandbox lives under the
//! host's data directory (`<data dir>/<app id>/files`), or in a temporary directory removed with
//! the app when the host gives none. Logic thread only.

use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use serde::Serialize;
use thiserror::Error;

use crate::package::Package;

/// Where a virtual path points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `wxfile://usr`: the app's own files.
    User,
    /// `wxfile://tmp`: temp files the runtime wrote (downloads…).
    Temp,
    /// `/…`: files of the package.
    Package,
}

/// A file-system failure; [`FsError::reason_key`] names its errno row.
#[derive(Debug, Error)]
pub enum FsError {
    /// Nothing there.
    #[error("no such file or directory, {0}")]
    NoSuchFile(String),
    /// Read-only area, or a path out of the sandbox.
    #[error("permission denied, {0}")]
    PermissionDenied(String),
    /// Already exists.
    #[error("file already exists, {0}")]
    Exists(String),
    /// A path segment is a file.
    #[error("not a directory, {0}")]
    NotDirectory(String),
    /// A file operation on a directory.
    #[error("illegal operation on a directory, {0}")]
    IsDirectory(String),
    /// `rmdir` of a non-empty directory without `recursive`.
    #[error("directory not empty, {0}")]
    NotEmpty(String),
    /// The write would pass the quota.
    #[error("the maximum size of the file storage limit is exceeded ({used} + {adding} bytes > {quota} bytes)")]
    QuotaExceeded {
        /// Bytes in use.
        used: u64,
        /// Bytes the write adds.
        adding: u64,
        /// The quota.
        quota: u64,
    },
    /// Not a path this sandbox understands.
    #[error("invalid path {0}: {1}")]
    InvalidPath(String, String),
    /// Another I/O error.
    #[error("{1}, {0}")]
    Io(String, String),
}

impl FsError {
    /// The key of this failure in `core/src/api/errors.json`.
    pub fn reason_key(&self) -> &'static str {
        match self {
            FsError::NoSuchFile(_) => "fsNoSuchFile",
            FsError::PermissionDenied(_) => "fsPermissionDenied",
            FsError::Exists(_) => "fsExists",
            FsError::NotDirectory(_) => "fsNotDirectory",
            FsError::IsDirectory(_) => "fsIsDirectory",
            FsError::NotEmpty(_) => "fsNotEmpty",
            FsError::QuotaExceeded { .. } => "fsQuotaExceeded",
            FsError::InvalidPath(..) => "fsInvalidPath",
            FsError::Io(..) => "fsIo",
        }
    }
}

/// `stat`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileStat {
    /// Bytes (0 for directories).
    pub size: u64,
    /// Unix mode bits.
    pub mode: u32,
    /// True for directories.
    pub is_directory: bool,
    /// Seconds since the epoch.
    pub last_modified_time: u64,
    /// Seconds since the epoch.
    pub last_accessed_time: u64,
}

type Result<T, E = FsError> = std::result::Result<T, E>;

struct Resolved {
    real: PathBuf,
    shown: String,
    area: Area,
}

/// One app's sandbox.
pub struct Sandbox {
    root: PathBuf,
    remove_on_drop: bool,
    package: Arc<Package>,
    quota: u64,
    /// Last temp-file number (per app, so names are deterministic).
    next_temp: std::cell::Cell<u64>,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if self.remove_on_drop {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

fn io(shown: &str, op: &str, e: &std::io::Error) -> FsError {
    let at = format!("{op} {shown}");
    match e.kind() {
        std::io::ErrorKind::NotFound => FsError::NoSuchFile(at),
        std::io::ErrorKind::AlreadyExists => FsError::Exists(at),
        std::io::ErrorKind::PermissionDenied => FsError::PermissionDenied(at),
        std::io::ErrorKind::NotADirectory => FsError::NotDirectory(at),
        std::io::ErrorKind::IsADirectory => FsError::IsDirectory(at),
        std::io::ErrorKind::DirectoryNotEmpty => FsError::NotEmpty(at),
        _ => FsError::Io(at, e.to_string()),
    }
}

/// What a directory costs against the file quota (one file-system block).
pub const DIR_COST: u64 = 4096;

/// What each file costs against the file quota besides its bytes (its inode and directory
/// entry), so a quota also bounds how many files an app can make: empty files are not free.
pub const FILE_ENTRY_COST: u64 = 256;

/// The sandbox folder (beside `usr` and `tmp`, so on the same file system, out of the app's
/// sight) where whole-file writes are staged before they replace the target.
const STAGING: &str = ".staging";

impl Sandbox {
    /// The package its package paths read from (replaced when a subpackage packed apart is
    /// loaded).
    pub fn set_package(&mut self, package: Arc<Package>) {
        self.package = package;
    }

    /// The sandbox of `app_id`: under `data_dir` when given, else a temporary directory.
    pub fn open(
        data_dir: Option<&Path>,
        app_id: &str,
        package: Arc<Package>,
        quota: u64,
    ) -> Result<Sandbox> {
        let (root, remove_on_drop) = match data_dir {
            Some(dir) => (dir.join(crate::storage::dir_name(app_id)).join("files"), false),
            None => {
                // created exclusively with a random name (never an existing path or a symlink
                // someone planted), removed when the sandbox goes
                let made = tempfile::Builder::new()
                    .prefix("miniapp-files-")
                    .tempdir()
                    .map_err(|e| io(&std::env::temp_dir().display().to_string(), "create", &e))?;
                (made.keep(), true)
            }
        };
        for area in ["usr", "tmp", STAGING] {
            fs::create_dir_all(root.join(area))
                .map_err(|e| io(&root.display().to_string(), "create", &e))?;
        }
        // what a process killed mid-write left: never renamed into place, so never seen
        if let Ok(stale) = fs::read_dir(root.join(STAGING)) {
            for entry in stale.flatten() {
                let _ = fs::remove_file(entry.path());
            }
        }
        let root =
            fs::canonicalize(&root).map_err(|e| io(&root.display().to_string(), "open", &e))?;
        Ok(Sandbox { root, remove_on_drop, package, quota, next_temp: std::cell::Cell::new(0) })
    }

    /// A new, unused temp file: its `wxfile://tmp/…` path and where the host should write it.
    pub fn new_temp_file(&self, extension: &str) -> (String, PathBuf) {
        let ext: String = extension.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
        loop {
            let n = self.next_temp.get() + 1;
            self.next_temp.set(n);
            let name = if ext.is_empty() { format!("tmp_{n}") } else { format!("tmp_{n}.{ext}") };
            let real = self.root.join("tmp").join(&name);
            if !real.exists() {
                return (format!("wxfile://tmp/{name}"), real);
            }
        }
    }

    /// The real location of an existing readable sandbox file (for the host to upload it).
    pub fn real_file(&self, path: &str) -> Result<PathBuf> {
        let r = self.resolve(path)?;
        if r.area == Area::Package && !self.package.contains(r.shown.trim_start_matches('/'))
            || !r.real.is_file()
        {
            return Err(FsError::NoSuchFile(format!("open {}", r.shown)));
        }
        Ok(r.real)
    }

    fn resolve(&self, path: &str) -> Result<Resolved> {
        let invalid = |why: &str| FsError::InvalidPath(path.to_string(), why.to_string());
        if path.is_empty() || path.contains('\0') {
            return Err(invalid("empty"));
        }
        let (area, rest) = if let Some(r) = path.strip_prefix("wxfile://usr") {
            (Area::User, r)
        } else if let Some(r) = path.strip_prefix("wxfile://tmp") {
            (Area::Temp, r)
        } else if path.starts_with('/') {
            (Area::Package, path)
        } else {
            return Err(invalid("use wxfile://usr/…, wxfile://tmp/… or a /package path"));
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return Err(invalid("unknown wxfile area"));
        }
        let mut parts: Vec<&str> = Vec::new();
        for seg in rest.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(FsError::PermissionDenied(format!(
                            "{path} leaves the sandbox"
                        )));
                    }
                }
                s => parts.push(s),
            }
        }
        let rel = parts.join("/");
        let (base, scheme) = match area {
            Area::User => (self.root.join("usr"), "wxfile://usr"),
            Area::Temp => (self.root.join("tmp"), "wxfile://tmp"),
            Area::Package => (self.package.root().to_path_buf(), ""),
        };
        let shown = if rel.is_empty() { scheme.to_string() } else { format!("{scheme}/{rel}") };
        let real = if rel.is_empty() { base.clone() } else { base.join(&rel) };
        // A symlink inside the sandbox must not lead out of it: check the deepest existing part.
        if area != Area::Package {
            let mut probe = real.clone();
            while !probe.exists() {
                if !probe.pop() {
                    break;
                }
            }
            if let Ok(canon) = fs::canonicalize(&probe) {
                if !canon.starts_with(&self.root) {
                    return Err(FsError::PermissionDenied(format!(
                        "{shown} leads out of the sandbox"
                    )));
                }
            }
        }
        Ok(Resolved { real, shown, area })
    }

    fn writable(&self, path: &str) -> Result<Resolved> {
        let r = self.resolve(path)?;
        if r.area != Area::User {
            return Err(FsError::PermissionDenied(format!(
                "open {} (only wxfile://usr is writable)",
                r.shown
            )));
        }
        Ok(r)
    }

    /// Bytes the quota counts: user and temp files by size, and [`DIR_COST`] per directory
    /// under them (so nested empty directories cannot fill the disk). Iterative: any depth.
    pub fn used_bytes(&self) -> u64 {
        let mut used = 0u64;
        let mut stack = vec![self.root.join("usr"), self.root.join("tmp")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                match e.metadata() {
                    Ok(m) if m.is_dir() => {
                        used += DIR_COST;
                        stack.push(e.path());
                    }
                    Ok(m) => used += m.len() + FILE_ENTRY_COST,
                    Err(_) => {}
                }
            }
        }
        used
    }

    /// After the host wrote the temp file `temp` (a download): keeps it when the quota still
    /// holds, else removes it and fails as a write past the quota would.
    pub fn admit_temp(&self, temp: &str) -> Result<()> {
        let used = self.used_bytes();
        if used <= self.quota {
            return Ok(());
        }
        let r = self.resolve(temp)?;
        let size = fs::metadata(&r.real).map(|m| m.len()).unwrap_or(0);
        let _ = fs::remove_file(&r.real);
        let cost = size + FILE_ENTRY_COST;
        Err(FsError::QuotaExceeded { used: used - cost.min(used), adding: cost, quota: self.quota })
    }

    /// Fails when `adding` more bytes would pass the quota.
    fn ensure_room(&self, adding: u64) -> Result<()> {
        let used = self.used_bytes();
        if used + adding > self.quota {
            return Err(FsError::QuotaExceeded { used, adding, quota: self.quota });
        }
        Ok(())
    }

    fn check_quota(&self, target: &Path, new_len: u64, appending: bool) -> Result<()> {
        // a file that is not there yet also costs its entry
        let (existing, entry) = match fs::metadata(target) {
            Ok(m) => (m.len(), 0),
            Err(_) => (0, FILE_ENTRY_COST),
        };
        let used = self.used_bytes();
        let after =
            if appending { used + new_len } else { used - existing.min(used) + new_len + entry };
        if after > self.quota {
            return Err(FsError::QuotaExceeded {
                used,
                adding: after.saturating_sub(used),
                quota: self.quota,
            });
        }
        Ok(())
    }

    /// Reads a file (package, temp or user), optionally a byte range.
    pub fn read(&self, path: &str, position: Option<u64>, length: Option<u64>) -> Result<Vec<u8>> {
        let r = self.resolve(path)?;
        let mut bytes = if r.area == Area::Package {
            let rel = r.shown.trim_start_matches('/');
            match self.package.source(rel) {
                Some(text) => text.as_bytes().to_vec(),
                None if self.package.contains(rel) && r.real.is_file() => {
                    fs::read(&r.real).map_err(|e| io(&r.shown, "open", &e))?
                }
                None => return Err(FsError::NoSuchFile(format!("open {}", r.shown))),
            }
        } else {
            if r.real.is_dir() {
                return Err(FsError::IsDirectory(format!("open {}", r.shown)));
            }
            let mut f = fs::File::open(&r.real).map_err(|e| io(&r.shown, "open", &e))?;
            if let Some(p) = position {
                f.seek(SeekFrom::Start(p)).map_err(|e| io(&r.shown, "read", &e))?;
            }
            let mut buf = Vec::new();
            match length {
                Some(n) => f.take(n).read_to_end(&mut buf),
                None => f.read_to_end(&mut buf),
            }
            .map_err(|e| io(&r.shown, "read", &e))?;
            return Ok(buf);
        };
        if let Some(p) = position {
            bytes.drain(..(p as usize).min(bytes.len()));
        }
        if let Some(n) = length {
            bytes.truncate(n as usize);
        }
        Ok(bytes)
    }

    /// Writes (or appends to) a user file.
    pub fn write(&self, path: &str, data: &[u8], append: bool) -> Result<()> {
        let r = self.writable(path)?;
        if r.real.is_dir() {
            return Err(FsError::IsDirectory(format!("open {}", r.shown)));
        }
        if append && !r.real.exists() {
            return Err(FsError::NoSuchFile(format!("open {}", r.shown)));
        }
        self.check_quota(&r.real, data.len() as u64, append)?;
        if !append {
            return self.replace(&r, data);
        }
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(&r.real)
            .map_err(|e| io(&r.shown, "open", &e))?;
        f.write_all(data).and_then(|()| f.sync_all()).map_err(|e| io(&r.shown, "write", &e))
    }

    /// Writes a whole file so that, whenever the process dies, the file holds either what it
    /// held before or all of `data`: written and synced under [`STAGING`], renamed over the
    /// target (atomic on one file system), then the directory synced so the rename lasts.
    fn replace(&self, r: &Resolved, data: &[u8]) -> Result<()> {
        let mut staged = tempfile::Builder::new()
            .prefix("write-")
            .tempfile_in(self.root.join(STAGING))
            .map_err(|e| io(&r.shown, "open", &e))?;
        staged
            .write_all(data)
            .and_then(|()| staged.as_file().sync_all())
            .map_err(|e| io(&r.shown, "write", &e))?;
        staged.persist(&r.real).map_err(|e| io(&r.shown, "write", &e.error))?;
        if let Some(dir) = r.real.parent() {
            // a directory that cannot be opened for syncing (some platforms) still has the file
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    /// Creates a directory (and its parents with `recursive`).
    pub fn mkdir(&self, path: &str, recursive: bool) -> Result<()> {
        let r = self.writable(path)?;
        if r.real.exists() {
            return Err(FsError::Exists(format!("mkdir {}", r.shown)));
        }
        // every directory made counts against the quota
        let mut missing = 0u64;
        let mut cur = Some(r.real.as_path());
        while let Some(c) = cur.filter(|c| !c.exists()) {
            missing += 1;
            cur = c.parent();
        }
        self.ensure_room(missing.max(1) * DIR_COST)?;
        let made = if recursive { fs::create_dir_all(&r.real) } else { fs::create_dir(&r.real) };
        made.map_err(|e| io(&r.shown, "mkdir", &e))
    }

    /// Removes a directory (its contents too with `recursive`).
    pub fn rmdir(&self, path: &str, recursive: bool) -> Result<()> {
        let r = self.writable(path)?;
        if r.real == self.root.join("usr") {
            return Err(FsError::PermissionDenied(format!("rmdir {} (the user root)", r.shown)));
        }
        if !r.real.is_dir() {
            return Err(if r.real.exists() {
                FsError::NotDirectory(format!("rmdir {}", r.shown))
            } else {
                FsError::NoSuchFile(format!("rmdir {}", r.shown))
            });
        }
        let done = if recursive { fs::remove_dir_all(&r.real) } else { fs::remove_dir(&r.real) };
        done.map_err(|e| io(&r.shown, "rmdir", &e))
    }

    /// Names in a directory, sorted.
    pub fn readdir(&self, path: &str) -> Result<Vec<String>> {
        let r = self.resolve(path)?;
        if r.area == Area::Package {
            let prefix = r.shown.trim_start_matches('/');
            let prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
            let mut names: Vec<String> = self
                .package
                .files()
                .filter_map(|p| {
                    p.strip_prefix(&prefix)
                        .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
                })
                .collect();
            names.dedup();
            if names.is_empty() {
                return Err(FsError::NoSuchFile(format!("scandir {}", r.shown)));
            }
            return Ok(names);
        }
        let mut names: Vec<String> = fs::read_dir(&r.real)
            .map_err(|e| io(&r.shown, "scandir", &e))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    /// File or directory facts.
    pub fn stat(&self, path: &str) -> Result<FileStat> {
        let r = self.resolve(path)?;
        if r.area == Area::Package {
            let rel = r.shown.trim_start_matches('/');
            if let Some(text) = self.package.source(rel) {
                return Ok(FileStat {
                    size: text.len() as u64,
                    mode: 0o100444,
                    is_directory: false,
                    last_modified_time: 0,
                    last_accessed_time: 0,
                });
            }
        }
        let m = fs::metadata(&r.real).map_err(|e| io(&r.shown, "stat", &e))?;
        let secs = |t: std::io::Result<std::time::SystemTime>| {
            t.ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs())
        };
        #[cfg(unix)]
        let mode = std::os::unix::fs::PermissionsExt::mode(&m.permissions());
        #[cfg(not(unix))]
        let mode = if m.is_dir() { 0o040755 } else { 0o100644 };
        Ok(FileStat {
            size: if m.is_dir() { 0 } else { m.len() },
            mode,
            is_directory: m.is_dir(),
            last_modified_time: secs(m.modified()),
            last_accessed_time: secs(m.accessed()),
        })
    }

    /// Removes a user file.
    pub fn unlink(&self, path: &str) -> Result<()> {
        let r = self.writable(path)?;
        if r.real.is_dir() {
            return Err(FsError::IsDirectory(format!("unlink {}", r.shown)));
        }
        fs::remove_file(&r.real).map_err(|e| io(&r.shown, "unlink", &e))
    }

    /// Renames within user files.
    pub fn rename(&self, from: &str, to: &str) -> Result<()> {
        let a = self.writable(from)?;
        let b = self.writable(to)?;
        if !a.real.exists() {
            return Err(FsError::NoSuchFile(format!("rename {}", a.shown)));
        }
        fs::rename(&a.real, &b.real).map_err(|e| io(&b.shown, "rename", &e))
    }

    /// Copies any readable file into user files.
    pub fn copy(&self, from: &str, to: &str) -> Result<()> {
        let data = self.read(from, None, None)?;
        self.write(to, &data, false)
    }

    /// Whether a path exists (an error when it does not).
    pub fn access(&self, path: &str) -> Result<()> {
        let r = self.resolve(path)?;
        let exists = match r.area {
            Area::Package => {
                let rel = r.shown.trim_start_matches('/');
                self.package.contains(rel)
                    || self.package.files().any(|p| p.starts_with(&format!("{rel}/")))
            }
            _ => r.real.exists(),
        };
        if exists {
            Ok(())
        } else {
            Err(FsError::NoSuchFile(format!("access {}", r.shown)))
        }
    }
}

/// Bytes → text in a `FileSystemManager` encoding (`utf8`, `base64`, `hex`, `binary`/`latin1`,
/// `ascii`, `ucs2`/`utf16le`).
pub fn encode(bytes: &[u8], encoding: &str) -> Result<String, String> {
    use base64::Engine;
    Ok(match encoding.to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => String::from_utf8_lossy(bytes).into_owned(),
        "base64" => base64::engine::general_purpose::STANDARD.encode(bytes),
        "hex" => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        "binary" | "latin1" => bytes.iter().map(|&b| char::from(b)).collect(),
        "ascii" => bytes.iter().map(|&b| char::from(b & 0x7f)).collect(),
        "ucs2" | "ucs-2" | "utf16le" | "utf-16le" => {
            let units: Vec<u16> =
                bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        other => return Err(format!("unsupported encoding \"{other}\"")),
    })
}

/// Text → bytes in a `FileSystemManager` encoding.
pub fn decode(text: &str, encoding: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    Ok(match encoding.to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => text.as_bytes().to_vec(),
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| format!("invalid base64: {e}"))?,
        "hex" => {
            if !text.len().is_multiple_of(2) {
                return Err("invalid hex: odd length".into());
            }
            (0..text.len())
                .step_by(2)
                .map(|i| {
                    u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| format!("invalid hex: {e}"))
                })
                .collect::<Result<_, _>>()?
        }
        "binary" | "latin1" => text.chars().map(|c| c as u32 as u8).collect(),
        "ascii" => text.chars().map(|c| (c as u32 & 0x7f) as u8).collect(),
        "ucs2" | "ucs-2" | "utf16le" | "utf-16le" => {
            text.encode_utf16().flat_map(u16::to_le_bytes).collect()
        }
        other => return Err(format!("unsupported encoding \"{other}\"")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip() -> Result<(), String> {
        let bytes = "héllo ✓".as_bytes();
        for enc in ["utf8", "base64", "hex", "latin1"] {
            assert_eq!(decode(&encode(bytes, enc)?, enc)?, bytes, "{enc}");
        }
        assert_eq!(encode(b"hi", "hex")?, "6869");
        assert!(decode("zz", "hex").is_err());
        assert!(encode(b"x", "klingon").is_err());
        Ok(())
    }

    fn sandbox(quota: u64) -> Result<Sandbox, Box<dyn std::error::Error>> {
        let pkg = Arc::new(Package::from_sources([
            ("app.json", "{}"),
            ("data/cities.json", "[\"Shenzhen\"]"),
        ]));
        Ok(Sandbox::open(None, "app", pkg, quota)?)
    }

    #[test]
    fn temp_sandboxes_never_follow_planted_paths() -> Result<(), Box<dyn std::error::Error>> {
        // symlinks planted where the old predictable names were
        let victim = tempfile::tempdir()?;
        let planted: Vec<PathBuf> = (0..4)
            .map(|n| std::env::temp_dir().join(format!("miniapp-files-{}-{n}", std::process::id())))
            .collect();
        for p in &planted {
            let _ = std::os::unix::fs::symlink(victim.path(), p);
        }
        let root = {
            let s = sandbox(1 << 20)?;
            s.write("wxfile://usr/a.txt", b"x", false)?;
            assert!(!planted.contains(&s.root), "{}", s.root.display());
            s.root.clone()
        };
        assert!(!root.exists(), "removed with the sandbox");
        assert_eq!(
            fs::read_dir(victim.path())?.count(),
            0,
            "nothing written through a planted link"
        );
        for p in &planted {
            let _ = fs::remove_file(p);
        }
        Ok(())
    }

    #[test]
    fn user_files_round_trip() -> Result<(), Box<dyn std::error::Error>> {
        let s = sandbox(1 << 20)?;
        s.mkdir("wxfile://usr/notes", false)?;
        s.write("wxfile://usr/notes/a.txt", b"hello", false)?;
        s.write("wxfile://usr/notes/a.txt", b" world", true)?;
        assert_eq!(s.read("wxfile://usr/notes/a.txt", None, None)?, b"hello world");
        assert_eq!(s.read("wxfile://usr/notes/a.txt", Some(6), Some(3))?, b"wor");
        assert_eq!(s.readdir("wxfile://usr/notes")?, vec!["a.txt"]);
        assert_eq!(s.stat("wxfile://usr/notes/a.txt")?.size, 11);
        assert!(s.stat("wxfile://usr/notes")?.is_directory);
        s.copy("wxfile://usr/notes/a.txt", "wxfile://usr/b.txt")?;
        s.rename("wxfile://usr/b.txt", "wxfile://usr/c.txt")?;
        assert!(s.access("wxfile://usr/b.txt").is_err());
        s.unlink("wxfile://usr/c.txt")?;
        assert!(matches!(s.rmdir("wxfile://usr/notes", false), Err(FsError::NotEmpty(_))));
        s.rmdir("wxfile://usr/notes", true)?;
        assert!(matches!(
            s.read("wxfile://usr/notes/a.txt", None, None),
            Err(FsError::NoSuchFile(_))
        ));
        Ok(())
    }

    #[test]
    fn whole_writes_are_staged_out_of_sight_and_leftovers_removed(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let data = tempfile::tempdir()?;
        let pkg = Arc::new(Package::from_sources([("app.json", "{}")]));
        let s = Sandbox::open(Some(data.path()), "wx1", pkg.clone(), 1 << 20)?;
        s.write("wxfile://usr/a.txt", b"one", false)?;
        s.write("wxfile://usr/a.txt", b"two", false)?;
        assert_eq!(s.read("wxfile://usr/a.txt", None, None)?, b"two");
        assert_eq!(s.readdir("wxfile://usr")?, vec!["a.txt"]);
        // what a process killed before its rename left is removed on the next open
        let staging = data.path().join("wx1").join("files").join(STAGING);
        assert_eq!(std::fs::read_dir(&staging)?.count(), 0);
        std::fs::write(staging.join("write-left"), b"half")?;
        drop(s);
        let _again = Sandbox::open(Some(data.path()), "wx1", pkg, 1 << 20)?;
        assert_eq!(std::fs::read_dir(&staging)?.count(), 0);
        Ok(())
    }

    #[test]
    fn package_files_are_read_only() -> Result<(), Box<dyn std::error::Error>> {
        let s = sandbox(1 << 20)?;
        assert_eq!(s.read("/data/cities.json", None, None)?, b"[\"Shenzhen\"]");
        assert_eq!(s.readdir("/data")?, vec!["cities.json"]);
        assert!(matches!(
            s.write("/data/cities.json", b"x", false),
            Err(FsError::PermissionDenied(_))
        ));
        assert!(matches!(
            s.write("wxfile://tmp/x", b"x", false),
            Err(FsError::PermissionDenied(_))
        ));
        s.copy("/data/cities.json", "wxfile://usr/cities.json")?;
        Ok(())
    }

    #[test]
    fn escapes_and_bad_paths_are_refused() -> Result<(), Box<dyn std::error::Error>> {
        let s = sandbox(1 << 20)?;
        assert!(matches!(
            s.read("wxfile://usr/../../etc/passwd", None, None),
            Err(FsError::PermissionDenied(_))
        ));
        assert!(matches!(
            s.write("wxfile://usr/../tmp/x", b"x", false),
            Err(FsError::PermissionDenied(_))
        ));
        assert!(matches!(
            s.read("/../../etc/passwd", None, None),
            Err(FsError::PermissionDenied(_))
        ));
        assert!(matches!(s.read("file:///etc/passwd", None, None), Err(FsError::InvalidPath(..))));
        assert!(matches!(s.read("wxfile://usrx/a", None, None), Err(FsError::InvalidPath(..))));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", s.root.join("usr/etc"))?;
            assert!(matches!(
                s.read("wxfile://usr/etc/passwd", None, None),
                Err(FsError::PermissionDenied(_))
            ));
        }
        Ok(())
    }

    #[test]
    fn directories_and_temp_files_count_against_the_quota() -> Result<(), Box<dyn std::error::Error>>
    {
        let s = sandbox(3 * DIR_COST)?;
        s.mkdir("wxfile://usr/a/b", true)?; // two directories
        assert!(matches!(
            s.mkdir("wxfile://usr/c/d", true),
            Err(FsError::QuotaExceeded { used, .. }) if used == 2 * DIR_COST
        ));
        // thousands of nested directories cannot be made under a small quota
        let deep = format!("wxfile://usr/{}", vec!["x"; 2000].join("/"));
        assert!(matches!(s.mkdir(&deep, true), Err(FsError::QuotaExceeded { .. })));
        // a temp file (what a download leaves) counts too
        let (temp, real) = s.new_temp_file("bin");
        fs::write(&real, vec![0u8; (DIR_COST - FILE_ENTRY_COST) as usize])?;
        assert_eq!(s.used_bytes(), 3 * DIR_COST);
        s.admit_temp(&temp)?; // exactly at the quota: kept
        let (big, big_real) = s.new_temp_file("bin");
        fs::write(&big_real, b"x")?;
        assert!(matches!(
            s.admit_temp(&big),
            Err(FsError::QuotaExceeded { adding, .. }) if adding == 1 + FILE_ENTRY_COST
        ));
        assert!(!big_real.exists(), "a download past the quota is removed");
        assert!(matches!(
            s.write("wxfile://usr/f", b"1", false),
            Err(FsError::QuotaExceeded { .. })
        ));
        Ok(())
    }

    #[test]
    fn empty_files_count_against_the_quota() -> Result<(), Box<dyn std::error::Error>> {
        // each file costs its entry: a quota bounds how many files an app can make
        let s = sandbox(64 * 1024)?;
        let made =
            (0..1000).take_while(|i| s.write(&format!("wxfile://usr/{i}"), b"", false).is_ok());
        assert_eq!(made.count() as u64, 64 * 1024 / FILE_ENTRY_COST);
        Ok(())
    }

    #[test]
    fn quota_is_enforced() -> Result<(), Box<dyn std::error::Error>> {
        let s = sandbox(10 + FILE_ENTRY_COST)?;
        s.write("wxfile://usr/a", b"123456", false)?;
        assert!(matches!(
            s.write("wxfile://usr/b", b"123456", false),
            Err(FsError::QuotaExceeded { used, adding, .. })
                if used == 6 + FILE_ENTRY_COST && adding == 6 + FILE_ENTRY_COST
        ));
        s.write("wxfile://usr/a", b"1234567890", false)?; // replacing frees the old size
        assert!(matches!(
            s.write("wxfile://usr/a", b"x", true),
            Err(FsError::QuotaExceeded { .. })
        ));
        Ok(())
    }
}
