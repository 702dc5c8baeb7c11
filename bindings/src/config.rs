//! The JSON app configuration hosts pass in (shared by every binding).
//!
//! ```json
//! {"viewport": {"width": 375, "height": 667, "pixelRatio": 2},
//!  "safeArea": {"top": 44, "bottom": 34}, "clock": "real",
//!  "appId": "wx123", "dataDir": "/data/user/0/com.host/files/miniapp",
//!  "policy": {"grant": ["storage", "ui"]}, "customApis": {"openHostWallet": "wallet"},
//!  "trustedKeys": ["miniapp-ed25519:…"],
//!  "host": {"platform": "android", "brand": "Pixel", "model": "8", "system": "Android 14",
//!           "language": "en", "statusBarHeight": 24, "hostAppId": "com.host",
//!           "checksUpdates": true}}
//! ```
//! Every field is optional: the viewport defaults to 375x667 @2x, the clock to `real`
//! (`virtual` makes time move only on `advance`, for tests), the app id to project.config.json's
//! (but data under `dataDir` is keyed by the host-given `appId` only; without one, by the
//! package's location), storage to memory without `dataDir`, and the policy (README "Capability policy") to granting
//! nothing beyond the base group. With `trustedKeys`, only packed archives (`miniapp pack`)
//! signed by one of them open; without, any package does (a packed one's hashes still checked).
//! `host` describes the device for the system-info APIs (default: a headless `devtools`); with
//! `checksUpdates` the host reports its updates of the app as `update` host events.

use miniapp_core::capability::Policy;
use miniapp_core::runtime::clock::ClockMode;
use miniapp_core::{InstanceConfig, Viewport};
use serde_json::Value;

/// The `trustedKeys` of the configuration (empty when absent).
pub fn trusted_keys(json: &str) -> Result<Vec<miniapp_core::package::signing::PublicKey>, String> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    let v: Value =
        serde_json::from_str(json).map_err(|e| format!("config is not valid JSON: {e}"))?;
    let Some(keys) = v.get("trustedKeys") else { return Ok(Vec::new()) };
    keys.as_array()
        .ok_or("trustedKeys must be an array of `miniapp-ed25519:…` strings")?
        .iter()
        .map(|k| {
            let text = k.as_str().ok_or("trustedKeys must hold strings")?;
            miniapp_core::package::signing::PublicKey::parse(text)
                .map_err(|e| format!("trustedKeys: {e}"))
        })
        .collect()
}

