//! Package natives: subpackages (compiled on first route or preloaded, fetched from the host
//! when packed apart: `runtime::subpackages`) and the problems a page's files carry
//! (`runtime::problems`).
use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Object, Result, Value};

use crate::engine::convert;
use crate::framework;
use crate::runtime::state::AppState;

use super::throw_script_error;

/// Installs this domain's functions on `__native`.
pub(super) fn install<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
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
    Ok(())
}
