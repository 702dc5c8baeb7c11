//! Engine: QuickJS through rquickjs. The only module that touches the JS engine.
//!
//! One [`Engine`] per app instance, owning a QuickJS runtime and context, plus realms (further
//! global scopes in the same runtime, for workers) opened and closed between tasks. Not `Send`:
//! it lives on the app's logic thread. Contract:
//! - framework code is loaded as precompiled module bytecode ([`Engine::load_framework`]);
//!   user code is evaluated from source in sloppy mode with its package path as file name;
//! - every call into JS runs under a watchdog (wall-clock budget per task, interrupt handler),
//!   a heap limit and a stack limit; exceeding them gives a [`ScriptError`], never a crash;
//! - thrown values come back as [`ScriptError`] with name, message, stack and the first
//!   `file:line:col` of the stack;
//! - values cross as `serde_json::Value`.

pub mod bytecode;
pub mod convert;
#[cfg(feature = "compiler")]
pub mod less;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::{
    CatchResultExt, CaughtError, Context, Ctx, Function, Module, Object, Persistent, Runtime, Value,
};
use serde::Serialize;
use thiserror::Error;

/// Bytes allocated between cycle-collector runs.
const GC_THRESHOLD_BYTES: usize = 8 << 20;

/// A script to run: its text, or bytecode [`bytecode::script`] wrote (from a source the host
/// trusts, see [`bytecode`]).
#[derive(Debug, Clone, Copy)]
pub enum Script<'a> {
    /// Source text, named `file` in stacks.
    Source {
        /// The name stacks give it.
        file: &'a str,
        /// The text.
        text: &'a str,
    },
    /// Trusted bytecode.
    Bytecode(&'a [u8]),
}

impl Script<'_> {
    /// Runs the script (sloppy mode) and returns its value.
    pub fn eval<'js>(&self, ctx: &Ctx<'js>) -> Result<Value<'js>, ScriptError> {
        match *self {
            Script::Source { file, text } => eval_sloppy(ctx, file, text),
            Script::Bytecode(bytes) => bytecode::run(ctx, bytes),
        }
    }
}

/// Resource limits for one app's JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Heap limit in bytes.
    pub heap_bytes: usize,
    /// Native stack limit in bytes.
    pub stack_bytes: usize,
    /// Longest a single JS task may run before it is interrupted.
    pub task_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { heap_bytes: 256 << 20, stack_bytes: 1 << 20, task_time: Duration::from_secs(10) }
    }
}

/// A JS exception or engine failure.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[error("{name}: {message}")]
pub struct ScriptError {
    /// `Error`, `TypeError`, `SyntaxError`, `InternalError`…
    pub name: String,
    /// The message.
    pub message: String,
    /// The JS stack, if any.
    pub stack: String,
    /// First `file:line:col` found in the stack.
    pub location: Option<(String, u32, u32)>,
}

impl ScriptError {
    fn engine(message: impl Into<String>) -> ScriptError {
        ScriptError {
            name: "InternalError".into(),
            message: message.into(),
            stack: String::new(),
            location: None,
        }
    }

    /// Builds one from JS-side parts, locating it from the stack.
    pub fn from_parts(name: &str, message: &str, stack: &str) -> ScriptError {
        let mut message = message.to_string();
        // a syntax error in a required file is where the message says (the stack names only
        // the `require` that reached it); another error is where its stack starts
        let from_stack = || first_location(stack);
        let location = (name != "SyntaxError").then(from_stack).flatten().or_else(|| {
            let Some(loc) = location_in_message(&message) else {
                return from_stack();
            };
            if let Some(i) = message.rfind(" (") {
                message.truncate(i);
            }
            Some(loc)
        });
        ScriptError { name: name.to_string(), message, stack: stack.to_string(), location }
    }
}

/// Reads a trailing `(file:line:col)` that `runtime::native` appends when it re-throws a syntax error.
fn location_in_message(message: &str) -> Option<(String, u32, u32)> {
    let inner = message.trim_end().strip_suffix(')')?;
    let start = inner.rfind('(')?;
    first_location(&format!("    at {}", &inner[start + 1..]))
}

