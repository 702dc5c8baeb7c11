//! Styles: the package's WXSS, parsed by float-pigment-css.
//!
//! [`StyleSheets::load`] parses every `.wxss` file of a package into one resource (so relative
//! and `/`-absolute `@import`s resolve between them) and links each sheet with its imports.
//! Every problem becomes a [`Diagnostic`] with file:line:col: what float-pigment reports
//! (unsupported properties, selectors, pseudo classes and elements, missing import targets)
//! and what it would otherwise accept silently but never apply (sibling combinators,
//! structural pseudo-classes). Nothing is dropped without a warning. Plain data; built on the
//! logic thread, usable from any thread.
//!
//! [`cascade`] matches and computes styles per node with WeChat's style scopes; [`visual`]
//! resolves the paint values the host receives.

pub mod cascade;
pub mod grid_tracks;
pub mod legacy_values;
pub mod motion;
pub mod prefixes;
pub mod structure;
pub mod supports;
pub mod visual;

use std::sync::Arc;

use float_pigment_css::parser::{Warning, WarningKind};
use float_pigment_css::{StyleSheetGroup, StyleSheetResource};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::package::Package;

/// The package's parsed style sheets.
pub struct StyleSheets {
    resource: StyleSheetResource,
    /// Sheet keys (package paths without `.wxss`), in package order.
    keys: Vec<String>,
    /// Some sheet declares or uses custom properties (`--x`, `var()`).
    custom_properties: bool,
    /// The structural conditions selectors were rewritten into (see [`structure`]).
    conditions: Arc<structure::Conditions>,
    /// Some sheet has `::before`/`::after` rules.
    pseudo_elements: bool,
}

impl std::fmt::Debug for StyleSheets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StyleSheets").field("keys", &self.keys).finish()
    }
}

/// Pseudo-classes float-pigment parses but never matches.
const INERT_PSEUDO_CLASSES: &[&str] = &[
    ":first-child",
    ":last-child",
    ":nth-child",
    ":nth-last-child",
    ":first-of-type",
    ":last-of-type",
    ":nth-of-type",
    ":only-child",
    ":not(",
    ":empty",
];

impl StyleSheets {
    /// Parses every `.wxss` file of `package`; problems go to `diags` as warnings.
    pub fn load(package: &Package, diags: &mut Diagnostics) -> StyleSheets {
        let mut sheets = StyleSheets {
            resource: StyleSheetResource::new(),
            keys: Vec::new(),
            custom_properties: false,
            conditions: Arc::new(structure::Conditions::default()),
            pseudo_elements: false,
        };
        sheets.add(package.sources_with_extension("wxss"), diags);
        sheets
    }

    /// Parses the `.wxss` files of package `root` (a subpackage loaded after the app opened:
    /// see `package::split`) and adds them.
    pub fn add_package(&mut self, package: &Package, root: &str, diags: &mut Diagnostics) {
        let prefix = format!("{root}/");
        let fresh = package.sources_with_extension("wxss").filter(|(path, _)| {
            path.starts_with(&prefix) && !self.has(path.trim_end_matches(".wxss"))
        });
        let fresh: Vec<(&str, &str)> = fresh.collect();
        self.add(fresh.into_iter(), diags);
    }

