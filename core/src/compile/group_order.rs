//! A template group in a stable order. The template compiler writes a group's templates
//! (`G["path"]=…`), its WXS modules (`R["path"]=D(…)`) and each template's binding map
//! (`A={"field":new Array(n),…}`) in hash-map order, so two compiles of one package give
//! different text (and different bytecode). [`canonical`] sorts each run of those statements by
//! path and each binding map by field, keeping every piece's text as written: `miniapp pack`
//! uses it so the same package always packs to the same bytes. Each statement only stores a
//! self-contained function under its own key and a binding map is only read by key, so the
//! order does not change what the group does. Pure function; any thread.

use swc_core::common::sync::Lrc;
use swc_core::common::{FileName, SourceMap, Spanned};
use swc_core::ecma::ast::{
    AssignTarget, Callee, EsVersion, Expr, Lit, MemberProp, SimpleAssignTarget, Stmt,
};
use swc_core::ecma::ast::{ObjectLit, Pat, Prop, PropName, PropOrSpread, VarDeclarator};
use swc_core::ecma::parser::{parse_file_as_script, EsSyntax, Syntax};
use swc_core::ecma::visit::{Visit, VisitWith};

/// `group_js` with its template and WXS-module statements in path order; the text unchanged
/// when it is not the shape the template compiler writes (or does not parse).
pub fn canonical(group_js: &str) -> String {
    let statements = sorted(group_js).unwrap_or_else(|| group_js.to_string());
    sorted_binding_maps(&statements).unwrap_or(statements)
}

/// Spans (start, end, each property's span) of the binding maps: `A={"f":new Array(n),…}`.
#[derive(Default)]
struct BindingMaps(Vec<Vec<(u32, u32, String)>>);

impl Visit for BindingMaps {
    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        d.visit_children_with(self);
        let Pat::Ident(name) = &d.name else { return };
        let Some(Expr::Object(ObjectLit { props, .. })) = d.init.as_deref() else { return };
        if name.id.sym != *"A" || props.len() < 2 {
            return;
        }
        let mut entries = Vec::new();
        for p in props {
            let PropOrSpread::Prop(p) = p else { return };
            let Prop::KeyValue(kv) = &**p else { return };
            let PropName::Str(key) = &kv.key else { return };
            if !matches!(&*kv.value, Expr::New(_)) {
                return;
            }
            entries.push((p.span().lo.0, p.span().hi.0, key.value.to_string_lossy().into_owned()));
        }
        self.0.push(entries);
    }
}

/// `js` parsed as a script, and the byte position its first character has in the spans
/// (`None` when it does not parse, or the parser panicked).
pub(super) fn parse(js: &str) -> Option<(swc_core::ecma::ast::Script, u32)> {
    let cm: Lrc<SourceMap> = Default::default();
    let fm = cm.new_source_file(Lrc::new(FileName::Anon), js.to_string());
    let script = super::third_party(|| {
        parse_file_as_script(
            &fm,
            Syntax::Es(EsSyntax::default()),
            EsVersion::latest(),
            None,
            &mut Vec::new(),
        )
    })?
    .ok()?;
    Some((script, fm.start_pos.0))
}

fn sorted_binding_maps(js: &str) -> Option<String> {
    let (script, base) = parse(js)?;
    let mut maps = BindingMaps::default();
    script.visit_with(&mut maps);
    let at = |pos: u32| (pos - base) as usize;
    maps.0.sort_by_key(|m| m.first().map(|e| e.0));
    let mut out = String::with_capacity(js.len());
    let mut copied = 0;
    for map in maps.0 {
        let (start, end) = (at(map.first()?.0), at(map.last()?.1));
        let mut props: Vec<(&str, &str)> = map
            .iter()
            .map(|(lo, hi, key)| Some((key.as_str(), js.get(at(*lo)..at(*hi))?)))
            .collect::<Option<_>>()?;
        props.sort_by(|a, b| a.0.cmp(b.0));
        out.push_str(js.get(copied..start)?);
        out.push_str(&props.iter().map(|p| p.1).collect::<Vec<_>>().join(","));
        copied = end;
    }
    out.push_str(js.get(copied..)?);
    (out.len() == js.len()).then_some(out)
}

