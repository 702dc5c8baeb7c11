//! Config: `app.json`, page and component `.json`, and the resolved component graph.
//!
//! [`AppManifest::load`] reads `app.json`, checks that every listed page exists (`.js` and
//! `.wxml`), follows every `usingComponents` entry (relative, `/`-absolute, or a package under
//! `miniprogram_npm/`) and returns the set of pages and components the app can instantiate,
//! with each entry's `usingComponents` rewritten to absolute package paths. Problems become
//! diagnostics with file and line/column; loading goes on so all of them are reported.
//! Unknown keys are kept (WeChat ignores them) in the raw JSON. Plain data; any thread.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Map, Value};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::package::{path, Package};

mod json_syntax;

/// The component that draws the tab bar when `tabBar.custom` is true.
pub const CUSTOM_TAB_BAR: &str = "custom-tab-bar/index";

/// The parts of `app.json` the runtime acts on; everything else stays in `raw`.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    /// Main-package pages, in declared order, without extension.
    pub pages: Vec<String>,
    /// `entryPagePath`, or the first page.
    pub entry_page: String,
    /// Subpackages (`subpackages` or `subPackages`).
    pub subpackages: Vec<SubpackageConfig>,
    /// The `window` object.
    pub window: Map<String, Value>,
    /// Pages listed in `tabBar.list`, in order.
    pub tab_pages: Vec<String>,
    /// `workers`: the directory worker scripts live in (`"workers"` or `{"path": …}`),
    /// normalised; `None` when not set (then `wx.createWorker` fails).
    pub workers: Option<String>,
    /// `resolveAlias`: module path prefixes (`@utils/`) and the package paths they stand for
    /// (`utils/`), longest prefix first.
    pub resolve_alias: Vec<(String, String)>,
    /// The whole file.
    pub raw: Value,
}

impl AppConfig {
    /// `request` with its `resolveAlias` prefix replaced (the longest that matches) by the
    /// package path it stands for, `/`-rooted; `None` when no alias matches.
    pub fn alias(&self, request: &str) -> Option<String> {
        let (prefix, target) =
            self.resolve_alias.iter().find(|(p, _)| request.starts_with(p.as_str()))?;
        Some(format!("/{target}{}", &request[prefix.len()..]))
    }
}

/// One `subpackages` entry.
#[derive(Debug, Clone, Default)]
pub struct SubpackageConfig {
    /// Directory of the subpackage, normalised.
    pub root: String,
    /// `name`, if given.
    pub name: Option<String>,
    /// Page paths, already joined with `root`.
    pub pages: Vec<String>,
    /// `independent: true`.
    pub independent: bool,
}

/// A page or component ready to register with the framework (also stored in a split packed
/// archive's compiled section for the subpackages not downloaded yet).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentEntry {
    /// Path without extension, e.g. `pages/index/index`.
    pub path: String,
    /// True for pages (listed in `pages` or a subpackage).
    pub is_page: bool,
    /// Root of the subpackage it belongs to, `None` for the main package.
    pub subpackage: Option<String>,
    /// The `.json`, with `usingComponents` values rewritten to `/`-absolute package paths and the
    /// global `app.json` components merged in.
    pub json: Map<String, Value>,
    /// True when a `.wxml` exists.
    pub has_template: bool,
}

/// Everything `app.json` and the `.json` files say, resolved against the package.
#[derive(Debug, Clone, Default)]
pub struct AppManifest {
    /// `app.json`.
    pub app: AppConfig,
    /// Pages and components by path.
    pub components: BTreeMap<String, ComponentEntry>,
}

impl AppManifest {
    /// Reads and validates the app's configuration. Returns `None` (with diagnostics) only when
    /// `app.json` is missing or unusable.
    pub fn load(pkg: &Package, diags: &mut Diagnostics) -> Option<AppManifest> {
        AppManifest::load_without(pkg, diags, &|root| pkg.subpackage_pending(root))
    }

