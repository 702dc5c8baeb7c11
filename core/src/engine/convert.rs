//! Conversions between JS values and `serde_json::Value`.

use rquickjs::{Array, Ctx, Object, Result, Value};

/// JSON → JS, walking the value (no string round trip).
pub fn json_to_js<'js>(ctx: &Ctx<'js>, v: &serde_json::Value) -> Result<Value<'js>> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => Value::new_null(ctx.clone()),
        J::Bool(b) => Value::new_bool(ctx.clone(), *b),
        J::Number(n) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => Value::new_int(ctx.clone(), i as i32),
            _ => Value::new_float(ctx.clone(), n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => rquickjs::String::from_str(ctx.clone(), s)?.into_value(),
        J::Array(a) => {
            let arr = Array::new(ctx.clone())?;
            for (i, x) in a.iter().enumerate() {
                arr.set(i, json_to_js(ctx, x)?)?;
            }
            arr.into_value()
        }
        J::Object(m) => {
            let o = Object::new(ctx.clone())?;
            for (k, x) in m {
                o.set(k.as_str(), json_to_js(ctx, x)?)?;
            }
            o.into_value()
        }
    })
}

/// JS → JSON. Primitives directly; objects through `JSON.stringify` (so `toJSON` applies and
/// functions are dropped). `undefined` becomes `null`.
pub fn js_to_json<'js>(ctx: &Ctx<'js>, v: Value<'js>) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    if v.is_undefined() || v.is_null() {
        return Ok(J::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(J::Bool(b));
    }
    if let Some(i) = v.as_int() {
        return Ok(J::from(i));
    }
    if let Some(f) = v.as_float() {
        return Ok(serde_json::Number::from_f64(f).map_or(J::Null, J::Number));
    }
    if let Some(s) = v.as_string() {
        return Ok(J::String(s.to_string()?));
    }
    match ctx.json_stringify(v)? {
        None => Ok(J::Null),
        Some(s) => Ok(serde_json::from_str(&s.to_string()?).unwrap_or(J::Null)),
    }
}

/// A short display form of any JS value, for messages.
pub fn to_display(v: &Value<'_>) -> String {
    if let Some(s) = v.as_string() {
        return s.to_string().unwrap_or_default();
    }
    match v.ctx().json_stringify(v.clone()) {
        Ok(Some(s)) => s.to_string().unwrap_or_default(),
        _ => format!("{:?}", v.type_of()),
    }
}
