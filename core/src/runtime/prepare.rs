//! Preparing a package: everything opening an app computes before any script runs — DevTools'
//! compile step (scripts, LESS/Sass), `app.json` and every page/component config, the main
//! package's templates and WXS, and the style sheets — with every problem as a diagnostic.
//!
//! [`prepare`] is a pure function of the package (no engine, no files, no clock), so it is also
//! what the fuzz targets drive (`fuzz/`): whatever bytes a package holds, it returns.
//! Any thread; the template compiler runs on a thread of its own (see [`compile_templates_where`]).

use crate::compile::{compile_templates, compile_templates_where, CompiledTemplates};
use crate::config::AppManifest;
use crate::diagnostic::Diagnostics;
use crate::package::Package;
use crate::style::StyleSheets;

/// A package with its compiled parts.
#[derive(Debug)]
pub struct Prepared {
    /// The package, with its compiled scripts and styles set.
    pub package: Package,
    /// Every problem found, the package's own loading problems first.
    pub diagnostics: Diagnostics,
    /// `app.json` and the configs it leads to; `None` when `app.json` is missing or broken.
    pub manifest: Option<AppManifest>,
    /// The main package's templates (every template when there is no manifest).
    pub templates: CompiledTemplates,
    /// The package's WXSS, parsed.
    pub style_sheets: StyleSheets,
}

/// Compiles what the app needs before it starts.
pub fn prepare(mut package: Package) -> Prepared {
    let mut diags = package.diagnostics().clone();
    crate::compile::script::compile_package_scripts(&mut package, &mut diags);
    crate::compile::styles::compile_package_styles(&mut package, &mut diags);
    let manifest = AppManifest::load(&package, &mut diags);
    // Only the main package now; each subpackage on its first route (or preload).
    let templates = match &manifest {
        Some(m) => compile_templates_where(&package, |f| m.file_in_package(f, None), &mut diags),
        None => compile_templates(&package, &mut diags),
    };
    // Style problems are warnings: the app runs without the rules it cannot apply.
    let style_sheets = StyleSheets::load(&package, &mut diags);
    Prepared { package, diagnostics: diags, manifest, templates, style_sheets }
}