    /// [`AppManifest::load`] leaving out the pages and components of the subpackages whose root
    /// `apart` accepts (packed apart and not here: see `package::split`).
    pub fn load_without(
        pkg: &Package,
        diags: &mut Diagnostics,
        apart: &dyn Fn(&str) -> bool,
    ) -> Option<AppManifest> {
        let Some(text) = pkg.source("app.json") else {
            diags.push(Diagnostic::new(
                Level::Fatal,
                Code::FileMissing,
                "app.json",
                "app.json is missing: a mini-program directory needs app.json at its root (is this the right directory?)",
            ));
            return None;
        };
        let raw = parse_json("app.json", text, diags)?;
        let app = parse_app(&raw, diags)?;
        if pkg.source("app.js").is_none() {
            diags.push(Diagnostic::new(
                Level::Fatal,
                Code::FileMissing,
                "app.js",
                "app.js is missing: every mini program needs app.js calling App()",
            ));
        }
        let global_components = match raw.get("usingComponents") {
            Some(Value::Object(m)) => resolve_using(pkg, "app.json", "", m, diags),
            Some(_) => {
                diags.push(field_error("app.json", "usingComponents", "an object"));
                Map::new()
            }
            None => Map::new(),
        };
        let mut manifest = AppManifest { app, components: BTreeMap::new() };
        let mut queue: VecDeque<(String, bool)> = VecDeque::new();
        let sub_pages = manifest.app.subpackages.iter().flat_map(|s| &s.pages);
        for p in manifest.app.pages.iter().chain(sub_pages) {
            queue.push_back((p.clone(), true));
        }
        for target in global_components.values().filter_map(Value::as_str) {
            queue.push_back((target.trim_start_matches('/').to_string(), false));
        }
        // `tabBar.custom`: the app draws its tab bar with `custom-tab-bar/index`. Without the
        // component no bar is drawn, as in WeChat: apps such as lin-ui's example set `custom`
        // and draw a bar inside each tab page instead.
        let custom_tab_bar =
            raw.get("tabBar").and_then(|t| t.get("custom")) == Some(&Value::Bool(true));
        if custom_tab_bar {
            if pkg.source(&format!("{CUSTOM_TAB_BAR}.js")).is_some() {
                queue.push_back((CUSTOM_TAB_BAR.to_string(), false));
            } else {
                diags.push(Diagnostic::new(
                    Level::Warn,
                    Code::ComponentMissing,
                    "app.json",
                    format!("`tabBar.custom` is true but there is no `{CUSTOM_TAB_BAR}.js`: no tab bar is drawn and `getTabBar()` returns null; add the component (and its .json/.wxml) for one"),
                ).at_text(Some(text), "custom"));
            }
        }
        while let Some((comp, is_page)) = queue.pop_front() {
            if manifest.components.contains_key(&comp) {
                continue;
            }
            // A component belongs to the package its files live in.
            let sub = manifest.subpackage_of(&comp).map(|s| s.root.clone());
            // a subpackage packed apart and not here yet: its entries come with the archive's
            // compiled section (see `package::split`)
            if sub.as_deref().is_some_and(apart) {
                continue;
            }
            let Some(entry) = load_entry(pkg, &comp, is_page, sub, &global_components, diags)
            else {
                continue;
            };
            for target in named_components(&entry.json) {
                queue.push_back((target.trim_start_matches('/').to_string(), false));
            }
            manifest.components.insert(comp, entry);
        }
        Some(manifest)
    }

    /// The subpackage whose root contains `path`, if any.
    pub fn subpackage_of(&self, path: &str) -> Option<&SubpackageConfig> {
        self.app.subpackages.iter().find(|s| path.starts_with(&format!("{}/", s.root)))
    }

    /// True if a file belongs to the package loaded with subpackage `root` (`None`: the main
    /// package). A normal subpackage may also use main-package files; an independent one
    /// only its own.
    pub fn file_in_package(&self, file: &str, root: Option<&str>) -> bool {
        let owner = self.subpackage_of(file);
        match root {
            None => owner.is_none(),
            Some(r) => match owner {
                Some(o) => o.root == r,
                None => !self.app.subpackages.iter().any(|s| s.root == r && s.independent),
            },
        }
    }

    /// True if `path` (without extension or leading `/`) is a page of the app.
    pub fn is_page(&self, path: &str) -> bool {
        self.components.get(path).is_some_and(|c| c.is_page)
    }
}

