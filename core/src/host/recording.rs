//! The headless host (feature `headless`: the CLI, tests and the automator; not the mobile
//! library): [`RecordingHost`] records every call and answers with defaults a person would
//! expect of a device (dialogs confirm, consent is given, the clipboard remembers), canned
//! HTTP responses ([`HttpFixture`]), echo sockets and scripted answers per API.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde_json::{json, Value};

use super::{lock, HostCall, HostReply, HostServices, TaskEvents};

/// One canned HTTP answer for [`RecordingHost`] (`--http-fixtures`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpFixture {
    /// Method to match (default `GET`).
    #[serde(default = "get_method")]
    pub method: String,
    /// Exact URL to match, query included.
    pub url: String,
    /// Status code (default 200).
    #[serde(default = "ok_status")]
    pub status: u16,
    /// Response headers.
    #[serde(default)]
    pub header: serde_json::Map<String, Value>,
    /// Body: JSON (sent as JSON text) or a string (sent as is).
    #[serde(default)]
    pub body: Value,
    /// Never answer (to exercise timeouts, aborts and the concurrency limit).
    #[serde(default)]
    pub hang: bool,
}

fn get_method() -> String {
    "GET".into()
}

fn ok_status() -> u16 {
    200
}

/// A headless host: records every call and answers with defaults. Used by the CLI and tests.
#[derive(Default)]
pub struct RecordingHost {
    calls: Mutex<Vec<HostCall>>,
    clipboard: Mutex<String>,
    http: Vec<HttpFixture>,
    /// Replies kept unanswered for `hang` fixtures.
    hanging: Mutex<Vec<HostReply>>,
    /// The simulated user refuses consent prompts (default: accepts).
    refuse_consent: Mutex<bool>,
    /// Open echo sockets, by connectSocket call id.
    sockets: Mutex<std::collections::HashMap<u64, TaskEvents>>,
    /// Scripted answers by API: each a list used in order (the last one repeats).
    script: Mutex<std::collections::HashMap<String, VecDeque<Value>>>,
    /// What each editor (by node) holds after the app's `EditorContext` calls: (html, text).
    editors: Mutex<std::collections::HashMap<u64, (String, String)>>,
    /// Open audio players and recordings, by their create/start call id.
    media: Mutex<std::collections::HashMap<u64, TaskEvents>>,
}

impl RecordingHost {
    /// A host answering `wx.request` from `fixtures` (a JSON array of [`HttpFixture`]).
    pub fn with_http_fixtures(fixtures: &str) -> Result<RecordingHost, String> {
        let http: Vec<HttpFixture> =
            serde_json::from_str(fixtures).map_err(|e| format!("HTTP fixtures: {e}"))?;
        Ok(RecordingHost { http, ..RecordingHost::default() })
    }

    /// Records a call handled elsewhere (a wrapping host that does some calls itself).
    pub fn record(&self, call: HostCall) {
        lock(&self.calls).push(call);
    }

    /// True when a fixture answers `method url` (hanging ones included).
    pub fn has_http_fixture(&self, method: &str, url: &str) -> bool {
        self.http.iter().any(|f| f.method.eq_ignore_ascii_case(method) && f.url == url)
    }

    /// Scripts answers (`--host-script`): `{ "showModal": {"confirm": false, "cancel": true},
    /// "scanCode": [{"result": "A"}, {"result": "B"}], "makePhoneCall": {"fail": "busy"} }`.
    /// A list is used in order and its last answer repeats; `{"fail": reason}` fails the call.
    pub fn set_script(&self, script: &str) -> Result<(), String> {
        let v: Value = serde_json::from_str(script).map_err(|e| format!("host script: {e}"))?;
        let obj = v.as_object().ok_or("host script must be an object of api: answer")?;
        let mut map = lock(&self.script);
        for (api, answer) in obj {
            let list: VecDeque<Value> = match answer {
                Value::Array(items) if !items.is_empty() => items.iter().cloned().collect(),
                Value::Array(_) => return Err(format!("host script: `{api}` has an empty list")),
                other => std::iter::once(other.clone()).collect(),
            };
            map.insert(api.clone(), list);
        }
        Ok(())
    }

