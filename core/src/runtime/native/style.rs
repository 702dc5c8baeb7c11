//! Style and geometry natives: the style sheets glass-easel registers for a page and the scope
//! pages share (`layout`), and what selector queries and `getBoundingClientRect` read from the
//! last layout.
use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Object, Result, Value};

use crate::engine::convert;
use crate::runtime::state::AppState;
use crate::view::tree::NodeId;

use super::scope;

/// Installs this domain's functions on `__native`.
pub(super) fn install<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
    // Style sheets glass-easel registers for a page, and the scope pages get.
    let s = state.clone();
    n.set(
        "appendStyleSheet",
        Func::from(move |key: String, sc: i32| -> i32 {
            let sheets = s.style_sheets.borrow();
            let Some(sheets) = sheets.as_ref() else { return -1 };
            s.layout.borrow_mut().append_sheet(sheets, &key, scope(sc))
        }),
    )?;
    let s = state.clone();
    n.set(
        "setSharedStyleScope",
        Func::from(move |sc: i32| s.layout.borrow_mut().set_shared_scope(scope(sc))),
    )?;

    // Geometry answered from the last layout (selector queries, getBoundingClientRect).
    let s = state.clone();
    n.set(
        "layoutRect",
        Func::from(move |id: NodeId| -> Option<Vec<f64>> {
            let r = s.layout.borrow().page_rect(&s.tree.borrow(), id)?;
            Some(vec![r.x.into(), r.y.into(), r.width.into(), r.height.into()])
        }),
    )?;
    let s = state.clone();
    n.set(
        "scrollSize",
        Func::from(move |id: NodeId| -> Option<Vec<f64>> {
            // [scrollWidth, scrollHeight, scrollLeft, scrollTop]
            let tree = s.tree.borrow();
            let (w, h) = s.layout.borrow().scroll_size(&tree, id)?;
            let (left, top) = tree.get(id)?.scroll;
            Some(vec![w.into(), h.into(), left.into(), top.into()])
        }),
    )?;
    let s = state.clone();
    n.set(
        "computedStyle",
        Func::from(move |ctx: Ctx<'js>, id: NodeId, names: Vec<String>| -> Result<Value<'js>> {
            let pairs = s.layout.borrow().computed_style(id, &names).unwrap_or_default();
            let map: serde_json::Map<String, serde_json::Value> =
                pairs.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect();
            convert::json_to_js(&ctx, &serde_json::Value::Object(map))
        }),
    )?;
    Ok(())
}
