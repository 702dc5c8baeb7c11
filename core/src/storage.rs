//! Storage: `wx.setStorage` and friends, persistent per app in SQLite.
//!
//! One database per app (`<data dir>/<app id>/storage.sqlite`; in memory when the host gives no
//! data directory). Each write is one transaction in WAL mode with `synchronous=FULL`: a write
//! that returned is on disk, and a crash mid-write leaves the previous value. Sizes count key
//! and value bytes; one value may not exceed `max_value_bytes`, all together not `quota_bytes`
//! (WeChat: 1 MB and 10 MB). Values are stored as the framework encodes them (JSON text plus
//! a kind, so `Date` round-trips). Owned by the app's logic thread.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use thiserror::Error;

use crate::capability::StorageLimits;

/// A storage failure; [`StorageError::reason_key`] names its row in the errno table.
#[derive(Debug, Error)]
pub enum StorageError {
    /// Empty key.
    #[error("key should not be empty")]
    EmptyKey,
    /// One value is larger than the limit.
    #[error("value of `{key}` is {size} bytes, over the {limit}-byte limit per key")]
    ValueTooLarge {
        /// Key.
        key: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The app's storage would exceed its quota.
    #[error("storing `{key}` would use {would_use} bytes, over the app's {quota}-byte quota")]
    QuotaExceeded {
        /// Key.
        key: String,
        /// Total after the write.
        would_use: u64,
        /// The quota.
        quota: u64,
    },
    /// The database could not be opened or written.
    #[error("storage database error at {path}: {source}")]
    Database {
        /// Database file (or `:memory:`).
        path: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The data directory could not be created.
    #[error("cannot create storage directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl StorageError {
    /// The key of this failure in `core/src/api/errors.json`.
    pub fn reason_key(&self) -> &'static str {
        match self {
            StorageError::EmptyKey => "storageKeyInvalid",
            StorageError::ValueTooLarge { .. } => "storageValueTooLarge",
            StorageError::QuotaExceeded { .. } => "storageQuotaExceeded",
            StorageError::Database { .. } | StorageError::Directory { .. } => "storageUnavailable",
        }
    }
}

/// `wx.getStorageInfo`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageInfo {
    /// Every key, in insertion order.
    pub keys: Vec<String>,
    /// KB used (rounded up).
    pub current_size: u64,
    /// KB allowed.
    pub limit_size: u64,
}

/// One app's storage.
pub struct Storage {
    conn: Connection,
    path: String,
    limits: StorageLimits,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage").field("path", &self.path).field("limits", &self.limits).finish()
    }
}

type Result<T, E = StorageError> = std::result::Result<T, E>;

impl Storage {
    /// Opens (creating if needed) the storage of `app_id` under `data_dir`, or an in-memory
    /// store when `data_dir` is `None`.
    pub fn open(data_dir: Option<&Path>, app_id: &str, limits: StorageLimits) -> Result<Storage> {
        let (conn, path) = match data_dir {
            Some(dir) => {
                let dir = dir.join(dir_name(app_id));
                std::fs::create_dir_all(&dir)
                    .map_err(|source| StorageError::Directory { path: dir.clone(), source })?;
                let file = dir.join("storage.sqlite");
                let path = file.display().to_string();
                let conn = Connection::open(&file)
                    .map_err(|source| StorageError::Database { path: path.clone(), source })?;
                (conn, path)
            }
            None => {
                let conn = Connection::open_in_memory()
                    .map_err(|source| StorageError::Database { path: ":memory:".into(), source })?;
                (conn, ":memory:".into())
            }
        };
        let store = Storage { conn, path, limits };
        store
            .conn
            .execute_batch(
                "PRAGMA journal_mode=WAL;
                 PRAGMA synchronous=FULL;
                                  CREATE TABLE IF NOT EXISTS kv (
                     seq INTEGER PRIMARY KEY AUTOINCREMENT,
                     key TEXT NOT NULL UNIQUE,
                     kind TEXT NOT NULL,
                     value TEXT NOT NULL,
                     size INTEGER NOT NULL
                 );
                 CREATE TABLE IF NOT EXISTS scopes (
                     scope TEXT PRIMARY KEY,
                     granted INTEGER NOT NULL
                 );",
            )
            .map_err(|e| store.db(e))?;
        Ok(store)
    }

    fn db(&self, source: rusqlite::Error) -> StorageError {
        StorageError::Database { path: self.path.clone(), source }
    }

