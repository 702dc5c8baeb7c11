//! The protocol's methods, run against the app on its logic thread.
//!
//! Identity: a page's `pageId` is its host node id and an element's `elementId` is its node id
//! as a string; node ids are never reused in an app, so neither is, and element ids are unique
//! across shadow trees. `nodeId` (the same string) marks custom-component hosts. Each method
//! replies only after its effects (handlers, `setData`, routes) have run; requests answered by
//! the app's JS (evaluate, wx calls, data) reply when their promise settles.

use miniapp_core::builtin;
use miniapp_core::framework::PageInfo;
use miniapp_core::runtime::automation::requests;
use miniapp_core::view::NodeId;
use miniapp_core::AppInstance;
use miniapp_core::HostEvent;
use serde_json::{json, Map, Value};

use crate::hub::{as_empty, as_result, ConnId, Hub, Shape};

/// Methods answered with a clear error: they need a real device or the desktop tool.
pub const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "Tool.native",
        "there is no native UI to drive headless; mock the wx API instead (mockWxMethod)",
    ),
    ("Tool.enableRemoteDebug", "remote debugging needs the desktop tool"),
    ("Tool.getTestAccounts", "test accounts belong to the desktop tool"),
    ("Tool.stopAudits", "audits belong to the desktop tool"),
    ("Page.getElementByXpath", "XPath is not supported; use a CSS selector with page.$"),
    ("Page.getElementsByXpath", "XPath is not supported; use a CSS selector with page.$$"),
    ("Element.dispatchEvent", "use element.trigger(type, detail) or element.tap()"),
];

/// Methods run on the logic thread (the connection thread answers `Tool.getInfo`,
/// `App.enableLog` and `Tool.close` itself).
pub const METHODS: &[&str] = &[
    "App.getCurrentPage",
    "App.getPageStack",
    "App.exit",
    "App.callWxMethod",
    "App.callFunction",
    "App.mockWxMethod",
    "App.addBinding",
    "Page.getElement",
    "Page.getElements",
    "Page.getData",
    "Page.setData",
    "Page.callMethod",
    "Page.getWindowProperties",
    "Element.getElement",
    "Element.getElements",
    "Element.getData",
    "Element.setData",
    "Element.callMethod",
    "Element.callContextMethod",
    "Element.getProperties",
    "Element.getAttributes",
    "Element.getDOMProperties",
    "Element.getWXML",
    "Element.getOffset",
    "Element.getStyles",
    "Element.tap",
    "Element.triggerEvent",
    "Element.touchstart",
    "Element.touchmove",
    "Element.touchend",
    "Element.callFunction",
];

/// One request being answered on the logic thread.
pub struct Call<'a> {
    /// The hub answers go through.
    pub hub: &'a Hub,
    /// The asking connection.
    pub conn: ConnId,
    /// The request id.
    pub id: Value,
    /// The method.
    pub method: String,
    /// Its params.
    pub params: Map<String, Value>,
}

/// What a method produced: an answer now, or one the app's JS will send.
pub enum Outcome {
    /// Reply with this.
    Now(Result<Value, String>),
    /// The hub replies when the JS request settles.
    Later,
}

type Answer = Result<Value, String>;

impl Call<'_> {
    fn str_param(&self, key: &str) -> Result<String, String> {
        match self.params.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            _ => Err(format!("{}: missing string parameter `{key}`", self.method)),
        }
    }

    fn names(&self) -> Vec<String> {
        self.params
            .get("names")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|n| n.as_str().unwrap_or_default().to_string()).collect())
            .unwrap_or_default()
    }

    /// Starts a JS-side request; its answer is shaped and sent by the hub.
    fn js(&self, app: &mut AppInstance, request: &str, params: Value, shape: Shape) -> Outcome {
        let ticket = self.hub.expect(self.conn, self.id.clone(), shape);
        if let Err(e) = app.automation_request(ticket, request, params) {
            self.hub.abandon(ticket, e.to_string());
        }
        Outcome::Later
    }
}