/// Finds the first `file:line:col` in a QuickJS stack (`    at f (pages/a/a.js:3:9)`) that is
/// not the engine's or the framework's.
pub fn first_location(stack: &str) -> Option<(String, u32, u32)> {
    stack.lines().find_map(|line| {
        let (_, file, row, col) = frame_location(line)?;
        let file = file.rsplit(' ').next().unwrap_or(file);
        let ours = file.starts_with('<') || file.starts_with("miniapp:") || file.is_empty();
        (!ours).then(|| (file.to_string(), row, col))
    })
}

/// `stack` with each frame's `file:line:col` replaced by where `place` puts it (unchanged where
/// it says `None`).
pub fn map_stack(
    stack: &str,
    mut place: impl FnMut(&str, u32, u32) -> Option<(String, u32, u32)>,
) -> String {
    let mut out = String::with_capacity(stack.len());
    for (i, line) in stack.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match frame_location(line).and_then(|(at, f, row, col)| Some((at, place(f, row, col)?))) {
            Some((at, (file, row, col))) => {
                out.push_str(&line[..at.start]);
                out.push_str(&format!("{file}:{row}:{col}"));
                out.push_str(&line[at.end..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The `file:line:col` of one stack line (`at f (file:3:9)` or `at file:3:9`) and where it is
/// in the line.
fn frame_location(line: &str) -> Option<(std::ops::Range<usize>, &str, u32, u32)> {
    let text = line.trim_end();
    let (start, end) = match text.strip_suffix(')') {
        Some(body) => (body.rfind('(')? + 1, body.len()),
        None => (text.find("at ")? + 3, text.len()),
    };
    let mut parts = text[start..end].rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let row = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    Some((start..end, file, row, col))
}

fn caught_to_error(err: CaughtError<'_>) -> ScriptError {
    match err {
        CaughtError::Exception(ex) => {
            let name: String = ex.get("name").unwrap_or_else(|_| "Error".into());
            ScriptError::from_parts(
                &name,
                &ex.message().unwrap_or_default(),
                &ex.stack().unwrap_or_default(),
            )
        }
        CaughtError::Value(v) if v.is_null() => ScriptError {
            name: "InternalError".into(),
            message: "null was thrown: the JS heap limit was probably reached (QuickJS throws \
                      null when it cannot even allocate the error), unless the app throws null \
                      itself"
                .into(),
            stack: String::new(),
            location: None,
        },
        CaughtError::Value(v) => {
            let text = convert::to_display(&v);
            ScriptError {
                name: "Error".into(),
                message: format!("uncaught {text}"),
                stack: String::new(),
                location: None,
            }
        }
        CaughtError::Error(e) => ScriptError::engine(e.to_string()),
    }
}

/// Failure to set up the engine itself.
#[derive(Debug, Error)]
pub enum EngineError {
    /// QuickJS could not allocate a runtime or context.
    #[error("cannot start the JS engine: {0}")]
    Start(String),
    /// The framework bytecode did not load.
    #[error("cannot load the framework JS: {0}")]
    Framework(ScriptError),
}

/// Promises rejected with no handler yet: (promise, reason).
type Rejections = Rc<RefCell<Vec<(Persistent<Value<'static>>, Persistent<Value<'static>>)>>>;

/// A second global scope in the engine's runtime (a worker): its own context and the API
/// object its bundle published. Shares the runtime's heap limit, watchdog and job queue.
struct Realm {
    api: Persistent<Object<'static>>,
    ctx: Context,
}

/// Names a realm opened with [`Engine::open_realm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RealmId(usize);

/// A QuickJS runtime + context for one app.
pub struct Engine {
    framework: Option<Persistent<Object<'static>>>,
    realms: RefCell<Vec<Option<Realm>>>,
    rejections: Rejections,
    deadline: Rc<Cell<Option<Instant>>>,
    limits: Limits,
    ctx: Context,
    rt: Runtime,
}

impl Engine {
    /// The limits the engine runs under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Starts a runtime with the given limits. Setting `cancel` (from any thread) interrupts
    /// whatever JS is running and every later task.
    pub fn new(limits: Limits, cancel: Option<Arc<AtomicBool>>) -> Result<Engine, EngineError> {
        let rt = Runtime::new().map_err(|e| EngineError::Start(e.to_string()))?;
        rt.set_memory_limit(limits.heap_bytes);
        rt.set_max_stack_size(limits.stack_bytes);
        // Reference counting frees most garbage; the cycle collector's default trigger (a few
        // hundred KB of new allocations) ran it dozens of times per 1000-row render (~11% of
        // the time in profiles). Trigger it after 8 MB instead.
        rt.set_gc_threshold(GC_THRESHOLD_BYTES);
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let watch = deadline.clone();
        let cancelled = cancel.unwrap_or_default();
        rt.set_interrupt_handler(Some(Box::new(move || {
            cancelled.load(Ordering::Relaxed) || watch.get().is_some_and(|d| Instant::now() >= d)
        })));
        let rejections: Rejections = Rc::new(RefCell::new(Vec::new()));
        let track = rejections.clone();
        rt.set_host_promise_rejection_tracker(Some(Box::new(
            move |ctx, promise, reason, handled| {
                let mut list = track.borrow_mut();
                if handled {
                    list.retain(|(p, _)| p.clone().restore(&ctx).map_or(true, |v| v != promise));
                } else {
                    list.push((Persistent::save(&ctx, promise), Persistent::save(&ctx, reason)));
                }
            },
        )));
        let ctx = Context::full(&rt).map_err(|e| EngineError::Start(e.to_string()))?;
        Ok(Engine {
            framework: None,
            realms: RefCell::new(Vec::new()),
            rejections,
            deadline,
            limits,
            ctx,
            rt,
        })
    }

    /// Runs `f` inside the context with the task watchdog armed.
    pub fn with<R>(&self, f: impl FnOnce(Ctx<'_>) -> R) -> R {
        self.with_context(&self.ctx, f)
    }

    fn with_context<R>(&self, context: &Context, f: impl FnOnce(Ctx<'_>) -> R) -> R {
        self.deadline.set(Some(Instant::now() + self.limits.task_time));
        let r = context.with(f);
        self.deadline.set(None);
        r
    }

    /// Loads the framework module from bytecode, then takes `globalThis.__miniapp` (the API
    /// object the framework publishes) and removes it from the global scope.
    pub fn load_framework(&mut self, bytecode: &[u8]) -> Result<(), EngineError> {
        let fw = self.load_bundle(&self.ctx, bytecode);
        self.framework = Some(fw.map_err(EngineError::Framework)?);
        self.pump_jobs(&mut |_| {});
        Ok(())
    }

    /// Runs a bundle (module bytecode made by `core/build.rs`) in `context` and takes the API
    /// object it publishes as `globalThis.__miniapp`.
    fn load_bundle(
        &self,
        context: &Context,
        bytecode: &[u8],
    ) -> Result<Persistent<Object<'static>>, ScriptError> {
        self.with_context(context, |ctx| {
            // SAFETY: the bytes were produced at build time by `Module::write` of this same
            // rquickjs version (core/build.rs); QuickJS does not validate bytecode, so nothing
            // else may be passed here.
            #[allow(unsafe_code)]
            let module = unsafe { Module::load(ctx.clone(), bytecode) }
                .catch(&ctx)
                .map_err(caught_to_error)?;
            let (_, promise) = module.eval().catch(&ctx).map_err(caught_to_error)?;
            promise.finish::<()>().catch(&ctx).map_err(caught_to_error)?;
            let globals = ctx.globals();
            let api: Object = globals.get("__miniapp").catch(&ctx).map_err(caught_to_error)?;
            globals.remove("__miniapp").catch(&ctx).map_err(caught_to_error)?;
            Ok(Persistent::save(&ctx, api))
        })
    }

    /// Opens a realm: a new global scope in this runtime (same heap limit, task watchdog and
    /// job queue; values cross only as JSON), where `install` sets up its natives before the
    /// bundle `bytecode` (built by `core/build.rs`) runs. Called between tasks, never from
    /// inside JS.
    pub fn open_realm(
        &self,
        bytecode: &[u8],
        install: impl FnOnce(&Ctx<'_>) -> rquickjs::Result<()>,
    ) -> Result<RealmId, ScriptError> {
        let context = Context::full(&self.rt).map_err(|e| ScriptError::engine(e.to_string()))?;
        self.with_context(&context, |ctx| install(&ctx).catch(&ctx).map_err(caught_to_error))?;
        let api = self.load_bundle(&context, bytecode)?;
        let mut realms = self.realms.borrow_mut();
        realms.push(Some(Realm { api, ctx: context }));
        Ok(RealmId(realms.len() - 1))
    }

    /// Calls `__miniapp[name](...args)` of a realm's bundle, like [`Engine::call`].
    pub fn call_in(
        &self,
        realm: RealmId,
        name: &str,
        args: &[serde_json::Value],
    ) -> Result<serde_json::Value, ScriptError> {
        let found = self
            .realms
            .borrow()
            .get(realm.0)
            .and_then(|r| r.as_ref().map(|r| (r.ctx.clone(), r.api.clone())));
        let Some((context, api)) = found else {
            return Err(ScriptError::engine("this realm was closed"));
        };
        self.call_on(&context, api, name, args, None)
    }

    /// The names the framework bundle (`realm` `None`) or a realm's bundle publishes on
    /// `__miniapp`, sorted: what [`Engine::call`] and [`Engine::call_in`] may name (the
    /// contract in `core/js/src/native.d.ts`).
    pub fn entry_points(&self, realm: Option<RealmId>) -> Vec<String> {
        let found = match realm {
            None => self.framework.clone().map(|api| (self.ctx.clone(), api)),
            Some(r) => {
                let realms = self.realms.borrow();
                realms.get(r.0).and_then(|r| r.as_ref().map(|r| (r.ctx.clone(), r.api.clone())))
            }
        };
        let Some((context, api)) = found else { return Vec::new() };
        let mut names: Vec<String> = self.with_context(&context, |ctx| {
            let api = api.restore(&ctx).ok();
            api.map(|a| a.keys::<String>().filter_map(|k| k.ok()).collect()).unwrap_or_default()
        });
        names.sort();
        names
    }

    /// Closes a realm: its global scope and everything only it referenced are freed.
    pub fn close_realm(&self, realm: RealmId) {
        let closed = self.realms.borrow_mut().get_mut(realm.0).and_then(Option::take);
        drop(closed);
        self.rt.run_gc();
    }

    /// Calls `__miniapp[name](...args)` (framework API) with JSON arguments and returns its
    /// JSON result. `extra` may add JS-only arguments (evaluated in the same context) after
    /// the JSON ones.
    pub fn call(
        &self,
        name: &str,
        args: &[serde_json::Value],
    ) -> Result<serde_json::Value, ScriptError> {
        self.call_with(name, args, None)
    }

    /// Like [`Engine::call`], with an extra trailing argument given as a script evaluated
    /// (sloppy mode) in the context first, e.g. the compiled template group.
    pub fn call_with(
        &self,
        name: &str,
        args: &[serde_json::Value],
        extra_source: Option<Script<'_>>,
    ) -> Result<serde_json::Value, ScriptError> {
        let Some(fw) = self.framework.clone() else {
            return Err(ScriptError::engine("framework not loaded"));
        };
        self.call_on(&self.ctx, fw, name, args, extra_source)
    }

    fn call_on(
        &self,
        context: &Context,
        fw: Persistent<Object<'static>>,
        name: &str,
        args: &[serde_json::Value],
        extra_source: Option<Script<'_>>,
    ) -> Result<serde_json::Value, ScriptError> {
        let started = Instant::now();
        let r = self.with_context(context, |ctx| {
            let api = fw.restore(&ctx).map_err(|e| ScriptError::engine(e.to_string()))?;
            let f: Function = api.get(name).catch(&ctx).map_err(caught_to_error)?;
            let mut values: Vec<Value> = Vec::with_capacity(args.len() + 1);
            for a in args {
                values.push(convert::json_to_js(&ctx, a).catch(&ctx).map_err(caught_to_error)?);
            }
            if let Some(script) = extra_source {
                values.push(script.eval(&ctx)?);
            }
            let mut call_args = rquickjs::function::Args::new(ctx.clone(), values.len());
            call_args.this(api.clone()).map_err(|e| ScriptError::engine(e.to_string()))?;
            for v in values {
                call_args.push_arg(v).map_err(|e| ScriptError::engine(e.to_string()))?;
            }
            let out: Value = f.call_arg(call_args).catch(&ctx).map_err(caught_to_error)?;
            convert::js_to_json(&ctx, out).catch(&ctx).map_err(caught_to_error)
        });
        r.map_err(|e| self.explain_interrupt(e, started))
    }

    /// QuickJS says only "interrupted": say which limit stopped the task, and where.
    fn explain_interrupt(&self, mut e: ScriptError, started: Instant) -> ScriptError {
        if e.message != "interrupted" {
            return e;
        }
        let ran = started.elapsed();
        e.message = if ran >= self.limits.task_time {
            format!(
                "interrupted: the task ran {:.1} s, past the task time limit of {:.1} s (the app \
                 keeps running; look for a loop that does not end)",
                ran.as_secs_f64(),
                self.limits.task_time.as_secs_f64()
            )
        } else {
            "interrupted: the app was closed".to_string()
        };
        if let Some((file, line, col)) = &e.location {
            e.message.push_str(&format!(" at {file}:{line}:{col}"));
        }
        e
    }

    /// Runs queued promise jobs until none is left (bounded), reporting job exceptions.
    pub fn pump_jobs(&self, on_error: &mut dyn FnMut(ScriptError)) {
        for _ in 0..100_000 {
            self.deadline.set(Some(Instant::now() + self.limits.task_time));
            let step = self.rt.execute_pending_job();
            self.deadline.set(None);
            match step {
                Ok(true) => {}
                Ok(false) => return,
                Err(job) => {
                    let err = job.0.with(|ctx| {
                        let v = ctx.catch();
                        match v.as_exception() {
                            Some(ex) => {
                                let name: String =
                                    ex.get("name").unwrap_or_else(|_| "Error".into());
                                ScriptError::from_parts(
                                    &name,
                                    &ex.message().unwrap_or_default(),
                                    &ex.stack().unwrap_or_default(),
                                )
                            }
                            None => {
                                ScriptError::engine(format!("uncaught {}", convert::to_display(&v)))
                            }
                        }
                    });
                    on_error(err);
                }
            }
        }
        on_error(ScriptError::engine("promise job queue did not drain after 100000 jobs"));
    }

    /// Hands every promise still rejected without a handler to
    /// `__miniapp.unhandledRejection(reason, promise)`; returns the reasons of those the app did
    /// not handle (no `App.onUnhandledRejection`), as errors.
    pub fn report_unhandled_rejections(&self) -> Vec<ScriptError> {
        let pending: Vec<_> = self.rejections.borrow_mut().drain(..).collect();
        if pending.is_empty() {
            return Vec::new();
        }
        let Some(fw) = self.framework.clone() else { return Vec::new() };
        self.with(|ctx| {
            let mut out = Vec::new();
            let Ok(api) = fw.restore(&ctx) else { return out };
            let Ok(f) = api.get::<_, Function>("unhandledRejection") else { return out };
            for (promise, reason) in pending {
                let (Ok(promise), Ok(reason)) = (promise.restore(&ctx), reason.restore(&ctx))
                else {
                    continue;
                };
                let as_error = match reason.as_exception() {
                    Some(ex) => {
                        let name: String = ex.get("name").unwrap_or_else(|_| "Error".into());
                        ScriptError::from_parts(
                            &name,
                            &ex.message().unwrap_or_default(),
                            &ex.stack().unwrap_or_default(),
                        )
                    }
                    None => ScriptError::from_parts("Error", &convert::to_display(&reason), ""),
                };
                match f
                    .call::<_, bool>((rquickjs::function::This(api.clone()), reason, promise))
                    .catch(&ctx)
                {
                    Ok(true) => {}
                    Ok(false) => out.push(as_error),
                    Err(e) => out.push(caught_to_error(e)),
                }
            }
            out
        })
    }

    /// Bytes of JS heap in use.
    pub fn heap_used(&self) -> usize {
        self.rt.memory_usage().memory_used_size.max(0) as usize
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Persistent handles must be released before the runtime (QuickJS asserts otherwise).
        self.framework = None;
        self.realms.borrow_mut().clear();
        self.rejections.borrow_mut().clear();
        self.rt.set_host_promise_rejection_tracker(None);
    }
}

/// What comes before a user module's first line: its CommonJS wrapper, with the browser globals
/// WeChat's module wrapper shadows as undefined parameters.
/// The globals are variables of an outer function and the module runs in an inner one, so a
/// module may still declare its own `const self = …` (in one scope that is a SyntaxError).
const MODULE_HEADER: &str = "(function (module, exports, require) {var window, document, frames, self, location, navigator, localStorage, history, Caches, screen, alert, confirm, prompt, XMLHttpRequest, WebSocket, Reporter, webkit, WeixinJSCore; return (function () {";

/// Columns the wrapper adds before a module's first line (errors there are moved back by it).
pub const MODULE_HEADER_COLUMNS: u32 = MODULE_HEADER.len() as u32;

/// Compiles a user module (CommonJS source, sloppy mode) into its wrapper function
/// `(module, exports, require)` without running it: syntax errors come back located.
pub fn compile_module<'js>(
    ctx: &Ctx<'js>,
    path: &str,
    src: &str,
) -> Result<rquickjs::Function<'js>, ScriptError> {
    // Header on the same line as the source's first line keeps line numbers exact. As in WeChat's
    // logic layer, the browser globals are parameters left undefined: `typeof window` is
    // "undefined" and a bare `window` is no ReferenceError.
    let wrapped = bytecode::wrap_module(src);
    eval_sloppy(ctx, path, &wrapped)?.into_function().ok_or_else(|| ScriptError {
        name: "InternalError".into(),
        message: format!("the wrapper of module {path} is not a function"),
        stack: String::new(),
        location: None,
    })
}

/// Evaluates a script in sloppy (non-strict) mode, as mini-program code expects.
pub fn eval_sloppy<'js>(ctx: &Ctx<'js>, file: &str, src: &str) -> Result<Value<'js>, ScriptError> {
    let mut opts = EvalOptions::default();
    opts.strict = false;
    opts.global = true;
    opts.promise = false;
    opts.filename = Some(file.to_string());
    ctx.eval_with_options::<Value, _>(src, opts).catch(ctx).map_err(caught_to_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_errors_from_stack() {
        assert_eq!(
            first_location("    at f (pages/a/a.js:3:9)\n    at <eval> (x.js:1:1)"),
            Some(("pages/a/a.js".into(), 3, 9))
        );
        assert_eq!(first_location("    at utils/x.js:2:5\n"), Some(("utils/x.js".into(), 2, 5)));
        assert_eq!(
            first_location("    at g (miniapp:framework:10:2)\n    at h (app.js:4:1)"),
            Some(("app.js".into(), 4, 1))
        );
        assert_eq!(first_location(""), None);
    }

    #[test]
    fn stack_frames_are_moved_where_they_say() {
        let stack =
            "    at onLoad (pages/a/a.js:1:276)\n    at apply (native)\n    at utils/x.js:2:5";
        let mapped = map_stack(stack, |file, row, col| {
            (file != "native").then(|| (format!("{file}.ts"), row + 1, col - 1))
        });
        assert_eq!(
            mapped,
            "    at onLoad (pages/a/a.js.ts:2:275)\n    at apply (native)\n    at utils/x.js.ts:3:4"
        );
        assert_eq!(map_stack("", |_, _, _| None), "");
    }

    #[test]
    fn runaway_script_is_interrupted_and_engine_survives() -> Result<(), Box<dyn std::error::Error>>
    {
        let engine = Engine::new(
            Limits { task_time: Duration::from_millis(50), ..Limits::default() },
            None,
        )?;
        let err = engine.with(|ctx| eval_sloppy(&ctx, "loop.js", "while (true) {}").map(|_| ()));
        assert!(
            matches!(err, Err(ScriptError { ref message, .. }) if message.contains("interrupted")),
            "{err:?}"
        );
        let ok = engine.with(|ctx| {
            eval_sloppy(&ctx, "ok.js", "x = 2; with ({y: 3}) { x * y }").map(|v| v.as_int())
        });
        assert_eq!(ok, Ok(Some(6)));
        Ok(())
    }

    #[test]
    fn syntax_error_has_location() -> Result<(), Box<dyn std::error::Error>> {
        let engine = Engine::new(Limits::default(), None)?;
        let err = engine
            .with(|ctx| eval_sloppy(&ctx, "pages/a/a.js", "var a = 1;\nvar b = ;\n").map(|_| ()));
        let err = err.err().ok_or("expected an error")?;
        assert_eq!(err.name, "SyntaxError");
        assert_eq!(err.location, Some(("pages/a/a.js".into(), 2, 9)));
        Ok(())
    }
}
