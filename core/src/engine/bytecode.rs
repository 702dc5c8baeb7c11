//! User code as QuickJS bytecode: what `miniapp pack` stores so an app opened from a packed
//! archive parses none of its scripts or template groups again.
//!
//! [`script`] compiles a sloppy global script without running it and writes its bytecode;
//! [`module`] does so for a user module inside its CommonJS wrapper. [`run`] evaluates such
//! bytes and returns what the script's last expression gave (a module's wrapper function, a
//! template group). Errors, file names and line numbers stay those of the source.
//!
//! Trust: QuickJS does not validate bytecode, and crafted bytes can corrupt memory. [`run`] must
//! only get bytes this same engine ([`ENGINE`]) wrote and whose origin the host trusts: the
//! runtime uses them only from a packed archive signed by one of the host's trusted keys
//! (`Package::trusted_bytecode`). Called on the app's logic thread, like the rest of the engine.

use std::ffi::CString;

use rquickjs::{qjs, CaughtError, Ctx, Function, Value};

use super::{caught_to_error, ScriptError, MODULE_HEADER};

/// The engine whose bytecode [`run`] reads: QuickJS-ng as rquickjs 0.14.0 builds it (the
/// workspace pins that version exactly). An archive made by another engine keeps its
/// scripts as text and is parsed as usual.
pub const ENGINE: &str = "quickjs-ng/rquickjs-0.14.0";

fn internal(message: String) -> ScriptError {
    ScriptError { name: "InternalError".into(), message, stack: String::new(), location: None }
}

/// The exception QuickJS has pending, as a [`ScriptError`].
fn pending(ctx: &Ctx<'_>) -> ScriptError {
    caught_to_error(CaughtError::from_error(ctx, rquickjs::Error::Exception))
}

/// The source of a user module in its CommonJS wrapper (what [`super::compile_module`] runs).
pub(crate) fn wrap_module(src: &str) -> String {
    format!("{MODULE_HEADER}{src}\n}}).call(this)}})")
}

/// Whether the bytecode keeps each function's source text (what `Function.prototype.toString`
/// shows); line and column information is always kept, for stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceText {
    /// Kept: user modules, whose code may print its own functions.
    Keep,
    /// Left out: generated code nobody reads (template groups), a fraction of the size.
    Strip,
}

/// Compiles `src` (a sloppy global script named `file`) to bytecode without running it.
pub fn script(
    ctx: &Ctx<'_>,
    file: &str,
    src: &str,
    text: SourceText,
) -> Result<Vec<u8>, ScriptError> {
    let source = CString::new(src).map_err(|_| internal(format!("{file} holds a NUL byte")))?;
    let name = CString::new(file).map_err(|_| internal(format!("{file}: NUL in the name")))?;
    let flags = (qjs::JS_EVAL_TYPE_GLOBAL | qjs::JS_EVAL_FLAG_COMPILE_ONLY) as i32;
    // SAFETY: `source` is NUL-terminated and `len` excludes the NUL, as JS_Eval requires; the
    // returned value is owned by `compiled`, which frees it on drop.
    #[allow(unsafe_code)]
    let compiled = unsafe {
        let raw = qjs::JS_Eval(
            ctx.as_raw().as_ptr(),
            source.as_ptr(),
            src.len() as _,
            name.as_ptr(),
            flags,
        );
        Value::from_raw(ctx.clone(), raw)
    };
    if compiled.is_exception() {
        return Err(pending(ctx));
    }
    let mut len = 0usize;
    // SAFETY: `compiled` is a live function-bytecode value of this context; the buffer QuickJS
    // returns is `len` bytes, copied out, then freed with the context's allocator.
    #[allow(unsafe_code)]
    let bytes = unsafe {
        let buf = qjs::JS_WriteObject(
            ctx.as_raw().as_ptr(),
            &mut len as *mut usize as *mut _,
            compiled.as_raw(),
            (qjs::JS_WRITE_OBJ_BYTECODE
                | if text == SourceText::Strip { qjs::JS_WRITE_OBJ_STRIP_SOURCE } else { 0 })
                as i32,
        );
        if buf.is_null() {
            return Err(internal(format!("{file}: QuickJS could not write its bytecode")));
        }
        let out = std::slice::from_raw_parts(buf, len).to_vec();
        qjs::js_free(ctx.as_raw().as_ptr(), buf as _);
        out
    };
    Ok(bytes)
}

/// [`script`] of a user module in its CommonJS wrapper.
pub fn module(ctx: &Ctx<'_>, path: &str, src: &str) -> Result<Vec<u8>, ScriptError> {
    script(ctx, path, &wrap_module(src), SourceText::Keep)
}

/// Runs bytecode [`script`] wrote and returns the script's value.
///
/// The caller guarantees the bytes were written by [`ENGINE`] and come from a source the host
/// trusts (see the module docs); anything else must be run from source instead.
pub fn run<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> Result<Value<'js>, ScriptError> {
    // SAFETY: the caller's contract above; JS_ReadObject checks the bytecode version and
    // bounds, JS_EvalFunction takes ownership of the function it is given.
    #[allow(unsafe_code)]
    let value = unsafe {
        let c = ctx.as_raw().as_ptr();
        let f = qjs::JS_ReadObject(
            c,
            bytes.as_ptr(),
            bytes.len() as _,
            qjs::JS_READ_OBJ_BYTECODE as i32,
        );
        if qjs::JS_IsException(f) {
            Value::from_raw(ctx.clone(), f)
        } else {
            Value::from_raw(ctx.clone(), qjs::JS_EvalFunction(c, f))
        }
    };
    if value.is_exception() {
        return Err(pending(ctx));
    }
    Ok(value)
}

/// [`run`] of a module's bytecode: its wrapper function `(module, exports, require)`.
pub fn run_module<'js>(
    ctx: &Ctx<'js>,
    path: &str,
    bytes: &[u8],
) -> Result<Function<'js>, ScriptError> {
    run(ctx, bytes)?
        .into_function()
        .ok_or_else(|| internal(format!("the bytecode of module {path} is not a function")))
}
