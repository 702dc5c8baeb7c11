//! The CLI's host with real network access: `wx.request` and `wx.downloadFile` to URLs no
//! fixture answers go out over HTTP(S) (the core has already checked them against the policy's
//! allowlist); everything else is the recording host's. Requests run on the app's logic thread
//! and block it, which keeps headless runs simple and ordered.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use miniapp_core::host::{HostCall, HostReply, HostServices, RecordingHost};
use serde_json::{json, Map, Value};

/// Largest body a headless run will read (64 MiB).
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// Real HTTP for what the fixtures do not answer.
pub struct LiveHost {
    recording: Arc<RecordingHost>,
}

/// An HTTP answer: status, headers, body.
type Fetched = (u16, Map<String, Value>, Vec<u8>);

impl LiveHost {
    /// Wraps the recording host (which keeps the call log, fixtures and defaults).
    pub fn new(recording: Arc<RecordingHost>) -> LiveHost {
        LiveHost { recording }
    }

    fn fetch(args: &Value) -> Result<Fetched, String> {
        let url = args.get("url").and_then(Value::as_str).ok_or("no url")?;
        let method =
            args.get("method").and_then(Value::as_str).unwrap_or("GET").to_ascii_uppercase();
        let timeout = args.get("timeout").and_then(Value::as_u64).unwrap_or(60_000);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_millis(timeout)))
            .build()
            .into();
        let mut builder = ureq::http::Request::builder().method(method.as_str()).uri(url);
        if let Some(headers) = args.get("header").and_then(Value::as_object) {
            for (k, v) in headers {
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                builder = builder.header(k.as_str(), v);
            }
        }
        let body = args.get("data").and_then(Value::as_str).unwrap_or_default().as_bytes().to_vec();
        let request = builder.body(body).map_err(|e| format!("bad request: {e}"))?;
        let mut response = agent.run(request).map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let header: Map<String, Value> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (k.as_str().to_string(), Value::String(v.to_str().unwrap_or_default().to_string()))
            })
            .collect();
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_BODY_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("reading the response: {e}"))?;
        Ok((status, header, bytes))
    }
}

impl HostServices for LiveHost {
    fn call(&self, call: HostCall, reply: HostReply) {
        let url = call.args.get("url").and_then(Value::as_str).unwrap_or_default().to_string();
        let method = call.args.get("method").and_then(Value::as_str).unwrap_or("GET").to_string();
        let live = matches!(call.api.as_str(), "request" | "downloadFile")
            && !self.recording.has_http_fixture(&method, &url);
        if !live {
            return self.recording.call(call, reply);
        }
        let api = call.api.clone();
        let args = call.args.clone();
        self.recording.record(call);
        match (api.as_str(), LiveHost::fetch(&args)) {
            (_, Err(e)) => reply.fail(e),
            ("downloadFile", Ok((status, header, bytes))) => {
                let path = args.get("savePath").and_then(Value::as_str).unwrap_or_default();
                match std::fs::write(path, &bytes) {
                    Ok(()) => {
                        reply.event("headersReceived", json!({ "header": header }));
                        reply.ok(json!({ "statusCode": status }));
                    }
                    Err(e) => reply.fail(format!("cannot save the download: {e}")),
                }
            }
            (_, Ok((status, header, bytes))) => {
                reply.event("headersReceived", json!({ "header": header, "statusCode": status }));
                let data =
                    String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}').to_string();
                reply.ok(
                    json!({ "statusCode": status, "header": header, "data": data, "cookies": [] }),
                );
            }
        }
    }

    fn cancel(&self, app_id: &str, id: u64) {
        self.recording.cancel(app_id, id);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::net::TcpListener;

    use miniapp_core::host::{HostInbox, HostMessage};

    use super::*;

    /// A one-shot HTTP server on loopback answering with `body`.
    fn serve_once(status: &str, body: &'static str) -> Result<String, std::io::Error> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let status = status.to_string();
        std::thread::spawn(move || {
            if let Ok((mut conn, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf);
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Ok(format!("http://{addr}/api"))
    }

    #[test]
    fn requests_without_a_fixture_go_over_the_network() -> Result<(), Box<dyn std::error::Error>> {
        let url = serve_once("404 Not Found", r#"{"error":"missing"}"#)?;
        let host = LiveHost::new(Arc::new(RecordingHost::default()));
        let inbox = Arc::new(HostInbox::default());
        let args = json!({ "url": url, "method": "GET", "header": {}, "timeout": 5000 });
        host.call(
            HostCall { app_id: "a".into(), id: 1, api: "request".into(), args },
            HostReply::new(1, inbox.clone()),
        );
        let messages = inbox.drain();
        let Some(HostMessage::Ok(1, result)) = messages.last() else {
            return Err(format!("{messages:?}").into());
        };
        assert_eq!(result["statusCode"], 404, "HTTP errors are responses, not failures");
        assert_eq!(result["data"], r#"{"error":"missing"}"#);
        assert_eq!(result["header"]["content-type"], "application/json");
        Ok(())
    }

    #[test]
    fn unreachable_hosts_fail_the_call() {
        let host = LiveHost::new(Arc::new(RecordingHost::default()));
        let inbox = Arc::new(HostInbox::default());
        let args = json!({ "url": "http://127.0.0.1:9/none", "method": "GET", "timeout": 2000 });
        host.call(
            HostCall { app_id: "a".into(), id: 2, api: "request".into(), args },
            HostReply::new(2, inbox.clone()),
        );
        assert!(matches!(inbox.drain().last(), Some(HostMessage::Fail(2, _))));
    }
}
