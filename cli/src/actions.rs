//! What `miniapp run` does after launch, from its command line: taps, events, user actions on
//! built-ins and host actions, parsed and kept in the order they were given, each announced
//! on stderr as it runs (`→ tap #refresh (node 42)`), with the reason when it changed nothing.

use miniapp_core::runtime::controls::UserAction;
use miniapp_core::{AppInstance, RuntimeError};

use crate::narrate::{note, step};

/// The host actions `--host` takes, as the usage error lists them.
pub const HOST_ACTIONS: &str =
    "back, hide, show [SCENE], tab INDEX, scroll TOP [CONTENT_HEIGHT], pull-down, resize WxH, \
     share or network TYPE|none";

/// One user action from the command line.
pub enum Action {
    /// `--tap SELECTOR`.
    Tap(String),
    /// `--event 'TYPE SELECTOR [DETAIL_JSON]'`.
    Event { kind: String, selector: String, detail: serde_json::Value },
    /// `--act 'SELECTOR ACTION_JSON'`.
    Act { selector: String, action: UserAction, text: String },
    /// `--host ACTION`.
    Host(HostAction),
}

/// Something the host app reports (buttons and gestures outside the page).
pub enum HostAction {
    Back,
    Hide,
    Show(u32),
    Tab(u32),
    Scroll(f64, Option<f64>),
    PullDown,
    Resize(f64, f64),
    Share,
    Network(bool, String),
}

impl HostAction {
    /// Parses one `--host` value.
    pub fn parse(s: &str) -> Result<HostAction, String> {
        let words: Vec<&str> = s.split_whitespace().collect();
        let num = |i: usize| -> Result<f64, String> {
            let w = words.get(i).ok_or_else(|| format!("'{s}' needs a number"))?;
            w.parse::<f64>().map_err(|e| format!("'{s}': {e}"))
        };
        Ok(match words.first().copied() {
            Some("back") => HostAction::Back,
            Some("hide") => HostAction::Hide,
            Some("show") => HostAction::Show(if words.len() > 1 { num(1)? as u32 } else { 1001 }),
            Some("tab") => HostAction::Tab(num(1)? as u32),
            Some("scroll") => {
                HostAction::Scroll(num(1)?, if words.len() > 2 { Some(num(2)?) } else { None })
            }
            Some("pull-down") => HostAction::PullDown,
            Some("resize") => {
                let v = crate::parse_viewport(words.get(1).copied().unwrap_or(""))?;
                HostAction::Resize(v.width, v.height)
            }
            Some("share") => HostAction::Share,
            Some("network") => {
                let kind = words.get(1).copied().unwrap_or("wifi").to_string();
                HostAction::Network(kind != "none", kind)
            }
            _ => return Err(format!("expected {HOST_ACTIONS}")),
        })
    }

    /// Reports it to the app, announcing it and, when the app changed nothing, why.
    pub fn run(&self, app: &mut AppInstance) -> Result<(), RuntimeError> {
        let (done, what, why_not) = match self {
            HostAction::Back => (
                app.back()?,
                "back".to_string(),
                "already on the first page (a host app would now leave the mini program)".into(),
            ),
            HostAction::Hide => (
                app.hide()?,
                "hide".to_string(),
                "the app is already in the background".to_string(),
            ),
            HostAction::Show(scene) => (
                app.show(*scene)?,
                format!("show (scene {scene})"),
                "the app is already in the foreground: `--host hide` first".to_string(),
            ),
            HostAction::Tab(i) => (
                app.tap_tab(*i)?,
                format!("tab {i}"),
                format!("app.json's tabBar.list has no tab {i} (tabs count from 0)"),
            ),
            HostAction::Scroll(top, height) => (
                app.page_scroll(*top, *height)?,
                format!("page scroll to {top}"),
                "no page is open".to_string(),
            ),
            HostAction::PullDown => (
                app.pull_down_refresh()?,
                "pull-down".to_string(),
                "this page does not set \"enablePullDownRefresh\": true in its .json".to_string(),
            ),
            HostAction::Resize(w, h) => {
                (app.resize(*w, *h)?, format!("resize {w}x{h}"), "no page is open".to_string())
            }
            HostAction::Network(connected, kind) => (
                app.network_status_changed(*connected, kind)?,
                format!("network {kind}"),
                "the app is not running".to_string(),
            ),
            HostAction::Share => {
                step("host share");
                match app.share_app_message("menu")? {
                    Some(content) => note(&format!("shared: {content}")),
                    None => note("this page cannot be shared: it defines no onShareAppMessage"),
                }
                return Ok(());
            }
        };
        step(&format!("host {what}"));
        if !done {
            note(&format!("nothing happened: {why_not}"));
        }
        Ok(())
    }
}

