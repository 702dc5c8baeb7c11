//! Host-facing natives: the policy's verdicts (a `wx` API's capability, a URL against the
//! allowlist), calls to the host's services (answered later as their own task) and workers
//! (`runtime::worker`).
use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Object, Result, Value};

use crate::capability::domain::UrlKind;
use crate::capability::Decision;
use crate::engine::convert;
use crate::runtime::state::AppState;

/// Installs this domain's functions on `__native`.
pub(super) fn install<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
    // Capability check for one wx call: null when allowed, else the reason.
    let s = state.clone();
    n.set(
        "checkCapability",
        Func::from(move |api: String, group: String| -> Option<String> {
            match s.policy.check(&s.app_id, &api, &group) {
                Decision::Allowed => None,
                Decision::Denied(reason) => Some(reason),
            }
        }),
    )?;

    // Network allowlist check (WeChat's domain rules): ["ok", normalised url] when allowed,
    // ["denied", reason] otherwise.
    let s = state.clone();
    n.set(
        "checkUrl",
                Func::from(move |kind: String, url: String| -> Vec<String> {
            let kind = match kind.as_str() {
                "upload" => UrlKind::Upload,
                "download" => UrlKind::Download,
                "socket" => UrlKind::Socket,
                _ => UrlKind::Request,
            };
            let verdict = s.policy.check_url(kind, &url);
            tracing::debug!(target: "miniapp::capability", app = %s.app_id, url = %url, allowed = verdict.is_ok(), "url check");
                                    match verdict {
                Ok(checked) => vec!["ok".into(), checked.url],
                Err(reason) => vec!["denied".into(), reason],
            }
        }),
    )?;

    // Host services: post a call (the reply arrives later as its own task), or cancel one.
    let s = state.clone();
    n.set(
        "hostCall",
        Func::from(move |ctx: Ctx<'js>, api: String, args: Value<'js>| -> Result<f64> {
            let args = convert::js_to_json(&ctx, args)?;
            Ok(s.call_host(&api, args) as f64)
        }),
    )?;
    let s = state.clone();
    n.set(
        "hostCancel",
        Func::from(move |id: f64| {
            if let Some(host) = &s.host_services {
                host.cancel(&s.app_id, id as u64);
            }
        }),
    )?;

    // Workers (runtime/worker.rs): create, post to, terminate; failures thrown as their errMsg.
    let s = state.clone();
    n.set(
        "workerCreate",
        Func::from(move |ctx: Ctx<'js>, script: String| -> Result<f64> {
            let dir = s.manifest.app.workers.as_deref();
            let exists = |p: &str| s.package().contains(p);
            let created = s.workers.borrow_mut().create(dir, &script, exists);
            created.map(|id| id as f64).map_err(|e| Exception::throw_message(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "workerPost",
        Func::from(move |ctx: Ctx<'js>, id: f64, message: Value<'js>| -> Result<()> {
            let message = convert::js_to_json(&ctx, message)?;
            let posted = s.workers.borrow_mut().post_to_worker(id as u64, message);
            posted.map_err(|e| Exception::throw_message(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set(
        "workerTerminate",
        Func::from(move |id: f64| s.workers.borrow_mut().terminate(id as u64)),
    )?;
    Ok(())
}
