//! The native functions the framework JS calls (`globalThis.__native`, captured and removed by
//! `core/js/src/bridge.js` before user code runs).
//!
//! Each function borrows the shared [`AppState`] briefly and never calls back into JS while
//! holding a borrow. Tree misuse becomes a JS exception, never a panic.

use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Function, Object, Result, Value};

use super::{compile_module, convert, ScriptError};
use crate::capability::domain::UrlKind;
use crate::capability::Decision;
use crate::files::{self, FsError};
use crate::framework;
use crate::package::path;
#[cfg(feature = "headless")]
use crate::runtime::automation::AutomationEvent;
use crate::runtime::state::{AppState, LogLevel};
use crate::storage::StorageError;
use crate::view::tree::{NodeId, StyleScope, TreeError};

fn tree_err(ctx: &Ctx<'_>, e: TreeError) -> rquickjs::Error {
    Exception::throw_message(ctx, &format!("miniapp view: {e}"))
}

/// A glass-easel style scope id from JS (`-1`: undefined); `0` is the global scope.
fn scope(v: i32) -> StyleScope {
    usize::try_from(v).ok().and_then(std::num::NonZeroUsize::new)
}

/// Installs `globalThis.__native`.
pub fn install<'js>(ctx: &Ctx<'js>, state: &Rc<AppState>) -> Result<()> {
    let n = Object::new(ctx.clone())?;

    install_common(&n, state, None)?;
    #[cfg(feature = "headless")]
    install_automation(&n, state)?;

    let s = state.clone();
    n.set(
        "createElement",
        Func::from(move |tag: String| s.tree.borrow_mut().create_element(&tag)),
    )?;
    let s = state.clone();
    n.set("createText", Func::from(move |text: String| s.tree.borrow_mut().create_text(&text)))?;
    let s = state.clone();
    n.set("createFragment", Func::from(move || s.tree.borrow_mut().create_fragment()))?;
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

    // File sandbox. Failures are thrown as "<reason key>|<message>"; data crosses as text in the
    // caller's encoding (base64 for binary).
    macro_rules! fs_op {
        ($name:literal, |$sb:ident $(, $arg:ident : $ty:ty)*| -> $ret:ty $body:block) => {{
            let s = state.clone();
            n.set(
                $name,
                Func::from(move |ctx: Ctx<'js>, $($arg: $ty),*| -> Result<$ret> {
                    s.with_files(|$sb| $body).map_err(|e| fs_err(&ctx, &e))
                }),
            )?;
        }};
    }
    fs_op!("fsRead", |sb,
                      path: String,
                      encoding: String,
                      position: Option<f64>,
                      length: Option<f64>|
     -> String {
        let bytes =
            sb.read(&path, position.map(|p| p.max(0.0) as u64), length.map(|l| l.max(0.0) as u64))?;
        files::encode(&bytes, &encoding).map_err(|e| FsError::InvalidPath(path.clone(), e))
    });
    fs_op!("fsWrite", |sb, path: String, data: String, encoding: String, append: bool| -> () {
        let bytes =
            files::decode(&data, &encoding).map_err(|e| FsError::InvalidPath(path.clone(), e))?;
        sb.write(&path, &bytes, append)
    });
    // `[width, height, type]` (as text) of an image file (package, temp or user): its header only.
    fs_op!("imageInfo", |sb, path: String| -> Vec<String> {
        let bytes = sb.read(&path, None, None)?;
        let unreadable = || {
            FsError::InvalidPath(
                path.clone(),
                "not an image this runtime can read (png, jpeg, gif, webp, bmp, ico, tiff, heif)"
                    .into(),
            )
        };
        let size = imagesize::blob_size(&bytes).map_err(|_| unreadable())?;
        let kind = match imagesize::image_type(&bytes).map_err(|_| unreadable())? {
            imagesize::ImageType::Png => "png",
            imagesize::ImageType::Jpeg => "jpeg",
            imagesize::ImageType::Gif => "gif",
            imagesize::ImageType::Webp => "webp",
            imagesize::ImageType::Bmp => "bmp",
            imagesize::ImageType::Tiff => "tiff",
            _ => "unknown",
        };
        Ok(vec![size.width.to_string(), size.height.to_string(), kind.to_string()])
    });
    fs_op!("fsMkdir", |sb, path: String, recursive: bool| -> () { sb.mkdir(&path, recursive) });
    fs_op!("fsRmdir", |sb, path: String, recursive: bool| -> () { sb.rmdir(&path, recursive) });
    fs_op!("fsReaddir", |sb, path: String| -> Vec<String> { sb.readdir(&path) });
    fs_op!("fsUnlink", |sb, path: String| -> () { sb.unlink(&path) });
    fs_op!("fsRename", |sb, from: String, to: String| -> () { sb.rename(&from, &to) });
    fs_op!("fsCopy", |sb, from: String, to: String| -> () { sb.copy(&from, &to) });
    fs_op!("fsAccess", |sb, path: String| -> () { sb.access(&path) });
    fs_op!("fsAdmitTemp", |sb, path: String| -> () { sb.admit_temp(&path) });
    fs_op!("fsNewTemp", |sb, extension: String| -> Vec<String> {
        let (shown, real) = sb.new_temp_file(&extension);
        Ok(vec![shown, real.display().to_string()])
    });
    fs_op!("fsRealFile", |sb, path: String| -> String {
        sb.real_file(&path).map(|p| p.display().to_string())
    });
    fs_op!("fsStat", |sb, path: String| -> String {
        sb.stat(&path).map(|st| serde_json::to_string(&st).unwrap_or_default())
    });

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

    // Subpackages: compile on first route (cached when preloaded), evaluate the template group
    // here, and hand the framework [templates, components] to register.
    let s = state.clone();
    n.set(
        "loadSubpackage",
        Func::from(move |ctx: Ctx<'js>, root: String| -> Result<Vec<Value<'js>>> {
            match s.subpackage_to_fetch(&root) {
                Ok(None) => {}
                Ok(Some(archive)) => {
                    let why = format!(
                        "subpackage `{root}` is packed apart and not loaded yet (the host fetches `{}` when a route goes there)",
                        archive.file
                    );
                    return Err(Exception::throw_message(&ctx, &why));
                }
                Err(e) => return Err(Exception::throw_message(&ctx, &e)),
            }
            let compiled = s.subpackage_templates(&root, false);
            let file = format!("miniapp:templates/{root}");
            let templates =
                compiled.script(&file).eval(&ctx).map_err(|e| throw_script_error(&ctx, &e))?;
            let components: Vec<serde_json::Value> = s
                .manifest
                .components
                .values()
                .filter(|c| c.subpackage.as_deref() == Some(root.as_str()))
                .map(|c| {
                    framework::component_config(c, s.package().contains(&format!("{}.wxss", c.path)))
                })
                .collect();
            Ok(vec![templates, convert::json_to_js(&ctx, &serde_json::Value::Array(components))?])
        }),
    )?;
    let s = state.clone();
    n.set(
        "preloadSubpackage",
        Func::from(move |root: String| {
            if matches!(s.subpackage_to_fetch(&root), Ok(None)) {
                s.subpackage_templates(&root, true);
            }
        }),
    )?;
    // Subpackages packed apart (runtime/subpackages.rs): what the host must fetch (null: none),
    // then the archive it fetched; a refused archive is thrown with the reason.
    let s = state.clone();
    n.set(
        "subpackageToFetch",
        Func::from(move |ctx: Ctx<'js>, root: String| -> Result<Value<'js>> {
            match s.subpackage_to_fetch(&root) {
                Ok(None) => Ok(Value::new_null(ctx)),
                Ok(Some(a)) => convert::json_to_js(
                    &ctx,
                    &serde_json::json!({ "file": a.file, "manifestSha256": a.manifest_sha256 }),
                ),
                Err(e) => Err(Exception::throw_message(&ctx, &e)),
            }
        }),
    )?;
    let s = state.clone();
    n.set(
        "subpackageFetched",
        Func::from(move |ctx: Ctx<'js>, root: String, path: String| -> Result<()> {
            s.load_subpackage_archive(&root, std::path::Path::new(&path))
                .map_err(|e| Exception::throw_message(&ctx, &e))
        }),
    )?;
    let s = state.clone();
    n.set("reportPageProblems", Func::from(move |route: String| s.report_page_problems(&route)))?;

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
    tree_op!("setDataset", |t, id: NodeId, name: String, value: String| t
        .set_dataset(id, &name, &value));
    tree_op!("listen", |t, id: NodeId, event: String| t.set_listener(id, &event, true));
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

    ctx.globals().set("__native", n)
}