/// Runs a method (anything not answered by the connection thread itself).
pub fn run(app: &mut AppInstance, call: &Call<'_>) -> Outcome {
    if !METHODS.contains(&call.method.as_str()) {
        return Outcome::Now(Err(format!("{} unimplemented", call.method)));
    }
    match call.method.as_str() {
        "App.getCurrentPage" => Outcome::Now(current_page(app)),
        "App.getPageStack" => Outcome::Now(page_stack(app)),
        "App.exit" => {
            Outcome::Now(app.apply(&HostEvent::Hide).map(|_| json!({})).map_err(|e| e.to_string()))
        }
        "App.callWxMethod" => {
            if call.params.get("pluginId").is_some_and(|p| !p.is_null()) {
                return Outcome::Now(Err("plugins are not supported by this runtime".into()));
            }
            let params =
                json!({ "method": call.params.get("method"), "args": call.params.get("args") });
            call.js(app, requests::CALL_WX_METHOD, params, as_result())
        }
        "App.callFunction" => {
            call.js(app, requests::CALL_FUNCTION, Value::Object(call.params.clone()), as_result())
        }
        "App.mockWxMethod" => {
            call.js(app, requests::MOCK_WX_METHOD, Value::Object(call.params.clone()), as_empty())
        }
        "App.addBinding" => match call.str_param("name") {
            Ok(name) => {
                call.hub.bind(call.conn, &name);
                call.js(app, requests::ADD_BINDING, json!({ "name": name }), as_empty())
            }
            Err(e) => Outcome::Now(Err(e)),
        },
        m if m.starts_with("Page.") => page_method(app, call),
        m if m.starts_with("Element.") => element_method(app, call),
        m => Outcome::Now(Err(format!("{m} unimplemented"))),
    }
}

fn page_descriptor(p: &PageInfo) -> Value {
    json!({ "pageId": p.node, "path": p.route, "query": p.query })
}

fn current_page(app: &AppInstance) -> Answer {
    let pages = app.pages().map_err(|e| e.to_string())?;
    pages.last().map(page_descriptor).ok_or_else(|| "no page is open".to_string())
}

fn page_stack(app: &AppInstance) -> Answer {
    let pages = app.pages().map_err(|e| e.to_string())?;
    Ok(json!({ "pageStack": pages.iter().map(page_descriptor).collect::<Vec<_>>() }))
}

/// The page a request names (`pageId`), if it is still on the stack.
fn page_of(app: &AppInstance, call: &Call<'_>) -> Result<PageInfo, String> {
    let id = call
        .params
        .get("pageId")
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("{}: missing numeric parameter `pageId`", call.method))?;
    let pages = app.pages().map_err(|e| e.to_string())?;
    pages.into_iter().find(|p| u64::from(p.node) == id).ok_or_else(|| "page destroyed".to_string())
}

/// `{elementId, tagName[, nodeId]}` for each `{node, tag, component}` the JS query found.
fn descriptors(found: Option<Value>) -> Vec<Value> {
    let list = found.and_then(|v| v.as_array().cloned()).unwrap_or_default();
    list.iter()
        .filter_map(|f| {
            let node = f.get("node")?.as_u64()?;
            let mut d = json!({ "elementId": node.to_string(), "tagName": f.get("tag")? });
            if f.get("component").and_then(Value::as_bool) == Some(true) {
                d["nodeId"] = json!(node.to_string());
            }
            Some(d)
        })
        .collect()
}

/// A query's answer: one element (not found is an error, which `page.$` turns into `null`)
/// or all of them.
fn query_shape(selector: String, all: bool) -> Shape {
    Box::new(move |found| {
        let list = descriptors(found);
        if all {
            Ok(json!({ "elements": list }))
        } else {
            list.into_iter().next().ok_or_else(|| format!("element not found: {selector}"))
        }
    })
}

fn page_method(app: &mut AppInstance, call: &Call<'_>) -> Outcome {
    let page = match page_of(app, call) {
        Ok(p) => p,
        Err(e) => return Outcome::Now(Err(e)),
    };
    let p = &call.params;
    match call.method.as_str() {
        "Page.getElement" | "Page.getElements" => {
            let all = call.method == "Page.getElements";
            let selector = match call.str_param("selector") {
                Ok(s) => s,
                Err(e) => return Outcome::Now(Err(e)),
            };
            let params = json!({ "page": page.node, "selector": selector, "all": all });
            call.js(app, requests::QUERY, params, query_shape(selector, all))
        }
        "Page.getData" => {
            let params = json!({ "page": page.node, "path": p.get("path") });
            call.js(app, requests::PAGE_DATA, params, data_shape())
        }
        "Page.setData" => {
            let params = json!({ "page": page.node, "data": p.get("data") });
            call.js(app, requests::PAGE_SET_DATA, params, as_empty())
        }
        "Page.callMethod" => {
            let params =
                json!({ "page": page.node, "method": p.get("method"), "args": p.get("args") });
            call.js(app, requests::PAGE_CALL_METHOD, params, as_result())
        }
        "Page.getWindowProperties" => Outcome::Now(window_properties(app, call, &page)),
        m => Outcome::Now(Err(format!("{m} unimplemented"))),
    }
}