/// The key of a statement `G["path"]=…` or `R["path"]=…`: (`G` or `R`, path).
fn key(stmt: &Stmt) -> Option<(String, String)> {
    let Expr::Assign(assign) = &*stmt.as_expr()?.expr else { return None };
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left else {
        return None;
    };
    let object = member.obj.as_ident()?.sym.to_string();
    let MemberProp::Computed(prop) = &member.prop else { return None };
    let Expr::Lit(Lit::Str(path)) = &*prop.expr else { return None };
    (object == "G" || object == "R").then(|| (object, path.value.to_string_lossy().into_owned()))
}

fn sorted(js: &str) -> Option<String> {
    let (script, base) = parse(js)?;
    // `(()=>{ … return G })()` (or a `function`), as a lone expression statement
    let [Stmt::Expr(outer)] = script.body.as_slice() else { return None };
    let Expr::Call(call) = &*outer.expr else { return None };
    let Callee::Expr(callee) = &call.callee else { return None };
    let callee = callee.as_paren().map_or(&**callee, |p| &*p.expr);
    let body = match callee {
        Expr::Fn(f) => f.function.body.as_ref()?,
        Expr::Arrow(a) => match &*a.body {
            swc_core::ecma::ast::ArrowFunctionBody::FunctionBody(b) => b,
            _ => return None,
        },
        _ => return None,
    };
    let at = |pos: swc_core::common::BytePos| (pos.0 - base) as usize;
    let stmts = &body.stmts;
    let mut out = String::with_capacity(js.len());
    let mut copied = 0;
    let mut i = 0;
    while i < stmts.len() {
        let Some((object, _)) = key(&stmts[i]) else {
            i += 1;
            continue;
        };
        let mut run = Vec::new();
        let start = at(stmts[i].span().lo);
        while let Some((_, path)) = stmts.get(i).and_then(key).filter(|(o, _)| *o == object) {
            // each statement with what separates it from the next (a run ends before `return G`)
            let end = at(stmts.get(i + 1)?.span().lo);
            run.push((path, js.get(at(stmts[i].span().lo)..end)?));
            i += 1;
        }
        let run_end = at(stmts[i].span().lo);
        run.sort_by(|a, b| a.0.cmp(&b.0));
        out.push_str(js.get(copied..start)?);
        for (_, text) in &run {
            out.push_str(text);
        }
        copied = run_end;
    }
    out.push_str(js.get(copied..)?);
    (out.len() == js.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_modules_come_in_path_order() {
        let a = r#"(()=>{var G={};var R={};var Q={};R["w/b"]=D("w/b",()=>{});R["w/a"]=D("w/a",()=>{});G["p/z"]=(()=>{var H={};return 1})();G["p/a"]=(()=>{return "}"})();return G})()"#;
        let b = r#"(()=>{var G={};var R={};var Q={};R["w/a"]=D("w/a",()=>{});R["w/b"]=D("w/b",()=>{});G["p/a"]=(()=>{return "}"})();G["p/z"]=(()=>{var H={};return 1})();return G})()"#;
        assert_eq!(canonical(a), b);
        assert_eq!(canonical(b), b);
    }

    #[test]
    fn binding_maps_come_in_field_order() {
        let a = r#"(()=>{var G={};G["p"]=(()=>{var H={};H[""]=(R,C,D,U)=>{var L=R.c,A={"title":new Array(1),"cat":new Array(2)},K=U===true;return A};return H})();return G})()"#;
        let b = r#"(()=>{var G={};G["p"]=(()=>{var H={};H[""]=(R,C,D,U)=>{var L=R.c,A={"cat":new Array(2),"title":new Array(1)},K=U===true;return A};return H})();return G})()"#;
        assert_eq!(canonical(a), b);
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for js in ["not js (", "({})", "(function(){return G})()"] {
            assert_eq!(canonical(js), js);
        }
    }
}
