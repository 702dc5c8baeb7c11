//! Builds the framework JS into QuickJS bytecode.
//!
//! 1. Installs the pinned npm packages (`js/package-lock.json`: glass-easel and its
//!    miniprogram adapter, the LESS compiler, and esbuild as WebAssembly) with `npm ci` into
//!    `$OUT_DIR/npm`, unless `MINIAPP_NODE_MODULES` points at an existing `node_modules`.
//! 2. Bundles our framework layer (ES modules in `js/src/`, from `js/src/entry.js`) with the
//!    npm modules it imports into one ES module with esbuild (run by Node).
//! 3. Compiles the module to bytecode with the same rquickjs version the runtime uses, so the
//!    library never parses framework source at run time.
//! 4. Bundles the worker scope (from `js/worker/worker_env.js`, which imports some of
//!    `js/src`) the same way, for `wx.createWorker` realms.
//! 5. Likewise compiles the LESS compiler (npm `less`'s browser build inside
//!    `js/less/compile_less.js`) into a module of its own, for the compile step.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fail(msg: &str) -> ! {
    eprintln!("\nerror: {msg}\n");
    std::process::exit(1);
}

fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())))
}

fn node_modules(js_dir: &Path, out_dir: &Path) -> PathBuf {
    if let Ok(dir) = env::var("MINIAPP_NODE_MODULES") {
        return PathBuf::from(dir);
    }
    let npm_dir = out_dir.join("npm");
    let stamp = npm_dir.join("node_modules/.miniapp-lock");
    let lock = read(&js_dir.join("package-lock.json"));
    if fs::read_to_string(&stamp).ok().as_deref() == Some(lock.as_str()) {
        return npm_dir.join("node_modules");
    }
    fs::create_dir_all(&npm_dir)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", npm_dir.display())));
    for f in ["package.json", "package-lock.json"] {
        fs::copy(js_dir.join(f), npm_dir.join(f))
            .unwrap_or_else(|e| fail(&format!("cannot copy {f}: {e}")));
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--omit=optional",
            "--loglevel=error",
        ])
        .current_dir(&npm_dir)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => fail(&format!(
            "`npm ci` failed ({s}) installing core/js/package-lock.json; check network access to the npm registry"
        )),
        Err(e) => fail(&format!(
            "miniapp-core needs npm (Node.js) to fetch glass-easel at build time, but running `npm` failed: {e}.\n\
             Install Node.js 18+ with npm and make sure `npm` is on PATH, or set MINIAPP_NODE_MODULES to a node_modules directory."
        )),
    }
    fs::write(&stamp, lock)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", stamp.display())));
    npm_dir.join("node_modules")
}

fn main() {
    let manifest = PathBuf::from(
        env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| fail("CARGO_MANIFEST_DIR unset")),
    );
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR unset")));
    let js_dir = manifest.join("js");
    println!("cargo:rerun-if-changed=js/package-lock.json");
    println!("cargo:rerun-if-changed=js/src");
    println!("cargo:rerun-if-changed=js/worker");
    println!("cargo:rerun-if-changed=js/less");
    println!("cargo:rerun-if-env-changed=MINIAPP_NODE_MODULES");

    let nm = node_modules(&js_dir, &out_dir);
    let bundle = esbuild(&nm, &js_dir.join("src/entry.js"), &out_dir.join("framework.js"));
    compile_module("miniapp:framework", &bundle, &out_dir.join("framework.qjsbc"), &out_dir);

    let worker = esbuild(&nm, &js_dir.join("worker/worker_env.js"), &out_dir.join("worker.js"));
    compile_module("miniapp:worker", &worker, &out_dir.join("worker.qjsbc"), &out_dir);

    let glue = read(&js_dir.join("less/compile_less.js"));
    let (shim, rest) = glue
        .split_once("// @@LESS@@")
        .unwrap_or_else(|| fail("js/less/compile_less.js lacks its // @@LESS@@ marker"));
    let less = read(&nm.join("less/dist/less.min.js"));
    let less_bundle = format!("{shim}\n{less}\n{rest}");
    fs::write(out_dir.join("less.js"), &less_bundle)
        .unwrap_or_else(|e| fail(&format!("cannot write the LESS bundle: {e}")));
    compile_module("miniapp:less", &less_bundle, &out_dir.join("less.qjsbc"), &out_dir);
}

/// Bundles the ES module `entry` and everything it imports (our files, npm packages from `nm`)
/// into one ES module at `target` with esbuild, and returns it. Bare imports resolve in `nm`
/// (`NODE_PATH`); esbuild keeps the modules' evaluation order.
fn esbuild(nm: &Path, entry: &Path, target: &Path) -> String {
    let node = if cfg!(windows) { "node.exe" } else { "node" };
    let output = Command::new(node)
        .arg(nm.join("esbuild-wasm/bin/esbuild"))
        .arg(entry)
        .args(["--bundle", "--format=esm", "--charset=utf8", "--log-level=warning"])
        .arg(format!("--outfile={}", target.display()))
        .env("NODE_PATH", nm)
        .output()
        .unwrap_or_else(|e| fail(&format!("running esbuild with `node` failed: {e}")));
    if !output.status.success() {
        fail(&format!(
            "esbuild could not bundle {}:\n{}",
            entry.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let warnings = String::from_utf8_lossy(&output.stderr);
    if !warnings.trim().is_empty() {
        fail(&format!("esbuild warns about {} (fix the source):\n{warnings}", entry.display()));
    }
    read(target)
}

/// Compiles `source` as module `name` to QuickJS bytecode at `target`.
fn compile_module(name: &str, source: &str, target: &Path, out_dir: &Path) {
    let rt = rquickjs::Runtime::new().unwrap_or_else(|e| fail(&format!("QuickJS: {e}")));
    let ctx = rquickjs::Context::full(&rt).unwrap_or_else(|e| fail(&format!("QuickJS: {e}")));
    let bytecode = ctx.with(|ctx| -> Result<Vec<u8>, String> {
        let module = rquickjs::Module::declare(ctx.clone(), name, source).map_err(|e| match e {
            rquickjs::Error::Exception => {
                let ex = ctx.catch();
                let ex = ex.as_exception();
                format!(
                    "{} {}",
                    ex.and_then(|e| e.message()).unwrap_or_default(),
                    ex.and_then(|e| e.stack()).unwrap_or_default()
                )
            }
            other => other.to_string(),
        })?;
        let opts = rquickjs::WriteOptions { strip_source: true, ..Default::default() };
        module.write(opts).map_err(|e| e.to_string())
    });
    match bytecode {
        Ok(bc) => {
            fs::write(target, bc).unwrap_or_else(|e| fail(&format!("cannot write bytecode: {e}")))
        }
        Err(e) => fail(&format!("{name} does not compile: {e} (sources in {})", out_dir.display())),
    }
}
