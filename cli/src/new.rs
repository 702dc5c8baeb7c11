//! `miniapp new <dir>`: writes a starter mini program (the files of `cli/starter/`, like the
//! developer tool's new-project template: an app, two pages, a custom component, a shared
//! module) so the first minutes need no hand-written files. Refuses a directory that is not
//! empty; never overwrites.

use std::path::Path;
use std::process::ExitCode;

/// The starter's files: package path and contents.
const STARTER: &[(&str, &str)] = &[
    ("app.js", include_str!("../starter/app.js")),
    ("app.json", include_str!("../starter/app.json")),
    ("app.wxss", include_str!("../starter/app.wxss")),
    ("components/counter/counter.js", include_str!("../starter/components/counter/counter.js")),
    ("components/counter/counter.json", include_str!("../starter/components/counter/counter.json")),
    ("components/counter/counter.wxml", include_str!("../starter/components/counter/counter.wxml")),
    ("components/counter/counter.wxss", include_str!("../starter/components/counter/counter.wxss")),
    ("pages/index/index.js", include_str!("../starter/pages/index/index.js")),
    ("pages/index/index.json", include_str!("../starter/pages/index/index.json")),
    ("pages/index/index.wxml", include_str!("../starter/pages/index/index.wxml")),
    ("pages/index/index.wxss", include_str!("../starter/pages/index/index.wxss")),
    ("pages/logs/logs.js", include_str!("../starter/pages/logs/logs.js")),
    ("pages/logs/logs.json", include_str!("../starter/pages/logs/logs.json")),
    ("pages/logs/logs.wxml", include_str!("../starter/pages/logs/logs.wxml")),
    ("pages/logs/logs.wxss", include_str!("../starter/pages/logs/logs.wxss")),
    ("project.config.json", include_str!("../starter/project.config.json")),
    ("sitemap.json", include_str!("../starter/sitemap.json")),
    ("utils/format.js", include_str!("../starter/utils/format.js")),
];

/// Project name placeholder in `project.config.json`.
const NAME_PLACEHOLDER: &str = "my-mini-program";

/// Runs it. Exit codes: 0 written; 1 a file could not be written; 64 `dir` exists and is not
/// empty.
pub fn new(dir: &Path) -> ExitCode {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!(
            "error: {} already exists and is not empty; give `miniapp new` a new directory",
            dir.display()
        );
        return ExitCode::from(64);
    }
    let name = dir.file_name().map_or_else(|| NAME_PLACEHOLDER.into(), |n| n.to_string_lossy());
    for (path, text) in STARTER {
        let target = dir.join(path);
        let text = if *path == "project.config.json" {
            text.replace(NAME_PLACEHOLDER, &name)
        } else {
            (*text).to_string()
        };
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, text));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", target.display());
            return ExitCode::from(1);
        }
    }
    let shown = dir.display();
    crate::out(&format!(
        "created {shown} ({} files)\n\nnext:\n  miniapp run {shown} --tap '#add' --tap '.task[data-id=2]'\n  \
         miniapp check {shown}\n  \
         or open {shown} in WeChat DevTools: it is an ordinary mini-program project\n",
        STARTER.len()
    ));
    ExitCode::SUCCESS
}
