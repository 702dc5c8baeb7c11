//! DevTools' "build npm": the npm packages a project depends on, taken from `node_modules/` as
//! `miniprogram_npm/<name>/`, so a project runs right after `npm install`.
//!
//! For each package in `package.json` `dependencies` and each `app.json` `useExtendedLib`
//! library (`weui`: the `weui-miniprogram` package), and transitively their dependencies, that the
//! project has not built itself (no `miniprogram_npm/<name>/` in the package): a component
//! library (`miniprogram` field in its `package.json`, or a `miniprogram_dist/` folder) gives
//! that folder; any other package gives its files, with `index.js` requiring its `main` when
//! `main` is elsewhere. A dependency that is not installed is a warning naming the command that
//! installs it. Runs once, when a directory package opens.

use std::collections::{BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use serde_json::Value;

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

/// Adds the project's npm dependencies as `miniprogram_npm/` (see the module docs).
pub(super) fn build_npm(walk: &mut Walk<'_>, root: &Path) -> Result<(), PackageError> {
    let project = read_json(&root.join("package.json"));
    let mut queue: VecDeque<String> = project.as_ref().map(dependencies).unwrap_or_default().into();
    queue.extend(extended_libs(root));
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) || name.split('/').any(|s| s.is_empty() || s == "..") {
            continue;
        }
        let target = format!("miniprogram_npm/{name}");
        let prefix = format!("{target}/");
        if walk.pkg.files().any(|f| f.starts_with(&prefix)) {
            continue; // built by the developer (DevTools' "build npm"): theirs wins
        }
        let dir = root.join("node_modules").join(&name);
        let Some(manifest) = read_json(&dir.join("package.json")) else {
            walk.warn(
                Level::Warn,
                Code::NpmNotInstalled,
                "package.json",
                format!("dependency `{name}` is not installed: run `npm install {name}` in the project folder (or build npm in WeChat DevTools)"),
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

    #[test]
    fn dependencies_become_miniprogram_npm() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let w = |p: &str, s: &str| -> std::io::Result<()> {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))?;
            std::fs::write(path, s)
        };
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