    fn add<'a>(
        &mut self,
        sources: impl Iterator<Item = (&'a str, &'a str)>,
        diags: &mut Diagnostics,
    ) {
        let first = self.keys.len();
        let conditions = Arc::make_mut(&mut self.conditions);
        for (path, text) in sources {
            let key = path.trim_end_matches(".wxss").to_string();
            let mut dropped = Vec::new();
            // a failure of these rewrites fails this file, never the host
            let rewritten = crate::compile::third_party(|| {
                // `-webkit-` and 2009-flexbox declarations in their standard form
                // (prefixes.rs), structural selectors as condition tests (structure.rs).
                let text = prefixes::unprefix(text);
                // the prefixed at-rule of old WebViews, same length so columns are kept
                let text = if text.contains("@-webkit-keyframes") {
                    std::borrow::Cow::Owned(
                        text.replace("@-webkit-keyframes", "@keyframes        "),
                    )
                } else {
                    text
                };
                // `@supports` answered here: the engine drops such blocks whole (supports.rs)
                let text = supports::resolve(&text);
                structure::rewrite_sheet(&text, conditions, &mut dropped).into_owned()
            });
            let Some(text) = rewritten else {
                diags.push(Diagnostic::new(
                    Level::Warn,
                    Code::StyleUnsupported,
                    path,
                    "the style rewrites failed on this file (an internal error): its rules are \
                     not applied; please report the file",
                ));
                continue;
            };
            for d in dropped {
                diags.push(dropped_selector_diagnostic(path, &d));
            }
            self.pseudo_elements |= text.contains("::before") || text.contains("::after");
            self.custom_properties |= cascade::mentions_custom_properties(&text);
            let mut no_effect = std::collections::BTreeSet::new();
            // float-pigment packs a selector's weight into 16 bits and overflows (a panic in
            // debug builds) past 7 ids in one selector: that file fails, not the app
            let resource = &mut self.resource;
            let Some(warnings) = crate::compile::third_party(|| resource.add_source(&key, &text))
            else {
                diags.push(Diagnostic::new(
                    Level::Warn,
                    Code::StyleUnsupported,
                    path,
                    "the style engine could not weigh a selector of this file (more than 7 ids \
                     in one selector, or a selector chain thousands of parts long): the file's \
                     rules are not applied; shorten that selector",
                ));
                continue;
            };
            for w in warnings {
                match no_effect_property(&w) {
                    // once per property and file: these change nothing a user sees
                    Some((name, _)) if !no_effect.insert(name.clone()) => {}
                    _ => diags.push(warning_diagnostic(path, &w)),
                }
            }
            for d in inert_selectors(path, &text) {
                diags.push(d);
            }
            self.keys.push(key);
        }
        // Linking reports import targets that do not exist.
        for key in &self.keys[first..] {
            let mut group = StyleSheetGroup::new();
            let (_, warnings) = group.append_from_resource_with_warnings(&self.resource, key, None);
            for w in warnings {
                diags.push(warning_diagnostic(&format!("{key}.wxss"), &w));
            }
        }
    }

    /// True when the package has a sheet at `path` (package path without `.wxss`).
    pub fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// The sheet keys, in package order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// True when some sheet mentions custom properties.
    pub fn uses_custom_properties(&self) -> bool {
        self.custom_properties
    }

    /// The structural conditions the sheets' selectors were rewritten into.
    pub fn conditions(&self) -> &Arc<structure::Conditions> {
        &self.conditions
    }

    /// True when some sheet has `::before`/`::after` rules.
    pub fn has_pseudo_elements(&self) -> bool {
        self.pseudo_elements
    }

    /// The parsed resource (sheets by key) the style engine links from.
    pub fn resource(&self) -> &StyleSheetResource {
        &self.resource
    }
}

/// Properties that change nothing on a touch screen drawn by native views: focus outlines, the
/// WebView's tap highlight and text-size adjustment, mouse cursors, form-control appearance,
/// selection, font smoothing, hyphenation, momentum scrolling (native scrolling has it).
const NO_EFFECT: &[&str] = &[
    "outline",
    "outline-color",
    "outline-style",
    "outline-width",
    "outline-offset",
    "-webkit-tap-highlight-color",
    "-webkit-touch-callout",
    "-webkit-text-size-adjust",
    "text-size-adjust",
    "cursor",
    "appearance",
    "-webkit-appearance",
    "-moz-appearance",
    "user-select",
    "-webkit-user-select",
    "-moz-user-select",
    "-ms-user-select",
    "-webkit-font-smoothing",
    "-moz-osx-font-smoothing",
    "hyphens",
    "-webkit-hyphens",
    "-ms-hyphens",
    "-webkit-overflow-scrolling",
    "backface-visibility",
    "-webkit-backface-visibility",
    "-webkit-user-drag",
    "zoom",
];

