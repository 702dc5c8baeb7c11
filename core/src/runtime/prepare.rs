//! Preparing a package: everything opening an app computes before any script runs — DevTools'
//! compile step (scripts, LESS/Sass), `app.json` and every page/component config, the main
//! package's templates and WXS, and the style sheets — with every problem as a diagnostic.
//!
//! [`prepare`] is a pure function of the package (no files, no clock), so it is also what the
//! fuzz targets drive (`fuzz/`): whatever bytes a package holds, it returns. A package opened
//! from a packed archive with a compiled section skips the compile step: [`precompile`] made
//! that section when the archive was packed (`miniapp pack`), with the same results and
//! problems, plus QuickJS bytecode of every module and template group.
//! Any thread; the template compiler runs on a thread of its own (see [`compile_templates_where`]).

#[cfg(feature = "compiler")]
use std::collections::BTreeMap;

#[cfg(feature = "compiler")]
use crate::compile::group_order;
use crate::compile::{compile_templates, compile_templates_where, CompiledTemplates};
use crate::config::{AppManifest, ComponentEntry};
use crate::diagnostic::Diagnostics;
use crate::engine::bytecode;
#[cfg(feature = "compiler")]
use crate::engine::bytecode::SourceText;
#[cfg(feature = "compiler")]
use crate::engine::{Engine, Limits};
use crate::package::precompiled::Precompiled;
#[cfg(feature = "compiler")]
use crate::package::precompiled::{CompiledFile, SectionBytes, TemplateGroup};
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

/// Compiles what the app needs before it starts (or takes it from the package's compiled
/// section).
pub fn prepare(mut package: Package) -> Prepared {
    let mut diags = package.diagnostics().clone();
    let mut pre = package.precompiled_shared();
    if let Some(foreign) =
        pre.as_ref().filter(|p| p.bytecode_trusted && p.engine != bytecode::ENGINE)
    {
        // bytecode of another engine is not read at all
        let text_only = Precompiled { bytecode_trusted: false, ..(**foreign).clone() };
        package.set_precompiled(Some(text_only));
        pre = package.precompiled_shared();
    }
    match &pre {
        Some(pre) => {
            package.apply_compiled(&pre.files);
            diags.extend(pre.diagnostics.clone());
        }
        None => compile_step(&mut package, &mut diags),
    }
    let mut manifest = AppManifest::load(&package, &mut diags);
    if let (Some(m), Some(deferred)) = (&mut manifest, package.deferred_subpackages()) {
        // subpackages packed apart: their configurations come with the main archive
        let entries: Vec<ComponentEntry> =
            serde_json::from_value(deferred.components.clone()).unwrap_or_default();
        m.components.extend(entries.into_iter().map(|e| (e.path.clone(), e)));
        diags.extend(deferred.diagnostics.clone());
    }
    // Only the main package now; each subpackage on its first route (or preload).
    let templates = match (pre.as_ref().and_then(|p| p.template_group("")), &manifest) {
        (Some(group), _) => {
            diags.extend(group.diagnostics.clone());
            CompiledTemplates::from(group)
        }
        (None, Some(m)) => {
            compile_templates_where(&package, |f| m.file_in_package(f, None), &mut diags)
        }
        (None, None) => compile_templates(&package, &mut diags),
    };
    // Style problems are warnings: the app runs without the rules it cannot apply.
    let style_sheets = StyleSheets::load(&package, &mut diags);
    Prepared { package, diagnostics: diags, manifest, templates, style_sheets }
}

/// DevTools' compile step: TypeScript and ES modules to CommonJS, LESS and Sass to WXSS.
#[cfg(feature = "compiler")]
fn compile_step(package: &mut Package, diags: &mut Diagnostics) {
    crate::compile::script::compile_package_scripts(package, diags);
    crate::compile::styles::compile_package_styles(package, diags);
}

/// Without the compilers the package is refused when its templates are (see
/// [`crate::compile::NO_COMPILER`]).
#[cfg(not(feature = "compiler"))]
fn compile_step(_package: &mut Package, _diags: &mut Diagnostics) {}

/// The file name a template group's stacks give: the main package's, or subpackage `root`'s.
pub fn templates_file(root: &str) -> String {
    if root.is_empty() {
        "miniapp:templates".to_string()
    } else {
        format!("miniapp:templates/{root}")
    }
}

