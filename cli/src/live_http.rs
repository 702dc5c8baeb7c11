//! The CLI's host with real network access: `wx.request` and `wx.downloadFile` to URLs no
//! fixture answers go out over HTTP(S) (the core has already checked them against the policy's
//! allowlist); everything else is the recording host's. Requests run on the app's logic thread
//! and block it, which keeps headless runs simple and ordered. Redirects are followed by hand,
//! at most 5, each hop checked against the policy's allowlist like the first URL (a redirect
//! out of it fails the call); headers the app may not set (`Host`, `Content-Length`,
//! `Referer`, hop-by-hop ones) are dropped, as WeChat does.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use miniapp_core::capability::domain::UrlKind;
use miniapp_core::capability::Policy;
use miniapp_core::host::{HostCall, HostReply, HostServices, RecordingHost};
use serde_json::{json, Map, Value};

/// Largest body a headless run will read (64 MiB).
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// Most redirects one call follows.
const MAX_REDIRECTS: usize = 5;

/// Request headers an app may not set (WeChat drops `Referer`; the rest belong to the
/// connection).
const FORBIDDEN_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "referer",
    "proxy-authorization",
    "proxy-connection",
];

/// Real HTTP for what the fixtures do not answer.
pub struct LiveHost {
    recording: Arc<RecordingHost>,
    /// The policy each redirect hop is checked against; without one only same-origin
    /// redirects are followed.
    policy: Option<Policy>,
}

/// An HTTP answer: status, headers, body.
type Fetched = (u16, Map<String, Value>, Vec<u8>);

impl LiveHost {
    /// Wraps the recording host (which keeps the call log, fixtures and defaults).
    pub fn new(recording: Arc<RecordingHost>) -> LiveHost {
        LiveHost { recording, policy: None }
    }

    /// Checks redirect hops against `policy` (the app's).
    pub fn with_policy(mut self, policy: Policy) -> LiveHost {
        self.policy = Some(policy);
        self
    }

    /// May a redirect from `from` go to `to`?
    fn redirect_allowed(&self, kind: UrlKind, from: &str, to: &str) -> Result<(), String> {
        match &self.policy {
            Some(p) => p.check_url(kind, to).map(drop),
            None if origin(from) == origin(to) => Ok(()),
            None => Err("a redirect to another origin".into()),
        }
    }

    fn fetch(&self, kind: UrlKind, args: &Value) -> Result<Fetched, String> {
        let mut url = args.get("url").and_then(Value::as_str).ok_or("no url")?.to_string();
        let mut method =
            args.get("method").and_then(Value::as_str).unwrap_or("GET").to_ascii_uppercase();
        let timeout = args.get("timeout").and_then(Value::as_u64).unwrap_or(60_000);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_millis(timeout)))
            .build()
            .into();
        let mut body =
            args.get("data").and_then(Value::as_str).unwrap_or_default().as_bytes().to_vec();
        let mut hops = 0;
        let mut response = loop {
            let mut builder = ureq::http::Request::builder().method(method.as_str()).uri(&url);
            if let Some(headers) = args.get("header").and_then(Value::as_object) {
                for (k, v) in headers {
                    if FORBIDDEN_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                        continue;
                    }
                    let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    builder = builder.header(k.as_str(), v);
                }
            }
            let request = builder.body(body.clone()).map_err(|e| format!("bad request: {e}"))?;
            let response = agent.run(request).map_err(|e| e.to_string())?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(|l| resolve(&url, l));
            let Some(next) = location.filter(|_| matches!(status, 301 | 302 | 303 | 307 | 308))
            else {
                break response;
            };
            hops += 1;
            if hops > MAX_REDIRECTS {
                return Err(format!("more than {MAX_REDIRECTS} redirects"));
            }
            self.redirect_allowed(kind, &url, &next)
                .map_err(|e| format!("redirect to {next} refused: {e}"))?;
            // as browsers do: 303, and 301/302 after a POST, continue as GET without a body
            if status == 303 || (matches!(status, 301 | 302) && method == "POST") {
                method = "GET".into();
                body.clear();
            }
            url = next;
        };
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

/// `scheme://authority` of a URL.
fn origin(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    let end = url[after..].find(['/', '?', '#']).map_or(url.len(), |i| after + i);
    &url[..end]
}

