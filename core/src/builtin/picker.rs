//! Values of the value-choosing components (`picker`, `slider`), normalised the way WeChat's
//! components do before they report them: a selector index clamped to its range, a time or
//! date clamped to `start`/`end` and cut to `fields`, a slider value snapped to its step.
//! Pure functions; any thread.

use serde_json::{json, Value};

/// A slider value snapped to `min + k*step` and clamped to `[min, max]`.
pub fn snap(value: f64, min: f64, max: f64, step: f64) -> f64 {
    let (lo, hi) = if max < min { (max, min) } else { (min, max) };
    let value = if value.is_finite() { value } else { lo };
    let snapped = if step > 0.0 { lo + ((value - lo) / step).round() * step } else { value };
    let v = snapped.clamp(lo, hi);
    // Keep integers integral in JSON (`40`, not `40.0`) and drop float noise (0.1 + 0.2).
    (v * 1e9).round() / 1e9
}

/// A picker's value before the user picks: what its `mode` starts from.
pub fn default_value(mode: &str) -> Value {
    match mode {
        "multiSelector" | "region" => json!([]),
        "time" | "date" => json!(""),
        _ => json!(0),
    }
}

/// The value a picker of `mode` reports for the user's choice `value`. `range` is the
/// picker's `range`; `bounds` its (`start`, `end`, `fields`).
pub fn normalise(
    mode: &str,
    value: &Value,
    range: &Value,
    bounds: &(Value, Value, Value),
) -> Result<Value, String> {
    let (start, end, fields) = bounds;
    match mode {
        "selector" => {
            let len = range.as_array().map_or(0, Vec::len);
            let i =
                index(value).ok_or_else(|| format!("a selector takes an index, got {value}"))?;
            Ok(json!(clamp_index(i, len)))
        }
        "multiSelector" => {
            let picked = value
                .as_array()
                .ok_or_else(|| format!("a multiSelector takes an array of indices, got {value}"))?;
            let columns = range.as_array().cloned().unwrap_or_default();
            let mut out = Vec::new();
            for (c, v) in picked.iter().enumerate() {
                let i = index(v).ok_or_else(|| format!("column {c}: not an index: {v}"))?;
                let len = columns.get(c).and_then(Value::as_array).map_or(0, Vec::len);
                out.push(json!(clamp_index(i, len)));
            }
            Ok(Value::Array(out))
        }
        "time" => {
            let t = value
                .as_str()
                .and_then(parse_time)
                .ok_or_else(|| format!("a time picker takes \"HH:mm\", got {value}"))?;
            let lo = start.as_str().and_then(parse_time).unwrap_or(0);
            let hi = end.as_str().and_then(parse_time).unwrap_or(23 * 60 + 59);
            let t = t.clamp(lo.min(hi), hi.max(lo));
            Ok(json!(format!("{:02}:{:02}", t / 60, t % 60)))
        }
        "date" => {
            let d = value.as_str().and_then(parse_date).ok_or_else(|| {
                format!("a date picker takes \"YYYY-MM-DD\" (or YYYY-MM, YYYY), got {value}")
            })?;
            let lo = start.as_str().and_then(parse_date);
            let hi = end.as_str().and_then(parse_date);
            let d = match (lo, hi) {
                (Some(lo), _) if d < lo => lo,
                (_, Some(hi)) if d > hi => hi,
                _ => d,
            };
            Ok(json!(match fields.as_str() {
                Some("year") => format!("{:04}", d.0),
                Some("month") => format!("{:04}-{:02}", d.0, d.1),
                _ => format!("{:04}-{:02}-{:02}", d.0, d.1, d.2),
            }))
        }
        "region" => {
            let parts =
                value.as_array().filter(|a| a.iter().all(Value::is_string)).ok_or_else(|| {
                    format!("a region picker takes [province, city, district], got {value}")
                })?;
            Ok(Value::Array(parts.clone()))
        }
        other => Err(format!(
            "unknown picker mode `{other}` (selector, multiSelector, time, date or region)"
        )),
    }
}

fn index(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_f64().map(|f| f as i64),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn clamp_index(i: i64, len: usize) -> i64 {
    i.clamp(0, (len as i64 - 1).max(0))
}

/// `"HH:mm"` as minutes after midnight.
fn parse_time(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// `"YYYY-MM-DD"`, `"YYYY-MM"` or `"YYYY"` as (year, month, day); missing parts are 1.
fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.trim().split('-');
    let y: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let d: u32 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let valid = (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m);
    (valid && parts.next().is_none()).then_some((y, m, d))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> (Value, Value, Value) {
        (json!(""), json!(""), json!("day"))
    }

    #[test]
    fn slider_values_snap_and_clamp() {
        assert_eq!(snap(42.0, 0.0, 100.0, 5.0), 40.0);
        assert_eq!(snap(43.0, 0.0, 100.0, 5.0), 45.0);
        assert_eq!(snap(140.0, 0.0, 100.0, 1.0), 100.0);
        assert_eq!(snap(-3.0, 0.0, 100.0, 1.0), 0.0);
        assert_eq!(snap(0.3, 0.0, 1.0, 0.1), 0.3);
        assert_eq!(snap(f64::NAN, 10.0, 20.0, 1.0), 10.0);
    }

    #[test]
    fn selector_indices_clamp_to_the_range() {
        let range = json!(["a", "b", "c"]);
        assert_eq!(normalise("selector", &json!(1), &range, &none()), Ok(json!(1)));
        assert_eq!(normalise("selector", &json!("2"), &range, &none()), Ok(json!(2)));
        assert_eq!(normalise("selector", &json!(9), &range, &none()), Ok(json!(2)));
        assert!(normalise("selector", &json!("x"), &range, &none()).is_err());
        let cols = json!([["a", "b"], ["x", "y", "z"]]);
        assert_eq!(normalise("multiSelector", &json!([5, 1]), &cols, &none()), Ok(json!([1, 1])));
    }

    #[test]
    fn times_and_dates_clamp_and_follow_fields() {
        let b = (json!("09:00"), json!("18:30"), json!("day"));
        assert_eq!(normalise("time", &json!("08:15"), &json!([]), &b), Ok(json!("09:00")));
        assert_eq!(normalise("time", &json!("12:05"), &json!([]), &b), Ok(json!("12:05")));
        assert!(normalise("time", &json!("25:00"), &json!([]), &b).is_err());
        let b = (json!("2020-01-01"), json!("2026-12-31"), json!("day"));
        assert_eq!(
            normalise("date", &json!("2019-05-02"), &json!([]), &b),
            Ok(json!("2020-01-01"))
        );
        assert_eq!(
            normalise("date", &json!("2024-02-29"), &json!([]), &b),
            Ok(json!("2024-02-29"))
        );
        assert!(normalise("date", &json!("2023-02-29"), &json!([]), &b).is_err());
        let month = (json!(""), json!(""), json!("month"));
        assert_eq!(
            normalise("date", &json!("2024-07-09"), &json!([]), &month),
            Ok(json!("2024-07"))
        );
    }
}