/// What [`prepare`] and the first route into each subpackage would compile, done once for a
/// packed archive (`miniapp pack`): the compile step's files and problems, the template group
/// of the main package and of every subpackage, and bytecode of every module that parses and
/// of every template group. Deterministic.
#[cfg(feature = "compiler")]
pub fn precompile(package: &Package) -> Result<Precompiled, String> {
    let mut compiled = package.clone();
    let mut diagnostics = Diagnostics::default();
    compile_step(&mut compiled, &mut diagnostics);
    let files: BTreeMap<String, CompiledFile> = compiled
        .sources()
        .filter(|(path, code)| package.source(path) != Some(*code))
        .map(|(path, code)| {
            let from = compiled.compiled_entry(path).cloned();
            (path.to_string(), CompiledFile { code: code.to_string(), from })
        })
        .collect();
    let manifest = AppManifest::load(&compiled, &mut Diagnostics::default());
    let mut templates = BTreeMap::new();
    let mut group_of = |root: &str, include: &(dyn Fn(&str) -> bool + Sync)| {
        let mut d = Diagnostics::default();
        let t = compile_templates_where(&compiled, include, &mut d);
        let group = TemplateGroup {
            group_js: group_order::canonical(&t.group_js),
            paths: t.paths,
            deps: t.deps,
            diagnostics: d,
            bytecode: None,
        };
        templates.insert(root.to_string(), group);
    };
    match &manifest {
        Some(m) => {
            group_of("", &|f| m.file_in_package(f, None));
            for sub in &m.app.subpackages {
                group_of(&sub.root, &|f| m.file_in_package(f, Some(&sub.root)));
            }
        }
        None => group_of("", &|_| true),
    }
    let engine = Engine::new(Limits::default(), None).map_err(|e| e.to_string())?;
    let modules = engine.with(|ctx| {
        for (root, group) in &mut templates {
            // a group that does not parse fails where it is used, from its text
            group.bytecode =
                bytecode::script(&ctx, &templates_file(root), &group.group_js, SourceText::Strip)
                    .ok()
                    .map(SectionBytes::new);
        }
        compiled
            .sources_with_extension("js")
            .filter_map(|(path, src)| {
                let bytes = bytecode::module(&ctx, path, src).ok()?;
                Some((path.to_string(), SectionBytes::new(bytes)))
            })
            .collect()
    });
    Ok(Precompiled {
        engine: bytecode::ENGINE.to_string(),
        diagnostics,
        files,
        templates,
        deferred: None,
        modules,
        bytecode_trusted: false,
    })
}

/// [`precompile`] for `miniapp pack --split-subpackages`: the section also says what opening
/// the app needs of every subpackage before its archive arrives (see `package::split`).
#[cfg(feature = "compiler")]
pub fn precompile_split(package: &Package) -> Result<Precompiled, String> {
    let mut pre = precompile(package)?;
    let mut compiled = package.clone();
    compiled.apply_compiled(&pre.files);
    let mut all_diags = Diagnostics::default();
    let Some(all) = AppManifest::load(&compiled, &mut all_diags) else { return Ok(pre) };
    let roots: Vec<String> = all.app.subpackages.iter().map(|s| s.root.clone()).collect();
    if roots.is_empty() {
        return Err("app.json has no subpackages to pack apart".to_string());
    }
    let mut main_diags = Diagnostics::default();
    let apart = |root: &str| roots.iter().any(|r| r == root);
    let main = AppManifest::load_without(&compiled, &mut main_diags, &apart);
    let main_keys: std::collections::BTreeSet<&String> =
        main.as_ref().map(|m| m.components.keys().collect()).unwrap_or_default();
    let components: Vec<&ComponentEntry> =
        all.components.iter().filter(|(k, _)| !main_keys.contains(k)).map(|(_, e)| e).collect();
    let seen: std::collections::BTreeSet<String> =
        main_diags.iter().map(ToString::to_string).collect();
    let diagnostics = all_diags.take_where(|d| !seen.contains(&d.to_string()));
    pre.deferred = Some(crate::package::precompiled::DeferredSubpackages {
        roots,
        components: serde_json::to_value(components).map_err(|e| e.to_string())?,
        diagnostics,
    });
    Ok(pre)
}