/// The property of an "unsupported property" warning that changes nothing in WeChat either,
/// with why: one of [`NO_EFFECT`], or Internet Explorer's `-ms-…` (autoprefixer writes them
/// beside the standard ones; WeChat's WebViews ignore them too).
fn no_effect_property(w: &Warning) -> Option<(String, &'static str)> {
    if w.kind != WarningKind::UnsupportedProperty {
        return None;
    }
    let msg = w.message.as_str();
    let decl = msg.split_once(": ").map_or(msg, |(_, d)| d).trim();
    let name = decl.split(':').next()?.trim().to_ascii_lowercase();
    if NO_EFFECT.contains(&name.as_str()) {
        Some((name, "has no effect on a touch screen"))
    } else if name.starts_with("-ms-") {
        Some((name, "is Internet Explorer's and does nothing in WeChat's WebViews either"))
    } else {
        None
    }
}

/// True when a selector with these (un-negated) pseudo-classes and pseudo-elements never
/// matches in a mini program: one of them never does.
fn never_matches(pseudos: &[String]) -> bool {
    pseudos.iter().any(|p| structure::NEVER_MATCH.contains(&p.as_str()))
}

/// A selector taken out of its list (the rest of the rule applies): a note when it could never
/// match in a mini program, else a warning naming what the engine does not apply.
fn dropped_selector_diagnostic(path: &str, d: &structure::DroppedSelector) -> Diagnostic {
    let names = d.pseudos.iter().map(|p| format!("`:{p}`")).collect::<Vec<_>>().join(", ");
    let (level, code, msg) = if never_matches(&d.pseudos) {
        let msg = format!(
            "selector `{}` never matches in a mini program ({names}: no links or HTML form \
             controls; the host draws scroll bars); the rest of its rule applies",
            d.selector
        );
        (Level::Note, Code::StyleNoEffect, msg)
    } else {
        let msg = format!(
            "selector `{}`: {names} not supported (this selector is ignored; the rest of its \
             rule applies)",
            d.selector
        );
        (Level::Warn, Code::StyleUnsupported, msg)
    };
    Diagnostic::new(level, code, path, msg).at(d.line, 1)
}

fn warning_diagnostic(path: &str, w: &Warning) -> Diagnostic {
    // a rule whose selectors could all never match in a mini program: dropped with a note
    if matches!(w.kind, WarningKind::UnsupportedPseudoClass | WarningKind::UnsupportedPseudoElement)
    {
        let selector = w.message.as_str().split_once(": ").map_or("", |(_, s)| s);
        if never_matches(&structure::unapplied_pseudos(selector)) {
            let d = Diagnostic::new(
                Level::Note,
                Code::StyleNoEffect,
                path,
                format!(
                    "`{selector}` never matches in a mini program (no links or HTML form \
                     controls; the host draws scroll bars): the rule is dropped"
                ),
            );
            return d.at(w.start_line + 1, w.start_col.max(1));
        }
    }
    if let Some((name, why)) = no_effect_property(w) {
        let d = Diagnostic::new(
            Level::Note,
            Code::StyleNoEffect,
            path,
            format!("`{name}` {why} (the declaration is dropped)"),
        );
        return d.at(w.start_line + 1, w.start_col.max(1));
    }
    let hint = match w.kind {
        WarningKind::UnsupportedProperty => " (the declaration is ignored)",
        WarningKind::UnsupportedPseudoClass
        | WarningKind::UnsupportedPseudoElement
        | WarningKind::UnsupportedSelector
        | WarningKind::InvalidSelector => " (the rule is ignored)",
        WarningKind::MissingImportTarget => {
            " (fix the path; imports resolve relative to this file, `/` from the package root)"
        }
        _ => "",
    };
    let d = Diagnostic::new(
        Level::Warn,
        Code::StyleUnsupported,
        path,
        format!("{}{hint}", w.message.as_str()),
    );
    if w.kind == WarningKind::MissingImportTarget {
        d.with_code(Code::StyleImportMissing)
    } else {
        // float-pigment lines are 0-based, columns 1-based.
        d.at(w.start_line + 1, w.start_col.max(1))
    }
}

