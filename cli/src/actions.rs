//! What `miniapp run` does after launch, from its command line: taps, events, user actions on
//! built-ins and host actions, parsed and kept in the order they were given, each announced
//! on stderr as it runs (`→ tap #refresh (node 42)`), with the reason when it changed nothing.

use miniapp_core::host::event::{UpdateState, DEFAULT_SCENE};
use miniapp_core::runtime::controls::UserAction;
use miniapp_core::{AppInstance, HostEvent, RuntimeError};

use crate::narrate::{note, step};

/// The host actions `--host` takes, as the usage error lists them.
pub const HOST_ACTIONS: &str =
    "back, hide, show [SCENE], tab INDEX, scroll TOP [CONTENT_HEIGHT], reach-bottom, pull-down, \
     resize WxH, share, network TYPE|none, theme light|dark, keyboard HEIGHT, memory [LEVEL], \
     update noUpdate|available|ready|failed, or a host event as JSON ({\"type\":\"pageScroll\",\"scrollTop\":300})";

/// One user action from the command line.
pub enum Action {
    /// `--tap SELECTOR`.
    Tap(String),
    /// `--event 'TYPE SELECTOR [DETAIL_JSON]'`.
    Event { kind: String, selector: String, detail: serde_json::Value },
    /// `--act 'SELECTOR ACTION_JSON'`.
    Act { selector: String, action: UserAction, text: String },
    /// `--host ACTION`: what the host app reports.
    Host(HostEvent),
}