/// `resolveAlias` (`{"@utils/*": "utils/*"}`): each key and value ends in `/*`; values are
/// package paths (a leading `/` is the root too). Entries that are not so are errors, skipped.
fn resolve_alias(
    file: &str,
    raw: Option<&Value>,
    diags: &mut Diagnostics,
) -> Vec<(String, String)> {
    let Some(raw) = raw else { return Vec::new() };
    let Some(map) = raw.as_object() else {
        diags.push(field_error(file, "resolveAlias", "an object of path patterns"));
        return Vec::new();
    };
    let mut aliases = Vec::new();
    for (key, value) in map {
        let target = value.as_str().and_then(|v| v.strip_suffix("/*"));
        let (Some(prefix), Some(target)) = (key.strip_suffix("/*"), target) else {
            let msg = format!(
                "`resolveAlias`: `{key}` must map a path ending in `/*` to one ending in `/*` \
                 (as in \"@utils/*\": \"utils/*\"); it is ignored"
            );
            diags.push(Diagnostic::new(Level::Error, Code::JsonField, file, msg));
            continue;
        };
        // a value of `/*` stands for the root itself
        let dir = target.trim_start_matches('/');
        let dir =
            if dir.is_empty() { Ok(String::new()) } else { path::normalize(dir).map(|d| d + "/") };
        match dir {
            Ok(dir) => aliases.push((format!("{prefix}/"), dir)),
            Err(e) => diags.push(Diagnostic::new(
                Level::Error,
                Code::PathEscapes,
                file,
                format!("`resolveAlias` `{key}`: {e}"),
            )),
        }
    }
    // when several match, the longest wins
    aliases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    aliases
}

fn field_error(file: &str, field: &str, expected: &str) -> Diagnostic {
    Diagnostic::new(Level::Error, Code::JsonField, file, format!("`{field}` must be {expected}"))
}

/// Parses a JSON file, turning a syntax error into a located diagnostic.
pub fn parse_json(file: &str, text: &str, diags: &mut Diagnostics) -> Option<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Some(v),
        Ok(_) => {
            diags.push(Diagnostic::new(
                Level::Error,
                Code::JsonField,
                file,
                "the file must hold a JSON object `{...}`",
            ));
            None
        }
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Level::Error,
                    Code::JsonSyntax,
                    file,
                    format!("invalid JSON: {}", json_syntax::explain(&e, text)),
                )
                .at(e.line() as u32, e.column() as u32),
            );
            None
        }
    }
}

