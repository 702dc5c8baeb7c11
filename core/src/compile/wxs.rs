//! WXS as WeChat defines it, turned into the JavaScript the template runtime evaluates.
//!
//! WXS looks like ES5 but is its own language; three differences matter to real code:
//! - words JavaScript reserves but WXS does not (`var class = …`, vant's `utils.wxs`) are
//!   ordinary names: each one used as a name is renamed (`_$class`);
//! - `x.constructor` is the type's name as a string (`'Object'`, `'Array'`, `'Number'`…):
//!   it becomes `__wxsConstructor(x)` (core/js/src/wxs_runtime.js);
//! - `require('./x.wxs')` names a module by file; modules are registered without `.wxs`.
//!
//! The rewrite is done on the text with positions from swc's parser, so everything else, and
//! every line number, stays as written. Pure functions; any thread.

use swc_core::common::sync::Lrc;
use swc_core::common::{FileName, SourceMap, Spanned};
use swc_core::ecma::ast::{CallExpr, Callee, EsVersion, Expr, Lit, MemberExpr, MemberProp, Script};
use swc_core::ecma::parser::{parse_file_as_script, EsSyntax, Syntax};
use swc_core::ecma::visit::{Visit, VisitWith};

use crate::diagnostic::{Code, Diagnostic, Level};

/// Words JavaScript reserves that WXS, which has no classes, modules or generators, lets a
/// program use as names.
const WXS_NAMES: &[&str] = &[
    "class",
    "enum",
    "extends",
    "super",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
    "await",
    "import",
    "export",
];

/// Renames each [`WXS_NAMES`] word used as a name (not a property after `.`, not an object key
/// before `:`), outside strings and comments (WXS has no regular expression or template
/// literals).
fn rename_wxs_names(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len() + 16);
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = src[i + 2..].find("*/").map_or(b.len(), |j| i + 2 + j + 2);
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$')
                {
                    i += 1;
                }
                let word = &src[start..i];
                let after_dot = src[..start].trim_end().ends_with('.');
                let before_colon = src[i..].trim_start().starts_with(':')
                    && src[..start].trim_end().ends_with(['{', ',']);
                if WXS_NAMES.contains(&word) && !after_dot && !before_colon {
                    out.push_str(&src[copied..start]);
                    out.push_str("_$");
                    out.push_str(word);
                    copied = i;
                }
            }
            c if c.is_ascii_digit() => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&src[copied.min(src.len())..]);
    out
}

/// The WXS runtime function `x.constructor` becomes.
pub const CONSTRUCTOR_FN: &str = "__wxsConstructor";

/// Rewrites one WXS module (a `.wxs` file or an inline `<wxs>` body) for the template runtime.
/// `file` and `line_offset` (lines before the body in `file`) place syntax errors.
pub fn wxs_to_js(file: &str, line_offset: u32, src: &str) -> Result<String, Diagnostic> {
    let mut text = rename_wxs_names(src);
    // `let` may start a declaration in newer WXS: a parse that stops at it renames that use.
    for _ in 0..200 {
        match parse(&text) {
            Ok((script, start)) => return Ok(rewrite(&text, &script, start)),
            Err((offset, len, message, line, col)) => {
                let word = text.get(offset..offset + len).unwrap_or("");
                if word != "let" {
                    let d = Diagnostic::new(
                        Level::Error,
                        Code::TemplateSyntax,
                        file,
                        format!("WXS: {message}"),
                    );
                    return Err(d.at(line + line_offset, col));
                }
                text.replace_range(offset..offset + len, &format!("_${word}"));
            }
        }
    }
    Err(Diagnostic::new(
        Level::Error,
        Code::TemplateSyntax,
        file,
        "WXS: too many reserved words used as names",
    ))
}

type ParseFailure = (usize, usize, String, u32, u32);

fn parse(text: &str) -> Result<(Script, u32), ParseFailure> {
    let cm: Lrc<SourceMap> = Default::default();
    let fm = cm.new_source_file(Lrc::new(FileName::Anon), text.to_string());
    let start = fm.start_pos.0;
    let mut recovered = Vec::new();
    let syntax = Syntax::Es(EsSyntax::default());
    let parsed = crate::compile::third_party(|| {
        parse_file_as_script(&fm, syntax, EsVersion::Es5, None, &mut recovered)
    });
    let Some(parsed) = parsed else {
        let msg = "the WXS parser (swc) failed on this module: look for unusual syntax";
        return Err((0, 0, msg.to_string(), 1, 1));
    };
    let error = match parsed {
        Ok(script) if recovered.is_empty() => return Ok((script, start)),
        Ok(_) => recovered.swap_remove(0),
        Err(e) => e,
    };
    let span = error.span();
    let loc = cm.lookup_char_pos(span.lo);
    Err((
        (span.lo.0 - start) as usize,
        (span.hi.0 - span.lo.0) as usize,
        error.kind().msg().to_string(),
        loc.line as u32,
        loc.col.0 as u32 + 1,
    ))
}