    fn scripted(&self, api: &str) -> Option<Result<Value, String>> {
        let mut map = lock(&self.script);
        let list = map.get_mut(api)?;
        let answer = if list.len() > 1 { list.pop_front()? } else { list.front()?.clone() };
        Some(match answer.get("fail").and_then(Value::as_str) {
            Some(reason) => Err(reason.to_string()),
            None => Ok(answer),
        })
    }

    /// Sets what the simulated user answers to consent prompts (default: accept; the
    /// capability policy already decides which scoped APIs may ask at all).
    pub fn set_consent(&self, granted: bool) {
        *lock(&self.refuse_consent) = !granted;
    }

    /// Hosts the fixtures answer for (the CLI adds them to the request allowlist).
    pub fn fixture_hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self
            .http
            .iter()
            .filter_map(|f| url::Url::parse(&f.url).ok())
            .filter_map(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_string(),
                })
            })
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }

    /// Writes the fixture's body where the core asked and reports progress.
    fn download(&self, args: &Value, reply: &HostReply) -> Result<Value, String> {
        let answer = self.http_answer(&json!({ "method": "GET", "url": args.get("url") }))?;
        let body = answer.get("data").and_then(Value::as_str).unwrap_or_default();
        let path = args.get("savePath").and_then(Value::as_str).ok_or("no savePath")?;
        std::fs::write(path, body).map_err(|e| format!("cannot write the download: {e}"))?;
        let n = body.len();
        reply.event(
            "progressUpdate",
            json!({ "progress": 100, "totalBytesWritten": n, "totalBytesExpectedToWrite": n }),
        );
        Ok(json!({ "statusCode": answer["statusCode"] }))
    }

    fn http_answer(&self, args: &Value) -> Result<Value, String> {
        let method = args.get("method").and_then(Value::as_str).unwrap_or("GET");
        let url = args.get("url").and_then(Value::as_str).unwrap_or_default();
        let f = self
            .http
            .iter()
            .find(|f| f.method.eq_ignore_ascii_case(method) && f.url == url)
            .ok_or_else(|| format!("no HTTP fixture for {method} {url}"))?;
        let body = match &f.body {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        Ok(json!({ "statusCode": f.status, "header": f.header, "data": body, "cookies": [] }))
    }
    /// Every call so far.
    pub fn calls(&self) -> Vec<HostCall> {
        lock(&self.calls).clone()
    }

    fn answer(&self, call: &HostCall) -> Result<Value, String> {
        if let Some(scripted) = self.scripted(&call.api) {
            return scripted;
        }
        Ok(match call.api.as_str() {
            "showModal" => json!({ "confirm": true, "cancel": false, "content": "" }),
            "showActionSheet" => json!({ "tapIndex": 0 }),
            "setClipboardData" => {
                let text = call.args.get("data").and_then(Value::as_str).unwrap_or_default();
                *lock(&self.clipboard) = text.to_string();
                json!({})
            }
            "getClipboardData" => json!({ "data": lock(&self.clipboard).clone() }),
            "getNetworkType" => json!({ "networkType": "wifi" }),
            "request" => return self.http_answer(&call.args),
            "uploadFile" => {
                let path = call.args.get("realPath").and_then(Value::as_str).unwrap_or_default();
                let size = std::fs::metadata(path)
                    .map_err(|e| format!("cannot read the upload: {e}"))?
                    .len();
                let mut answer =
                    self.http_answer(&json!({ "method": "POST", "url": call.args.get("url") }))?;
                answer["uploadedBytes"] = json!(size);
                return Ok(answer);
            }
            "authorize" => json!({ "granted": !*lock(&self.refuse_consent) }),
            "openSetting" => {
                json!({ "authSetting": call.args.get("authSetting").cloned().unwrap_or_else(|| json!({})) })
            }
            "getLocation" => json!({
                "latitude": 22.5431, "longitude": 114.0579, "speed": -1, "accuracy": 65,
                "altitude": 0, "verticalAccuracy": 0, "horizontalAccuracy": 65
            }),
            "chooseLocation" => {
                json!({ "name": "Main Library", "address": "1 Campus Road", "latitude": 22.5431, "longitude": 114.0579 })
            }
            "saveImageToPhotosAlbum" => json!({}),
            // a real host now closes the app and launches the version it installed
            "applyUpdate" => json!({}),
            "login" => json!({ "code": format!("headless-code-{}", call.id) }),
            "checkSession" => json!({}),
            "getUserProfile" | "getUserInfo" => {
                json!({ "userInfo": { "nickName": "Headless User", "avatarUrl": "", "gender": 0, "language": "zh_CN" } })
            }
            "showToast"
            | "hideToast"
            | "showLoading"
            | "hideLoading"
            | "vibrateShort"
            | "vibrateLong"
            | "previewImage"
            | "openLocation"
            | "makePhoneCall"
            | "setKeepScreenOn"
            | "hideKeyboard"
            | "openPrivacyContract"
            | "previewMedia"
            | "openDocument"
            | "navigateToMiniProgram"
            | "navigateBackMiniProgram"
            | "exitMiniProgram" => json!({}),
            "MapContext.getCenterLocation" => json!({ "latitude": 22.5431, "longitude": 114.0579 }),
            "MapContext.getScale" => json!({ "scale": 16 }),
            "MapContext.getRotate" => json!({ "rotate": 0 }),
            "MapContext.getSkew" => json!({ "skew": 0 }),
            "MapContext.getRegion" => json!({
                "southwest": { "latitude": 22.5381, "longitude": 114.0529 },
                "northeast": { "latitude": 22.5481, "longitude": 114.0629 }
            }),
            "CameraContext.takePhoto" => {
                json!({ "tempImagePath": format!("http://tmp/headless-photo-{}.jpg", call.id) })
            }
            // The simulated user agrees to each button open-type sheet.
            "Button.getPhoneNumber" | "Button.getRealtimePhoneNumber" => {
                json!({ "code": format!("headless-phone-code-{}", call.id) })
            }
            "Button.getUserInfo" => json!({
                "userInfo": { "nickName": "Headless User", "avatarUrl": "", "gender": 0, "language": "zh_CN" },
                "signature": "", "encryptedData": "", "iv": ""
            }),
            "Button.chooseAvatar" => {
                json!({ "avatarUrl": format!("http://tmp/headless-avatar-{}.png", call.id) })
            }
            "Button.contact" => json!({
                "path": call.args.get("send-message-path").cloned().unwrap_or_else(|| json!("")),
                "query": {}
            }),
            api if api.starts_with("EditorContext.") => return Ok(self.editor(call)),
            "canvasToTempFilePath" => {
                json!({ "tempFilePath": format!("http://tmp/headless-canvas-{}.png", call.id) })
            }
            // Native views the headless host does not draw: the call is recorded and done.
            api if api.contains("Context.")
                || api.starts_with("Canvas.")
                || api.starts_with("Button.") =>
            {
                json!({})
            }
            other => return Err(format!("the headless host does not provide {other}")),
        })
    }
}

