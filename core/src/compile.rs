//! Compile: every WXML template and WXS module of a package into one template group.
//!
//! Uses `glass-easel-template-compiler` (pinned to the same version as the glass-easel npm
//! runtime). Templates are registered by path without extension (`pages/index/index`), WXS
//! modules likewise (`utils/format`), which is how `<import>`, `<include>` and `<wxs src>`
//! refer to them after the compiler strips `.wxml`/`.wxs`. The result is one JS expression that
//! evaluates to the group object `G` (`G[path]` is a template). Compile problems become
//! diagnostics with file:line:col; compiling goes on so every problem is reported.
//! Pure function of the package; any thread.

pub mod depth;
pub mod end_tags;
#[cfg(feature = "compiler")]
pub mod group_order;
#[cfg(feature = "compiler")]
pub mod list_items;
pub mod literals;
#[cfg(feature = "compiler")]
pub mod script;
#[cfg(feature = "compiler")]
pub mod styles;
pub mod tag_spaces;
#[cfg(feature = "compiler")]
pub mod wxs;

use std::collections::BTreeMap;

#[cfg(feature = "compiler")]
use glass_easel_template_compiler::parse::{ParseErrorKind, ParseErrorLevel};
#[cfg(feature = "compiler")]
use glass_easel_template_compiler::TmplGroup;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::package::Package;

/// Compiled templates of a package.
#[derive(Debug, Clone)]
pub struct CompiledTemplates {
    /// JS expression evaluating to the template group object.
    pub group_js: String,
    /// Paths (without `.wxml`) of every template compiled.
    pub paths: Vec<String>,
    /// For each `.wxml` file, the `.wxml` and `.wxs` files it imports, includes or requires
    /// (direct only), so a problem can be traced to the pages that use it.
    pub deps: BTreeMap<String, Vec<String>>,
    /// The group's QuickJS bytecode, when a packed archive brought it and it may run.
    pub bytecode: Option<std::sync::Arc<Vec<u8>>>,
}

impl CompiledTemplates {
    /// The group as a script for the engine: its bytecode when there is some, else its text
    /// (named `file` for stacks).
    pub fn script<'a>(&'a self, file: &'a str) -> crate::engine::Script<'a> {
        match &self.bytecode {
            Some(bytes) => crate::engine::Script::Bytecode(bytes.as_slice()),
            None => crate::engine::Script::Source { file, text: &self.group_js },
        }
    }
}

impl From<crate::package::precompiled::TemplateGroup> for CompiledTemplates {
    fn from(g: crate::package::precompiled::TemplateGroup) -> Self {
        CompiledTemplates {
            group_js: g.group_js,
            paths: g.paths,
            deps: g.deps,
            bytecode: g.bytecode.and_then(|b| b.get()),
        }
    }
}

/// Compiles every `.wxml` and `.wxs` file in the package.
pub fn compile_templates(pkg: &Package, diags: &mut Diagnostics) -> CompiledTemplates {
    compile_templates_where(pkg, |_| true, diags)
}

/// Without the template compiler (feature `compiler` off): a fatal problem naming the way out,
/// and no templates.
#[cfg(not(feature = "compiler"))]
pub fn compile_templates_where(
    _pkg: &Package,
    _include: impl Fn(&str) -> bool + Sync,
    diags: &mut Diagnostics,
) -> CompiledTemplates {
    diags.push(Diagnostic::new(Level::Fatal, Code::TemplateGenerate, "", NO_COMPILER));
    CompiledTemplates {
        group_js: "({})".into(),
        paths: Vec::new(),
        deps: BTreeMap::new(),
        bytecode: None,
    }
}

/// What a build without the compilers says of a package it would have to compile.
pub const NO_COMPILER: &str = "this build of the runtime has no compilers (feature `compiler`): \
     it opens packed archives with a compiled section only; pack the project with `miniapp pack`";

