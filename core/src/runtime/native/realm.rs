//! The natives every realm has — the app's and each worker's: console output, the clocks,
//! error reports, the after-frame request, and `require`'s resolve and compile (user modules
//! run from the package's bytecode when it has them) — plus a worker's `postMessage`.

use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Function, Object, Result, Value};

use crate::engine::{compile_module, convert, ScriptError};
use crate::package::path;
use crate::runtime::state::{AppState, LogLevel};

use super::throw_script_error;

/// The natives every realm has: log, clocks, error reports, `require`'s resolve and compile
/// (limited to `modules_under/` when given).
pub(super) fn install<'js>(
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
            // app.json `resolveAlias` applies first (`@utils/x` → `/utils/x`)
            let aliased = s.manifest.app.alias(&request);
            let target = aliased.as_deref().unwrap_or(&request);
            match s.package().resolve_script(&from, target) {
                Ok(Some(found)) => match &within {
                    Some(dir) if !found.starts_with(&format!("{dir}/")) => Err(Exception::throw_message(
                        &ctx,
                        &format!("require('{request}') in {from}: a worker may only require files under `{dir}/` (app.json `workers`), not {found}"),
                    )),
                    _ => Ok(found),
                },
                // WeChat's wording: the module as resolved, then what was asked for.
                Ok(None) => {
                    let tried = path::resolve(path::dir_of(&from), target).unwrap_or_else(|_| request.clone());
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
                Some(bytes) => crate::engine::bytecode::run_module(&ctx, &path, &bytes),
                None if path.ends_with(".json") => json_module(&ctx, &path, src),
                None => compile_module(&ctx, &path, src),
            };
            compiled.map_err(|e| throw_script_error(&ctx, &e))
        }),
    )?;
    Ok(())
}

/// A required `.json` file as a module exporting its value (DevTools' build npm bundles the
/// JSON files packages require, such as axios reading its `package.json`); a file that is not
/// JSON is a `SyntaxError` at its line and column.
fn json_module<'js>(
    ctx: &Ctx<'js>,
    path: &str,
    src: &str,
) -> std::result::Result<Function<'js>, ScriptError> {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(src) {
        return Err(ScriptError {
            name: "SyntaxError".into(),
            message: format!("{path} is not JSON: {e}"),
            stack: String::new(),
            location: Some((path.to_string(), e.line() as u32, e.column() as u32)),
        });
    }
    let literal = serde_json::to_string(src).unwrap_or_default();
    compile_module(ctx, path, &format!("module.exports = JSON.parse({literal});"))
}

/// Installs `globalThis.__native` in a worker's realm (`runtime::worker`): the common natives,
/// with `require` limited to app.json's `workers` directory, and `postMessage` to the app.
pub(super) fn install_worker<'js>(ctx: &Ctx<'js>, state: &Rc<AppState>, worker: u64) -> Result<()> {
    let n = Object::new(ctx.clone())?;
    install(&n, state, Some(state.manifest.app.workers.as_deref().unwrap_or("")))?;
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