#[cfg(all(test, feature = "compiler"))]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::package::signing::SecretKey;
    use crate::{AppInstance, InstanceConfig};

    /// TypeScript, an ES module, WXS, a binding map, a subpackage and a page that throws.
    fn app() -> Package {
        Package::from_sources([
            ("project.config.json", r#"{"setting":{"useCompilerPlugins":["typescript"]}}"#),
            (
                "app.json",
                r#"{"pages":["pages/index/index","pages/bad/bad"],
                    "subpackages":[{"root":"sub","pages":["p/p"]}]}"#,
            ),
            ("app.js", "App({})"),
            ("utils/fmt.js", "export function twice(n) { return n * 2 }"),
            (
                "pages/index/index.ts",
                "import { twice } from '../../utils/fmt'\nconst n: number = twice(21)\nPage({ data: { n, title: 'hi', tags: ['a', 'b'] } })",
            ),
            (
                "pages/index/index.wxml",
                r#"<wxs module="m">module.exports = { up: function (s) { return s.toUpperCase() } }</wxs>
<view id="n">{{n}} {{m.up(title)}}</view><view wx:for="{{tags}}" class="tag">{{item}}</view>"#,
            ),
            ("pages/bad/bad.js", "Page({\n  onLoad() {\n    null.x\n  }\n})"),
            ("pages/bad/bad.wxml", "<view>bad</view>"),
            ("sub/p/p.js", "Page({ data: { where: 'sub' } })"),
            ("sub/p/p.wxml", "<view id=\"w\">{{where}}</view>"),
        ])
    }

    /// Opens `pkg` at `url` and returns its tree and its errors.
    fn run(pkg: Package, url: &str) -> (String, Vec<String>) {
        let mut app = AppInstance::open(pkg, InstanceConfig::default()).expect("opens");
        let _ = app.launch(Some(url), 1001);
        let errors =
            app.errors().iter().map(|e| format!("{} at {:?}", e.error, e.error.location)).collect();
        (app.dump_text().expect("tree"), errors)
    }

    /// The package as it opens from a packed archive with this compiled section.
    fn packed(pre: Precompiled, trusted: bool) -> Package {
        let mut pkg = app();
        pkg.set_precompiled(Some(Precompiled { bytecode_trusted: trusted, ..pre }));
        pkg
    }

    #[test]
    fn a_compiled_package_runs_as_its_sources_do() {
        let pre = precompile(&app()).expect("compiles");
        assert_eq!(pre.engine, bytecode::ENGINE);
        assert!(
            pre.files.contains_key("pages/index/index.js")
                && pre.files.contains_key("utils/fmt.js")
        );
        assert_eq!(pre.templates.keys().collect::<Vec<_>>(), ["", "sub"]);
        assert!(pre.templates.values().all(|g| g.bytecode.is_some()));
        assert_eq!(pre.modules.len(), 5, "{:?}", pre.modules.keys().collect::<Vec<_>>());
        for url in ["pages/index/index", "sub/p/p", "pages/bad/bad"] {
            let from_source = run(app(), url);
            assert_eq!(run(packed(pre.clone(), true), url), from_source, "{url} from bytecode");
            assert_eq!(run(packed(pre.clone(), false), url), from_source, "{url} from text");
        }
        let (tree, _) = run(packed(pre.clone(), true), "pages/index/index");
        assert!(tree.contains("\"42 HI\""), "{tree}");
        // a module run from bytecode still throws at its own file and line
        let (_, errors) = run(packed(pre, true), "pages/bad/bad");
        assert!(errors.iter().any(|e| e.contains("pages/bad/bad.js\", 3,")), "{errors:?}");
    }

    #[test]
    fn an_archive_open_uses_the_compiled_section_instead_of_compiling() {
        let mut pre = precompile(&app()).expect("compiles");
        let main = pre.templates.get_mut("").expect("main group");
        main.group_js = main.group_js.replace("toUpperCase", "toLowerCase");
        main.bytecode = None;
        let (tree, _) = run(packed(pre, false), "pages/index/index");
        assert!(
            tree.contains("\"42 hi\""),
            "the section's templates, not a compile of the WXML: {tree}"
        );
    }

    #[test]
    fn bytecode_of_another_engine_is_never_read() {
        let mut pre = precompile(&app()).expect("compiles");
        pre.engine = "some-other-engine/1.0".into();
        for b in pre.modules.values_mut() {
            *b = SectionBytes::new(vec![0xff; 64]);
        }
        for g in pre.templates.values_mut() {
            g.bytecode = Some(SectionBytes::new(vec![0xff; 64]));
        }
        let (tree, errors) = run(packed(pre, true), "pages/index/index");
        assert!(tree.contains("\"42 HI\"") && errors.is_empty(), "{tree} {errors:?}");
    }

    #[test]
    fn packing_a_compiled_package_is_deterministic() {
        let key = SecretKey::generate().expect("key");
        let pack = || {
            let pre = precompile(&app()).expect("compiles");
            crate::package::packed::pack_compiled(&app(), "1.0.0", Some(&key), &pre).expect("packs")
        };
        let first = pack();
        for _ in 0..3 {
            assert!(pack() == first, "the same package packs to the same bytes");
        }
    }
}

#[cfg(all(test, not(feature = "compiler")))]
mod without_compilers {
    use super::*;

    #[test]
    fn a_source_package_is_refused_by_name() {
        let pkg = Package::from_sources([
            ("app.json", r#"{"pages":["p/i"]}"#),
            ("app.js", "App({})"),
            ("p/i.js", "Page({})"),
            ("p/i.wxml", "<view>hi</view>"),
        ]);
        let prepared = prepare(pkg);
        assert!(prepared.diagnostics.has_fatal());
        let text = prepared.diagnostics.iter().map(ToString::to_string).collect::<String>();
        assert!(text.contains("pack the project with `miniapp pack`"), "{text}");
        let err = crate::AppInstance::open(prepared.package, crate::InstanceConfig::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("no compilers"), "{err}");
    }
}