/// Compiles the `.wxml` and `.wxs` files whose package path `include` accepts (one package of
/// the app: the main package, or a subpackage with what it may import).
#[cfg(feature = "compiler")]
pub fn compile_templates_where(
    pkg: &Package,
    include: impl Fn(&str) -> bool + Sync,
    diags: &mut Diagnostics,
) -> CompiledTemplates {
    // The template compiler recurses per nesting level; give it a stack of its own so the
    // caller's (a host thread of unknown size) never overflows. Inline if no thread starts.
    let on_thread = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("miniapp-compile".into())
            .stack_size(COMPILE_STACK_BYTES)
            .spawn_scoped(s, || {
                let mut d = Diagnostics::default();
                (compile_all(pkg, &include, &mut d), d)
            })
            .map(|h| h.join())
    });
    match on_thread {
        Ok(Ok((out, d))) => {
            diags.extend(d);
            out
        }
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => compile_all(pkg, &include, diags),
    }
}

#[cfg(feature = "compiler")]
/// A template refused before (or while) compiling: its problem is reported and it compiles as
/// empty, so the pages using it still open and report it (runtime/problems.rs).
fn refuse(
    group: &mut TmplGroup,
    paths: &mut Vec<String>,
    path: &str,
    diags: &mut Diagnostics,
    problem: Diagnostic,
) {
    group.add_tmpl(path, "");
    paths.push(path.to_string());
    diags.push(problem);
}

#[cfg(feature = "compiler")]
/// Stack of the compile thread: room for [`depth::MAX_WXML_DEPTH`] levels in a debug build.
const COMPILE_STACK_BYTES: usize = 64 << 20;