/// Selectors float-pigment would accept but never apply as written, left after the
/// [`structure`] rewrite: sibling combinators (`a + b`, `a ~ b` match `b` as a child of `a`)
/// and structural pseudo-classes it could not express (`:not(a b)`, `a:hover + b`).
fn inert_selectors(path: &str, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut prelude = String::new();
    let mut prelude_line = 1u32;
    let mut line = 1u32;
    let mut chars = text.chars().peekable();
    let mut in_comment = false;
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        if in_comment {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                in_comment = false;
            }
            continue;
        }
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            in_comment = true;
            continue;
        }
        match c {
            '{' => {
                let sel = prelude.trim();
                if !sel.starts_with('@') && !sel.is_empty() && !sel.ends_with('%') {
                    if let Some(problem) = inert_problem(sel) {
                        let d = if never_matches(&structure::unapplied_pseudos(sel)) {
                            let msg = format!(
                                "selector `{sel}` never matches in a mini program (no links or \
                                 HTML form controls): the rule is dropped"
                            );
                            Diagnostic::new(Level::Note, Code::StyleNoEffect, path, msg)
                        } else {
                            Diagnostic::new(
                                Level::Warn,
                                Code::StyleUnsupported,
                                path,
                                format!("selector `{sel}`: {problem} (the rule is ignored)"),
                            )
                        };
                        out.push(d.at(prelude_line, 1));
                    }
                }
                prelude.clear();
            }
            '}' | ';' => prelude.clear(),
            _ => {
                if prelude.trim().is_empty() && !c.is_whitespace() {
                    prelude_line = line;
                }
                prelude.push(c);
            }
        }
    }
    out
}