impl RecordingHost {
    /// A plain stand-in for a native editor: `setContents`, `insertText` and `clear` change
    /// what `getContents` answers; formatting calls are recorded only.
    fn editor(&self, call: &HostCall) -> Value {
        let node = call.args.get("node").and_then(Value::as_u64).unwrap_or_default();
        let mut editors = lock(&self.editors);
        let (html, text) = editors.entry(node).or_default();
        let method = call.api.trim_start_matches("EditorContext.");
        match method {
            "setContents" => {
                let given = call.args.get("html").and_then(Value::as_str);
                let from_delta: String = call
                    .args
                    .pointer("/delta/ops")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|op| op.get("insert").and_then(Value::as_str))
                    .collect();
                *text = match given {
                    Some(h) => crate::builtin::rich_text::plain_text(h),
                    None => from_delta.clone(),
                };
                *html = given.map_or_else(|| format!("<p>{from_delta}</p>"), str::to_string);
            }
            "insertText" => {
                let add = call.args.get("text").and_then(Value::as_str).unwrap_or_default();
                text.push_str(add);
                *html = match html.strip_suffix("</p>") {
                    Some(open) => format!("{open}{add}</p>"),
                    None => format!("{html}<p>{add}</p>"),
                };
            }
            "clear" => {
                html.clear();
                text.clear();
            }
            "getContents" => {
                let shown = format!("{text}\n");
                return json!({ "html": html, "text": shown, "delta": { "ops": [{ "insert": shown }] } });
            }
            "getSelectionText" => return json!({ "text": "" }),
            _ => {}
        }
        json!({})
    }
}