#[cfg(feature = "compiler")]
fn compile_all(
    pkg: &Package,
    include: &(impl Fn(&str) -> bool + Sync),
    diags: &mut Diagnostics,
) -> CompiledTemplates {
    let mut group = TmplGroup::new();
    // Every compiled template installs `Q.C` as its listener wrapper: route it to the framework
    // layer so handlers receive WeChat-shaped event objects (core/js/src/events.js); `Q.A`
    // filters `change:` observers, which WXS receives with instance descriptors
    // (core/js/src/wxs_runtime.js). `Q.F` updates keyed lists item by item (list_items.rs).
    // `P` gives what a binding calls: a function without a `prototype` (a built-in method of a
    // data value, called without that value, `{{s.trim()}}`) that throws leaves the binding
    // empty with a warning (core/js/src/errors.js) instead of failing the whole template; WXS
    // functions are called as they were.
    group.set_extra_runtime_script(&format!(
        "Q.C=function(c,e,f,p){{return typeof __miniappEventWrapper==='function'?__miniappEventWrapper(c,e,f,p):f.call(c,e)}};\
         Q.A=function(f){{return typeof __wxsChangeListener==='function'?__wxsChangeListener(f):f}};\
         P=function(a){{return typeof a!=='function'?function(){{}}:a.prototype!==void 0?a:function(){{try{{return a.apply(void 0,arguments)}}catch(e){{return typeof __miniappBindingCallFailed==='function'?__miniappBindingCallFailed(a,e):void 0}}}}}};{}",
        list_items::LIST_UPDATE
    ));
    let mut paths = Vec::new();
    // the compiler loops forever on a Unicode space where it reads attribute names: none
    // reaches it (tag_spaces.rs)
    let spaces = tag_spaces::HiddenSpaces::for_sources(
        ["wxml", "wxs"]
            .into_iter()
            .flat_map(|ext| pkg.sources_with_extension(ext))
            .filter(|(f, _)| include(f))
            .map(|(_, src)| src),
    );
    for (file, src) in pkg.sources_with_extension("wxs").filter(|(f, _)| include(f)) {
        let path = strip_ext(file);
        let js = wxs::wxs_to_js(file, 0, src).unwrap_or_else(|d| {
            diags.push(d);
            // the pages using it report the problem; their templates still render
            "module.exports = {};".to_string()
        });
        group.add_script(path, &js);
    }
    for (file, src) in pkg.sources_with_extension("wxml").filter(|(f, _)| include(f)) {
        let path = strip_ext(file);
        // a Unicode space between attributes separates them (tag_spaces.rs)
        let src = &*tag_spaces::normalize(src);
        // refused before the compiler recurses into it or overflows on it; the pages using it
        // report it
        let refusal = match depth::too_deep(src, depth::MAX_WXML_DEPTH) {
            Some(at) => Some((
                format!(
                    "elements nested more than {} deep: flatten the markup or move part of it \
                     into a component",
                    depth::MAX_WXML_DEPTH
                ),
                at,
            )),
            None => literals::too_long(src).map(|at| {
                let msg = "this number has more digits than the template compiler can hold: \
                           write it as a string, or compute it in the page's data";
                (msg.to_string(), at)
            }),
        };
        if let Some((msg, (line, col))) = refusal {
            refuse(
                &mut group,
                &mut paths,
                path,
                diags,
                Diagnostic::new(Level::Error, Code::TemplateSyntax, file, msg).at(line, col),
            );
            continue;
        }
        let inline = inline_wxs_to_js(file, src, diags);
        let hidden = spaces.hide(&inline);
        let src = &*hidden;
        let (mut unclosed, mut stray_ends) = (Vec::new(), Vec::new());
        let Some(errors) = third_party(|| group.add_tmpl(path, src)) else {
            let msg = "the template compiler failed on this file: simplify its expressions \
                       (the pages using it open without it)";
            refuse(
                &mut group,
                &mut paths,
                path,
                diags,
                Diagnostic::new(Level::Error, Code::TemplateSyntax, file, msg),
            );
            continue;
        };
        for err in errors {
            let start = &err.location.start;
            match err.kind {
                ParseErrorKind::MissingEndTag => {
                    unclosed.push(end_tags::TagAt::read(src, start.line, start.utf16_col));
                    continue;
                }
                ParseErrorKind::InvalidEndTag => {
                    stray_ends.push(end_tags::TagAt::read(src, start.line, start.utf16_col));
                    continue;
                }
                _ => {}
            }
            // `wx:elif`/`wx:else` with no `wx:if` before it: say so (the compiler only says
            // "invalid attribute")
            let attr = src
                .lines()
                .nth(start.line as usize)
                .and_then(|l| l.get(start.utf16_col as usize..))
                .unwrap_or_default();
            if let Some(which) = ["wx:elif", "wx:else"].into_iter().find(|a| attr.starts_with(a)) {
                let msg = format!(
                    "`{which}` without a `wx:if` on the element just before it: add the \
                     `wx:if`, or remove `{which}`"
                );
                diags.push(
                    Diagnostic::new(Level::Error, Code::TemplateSyntax, file, msg)
                        .at(start.line + 1, start.utf16_col + 1),
                );
                continue;
            }
            let level = match err.level() {
                ParseErrorLevel::Note => Level::Note,
                ParseErrorLevel::Warn => Level::Warn,
                ParseErrorLevel::Error => Level::Error,
                // Fatal to this template only: the pages using it report it (runtime/problems.rs).
                ParseErrorLevel::Fatal => Level::Error,
            };
            diags.push(
                Diagnostic::new(level, Code::TemplateSyntax, file, err.kind.to_string())
                    .at(start.line + 1, start.utf16_col + 1),
            );
        }
        for d in end_tags::explain(file, unclosed, stray_ends) {
            diags.push(d);
        }
        paths.push(path.to_string());
    }
    let mut deps = BTreeMap::new();
    for path in &paths {
        let file = format!("{path}.wxml");
        let templates = group
            .direct_dependencies(path)
            .map(|d| d.map(|p| (p, "wxml", "imported or included template")).collect::<Vec<_>>());
        let scripts = group
            .script_dependencies(path)
            .map(|d| d.map(|p| (p, "wxs", "WXS module")).collect::<Vec<_>>());
        let mut files = Vec::new();
        for (dep, ext, what) in templates.into_iter().chain(scripts).flatten() {
            files.push(format!("{dep}.{ext}"));
            if pkg.source(&format!("{dep}.{ext}")).is_none() {
                diags.push(Diagnostic::new(
                    Level::Error,
                    Code::FileMissing,
                    file.clone(),
                    format!("{what} `{dep}.{ext}` does not exist"),
                ));
                // an empty module in its place: the group still loads (the compiled group
                // calls every module it names when it loads) and the pages using it open
                if ext == "wxs" {
                    group.add_script(&dep, "module.exports = {};");
                }
            }
        }
        deps.insert(file, files);
    }
    // lists come only from `wx:for`: without one there is no item function to guard, and the
    // pass (a parse of the whole group) is skipped
    let has_lists = pkg
        .sources_with_extension("wxml")
        .any(|(file, src)| include(file) && src.contains("wx:for"));
    let group_js = match group.get_tmpl_gen_object_groups() {
        Ok(js) => {
            let js = install_listener_wrapper(&spaces.restore(&js));
            if has_lists {
                list_items::skip_unchanged_items(&js)
            } else {
                js
            }
        }
        Err(e) => {
            diags.push(Diagnostic::new(Level::Fatal, Code::TemplateGenerate, "", e.message));
            "({})".to_string()
        }
    };
    CompiledTemplates { group_js, paths, deps, bytecode: None }
}

