//! DevTools' compile step for stylesheets: with `"useCompilerPlugins": ["less"]` in
//! `project.config.json` (`setting`), every `x.less` with no `x.wxss` beside it is compiled
//! with LESS (the npm compiler DevTools uses, run by [`crate::engine::less`]) and serves as
//! `x.wxss`, so pages, components and `app.less` get their styles as in DevTools. With
//! `"sass"`, every `x.scss` (partials `_x.scss` excepted) is compiled the same way with grass,
//! a Rust implementation of Dart Sass, reading `@use`/`@import` targets from the package only.
//! `rpx` and WXSS selectors pass through. `@import` resolves inside the package.
//!
//! A file that does not compile is an error at the place LESS names, unless another `.less`
//! imports it: partials (variables, mixins) are compiled as part of what imports them, and
//! alone they may refer to what only their importer defines. Without the plugin, `.less` files
//! are left alone, as DevTools leaves them (the compatibility report says so). Runs when a
//! package opens; one thread.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::engine::less::LessCompiler;
use crate::package::positions::PositionMap;
use crate::package::Package;

/// Compiles the package's `.less` and `.scss` files in place (see the module docs).
pub fn compile_package_styles(pkg: &mut Package, diags: &mut Diagnostics) {
    if pkg.project().is_some_and(|p| p.uses_plugin("sass")) {
        #[cfg(feature = "sass")]
        compile_scss(pkg, diags);
        #[cfg(not(feature = "sass"))]
        diags.push(Diagnostic::new(
            Level::Error,
            Code::StyleCompile,
            "project.config.json",
            "this build of the runtime has no Sass compiler (feature `sass`): compile the \
             .scss files before packaging",
        ));
    }
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

/// `a/b.less` (or `.scss`) → `a/b.wxss`.
fn wxss_twin(file: &str) -> String {
    let stem = file.strip_suffix(".less").or_else(|| file.strip_suffix(".scss")).unwrap_or(file);
    format!("{stem}.wxss")
}

#[cfg(feature = "sass")]
/// The package's sources as the file system grass reads (`/` is the package root; nothing
/// outside it exists).
#[derive(Debug)]
struct PackageFs(HashMap<std::path::PathBuf, String>);

#[cfg(feature = "sass")]
impl PackageFs {
    /// `path` with `.` and `..` resolved (never above the root).
    fn normal(path: &std::path::Path) -> std::path::PathBuf {
        let mut out = std::path::PathBuf::from("/");
        for c in path.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::Normal(n) => out.push(n),
                _ => {}
            }
        }
        out
    }
}

