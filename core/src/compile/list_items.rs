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
//! their full update.
//!
//! Guarded items still cost a call each, and glass-easel's list diff rebuilds the key map of
//! the whole list first: a one-row update stays linear. So each list of guarded items whose
//! key is a field (`wx:key="id"`) also goes through [`LIST_UPDATE`]'s `Q.F` instead of
//! calling the compiler's list callback `F` directly. When nothing in the list can have moved,
//! appeared or changed key — an update (not a creation, not a full update) whose part for the
//! list is nothing, or only fields other than the key inside existing items of an array whose
//! length is the one last rendered — it steps past the list node (nothing to do: every item is
//! guarded) or updates only the changed items, each as glass-easel's diff would (same
//! arguments to the item function, same node), without the diff. Otherwise, and in apps that
//! define a component with `dynamicSlots` (whose slot content glass-easel renders per slot),
//! it calls `F` as before. The compiler's output is otherwise left as written. Pure function;
//! any thread.

use std::collections::{BTreeSet, HashMap};

use swc_core::ecma::ast::{
    ArrowExpr, ArrowFunctionBody, CallExpr, Callee, Expr, Ident, Lit, MemberProp, Pat, PropName,
    VarDeclarator,
};
use swc_core::ecma::atoms::Atom;
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

/// The group helper keyed lists of guarded items go through (see the module docs), installed
/// with the group's runtime script. `Q.F(R, C, K, T, E, F, list, key, update, path, item)`: `R`
/// is the template's proc-gen wrapper, `C`, `T`, `E`, `F` the arguments of the children function
/// the list is in (creation flag, text, element and list callbacks), `K` whether the whole
/// template updates; the rest are `F`'s own. `Q.W` holds, per array and key field, the length
/// the array was last rendered with and, once an update could go item by item, whether keys
/// repeat (glass-easel's diff warns about those on every update: such lists keep it). Stepping
/// past the list node is glass-easel's text callback without text; reaching it is its element
/// callback, which hands the node at that place to the property initialiser; an item is updated
/// as glass-easel's diff updates it (`handleChildrenUpdate` of the item node with the item
/// function).
pub const LIST_UPDATE: &str = "Q.W=new WeakMap();\
Q.I=function(u,k,n){if(u===undefined)return true;\
if(u===null||typeof u!=='object'||Array.isArray(Object.getPrototypeOf(u)))return false;\
for(var x in u){var v=u[x];if(String(x>>>0)!==x||+x>=n||v===null||typeof v!=='object'||v[k])return false}\
return true};\
Q.D=function(l,k){var s=new Set();for(var i=0;i<l.length;i++){var v=l[i],r=v==null?undefined:v[k];\
r=r==null?'':String(r);if(s.has(r))return true;s.add(r)}return false};\
Q.F=function(R,C,K,T,E,F,l,k,u,p,f){var a=Array.isArray(l),w=a&&Q.W.get(l),e=w&&w[k];\
if(!C&&!K&&e&&e.n===l.length&&e.d===undefined)e.d=Q.D(l,k);\
if(C||K||!e||e.n!==l.length||e.d||globalThis.__miniappDynamicSlots||!Q.I(u,k,l.length)){F(l,k,u,p,f);\
if(a){if(!w)Q.W.set(l,w=Object.create(null));w[k]={n:l.length}}return}\
if(u===undefined){T();return}\
var n;E('wx:for',{},function(N){n=N},function(){});if(!n)return;\
Object.keys(u).forEach(function(x){var i=+x,c=n.childNodes[i];if(c)R.handleChildrenUpdate(function(C,T,E,B,F,S,J){\
f(false,l[i],i,u[x],undefined,p?p.concat([i]):null,T,E,B,F,S,J)},c,undefined,undefined)})};";