impl Action {
    /// Parses one `--event` value.
    pub fn parse_event(s: &str) -> Result<Action, String> {
        let s = s.trim();
        let (kind, rest) =
            s.split_once(char::is_whitespace).ok_or("expected 'TYPE SELECTOR [DETAIL_JSON]'")?;
        let (selector, detail) = match rest.find('{') {
            Some(i) => {
                let detail = serde_json::from_str(&rest[i..])
                    .map_err(|e| format!("bad detail JSON: {e}"))?;
                (rest[..i].trim(), detail)
            }
            None => (rest.trim(), serde_json::json!({})),
        };
        if selector.is_empty() {
            return Err("missing selector".into());
        }
        Ok(Action::Event { kind: kind.to_string(), selector: selector.to_string(), detail })
    }

    /// Parses one `--act` value.
    pub fn parse_act(s: &str) -> Result<Action, String> {
        let i = s.find('{').ok_or("expected 'SELECTOR ACTION_JSON'")?;
        let selector = s[..i].trim();
        if selector.is_empty() {
            return Err("missing selector".into());
        }
        let action = UserAction::from_json(&s[i..])?;
        Ok(Action::Act { selector: selector.to_string(), action, text: s[i..].trim().into() })
    }

    /// Runs it on the current page. `Ok(false)`: its selector matched nothing (said on stderr).
    pub fn run(&self, app: &mut AppInstance) -> Result<bool, RuntimeError> {
        let (selector, verb) = match self {
            Action::Host(h) => return h.run(app).map(|()| true),
            Action::Tap(s) => (s, "tap".to_string()),
            Action::Event { kind, selector, .. } => (selector, format!("event {kind}")),
            Action::Act { selector, text, .. } => (selector, format!("act {text} on")),
        };
        let node = match app.select(selector) {
            Ok(node) => node,
            Err(RuntimeError::NoMatch(_)) => {
                step(&format!("{verb} {selector}"));
                note("nothing matches this selector on the current page");
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        step(&format!("{verb} {selector} (node {node})"));
        match self {
            Action::Tap(_) => drop(app.tap(node)?),
            Action::Event { kind, detail, .. } => drop(app.dispatch(node, kind, detail.clone())?),
            Action::Act { action, .. } => app.act(node, action)?,
            Action::Host(_) => {}
        }
        Ok(true)
    }
}

/// Taps, events, user actions and host actions in the order they were given.
pub fn ordered(
    m: &clap::ArgMatches,
    taps: Vec<String>,
    events: Vec<String>,
    acts: Vec<String>,
    host: Vec<String>,
) -> Result<Vec<Action>, String> {
    let indices =
        |id: &str| -> Vec<usize> { m.indices_of(id).map(|i| i.collect()).unwrap_or_default() };
    let mut all: Vec<(usize, Action)> =
        indices("taps").into_iter().zip(taps).map(|(i, t)| (i, Action::Tap(t))).collect();
    for (i, e) in indices("events").into_iter().zip(events) {
        all.push((i, Action::parse_event(&e).map_err(|err| format!("--event '{e}': {err}"))?));
    }
    for (i, a) in indices("acts").into_iter().zip(acts) {
        all.push((i, Action::parse_act(&a).map_err(|err| format!("--act '{a}': {err}"))?));
    }
    for (i, h) in indices("host").into_iter().zip(host) {
        let action = HostAction::parse(&h).map_err(|err| format!("--host '{h}': {err}"))?;
        all.push((i, Action::Host(action)));
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, a)| a).collect())
}