fn data_shape() -> Shape {
    Box::new(|v| Ok(json!({ "data": v.unwrap_or(Value::Null) })))
}

fn window_properties(app: &mut AppInstance, call: &Call<'_>, page: &PageInfo) -> Answer {
    let mut out = Vec::new();
    for name in call.names() {
        out.push(match name.as_str() {
            "document.body.scrollTop" | "document.documentElement.scrollTop" | "scrollY" => {
                json!(page.scroll_top)
            }
            "document.body.scrollLeft" | "document.documentElement.scrollLeft" | "scrollX" => {
                json!(0)
            }
            "document.documentElement.scrollWidth" | "document.body.scrollWidth" => {
                json!(app.scroll_size(page.node).map(|s| s.0))
            }
            "document.documentElement.scrollHeight" | "document.body.scrollHeight" => {
                json!(app.scroll_size(page.node).map(|s| s.1))
            }
            "innerWidth" | "document.documentElement.clientWidth" => {
                json!(app.frame(page.node).map(|f| f.width))
            }
            other => return Err(format!("window property `{other}` is not supported")),
        });
    }
    Ok(json!({ "properties": out }))
}

/// The element a request names, checked to be on the page it names.
fn element_of(app: &AppInstance, call: &Call<'_>) -> Result<(PageInfo, NodeId), String> {
    let page = page_of(app, call)?;
    let raw = call.str_param("elementId")?;
    let node: NodeId = raw.parse().map_err(|_| format!("bad elementId `{raw}`"))?;
    if app.tree().get(node).is_none() || !app.is_within(node, page.node) {
        return Err(format!("element {raw} no longer exists on this page"));
    }
    Ok((page, node))
}

fn element_method(app: &mut AppInstance, call: &Call<'_>) -> Outcome {
    let (page, node) = match element_of(app, call) {
        Ok(x) => x,
        Err(e) => return Outcome::Now(Err(e)),
    };
    let component = call.params.get("nodeId").is_some_and(|n| !n.is_null() && n != "");
    let p = &call.params;
    let fail = |e: miniapp_core::RuntimeError| e.to_string();
    let now = |r: Answer| Outcome::Now(r);
    match call.method.as_str() {
        "Element.getElement" | "Element.getElements" => {
            let all = call.method == "Element.getElements";
            let selector = match call.str_param("selector") {
                Ok(s) => s,
                Err(e) => return now(Err(e)),
            };
            let mut params = json!({ "page": page.node, "selector": selector, "all": all });
            params[if component { "component" } else { "scope" }] = json!(node);
            call.js(app, requests::QUERY, params, query_shape(selector, all))
        }
        "Element.getData" if component => call.js(
            app,
            requests::COMPONENT_DATA,
            json!({ "node": node, "path": p.get("path") }),
            data_shape(),
        ),
        "Element.setData" if component => call.js(
            app,
            requests::COMPONENT_SET_DATA,
            json!({ "node": node, "data": p.get("data") }),
            as_empty(),
        ),
        "Element.callMethod" if component => {
            let params = json!({ "node": node, "method": p.get("method"), "args": p.get("args") });
            call.js(app, requests::COMPONENT_CALL_METHOD, params, as_result())
        }
        "Element.callContextMethod" => {
            let params = json!({ "node": node, "method": p.get("method"), "args": p.get("args") });
            call.js(app, requests::CONTEXT_CALL, params, as_result())
        }
        "Element.getData" | "Element.setData" | "Element.callMethod" => {
            now(Err(format!("{}: element {node} is not a custom component", call.method)))
        }
        "Element.getProperties"
            if app.tree().get(node).is_some_and(|n| builtin::properties(&n.tag).is_none()) =>
        {
            let params = json!({ "node": node, "names": call.names() });
            let shape: Shape = Box::new(|v| Ok(json!({ "properties": v.unwrap_or(json!([])) })));
            call.js(app, requests::COMPONENT_PROPERTIES, params, shape)
        }
        "Element.getProperties" => now(builtin_properties(app, node, &call.names())),
        "Element.getAttributes" => {
            let mut out = Vec::new();
            for name in call.names() {
                match app.attribute(node, &name) {
                    Ok(v) => out.push(json!(v)),
                    Err(e) => return now(Err(fail(e))),
                }
            }
            now(Ok(json!({ "attributes": out })))
        }
        "Element.getDOMProperties" => now(dom_properties(app, node, &call.names())),
        "Element.getWXML" => {
            let outer = p.get("type").and_then(Value::as_str) == Some("outer");
            now(app.wxml(node, outer).map(|w| json!({ "wxml": w })).map_err(fail))
        }
        "Element.getOffset" => now(match app.page_rect(node) {
            Some(r) => Ok(json!({ "left": r.x, "top": r.y })),
            None => Err("the element is not laid out (not shown)".to_string()),
        }),
        "Element.getStyles" => {
            let names = call.names();
            let values = app.computed_style(node, &names);
            let styles: Vec<Value> = names
                .iter()
                .map(|n| values.iter().find(|(k, _)| k == n).map_or(json!(""), |(_, v)| json!(v)))
                .collect();
            now(Ok(json!({ "styles": styles })))
        }
        "Element.tap" => now(app.apply(&HostEvent::Tap { node }).map(|_| json!({})).map_err(fail)),
        "Element.triggerEvent" => {
            let kind = match call.str_param("type") {
                Ok(t) => t,
                Err(e) => return now(Err(e)),
            };
            let detail = p.get("detail").cloned().filter(|d| !d.is_null()).unwrap_or(json!({}));
            let event = HostEvent::Dispatch { node, event: kind, detail };
            now(app.apply(&event).map(|_| json!({})).map_err(fail))
        }
        "Element.touchstart" | "Element.touchmove" | "Element.touchend" => {
            now(crate::elements::touch(app, node, &call.method, &call.params).map_err(fail))
        }
        "Element.callFunction" => now(crate::elements::call_function(app, node, &call.params)),
        m => now(Err(format!("{m} unimplemented"))),
    }
}

