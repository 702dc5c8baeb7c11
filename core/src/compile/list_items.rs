//! Unchanged `wx:for` items skip their update. glass-easel 0.12.1 updates a keyed list by
//! calling the compiled item function of **every** item, with that item's part of the update
//! tree (`undefined` for an item nothing changed in); inside, every binding is guarded by
//! "created now, or a full update, or this field changed", so for an unchanged item the call
//! only walks its nodes doing nothing — most of the cost of a one-row `setData` in a long list.
//!
//! [`skip_unchanged_items`] puts a guard at the top of each item function that reads nothing
//! but its own item, index and update tree (and the group's pure helpers): when the item is not
//! being created, the update is not a full one, its update tree is `undefined` and it did not
//! move, it returns at once — what every guarded binding inside would have done. Items whose
//! template reads page data or an enclosing item (free names other than those helpers) keep
//! their full update. The compiler's output is otherwise left as written. Pure function; any
//! thread.

use std::collections::BTreeSet;

use swc_core::ecma::ast::{
    ArrowExpr, ArrowFunctionBody, CallExpr, Callee, Expr, Ident, MemberProp, Pat, PropName,
    VarDeclarator,
};
use swc_core::ecma::visit::{Visit, VisitWith};

/// Free names an item function may read and still be skipped: the group's helpers (`X`, `Y`,
/// `Z`, `P`, `Q`), the proc-gen wrapper and its shorthands (`R`, `L`, `M`, `O`), the binding
/// map (`A`, written only on creation), the full-update flag (`K`), and JS globals.
const PURE: &[&str] = &[
    "X",
    "Y",
    "Z",
    "P",
    "Q",
    "R",
    "L",
    "M",
    "O",
    "A",
    "K",
    "undefined",
    "Object",
    "Array",
    "String",
    "Number",
    "Boolean",
    "Math",
    "JSON",
    "isNaN",
    "isFinite",
    "parseInt",
    "parseFloat",
];

/// `group_js` with unchanged list items skipping their update (see the module docs); the text
/// unchanged when it does not parse.
pub fn skip_unchanged_items(group_js: &str) -> String {
    let Some((script, base)) = super::group_order::parse(group_js) else {
        return group_js.to_string();
    };
    let mut found = ItemFunctions::default();
    script.visit_with(&mut found);
    let mut inserts: Vec<(usize, String)> = found
        .items
        .into_iter()
        .filter(|item| found.list_calls.contains(&item.name))
        .map(|item| ((item.body_start - base) as usize, item.guard))
        .collect();
    inserts.sort();
    let mut out = String::with_capacity(group_js.len() + inserts.len() * 48);
    let mut copied = 0;
    for (at, guard) in inserts {
        let Some(before) = group_js.get(copied..at) else { return group_js.to_string() };
        out.push_str(before);
        out.push_str(&guard);
        copied = at;
    }
    out.push_str(&group_js[copied..]);
    out
}

/// An item function that may skip: its name, where its body's first statement goes, the guard.
struct Item {
    name: String,
    body_start: u32,
    guard: String,
}

#[derive(Default)]
struct ItemFunctions {
    items: Vec<Item>,
    /// Names passed as the item function of a list (`F(list, key, update, path, item)`).
    list_calls: BTreeSet<String>,
}

