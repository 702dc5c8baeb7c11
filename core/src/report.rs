//! Compatibility report: what a package uses — `wx` APIs, tags, WXSS features, compile
//! plugins — and how this runtime supports each (`miniapp check --report`).
//!
//! Built from the real compile: scripts are read after DevTools' compile step and parsed with
//! swc (each `wx.name` access), templates are the package's `.wxml`, styles are the style
//! compiler's diagnostics, and support comes from the API registry and the built-in component
//! list, not from a list kept here. Pure function of a loaded app; any thread.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;
use swc_core::common::sync::Lrc;
use swc_core::common::{FileName, SourceMap};
use swc_core::ecma::ast::{EsVersion, Expr, Lit, MemberExpr, MemberProp};
use swc_core::ecma::parser::{parse_file_as_program, EsSyntax, Syntax};
use swc_core::ecma::visit::{Visit, VisitWith};

use crate::api::registry::{APIS, REFUSED};
use crate::builtin::{self, TEMPLATE_TAGS, WECHAT_ONLY_TAGS};
use crate::config::AppManifest;
use crate::diagnostic::{Code, Diagnostics};
use crate::package::Package;

/// How this runtime supports one thing a package uses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Support {
    /// Done by the core.
    Supported,
    /// Handed to the host app under this capability group.
    Host(String),
    /// A custom component of the package.
    Custom,
    /// Present, answering as WeChat does for what it cannot do here (refused API,
    /// WeChat-only component rendered empty).
    Refused,
    /// Accepted but not applied (a WXSS feature the style engine ignores).
    Ignored,
    /// Not known: a misspelt or newer API, or a tag rendered as a plain inline container.
    Unknown,
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Support::Supported => write!(f, "supported"),
            Support::Host(group) => write!(f, "host ({group})"),
            Support::Custom => write!(f, "custom component"),
            Support::Refused => write!(f, "refused"),
            Support::Ignored => write!(f, "ignored"),
            Support::Unknown => write!(f, "unknown"),
        }
    }
}

/// One thing the package uses.
#[derive(Debug, Clone, Serialize)]
pub struct Usage {
    /// API, tag, style feature or plugin.
    pub name: String,
    /// How it is supported.
    pub support: Support,
    /// How many times it is used.
    pub uses: usize,
    /// The first file using it.
    pub example: String,
}

/// The whole report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// `wx.*` members the scripts use.
    pub apis: Vec<Usage>,
    /// Tags the templates use.
    pub tags: Vec<Usage>,
    /// WXSS features the style engine does not apply.
    pub styles: Vec<Usage>,
    /// Compile steps the project asks DevTools for.
    pub compile: Vec<Usage>,
}

#[derive(Default)]
struct Tally(BTreeMap<String, (Support, usize, String)>);

impl Tally {
    fn add(&mut self, name: &str, support: impl FnOnce() -> Support, file: &str) {
        let entry =
            self.0.entry(name.to_string()).or_insert_with(|| (support(), 0, file.to_string()));
        entry.1 += 1;
    }

    /// Most used first within each kind of support, unsupported kinds last.
    fn into_usages(self) -> Vec<Usage> {
        let mut out: Vec<Usage> = self
            .0
            .into_iter()
            .map(|(name, (support, uses, example))| Usage { name, support, uses, example })
            .collect();
        out.sort_by(|a, b| {
            a.support.cmp(&b.support).then(b.uses.cmp(&a.uses)).then(a.name.cmp(&b.name))
        });
        out
    }
}

/// Builds the report for a package (as compiled when the app opened), its manifest and the
/// diagnostics found loading it.
pub fn compatibility(pkg: &Package, manifest: &AppManifest, diags: &Diagnostics) -> Report {
    Report {
        apis: api_usages(pkg),
        tags: tag_usages(pkg, manifest),
        styles: style_usages(diags),
        compile: compile_usages(pkg),
    }
}

fn api_support(name: &str) -> Support {
    if let Some(a) = APIS.iter().find(|a| a.name == name) {
        return match a.group {
            "base" | "storage" | "file" => Support::Supported,
            group => Support::Host(group.to_string()),
        };
    }
    match name {
        "cloud" => Support::Refused,
        "env" | "worklet" | "router" => Support::Supported,
        _ if REFUSED.iter().any(|a| a.name == name) => Support::Refused,
        _ => Support::Unknown,
    }
}

struct WxMembers<'a> {
    file: &'a str,
    tally: &'a mut Tally,
}

impl Visit for WxMembers<'_> {
    fn visit_member_expr(&mut self, m: &MemberExpr) {
        m.visit_children_with(self);
        let Expr::Ident(obj) = &*m.obj else { return };
        if &*obj.sym != "wx" {
            return;
        }
        let name = match &m.prop {
            MemberProp::Ident(p) => p.sym.to_string(),
            MemberProp::Computed(c) => match &*c.expr {
                Expr::Lit(Lit::Str(s)) => s.value.to_string_lossy().into_owned(),
                _ => return,
            },
            MemberProp::PrivateName(_) => return,
        };
        self.tally.add(&name, || api_support(&name), self.file);
    }
}