impl RecordingHost {
    /// A stand-in player and recorder that report what a device would, at once and without
    /// sound: a source is playable (`canplay` with the `duration` a host script gives the
    /// create call, else 0), `play`/`pause`/`stop`/`seek` are done as asked; playback never
    /// advances or ends by itself (the core moves `currentTime` on its clock). A recording
    /// starts, pauses and resumes as asked and on stop leaves a short silent file where the core
    /// asked (a WAV header for `wav`).
    fn media(&self, call: &HostCall, reply: &HostReply) -> Result<Value, String> {
        let (kind, method) = call.api.split_once('.').unwrap_or_default();
        if method == "create" || (kind == "RecorderManager" && method == "start") {
            let events = reply.events();
            lock(&self.media).insert(call.id, events.clone());
            if kind == "RecorderManager" {
                events.send("start", json!({}));
            } else if call.args.get("source").is_some() {
                events.send("canplay", json!({ "duration": self.scripted_duration(&call.api) }));
            }
            return Ok(json!({}));
        }
        let key = if kind == "RecorderManager" { "recorderId" } else { "audioId" };
        let id = call.args.get(key).and_then(Value::as_u64).unwrap_or_default();
        let events = lock(&self.media).get(&id).cloned().ok_or("no such player or recording")?;
        let position = call.args.get("position").cloned().unwrap_or(json!(0));
        match method {
            "set" if call.args.get("name").and_then(Value::as_str) == Some("src") => {
                let create = format!("{kind}.create");
                events.send("canplay", json!({ "duration": self.scripted_duration(&create) }));
            }
            "play" | "pause" | "resume" => events.send(method, json!({})),
            "seek" => {
                events.send("seeking", json!({ "position": position }));
                events.send("seeked", json!({ "position": position }));
            }
            "stop" if kind == "RecorderManager" => {
                let path = lock(&self.calls)
                    .iter()
                    .find(|c| c.id == id)
                    .and_then(|c| {
                        c.args.get("savePath").and_then(Value::as_str).map(str::to_string)
                    })
                    .ok_or("the recording has no file")?;
                let bytes: &[u8] =
                    if path.ends_with(".wav") { &SILENT_WAV } else { b"headless recording" };
                std::fs::write(&path, bytes)
                    .map_err(|e| format!("cannot save the recording: {e}"))?;
                lock(&self.media).remove(&id);
                events.send("stop", json!({}));
            }
            "stop" => events.send("stop", json!({})),
            "destroy" => {
                lock(&self.media).remove(&id);
            }
            _ => {}
        }
        Ok(json!({}))
    }

    fn scripted_duration(&self, api: &str) -> f64 {
        match self.scripted(api) {
            Some(Ok(v)) => v.get("duration").and_then(Value::as_f64).unwrap_or(0.0),
            _ => 0.0,
        }
    }
}

/// A WAV file with no samples: 8 kHz mono 16-bit PCM, 44 header bytes.
const SILENT_WAV: [u8; 44] = [
    b'R', b'I', b'F', b'F', 36, 0, 0, 0, b'W', b'A', b'V', b'E', b'f', b'm', b't', b' ', 16, 0, 0,
    0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0, b'd', b'a', b't', b'a', 0, 0,
    0, 0,
];