/// The natives every realm has: log, clocks, error reports, `require`'s resolve and compile
/// (limited to `modules_under/` when given).
fn install_common<'js>(
    n: &Object<'js>,
    state: &Rc<AppState>,
    modules_under: Option<&str>,
) -> Result<()> {
    let s = state.clone();
    n.set(
        "log",
        Func::from(move |level: String, text: String| s.log(LogLevel::parse(&level), text)),
    )?;
    let s = state.clone();
    n.set("now", Func::from(move || s.clock.now()))?;
    let s = state.clone();
    n.set("wallClock", Func::from(move || s.clock.wall_clock()))?;
    let s = state.clone();
    n.set("wantAfterFrame", Func::from(move || s.want_after_frame.set(true)))?;
    let s = state.clone();
    n.set(
        "reportError",
        Func::from(move |during: String, name: String, message: String, stack: String| {
            s.error(&during, ScriptError::from_parts(&name, &message, &stack));
        }),
    )?;

    let s = state.clone();
    let within = modules_under.map(str::to_string);
    n.set(
        "resolveModule",
        Func::from(move |ctx: Ctx<'js>, from: String, request: String| -> Result<String> {
            match s.package().resolve_script(&from, &request) {
                Ok(Some(found)) => match &within {
                    Some(dir) if !found.starts_with(&format!("{dir}/")) => Err(Exception::throw_message(
                        &ctx,
                        &format!("require('{request}') in {from}: a worker may only require files under `{dir}/` (app.json `workers`), not {found}"),
                    )),
                    _ => Ok(found),
                },
                // WeChat's wording: the module as resolved, then what was asked for.
                Ok(None) => {
                    let tried = path::resolve(path::dir_of(&from), &request).unwrap_or_else(|_| request.clone());
                    let tried = if tried.ends_with(".js") { tried } else { format!("{tried}.js") };
                    Err(Exception::throw_message(
                        &ctx,
                        &format!("module '{tried}' is not defined, require args is '{request}' (from {from})"),
                    ))
                }
                Err(e) => Err(Exception::throw_message(&ctx, &format!("require('{request}') in {from}: {e}"))),
            }
        }),
    )?;
    let s = state.clone();
    n.set(
        "compileModule",
        Func::from(move |ctx: Ctx<'js>, path: String| -> Result<Function<'js>> {
            let package = s.package();
            let Some(src) = package.source(&path) else {
                return Err(Exception::throw_message(
                    &ctx,
                    &format!("module '{path}' is not in the package"),
                ));
            };
            let compiled = match package.precompiled().and_then(|p| p.module_bytecode(&path)) {
                Some(bytes) => super::bytecode::run_module(&ctx, &path, &bytes),
                None => compile_module(&ctx, &path, src),
            };
            compiled.map_err(|e| throw_script_error(&ctx, &e))
        }),
    )?;
    Ok(())
}