fn api_usages(pkg: &Package) -> Vec<Usage> {
    let mut tally = Tally::default();
    for (file, src) in pkg.sources_with_extension("js") {
        let cm: Lrc<SourceMap> = Default::default();
        let fm = cm.new_source_file(Lrc::new(FileName::Custom(file.to_string())), src.to_string());
        let syntax = Syntax::Es(EsSyntax::default());
        let parsed = crate::compile::third_party(|| {
            parse_file_as_program(&fm, syntax, EsVersion::latest(), None, &mut Vec::new())
        });
        if let Some(Ok(program)) = parsed {
            program.visit_with(&mut WxMembers { file, tally: &mut tally });
        }
    }
    tally.into_usages()
}

/// The tag names a template opens, outside comments.
fn template_tags(wxml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = wxml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(body) = rest.strip_prefix("!--") {
            rest = body.find("-->").map_or("", |j| &body[j + 3..]);
            continue;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        if len > 0 && rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push(&rest[..len]);
        }
        rest = &rest[len..];
    }
    out
}

fn tag_usages(pkg: &Package, manifest: &AppManifest) -> Vec<Usage> {
    let mut tally = Tally::default();
    for (file, src) in pkg.sources_with_extension("wxml") {
        let component = file.trim_end_matches(".wxml");
        let using = manifest
            .components
            .get(component)
            .and_then(|c| c.json.get("usingComponents"))
            .and_then(Value::as_object);
        let generics = manifest
            .components
            .get(component)
            .and_then(|c| c.json.get("componentGenerics"))
            .and_then(Value::as_object);
        for tag in template_tags(src) {
            let support = || {
                if using.is_some_and(|u| u.contains_key(tag))
                    || generics.is_some_and(|g| g.contains_key(tag))
                {
                    Support::Custom
                } else if builtin::get(tag).is_some() || TEMPLATE_TAGS.contains(&tag) {
                    Support::Supported
                } else if WECHAT_ONLY_TAGS.contains(&tag) {
                    Support::Refused
                } else {
                    Support::Unknown
                }
            };
            tally.add(tag, support, file);
        }
    }
    tally.into_usages()
}

/// A style warning's feature, without the place it was found: `property -webkit-box-orient`,
/// `the pseudo-class :first-child`, `sibling combinators (+, ~)`.
fn style_feature(message: &str) -> String {
    let text = message.split(" (the ").next().unwrap_or(message);
    let text = match text.strip_prefix("selector `") {
        Some(rest) => rest.split_once("`: ").map_or(rest, |(_, what)| what),
        None => text,
    };
    if let Some(selector) =
        text.strip_prefix("pseudo-elements should begin with double colons (::): ")
    {
        let element = selector_feature(selector).replace(" is not supported", "");
        return format!(
            "{} written with one colon",
            element.replace("pseudo-class", "pseudo-element")
        );
    }
    for prefix in
        ["unsupported pseudo class: ", "unsupported pseudo element: ", "unsupported selector: "]
    {
        if let Some(selector) = text.strip_prefix(prefix) {
            return selector_feature(selector);
        }
    }
    match text.strip_prefix("unsupported property: ") {
        Some(decl) => {
            let (name, value) = decl.split_once(':').unwrap_or((decl, ""));
            let value = value.trim().trim_end_matches(';').trim();
            // `display` is supported; it is the value that is not
            if name.trim() == "display" {
                format!("display: {value}")
            } else {
                format!("property {}", name.trim())
            }
        }
        None => text.replace('`', ""),
    }
}

/// The first pseudo-class or pseudo-element of a selector (what float-pigment refuses in it).
fn selector_feature(selector: &str) -> String {
    let mut rest = selector;
    while let Some(i) = rest.find(':') {
        let element = rest[i + 1..].starts_with(':');
        let name_start = i + if element { 2 } else { 1 };
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !name.is_empty() {
            return if element {
                format!("the pseudo-element ::{name}")
            } else {
                format!("the pseudo-class :{name} is not supported")
            };
        }
        rest = &rest[name_start..];
    }
    "selectors of this form".to_string()
}

fn style_usages(diags: &Diagnostics) -> Vec<Usage> {
    let mut tally = Tally::default();
    for d in diags.iter().filter(|d| {
        matches!(d.code, Code::StyleUnsupported | Code::StyleImportMissing | Code::StyleNoEffect)
    }) {
        let feature = style_feature(&d.message);
        let support =
            || if d.code == Code::StyleImportMissing { Support::Unknown } else { Support::Ignored };
        tally.add(&feature, support, &d.path);
    }
    tally.into_usages()
}