/// Parses the configuration; the error says which field is wrong.
pub fn parse(json: &str) -> Result<InstanceConfig, String> {
    let v: Value = if json.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_str(json).map_err(|e| format!("config is not valid JSON: {e}"))?
    };
    let obj = v.as_object().ok_or("config must be a JSON object")?;
    let mut config = InstanceConfig { clock: ClockMode::Real, ..InstanceConfig::default() };
    if let Some(vp) = obj.get("viewport") {
        let num = |k: &str, default: f64| -> Result<f64, String> {
            match vp.get(k) {
                None => Ok(default),
                Some(n) => n
                    .as_f64()
                    .filter(|x| *x > 0.0)
                    .ok_or(format!("viewport.{k} must be a positive number")),
            }
        };
        let d = Viewport::default();
        config.viewport = Viewport {
            width: num("width", d.width)?,
            height: num("height", d.height)?,
            pixel_ratio: num("pixelRatio", d.pixel_ratio)?,
        };
    }
    if let Some(insets) = obj.get("safeArea") {
        let insets: miniapp_core::host::event::SafeAreaInsets =
            serde_json::from_value(insets.clone()).map_err(|e| {
                format!("safeArea must be {{\"top\", \"left\", \"right\", \"bottom\"}} in px: {e}")
            })?;
        config.safe_area = Some(insets);
    }
    if let Some(policy) = obj.get("policy") {
        config.policy = Policy::from_json(&policy.to_string()).map_err(|e| e.to_string())?;
    }
    if let Some(id) = obj.get("appId") {
        config.app_id = Some(id.as_str().ok_or("appId must be a string")?.to_string());
    }
    if let Some(apis) = obj.get("customApis") {
        let apis =
            apis.as_object().ok_or("customApis must be an object of name: capability group")?;
        for (name, group) in apis {
            let group =
                group.as_str().ok_or(format!("customApis.{name} must name a capability group"))?;
            config.custom_apis.insert(name.clone(), group.to_string());
        }
    }
    if let Some(host) = obj.get("host") {
        config.host = serde_json::from_value(host.clone()).map_err(|e| {
            format!(
                "host must be {{\"platform\", \"brand\", \"model\", \"system\", \"language\", \
                 \"statusBarHeight\", \"hostAppId\", \"checksUpdates\"}}: {e}"
            )
        })?;
    }
    if let Some(dir) = obj.get("dataDir") {
        config.data_dir = Some(dir.as_str().ok_or("dataDir must be a string")?.into());
    }
    match obj.get("clock").and_then(Value::as_str) {
        None | Some("real") => {}
        Some("virtual") => config.clock = ClockMode::Virtual,
        Some(other) => {
            return Err(format!("clock must be \"real\" or \"virtual\", not \"{other}\""))
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let c = parse(r#"{"viewport":{"width":414},"clock":"virtual","safeArea":{"bottom":34}}"#)
            .expect("valid");
        assert_eq!(c.safe_area.map(|s| s.bottom), Some(34.0));
        assert!(parse(r#"{"safeArea":{"bottom":"x"}}"#).unwrap_err().contains("safeArea"));
        assert_eq!(
            (c.viewport.width, c.viewport.height, c.clock),
            (414.0, 667.0, ClockMode::Virtual)
        );
        assert_eq!(parse("").map(|c| c.clock).ok(), Some(ClockMode::Real));
        assert_eq!(parse("[1]").err().as_deref(), Some("config must be a JSON object"));
        assert!(parse(r#"{"viewport":{"width":-1}}"#).is_err());
        assert!(parse("{").is_err());
        let c = parse(r#"{"policy":{"grant":["ui"]},"appId":"wx1","dataDir":"/tmp/d"}"#)
            .expect("valid");
        assert!(c.policy.grant.contains("ui"));
        assert_eq!(
            (c.app_id.as_deref(), c.data_dir.as_deref()),
            (Some("wx1"), Some(std::path::Path::new("/tmp/d")))
        );
        assert!(parse(r#"{"policy":{"grant":"ui"}}"#).is_err());
        let c = parse(r#"{"host":{"platform":"android","checksUpdates":true}}"#).expect("valid");
        assert_eq!((c.host.platform.as_str(), c.host.checks_updates), ("android", true));
        assert_eq!(c.host.brand, "miniapp", "the rest keeps its default");
        let bad = parse(r#"{"host":{"plattform":"ios"}}"#).expect_err("unknown field");
        assert!(bad.starts_with("host must be") && bad.contains("plattform"), "{bad}");
    }

    #[test]
    fn trusted_keys_are_read_and_bad_ones_named() {
        let key = miniapp_core::package::signing::SecretKey::generate().expect("key").public();
        let json = format!(r#"{{"trustedKeys":["{}"]}}"#, key.to_text());
        assert_eq!(trusted_keys(&json).expect("valid"), vec![key]);
        assert!(parse(&json).is_ok(), "the rest of the config ignores it");
        assert!(trusted_keys("").expect("none").is_empty());
        assert!(trusted_keys(r#"{"viewport":{}}"#).expect("none").is_empty());
        let bad = trusted_keys(r#"{"trustedKeys":["miniapp-ed25519:xx"]}"#).expect_err("bad");
        assert!(bad.starts_with("trustedKeys:"), "{bad}");
        assert!(trusted_keys(r#"{"trustedKeys":"k"}"#).is_err());
    }
}
