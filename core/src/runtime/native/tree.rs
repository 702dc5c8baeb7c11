//! Tree natives: create nodes, mutate the tree, set attributes, classes, style text, ids and
//! datasets (`view::tree`). Each call borrows the tree once; misuse (a released node, a cycle)
//! is thrown as `miniapp view: …`, never a panic.
use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Object, Result, Value};

use crate::engine::convert;
use crate::runtime::state::AppState;
use crate::view::tree::{NodeId, TreeError};

use super::scope;

/// Installs this domain's functions on `__native`.
pub(super) fn install<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
    let s = state.clone();
    n.set(
        "createElement",
        Func::from(move |tag: String| s.tree.borrow_mut().create_element(&tag)),
    )?;
    let s = state.clone();
    n.set("createText", Func::from(move |text: String| s.tree.borrow_mut().create_text(&text)))?;
    let s = state.clone();
    n.set("createFragment", Func::from(move || s.tree.borrow_mut().create_fragment()))?;
    // Tree mutations: each borrows the tree for one call and turns misuse into a JS error.
    macro_rules! tree_op {
        ($name:literal, |$tree:ident $(, $arg:ident : $ty:ty)*| $body:expr) => {{
            let s = state.clone();
            n.set(
                $name,
                Func::from(move |ctx: Ctx<'js>, $($arg: $ty),*| -> Result<()> {
                    let mut $tree = s.tree.borrow_mut();
                    $body.map_err(|e| tree_err(&ctx, e))
                }),
            )?;
        }};
    }
    tree_op!("insertBefore", |t, p: NodeId, c: NodeId, before: Option<NodeId>| t
        .insert_before(p, c, before));
    tree_op!("removeChild", |t, p: NodeId, c: NodeId| t.remove_child(p, c));
    tree_op!("replaceChild", |t, p: NodeId, new: NodeId, old: NodeId| t.replace_child(p, new, old));
    tree_op!("spliceBefore", |t, p: NodeId, before: NodeId, count: u32, frag: NodeId| {
        t.splice_before(p, before, count as usize, frag)
    });
    tree_op!("spliceAppend", |t, p: NodeId, frag: NodeId| t.splice_append(p, frag));
    tree_op!("spliceRemove", |t, p: NodeId, before: NodeId, count: u32| t.splice_remove(
        p,
        before,
        count as usize
    ));
    tree_op!("release", |t, id: NodeId| t.release(id));
    tree_op!("setStyleScope", |t, id: NodeId, sc: i32, extra: i32, host: i32| t.set_style_scope(
        id,
        scope(sc),
        scope(extra),
        scope(host)
    ));
    tree_op!("setStyle", |t, id: NodeId, text: String| t.set_style(id, &text));
    tree_op!("setId", |t, id: NodeId, value: String| t.set_id(id, &value));
    tree_op!("addClass", |t, id: NodeId, name: String, sc: i32| t.add_class(id, &name, scope(sc)));
    tree_op!("removeClass", |t, id: NodeId, name: String, sc: i32| t.remove_class(
        id,
        &name,
        scope(sc)
    ));
    tree_op!("clearClasses", |t, id: NodeId| t.clear_classes(id));
    tree_op!("removeAttribute", |t, id: NodeId, name: String| t.set_attribute(id, &name, None));
    tree_op!("setText", |t, id: NodeId, text: String| t.set_text(id, &text));
    tree_op!("listen", |t, id: NodeId, event: String| t.set_listener(id, &event, true));
    // `undefined` removes the value
    let s = state.clone();
    n.set(
        "setDataset",
        Func::from(
            move |ctx: Ctx<'js>, id: NodeId, name: String, value: Value<'js>| -> Result<()> {
                let json = if value.is_undefined() {
                    None
                } else {
                    Some(convert::js_to_json(&ctx, value)?)
                };
                s.tree.borrow_mut().set_dataset(id, &name, json).map_err(|e| tree_err(&ctx, e))
            },
        ),
    )?;
    let s = state.clone();
    n.set(
        "setAttribute",
        Func::from(
            move |ctx: Ctx<'js>, id: NodeId, name: String, value: Value<'js>| -> Result<()> {
                let json = convert::js_to_json(&ctx, value)?;
                s.tree
                    .borrow_mut()
                    .set_attribute(id, &name, Some(json))
                    .map_err(|e| tree_err(&ctx, e))
            },
        ),
    )?;
    Ok(())
}

fn tree_err(ctx: &Ctx<'_>, e: TreeError) -> rquickjs::Error {
    Exception::throw_message(ctx, &format!("miniapp view: {e}"))
}