#[cfg(feature = "sass")]
impl grass::Fs for PackageFs {
    fn is_dir(&self, path: &std::path::Path) -> bool {
        let p = PackageFs::normal(path);
        self.0.keys().any(|k| k.starts_with(&p) && *k != p)
    }
    fn is_file(&self, path: &std::path::Path) -> bool {
        self.0.contains_key(&PackageFs::normal(path))
    }
    fn read(&self, path: &std::path::Path) -> std::io::Result<Vec<u8>> {
        self.0
            .get(&PackageFs::normal(path))
            .map(|s| s.clone().into_bytes())
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
    fn canonicalize(&self, path: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
        Ok(PackageFs::normal(path))
    }
}

#[cfg(feature = "sass")]
/// Compiles every non-partial `.scss` without a `.wxss` twin (see the module docs).
fn compile_scss(pkg: &mut Package, diags: &mut Diagnostics) {
    let is_partial = |f: &str| f.rsplit('/').next().is_some_and(|n| n.starts_with('_'));
    let mut todo: Vec<String> = pkg
        .sources_with_extension("scss")
        .map(|(f, _)| f.to_string())
        .filter(|f| !f.starts_with("node_modules/") && !is_partial(f))
        .filter(|f| pkg.source(&wxss_twin(f)).is_none())
        .collect();
    if todo.is_empty() {
        return;
    }
    let mut too_deep = BTreeSet::new();
    for (file, src) in pkg.sources_with_extension("scss") {
        if let Some((line, col)) = nested_too_deep(src, MAX_SASS_NESTING) {
            too_deep.insert(file.to_string());
            diags.push(
                Diagnostic::new(
                    Level::Error,
                    Code::StyleCompile,
                    file,
                    format!(
                        "Sass: parentheses nested more than {MAX_SASS_NESTING} deep (the Sass \
                         compiler takes time doubling with each level): compute part of the \
                         value in a variable (the pages using this file open without its styles)"
                    ),
                )
                .at(line, col),
            );
        }
    }
    // a file refused above reads as empty to the files importing it
    let files: HashMap<std::path::PathBuf, String> = ["scss", "css", "wxss"]
        .iter()
        .flat_map(|ext| pkg.sources_with_extension(ext))
        .map(|(f, s)| {
            let text =
                if too_deep.contains(f) { Cow::Borrowed("") } else { wxss_imports_as_css(f, s) };
            (std::path::Path::new("/").join(f), text.into_owned())
        })
        .collect();
    todo.retain(|f| !too_deep.contains(f));
    let fs = PackageFs(files);
    let options = grass::Options::default().fs(&fs).load_path("/");
    let mut compiled = Vec::new();
    for file in todo {
        // grass panics on some input (its source map slices inside a UTF-8 character while
        // formatting an error; found by the styles fuzz target): that file fails, not the app
        let path = std::path::Path::new("/").join(&file);
        match crate::compile::third_party(|| {
            grass::from_path(&path, &options).map_err(|e| e.to_string())
        }) {
            Some(Ok(css)) => compiled.push((wxss_twin(&file), file, css)),
            Some(Err(text)) => diags.push(scss_error(&file, &text)),
            None => diags.push(Diagnostic::new(
                Level::Error,
                Code::StyleCompile,
                file,
                "Sass: the Sass compiler failed on this file (an internal error): check its \
                 syntax near non-ASCII text (the pages using it open without its styles)",
            )),
        }
    }
    for (target, original, css) in compiled {
        pkg.set_compiled_source(&target, original, css, PositionMap::default());
    }
}

#[cfg(feature = "sass")]
/// A Sass file's `@import "x.wxss"` (a WXSS file, which Sass cannot read) as the plain CSS
/// import `@import url("/dir/x.wxss")`, which Sass leaves in its output for the WXSS loader,
/// the path made absolute from the file importing it (a partial's relative path would
/// otherwise be read from the file that imports the partial). Only `.scss` files change.
fn wxss_imports_as_css<'a>(file: &str, src: &'a str) -> Cow<'a, str> {
    if !file.ends_with(".scss") || !src.contains(".wxss") {
        return Cow::Borrowed(src);
    }
    let dir = crate::package::path::dir_of(file);
    let mut out = String::with_capacity(src.len() + 16);
    let mut rest = src;
    while let Some(at) = rest.find("@import") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "@import".len()..];
        let target = after.trim_start();
        let quote = target.chars().next().filter(|q| *q == '"' || *q == '\'');
        let end = quote.and_then(|q| target[1..].find(q).map(|e| e + 1));
        match (quote, end) {
            (Some(_), Some(end)) if target[1..end].ends_with(".wxss") => {
                let path = &target[1..end];
                let absolute = if path.starts_with('/') {
                    Some(path.to_string())
                } else {
                    crate::package::path::resolve(dir, path).ok().map(|p| format!("/{p}"))
                };
                match absolute {
                    Some(abs) => {
                        out.push_str(&format!("@import url(\"{abs}\")"));
                        rest = &target[end + 1..];
                    }
                    None => {
                        out.push_str("@import");
                        rest = after;
                    }
                }
            }
            _ => {
                out.push_str("@import");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(feature = "sass")]
/// The deepest `(`/`[` nesting a Sass file may have. grass reads a parenthesised expression as
/// a map first and again as a list when that fails, so each level can double the work: 24
/// levels of `(()` took 30 s (found by the styles fuzz target). Real stylesheets nest a few
/// levels; at this depth the worst shape found costs milliseconds.
const MAX_SASS_NESTING: usize = 12;

#[cfg(feature = "sass")]
/// The 1-based line and column of the first `(` or `[` nested deeper than `max` in Sass
/// source (strings and comments skipped), if any.
fn nested_too_deep(src: &str, max: usize) -> Option<(u32, u32)> {
    let (mut depth, mut line, mut col) = (0usize, 1u32, 0u32);
    let mut chars = src.chars().peekable();
    let mut quote = None;
    while let Some(c) = chars.next() {
        col += 1;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                col = 0;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\\') => {
                chars.next();
                col += 1;
            }
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '/') if chars.peek() == Some(&'/') => {
                while chars.peek().is_some_and(|n| *n != '\n') {
                    chars.next();
                }
            }
            (None, '/') if chars.peek() == Some(&'*') => {
                chars.next();
                col += 1;
                let mut star = false;
                for n in chars.by_ref() {
                    col += 1;
                    if n == '\n' {
                        line += 1;
                        col = 0;
                    }
                    if star && n == '/' {
                        break;
                    }
                    star = n == '*';
                }
            }
            (None, '(' | '[') => {
                depth += 1;
                if depth > max {
                    return Some((line, col));
                }
            }
            (None, ')' | ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(feature = "sass")]
/// A grass error as a diagnostic at the place it names (its last line reads
/// `/path.scss:3:7`).
fn scss_error(file: &str, text: &str) -> Diagnostic {
    let message = text.lines().next().unwrap_or(text).trim_start_matches("Error: ").to_string();
    let place = text.lines().rev().map(str::trim).find(|l| !l.is_empty()).and_then(|l| {
        let (rest, col) = l.rsplit_once(':')?;
        let (path, line) = rest.rsplit_once(':')?;
        Some((path.trim_start_matches('/').to_string(), line.parse().ok()?, col.parse().ok()?))
    });
    match place {
        Some((path, line, col)) if path.ends_with(".scss") => {
            let what = if path == file {
                format!("Sass: {message}")
            } else {
                format!("Sass: {message} (while compiling {file})")
            };
            Diagnostic::new(Level::Error, Code::StyleCompile, path, what).at(line, col)
        }
        _ => Diagnostic::new(Level::Error, Code::StyleCompile, file, format!("Sass: {message}")),
    }
}
