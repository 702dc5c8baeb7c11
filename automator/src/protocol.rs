//! Wire format of the `miniprogram-automator` protocol: one JSON object per WebSocket text
//! frame. Requests are `{id, method, params}`; replies `{id, result}` (always an object) or
//! `{id, error: {message}}`; events `{method, params}` with no `id`. Pure functions, any thread.

use serde_json::{json, Map, Value};

/// One request from the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The client's id (a UUID string; echoed verbatim).
    pub id: Value,
    /// `Domain.name`, e.g. `Page.getElement`.
    pub method: String,
    /// Named parameters (`{}` when absent).
    pub params: Map<String, Value>,
}

/// A frame that is not a usable request. `id` is set when the frame had one, so the client
/// can be answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    /// The request id, if the frame had one.
    pub id: Option<Value>,
    /// What is wrong.
    pub message: String,
}

/// Parses one text frame.
pub fn parse_request(text: &str) -> Result<Request, Malformed> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Malformed { id: None, message: format!("malformed frame: not JSON ({e})") })?;
    let Value::Object(mut obj) = value else {
        return Err(Malformed {
            id: None,
            message: "malformed frame: expected a JSON object".into(),
        });
    };
    let id = obj.remove("id").filter(|v| !v.is_null());
    let Some(id) = id else {
        return Err(Malformed {
            id: None,
            message: "malformed frame: the request has no `id`".into(),
        });
    };
    let method = match obj.remove("method") {
        Some(Value::String(m)) if !m.is_empty() => m,
        _ => {
            return Err(Malformed {
                id: Some(id),
                message: "malformed request: `method` must be a non-empty string".into(),
            })
        }
    };
    let params = match obj.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(Malformed {
                id: Some(id),
                message: format!("malformed request to {method}: `params` must be an object"),
            })
        }
    };
    Ok(Request { id, method, params })
}

/// A successful reply; a non-object result is wrapped as `{}` (the client destructures it).
pub fn reply(id: &Value, result: Value) -> String {
    let result = if result.is_object() { result } else { json!({}) };
    json!({ "id": id, "result": result }).to_string()
}

/// A failed reply; the client rejects with `message`.
pub fn error_reply(id: &Value, message: &str) -> String {
    json!({ "id": id, "error": { "message": message } }).to_string()
}

/// A pushed event.
pub fn event(method: &str, params: Value) -> String {
    json!({ "method": method, "params": params }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_bad_frames_say_why() {
        let r = parse_request(r#"{"id":"a1","method":"Page.getData","params":{"pageId":3}}"#);
        assert_eq!(r.as_ref().map(|r| r.method.as_str()), Ok("Page.getData"));
        assert_eq!(r.map(|r| r.params["pageId"].clone()), Ok(json!(3)));
        let r = parse_request(r#"{"id":"a2","method":"Tool.getInfo"}"#);
        assert_eq!(r.map(|r| r.params.len()), Ok(0));
        let bad = parse_request("{nope").unwrap_err();
        assert!(bad.id.is_none() && bad.message.contains("not JSON"), "{bad:?}");
        let bad = parse_request(r#"{"id":"x","params":{}}"#).unwrap_err();
        assert_eq!(bad.id, Some(json!("x")));
        assert!(bad.message.contains("method"));
        let bad = parse_request(r#"{"id":"y","method":"A.b","params":[1]}"#).unwrap_err();
        assert!(bad.message.contains("params"));
        assert!(parse_request(r#"[1,2]"#).is_err());
    }

    #[test]
    fn replies_always_carry_an_object() {
        assert_eq!(reply(&json!("i"), Value::Null), r#"{"id":"i","result":{}}"#);
        assert_eq!(error_reply(&json!("i"), "no"), r#"{"id":"i","error":{"message":"no"}}"#);
        assert_eq!(event("App.logAdded", json!({})), r#"{"method":"App.logAdded","params":{}}"#);
    }
}