impl HostServices for RecordingHost {
    fn call(&self, call: HostCall, reply: HostReply) {
        let hangs = call.api == "request"
            && self.http.iter().any(|f| {
                f.hang
                    && Some(f.url.as_str()) == call.args.get("url").and_then(Value::as_str)
                    && Some(f.method.as_str()) == call.args.get("method").and_then(Value::as_str)
            });
        if hangs {
            lock(&self.calls).push(call);
            lock(&self.hanging).push(reply);
            return;
        }
        match call.api.as_str() {
            "connectSocket" => {
                let events = reply.events();
                lock(&self.sockets).insert(call.id, events.clone());
                lock(&self.calls).push(call);
                reply.ok(json!({}));
                events.send("open", json!({ "header": {} }));
                return;
            }
            "socketSend" | "socketClose" => {
                let id = call.args.get("socketId").and_then(Value::as_u64).unwrap_or_default();
                let socket = if call.api == "socketClose" {
                    lock(&self.sockets).remove(&id)
                } else {
                    lock(&self.sockets).get(&id).cloned()
                };
                let args = call.args.clone();
                lock(&self.calls).push(call);
                let Some(socket) = socket else {
                    reply.fail("socket is not connected");
                    return;
                };
                reply.ok(json!({}));
                // An echo server: what is sent comes back; close is acknowledged.
                if args.get("code").is_some() {
                    socket.send("close", json!({ "code": args["code"], "reason": args["reason"] }));
                } else {
                    socket.send("message", json!({ "data": args["data"] }));
                }
                return;
            }
            "chooseImage" | "chooseMedia" | "chooseVideo" | "chooseMessageFile" => {
                // The simulated user picks one small file.
                let path = call
                    .args
                    .get("savePaths")
                    .and_then(|p| p.get(0))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                lock(&self.calls).push(call);
                let Some(path) = path else { return reply.fail("no place to save the choice") };
                let bytes = b"headless image";
                match std::fs::write(&path, bytes) {
                    Ok(()) => reply.ok(json!({ "files": [{
                        "size": bytes.len(), "fileType": "image", "width": 1, "height": 1,
                        "name": "headless-choice", "type": "file"
                    }] })),
                    Err(e) => reply.fail(format!("cannot save the choice: {e}")),
                }
                return;
            }
            api if api.starts_with("InnerAudioContext.")
                || api.starts_with("BackgroundAudioManager.")
                || api.starts_with("RecorderManager.") =>
            {
                let outcome = self.media(&call, &reply);
                lock(&self.calls).push(call);
                match outcome {
                    Ok(v) => reply.ok(v),
                    Err(reason) => reply.fail(reason),
                }
                return;
            }
            "downloadFile" => {
                let outcome = self.download(&call.args, &reply);
                lock(&self.calls).push(call);
                match outcome {
                    Ok(v) => reply.ok(v),
                    Err(reason) => reply.fail(reason),
                }
                return;
            }
            _ => {}
        }
        let answer = self.answer(&call);
        lock(&self.calls).push(call);
        match answer {
            Ok(mut v) => {
                // a scripted answer's `events` are reported on the call after it
                let events = v.as_object_mut().and_then(|o| o.remove("events"));
                let sender = events.is_some().then(|| reply.events());
                reply.ok(v);
                if let (Some(Value::Array(events)), Some(sender)) = (events, sender) {
                    for e in events {
                        let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
                        sender.send(name, e.get("data").cloned().unwrap_or_else(|| json!({})));
                    }
                }
            }
            Err(reason) => reply.fail(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{HostInbox, HostMessage};
    use std::sync::Arc;

    #[test]
    fn recording_host_answers_and_records() {
        let host = RecordingHost::default();
        let inbox = Arc::new(HostInbox::default());
        let call = |id, api: &str, args| HostCall { app_id: "a".into(), id, api: api.into(), args };
        host.call(
            call(1, "setClipboardData", json!({"data": "hi"})),
            HostReply::new(1, inbox.clone()),
        );
        host.call(call(2, "getClipboardData", json!({})), HostReply::new(2, inbox.clone()));
        host.call(call(3, "scanCode", json!({})), HostReply::new(3, inbox.clone()));
        let msgs = inbox.drain();
        assert_eq!(msgs[1], HostMessage::Ok(2, json!({"data": "hi"})));
        assert!(matches!(&msgs[2], HostMessage::Fail(3, r) if r.contains("scanCode")));
        assert_eq!(host.calls().len(), 3);
    }
}