    /// Bytes used by all entries.
    pub fn used_bytes(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT COALESCE(SUM(size), 0) FROM kv", [], |r| r.get(0))
            .map_err(|e| self.db(e))?;
        Ok(n.max(0) as u64)
    }

    /// Stores `value` (already encoded) under `key`, replacing any previous value.
    pub fn set(&mut self, key: &str, kind: &str, value: &str) -> Result<()> {
        if key.is_empty() {
            return Err(StorageError::EmptyKey);
        }
        let size = (key.len() + value.len()) as u64;
        if value.len() as u64 > self.limits.max_value_bytes {
            return Err(StorageError::ValueTooLarge {
                key: key.into(),
                size: value.len() as u64,
                limit: self.limits.max_value_bytes,
            });
        }
        let path = self.path.clone();
        let db = |source| StorageError::Database { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(db)?;
        let total: i64 = tx
            .query_row("SELECT COALESCE(SUM(size), 0) FROM kv WHERE key <> ?1", [key], |r| r.get(0))
            .map_err(db)?;
        let would_use = total.max(0) as u64 + size;
        if would_use > self.limits.quota_bytes {
            return Err(StorageError::QuotaExceeded {
                key: key.into(),
                would_use,
                quota: self.limits.quota_bytes,
            });
        }
        tx.execute(
            "INSERT INTO kv (key, kind, value, size) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, value = excluded.value, size = excluded.size",
            params![key, kind, value, size as i64],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    /// The stored `(kind, value)` of `key`.
    pub fn get(&self, key: &str) -> Result<Option<(String, String)>> {
        self.conn
            .query_row("SELECT kind, value FROM kv WHERE key = ?1", [key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| self.db(e))
    }

    /// Removes `key`; true if it existed.
    pub fn remove(&mut self, key: &str) -> Result<bool> {
        let n =
            self.conn.execute("DELETE FROM kv WHERE key = ?1", [key]).map_err(|e| self.db(e))?;
        Ok(n > 0)
    }

    /// Removes everything.
    pub fn clear(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM kv", []).map(drop).map_err(|e| self.db(e))
    }

    /// Keys and sizes.
    pub fn info(&self) -> Result<StorageInfo> {
        let mut stmt =
            self.conn.prepare("SELECT key FROM kv ORDER BY seq").map_err(|e| self.db(e))?;
        let keys = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.db(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db(e))?;
        let used = self.used_bytes()?;
        Ok(StorageInfo {
            keys,
            current_size: used.div_ceil(1024),
            limit_size: self.limits.quota_bytes / 1024,
        })
    }

    /// The user's remembered decision about a consent scope (`scope.userLocation`…), if any.
    /// Scopes live beside storage but outside its quota and `getStorageInfo`.
    pub fn scope(&self, scope: &str) -> Result<Option<bool>> {
        self.conn
            .query_row("SELECT granted FROM scopes WHERE scope = ?1", [scope], |r| {
                r.get::<_, i64>(0)
            })
            .optional()
            .map(|v| v.map(|g| g != 0))
            .map_err(|e| self.db(e))
    }

    /// Remembers the user's decision about a scope.
    pub fn set_scope(&mut self, scope: &str, granted: bool) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO scopes (scope, granted) VALUES (?1, ?2) ON CONFLICT(scope) DO UPDATE SET granted = excluded.granted",
                params![scope, i64::from(granted)],
            )
            .map(drop)
            .map_err(|e| self.db(e))
    }

    /// Every remembered scope decision, by scope name.
    pub fn scopes(&self) -> Result<Vec<(String, bool)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT scope, granted FROM scopes ORDER BY scope")
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? != 0)))
            .map_err(|e| self.db(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db(e))?;
        Ok(rows)
    }

    /// SQLite's own consistency check ("ok" when the file is sound).
    pub fn integrity_check(&self) -> Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.db(e))
    }
}