fn parse_app(raw: &Value, diags: &mut Diagnostics) -> Option<AppConfig> {
    let file = "app.json";
    let mut app = AppConfig { raw: raw.clone(), ..AppConfig::default() };
    match raw.get("pages") {
        Some(Value::Array(items)) => {
            for item in items {
                match item.as_str().map(path::normalize) {
                    Some(Ok(p)) => app.pages.push(p),
                    Some(Err(e)) => diags.push(Diagnostic::new(
                        Level::Fatal,
                        Code::PathEscapes,
                        file,
                        format!("`pages`: {e}"),
                    )),
                    None => diags.push(field_error(file, "pages[]", "a string")),
                }
            }
        }
        Some(_) => diags.push(field_error(file, "pages", "an array of page paths")),
        None => {}
    }
    if app.pages.is_empty() {
        diags.push(Diagnostic::new(
            Level::Fatal,
            Code::NoPages,
            file,
            "`pages` is missing or empty: list at least one page, e.g. \"pages\": [\"pages/index/index\"]",
        ));
        return None;
    }
    // object-valued fields given as something else are mistakes WeChat refuses
    for field in ["window", "tabBar", "networkTimeout", "permission", "usingComponents"] {
        if raw.get(field).is_some_and(|v| !v.is_object() && !v.is_null()) {
            diags.push(field_error(file, field, "an object"));
        }
    }
    if let Some(Value::Object(w)) = raw.get("window") {
        app.window = w.clone();
    }
    let subs = raw.get("subpackages").or_else(|| raw.get("subPackages"));
    if let Some(Value::Array(items)) = subs {
        for item in items {
            let root = item.get("root").and_then(Value::as_str).map(path::normalize);
            let root = match root {
                Some(Ok(r)) if !r.is_empty() => r,
                Some(Err(e)) => {
                    diags.push(Diagnostic::new(
                        Level::Fatal,
                        Code::PathEscapes,
                        file,
                        format!("`subpackages[].root`: {e}"),
                    ));
                    continue;
                }
                _ => {
                    diags.push(field_error(file, "subpackages[].root", "a directory name"));
                    continue;
                }
            };
            let mut sp = SubpackageConfig {
                name: item.get("name").and_then(Value::as_str).map(str::to_string),
                independent: item.get("independent").and_then(Value::as_bool).unwrap_or(false),
                ..SubpackageConfig::default()
            };
            for page in item.get("pages").and_then(Value::as_array).into_iter().flatten() {
                match page.as_str().map(|p| path::resolve(&root, p)) {
                    Some(Ok(p)) => sp.pages.push(p),
                    Some(Err(e)) => diags.push(Diagnostic::new(
                        Level::Fatal,
                        Code::PathEscapes,
                        file,
                        format!("subpackage page: {e}"),
                    )),
                    None => diags.push(field_error(file, "subpackages[].pages[]", "a string")),
                }
            }
            sp.root = root;
            app.subpackages.push(sp);
        }
    }
    if let Some(list) = raw.get("tabBar").and_then(|t| t.get("list")).and_then(Value::as_array) {
        for item in list {
            match item.get("pagePath").and_then(Value::as_str).map(path::normalize) {
                Some(Ok(p)) if app.pages.contains(&p) => app.tab_pages.push(p),
                Some(Ok(p)) => diags.push(Diagnostic::new(
                    Level::Error,
                    Code::JsonField,
                    file,
                    format!("tabBar page `{p}` must be listed in `pages` (tab pages live in the main package)"),
                )),
                _ => diags.push(field_error(file, "tabBar.list[].pagePath", "a page path string")),
            }
        }
        if !(2..=5).contains(&list.len()) {
            diags.push(Diagnostic::new(
                Level::Warn,
                Code::JsonField,
                file,
                "`tabBar.list` should have 2 to 5 items",
            ));
        }
    }
    app.workers = match raw.get("workers") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_str().or_else(|| v.get("path").and_then(Value::as_str)) {
            Some(dir) => match path::normalize(dir) {
                Ok(d) if !d.is_empty() => Some(d),
                Ok(_) => {
                    diags.push(field_error(file, "workers", "a directory name"));
                    None
                }
                Err(e) => {
                    diags.push(Diagnostic::new(
                        Level::Error,
                        Code::PathEscapes,
                        file,
                        format!("`workers`: {e}"),
                    ));
                    None
                }
            },
            None => {
                diags.push(field_error(file, "workers", "a directory name or {\"path\": …}"));
                None
            }
        },
    };
    app.resolve_alias = resolve_alias(file, raw.get("resolveAlias"), diags);
    app.entry_page = match raw.get("entryPagePath").and_then(Value::as_str).map(path::normalize) {
        Some(Ok(p)) => p,
        _ => app.pages[0].clone(),
    };
    Some(app)
}

/// ` (app.json line N)`: where `app.json` lists page `comp` (for subpackage pages, the line
/// naming the page within its subpackage); empty for components or when not found.
fn listed_at(pkg: &Package, comp: &str, is_page: bool) -> String {
    let Some(text) = pkg.source("app.json").filter(|_| is_page) else { return String::new() };
    let mut candidates = vec![comp];
    let mut rest = comp;
    while let Some((_, tail)) = rest.split_once('/') {
        candidates.push(tail);
        rest = tail;
    }
    candidates
        .iter()
        .find_map(|c| {
            let quoted = format!("\"{c}\"");
            text.lines().position(|l| l.contains(&quoted))
        })
        .map_or_else(String::new, |i| format!(" (app.json line {})", i + 1))
}

