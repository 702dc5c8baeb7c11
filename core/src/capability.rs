//! Capability: what the host lets a mini program do.
//!
//! A [`Policy`] is JSON (documented in the README, loaded by `miniapp run --policy FILE` and
//! passed through the embedding API). It grants capability *groups*; every `wx` API belongs to
//! one ([`crate::api::registry`]). APIs of the `base` group (routing, page chrome, system info,
//! app events) are always available. A denied call fails with `errno` 102 and never reaches the
//! host; each decision is traced on `miniapp::capability`. Plain data; any thread.

pub mod domain;

use std::collections::BTreeSet;

use serde::Deserialize;
use thiserror::Error;

/// Group of APIs every app may use.
pub const BASE_GROUP: &str = "base";

/// The groups this runtime defines (hosts may add their own for custom APIs).
pub const KNOWN_GROUPS: &[&str] = &[
    "storage",
    "network",
    "ui",
    "file",
    "clipboard",
    "phone",
    "scan",
    "location",
    "camera",
    "album",
    "payment",
    "login",
    "device",
    "audio",
    "record",
];

/// A policy that does not parse or names unknown things.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    /// Not valid JSON, or a field has the wrong type.
    #[error("capability policy is invalid: {0}")]
    Invalid(String),
}

/// Storage limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct StorageLimits {
    /// Total bytes of keys and values per app (WeChat: 10 MB).
    pub quota_bytes: u64,
    /// Bytes of one value (WeChat: 1 MB).
    pub max_value_bytes: u64,
}

impl Default for StorageLimits {
    fn default() -> Self {
        StorageLimits { quota_bytes: 10 * 1024 * 1024, max_value_bytes: 1024 * 1024 }
    }
}

/// File-system limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FileLimits {
    /// Bytes of user files (`wxfile://usr`) per app (WeChat: 200 MB).
    pub quota_bytes: u64,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits { quota_bytes: 200 * 1024 * 1024 }
    }
}

/// JS limits for the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct JsLimits {
    /// JS heap limit in bytes.
    pub heap_bytes: u64,
    /// Longest one JS task may run, in milliseconds, before it is interrupted.
    pub task_millis: u64,
}

impl Default for JsLimits {
    fn default() -> Self {
        let d = crate::engine::Limits::default();
        JsLimits { heap_bytes: d.heap_bytes as u64, task_millis: d.task_time.as_millis() as u64 }
    }
}

/// Network allowlists per kind (WeChat's "server domain" lists).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct NetworkPolicy {
    /// Hosts (optionally `host:port`) `wx.request` may reach.
    pub request: Vec<String>,
    /// Hosts `wx.uploadFile` may reach.
    pub upload: Vec<String>,
    /// Hosts `wx.downloadFile` may reach.
    pub download: Vec<String>,
    /// Hosts `wx.connectSocket` may reach.
    pub socket: Vec<String>,
    /// Development only: allow `http`/`ws`, IP literals and localhost.
    pub allow_insecure: bool,
}

/// The host's decision about one app.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Policy {
    /// Granted groups (`storage`, `network`, `ui`, … or host-defined names).
    pub grant: BTreeSet<String>,
    /// Network allowlists.
    pub network: NetworkPolicy,
    /// Storage limits.
    pub storage: StorageLimits,
    /// File-system limits.
    pub files: FileLimits,
    /// JS heap and time limits.
    pub limits: JsLimits,
}

impl Default for Policy {
    /// Grants nothing beyond the base group: a host must decide explicitly.
    fn default() -> Self {
        Policy {
            grant: BTreeSet::new(),
            network: NetworkPolicy::default(),
            storage: StorageLimits::default(),
            files: FileLimits::default(),
            limits: JsLimits::default(),
        }
    }
}

/// The outcome of a capability check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The call may proceed.
    Allowed,
    /// The call fails; the reason goes into its errMsg.
    Denied(String),
}

