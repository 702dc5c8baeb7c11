//! DevTools' compile step for stylesheets: with `"useCompilerPlugins": ["less"]` in
//! `project.config.json` (`setting`), every `x.less` with no `x.wxss` beside it is compiled
//! with LESS (the npm compiler DevTools uses, run by [`crate::engine::less`]) and serves as
//! `x.wxss`, so pages, components and `app.less` get their styles as in DevTools. `rpx` and
//! WXSS selectors pass through. `@import` resolves inside the package.
//!
//! A file that does not compile is an error at the place LESS names, unless another `.less`
//! imports it: partials (variables, mixins) are compiled as part of what imports them, and
//! alone they may refer to what only their importer defines. Without the plugin, `.less` files
//! are left alone, as DevTools leaves them (the compatibility report says so). Runs when a
//! package opens; one thread.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::engine::less::LessCompiler;
use crate::package::positions::PositionMap;
use crate::package::Package;

/// Compiles the package's `.less` files in place (see the module docs).
pub fn compile_package_styles(pkg: &mut Package, diags: &mut Diagnostics) {
    if !pkg.project().is_some_and(|p| p.uses_plugin("less")) {
        return;
    }
    let todo: Vec<(String, String)> = pkg
        .sources_with_extension("less")
        .filter(|(f, _)| !f.starts_with("node_modules/"))
        .filter(|(f, _)| pkg.source(&wxss_twin(f)).is_none())
        .map(|(f, s)| (f.to_string(), s.to_string()))
        .collect();
    if todo.is_empty() {
        return;
    }
    let readable: HashMap<String, String> = ["less", "wxss"]
        .iter()
        .flat_map(|ext| pkg.sources_with_extension(ext))
        .map(|(f, s)| (f.to_string(), s.to_string()))
        .collect();
    let compiler = match LessCompiler::new(Arc::new(readable)) {
        Ok(c) => c,
        Err(e) => {
            diags.push(Diagnostic::new(Level::Error, Code::StyleCompile, "project.config.json", e));
            return;
        }
    };
    let mut imported = BTreeSet::new();
    let mut failed = Vec::new();
    let mut compiled = Vec::new();
    for (file, src) in &todo {
        match compiler.compile(file, src) {
            Ok(out) => {
                imported.extend(out.imports);
                compiled.push((wxss_twin(file), file.clone(), out.css));
            }
            Err(e) => failed.push((file.clone(), e)),
        }
    }
    for (file, e) in failed {
        if imported.contains(&file) {
            continue;
        }
        let mut d = Diagnostic::new(
            Level::Error,
            Code::StyleCompile,
            e.file.clone(),
            if e.file == file {
                format!("LESS: {}", e.message)
            } else {
                format!("LESS: {} (while compiling {file})", e.message)
            },
        );
        if let (Some(line), Some(column)) = (e.line, e.column) {
            d = d.at(line, column);
        }
        diags.push(d);
    }
    for (target, original, css) in compiled {
        pkg.set_compiled_source(&target, original, css, PositionMap::default());
    }
}

/// `a/b.less` → `a/b.wxss`.
fn wxss_twin(file: &str) -> String {
    format!("{}.wxss", file.strip_suffix(".less").unwrap_or(file))
}