fn builtin_properties(app: &AppInstance, node: NodeId, names: &[String]) -> Answer {
    let tree = app.tree();
    let n = tree.get(node).ok_or_else(|| format!("element {node} no longer exists"))?;
    let list = builtin::properties(&n.tag).unwrap_or_default();
    let mut out = Vec::new();
    for name in names {
        if name == "__propPublic" {
            let public: Map<String, Value> =
                list.iter().map(|(k, _)| ((*k).to_string(), json!(true))).collect();
            out.push(Value::Object(public));
        } else {
            out.push(
                builtin::property_value(&n.tag, name, n.attrs.get(name)).unwrap_or(Value::Null),
            );
        }
    }
    Ok(json!({ "properties": out }))
}

fn dom_properties(app: &mut AppInstance, node: NodeId, names: &[String]) -> Answer {
    let mut out = Vec::new();
    for name in names {
        let v = match name.as_str() {
            "innerText" | "textContent" => json!(app.inner_text(node).map_err(|e| e.to_string())?),
            "innerHTML" => json!(app.wxml(node, false).map_err(|e| e.to_string())?),
            "outerHTML" => json!(app.wxml(node, true).map_err(|e| e.to_string())?),
            "tagName" => json!(app.tree().get(node).map(|n| n.tag.to_uppercase())),
            "id" => {
                json!(app.attribute(node, "id").map_err(|e| e.to_string())?.unwrap_or_default())
            }
            "offsetWidth" | "clientWidth" => json!(app.frame(node).map_or(0.0, |f| f.width)),
            "offsetHeight" | "clientHeight" => json!(app.frame(node).map_or(0.0, |f| f.height)),
            "offsetLeft" => json!(app.page_rect(node).map_or(0.0, |f| f.x)),
            "offsetTop" => json!(app.page_rect(node).map_or(0.0, |f| f.y)),
            "scrollWidth" => json!(app.scroll_size(node).map_or(0.0, |s| s.0)),
            "scrollHeight" => json!(app.scroll_size(node).map_or(0.0, |s| s.1)),
            "className" => {
                json!(app.attribute(node, "class").map_err(|e| e.to_string())?.unwrap_or_default())
            }
            other => return Err(format!("DOM property `{other}` is not supported")),
        };
        out.push(v);
    }
    Ok(json!({ "properties": out }))
}
