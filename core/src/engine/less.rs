//! The LESS compiler (npm `less`, built into the library as QuickJS bytecode by `build.rs`)
//! in a QuickJS runtime of its own, apart from every app's: the compile step turns `.less`
//! files into WXSS with it ([`crate::compile::styles`]).
//!
//! Contract: `@import`s resolve only to the package files the compiler was given (relative to
//! the importing file, or `/`-absolute from the package root); inline JavaScript in LESS is
//! off; each file gets a wall-clock budget, a heap limit and a stack limit, so a hostile
//! stylesheet (endless mixin recursion, huge loops) fails that file with an error instead of
//! hanging or crashing the host. Not `Send`: create, use and drop it on one thread.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rquickjs::{CatchResultExt, Context, Function, Module, Runtime};

use super::convert;

/// The LESS compiler's bytecode, produced by `build.rs` with this rquickjs version.
const BYTECODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/less.qjsbc"));

/// Heap the compiler may use.
const HEAP_BYTES: usize = 256 << 20;
/// Native stack the compiler may use.
const STACK_BYTES: usize = 1 << 20;
/// Wall-clock budget per file.
const FILE_BUDGET: Duration = Duration::from_secs(20);

/// A compiled stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessOutput {
    /// The CSS (WXSS) text.
    pub css: String,
    /// Package paths the file imported, in the order they were read.
    pub imports: Vec<String>,
}

/// Why a file did not compile, located in the file where LESS found the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessError {
    /// LESS's message.
    pub message: String,
    /// Package path of the file with the problem (the compiled file or one it imports).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
}

/// One LESS compiler over a set of package files.
pub struct LessCompiler {
    deadline: Rc<Cell<Option<Instant>>>,
    ctx: Context,
    rt: Runtime,
}

impl LessCompiler {
    /// Starts the compiler; `files` are what `@import` can read (package path → text).
    pub fn new(files: Arc<HashMap<String, String>>) -> Result<LessCompiler, String> {
        let rt = Runtime::new().map_err(|e| format!("cannot start QuickJS: {e}"))?;
        rt.set_memory_limit(HEAP_BYTES);
        rt.set_max_stack_size(STACK_BYTES);
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let watch = deadline.clone();
        rt.set_interrupt_handler(Some(Box::new(move || {
            watch.get().is_some_and(|d| Instant::now() >= d)
        })));
        let ctx = Context::full(&rt).map_err(|e| format!("cannot start QuickJS: {e}"))?;
        deadline.set(Some(Instant::now() + FILE_BUDGET));
        let loaded = ctx.with(|ctx| -> Result<(), String> {
            // SAFETY: the bytes were produced at build time by `Module::write` of this same
            // rquickjs version (core/build.rs); nothing else is passed here.
            #[allow(unsafe_code)]
            let module = unsafe { Module::load(ctx.clone(), BYTECODE) }
                .catch(&ctx)
                .map_err(|e| e.to_string())?;
            let (_, promise) = module.eval().catch(&ctx).map_err(|e| e.to_string())?;
            promise.finish::<()>().catch(&ctx).map_err(|e| e.to_string())?;
            let read = Function::new(ctx.clone(), move |path: String| files.get(&path).cloned())
                .map_err(|e| e.to_string())?;
            ctx.globals().set("__readPackageFile", read).map_err(|e| e.to_string())
        });
        deadline.set(None);
        loaded.map_err(|e| format!("the LESS compiler does not load: {e}"))?;
        Ok(LessCompiler { deadline, ctx, rt })
    }

    /// Compiles `source`, the text of package file `file`.
    pub fn compile(&self, file: &str, source: &str) -> Result<LessOutput, LessError> {
        let fail = |message: String| LessError {
            message,
            file: file.to_string(),
            line: None,
            column: None,
        };
        self.deadline.set(Some(Instant::now() + FILE_BUDGET));
        let called = self.ctx.with(|ctx| -> Result<(), String> {
            let f: Function = ctx.globals().get("__compileLess").map_err(|e| e.to_string())?;
            f.call::<_, ()>((file, source)).catch(&ctx).map_err(|e| e.to_string())
        });
        while let Ok(true) = self.rt.execute_pending_job() {}
        let result = self.ctx.with(|ctx| {
            let v = ctx.globals().get("__lessResult").map_err(|e| e.to_string())?;
            convert::js_to_json(&ctx, v).map_err(|e| e.to_string())
        });
        let timed_out = self.deadline.get().is_some_and(|d| Instant::now() >= d);
        self.deadline.set(None);
        if let Err(e) = called {
            return Err(fail(if timed_out {
                format!("compiling took longer than {} s and was stopped", FILE_BUDGET.as_secs())
            } else {
                format!("the LESS compiler failed: {e}")
            }));
        }
        let result = result.map_err(fail)?;
        if let Some(error) = result.get("error") {
            let number = |k: &str| {
                error.get(k).and_then(serde_json::Value::as_u64).and_then(|n| u32::try_from(n).ok())
            };
            return Err(LessError {
                message: error["message"].as_str().unwrap_or("syntax error").to_string(),
                file: error["filename"].as_str().unwrap_or(file).to_string(),
                line: number("line").filter(|l| *l > 0),
                // LESS counts columns from 0.
                column: number("column").map(|c| c + 1),
            });
        }
        let css = result["css"]
            .as_str()
            .ok_or_else(|| fail("the LESS compiler gave no result".into()))?
            .to_string();
        let imports = result["imports"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        Ok(LessOutput { css, imports })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiler(files: &[(&str, &str)]) -> LessCompiler {
        let files = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        LessCompiler::new(Arc::new(files)).expect("compiler starts")
    }

    #[test]
    fn compiles_variables_mixins_nesting_and_imports() {
        let c =
            compiler(&[("styles/vars.less", "@brand: #07c160; .round(@r) { border-radius: @r; }")]);
        let out = c
            .compile(
                "pages/a/a.less",
                "@import '../../styles/vars';\n.a { color: @brand; width: 10rpx * 2; .round(8rpx);\n  &:active { color: red; } .b { margin: (@w / 2); } }\n@w: 30rpx;",
            )
            .expect("compiles");
        assert_eq!(
            out.css,
            ".a {\n  color: #07c160;\n  width: 20rpx;\n  border-radius: 8rpx;\n}\n.a:active {\n  color: red;\n}\n.a .b {\n  margin: 15rpx;\n}\n"
        );
        assert_eq!(out.imports, ["styles/vars.less"]);
    }

    #[test]
    fn errors_are_located() {
        let c = compiler(&[]);
        let e = c.compile("a.less", ".a {\n  color: @nope;\n}").expect_err("undefined variable");
        assert_eq!((e.file.as_str(), e.line, e.column), ("a.less", Some(2), Some(10)), "{e:?}");
        assert!(e.message.contains("@nope"), "{e:?}");
        let e = c.compile("a.less", "@import 'missing.less';").expect_err("missing import");
        assert!(e.message.contains("not found in the package"), "{e:?}");
        // The compiler keeps working after an error.
        assert_eq!(
            c.compile("b.less", ".b { c: d }").map(|o| o.css),
            Ok(".b {\n  c: d;\n}\n".into())
        );
    }

    #[test]
    fn endless_recursion_fails_the_file() {
        let c = compiler(&[]);
        let e = c.compile("loop.less", ".m(@i) { .m(@i + 1); }\n.a { .m(1); }").expect_err("stops");
        assert_eq!(e.file, "loop.less");
    }
}