/// `location` (absolute, `/`-rooted or relative) against the URL that answered with it.
fn resolve(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = base.split("://").next().unwrap_or("https");
        return format!("{scheme}://{rest}");
    }
    if location.starts_with('/') {
        return format!("{}{location}", origin(base));
    }
    let path_end = base.find(['?', '#']).unwrap_or(base.len());
    let dir = base[..path_end]
        .rfind('/')
        .filter(|i| *i >= origin(base).len())
        .map_or_else(|| format!("{}/", origin(base)), |i| base[..=i].to_string());
    format!("{dir}{location}")
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
        let kind = if api == "downloadFile" { UrlKind::Download } else { UrlKind::Request };
        match (api.as_str(), self.fetch(kind, &args)) {
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

    /// A one-shot HTTP server on loopback at `path`: `answer` turns the request it received
    /// into the whole response.
    fn serve_once_with(
        path: &str,
        answer: impl FnOnce(&str) -> String + Send + 'static,
    ) -> Result<String, std::io::Error> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        std::thread::spawn(move || {
            if let Ok((mut conn, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let n = conn.read(&mut buf).unwrap_or(0);
                let _ = conn.write_all(answer(&String::from_utf8_lossy(&buf[..n])).as_bytes());
            }
        });
        Ok(format!("http://{addr}{path}"))
    }

    /// A one-shot server answering with `status` and a JSON `body`.
    fn serve_once(status: &str, body: &'static str) -> Result<String, std::io::Error> {
        let status = status.to_string();
        serve_once_with("/api", move |_| {
            format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        })
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

    /// A one-shot server answering a redirect to `to`.
    fn redirect_once(to: String) -> Result<String, std::io::Error> {
        serve_once_with("/start", move |_| {
            format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        })
    }

    /// A one-shot server answering with the request it received.
    fn echo_once() -> Result<String, std::io::Error> {
        serve_once_with("/echo", |seen| {
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{seen}",
                seen.len()
            )
        })
    }

    fn request(host: &LiveHost, url: &str, header: Value) -> HostMessage {
        let inbox = Arc::new(HostInbox::default());
        let args = json!({ "url": url, "method": "GET", "header": header, "timeout": 5000 });
        host.call(
            HostCall { app_id: "a".into(), id: 7, api: "request".into(), args },
            HostReply::new(7, inbox.clone()),
        );
        inbox.drain().pop().expect("a reply")
    }

    #[test]
    fn redirects_are_followed_only_inside_the_allowlist() -> Result<(), Box<dyn std::error::Error>>
    {
        // (loopback servers: only a development policy, `allowInsecure`, allows them at all)
        let policy = |insecure: bool| {
            let net = json!({ "request": ["api.example.com"], "allowInsecure": insecure });
            Policy::from_json(&json!({ "grant": ["network"], "network": net }).to_string())
        };
        // out of the allowlist: refused, naming the target
        let target = echo_once()?;
        let start = redirect_once(target.clone())?;
        let host = LiveHost::new(Arc::new(RecordingHost::default())).with_policy(policy(false)?);
        let HostMessage::Fail(7, why) = request(&host, &start, json!({})) else {
            return Err("expected a failure".into());
        };
        assert!(why.contains(&format!("redirect to {target} refused")), "{why}");
        // inside it: followed, and a `Host` the app set is not sent
        let target = echo_once()?;
        let start = redirect_once(target.clone())?;
        let host = LiveHost::new(Arc::new(RecordingHost::default())).with_policy(policy(true)?);
        let HostMessage::Ok(7, result) = request(&host, &start, json!({ "Host": "evil.example" }))
        else {
            return Err("expected the redirect to be followed".into());
        };
        let seen = result["data"].as_str().unwrap_or_default();
        assert!(seen.starts_with("GET /echo"), "{seen}");
        assert!(!seen.to_ascii_lowercase().contains("evil.example"), "{seen}");
        // without a policy: same origin only
        let target = echo_once()?;
        let start = redirect_once(target)?;
        let host = LiveHost::new(Arc::new(RecordingHost::default()));
        assert!(matches!(request(&host, &start, json!({})), HostMessage::Fail(7, _)));
        Ok(())
    }

    #[test]
    fn locations_resolve_against_the_answering_url() {
        assert_eq!(resolve("https://a.com/x/y?q", "z"), "https://a.com/x/z");
        assert_eq!(resolve("https://a.com/x/y", "/z"), "https://a.com/z");
        assert_eq!(resolve("https://a.com", "z"), "https://a.com/z");
        assert_eq!(resolve("https://a.com/x", "//b.com/z"), "https://b.com/z");
        assert_eq!(resolve("https://a.com/x", "http://b.com/"), "http://b.com/");
    }
}
