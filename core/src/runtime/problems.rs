//! Package problems traced to the pages they break.
//!
//! A broken file blocks only what uses it, as DevTools reports and runs: the package opens when
//! only pages or components have errors (only fatal problems — no usable `app.json`, no
//! `app.js` — refuse it). Each page's files are its own and its components' (`usingComponents`,
//! transitively) `.js`/`.json`/`.wxml`/`.wxss`, the templates and WXS modules those `.wxml`
//! import, include or require, and `app.json`/`app.wxss`. When a page first opens, the errors
//! in its files are reported as the app's errors, each once. Logic thread.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::config::AppManifest;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Every diagnostic found loading the package so far, and what each template depends on.
#[derive(Debug, Default)]
pub struct PackageProblems {
    diagnostics: Diagnostics,
    template_deps: BTreeMap<String, Vec<String>>,
    reported: HashSet<usize>,
}

impl PackageProblems {
    /// Starts with the load-time diagnostics and the main package's template dependencies.
    pub fn new(diagnostics: Diagnostics, template_deps: BTreeMap<String, Vec<String>>) -> Self {
        PackageProblems { diagnostics, template_deps, reported: HashSet::new() }
    }

    /// Adds what compiling more of the package (a subpackage) found.
    pub fn add(&mut self, diagnostics: Diagnostics, template_deps: BTreeMap<String, Vec<String>>) {
        self.diagnostics.extend(diagnostics);
        self.template_deps.extend(template_deps);
    }

    /// Every diagnostic so far.
    pub fn all(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// The errors in the files page `route` uses that were not reported yet; they count as
    /// reported from now on.
    pub fn take_for_page(&mut self, manifest: &AppManifest, route: &str) -> Vec<Diagnostic> {
        let found: Vec<(usize, Diagnostic)> = self
            .errors_of_page(manifest, route)
            .filter(|(i, _)| !self.reported.contains(i))
            .map(|(i, d)| (i, d.clone()))
            .collect();
        self.reported.extend(found.iter().map(|(i, _)| *i));
        found.into_iter().map(|(_, d)| d).collect()
    }

    /// Every error in the files page `route` uses, reported or not, with its index.
    pub fn errors_of_page<'a>(
        &'a self,
        manifest: &AppManifest,
        route: &str,
    ) -> impl Iterator<Item = (usize, &'a Diagnostic)> + 'a {
        let files = self.files_of_page(manifest, route);
        self.diagnostics
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.is_error() && files.contains(d.path.as_str()))
    }

    /// The package files page `route` depends on.
    pub fn files_of_page(&self, manifest: &AppManifest, route: &str) -> BTreeSet<String> {
        let mut files: BTreeSet<String> = ["app.json", "app.wxss"].map(String::from).into();
        let mut components = vec![route.to_string()];
        let mut seen = HashSet::new();
        while let Some(c) = components.pop() {
            if !seen.insert(c.clone()) {
                continue;
            }
            for ext in ["js", "ts", "json", "wxml", "wxss"] {
                files.insert(format!("{c}.{ext}"));
            }
            self.add_template_files(&format!("{c}.wxml"), &mut files);
            let using = manifest.components.get(&c).and_then(|e| e.json.get("usingComponents"));
            if let Some(using) = using.and_then(|u| u.as_object()) {
                let targets = using.values().filter_map(|t| t.as_str());
                components.extend(targets.map(|t| t.trim_start_matches('/').to_string()));
            }
        }
        files
    }

    fn add_template_files(&self, wxml: &str, files: &mut BTreeSet<String>) {
        let mut stack = vec![wxml.to_string()];
        while let Some(f) = stack.pop() {
            for dep in self.template_deps.get(&f).into_iter().flatten() {
                if files.insert(dep.clone()) {
                    stack.push(dep.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Level};
    use crate::package::Package;

    fn manifest(files: &[(&str, &str)]) -> AppManifest {
        let pkg = Package::from_sources(files.iter().map(|(p, s)| (p.to_string(), s.to_string())));
        AppManifest::load(&pkg, &mut Diagnostics::default()).expect("manifest")
    }

    #[test]
    fn a_problem_reaches_only_the_pages_using_the_file_and_only_once() {
        let m = manifest(&[
            ("app.json", r#"{"pages":["pages/a/a","pages/b/b"]}"#),
            ("app.js", "App({})"),
            ("pages/a/a.js", "Page({})"),
            ("pages/a/a.wxml", "<import src=\"/t/row.wxml\"/>"),
            ("pages/a/a.json", r#"{"usingComponents":{"c":"/comp/c"}}"#),
            ("pages/b/b.js", "Page({})"),
            ("pages/b/b.wxml", ""),
            ("comp/c.js", "Component({})"),
            ("comp/c.json", r#"{"component":true}"#),
        ]);
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::new(Level::Error, Code::TemplateSyntax, "t/row.wxml", "bad row"));
        diags.push(Diagnostic::new(Level::Error, Code::TemplateSyntax, "comp/c.wxml", "bad c"));
        diags.push(Diagnostic::new(Level::Warn, Code::TemplateSyntax, "pages/b/b.wxml", "meh"));
        let deps = BTreeMap::from([("pages/a/a.wxml".to_string(), vec!["t/row.wxml".to_string()])]);
        let mut p = PackageProblems::new(diags, deps);
        assert!(p.take_for_page(&m, "pages/b/b").is_empty(), "warnings and other pages' files");
        let a: Vec<String> =
            p.take_for_page(&m, "pages/a/a").iter().map(|d| d.message.clone()).collect();
        assert_eq!(a, ["bad row", "bad c"]);
        assert!(p.take_for_page(&m, "pages/a/a").is_empty(), "each problem is reported once");
    }
}