fn load_entry(
    pkg: &Package,
    comp: &str,
    is_page: bool,
    subpackage: Option<String>,
    global: &Map<String, Value>,
    diags: &mut Diagnostics,
) -> Option<ComponentEntry> {
    let kind = if is_page { "page" } else { "component" };
    let js = format!("{comp}.js");
    let wxml = format!("{comp}.wxml");
    let json_path = format!("{comp}.json");
    if pkg.source(&js).is_none() {
        diags.push(Diagnostic::new(
            Level::Error,
            Code::FileMissing,
            js,
            format!(
                "{kind} `{comp}`{} has no .js file; create {comp}.js (it must call {}()){}",
                listed_at(pkg, comp, is_page),
                if is_page { "Page" } else { "Component" },
                if is_page { " or remove the page from app.json" } else { "" }
            ),
        ));
        return None;
    }
    let has_template = pkg.source(&wxml).is_some();
    if !has_template && is_page {
        diags.push(Diagnostic::new(
            Level::Error,
            Code::FileMissing,
            wxml,
            format!(
                "page `{comp}`{} has no .wxml file; create {comp}.wxml or remove the page from \
                 app.json",
                listed_at(pkg, comp, true)
            ),
        ));
        return None;
    }
    let mut json = match pkg.source(&json_path) {
        Some(text) => match parse_json(&json_path, text, diags) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        },
        None if !is_page => {
            diags.push(Diagnostic::new(
                Level::Error,
                Code::FileMissing,
                json_path,
                format!(
                    "component `{comp}` has no .json file; add one with {{\"component\": true}}"
                ),
            ));
            return None;
        }
        None => Map::new(),
    };
    if !is_page && json.get("component") != Some(&Value::Bool(true)) {
        diags.push(Diagnostic::new(
            Level::Warn,
            Code::NotAComponent,
            json_path.clone(),
            "used as a component but does not declare \"component\": true",
        ));
    }
    let mut using = global.clone();
    match json.get("usingComponents") {
        Some(Value::Object(own)) => {
            let resolved = resolve_using(pkg, &json_path, path::dir_of(comp), own, diags);
            using.extend(resolved);
        }
        Some(_) => diags.push(field_error(&json_path, "usingComponents", "an object")),
        None => {}
    }
    json.insert("usingComponents".into(), Value::Object(using));
    resolve_generic_defaults(pkg, &json_path, path::dir_of(comp), &mut json, diags);
    Some(ComponentEntry { path: comp.to_string(), is_page, subpackage, json, has_template })
}

/// Rewrites each `componentGenerics` default (`{"item": {"default": "../item/item"}}`) to a
/// `/`-absolute package path, as `usingComponents` values are; a default that names no
/// component is an error and is dropped (the abstract node then needs `generic:` from its user).
fn resolve_generic_defaults(
    pkg: &Package,
    file: &str,
    base_dir: &str,
    json: &mut Map<String, Value>,
    diags: &mut Diagnostics,
) {
    let Some(Value::Object(generics)) = json.get_mut("componentGenerics") else { return };
    for (name, spec) in generics.iter_mut() {
        let Value::Object(spec) = spec else { continue };
        let Some(target) = spec.get("default").and_then(Value::as_str).map(str::to_string) else {
            continue;
        };
        match resolve_component(pkg, base_dir, &target) {
            Ok(resolved) => {
                spec.insert("default".into(), Value::String(format!("/{resolved}")));
            }
            Err(reason) => {
                spec.remove("default");
                diags.push(
                    Diagnostic::new(
                        Level::Error,
                        Code::ComponentMissing,
                        file,
                        format!("`componentGenerics.{name}.default`: {reason}"),
                    )
                    .at_text(pkg.source(file), &target),
                );
            }
        }
    }
}

/// The components a component's JSON names: its `usingComponents` and the defaults of its
/// abstract nodes (both resolved to `/`-absolute paths by [`load_entry`]).
fn named_components(json: &Map<String, Value>) -> impl Iterator<Item = &str> {
    let using = json.get("usingComponents").and_then(Value::as_object).into_iter().flatten();
    let generics = json.get("componentGenerics").and_then(Value::as_object).into_iter().flatten();
    using
        .map(|(_, target)| target)
        .chain(generics.filter_map(|(_, spec)| spec.get("default")))
        .filter_map(Value::as_str)
}

/// Resolves each `usingComponents` value to `/path/without/ext`, dropping unresolvable ones.
fn resolve_using(
    pkg: &Package,
    file: &str,
    base_dir: &str,
    using: &Map<String, Value>,
    diags: &mut Diagnostics,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (tag, target) in using {
        let Some(target) = target.as_str() else {
            diags.push(field_error(
                file,
                &format!("usingComponents.{tag}"),
                "a component path string",
            ));
            continue;
        };
        if target.starts_with("plugin://") || target.starts_with("plugin-private://") {
            diags.push(Diagnostic::new(
                Level::Error,
                Code::ComponentUnsupported,
                file,
                format!(
                    "`{tag}`: plugin components (`{target}`) are not supported by this runtime"
                ),
            ));
            continue;
        }
        match resolve_component(pkg, base_dir, target) {
            Ok(resolved) => {
                out.insert(tag.clone(), Value::String(format!("/{resolved}")));
            }
            Err(reason) => diags.push(
                Diagnostic::new(
                    Level::Error,
                    Code::ComponentMissing,
                    file,
                    format!("`{tag}`: {reason}"),
                )
                .at_text(pkg.source(file), target),
            ),
        }
    }
    out
}

