//! The developer tool's project file, `project.config.json` (with the per-developer
//! `project.private.config.json`, whose `setting` entries win): where the mini program lives
//! (`miniprogramRoot`), the app id, and the compile steps it asks for
//! (`setting.useCompilerPlugins`).
//!
//! A project may keep its mini program in a subfolder (`"miniprogramRoot": "miniprogram/"`, as
//! DevTools' TypeScript template does). [`locate`] takes the folder a user gives, either the
//! project folder or the mini-program folder itself, and finds both: the package root (the
//! folder with `app.json`) and the project file. A `miniprogramRoot` that leaves the project
//! folder is ignored. Plain data; any thread.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The project file's name.
pub const FILE: &str = "project.config.json";
/// The per-developer overrides beside it.
const PRIVATE_FILE: &str = "project.private.config.json";

/// A parsed project file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectConfig {
    raw: Value,
}

impl ProjectConfig {
    /// From the project file's text and, if present, the private overrides' text; `None` when
    /// the project file is not a JSON object.
    pub fn parse(text: &str, private: Option<&str>) -> Option<ProjectConfig> {
        let mut raw: Value = serde_json::from_str(text).ok().filter(Value::is_object)?;
        let overrides = private.and_then(|t| serde_json::from_str::<Value>(t).ok());
        if let Some(Value::Object(settings)) = overrides.as_ref().and_then(|o| o.get("setting")) {
            let target = raw
                .as_object_mut()
                .map(|o| o.entry("setting").or_insert_with(|| Value::Object(Default::default())));
            if let Some(Value::Object(target)) = target {
                for (k, v) in settings {
                    target.insert(k.clone(), v.clone());
                }
            }
        }
        Some(ProjectConfig { raw })
    }

    /// Reads the project file (and private overrides) in `dir`, if there is one.
    fn read(dir: &Path) -> Option<ProjectConfig> {
        let text = fs::read_to_string(dir.join(FILE)).ok()?;
        let private = fs::read_to_string(dir.join(PRIVATE_FILE)).ok();
        ProjectConfig::parse(&text, private.as_deref())
    }

    /// The settings as a project file for a package of their own (a packed archive): the
    /// text without `miniprogramRoot`, since the package is then its own root.
    pub fn to_root_text(&self) -> String {
        let mut raw = self.raw.clone();
        if let Some(o) = raw.as_object_mut() {
            o.remove("miniprogramRoot");
        }
        serde_json::to_string_pretty(&raw).unwrap_or_default()
    }

    /// `appid`, when set and not empty.
    pub fn app_id(&self) -> Option<&str> {
        self.raw.get("appid").and_then(Value::as_str).filter(|id| !id.is_empty())
    }

    /// `miniprogramRoot`, trimmed of `./` and `/`, when set and not empty.
    pub fn miniprogram_root(&self) -> Option<&str> {
        let root = self.raw.get("miniprogramRoot").and_then(Value::as_str)?;
        let root = root.trim_start_matches("./").trim_matches('/');
        (!root.is_empty() && root != ".").then_some(root)
    }

    /// The compiler plugins turned on (`setting.useCompilerPlugins`: names or
    /// `{"type": name}` objects; `false` or absent: none).
    pub fn compiler_plugins(&self) -> Vec<String> {
        let Some(Value::Array(list)) = self.raw.pointer("/setting/useCompilerPlugins") else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|p| p.as_str().or_else(|| p.get("type").and_then(Value::as_str)))
            .map(str::to_string)
            .collect()
    }

    /// `setting.packNpmRelationList` when `setting.packNpmManually` is on: each entry's
    /// `packageJsonPath` and `miniprogramNpmDistDir` as written (`None` where one is not a
    /// string); `None` when npm is built the default way (the root's own `package.json`).
    pub fn npm_relations(&self) -> Option<Vec<(Option<String>, Option<String>)>> {
        if self.raw.pointer("/setting/packNpmManually") != Some(&Value::Bool(true)) {
            return None;
        }
        let list = self.raw.pointer("/setting/packNpmRelationList")?.as_array()?;
        let text = |v: &Value, key| v.get(key).and_then(Value::as_str).map(str::to_string);
        Some(
            list.iter()
                .map(|r| (text(r, "packageJsonPath"), text(r, "miniprogramNpmDistDir")))
                .collect(),
        )
    }

    /// True when `setting.useCompilerPlugins` lists `name`.
    pub fn uses_plugin(&self, name: &str) -> bool {
        self.compiler_plugins().iter().any(|p| p == name)
    }
}

