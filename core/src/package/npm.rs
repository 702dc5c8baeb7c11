//! DevTools' "build npm": the npm packages a project depends on, taken from `node_modules/` as
//! `miniprogram_npm/<name>/`, so a project runs right after `npm install`.
//!
//! For each package in `package.json` `dependencies` and each `app.json` `useExtendedLib`
//! library (`weui`: the `weui-miniprogram` package), and transitively their dependencies, that the
//! project has not built itself (no `miniprogram_npm/<name>/` in the package): a component
//! library (`miniprogram` field in its `package.json`, or a `miniprogram_dist/` folder) gives
//! that folder; any other package gives its files, with `index.js` requiring its `main` when
//! `main` is elsewhere. A dependency that is not installed is a warning naming the command that
//! installs it. Packages come from the root's `package.json` and `node_modules/`, or, when the
//! project file says `packNpmManually`, from each `packNpmRelationList` entry: a `package.json`
//! anywhere in the project folder (often above a `miniprogramRoot`), built into the folder its
//! `miniprogramNpmDistDir` names, as DevTools does. Runs once, when a directory package opens.

use std::collections::{BTreeSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::project::{Located, FILE};
use super::{PackageError, Walk};
use crate::diagnostic::{Code, Level};

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// `app.json` `useExtendedLib`: libraries DevTools supplies itself, by their npm names.
fn extended_libs(root: &Path) -> Vec<String> {
    let app = read_json(&root.join("app.json"));
    let libs = app.as_ref().and_then(|a| a.get("useExtendedLib")).and_then(Value::as_object);
    let wanted = |v: &Value| !matches!(v, Value::Bool(false) | Value::Null);
    libs.into_iter()
        .flatten()
        .filter(|(_, v)| wanted(v))
        .filter_map(|(name, _)| EXTENDED_LIBS.iter().find(|(lib, _)| lib == name))
        .map(|(_, npm)| npm.to_string())
        .collect()
}

/// `useExtendedLib` names and the npm packages that hold them.
const EXTENDED_LIBS: &[(&str, &str)] = &[("weui", "weui-miniprogram")];

fn dependencies(manifest: &Value) -> Vec<String> {
    manifest
        .get("dependencies")
        .and_then(Value::as_object)
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

/// Where "build npm" reads packages and where it puts them.
struct NpmSource {
    /// The folder holding `package.json` and `node_modules/`.
    dir: PathBuf,
    /// That `package.json` as diagnostics name it.
    manifest: String,
    /// The package path of the folder that receives `miniprogram_npm/` (`""`: the root, else
    /// ending in `/`).
    into: String,
}

/// The root's own `package.json`, or with `packNpmManually` each `packNpmRelationList` entry
/// (paths from the project folder; a `package.json` inside it, a destination inside the
/// package); an entry that is not so is a warning and skipped.
fn npm_sources(walk: &mut Walk<'_>, located: &Located) -> Vec<NpmSource> {
    let root = &located.root;
    let Some(relations) = located.config.as_ref().and_then(|c| c.npm_relations()) else {
        return vec![NpmSource {
            dir: root.clone(),
            manifest: "package.json".into(),
            into: String::new(),
        }];
    };
    let project = &located.project_dir;
    let mut sources = Vec::new();
    for (i, (manifest, dist)) in relations.into_iter().enumerate() {
        let entry = format!("setting.packNpmRelationList[{i}]");
        let manifest_file =
            manifest.as_deref().and_then(|m| fs::canonicalize(project.join(m)).ok());
        let Some(manifest_file) = manifest_file.filter(|m| m.starts_with(project) && m.is_file())
        else {
            let msg = format!(
                "{entry}.packageJsonPath ({}) names no package.json in the project folder: \
                 give its path from the folder holding project.config.json",
                manifest.as_deref().unwrap_or("missing")
            );
            walk.warn(Level::Warn, Code::JsonField, FILE, msg);
            continue;
        };
        let into = dist.as_deref().and_then(|d| fs::canonicalize(project.join(d)).ok());
        let Some(into) = into.and_then(|d| d.strip_prefix(root).ok().map(Path::to_path_buf)) else {
            let msg = format!(
                "{entry}.miniprogramNpmDistDir ({}) is not the mini program's folder or a folder \
                 in it: give the folder that should receive miniprogram_npm/",
                dist.as_deref().unwrap_or("missing")
            );
            walk.warn(Level::Warn, Code::JsonField, FILE, msg);
            continue;
        };
        let into = into.to_string_lossy().replace('\\', "/");
        sources.push(NpmSource {
            dir: manifest_file.parent().unwrap_or(project).to_path_buf(),
            manifest: manifest.unwrap_or_default(),
            into: if into.is_empty() { into } else { format!("{into}/") },
        });
    }
    sources
}

/// Adds the project's npm dependencies as `miniprogram_npm/` (see the module docs).
pub(super) fn build_npm(walk: &mut Walk<'_>, located: &Located) -> Result<(), PackageError> {
    let mut extended = extended_libs(&located.root);
    for source in npm_sources(walk, located) {
        let project = read_json(&source.dir.join("package.json"));
        let mut queue: VecDeque<String> =
            project.as_ref().map(dependencies).unwrap_or_default().into();
        // DevTools supplies these itself: taken from the first place packages come from
        queue.extend(extended.drain(..));
        build_from(walk, &source, queue)?;
    }
    Ok(())
}

/// Builds the packages in `queue` and their dependencies from one source.
fn build_from(
    walk: &mut Walk<'_>,
    source: &NpmSource,
    mut queue: VecDeque<String>,
) -> Result<(), PackageError> {
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) || name.split('/').any(|s| s.is_empty() || s == "..") {
            continue;
        }
        let target = format!("{}miniprogram_npm/{name}", source.into);
        let prefix = format!("{target}/");
        if walk.pkg.files().any(|f| f.starts_with(&prefix)) {
            continue; // built by the developer (DevTools' "build npm"): theirs wins
        }
        let dir = source.dir.join("node_modules").join(&name);
        let Some(manifest) = read_json(&dir.join("package.json")) else {
            let place = if source.into.is_empty() && source.manifest == "package.json" {
                "the project folder".to_string()
            } else {
                format!("the folder of {}", source.manifest)
            };
            walk.warn(
                Level::Warn,
                Code::NpmNotInstalled,
                &source.manifest,
                format!("dependency `{name}` is not installed: run `npm install {name}` in {place} (or build npm in WeChat DevTools)"),
            );
            continue;
        };
        let component_dir = manifest
            .get("miniprogram")
            .and_then(Value::as_str)
            .map(|d| d.trim_matches('/').to_string())
            .or_else(|| dir.join("miniprogram_dist").is_dir().then(|| "miniprogram_dist".into()));
        let is_component_lib = component_dir.is_some();
        let source = component_dir.map_or_else(|| dir.clone(), |sub| dir.join(sub));
        // its assets are read from there later (`Package::read_asset`)
        if let Ok(real) = std::fs::canonicalize(&source) {
            walk.pkg.mounts.insert(prefix.clone(), real);
        }
        walk.dir(&source, &target)?;
        if !is_component_lib {
            let main = manifest.get("main").and_then(Value::as_str).unwrap_or("index.js");
            let main = main.trim_start_matches("./");
            if main != "index.js" && !walk.pkg.contains(&format!("{target}/index.js")) {
                let shim = format!("module.exports = require('./{main}')\n");
                walk.pkg.set_source(&format!("{target}/index.js"), shim);
            }
        }
        queue.extend(dependencies(&manifest));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::package::Package;

    /// Writes `text` at `path` under `root`, making its folders.
    fn write(root: &std::path::Path, path: &str, text: &str) -> std::io::Result<()> {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(root))?;
        std::fs::write(path, text)
    }

    #[test]
    fn packages_beside_a_miniprogram_root_are_built_as_the_project_file_says(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let w = |p: &str, s: &str| write(dir.path(), p, s);
        w(
            "project.config.json",
            r#"{"miniprogramRoot":"miniprogram/","setting":{"packNpmManually":true,
               "packNpmRelationList":[
                 {"packageJsonPath":"./package.json","miniprogramNpmDistDir":"./miniprogram/"},
                 {"packageJsonPath":"./tools/package.json","miniprogramNpmDistDir":"./miniprogram/lib/"},
                 {"packageJsonPath":"../outside/package.json","miniprogramNpmDistDir":"./miniprogram/"},
                 {"packageJsonPath":"./package.json","miniprogramNpmDistDir":"./"}]}}"#,
        )?;
        w("miniprogram/app.json", r#"{"pages":[]}"#)?;
        w("miniprogram/lib/x.js", "")?;
        w("package.json", r#"{"dependencies":{"store":"1"}}"#)?;
        w("node_modules/store/package.json", r#"{"main":"dist/store.js"}"#)?;
        w("node_modules/store/dist/store.js", "module.exports = 1")?;
        w("tools/package.json", r#"{"dependencies":{"fmt":"1"}}"#)?;
        w("tools/node_modules/fmt/index.js", "module.exports = 2")?;
        w("tools/node_modules/fmt/package.json", "{}")?;
        let pkg = Package::open_dir(dir.path())?;
        let built: Vec<&str> = pkg.files().filter(|f| f.contains("miniprogram_npm")).collect();
        assert_eq!(
            built,
            [
                "lib/miniprogram_npm/fmt/index.js",
                "lib/miniprogram_npm/fmt/package.json",
                "miniprogram_npm/store/dist/store.js",
                "miniprogram_npm/store/index.js",
                "miniprogram_npm/store/package.json",
            ]
        );
        // the two entries that leave the project folder or the mini program are named
        let d = pkg.diagnostics().to_string();
        assert!(
            d.contains("packNpmRelationList[2].packageJsonPath (../outside/package.json)"),
            "{d}"
        );
        assert!(d.contains("packNpmRelationList[3].miniprogramNpmDistDir (./)"), "{d}");
        Ok(())
    }

    #[test]
    fn dependencies_become_miniprogram_npm() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let w = |p: &str, s: &str| write(dir.path(), p, s);
        w("app.json", r#"{"useExtendedLib":{"weui":true}}"#)?;
        w("package.json", r#"{"dependencies":{"ui-lib":"1","util-lib":"1","missing":"1"}}"#)?;
        w(
            "node_modules/ui-lib/package.json",
            r#"{"miniprogram":"dist","dependencies":{"dep":"1"}}"#,
        )?;
        w("node_modules/ui-lib/dist/button/index.js", "Component({})")?;
        w("node_modules/ui-lib/dist/button/icon.png", "PNG")?;
        w("node_modules/ui-lib/src/button/index.ts", "Component({})")?;
        w("node_modules/util-lib/package.json", r#"{"main":"lib/main.js"}"#)?;
        w("node_modules/util-lib/lib/main.js", "module.exports = 1")?;
        w("node_modules/dep/package.json", "{}")?;
        w("node_modules/dep/index.js", "module.exports = 2")?;
        let pkg = Package::open_dir(dir.path())?;
        let files: Vec<&str> = pkg.files().filter(|f| f.starts_with("miniprogram_npm")).collect();
        assert_eq!(
            files,
            [
                "miniprogram_npm/dep/index.js",
                "miniprogram_npm/dep/package.json",
                "miniprogram_npm/ui-lib/button/icon.png",
                "miniprogram_npm/ui-lib/button/index.js",
                "miniprogram_npm/util-lib/index.js",
                "miniprogram_npm/util-lib/lib/main.js",
                "miniprogram_npm/util-lib/package.json",
            ]
        );
        assert_eq!(
            pkg.source("miniprogram_npm/util-lib/index.js"),
            Some("module.exports = require('./lib/main.js')\n")
        );
        // an asset of a built package is read from where npm put it (and so it packs)
        assert_eq!(pkg.read_asset("miniprogram_npm/ui-lib/button/icon.png")?, b"PNG");
        assert!(pkg.read_asset("miniprogram_npm/ui-lib/../../../etc/passwd").is_err());
        let d = pkg.diagnostics().to_string();
        assert!(
            d.contains("dependency `missing` is not installed: run `npm install missing`"),
            "{d}"
        );
        assert!(d.contains("dependency `weui-miniprogram` is not installed"), "{d}");
        Ok(())
    }
}
