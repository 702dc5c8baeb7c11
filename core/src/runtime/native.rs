//! The native functions the framework JS calls: `globalThis.__native`, captured and removed by
//! `core/js/src/bridge.js` before user code runs. Its contract — every native function, and
//! every framework entry point the core calls (`framework.rs`) — is written down in
//! `core/js/src/native.d.ts`, and `tests::the_contract_file_lists_every_name` holds both sides to
//! it. One module per domain installs its part: [`realm`] (console, clocks, errors, `require`;
//! also in workers), [`tree`], [`style`] (sheets and geometry), [`storage`], [`files`],
//! [`host`] (policy verdicts, host calls, workers), [`packages`] (subpackages, page problems),
//! and `automation` (feature `headless`).
//!
//! Logic thread only. Each function borrows the shared [`AppState`] briefly and never calls back
//! into JS while holding a borrow; bad arguments and misuse become JS exceptions, never a panic.

#[cfg(feature = "headless")]
mod automation;
mod files;
mod host;
mod packages;
mod realm;
mod storage;
mod style;
mod tree;

use std::rc::Rc;

use rquickjs::{Ctx, Exception, Object, Result};

use crate::engine::ScriptError;
use crate::runtime::state::AppState;
use crate::view::tree::StyleScope;

/// Installs `globalThis.__native` in the app's realm.
pub fn install(ctx: &Ctx<'_>, state: &Rc<AppState>) -> Result<()> {
    let n = Object::new(ctx.clone())?;
    realm::install(&n, state, None)?;
    #[cfg(feature = "headless")]
    automation::install(&n, state)?;
    tree::install(&n, state)?;
    style::install(&n, state)?;
    storage::install(&n, state)?;
    files::install(&n, state)?;
    host::install(&n, state)?;
    packages::install(&n, state)?;
    ctx.globals().set("__native", n)
}

/// Installs `globalThis.__native` in a worker's realm (`runtime::worker`): the common natives,
/// with `require` limited to app.json's `workers` directory, and `postMessage` to the app.
pub fn install_worker(ctx: &Ctx<'_>, state: &Rc<AppState>, worker: u64) -> Result<()> {
    realm::install_worker(ctx, state, worker)
}

/// A glass-easel style scope id from JS (`-1`: undefined); `0` is the global scope.
fn scope(v: i32) -> StyleScope {
    usize::try_from(v).ok().and_then(std::num::NonZeroUsize::new)
}

/// Re-throws a [`ScriptError`] into JS as an error of the same name, keeping the original
/// location in the message so it survives the re-throw.
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

// opens an app from sources, which needs the compilers
#[cfg(all(test, feature = "compiler"))]
#[allow(clippy::expect_used)]
pub(super) mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::package::Package;
    use crate::{AppInstance, InstanceConfig};

    const CONTRACT: &str = include_str!("../../js/src/native.d.ts");

    /// The member names of `interface <name>` in the contract file, with those of the interface
    /// it extends: (every one, the optional ones — `name?(…)`, present only in some builds).
    fn declared(name: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let head = CONTRACT.lines().position(|l| l.starts_with(&format!("interface {name} ")));
        let head = head.unwrap_or_else(|| panic!("interface {name} in native.d.ts"));
        let (mut all, mut optional) = (BTreeSet::new(), BTreeSet::new());
        if let Some(base) = CONTRACT.lines().nth(head).and_then(|l| l.split(" extends ").nth(1)) {
            let (a, o) = declared(base.trim_end_matches(" {"));
            all.extend(a);
            optional.extend(o);
        }
        for line in CONTRACT.lines().skip(head + 1).take_while(|l| *l != "}") {
            let member = line.trim_start();
            let Some(end) = member.find(['(', '?']) else { continue };
            if member.starts_with(|c: char| c.is_ascii_alphabetic()) {
                all.insert(member[..end].to_string());
                if member[end..].starts_with('?') {
                    optional.insert(member[..end].to_string());
                }
            }
        }
        (all, optional)
    }

    /// `found` is what `name` declares: every member, optional ones aside.
    pub(in crate::runtime) fn matches(found: &BTreeSet<String>, name: &str) {
        let (all, optional) = declared(name);
        let undeclared: Vec<_> = found.difference(&all).collect();
        let missing: Vec<_> = all.difference(found).filter(|m| !optional.contains(*m)).collect();
        assert!(
            undeclared.is_empty() && missing.is_empty(),
            "interface {name} in core/js/src/native.d.ts: not declared {undeclared:?}, declared \
             but missing {missing:?}"
        );
    }

    /// The keys of `globalThis.__native` after `install`.
    fn installed(
        app: &AppInstance,
        install: impl FnOnce(&Ctx<'_>) -> Result<()>,
    ) -> BTreeSet<String> {
        app.engine.with(|ctx| {
            install(&ctx).expect("installs");
            let n: Object = ctx.globals().get("__native").expect("__native");
            n.keys::<String>().map(|k| k.expect("a name")).collect()
        })
    }

    /// The framework entry points the core's sources name in a call.
    fn called() -> BTreeSet<String> {
        let sources = [
            include_str!("../framework.rs"),
            include_str!("automation.rs"),
            include_str!("worker.rs"),
            include_str!("../engine.rs"),
        ];
        let mut names = BTreeSet::new();
        for src in sources {
            for (i, _) in src.match_indices('"') {
                // what precedes the literal, whitespace left out (calls span lines)
                let mut before: Vec<char> =
                    src[..i].chars().rev().filter(|c| !c.is_whitespace()).take(24).collect();
                before.reverse();
                let before: String = before.into_iter().collect();
                let calls = ["call(", "call_with(", "call_bool(engine,", "call_in(w.realm,"]
                    .iter()
                    .chain(&["call_in(realm,", "Function>("])
                    .any(|c| before.ends_with(c));
                let name = src[i + 1..].split('"').next().unwrap_or_default();
                if calls && !name.is_empty() {
                    names.insert(name.to_string());
                }
            }
        }
        names
    }

    /// The smallest app with a workers directory: what the contract tests open.
    pub(in crate::runtime) fn app_with_workers() -> AppInstance {
        let pkg = Package::from_sources([
            ("app.json", r#"{"pages":["p/i"],"workers":"w"}"#),
            ("app.js", "App({})"),
            ("p/i.js", "Page({})"),
            ("p/i.wxml", "<view/>"),
        ]);
        AppInstance::open(pkg, InstanceConfig::default()).expect("opens")
    }

    #[test]
    fn the_contract_file_lists_every_name() {
        let app = app_with_workers();
        let state = app.state.clone();
        matches(&installed(&app, |ctx| install(ctx, &state)), "Native");
        matches(&installed(&app, |ctx| install_worker(ctx, &state, 0)), "WorkerNative");

        let entries: BTreeSet<String> = app.engine.entry_points(None).into_iter().collect();
        matches(&entries, "Entry");
        // WorkerEntry is checked in runtime::worker::tests

        let called = called();
        let read = called.len() >= 25 && called.contains("networkStatusChanged");
        assert!(read, "the call sites were read: {called:?}");
        let worker_entries = declared("WorkerEntry").0;
        let all: BTreeSet<String> = entries.union(&worker_entries).cloned().collect();
        let undeclared: Vec<_> = called.difference(&all).collect();
        assert!(undeclared.is_empty(), "called but not published: {undeclared:?}");
    }
}