fn compile_usages(pkg: &Package) -> Vec<Usage> {
    let mut tally = Tally::default();
    let plugins = pkg.project().map(|p| p.compiler_plugins()).unwrap_or_default();
    for p in &plugins {
        let support = match p.as_str() {
            "typescript" | "less" | "sass" => Support::Supported,
            _ => Support::Unknown,
        };
        tally.add(&format!("useCompilerPlugins: {p}"), || support, "project.config.json");
    }
    let less =
        if plugins.iter().any(|p| p == "less") { Support::Supported } else { Support::Ignored };
    let sass =
        if plugins.iter().any(|p| p == "sass") { Support::Supported } else { Support::Ignored };
    for file in pkg.files() {
        let kind = match crate::package::extension(file) {
            Some("ts") if !file.ends_with(".d.ts") => ("TypeScript (.ts)", Support::Supported),
            Some("less") => ("LESS (.less)", less.clone()),
            Some("scss") => ("Sass (.scss)", sass.clone()),
            Some("sass") => ("Sass indented syntax (.sass)", Support::Unknown),
            _ => continue,
        };
        tally.add(kind.0, || kind.1, file);
    }
    for (file, _) in
        pkg.sources_with_extension("js").filter(|(f, _)| pkg.compiled_from(f).is_some())
    {
        tally.add("ES modules (import/export)", || Support::Supported, file);
    }
    tally.into_usages()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (title, list) in [
            ("wx APIs", &self.apis),
            ("tags", &self.tags),
            ("WXSS features not applied", &self.styles),
            ("compile steps", &self.compile),
        ] {
            let unsupported = list
                .iter()
                .filter(|u| {
                    matches!(u.support, Support::Refused | Support::Ignored | Support::Unknown)
                })
                .count();
            if list.iter().all(|u| u.support == Support::Ignored) {
                writeln!(f, "{title}: {}", list.len())?;
            } else {
                writeln!(f, "{title}: {} used, {unsupported} not supported here", list.len())?;
            }
            for u in list {
                let support = u.support.to_string();
                writeln!(f, "  {:<44} {:<18} {:>6}x  e.g. {}", u.name, support, u.uses, u.example)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_features_drop_their_place() {
        assert_eq!(
            style_feature(
                "unsupported property: -webkit-box-orient: vertical; (the declaration is ignored)"
            ),
            "property -webkit-box-orient"
        );
        assert_eq!(
            style_feature(
                "unsupported property: display: -webkit-box; (the declaration is ignored)"
            ),
            "display: -webkit-box"
        );
        assert_eq!(
            style_feature("selector `.a:first-child`: the pseudo-class `:first-child` is not supported (the rule is ignored)"),
            "the pseudo-class :first-child is not supported"
        );
        assert_eq!(
            style_feature("unsupported pseudo class: .t-radio:focus"),
            "the pseudo-class :focus is not supported"
        );
        assert_eq!(
            style_feature("unsupported pseudo element: .t::-webkit-scrollbar"),
            "the pseudo-element ::-webkit-scrollbar"
        );
        assert_eq!(
            style_feature("unsupported selector: .a:not(.b):first-child"),
            "the pseudo-class :not is not supported"
        );
        assert_eq!(
            style_feature(
                "pseudo-elements should begin with double colons (::): .weui-cells:after"
            ),
            "the pseudo-element :after written with one colon"
        );
    }

    #[test]
    fn templates_tags_skip_comments_and_closers() {
        assert_eq!(
            template_tags("<view><!-- <ad/> --><my-card a='<'/></view><text>x</text>"),
            ["view", "my-card", "text"]
        );
    }

    #[test]
    fn apis_and_tags_are_classified_from_the_registries() {
        let pkg = Package::from_sources([
            ("app.json", r#"{"pages":["pages/a/a"]}"#),
            ("app.js", "App({})"),
            ("pages/a/a.js", "wx.request({}); wx.setStorageSync('a', 1); wx.startBeaconDiscovery(); wx['getLocationz']()"),
            ("pages/a/a.wxml", "<view><ad unit-id='x'/><span/><card/></view>"),
            ("pages/a/a.json", r#"{"usingComponents":{"card":"/c/c"}}"#),
            ("c/c.js", "Component({})"),
            ("c/c.json", r#"{"component":true}"#),
        ]);
        let m = AppManifest::load(&pkg, &mut Diagnostics::default()).expect("manifest");
        let r = compatibility(&pkg, &m, &Diagnostics::default());
        let of = |l: &[Usage], n: &str| l.iter().find(|u| u.name == n).map(|u| u.support.clone());
        assert_eq!(of(&r.apis, "request"), Some(Support::Host("network".into())));
        assert_eq!(of(&r.apis, "setStorageSync"), Some(Support::Supported));
        assert_eq!(of(&r.apis, "startBeaconDiscovery"), Some(Support::Refused));
        assert_eq!(of(&r.apis, "getLocationz"), Some(Support::Unknown));
        assert_eq!(of(&r.tags, "view"), Some(Support::Supported));
        assert_eq!(of(&r.tags, "ad"), Some(Support::Refused));
        assert_eq!(of(&r.tags, "span"), Some(Support::Unknown));
        assert_eq!(of(&r.tags, "card"), Some(Support::Custom));
    }
}