/// A project as found on disk (see [`locate`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The package root: the folder with `app.json`.
    pub root: PathBuf,
    /// The project file, when there is one.
    pub config: Option<ProjectConfig>,
    /// The folder holding the project file (the root when there is none): relative paths in
    /// the project file start there.
    pub project_dir: PathBuf,
}

/// The package root and project file for the folder a user gave (canonical `dir`): the folder
/// itself, or its `miniprogramRoot` when it has no `app.json` but a project file naming one;
/// for a mini-program folder without a project file, its parent's project file when that
/// names this folder as `miniprogramRoot`.
pub fn locate(dir: &Path) -> Located {
    let here = |config| Located { root: dir.to_path_buf(), config, project_dir: dir.to_path_buf() };
    if let Some(config) = ProjectConfig::read(dir) {
        let sub = config
            .miniprogram_root()
            .and_then(|r| fs::canonicalize(dir.join(r)).ok())
            .filter(|sub| sub.starts_with(dir) && sub.is_dir());
        return match sub {
            Some(sub) if !dir.join("app.json").exists() => {
                Located { root: sub, config: Some(config), project_dir: dir.to_path_buf() }
            }
            _ => here(Some(config)),
        };
    }
    let from_parent = dir.parent().and_then(|parent| {
        let config = ProjectConfig::read(parent)?;
        let sub = fs::canonicalize(parent.join(config.miniprogram_root()?)).ok()?;
        (sub == dir).then(|| (config, parent.to_path_buf()))
    });
    match from_parent {
        Some((config, parent)) => {
            Located { root: dir.to_path_buf(), config: Some(config), project_dir: parent }
        }
        None => here(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plugins_root_and_private_overrides() {
        let c = ProjectConfig::parse(
            r#"{"appid":"wx1","miniprogramRoot":"./miniprogram/","setting":{"useCompilerPlugins":["typescript",{"type":"less"}]}}"#,
            Some(r#"{"setting":{"urlCheck":false}}"#),
        )
        .expect("object");
        assert_eq!(c.app_id(), Some("wx1"));
        assert_eq!(c.miniprogram_root(), Some("miniprogram"));
        assert_eq!(c.compiler_plugins(), ["typescript", "less"]);
        assert!(c.uses_plugin("less") && !c.uses_plugin("sass"));
        let off = ProjectConfig::parse(r#"{"setting":{"useCompilerPlugins":false}}"#, None);
        assert_eq!(off.map(|c| c.compiler_plugins()), Some(vec![]));
    }

    #[test]
    fn finds_the_mini_program_from_either_folder() -> std::io::Result<()> {
        let project = std::env::temp_dir().join(format!("miniapp-project-{}", std::process::id()));
        let _ = fs::remove_dir_all(&project);
        fs::create_dir_all(project.join("miniprogram"))?;
        fs::write(project.join("miniprogram/app.json"), "{}")?;
        fs::write(project.join(FILE), r#"{"miniprogramRoot":"miniprogram/","appid":"wx2"}"#)?;
        let project = fs::canonicalize(&project)?;
        for given in [project.clone(), project.join("miniprogram")] {
            let found = locate(&given);
            assert_eq!(found.root, project.join("miniprogram"));
            assert_eq!(found.config.as_ref().and_then(ProjectConfig::app_id), Some("wx2"));
            assert_eq!(found.project_dir, project);
        }
        // A root outside the project is not followed.
        fs::write(project.join(FILE), r#"{"miniprogramRoot":"../elsewhere"}"#)?;
        assert_eq!(locate(&project).root, project);
        let _ = fs::remove_dir_all(&project);
        Ok(())
    }
}