/// Finds the component a `usingComponents` value names: `comp.js` or `comp/index.js`, tried
/// relative to `base_dir` (or the root for `/…`) and then under each `miniprogram_npm/` from
/// `base_dir` up to the root.
pub fn resolve_component(pkg: &Package, base_dir: &str, target: &str) -> Result<String, String> {
    let found = |p: &str| -> Option<String> {
        if pkg.source(&format!("{p}.js")).is_some() {
            return Some(p.to_string());
        }
        let idx = format!("{p}/index");
        pkg.source(&format!("{idx}.js")).is_some().then_some(idx)
    };
    let direct = path::resolve(base_dir, target).map_err(|e| e.to_string())?;
    if let Some(p) = found(&direct) {
        return Ok(p);
    }
    let bare = !target.starts_with('.') && !target.starts_with('/');
    if bare {
        for npm in path::npm_search_dirs(base_dir) {
            if let Some(p) = path::resolve(&npm, target).ok().and_then(|c| found(&c)) {
                return Ok(p);
            }
        }
    }
    Err(format!(
        "no component at `{target}` (looked for `{direct}.js` and `{direct}/index.js`{})",
        if bare { " and in miniprogram_npm/" } else { "" }
    ))
}

trait LocateInText {
    fn at_text(self, text: Option<&str>, needle: &str) -> Self;
}

