//! The JSON app configuration hosts pass in (shared by every binding).
//!
//! ```json
//! {"viewport": {"width": 375, "height": 667, "pixelRatio": 2}, "clock": "real"}
//! ```
//! Every field is optional: the viewport defaults to 375x667 @2x, the clock to `real`
//! (`virtual` makes time move only on `advance`, for tests).

use miniapp_core::runtime::clock::ClockMode;
use miniapp_core::{InstanceConfig, Viewport};
use serde_json::Value;

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
        let c = parse(r#"{"viewport":{"width":414},"clock":"virtual"}"#).expect("valid");
        assert_eq!(
            (c.viewport.width, c.viewport.height, c.clock),
            (414.0, 667.0, ClockMode::Virtual)
        );
        assert_eq!(parse("").map(|c| c.clock).ok(), Some(ClockMode::Real));
        assert_eq!(parse("[1]").err().as_deref(), Some("config must be a JSON object"));
        assert!(parse(r#"{"viewport":{"width":-1}}"#).is_err());
        assert!(parse("{").is_err());
    }
}