/// Installs `globalThis.__native` in a worker's realm (`runtime::worker`): the common natives,
/// with `require` limited to app.json's `workers` directory, and `postMessage` to the app.
pub fn install_worker<'js>(ctx: &Ctx<'js>, state: &Rc<AppState>, worker: u64) -> Result<()> {
    let n = Object::new(ctx.clone())?;
    install_common(&n, state, Some(state.manifest.app.workers.as_deref().unwrap_or("")))?;
    let s = state.clone();
    n.set(
        "postMessage",
        Func::from(move |ctx: Ctx<'js>, message: Value<'js>| -> Result<()> {
            let message = convert::js_to_json(&ctx, message)?;
            s.workers
                .borrow_mut()
                .post_to_app(worker, message)
                .map_err(|e| Exception::throw_message(&ctx, &e))
        }),
    )?;
    ctx.globals().set("__native", n)
}

fn fs_err(ctx: &Ctx<'_>, e: &FsError) -> rquickjs::Error {
    Exception::throw_message(ctx, &format!("{}|{e}", e.reason_key()))
}

fn storage_err(ctx: &Ctx<'_>, e: &StorageError) -> rquickjs::Error {
    Exception::throw_message(ctx, &format!("{}|{e}", e.reason_key()))
}

/// Re-throws a [`ScriptError`] into JS as an error of the same name, keeping the original
/// location in the message so it survives the re-throw.
/// The test driver's natives (feature `headless`: the automator's bridge, and
/// `compileFunction`, which evaluates source a test sends): answers and pushed events go to the
/// app's automation sink. The shipped library has none of them.
#[cfg(feature = "headless")]
fn install_automation<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
    let s = state.clone();
    n.set(
        "automationReply",
        Func::from(move |ticket: f64, ok: bool, json: String| {
            if let Some(driver) = &s.automation {
                let outcome = if !ok {
                    Err(json)
                } else if json.is_empty() {
                    Ok(None)
                } else {
                    Ok(Some(serde_json::from_str(&json).unwrap_or(serde_json::Value::Null)))
                };
                driver.reply(ticket as u64, outcome);
            }
        }),
    )?;
    let s = state.clone();
    n.set(
        "automationEvent",
        Func::from(move |name: String, json: String| {
            let params = serde_json::from_str(&json).unwrap_or(serde_json::Value::Null);
            if let (Some(driver), Some(event)) =
                (&s.automation, AutomationEvent::from_js(&name, &params))
            {
                driver.event(event);
            }
        }),
    )?;
    // A test driver's function source, evaluated as an expression in the global scope.
    n.set(
        "compileFunction",
        Func::from(move |ctx: Ctx<'js>, src: String| -> Result<Value<'js>> {
            super::eval_sloppy(&ctx, "automator", &format!("({src}\n)"))
                .map_err(|e| throw_script_error(&ctx, &e))
        }),
    )?;
    Ok(())
}

fn throw_script_error(ctx: &Ctx<'_>, e: &ScriptError) -> rquickjs::Error {
    let msg = match &e.location {
        Some((file, line, col)) => format!("{} ({file}:{line}:{col})", e.message),
        None => e.message.clone(),
    };
    match e.name.as_str() {
        "SyntaxError" => Exception::throw_syntax(ctx, &msg),
        "TypeError" => Exception::throw_type(ctx, &msg),
        "ReferenceError" => Exception::throw_reference(ctx, &msg),
        "RangeError" => Exception::throw_range(ctx, &msg),
        _ => Exception::throw_message(ctx, &msg),
    }
}