#[cfg(feature = "compiler")]
/// Start of every generated template function (glass-easel-template-compiler 0.12.1).
const TEMPLATE_FN_HEAD: &str = "=(R,C,D,U)=>{";
#[cfg(feature = "compiler")]
/// What each template function must run first so handlers get WeChat-shaped events.
const INSTALL_WRAPPER: &str =
    "if(typeof R.setEventListenerWrapper==='function')R.setEventListenerWrapper(Q.C);";

#[cfg(feature = "compiler")]
/// The compiler installs the listener wrapper (`Q.C`) only in templates that use WXS, so
/// handlers in other templates would receive glass-easel's internal event object. Install it
/// at the head of every template function instead (a second install is harmless).
fn install_listener_wrapper(js: &str) -> String {
    js.replace(TEMPLATE_FN_HEAD, &format!("{TEMPLATE_FN_HEAD}{INSTALL_WRAPPER}"))
}

#[cfg(feature = "compiler")]
fn strip_ext(file: &str) -> &str {
    file.rfind('.').map_or(file, |i| &file[..i])
}

#[cfg(feature = "compiler")]
/// The template with each inline `<wxs module="…">` body rewritten by [`wxs::wxs_to_js`]
/// (line numbers unchanged); a body that does not parse is reported and left as written.
fn inline_wxs_to_js(file: &str, wxml: &str, diags: &mut Diagnostics) -> String {
    let mut out = String::with_capacity(wxml.len());
    let mut rest = wxml;
    while let Some(open) = rest.find("<wxs") {
        let Some(tag_end) = rest[open..].find('>').map(|i| open + i) else { break };
        let tag = &rest[open..tag_end];
        out.push_str(&rest[..=tag_end]);
        rest = &rest[tag_end + 1..];
        if tag.ends_with('/') || tag.contains(" src=") || tag.contains("\tsrc=") {
            continue;
        }
        let Some(close) = rest.find("</wxs>") else { break };
        let body = &rest[..close];
        let before = &wxml[..wxml.len() - rest.len()];
        let line_offset = before.matches('\n').count() as u32;
        match wxs::wxs_to_js(file, line_offset, body) {
            Ok(js) => out.push_str(&js),
            Err(d) => {
                // the located error is reported; the module is empty so the template (and the
                // group every template shares) still loads
                diags.push(d);
                out.push_str("module.exports = {};");
                out.push_str(&"\n".repeat(body.matches('\n').count()));
            }
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Runs third-party compiler code (glass-easel's template compiler, swc's parser) so that a
/// panic inside it — a bug, or a debug assertion on odd input — fails the file being compiled
/// instead of the app or the host: `None` when it panicked.
pub(crate) fn third_party<T>(run: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).ok()
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    /// A full-width space between attributes made the template compiler loop forever,
    /// allocating (12 GB from 220 bytes; found by the templates fuzz target). It compiles now;
    /// the test fails instead of hanging if that comes back.
    #[test]
    fn unicode_spaces_between_attributes_do_not_hang_the_compiler() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let pkg = Package::from_sources([
                ("pages/a/a.wxml", "<view\u{3000}class=\"x\"\u{2029}id=\"y\">全角\u{3000}</view>"),
                ("pages/b/b.wxml", "<child id=\"c\"\n \'n }\n t () + \'\u{2029}\';\n"),
                // after an attribute expression the compiler's recovery ends elsewhere
                (
                    "pages/c/c.wxml",
                    "<cmost nuter:if=\"{{s  >=u\"{{count > 2}}\"\n  nu<=fro\n\u{2004} \u{1}(",
                ),
                // a meta tag's attributes (6 bytes, 2 GB)
                ("pages/d/d.wxml", "<v></v><!v \u{2000}"),
                // `<!--` inside an end tag, then a tag
                ("pages/e/e.wxml", "}}<></vie<!-- <r> <<d\u{202f}"),
                // a name the compiler cannot read: it reads the quoted value as names
                ("pages/f/f.wxml", "<t =\"\u{2029}\"></t>"),
                ("pages/g/g.wxml", "<text i+=\"rwxs \u{2029} vi\0er (WXS: aw\"\" /></view>"),
                // an expression in text, whose `<!--` no comment starts, then a tag (2.5 KB
                // took > 2 GB before the compiler stopped seeing Unicode spaces at all)
                ("pages/h/h.wxml", "{{<!--}}<m\u{2006}"),
            ]);
            let mut diags = Diagnostics::default();
            let compiled = compile_templates(&pkg, &mut diags);
            let _ = done.send(compiled.paths.len());
        });
        let compiled = finished.recv_timeout(std::time::Duration::from_secs(20));
        assert_eq!(compiled, Ok(8), "the template compiler did not finish");
    }

    #[test]
    fn syntax_errors_are_located() {
        let pkg =
            Package::from_sources([("pages/a/a.wxml", "<view>\n  <text>{{a</text>\n</view>")]);
        let mut d = Diagnostics::default();
        compile_templates(&pkg, &mut d);
        let first = d.iter().next().expect("a diagnostic");
        assert_eq!(first.path, "pages/a/a.wxml");
        assert_eq!(first.line, Some(2));
        assert_eq!(first.code, Code::TemplateSyntax);
    }

    #[test]
    fn every_template_installs_the_event_wrapper() {
        let pkg = Package::from_sources([
            ("a.wxml", "<view bindtap=\"x\">{{a}}</view>"),
            ("b.wxml", "<text>b</text>"),
        ]);
        let mut d = Diagnostics::default();
        let js = compile_templates(&pkg, &mut d).group_js;
        assert_eq!(js.matches(TEMPLATE_FN_HEAD).count(), 2, "compiler output format changed: {js}");
        assert_eq!(js.matches(INSTALL_WRAPPER).count(), 2);
    }

    #[test]
    fn missing_import_is_reported() {
        let pkg = Package::from_sources([("a.wxml", "<import src=\"./nope.wxml\" />")]);
        let mut d = Diagnostics::default();
        let out = compile_templates(&pkg, &mut d);
        assert!(d.to_string().contains("`nope.wxml` does not exist"), "{d}");
        assert!(out.group_js.contains("G["));
    }
}