impl Visit for ItemFunctions {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        call.visit_children_with(self);
        if let (Callee::Expr(_), 5) = (&call.callee, call.args.len()) {
            if let Expr::Ident(item) = &*call.args[4].expr {
                self.list_calls.insert(item.sym.to_string());
            }
        }
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        d.visit_children_with(self);
        let (Pat::Ident(name), Some(Expr::Arrow(arrow))) = (&d.name, d.init.as_deref()) else {
            return;
        };
        let params: Vec<&str> =
            arrow.params.iter().map(|p| p.as_ident().map_or("", |i| &*i.id.sym)).collect();
        // (C, item, index, update, moved, path, T, E, …) as the compiler writes item functions
        if params.len() < 8 || params[0] != "C" || params[6] != "T" || params[7] != "E" {
            return;
        }
        if params[1..6].iter().any(|p| p.is_empty()) {
            return;
        }
        let ArrowFunctionBody::FunctionBody(body) = &*arrow.body else { return };
        let mut names = Names::default();
        arrow.visit_with(&mut names);
        if names.used.iter().any(|u| !names.declared.contains(u) && !PURE.contains(&u.as_str())) {
            return;
        }
        let (update, moved) = (params[3], params[4]);
        self.items.push(Item {
            name: name.id.sym.to_string(),
            body_start: body.span.lo.0 + 1,
            guard: format!("if(!C&&!K&&{update}===undefined&&!{moved})return;"),
        });
        // the guard reads `K`: only where the template function declares it
        if let Some(item) = self.items.last_mut().filter(|_| !names.used.contains("K")) {
            item.guard = item.guard.replace("!K&&", "U!==true&&");
        }
    }
}

/// Names an arrow function reads and declares (its own and nested parameters and `var`s).
#[derive(Default)]
struct Names {
    used: BTreeSet<String>,
    declared: BTreeSet<String>,
}

impl Visit for Names {
    fn visit_ident(&mut self, i: &Ident) {
        self.used.insert(i.sym.to_string());
    }

    fn visit_arrow_expr(&mut self, a: &ArrowExpr) {
        for p in &a.params {
            if let Pat::Ident(i) = p {
                self.declared.insert(i.id.sym.to_string());
            }
        }
        a.visit_children_with(self);
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        if let Pat::Ident(i) = &d.name {
            self.declared.insert(i.id.sym.to_string());
        }
        d.visit_children_with(self);
    }

    // `a.b` and `{b: …}`: `b` is a property, not a name
    fn visit_member_prop(&mut self, p: &MemberProp) {
        if let MemberProp::Computed(c) = p {
            c.visit_with(self);
        }
    }

    fn visit_prop_name(&mut self, p: &PropName) {
        if let PropName::Computed(c) = p {
            c.visit_with(self);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What glass-easel-template-compiler 0.12.1 writes for
    /// `<view wx:for="{{rows}}" wx:key="id"><text>{{item.n}}</text></view>`, and the same list
    /// with a binding to page data inside the item.
    const LIST: &str = r#"(()=>{var G={};G["p"]=(()=>{var H={};H[""]=(R,C,D,U)=>{var L=R.c,A={},K=U===true,c=(C,d,e,f,g,h,T,E)=>{var j=(C,T)=>{C||K||Z(f,"n")?T(Y(X(d).n)):T()},i=(C,T,E)=>{E("text",{},(N,C)=>{},j)};E("view",{},(N,C)=>{},i)},b=(C,T,E,B,F)=>{F(D.rows,"id",U?U.rows:undefined,[0,"rows"],c)},m=(C,d,e,f,g,h,T,E)=>{var j=(C,T)=>{C||K||U.sel?T(Y(D.sel)):T()};E("text",{},(N,C)=>{},j)},n=(C,T,E,B,F)=>{F(D.more,"id",U?U.more:undefined,[0,"more"],m)};return {C:b,B:A}};return H})();return G})()"#;

    #[test]
    fn items_reading_only_their_own_data_skip_when_unchanged() {
        let out = skip_unchanged_items(LIST);
        let guard = "c=(C,d,e,f,g,h,T,E)=>{if(!C&&!K&&f===undefined&&!g)return;var j=";
        assert!(out.contains(guard), "{out}");
        // the item reading `D.sel` (page data) keeps its full update
        assert!(out.contains("m=(C,d,e,f,g,h,T,E)=>{var j="), "{out}");
        assert_eq!(out.len(), LIST.len() + "if(!C&&!K&&f===undefined&&!g)return;".len());
    }

    #[test]
    fn text_that_does_not_parse_is_left_alone() {
        assert_eq!(skip_unchanged_items("not js ("), "not js (");
        assert_eq!(skip_unchanged_items("({})"), "({})");
    }
}