/// Text edits: at byte `at`, remove `remove` bytes and insert `insert`.
struct Edits {
    start: u32,
    list: Vec<(usize, usize, String)>,
}

impl Visit for Edits {
    fn visit_member_expr(&mut self, m: &MemberExpr) {
        m.visit_children_with(self);
        if let MemberProp::Ident(p) = &m.prop {
            if &*p.sym == "constructor" {
                let obj = m.obj.span();
                let (lo, hi) = ((obj.lo.0 - self.start) as usize, (obj.hi.0 - self.start) as usize);
                let end = (m.span.hi.0 - self.start) as usize;
                self.list.push((lo, 0, format!("{CONSTRUCTOR_FN}(")));
                self.list.push((hi, end - hi, ")".into()));
            }
        }
    }

    fn visit_call_expr(&mut self, c: &CallExpr) {
        c.visit_children_with(self);
        let Callee::Expr(callee) = &c.callee else { return };
        let Expr::Ident(name) = &**callee else { return };
        if &*name.sym != "require" {
            return;
        }
        if let Some(Expr::Lit(Lit::Str(s))) = c.args.first().map(|a| &*a.expr) {
            let value = s.value.to_string_lossy();
            if let Some(stem) = value.strip_suffix(".wxs") {
                let lo = (s.span.lo.0 - self.start) as usize;
                let hi = (s.span.hi.0 - self.start) as usize;
                self.list.push((lo, hi - lo, format!("{stem:?}")));
            }
        }
    }
}

fn rewrite(text: &str, script: &Script, start: u32) -> String {
    let mut edits = Edits { start, list: Vec::new() };
    script.visit_with(&mut edits);
    // From the end backwards so earlier offsets stay valid; at one offset, the later-added
    // (outer) edit goes first.
    let mut list: Vec<(usize, (usize, usize, String))> =
        edits.list.into_iter().enumerate().collect();
    list.sort_by(|(i, a), (j, b)| b.0.cmp(&a.0).then(j.cmp(i)));
    let mut out = text.to_string();
    for (_, (at, remove, insert)) in list {
        if at + remove <= out.len() {
            out.replace_range(at..at + remove, &insert);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_names_in_wxs() -> Result<(), Diagnostic> {
        let js = wxs_to_js(
            "u.wxs",
            0,
            "var class = 1; // class\nvar o = { class: class, 'x': \"class\" };\nmodule.exports = o.class + class;",
        )?;
        assert_eq!(
            js,
            "var _$class = 1; // class\nvar o = { class: _$class, 'x': \"class\" };\nmodule.exports = o.class + _$class;"
        );
        Ok(())
    }

    #[test]
    fn constructor_is_the_type_name() -> Result<(), Diagnostic> {
        let js = wxs_to_js("u.wxs", 0, "if (a.b.constructor === 'Object') x = [].constructor;")?;
        assert_eq!(js, "if (__wxsConstructor(a.b) === 'Object') x = __wxsConstructor([]);");
        Ok(())
    }

    #[test]
    fn requires_name_modules_without_extension() -> Result<(), Diagnostic> {
        let js = wxs_to_js("u.wxs", 0, "var c = require('./c.wxs');\nvar d = require(\"../d\");")?;
        assert_eq!(js, "var c = require(\"./c\");\nvar d = require(\"../d\");");
        Ok(())
    }

    #[test]
    fn syntax_errors_are_located_in_the_file() {
        let d = wxs_to_js("pages/a/a.wxml", 4, "var a = 1;\nvar b = ;").err();
        assert_eq!(d.map(|d| (d.path, d.line)), Some(("pages/a/a.wxml".to_string(), Some(6))));
    }

    /// swc's parser asserts (in debug builds) on an arrow after a parenthesised list of more
    /// than one item; found by the templates fuzz target. The module fails, nothing panics.
    #[test]
    fn a_panic_in_the_parser_fails_the_module() {
        let d = wxs_to_js("utils/m.wxs", 0, "var u = (R, C(D, U) => q('./u.wxs'));").err();
        assert_eq!(
            d.map(|d| (d.path, d.code)),
            Some(("utils/m.wxs".to_string(), Code::TemplateSyntax))
        );
    }
}