/// `group_js` with unchanged list items skipping their update and keyed lists of such items
/// updating only their changed items (see the module docs); the text unchanged when it does not
/// parse.
pub fn skip_unchanged_items(group_js: &str) -> String {
    let Some((script, base)) = super::group_order::parse(group_js) else {
        return group_js.to_string();
    };
    let mut found = ItemFunctions::default();
    script.visit_with(&mut found);
    // (start, end, replacement): guards are inserted, a list call's `F(` is replaced
    let mut edits: Vec<(usize, usize, String)> = found
        .items
        .iter()
        .filter(|item| found.list_calls.contains(&item.name))
        .map(|item| {
            let at = (item.body_start - base) as usize;
            (at, at, item.guard.clone())
        })
        .collect();
    for site in &found.sites {
        if !found.is_guarded_item(&site.item, &site.scopes) {
            continue;
        }
        let (start, end) = ((site.callee.0 - base) as usize, (site.callee.1 - base) as usize);
        if group_js.get(end..end + 1) != Some("(") {
            continue;
        }
        edits.push((start, end + 1, "Q.F(R,C,U===true,T,E,F,".to_string()));
    }
    edits.sort();
    let mut out = String::with_capacity(group_js.len() + edits.len() * 48);
    let mut copied = 0;
    for (start, end, text) in edits {
        let Some(before) = group_js.get(copied..start) else { return group_js.to_string() };
        out.push_str(before);
        out.push_str(&text);
        copied = end;
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

/// A list call `F(list, "key", update, path, item)` in a children function `(C,T,E,B,F,…)` (or
/// an item function, which has them too; both inside a template function `(R,C,D,U)`): where
/// its callee is, the item function's name and the functions it is in (innermost last), to find
/// which declaration the name means.
struct Site {
    callee: (u32, u32),
    item: Atom,
    scopes: Vec<usize>,
}

#[derive(Default)]
struct ItemFunctions {
    items: Vec<Item>,
    /// Names passed as the item function of a list (`F(list, key, update, path, item)`).
    list_calls: BTreeSet<String>,
    sites: Vec<Site>,
    /// The functions being visited: an id and the names of its parameters.
    stack: Vec<(usize, Vec<Atom>)>,
    next_scope: usize,
    /// Every name a function declares (parameters and `var`s), and whether it is a guarded
    /// item function.
    declared: HashMap<(usize, Atom), bool>,
}

impl ItemFunctions {
    /// Whether `name`, seen inside `scopes`, is a guarded item function.
    fn is_guarded_item(&self, name: &Atom, scopes: &[usize]) -> bool {
        scopes
            .iter()
            .rev()
            .find_map(|scope| self.declared.get(&(*scope, name.clone())))
            .copied()
            .unwrap_or(false)
    }

    fn declare(&mut self, name: &Atom, guarded: bool) {
        if let Some((scope, _)) = self.stack.last() {
            self.declared.insert((*scope, name.clone()), guarded);
        }
    }
}

impl Visit for ItemFunctions {
    fn visit_arrow_expr(&mut self, arrow: &ArrowExpr) {
        let params: Vec<Atom> =
            arrow.params.iter().filter_map(|p| p.as_ident().map(|i| i.id.sym.clone())).collect();
        let id = self.next_scope;
        self.next_scope += 1;
        for p in &params {
            self.declared.insert((id, p.clone()), false);
        }
        self.stack.push((id, params));
        arrow.visit_children_with(self);
        self.stack.pop();
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        call.visit_children_with(self);
        let (Callee::Expr(callee), 5) = (&call.callee, call.args.len()) else { return };
        let Expr::Ident(item) = &*call.args[4].expr else { return };
        self.list_calls.insert(item.sym.to_string());
        // a keyed list called by the list callback of the function it is in
        let Expr::Ident(f) = &**callee else { return };
        let keyed = matches!(&*call.args[1].expr, Expr::Lit(Lit::Str(k)) if k.value != *"*this");
        let in_children = self.stack.last().is_some_and(|(_, params)| {
            ["C", "T", "E", "F"].iter().all(|p| params.iter().any(|q| q == *p))
        });
        if f.sym == *"F" && keyed && in_children && call.args.iter().all(|a| a.spread.is_none()) {
            self.sites.push(Site {
                callee: (f.span.lo.0, f.span.hi.0),
                item: item.sym.clone(),
                scopes: self.stack.iter().map(|(id, _)| *id).collect(),
            });
        }
    }

    fn visit_var_declarator(&mut self, d: &VarDeclarator) {
        d.visit_children_with(self);
        let Pat::Ident(name) = &d.name else { return };
        let before = self.items.len();
        self.item_function(&name.id.sym, d.init.as_deref());
        self.declare(&name.id.sym, self.items.len() > before);
    }
}

impl ItemFunctions {
    /// Notes `init` as a guarded item function named `name` when it is one.
    fn item_function(&mut self, name: &str, init: Option<&Expr>) {
        let Some(Expr::Arrow(arrow)) = init else { return };
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
            name: name.to_string(),
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
    }

    #[test]
    fn keyed_lists_of_guarded_items_go_through_the_list_helper() {
        let out = skip_unchanged_items(LIST);
        let fast = r#"b=(C,T,E,B,F)=>{Q.F(R,C,U===true,T,E,F,D.rows,"id",U?U.rows:undefined,[0,"rows"],c)}"#;
        assert!(out.contains(fast), "{out}");
        // the list of items reading page data calls glass-easel's list callback as written
        assert!(out.contains(r#"n=(C,T,E,B,F)=>{F(D.more,"id""#), "{out}");
        let added = "if(!C&&!K&&f===undefined&&!g)return;".len() + "Q.F(R,C,U===true,T,E,".len();
        assert_eq!(out.len(), LIST.len() + added);
    }

    #[test]
    fn unkeyed_and_self_keyed_lists_and_names_of_other_scopes_keep_the_list_callback() {
        for key in ["null", r#""*this""#] {
            let list = LIST.replace(r#"F(D.rows,"id""#, &format!("F(D.rows,{key}"));
            let out = skip_unchanged_items(&list);
            assert!(out.contains(&format!("{{F(D.rows,{key},")), "{out}");
            assert!(!out.contains("Q.F("), "{out}");
        }
        // `c` names a guarded item function only in the first template: in the second, the
        // list's `c` is a parameter of the template's own
        let two = r#"(()=>{var G={};G["p"]=(()=>{var H={};H[""]=(R,C,D,U)=>{var K=U===true,c=(C,d,e,f,g,h,T,E)=>{E("view",{},(N,C)=>{},(C,T)=>{C||K||Z(f,"n")?T(Y(X(d).n)):T()})},b=(C,T,E,B,F)=>{F(D.rows,"id",U?U.rows:undefined,[0,"rows"],c)};return {C:b}};H["t"]=(R,C,D,U)=>{var K=U===true,b=(C,T,E,B,F,c)=>{F(D.rows,"id",U?U.rows:undefined,[0,"rows"],c)};return {C:b}};return H})();return G})()"#;
        let out = skip_unchanged_items(two);
        assert_eq!(out.matches("Q.F(").count(), 1, "{out}");
        assert!(out.contains(r#"b=(C,T,E,B,F,c)=>{F(D.rows"#), "{out}");
    }

    #[test]
    fn text_that_does_not_parse_is_left_alone() {
        assert_eq!(skip_unchanged_items("not js ("), "not js (");
        assert_eq!(skip_unchanged_items("({})"), "({})");
    }
}