impl LocateInText for Diagnostic {
    /// Points the diagnostic at the first quoted occurrence of `needle` in `text`.
    fn at_text(self, text: Option<&str>, needle: &str) -> Self {
        let quoted = format!("\"{needle}\"");
        match text.and_then(|t| t.find(&quoted).map(|i| (t, i))) {
            Some((t, i)) => {
                let before = &t[..i];
                let line = before.matches('\n').count() as u32 + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
                self.at(line, col)
            }
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(files: &[(&str, &str)]) -> Package {
        Package::from_sources(files.iter().map(|(a, b)| (a.to_string(), b.to_string())))
    }

    #[test]
    fn resolves_pages_and_components() {
        let p = pkg(&[
            ("app.json", r#"{"pages":["pages/a/a"],"usingComponents":{"g":"/comps/g/g"}}"#),
            ("app.js", "App({})"),
            ("pages/a/a.js", ""),
            ("pages/a/a.wxml", ""),
            (
                "pages/a/a.json",
                r#"{"usingComponents":{"c":"../../comps/c/c","v":"vendor-ui/button"}}"#,
            ),
            ("comps/c/c.js", ""),
            ("comps/c/c.json", r#"{"component":true}"#),
            ("comps/g/g.js", ""),
            ("comps/g/g.json", r#"{"component":true}"#),
            ("miniprogram_npm/vendor-ui/button/index.js", ""),
            ("miniprogram_npm/vendor-ui/button/index.json", r#"{"component":true}"#),
        ]);
        let mut d = Diagnostics::default();
        let m = AppManifest::load(&p, &mut d).expect("manifest");
        assert!(d.is_empty(), "{d}");
        let page = &m.components["pages/a/a"];
        assert_eq!(page.json["usingComponents"]["c"], "/comps/c/c");
        assert_eq!(page.json["usingComponents"]["v"], "/miniprogram_npm/vendor-ui/button/index");
        assert_eq!(page.json["usingComponents"]["g"], "/comps/g/g");
        assert!(m.components.contains_key("miniprogram_npm/vendor-ui/button/index"));
        assert!(m.is_page("pages/a/a") && !m.is_page("comps/c/c"));
    }

    #[test]
    fn generic_defaults_are_resolved_and_loaded_like_used_components() {
        let p = pkg(&[
            ("app.json", r#"{"pages":["pages/a/a"]}"#),
            ("app.js", "App({})"),
            ("pages/a/a.js", ""),
            ("pages/a/a.wxml", ""),
            ("pages/a/a.json", r#"{"usingComponents":{"list":"/comps/list/list"}}"#),
            ("comps/list/list.js", ""),
            (
                "comps/list/list.json",
                "{\"component\":true,\n \"componentGenerics\":{\"item\":{\"default\":\"../item/item\"},\
                 \"cell\":true,\n \"gone\":{\"default\":\"./nope\"}}}",
            ),
            ("comps/item/item.js", ""),
            ("comps/item/item.json", r#"{"component":true}"#),
        ]);
        let mut d = Diagnostics::default();
        let m = AppManifest::load(&p, &mut d).expect("manifest");
        let generics = &m.components["comps/list/list"].json["componentGenerics"];
        assert_eq!(generics["item"]["default"], "/comps/item/item");
        assert_eq!(generics["cell"], true);
        assert!(generics["gone"].get("default").is_none(), "{generics}");
        // a default is a component of the app, as a used one is (its module runs before the
        // component naming it is prepared)
        assert!(m.components.contains_key("comps/item/item"));
        let text = d.to_string();
        assert!(
            text.contains(
                "comps/list/list.json:3:20: error [E203]: `componentGenerics.gone.default`: no \
                 component at `./nope`"
            ),
            "{text}"
        );
    }

    #[test]
    fn reports_missing_things_with_places() {
        let p = pkg(&[
            ("app.json", "{\"pages\":[\"pages/a/a\",\"pages/gone/gone\"]}"),
            ("pages/a/a.js", ""),
            ("pages/a/a.wxml", ""),
            ("pages/a/a.json", "{\n  \"usingComponents\": {\"x\": \"./nope\"}\n}"),
        ]);
        let mut d = Diagnostics::default();
        AppManifest::load(&p, &mut d);
        let text = d.to_string();
        assert!(text.contains("app.js: fatal [E101]"), "{text}");
        assert!(text.contains("pages/gone/gone.js: error [E101]"), "{text}");
        assert!(
            text.contains("pages/a/a.json:2:28: error [E203]: `x`: no component at `./nope`"),
            "{text}"
        );
    }

    #[test]
    fn json_syntax_error_is_located() {
        let p = pkg(&[("app.json", "{\n \"pages\": [\"a\",]\n}")]);
        let mut d = Diagnostics::default();
        assert!(AppManifest::load(&p, &mut d).is_none());
        let first = d.iter().next().expect("diag");
        assert_eq!((first.code, first.line), (Code::JsonSyntax, Some(2)));
        assert_eq!(
            first.message,
            "invalid JSON: a comma before a closing `}` or `]`: JSON allows no trailing comma; \
             remove it"
        );
    }

    #[test]
    fn resolve_alias_maps_the_longest_prefix_and_refuses_what_is_not_a_pattern() {
        let p = pkg(&[
            (
                "app.json",
                r#"{"pages":["p/a"],"resolveAlias":{"@/*":"/*","@u/*":"utils/*","@u/deep/*":"lib/deep/*","x":"y","@e/*":"../*"}}"#,
            ),
            ("p/a.js", ""),
            ("p/a.wxml", ""),
        ]);
        let mut d = Diagnostics::default();
        let m = AppManifest::load(&p, &mut d).expect("manifest");
        assert_eq!(m.app.alias("@u/deep/a").as_deref(), Some("/lib/deep/a"));
        assert_eq!(m.app.alias("@u/a").as_deref(), Some("/utils/a"));
        assert_eq!(m.app.alias("@/p/a").as_deref(), Some("/p/a"));
        assert_eq!(m.app.alias("./p/a"), None);
        let text = d.to_string();
        assert!(text.contains("`resolveAlias`: `x` must map a path ending in `/*`"), "{text}");
        assert!(text.contains("error [E102]: `resolveAlias` `@e/*`"), "{text}");
    }

    #[test]
    fn escaping_page_path_is_fatal() {
        let p = pkg(&[("app.json", r#"{"pages":["../../etc/passwd"]}"#)]);
        let mut d = Diagnostics::default();
        AppManifest::load(&p, &mut d);
        assert!(d.iter().any(|x| x.code == Code::PathEscapes), "{d}");
    }
}