fn inert_problem(selector: &str) -> Option<String> {
    // Outside attribute brackets and strings only.
    let mut bare = String::new();
    let mut bracket = 0usize;
    for c in selector.chars() {
        match c {
            '[' => bracket += 1,
            ']' => bracket = bracket.saturating_sub(1),
            _ if bracket == 0 => bare.push(c),
            _ => {}
        }
    }
    if bare.contains('+') || bare.contains('~') {
        return Some("sibling combinators (`+`, `~`) are not supported".into());
    }
    INERT_PSEUDO_CLASSES
        .iter()
        .find(|p| bare.contains(*p))
        .map(|p| format!("the pseudo-class `{}` is not supported", p.trim_end_matches('(')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(files: &[(&str, &str)]) -> (StyleSheets, Diagnostics) {
        let pkg = Package::from_sources(files.iter().copied());
        let mut d = Diagnostics::default();
        let s = StyleSheets::load(&pkg, &mut d);
        (s, d)
    }

    /// Found by the styles fuzz target: eight ids in one selector overflow float-pigment's
    /// 16-bit selector weight (a panic in debug builds). That file is skipped with a warning;
    /// the other sheets load.
    #[test]
    fn a_selector_too_heavy_to_weigh_skips_its_file_only() {
        let (sheets, d) = load(&[
            ("app.wxss", "#a #b #c #d #e #f #g #h { color: red }"),
            ("pages/a/a.wxss", ".ok { color: blue }"),
        ]);
        if cfg!(debug_assertions) {
            assert!(d.to_string().contains("could not weigh a selector"), "{d}");
            assert!(!sheets.has("app"));
        }
        assert!(sheets.has("pages/a/a"));
    }

    #[test]
    fn every_unsupported_thing_is_a_located_warning() {
        let (sheets, d) = load(&[
            ("app.wxss", "@import \"common.wxss\";\n.a { color: red; }\n.b { width: 10qq; }\n"),
            (
                "common.wxss",
                ".c:hover { color: blue; }\n.d:hover + .e { color: red; }\n\n.f:not(.g .h) { top: 0 }\n",
            ),
            ("pages/x/x.wxss", "@import \"../../missing.wxss\";\n.x { display: block; }\n"),
        ]);
        assert!(sheets.has("app") && sheets.has("common") && sheets.has("pages/x/x"));
        let text = d.to_string();
        assert!(text.contains("app.wxss:3:"), "{text}");
        assert!(text.contains("unsupported property"), "{text}");
        assert!(text.contains("common.wxss:1:"), "{text}");
        assert!(
            text.contains(
                "common.wxss:2:1: warning [E500]: selector `.d:hover + .e`: sibling combinators"
            ),
            "{text}"
        );
        assert!(
            text.contains("common.wxss:4:1: warning [E500]: selector `.f:not(.g .h)`"),
            "{text}"
        );
        assert!(text.contains("pages/x/x.wxss: warning [E501]"), "{text}");
        assert!(!d.has_errors());
    }

    #[test]
    fn no_effect_properties_are_one_note_per_file_and_prefixed_keyframes_parse() {
        let (_, d) = load(&[(
            "app.wxss",
            ".a { outline: 0; cursor: pointer }\n.b { outline: none }\n@-webkit-keyframes k { from { opacity: 0 } to { opacity: 1 } }\n:root { --x: 1px }\n.c:first-child + .d::after { content: 'x' }\n.e { -ms-flex-align: center; -ms-flex-negative: 1; align-items: center }\n.f { -ms-flex-align: end }\n",
        )]);
        let text = d.to_string();
        assert_eq!(text.matches("note [E503]").count(), 4, "{text}");
        assert!(text.contains("app.wxss:1:6: note [E503]: `outline` has no effect"), "{text}");
        assert!(
            text.contains("app.wxss:6:6: note [E503]: `-ms-flex-align` is Internet Explorer's and does nothing in WeChat's WebViews either (the declaration is dropped)"),
            "{text}"
        );
        assert!(!text.contains("E500"), "{text}");
    }

    #[test]
    fn selectors_that_cannot_apply_leave_their_list_and_never_matching_ones_are_notes() {
        let (_, d) = load(&[(
            "app.wxss",
            ".a:focus, .b { color: red }\n.c:visited { color: blue }\n.d:hover, .e:first-child { width: 1px }\n.f::-webkit-input-placeholder { color: #999 }\n.g:focus + .h { color: red }\n",
        )]);
        let text = d.to_string();
        assert!(
            text.contains("app.wxss:1:1: note [E503]: selector `.a:focus` never matches in a mini program (`:focus`"),
            "{text}"
        );
        assert!(text.contains("app.wxss:2:1: note [E503]: `.c:visited` never matches"), "{text}");
        assert!(
            text.contains("app.wxss:3:1: warning [E500]: selector `.d:hover`: `:hover` not supported (this selector is ignored; the rest of its rule applies)"),
            "{text}"
        );
        assert!(
            text.contains("app.wxss:4:1: note [E503]: `.f::-webkit-input-placeholder`"),
            "{text}"
        );
        assert!(
            text.contains("app.wxss:5:1: note [E503]: selector `.g:focus + .h` never matches"),
            "{text}"
        );
        assert_eq!(text.matches("E500").count(), 1, "{text}");
    }

    #[test]
    fn clean_sheets_give_no_diagnostics() {
        let (_, d) = load(&[(
            "app.wxss",
            "/* a + b in a comment */\n.a > .b, #c .d[data-x=\"a+b\"] { margin: 10rpx; }\n@media (min-width: 400px) { .a { color: #fff; } }\n@keyframes k { 0% { opacity: 0 } 100% { opacity: 1 } }\n@supports (padding-bottom: env(safe-area-inset-bottom)) { .s { padding-bottom: env(safe-area-inset-bottom) } }\n",
        )]);
        assert_eq!(d.to_string(), "");
    }
}