/// The directory name of a data key: injective (different keys never share a directory, on
/// case-insensitive file systems too) and safe (no separators, dots or reserved names).
/// `[a-z0-9-]` stay; every other byte is `_` and two upper-case hex digits (`wx_a` → `wx_5Fa`,
/// `wx.a` → `wx_2Ea`, `A` → `_41`). Names longer than 120 bytes keep their first 100 and add
/// `~` with a 64-bit FNV-1a hash of the whole key.
pub fn dir_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 8);
    for b in key.bytes() {
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02X}"));
        }
    }
    if out.is_empty() {
        return "_".into(); // no key encodes to a lone `_`
    }
    if out.len() > 120 {
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.truncate(100);
        out.push_str(&format!("~{h:016x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(quota: u64, max_value: u64) -> StorageLimits {
        StorageLimits { quota_bytes: quota, max_value_bytes: max_value }
    }

    #[test]
    fn set_get_remove_clear_info() -> Result<(), Box<dyn std::error::Error>> {
        let mut s = Storage::open(None, "app", StorageLimits::default())?;
        s.set("a", "json", "1")?;
        s.set("b", "json", "\"x\"")?;
        s.set("a", "json", "2")?;
        assert_eq!(s.get("a")?, Some(("json".into(), "2".into())));
        assert_eq!(s.get("missing")?, None);
        assert_eq!(s.info()?.keys, vec!["a", "b"]);
        assert_eq!(s.info()?.limit_size, 10240);
        assert!(s.remove("a")?);
        assert!(!s.remove("a")?);
        s.clear()?;
        assert!(s.info()?.keys.is_empty());
        Ok(())
    }

    #[test]
    fn limits_are_enforced_and_nothing_is_lost() -> Result<(), Box<dyn std::error::Error>> {
        let mut s = Storage::open(None, "app", limits(100, 40))?;
        assert!(matches!(s.set("", "json", "1"), Err(StorageError::EmptyKey)));
        assert!(matches!(
            s.set("k", "json", &"x".repeat(41)),
            Err(StorageError::ValueTooLarge { .. })
        ));
        s.set("k1", "json", &"a".repeat(40))?;
        s.set("k2", "json", &"b".repeat(40))?;
        let err = s.set("k3", "json", &"c".repeat(30));
        assert!(
            matches!(err, Err(StorageError::QuotaExceeded { would_use: 116, quota: 100, .. })),
            "{err:?}"
        );
        assert_eq!(err.err().map(|e| e.reason_key()), Some("storageQuotaExceeded"));
        s.set("k1", "json", "small")?; // replacing frees the old value's space
        assert_eq!(s.used_bytes()?, 2 + 5 + 2 + 40);
        assert_eq!(s.get("k2")?.map(|(_, v)| v.len()), Some(40));
        Ok(())
    }

    #[test]
    fn directory_names_are_injective() {
        let ids = ["wx_a", "wx.a", "wx-a", "WXA", "wxa", "", "_", "a/b", "a\\b", ".."];
        let names: std::collections::BTreeSet<String> = ids.iter().map(|i| dir_name(i)).collect();
        assert_eq!(names.len(), ids.len(), "{names:?}");
        assert_eq!(dir_name("wx1234abcd"), "wx1234abcd");
        assert_eq!(dir_name("wx_a"), "wx_5Fa");
        let long = "x".repeat(500);
        assert!(dir_name(&long).len() <= 120 && dir_name(&long) != dir_name(&"x".repeat(501)));
        assert!(names.iter().all(|n| !n.contains(['/', '\\', '.'])));
    }

    #[test]
    fn persists_per_app_on_disk() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        {
            let mut a = Storage::open(Some(dir.path()), "wx123", StorageLimits::default())?;
            a.set("k", "date", "\"2024-01-01T00:00:00.000Z\"")?;
            let mut b = Storage::open(Some(dir.path()), "other/../app", StorageLimits::default())?;
            b.set("k", "json", "1")?;
        }
        let a = Storage::open(Some(dir.path()), "wx123", StorageLimits::default())?;
        assert_eq!(a.get("k")?, Some(("date".into(), "\"2024-01-01T00:00:00.000Z\"".into())));
        assert_eq!(a.integrity_check()?, "ok");
        assert!(
            dir.path().join("other_2F_2E_2E_2Fapp/storage.sqlite").exists(),
            "app ids cannot escape the data dir"
        );
        let mut a = a;
        a.set_scope("scope.userLocation", false)?;
        a.set_scope("scope.camera", true)?;
        a.set_scope("scope.userLocation", true)?;
        assert_eq!(a.scope("scope.userLocation")?, Some(true));
        assert_eq!(a.scope("scope.record")?, None);
        assert_eq!(
            a.scopes()?,
            vec![("scope.camera".into(), true), ("scope.userLocation".into(), true)]
        );
        assert_eq!(a.info()?.keys, vec!["k"], "scopes are not storage keys");
        Ok(())
    }
}
