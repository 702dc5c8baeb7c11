//! Storage natives (`storage`): the app's key/value store and its remembered consent scopes.
//! Failures are thrown as `<reason key>|<detail>` for the framework's `wxFail`.
use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Object, Result, Value};

use crate::engine::convert;
use crate::runtime::state::AppState;
use crate::storage::StorageError;

/// Installs this domain's functions on `__native`.
pub(super) fn install<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
    // Storage: failures are thrown as "<reason key>|<detail>" for the framework's wxFail.
    let s = state.clone();
    n.set(
        "storageSet",
        Func::from(move |ctx: Ctx<'js>, key: String, kind: String, value: String| -> Result<()> {
            s.with_storage(|st| st.set(&key, &kind, &value)).map_err(|e| storage_err(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "storageGet",
        Func::from(move |ctx: Ctx<'js>, key: String| -> Result<Option<Vec<String>>> {
            s.with_storage(|st| st.get(&key))
                .map(|v| v.map(|(k, v)| vec![k, v]))
                .map_err(|e| storage_err(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "storageRemove",
        Func::from(move |ctx: Ctx<'js>, key: String| -> Result<bool> {
            s.with_storage(|st| st.remove(&key)).map_err(|e| storage_err(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "storageClear",
        Func::from(move |ctx: Ctx<'js>| -> Result<()> {
            s.with_storage(|st| st.clear()).map_err(|e| storage_err(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "storageInfo",
        Func::from(move |ctx: Ctx<'js>| -> Result<Value<'js>> {
            let info = s.with_storage(|st| st.info()).map_err(|e| storage_err(&ctx, &e))?;
            convert::json_to_js(&ctx, &serde_json::to_value(info).unwrap_or_default())
        }),
    )?;

    // Consent scopes remembered per app: scopeGet -> true/false/null; scopeSet; scopeAll.
    let s = state.clone();
    n.set(
        "scopeGet",
        Func::from(move |ctx: Ctx<'js>, scope: String| -> Result<Option<bool>> {
            s.with_storage(|st| st.scope(&scope)).map_err(|e| storage_err(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "scopeSet",
        Func::from(move |ctx: Ctx<'js>, scope: String, granted: bool| -> Result<()> {
            tracing::debug!(target: "miniapp::capability", app = %s.app_id, scope = %scope, granted, "consent remembered");
            s.with_storage(|st| st.set_scope(&scope, granted)).map_err(|e| storage_err(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "scopeAll",
        Func::from(move |ctx: Ctx<'js>| -> Result<Value<'js>> {
            let all = s.with_storage(|st| st.scopes()).map_err(|e| storage_err(&ctx, &e))?;
            let map: serde_json::Map<String, serde_json::Value> =
                all.into_iter().map(|(k, v)| (k, v.into())).collect();
            convert::json_to_js(&ctx, &serde_json::Value::Object(map))
        }),
    )?;
    Ok(())
}

fn storage_err(ctx: &Ctx<'_>, e: &StorageError) -> rquickjs::Error {
    Exception::throw_message(ctx, &format!("{}|{e}", e.reason_key()))
}