impl Policy {
    /// Parses a policy document.
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy =
            serde_json::from_str(text).map_err(|e| PolicyError::Invalid(e.to_string()))?;
        policy.allowlist().map_err(|e| PolicyError::Invalid(e.to_string()))?;
        if policy.limits.heap_bytes < 4 << 20 || policy.limits.task_millis == 0 {
            return Err(PolicyError::Invalid(
                "limits.heapBytes must be at least 4 MiB and limits.taskMillis above 0".into(),
            ));
        }
        if policy.storage.max_value_bytes > policy.storage.quota_bytes {
            return Err(PolicyError::Invalid(
                "storage.maxValueBytes is larger than storage.quotaBytes".into(),
            ));
        }
        Ok(policy)
    }

    /// The policy the CLI uses without `--policy`: every group the headless host answers
    /// (network only to the listed domains). Embedders start from [`Policy::default`], which
    /// grants nothing.
    pub fn headless_default() -> Policy {
        Policy { grant: KNOWN_GROUPS.iter().map(|s| s.to_string()).collect(), ..Policy::default() }
    }

    /// The engine limits this policy sets.
    pub fn engine_limits(&self) -> crate::engine::Limits {
        crate::engine::Limits {
            heap_bytes: usize::try_from(self.limits.heap_bytes).unwrap_or(usize::MAX),
            task_time: std::time::Duration::from_millis(self.limits.task_millis),
            ..crate::engine::Limits::default()
        }
    }

    /// The network allowlists, validated (every entry a host or `host:port`).
    pub fn allowlist(&self) -> Result<domain::Allowlist, domain::AllowlistError> {
        let n = &self.network;
        domain::Allowlist::new(&n.request, &n.upload, &n.download, &n.socket)
    }

    /// May the app contact `url` for `kind` (WeChat's domain rules against the allowlists)?
    pub fn check_url(
        &self,
        kind: domain::UrlKind,
        url: &str,
    ) -> Result<domain::CheckedUrl, String> {
        let list = self.allowlist().map_err(|e| e.to_string())?;
        let opts = domain::CheckOptions { allow_insecure: self.network.allow_insecure };
        list.check(kind, url, &opts).map_err(|e| e.to_string())
    }

    /// May `app` call `api` of `group`? Traced either way.
    pub fn check(&self, app: &str, api: &str, group: &str) -> Decision {
        let decision = if group == BASE_GROUP || self.grant.contains(group) {
            Decision::Allowed
        } else {
            Decision::Denied(format!(
                "the host does not grant the `{group}` capability to this mini program"
            ))
        };
        let allowed = decision == Decision::Allowed;
        tracing::debug!(target: "miniapp::capability", app, api, capability = group, allowed, "capability decision");
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks() {
        let p = Policy::from_json(r#"{"grant":["storage","location"],"network":{"request":["api.example.com"]},"storage":{"quotaBytes":2048,"maxValueBytes":1024}}"#)
            .expect("valid policy");
        assert_eq!(p.check("app", "setStorage", "storage"), Decision::Allowed);
        assert_eq!(p.check("app", "navigateTo", BASE_GROUP), Decision::Allowed);
        assert!(
            matches!(p.check("app", "scanCode", "scan"), Decision::Denied(r) if r.contains("`scan`"))
        );
        assert_eq!(p.storage.quota_bytes, 2048);
        assert_eq!(p.network.request, vec!["api.example.com"]);
    }

    #[test]
    fn urls_are_checked_against_the_allowlist() {
        let p = Policy::from_json(
            r#"{"network":{"request":["api.example.com"],"socket":["ws.example.com"]}}"#,
        )
        .expect("valid");
        assert!(p.check_url(domain::UrlKind::Request, "https://API.example.com./v1?q=1").is_ok());
        assert!(p.check_url(domain::UrlKind::Request, "http://api.example.com/").is_err());
        assert!(p.check_url(domain::UrlKind::Request, "https://api.example.com:443/").is_err());
        assert!(p.check_url(domain::UrlKind::Request, "https://2130706433/").is_err());
        assert!(p.check_url(domain::UrlKind::Socket, "wss://ws.example.com:9000/chat").is_ok());
    }

    #[test]
    fn rejects_bad_documents() {
        assert!(Policy::from_json("{").is_err());
        assert!(
            Policy::from_json(r#"{"grants":["x"]}"#).is_err(),
            "unknown fields are typos, not silence"
        );
        assert!(Policy::from_json(r#"{"storage":{"quotaBytes":10,"maxValueBytes":20}}"#).is_err());
        assert!(Policy::from_json(r#"{"limits":{"heapBytes":1024}}"#).is_err());
        let limited = Policy::from_json(r#"{"limits":{"heapBytes":67108864,"taskMillis":250}}"#)
            .expect("valid");
        assert_eq!(limited.engine_limits().task_time, std::time::Duration::from_millis(250));
        let bad_entry = Policy::from_json(r#"{"network":{"request":["*.example.com"]}}"#);
        assert!(bad_entry.err().is_some_and(|e| e.to_string().contains("*.example.com")));
        assert_eq!(
            Policy::default().check("a", "showToast", "ui"),
            Decision::Denied(
                "the host does not grant the `ui` capability to this mini program".into()
            )
        );
    }
}