/// Parses one `--host` value: a word form (`scroll 300 2000`) or the JSON form.
pub fn parse_host(s: &str) -> Result<HostEvent, String> {
    if s.trim_start().starts_with('{') {
        return HostEvent::from_json(s);
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let num = |i: usize| -> Result<f64, String> {
        let w = words.get(i).ok_or_else(|| format!("'{s}' needs a number"))?;
        w.parse::<f64>().map_err(|e| format!("'{s}': {e}"))
    };
    let opt = |i: usize| -> Result<Option<f64>, String> {
        if words.len() > i {
            num(i).map(Some)
        } else {
            Ok(None)
        }
    };
    Ok(match words.first().copied() {
        Some("back") => HostEvent::Back,
        Some("hide") => HostEvent::Hide,
        Some("show") => HostEvent::Show { scene: opt(1)?.map_or(DEFAULT_SCENE, |n| n as u32) },
        Some("tab") => HostEvent::TabTap { index: num(1)? as u32 },
        Some("scroll") => HostEvent::PageScroll { scroll_top: num(1)?, scroll_height: opt(2)? },
        Some("reach-bottom") => HostEvent::ReachBottom,
        Some("pull-down") => HostEvent::PullDown,
        Some("resize") => {
            let v = crate::parse_viewport(words.get(1).copied().unwrap_or(""))?;
            HostEvent::Resize { width: v.width, height: v.height, safe_area: None }
        }
        Some("share") => HostEvent::Share { from: "menu".into() },
        Some("network") => {
            let kind = words.get(1).copied().unwrap_or("wifi").to_string();
            HostEvent::NetworkChange { connected: kind != "none", network_type: kind }
        }
        Some("theme") => match words.get(1).copied() {
            Some(theme @ ("light" | "dark")) => HostEvent::ThemeChange { theme: theme.into() },
            _ => return Err(format!("'{s}': expected theme light or theme dark")),
        },
        Some("keyboard") => HostEvent::KeyboardHeight { height: num(1)? },
        Some("memory") => HostEvent::MemoryWarning { level: opt(1)?.map(|n| n as u32) },
        Some("update") => match words.get(1).copied().and_then(UpdateState::parse) {
            Some(state) => HostEvent::Update { state },
            None => return Err(format!("'{s}': expected update noUpdate|available|ready|failed")),
        },
        _ => return Err(format!("expected {HOST_ACTIONS}")),
    })
}

/// Why a host event changed nothing, for the note under its step.
fn why_nothing(event: &HostEvent) -> String {
    match event {
        HostEvent::Back => {
            "already on the first page (a host app would now leave the mini program)".into()
        }
        HostEvent::Hide => "the app is already in the background".into(),
        HostEvent::Show { .. } => {
            "the app is already in the foreground: `--host hide` first".into()
        }
        HostEvent::TabTap { index } => {
            format!("app.json's tabBar.list has no tab {index} (tabs count from 0)")
        }
        HostEvent::PullDown => {
            "this page does not set \"enablePullDownRefresh\": true in its .json".into()
        }
        HostEvent::Share { .. } => {
            "this page cannot be shared: it defines no onShareAppMessage".into()
        }
        HostEvent::ThemeChange { theme } => format!("the theme already is {theme}"),
        HostEvent::Tap { .. } | HostEvent::Dispatch { .. } => "no element received it".into(),
        _ => "no page is open".into(),
    }
}

/// The step line for a host event: `show (scene 1011)`, `page scroll to 300`…
fn describe(event: &HostEvent) -> String {
    match event {
        HostEvent::Launch { url, scene } => {
            format!("launch {} (scene {scene})", url.as_deref().unwrap_or("the entry page"))
        }
        HostEvent::Show { scene } => format!("show (scene {scene})"),
        HostEvent::Hide => "hide".into(),
        HostEvent::Back => "back".into(),
        HostEvent::TabTap { index } => format!("tab {index}"),
        HostEvent::PageScroll { scroll_top, scroll_height: None } => {
            format!("page scroll to {scroll_top}")
        }
        HostEvent::PageScroll { scroll_top, scroll_height: Some(h) } => {
            format!("page scroll to {scroll_top} of {h}")
        }
        HostEvent::ReachBottom => "reach bottom".into(),
        HostEvent::PullDown => "pull-down".into(),
        HostEvent::Resize { width, height, .. } => format!("resize {width}x{height}"),
        HostEvent::Share { from } => format!("share (from the {from})"),
        HostEvent::NetworkChange { network_type, .. } => format!("network {network_type}"),
        HostEvent::ThemeChange { theme } => format!("theme {theme}"),
        HostEvent::KeyboardHeight { height } => format!("keyboard height {height}"),
        HostEvent::MemoryWarning { level: Some(l) } => format!("memory warning (level {l})"),
        HostEvent::MemoryWarning { level: None } => "memory warning".into(),
        HostEvent::Update { state } => format!("update {}", state.as_str()),
        HostEvent::Tap { node } => format!("tap node {node}"),
        HostEvent::Dispatch { node, event, .. } => format!("{event} on node {node}"),
        HostEvent::Act { node, action } => format!("{} on node {node}", action.name()),
        HostEvent::Advance { ms } => format!("advance {ms} ms"),
    }
}

/// Reports `event` to the app, announcing it and, when it changed nothing, why.
fn run_host(event: &HostEvent, app: &mut AppInstance) -> Result<(), RuntimeError> {
    step(&format!("host {}", describe(event)));
    let applied = app.apply(event)?;
    if !applied.handled {
        note(&format!("nothing happened: {}", why_nothing(event)));
    } else if !applied.result.is_null() {
        note(&format!("result: {}", applied.result));
    }
    Ok(())
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
            Action::Host(event) => return run_host(event, app).map(|()| true),
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
        let action = parse_host(&h).map_err(|err| format!("--host '{h}': {err}"))?;
        all.push((i, Action::Host(action)));
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, a)| a).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of host event is reachable from `--host` (its JSON form).
    #[test]
    fn every_host_event_kind_parses_from_the_command_line() {
        for event in HostEvent::one_of_each() {
            let json = serde_json::to_string(&event).expect("serializes");
            assert_eq!(parse_host(&json), Ok(event), "{json}");
        }
    }

    #[test]
    fn word_forms() {
        assert_eq!(
            parse_host("scroll 300 2000"),
            Ok(HostEvent::PageScroll { scroll_top: 300.0, scroll_height: Some(2000.0) })
        );
        assert_eq!(parse_host("theme dark"), Ok(HostEvent::ThemeChange { theme: "dark".into() }));
        assert_eq!(parse_host("memory"), Ok(HostEvent::MemoryWarning { level: None }));
        assert_eq!(parse_host("update ready"), Ok(HostEvent::Update { state: UpdateState::Ready }));
        assert!(parse_host("update soon").unwrap_err().contains("noUpdate|available"));
        assert!(parse_host("theme blue").is_err_and(|e| e.contains("theme light or theme dark")));
    }
}
