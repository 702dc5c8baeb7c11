//! Package-relative paths: normalisation and the escape check.
//!
//! Every path inside a package is stored as `a/b/c.ext`: `/`-separated, no leading `/`, no `.`
//! or `..` segments. [`resolve`] turns a reference written in a package file (relative to the
//! referring file's directory, or absolute from the package root when it starts with `/`) into
//! that form, and refuses anything that would leave the root.

use thiserror::Error;

/// A path that cannot name a file inside the package.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PathError {
    /// `..` climbs above the package root.
    #[error("`{0}` leaves the package root; paths must stay inside the mini-program directory")]
    Escapes(String),
    /// A platform-absolute path (`C:\…`, `\\server`) or a URL scheme.
    #[error("`{0}` is not a package path; use a path relative to the file or starting with `/` from the package root")]
    NotPackagePath(String),
    /// Empty or containing NUL.
    #[error("`{0}` is not a valid path")]
    Invalid(String),
}

/// The directory part of a package path (`pages/index/index.js` → `pages/index`).
pub fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Resolves `reference` against `base_dir` (a normalised package directory, `""` for the root).
///
/// A leading `/` means the package root. Backslashes are accepted as separators, as WeChat's
/// tools do on Windows.
pub fn resolve(base_dir: &str, reference: &str) -> Result<String, PathError> {
    if reference.is_empty() || reference.contains('\0') {
        return Err(PathError::Invalid(reference.to_string()));
    }
    let unified = reference.replace('\\', "/");
    let has_scheme = unified.split('/').next().is_some_and(|first| first.ends_with(':'));
    if has_scheme || unified.starts_with("//") {
        return Err(PathError::NotPackagePath(reference.to_string()));
    }
    let (start, rest) = match unified.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (base_dir, unified.as_str()),
    };
    let mut parts: Vec<&str> = start.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathError::Escapes(reference.to_string()));
                }
            }
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

/// Normalises a path that is already meant to be package-absolute (such as an `app.json`
/// `pages` entry), with or without a leading `/`.
pub fn normalize(path: &str) -> Result<String, PathError> {
    resolve("", path)
}

/// The `miniprogram_npm` folders searched for a bare module or component name used in
/// `dir`: `dir/miniprogram_npm`, then each parent's, up to the root's, nearest first.
pub fn npm_search_dirs(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut d = dir;
    loop {
        out.push(if d.is_empty() {
            "miniprogram_npm".to_string()
        } else {
            format!("{d}/miniprogram_npm")
        });
        if d.is_empty() {
            return out;
        }
        d = dir_of(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_absolute() {
        assert_eq!(resolve("pages/index", "../../utils/a.js").as_deref(), Ok("utils/a.js"));
        assert_eq!(resolve("pages/index", "./b").as_deref(), Ok("pages/index/b"));
        assert_eq!(resolve("pages/index", "/utils/x").as_deref(), Ok("utils/x"));
        assert_eq!(resolve("", "a\\b.js").as_deref(), Ok("a/b.js"));
    }

    #[test]
    fn refuses_escape_and_foreign_paths() {
        assert!(matches!(resolve("pages", "../../x"), Err(PathError::Escapes(_))));
        assert!(matches!(resolve("", "/../x"), Err(PathError::Escapes(_))));
        assert!(matches!(resolve("", "C:/x"), Err(PathError::NotPackagePath(_))));
        assert!(matches!(resolve("", "//host/x"), Err(PathError::NotPackagePath(_))));
        assert!(matches!(resolve("", "http://x/y"), Err(PathError::NotPackagePath(_))));
        assert!(matches!(resolve("", ""), Err(PathError::Invalid(_))));
    }

    #[test]
    fn npm_dirs_go_up_to_the_root() {
        assert_eq!(
            npm_search_dirs("pages/a"),
            ["pages/a/miniprogram_npm", "pages/miniprogram_npm", "miniprogram_npm"]
        );
        assert_eq!(npm_search_dirs(""), ["miniprogram_npm"]);
    }

    #[test]
    fn dir_of_works() {
        assert_eq!(dir_of("pages/index/index.js"), "pages/index");
        assert_eq!(dir_of("app.js"), "");
    }
}
