//! API: the `wx` API's shared tables.
//!
//! [`registry`] lists every API the runtime implements, with its capability group and calling
//! kind; the framework JS wraps each one with the capability check and WeChat's conventions.
//! [`ERRORS_JSON`] is the one table of failure reasons (errMsg text and errno) that the
//! framework and tests read. Plain data; any thread.

pub mod registry;

/// The base library version the runtime reports (`wx.getSystemInfoSync().SDKVersion`, the
/// automator's `Tool.getInfo`): the WeChat base library whose APIs this runtime follows.
pub const SDK_VERSION: &str = "3.3.4";

/// Failure reasons: `{ key: { errno, message } }` (`core/src/api/errors.json`).
pub const ERRORS_JSON: &str = include_str!("api/errors.json");

/// The errno and message of a failure reason from [`ERRORS_JSON`].
pub fn error(key: &str) -> Option<(i64, String)> {
    let table: serde_json::Value = serde_json::from_str(ERRORS_JSON).ok()?;
    let e = table.get(key)?;
    Some((e.get("errno")?.as_i64()?, e.get("message")?.as_str()?.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_table_is_consistent() {
        let table: serde_json::Value =
            serde_json::from_str(ERRORS_JSON).expect("errors.json parses");
        for (key, e) in table.as_object().expect("object") {
            if key.starts_with('_') {
                continue;
            }
            assert!(
                e.get("errno").and_then(serde_json::Value::as_i64).is_some(),
                "{key} lacks errno"
            );
            assert!(
                e.get("message").and_then(serde_json::Value::as_str).is_some_and(|m| !m.is_empty()),
                "{key} lacks message"
            );
        }
        assert_eq!(error("noPermission"), Some((102, "no permission".into())));
    }
}
